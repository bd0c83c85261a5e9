//! Tagging, lemmatization and dependency parsing, with models that annalist trains itself.
//!
//! [`Model::analyze`] takes a segmented [`Sentence`] and returns a [`ParsedSentence`]: every token
//! with its universal and Penn Treebank part of speech, its lemma, its head and its Universal
//! Dependencies relation. [`Model::embedded`] is the model shipped inside the binary, trained on
//! UD English EWT by `annalist train` (see the README to retrain it).
//!
//! ```
//! use annalist::nlp::{Model, Upos};
//! use annalist::segment::segment;
//!
//! let text = "Russian President Vladimir Putin congratulated his Syrian counterpart.";
//! let model = Model::embedded().expect("the shipped model loads");
//! let sentence = model.analyze(text, &segment(text)[0]);
//! let verb = sentence.root().expect("a non-empty sentence has a root");
//! assert_eq!(sentence.tokens[verb].lemma, "congratulate");
//! assert_eq!(sentence.tokens[verb].upos, Upos::Verb);
//! // EWT heads a name by its first word: `Vladimir`, with `Putin` attached as `flat`.
//! let subject = sentence.children_with(verb, "nsubj").next().expect("a subject");
//! assert!(text[sentence.subtree_span(subject)].ends_with("President Vladimir Putin"));
//! ```
//!
//! The stages are separate types so that a later stage states what it needs: a function that
//! reads tags takes a [`TaggedSentence`], one that reads the tree a [`ParsedSentence`]. Every
//! token keeps its [`Token`] and so its byte [`Span`](crate::Span) into the article.

pub(crate) mod hash;
mod lemma;
pub(crate) mod model;
mod parser;
pub(crate) mod perceptron;
pub(crate) mod tagger;
pub mod train;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::text::{Sentence, Span, Token, TokenKind};
use lemma::Lemmatizer;
use parser::{Context, Parser};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::OnceLock;
use tagger::Tagger;

/// A universal part-of-speech tag (<https://universaldependencies.org/u/pos/>).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "&'static str")]
pub enum Upos {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    X,
}

impl Upos {
    pub const ALL: [Upos; 17] = [
        Upos::Adj,
        Upos::Adp,
        Upos::Adv,
        Upos::Aux,
        Upos::Cconj,
        Upos::Det,
        Upos::Intj,
        Upos::Noun,
        Upos::Num,
        Upos::Part,
        Upos::Pron,
        Upos::Propn,
        Upos::Punct,
        Upos::Sconj,
        Upos::Sym,
        Upos::Verb,
        Upos::X,
    ];

    /// The tag as UD writes it: `NOUN`, `PROPN`.
    pub fn as_str(self) -> &'static str {
        match self {
            Upos::Adj => "ADJ",
            Upos::Adp => "ADP",
            Upos::Adv => "ADV",
            Upos::Aux => "AUX",
            Upos::Cconj => "CCONJ",
            Upos::Det => "DET",
            Upos::Intj => "INTJ",
            Upos::Noun => "NOUN",
            Upos::Num => "NUM",
            Upos::Part => "PART",
            Upos::Pron => "PRON",
            Upos::Propn => "PROPN",
            Upos::Punct => "PUNCT",
            Upos::Sconj => "SCONJ",
            Upos::Sym => "SYM",
            Upos::Verb => "VERB",
            Upos::X => "X",
        }
    }

    pub fn parse(tag: &str) -> Option<Upos> {
        Upos::ALL.into_iter().find(|upos| upos.as_str() == tag)
    }
}

impl From<Upos> for &'static str {
    fn from(upos: Upos) -> &'static str {
        upos.as_str()
    }
}

