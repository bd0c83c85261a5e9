//! Named-entity recognition: people, organisations, places and other names, including the ones no
//! dictionary knows.
//!
//! [`Ner`] is an averaged perceptron over begin-inside-outside labels ([`gold::Bio`]), decoded and
//! trained with a beam search over label sequences (`ner/search.rs`), with features of each token's
//! form and neighbours, its part of speech from the annalist tagger, the labels of the two tokens
//! before it, and what the [`Gazetteer`] says: whether the token starts or continues a phrase of
//! the actor dictionary (and what kind of entry that is), a place name from GeoNames, a person's
//! title, an organisation word or an agent. A label that cannot follow the previous one (`I-ORG`
//! after `B-PER`) is never predicted, so every entity is a well-formed run of tokens.
//! [`Ner::embedded`] is the model shipped in the binary, trained by `annalist train ner` on
//! Universal NER English EWT (see the README to retrain it).
//!
//! ```
//! use annalist::dict::Dictionaries;
//! use annalist::ner::{EntityKind, Gazetteer, Ner};
//! use annalist::nlp::Model;
//! use annalist::segment::segment;
//! use std::sync::Arc;
//!
//! let text = "Russian President Vladimir Putin met NATO officials in Moscow.";
//! let dictionaries = Arc::new(Dictionaries::shipped());
//! let gazetteer = Gazetteer::new(Arc::clone(&dictionaries));
//! let ner = Ner::embedded().expect("the shipped model loads");
//! let tagged = Model::embedded().expect("the tagger loads").tag(text, &segment(text)[0]);
//! let entities = ner.recognize(text, &[tagged], &gazetteer);
//! let putin = entities.iter().find(|e| e.text == "Vladimir Putin").expect("a person");
//! assert_eq!(putin.kind, EntityKind::Per);
//! assert_eq!(&text[putin.span], "Vladimir Putin");
//! ```
//!
//! Entities get actor codes from the actor coder's mentions with [`attach_actors`]; the entity
//! only says that a name is there and of what kind.
//!
//! **Invariant:** entities of one sentence do not overlap, are in text order, and `&text[span]`
//! is their `text`.

pub mod clusters;
mod features;
mod gazetteer;
pub mod gold;
mod label;
pub mod lexicon;
mod model;
mod search;
pub mod train;

use crate::actors::ActorCoding;
use crate::date::Date;
use crate::dict::normalize::words_key;
use crate::dict::Dictionaries;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::nlp::perceptron::Weights;
use crate::nlp::{ParsedSentence, TaggedSentence, Upos};
use crate::text::{Span, Token, TokenKind};
use gold::Bio;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub use gazetteer::Gazetteer;

/// What an entity names. `Loc` includes geo-political entities (countries, cities as states).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityKind {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
    /// Other names: nationalities and other groups ("Syrian"), events, products, works.
    #[serde(rename = "OTH")]
    Oth,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [EntityKind::Per, EntityKind::Org, EntityKind::Loc, EntityKind::Oth];

    /// `PER`, `ORG`, `LOC`, `OTH`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Per => "PER",
            EntityKind::Org => "ORG",
            EntityKind::Loc => "LOC",
            EntityKind::Oth => "OTH",
        }
    }
}

/// A named entity found in an article, serialized as in the data contract:
/// `{"text": "Vladimir Putin", "type": "PER", "span": [18, 32], "actor": "RUSGOV"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entity {
    /// `&text[span]`.
    pub text: String,
    #[serde(rename = "type")]
    pub kind: EntityKind,
    pub span: Span,
    /// The CAMEO actor code, when [`attach_actors`] found one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The gazetteer place a place name resolves to ([`crate::geo::resolve_places`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<crate::geo::Place>,
    /// Index of the sentence in the article.
    #[serde(skip)]
    pub sentence: usize,
    /// Token range within the sentence, `[first, last + 1)`.
    #[serde(skip)]
    pub tokens: (usize, usize),
}

/// A trained entity tagger.
#[derive(Clone, Debug, Default)]
pub struct Ner {
    weights: Weights,
    /// The word clusters it was trained with, by word key ([`clusters::WordClusters::by_key`]);
    /// part of the model file.
    clusters: FxHashMap<u64, [u16; 3]>,
    /// Brown clusters and case profiles from a large text, by word key ([`lexicon::WordLexicon`]);
    /// part of the model file.
    lexicon: FxHashMap<u64, [u16; lexicon::COLUMNS]>,
    /// Words labelled `O` without scoring where every sequence in the beam ends in `O` (or none
    /// has begun), by [`features::Word::outside_kinds`]: those the model itself labelled `O`
    /// every time they followed an `O`, at least [`train::SURE_MIN`] times, in the data it was
    /// trained on (and its `--dev` data).
    sure_outside: FxHashSet<u64>,
    /// How many label sequences the search keeps ([`search`]): the beam it was trained with.
    beam: usize,
}

/// A sentence's tokens and their (UPOS, XPOS) tags.
pub type TokensAndTags = (Vec<Token>, Vec<(Upos, &'static str)>);

/// What the recognizer reads of a sentence: its tokens and their parts of speech. Implemented by
/// [`TaggedSentence`] and [`ParsedSentence`].
pub trait PosTagged {
    fn tokens_and_tags(&self) -> TokensAndTags;
}

impl PosTagged for TaggedSentence {
    fn tokens_and_tags(&self) -> TokensAndTags {
        self.tokens.iter().map(|t| (t.token, (t.upos, t.xpos))).unzip()
    }
}

impl PosTagged for ParsedSentence {
    fn tokens_and_tags(&self) -> TokensAndTags {
        self.tokens.iter().map(|t| (t.token, (t.upos, t.xpos))).unzip()
    }
}

/// A sentence as the recognizer labels it: the forms of its words, their tags, and whether each
/// is punctuation.
pub(crate) struct Words<'t> {
    pub(crate) forms: Vec<&'t str>,
    pub(crate) tags: Vec<(Upos, &'static str)>,
    pub(crate) punct: Vec<bool>,
}

/// The model shipped in the binary (built by `annalist train ner`; see the README).
static EMBEDDED_BYTES: &[u8] = include_bytes!("../../../data/model/en_uner.ner.gz");

impl Ner {
    /// The shipped model, decoded on first use and shared afterwards.
    pub fn embedded() -> Result<&'static Ner> {
        static EMBEDDED: OnceLock<Result<Ner>> = OnceLock::new();
        EMBEDDED.get_or_init(|| Ner::from_bytes(EMBEDDED_BYTES)).as_ref().map_err(Clone::clone)
    }

    /// Decodes a model written by [`Ner::to_bytes`]; a corrupt model, or one trained with other
    /// feature templates, is an error of kind [`ErrorKind::Model`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Ner> {
        model::decode(bytes)
    }

    /// Encodes the model (gzip-compressed; the same model always gives the same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        model::encode(self)
    }

    /// Number of feature rows in the model.
    pub fn n_features(&self) -> usize {
        self.weights.len()
    }

    /// How many label sequences its search keeps (1: greedy).
    pub fn beam(&self) -> usize {
        self.beam
    }

    /// Kinds of word labelled `O` without scoring where every sequence in the beam ends in `O`.
    pub fn n_sure_outside(&self) -> usize {
        self.sure_outside.len()
    }

    /// A model of `weights` trained with `clusters` (by word key).
    pub(crate) fn new(weights: Weights, clusters: FxHashMap<u64, [u16; 3]>, sure_outside: FxHashSet<u64>) -> Ner {
        Ner { weights, clusters, lexicon: FxHashMap::default(), sure_outside, beam: 1 }
    }

    /// The same model decoding with a beam of `width` (1: greedy).
    pub(crate) fn with_beam(self, width: usize) -> Ner {
        Ner { beam: width.max(1), ..self }
    }

    /// The same model with `lexicon` ([`lexicon::WordLexicon::words`]).
    pub(crate) fn with_lexicon(self, lexicon: FxHashMap<u64, [u16; lexicon::COLUMNS]>) -> Ner {
        Ner { lexicon, ..self }
    }

    /// The entities of an article's sentences (tagged or parsed), in text order. The sentences
    /// are one document: how a word is capitalized elsewhere in it informs each occurrence. For a
    /// sentence on its own, pass `std::slice::from_ref(&sentence)`.
    pub fn recognize<S: PosTagged>(&self, text: &str, sentences: &[S], gazetteer: &Gazetteer) -> Vec<Entity> {
        let tokens: Vec<TokensAndTags> = sentences.iter().map(PosTagged::tokens_and_tags).collect();
        let words: Vec<Words<'_>> = tokens
            .iter()
            .map(|(tokens, tags)| Words {
                forms: tokens.iter().map(|token| text.get(token.span.range()).unwrap_or("")).collect(),
                tags: tags.clone(),
                punct: tokens.iter().map(|token| token.kind == TokenKind::Punct).collect(),
            })
            .collect();
        let labels = self.label_document(&words, gazetteer);
        let mut entities = Vec::new();
        for (sentence_idx, ((tokens, _), labels)) in tokens.iter().zip(&labels).enumerate() {
            for (first, end, kind) in gold::chunks(labels) {
                let span = Span { start: tokens[first].span.start, end: tokens[end - 1].span.end };
                entities.push(Entity {
                    text: text.get(span.range()).unwrap_or("").to_string(),
                    kind,
                    span,
                    actor: None,
                    place: None,
                    sentence: sentence_idx,
                    tokens: (first, end),
                });
            }
        }
        entities
    }

    /// The labels of a document's sentences.
    pub(crate) fn label_document(&self, sentences: &[Words<'_>], gazetteer: &Gazetteer) -> Vec<Vec<Bio>> {
        let mut prepared: Vec<Vec<features::Word>> = sentences
            .iter()
            .map(|words| {
                features::prepare(&words.forms, &words.tags, &words.punct, gazetteer, &self.clusters, &self.lexicon)
            })
            .collect();
        features::set_document_case(&mut prepared);
        let mut labels: Vec<Vec<Bio>> = prepared
            .iter()
            .zip(sentences)
            .map(|(words, sentence)| {
                let classes = decode(words, &self.sure_outside, self.beam, &self.weights);
                let mut labels = label::to_bio(&classes);
                join_company_names(&sentence.forms, &mut labels);
                labels
            })
            .collect();
        relabel_short_names(sentences, &mut labels);
        labels
    }
}