/// The Penn Treebank tags, with the additions of UD English EWT (`ADD`, `AFX`, `GW`, `HYPH`,
/// `NFP`, `XX`). Tags are `&'static str` from this table, so tokens stay `Copy`-cheap and
/// comparable with literals: `token.xpos == "VBN"`.
#[rustfmt::skip]
pub const XPOS_TAGS: &[&str] = &[
    "CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR", "JJS", "LS", "MD", "NN", "NNS", "NNP", "NNPS", "PDT", "POS", "PRP", "PRP$",
    "RB", "RBR", "RBS", "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WP$", "WRB", "$", "#",
    ".", ",", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP", "ADD", "AFX", "GW", "XX",
];

/// The dependency relations the parser can produce: UD's universal relations and the subtypes
/// English EWT uses. At most 64, because the parser keeps sets of them as bits.
#[rustfmt::skip]
pub const DEPRELS: &[&str] = &[
    "root", "punct", "case", "nsubj", "det", "advmod", "obj", "amod", "obl", "conj", "compound", "mark", "nmod", "cc", "aux",
    "cop", "advcl", "nmod:poss", "xcomp", "ccomp", "flat", "acl:relcl", "parataxis", "appos", "nummod", "acl", "aux:pass",
    "nsubj:pass", "obl:unmarked", "nmod:unmarked", "discourse", "list", "compound:prt", "iobj", "expl", "fixed", "nmod:desc",
    "obl:agent", "csubj", "nsubj:outer", "det:predet", "vocative", "goeswith", "advcl:relcl", "cc:preconj", "reparandum",
    "orphan", "csubj:pass", "dislocated", "dep", "csubj:outer", "clf", "flat:foreign", "obl:tmod", "obl:npmod", "nmod:tmod",
    "nmod:npmod", "flat:name", "det:poss", "compound:svc", "expl:pv", "nsubj:xsubj",
];

/// The table's copy of an XPOS tag; tags outside the table are `XX`.
pub fn xpos_tag(tag: &str) -> &'static str {
    XPOS_TAGS.iter().copied().find(|&known| known == tag).unwrap_or("XX")
}

/// The table's copy of a relation; an unknown subtype falls back to its universal relation, and
/// anything else to `dep`.
pub fn deprel(relation: &str) -> &'static str {
    let base = relation.split(':').next().unwrap_or(relation);
    DEPRELS
        .iter()
        .copied()
        .find(|&known| known == relation)
        .or_else(|| DEPRELS.iter().copied().find(|&known| known == base))
        .unwrap_or("dep")
}

/// A token with its parts of speech and lemma.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaggedToken {
    #[serde(flatten)]
    pub token: Token,
    pub upos: Upos,
    /// Penn Treebank tag, from [`XPOS_TAGS`].
    pub xpos: &'static str,
    pub lemma: String,
}

/// A sentence after tagging and lemmatization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaggedSentence {
    pub span: Span,
    pub paragraph: u32,
    pub tokens: Vec<TaggedToken>,
}

/// A token with its parts of speech, lemma and place in the dependency tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParsedToken {
    #[serde(flatten)]
    pub token: Token,
    pub upos: Upos,
    pub xpos: &'static str,
    pub lemma: String,
    /// Index of the head token in the sentence; `None` for the root.
    pub head: Option<usize>,
    /// Universal Dependencies relation to the head, from [`DEPRELS`]: `nsubj`, `nsubj:pass`,
    /// `obj`, `obl`, `acl:relcl`... (`root` for the root).
    pub deprel: &'static str,
}

impl ParsedToken {
    /// The relation without its subtype: `nsubj` for `nsubj:pass`, `acl` for `acl:relcl`.
    pub fn base_deprel(&self) -> &'static str {
        self.deprel.split(':').next().unwrap_or(self.deprel)
    }
}

/// A sentence after parsing: a tree over its tokens with exactly one root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParsedSentence {
    pub span: Span,
    pub paragraph: u32,
    pub tokens: Vec<ParsedToken>,
}