/// Makes an entity that repeats the last words of a person named in full elsewhere in the document
/// a person too: after "Ahmed al Sharaa", a lone "al Sharaa" is him, whatever its context suggested
/// (news names a person in full once and by surname afterwards).
fn relabel_short_names(sentences: &[Words<'_>], labels: &mut [Vec<Bio>]) {
    let full_names: Vec<Vec<&str>> = sentences
        .iter()
        .zip(labels.iter())
        .flat_map(|(words, labels)| {
            gold::chunks(labels)
                .into_iter()
                .filter(|&(first, end, kind)| kind == EntityKind::Per && end - first >= 2)
                .map(move |(first, end, _)| words.forms[first..end].to_vec())
        })
        .collect();
    for (words, labels) in sentences.iter().zip(labels.iter_mut()) {
        for (first, end, kind) in gold::chunks(labels) {
            let name = &words.forms[first..end];
            let is_short_form = |full: &Vec<&str>| full.len() > name.len() && full.ends_with(name);
            if kind != EntityKind::Per && full_names.iter().any(is_short_form) {
                labels[first] = Bio::B(EntityKind::Per);
                for label in &mut labels[first + 1..end] {
                    *label = Bio::I(EntityKind::Per);
                }
            }
        }
    }
}

/// Words that end a company's name: "Standard Oil Co", "BP North America Inc".
const COMPANY_SUFFIXES: &[&str] = &[
    "inc",
    "corp",
    "co",
    "cos",
    "ltd",
    "llc",
    "plc",
    "lp",
    "llp",
    "corporation",
    "incorporated",
    "ag",
    "gmbh",
    "sa",
    "nv",
    "bv",
    "spa",
    "bancorp",
    "holdings",
];

/// Makes a run of capitalized words that ends with a company suffix one organisation, whatever
/// the tagger made of its parts. Names of that shape are common in business news and rare in the
/// web text the tagger learned from, which labels "Mutual Shares Corp" a person and "Standard Oil
/// Co" as `O O B-ORG`; the suffix settles it. Words may be joined by "and", "&", "of", "'s" or a
/// hyphen between two capitalized words ("Bear Stearns and Co Inc", "Moody's Investors Service Inc").
fn join_company_names(forms: &[&str], labels: &mut [Bio]) {
    let capitalized = |form: &str| form.chars().next().is_some_and(char::is_uppercase);
    let mut end = 0;
    while end < forms.len() {
        let suffix = forms[end].trim_end_matches('.').to_lowercase();
        if !capitalized(forms[end]) || !COMPANY_SUFFIXES.contains(&suffix.as_str()) {
            end += 1;
            continue;
        }
        // Another company's suffix ends the run ("Standard Oil Co and BP America Inc" are two),
        // unless it stands right before this one ("Bear Stearns and Co Inc", "BP Co Plc").
        let suffix_word = |form: &str| COMPANY_SUFFIXES.contains(&form.trim_end_matches('.').to_lowercase().as_str());
        let name_word = |form: &str| capitalized(form) && !suffix_word(form);
        let mut start = end;
        if start > 0 && suffix_word(forms[start - 1]) && capitalized(forms[start - 1]) {
            start -= 1;
        }
        while start > 0 {
            let previous = forms[start - 1];
            if name_word(previous) {
                start -= 1;
            } else if start >= 2
                && matches!(previous, "and" | "&" | "of" | "'s" | "’s" | "-")
                && name_word(forms[start - 2])
            {
                start -= 2;
            } else if start >= 3 && previous == ")" && forms[start - 3] == "(" && name_word(forms[start - 2]) {
                // "Industrial Equity (Pacific) Ltd".
                start -= 3;
            } else {
                break;
            }
        }
        if start < end {
            labels[start] = Bio::B(EntityKind::Org);
            for label in &mut labels[start + 1..=end] {
                *label = Bio::I(EntityKind::Org);
            }
            // A name the tagger ran past the suffix now starts after it, at its first capitalized
            // word: what joined the two ("Stephens Inc and Cazenove Inc") is neither's.
            let mut next = end + 1;
            while let Some(&Bio::I(kind)) = labels.get(next) {
                if capitalized(forms[next]) {
                    labels[next] = Bio::B(kind);
                    break;
                }
                labels[next] = Bio::O;
                next += 1;
            }
        } else if labels[end] != Bio::O && !matches!(labels.get(end + 1), Some(Bio::I(_))) {
            // A suffix alone ("Inc") names nothing.
            labels[end] = Bio::O;
        }
        end += 1;
    }
}

/// The classes of a sentence's words: the best sequence a beam of `width` finds (see [`search`]),
/// scored by `weights`. Words of the kinds in `sure_outside` are labelled `O` unscored where every
/// sequence in the beam ends in `O`.
pub(crate) fn decode(
    words: &[features::Word],
    sure_outside: &FxHashSet<u64>,
    width: usize,
    weights: &Weights,
) -> Vec<u8> {
    let sure =
        |i: usize| !sure_outside.is_empty() && words[i].outside_kinds().iter().any(|kind| sure_outside.contains(kind));
    let mut scorer = FeatureScorer::new(words, Vec::with_capacity(96), |_, features, scores| {
        scores.fill(0.0);
        weights.score(features, scores);
    });
    search::search(words.len(), width, sure, &mut scorer, None)
}

/// What the search scores a sentence's words with: the features it asks for ([`search::Scorer`]),
/// given to `score` with the word's index, which sets the scores of each class from them (and may
/// leave features out first, as dropout does in training).
pub(crate) struct FeatureScorer<'a, F> {
    words: &'a [features::Word],
    /// The features of the word being scored (a buffer, reused).
    pub(crate) features: Vec<u64>,
    score: F,
}