impl ParsedSentence {
    /// The root token (`None` only for an empty sentence).
    pub fn root(&self) -> Option<usize> {
        self.tokens.iter().position(|token| token.head.is_none())
    }

    /// The dependents of token `idx`, in text order.
    pub fn children(&self, idx: usize) -> impl Iterator<Item = usize> + '_ {
        self.tokens.iter().enumerate().filter(move |(_, token)| token.head == Some(idx)).map(|(child, _)| child)
    }

    /// The dependents of `idx` by relation `deprel`. A relation without a subtype matches its
    /// subtypes too: `"nsubj"` finds `nsubj` and `nsubj:pass`, `"nsubj:pass"` only the latter.
    pub fn children_with<'s>(&'s self, idx: usize, deprel: &'s str) -> impl Iterator<Item = usize> + 's {
        let exact = deprel.contains(':');
        self.children(idx).filter(move |&child| {
            let token = &self.tokens[child];
            if exact {
                token.deprel == deprel
            } else {
                token.base_deprel() == deprel
            }
        })
    }

    /// The surface form of token `idx`.
    pub fn form<'t>(&self, text: &'t str, idx: usize) -> &'t str {
        text.get(self.tokens[idx].token.span.range()).unwrap_or("")
    }

    /// The span covering token `idx` and all its descendants (a phrase: "his Syrian counterpart,
    /// Ahmed al Sharaa").
    pub fn subtree_span(&self, idx: usize) -> Span {
        let mut span = self.tokens[idx].token.span;
        for (other, token) in self.tokens.iter().enumerate() {
            if self.dominates(idx, other) {
                span = span.cover(token.token.span);
            }
        }
        span
    }

    /// Whether `ancestor` is `idx` or one of its ancestors.
    pub fn dominates(&self, ancestor: usize, mut idx: usize) -> bool {
        for _ in 0..=self.tokens.len() {
            if idx == ancestor {
                return true;
            }
            match self.tokens.get(idx).and_then(|token| token.head) {
                Some(head) => idx = head,
                None => return false,
            }
        }
        false
    }
}

/// A trained tagger, lemmatizer and parser.
#[derive(Clone, Debug, Default)]
pub struct Model {
    tagger: Tagger,
    lemmatizer: Lemmatizer,
    parser: Option<Parser>,
    class_of: FxHashMap<(Upos, &'static str), u16>,
}

/// The model shipped in the binary (built by `annalist train`; see the README).
static EMBEDDED_BYTES: &[u8] = include_bytes!("../../../data/model/en_ewt.model");

impl Model {
    /// The shipped model, decoded on first use and shared afterwards.
    pub fn embedded() -> Result<&'static Model> {
        static EMBEDDED: OnceLock<Result<Model>> = OnceLock::new();
        EMBEDDED.get_or_init(|| Model::from_bytes(EMBEDDED_BYTES)).as_ref().map_err(Clone::clone)
    }

    /// The shipped model's file, as embedded (for measuring how long decoding takes).
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED_BYTES
    }

    /// Decodes a model written by [`Model::to_bytes`]; a corrupt model is an error of kind
    /// [`ErrorKind::Model`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        model::decode(bytes)
    }

    /// Encodes the model (gzip-compressed; the same model always gives the same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        model::encode(self)
    }

    fn new(tagger: Tagger, lemmatizer: Lemmatizer, parser: Option<Parser>) -> Model {
        let class_of = tagger.classes.iter().enumerate().map(|(idx, &class)| (class, idx as u16)).collect();
        Model { tagger, lemmatizer, parser, class_of }
    }

    /// Whether the model has a parser (a model from `annalist train tagger` does not).
    pub fn has_parser(&self) -> bool {
        self.parser.is_some()
    }

    /// Tags and lemmatizes a sentence of `text`.
    pub fn tag(&self, text: &str, sentence: &Sentence) -> TaggedSentence {
        let forms: Vec<&str> = sentence.tokens.iter().map(|token| text.get(token.span.range()).unwrap_or("")).collect();
        let classes = self.tagger.tag(&forms);
        let tokens = sentence
            .tokens
            .iter()
            .zip(&forms)
            .zip(&classes)
            .map(|((token, form), &class)| {
                let (upos, xpos) = self.tagger.classes.get(class as usize).copied().unwrap_or((Upos::X, "XX"));
                TaggedToken { token: *token, upos, xpos, lemma: self.lemmatizer.lemma(form, xpos) }
            })
            .collect();
        TaggedSentence { span: sentence.span, paragraph: sentence.paragraph, tokens }
    }

    /// Parses a tagged sentence of `text`. Without a parser in the model, every token hangs from
    /// the first with relation `dep`.
    pub fn parse(&self, text: &str, tagged: TaggedSentence) -> ParsedSentence {
        let (heads, labels) = self.parse_tokens(text, &tagged.tokens);
        let tokens = tagged
            .tokens
            .into_iter()
            .zip(heads.into_iter().zip(labels))
            .map(|(token, (head, deprel))| ParsedToken {
                token: token.token,
                upos: token.upos,
                xpos: token.xpos,
                lemma: token.lemma,
                head: head.checked_sub(1).map(|h| h as usize),
                deprel,
            })
            .collect();
        ParsedSentence { span: tagged.span, paragraph: tagged.paragraph, tokens }
    }

    /// Tags, lemmatizes and parses a sentence of `text`.
    pub fn analyze(&self, text: &str, sentence: &Sentence) -> ParsedSentence {
        self.parse(text, self.tag(text, sentence))
    }

    /// Heads (1-based, 0 for the root) and relations of the tokens.
    fn parse_tokens(&self, text: &str, tokens: &[TaggedToken]) -> (Vec<u32>, Vec<&'static str>) {
        let Some(parser) = &self.parser else {
            let heads = (0..tokens.len()).map(|i| if i == 0 { 0 } else { 1 }).collect();
            let labels = (0..tokens.len()).map(|i| if i == 0 { "root" } else { "dep" }).collect();
            return (heads, labels);
        };
        let forms: Vec<String> = tokens
            .iter()
            .map(|token| tagger::normalize(text.get(token.token.span.range()).unwrap_or(""), true))
            .collect();
        let classes: Vec<u16> =
            tokens.iter().map(|token| self.class_of.get(&(token.upos, token.xpos)).copied().unwrap_or(0)).collect();
        let (heads, labels) = parser.parse(&Context::new(&forms, &classes, &self.tagger.classes, &parser.vocabulary));
        let labels =
            labels.into_iter().map(|label| parser.labels.get(label as usize).copied().unwrap_or("dep")).collect();
        (heads, labels)
    }

    /// Approximate heap size of the decoded model, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.tagger.weights.heap_bytes()
            + self.parser.as_ref().map_or(0, |p| p.transitions.heap_bytes() + p.labeller.heap_bytes())
    }
}

/// A text and a sentence for already-tokenized words (a CoNLL-U file's gold tokenization): the
/// words joined by single spaces, each a [`TokenKind::Word`] token.
pub fn sentence_from_words(words: &[&str]) -> (String, Sentence) {
    let mut text = String::new();
    let mut tokens = Vec::with_capacity(words.len());
    for word in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        tokens.push(Token { span: Span::new(start, text.len()), kind: TokenKind::Word, clitic: false });
    }
    let sentence = Sentence { span: Span::new(0, text.len()), tokens, paragraph: 0 };
    (text, sentence)
}