impl<'a, F: FnMut(usize, &mut Vec<u64>, &mut [f32; label::N_CLASSES])> FeatureScorer<'a, F> {
    pub(crate) fn new(words: &'a [features::Word], features: Vec<u64>, score: F) -> Self {
        FeatureScorer { words, features, score }
    }
}

impl<F: FnMut(usize, &mut Vec<u64>, &mut [f32; label::N_CLASSES])> search::Scorer for FeatureScorer<'_, F> {
    fn word(&mut self, i: usize, scores: &mut [f32; label::N_CLASSES]) {
        self.features.clear();
        features::extract_word(self.words, i, &mut self.features);
        (self.score)(i, &mut self.features, scores);
    }

    fn history(&mut self, i: usize, history: search::History, scores: &mut [f32; label::N_CLASSES]) {
        self.features.clear();
        features::extract_history(self.words, i, history, &mut self.features);
        (self.score)(i, &mut self.features, scores);
    }
}

/// Gives entities the actor codes of the actor coder's mentions ([`crate::actors::code_actors`]
/// over the same sentences):
/// 1. a mention inside the entity, or the same tokens ("Syria", "Vladimir Putin"): the longest;
/// 2. otherwise, for people and organisations, the shortest mention that contains the entity: the
///    name in "Russian President Vladimir Putin" is the president's, RUSGOV;
/// 3. otherwise the entity's own words looked up in the actor dictionary on `date` ("Syrian"
///    inside "Syrian President Ahmed al-Sharaa" is SYR, not the president's SYRGOV).
///
/// Entities that none of these code keep `actor: None`: they are what `annalist dict unknown`
/// reports.
pub fn attach_actors(
    text: &str,
    entities: &mut [Entity],
    coding: &ActorCoding,
    dictionaries: &Dictionaries,
    date: Option<Date>,
) {
    for entity in entities.iter_mut() {
        let (start, end) = entity.tokens;
        let in_sentence = coding.mentions.iter().filter(|m| m.sentence == entity.sentence && m.code.is_some());
        let inside = in_sentence
            .clone()
            .filter(|m| start <= m.tokens.0 && m.tokens.1 <= end)
            .max_by_key(|m| (m.tokens.1 - m.tokens.0, std::cmp::Reverse(m.tokens.0)));
        let around = || {
            in_sentence
                .clone()
                .filter(|m| m.tokens.0 <= start && end <= m.tokens.1)
                .min_by_key(|m| (m.tokens.1 - m.tokens.0, m.tokens.0))
        };
        let from_mention = match (inside, entity.kind) {
            (Some(mention), _) => Some(mention),
            (None, EntityKind::Per | EntityKind::Org) => around(),
            (None, _) => None,
        };
        entity.actor = match from_mention {
            Some(mention) => mention.code.clone(),
            None => lookup_words(&text[entity.span], dictionaries, date),
        };
    }
}

/// The code of a name written as text, on `date` (or the entry's undated default).
fn lookup_words(name: &str, dictionaries: &Dictionaries, date: Option<Date>) -> Option<String> {
    let key = crate::dict::normalize::phrase_key(name);
    if key.is_empty() {
        return None;
    }
    let found = match date {
        Some(date) => dictionaries.actors.lookup_key(&key, date),
        None => dictionaries.actors.lookup_key_undated(&key),
    };
    found.and_then(|found| found.code()).map(str::to_string)
}

/// The lookup key of an entity's text, as the dictionaries normalize names: what `annalist dict
/// unknown` counts, so that "Ahmed al-Sharaa" and "Ahmed al Sharaa" are one name.
pub fn entity_key(entity: &Entity) -> String {
    let words: Vec<&str> = entity.text.split_whitespace().collect();
    let key = crate::dict::normalize::phrase_key(&words.join(" "));
    if key.is_empty() {
        words_key(&words)
    } else {
        key
    }
}

fn model_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Model, Location::default(), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::Model;
    use crate::segment::segment;
    use std::sync::Arc;

    /// Runs the embedded models over `text` and renders the entities as `TYPE:text` (with
    /// `=CODE` when coded on 2026-01-28).
    fn check(text: &str, expect: &[&str]) {
        let dictionaries = Arc::new(Dictionaries::shipped());
        let gazetteer = Gazetteer::new(Arc::clone(&dictionaries));
        let ner = Ner::embedded().unwrap();
        let model = Model::embedded().unwrap();
        let sentences = segment(text);
        let parsed: Vec<ParsedSentence> = sentences.iter().map(|s| model.analyze(text, s)).collect();
        let mut entities = ner.recognize(text, &parsed, &gazetteer);
        let date: Date = "2026-01-28".parse().unwrap();
        let coding = crate::actors::code_actors(text, &sentences, Some(date), &dictionaries);
        attach_actors(text, &mut entities, &coding, &dictionaries, Some(date));
        let rendered: Vec<String> = entities
            .iter()
            .map(|e| {
                assert_eq!(&text[e.span], e.text, "span round trip");
                match &e.actor {
                    Some(code) => format!("{}:{}={code}", e.kind.as_str(), e.text),
                    None => format!("{}:{}", e.kind.as_str(), e.text),
                }
            })
            .collect();
        assert_eq!(rendered, expect);
    }

    #[test]
    fn embedded_model_finds_people_places_and_organisations() {
        check(
            "Russian President Vladimir Putin met NATO officials in Moscow on Wednesday.",
            &["OTH:Russian=RUS", "PER:Vladimir Putin=RUSGOV", "ORG:NATO=IGOWSTNAT", "LOC:Moscow=RUS"],
        );
    }

    #[test]
    fn joins_company_names() {
        let check = |sentence: &str, expect: &str| {
            let forms: Vec<&str> = sentence.split(' ').collect();
            let mut labels = vec![Bio::O; forms.len()];
            if let Some(idx) = forms.iter().position(|&f| f == "Shares") {
                labels[idx] = Bio::B(EntityKind::Per);
            }
            if let Some(idx) = forms.iter().position(|&f| f == "Ltd.") {
                labels[idx] = Bio::B(EntityKind::Per);
            }
            join_company_names(&forms, &mut labels);
            let rendered: Vec<String> = forms.iter().zip(&labels).map(|(f, l)| format!("{f}/{l}")).collect();
            assert_eq!(rendered.join(" "), expect);
        };
        check("led by Mutual Shares Corp .", "led/O by/O Mutual/B-ORG Shares/I-ORG Corp/I-ORG ./O");
        check("Bear Stearns and Co Inc said", "Bear/B-ORG Stearns/I-ORG and/I-ORG Co/I-ORG Inc/I-ORG said/O");
        check("Co said", "Co/O said/O");
        check("Oil Co and BP Inc", "Oil/B-ORG Co/I-ORG and/O BP/B-ORG Inc/I-ORG");
        check("Bear Stearns and Co Inc", "Bear/B-ORG Stearns/I-ORG and/I-ORG Co/I-ORG Inc/I-ORG");
        check("Equity ( Pacific ) Ltd ,", "Equity/B-ORG (/I-ORG Pacific/I-ORG )/I-ORG Ltd/I-ORG ,/O");
        check("the co op", "the/O co/O op/O");
        check("( Ltd. )", "(/O Ltd./O )/O");
        // The tagger made one name of two companies.
        let forms = ["Stephens", "Inc", "and", "Cazenove", "Inc", "."];
        let (begin, inside) = (Bio::B(EntityKind::Org), Bio::I(EntityKind::Org));
        let mut labels = vec![begin, inside, inside, inside, inside, Bio::O];
        join_company_names(&forms, &mut labels);
        let rendered: Vec<String> = labels.iter().map(Bio::to_string).collect();
        assert_eq!(rendered.join(" "), "B-ORG I-ORG O B-ORG I-ORG O");
    }

    #[test]
    fn serializes_as_the_data_contract_says() {
        let entity = Entity {
            text: "Moscow".into(),
            kind: EntityKind::Loc,
            span: Span::new(3, 9),
            actor: Some("RUS".into()),
            place: None,
            sentence: 0,
            tokens: (1, 2),
        };
        assert_eq!(
            serde_json::to_string(&entity).unwrap(),
            r#"{"text":"Moscow","type":"LOC","span":[3,9],"actor":"RUS"}"#
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        let dictionaries = Arc::new(Dictionaries::shipped());
        let gazetteer = Gazetteer::new(Arc::clone(&dictionaries));
        let ner = Ner::embedded().unwrap();
        let model = Model::embedded().unwrap();
        for text in ["", " ", "-", "- - -", "’’", "Al-", "-Al", "U.S.-", "é", "\u{200b}", "A\u{301}", "1.2.3 --- ###"]
        {
            for sentence in segment(text) {
                let tagged = model.tag(text, &sentence);
                for entity in ner.recognize(text, &[tagged], &gazetteer) {
                    assert_eq!(&text[entity.span], entity.text);
                }
            }
        }
        let text = "Nothing to see here.";
        let tagged = model.tag(text, &segment(text)[0]);
        assert!(Ner::default().recognize(text, &[tagged], &gazetteer).is_empty());
    }
}