fn model_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Model, Location::default(), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_fit_the_parser() {
        assert!(DEPRELS.len() <= 64);
        assert_eq!(deprel("nsubj:pass"), "nsubj:pass");
        assert_eq!(deprel("nmod:foo"), "nmod");
        assert_eq!(deprel("zzz"), "dep");
        assert_eq!(xpos_tag("VBN"), "VBN");
        assert_eq!(xpos_tag("??"), "XX");
        assert_eq!(Upos::parse("PROPN"), Some(Upos::Propn));
    }

    fn check(heads: &[Option<usize>], deprels: &[&'static str], idx: usize, relation: &str, expect: &[usize]) {
        let tokens = heads
            .iter()
            .zip(deprels)
            .enumerate()
            .map(|(i, (&head, &deprel))| ParsedToken {
                token: Token { span: Span::new(i, i + 1), kind: TokenKind::Word, clitic: false },
                upos: Upos::X,
                xpos: "XX",
                lemma: String::new(),
                head,
                deprel,
            })
            .collect();
        let sentence = ParsedSentence { span: Span::new(0, heads.len()), paragraph: 0, tokens };
        assert_eq!(sentence.children_with(idx, relation).collect::<Vec<_>>(), expect);
    }

    #[test]
    fn children_by_relation() {
        // "He was praised ." : he <-nsubj:pass- praised, was <-aux:pass- praised.
        let heads = [Some(2), Some(2), None, Some(2)];
        let deprels = ["nsubj:pass", "aux:pass", "root", "punct"];
        check(&heads, &deprels, 2, "nsubj", &[0]);
        check(&heads, &deprels, 2, "nsubj:pass", &[0]);
        check(&heads, &deprels, 2, "aux", &[1]);
        check(&heads, &deprels, 2, "obj", &[]);
        check(&heads, &deprels, 0, "nsubj", &[]);
    }

    #[test]
    fn a_corrupt_model_is_an_error() {
        for bytes in [&b""[..], b"garbage", &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0]] {
            let error = Model::from_bytes(bytes).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Model);
        }
    }

    /// The shortcuts `train calibrate` sets must not change any analysis of the sentences they
    /// were calibrated on: here the seed article, as a treebank of the model's own analyses.
    #[test]
    fn calibration_changes_no_analysis_of_its_sentences() {
        let embedded = Model::embedded().unwrap();
        assert!(embedded.tagger.sure.is_some(), "the shipped model is calibrated");
        assert!(embedded.parser.as_ref().is_some_and(|p| !p.sure_labels.is_empty()));
        let mut base = embedded.clone();
        base.tagger.sure = None;
        if let Some(parser) = &mut base.parser {
            parser.sure_labels.clear();
        }
        let text = include_str!("../../../tests/data/2026-01-28-moscow-putin-al-sharaa.txt");
        let sentences = crate::segment::segment(text);
        let treebank: Vec<crate::conllu::ConlluSentence> = sentences
            .iter()
            .map(|sentence| {
                let parsed = base.analyze(text, sentence);
                let words = parsed
                    .tokens
                    .iter()
                    .map(|token| crate::conllu::Word {
                        form: text[token.token.span.range()].to_string(),
                        upos: token.upos.as_str().to_string(),
                        xpos: token.xpos.to_string(),
                        head: token.head.map_or(0, |h| h as u32 + 1),
                        deprel: token.deprel.to_string(),
                        ..Default::default()
                    })
                    .collect();
                crate::conllu::ConlluSentence { words, ..Default::default() }
            })
            .collect();
        let (calibrated, calibration) = train::calibrate(&base, &treebank);
        assert!(calibration.margin.is_some());
        assert!(calibration.skipped_words > 0.0, "{calibration:?}");
        for gold in &treebank {
            let (text, words) = sentence_from_words(&gold.words.iter().map(|w| w.form.as_str()).collect::<Vec<_>>());
            assert_eq!(calibrated.analyze(&text, &words), base.analyze(&text, &words));
        }
    }

    #[test]
    fn gold_words_make_a_sentence() {
        let (text, sentence) = sentence_from_words(&["I", "do", "n't"]);
        assert_eq!(text, "I do n't");
        assert_eq!(sentence.form(&text, 2), "n't");
    }
}
