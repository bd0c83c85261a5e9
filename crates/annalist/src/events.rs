//! Event coding: CAMEO events from parsed sentences, their actors and the verb dictionary.
//!
//! For every verb of a sentence the coder
//! 1. finds the verb in the dictionary by form or lemma (multi-word verbs by their particle or the
//!    words around them: "cordoned off", "wire tap");
//! 2. matches its block's patterns against the verb's clause, read from the dependency tree: the
//!    words after the verb are its objects, obliques and complements (not coordinated or
//!    subordinate clauses, which are coded on their own), the words before it its subject,
//!    auxiliaries and adverbs (a passive verb's subject stands where its object would: "relations
//!    were established" is "established relations"); the most specific pattern that matches gives
//!    the code, else the verb's own code;
//! 3. finds the source (the subject; through passives the `by` agent; through relative, infinitive
//!    and coordinated clauses the subject they share) and the target (the first actor among the
//!    objects and obliques; in passives the subject), unless the pattern placed them with `$`, `+`
//!    or `%`; the two sides of a relation act on each other ("relations between Egypt and Iran
//!    were restored");
//! 4. folds verb chains into one event ("agreed to provide aid" is `033`, see [`modality`]) and
//!    applies negation ("did not attack" is no event, "did not agree to meet" is `125`);
//! 5. dates each event by its clause's time and flags the past that the sentence dates explicitly
//!    ("relations established in 1944", a war "then" being fought in World War II) as historical:
//!    never an event of the article's date, left out unless [`CodingOptions::historical`].
//!
//! Reported speech needs no special case: "He said that A attacked B" has "attacked" as the root of
//! its own clause, which is coded with its own subject, and "said" is a statement with no target.

pub mod lexicon;
pub mod modality;
mod repair;

use crate::actors::{ActorCoding, Mention, MentionKind};
use crate::analysis::Analysis;
use crate::coref::Coreference;
use crate::date::Date;
use crate::dict::agents::AgentEntry;
use crate::dict::normalize::normalize_word;
use crate::dict::verbs::EventCode;
use crate::dict::{Dictionaries, Provenance};
use crate::error::{Diagnostic, Location, Severity};
use crate::nlp::hash::hash_str;
use crate::nlp::{ParsedSentence, TaggedSentence, Upos};
use crate::score::{base_code, root_code, CameoTable};
use crate::text::{Span, Token};
use crate::time::anchor::{anchor, Anchor, Basis};
use crate::time::{TimeExpr, TimeValue};
use lexicon::{CompiledPattern, Elem, FormEntry, Lexicon};
use modality::{combine, demand_for_intent, modality, negate, Modality};
use rustc_hash::FxHashSet;
use serde::Serialize;

/// How the coder treats incomplete events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodingOptions {
    /// Only events with both a source and a target (PETRARCH's `require_dyad`). Without it, an event
    /// with no target is kept with target `---`.
    pub require_dyad: bool,
    /// Add a note for every verb found in the dictionary: the pattern that matched and the code.
    pub explain: bool,
    /// Follow CAMEO 1.1b3's conventions where PETRARCH2 differs: actions announced for the future
    /// ("will withdraw", "would blockade", "may halt") are an expressed intent (03x) for
    /// cooperation and a threat (13x) for conflict; "X said Y must act" is X's demand on Y (10x);
    /// the members of a compound subject of a cooperative act with no target act on each other
    /// ("China and Russia signed an agreement": CHN -> RUS and RUS -> CHN 057), where PETRARCH2
    /// needs a `%` pattern. Off when PETRARCH dictionaries are used, whose validation records
    /// follow PETRARCH2.
    pub cameo_conventions: bool,
    /// Keep events that the time of their clause puts more than a year before the article
    /// ("relations were established in 1944"), flagged `historical` and dated by that time.
    pub historical: bool,
}

impl Default for CodingOptions {
    fn default() -> CodingOptions {
        CodingOptions { require_dyad: true, explain: false, cameo_conventions: true, historical: false }
    }
}

/// One coded event, with everything the data contract promises.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub source: String,
    pub target: String,
    pub code: String,
    pub root_code: String,
    pub base_code: String,
    pub quad_class: u8,
    pub goldstein: f32,
    /// PLOVER category, absent for CAMEO roots 01 and 02 (which PLOVER dropped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plover: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plover_mode: Option<String>,
    /// When it happened, ISO 8601 at its precision (`2026-01-28`, `2026-01`, `1944`,
    /// `1939/1945`): the time of its clause, else the article's date.
    pub date: Option<TimeValue>,
    /// `day`, `week`, `month`, `year` or `approximate`; `none` without a date.
    pub date_precision: &'static str,
    /// What dated it: a time expression of its `clause`, of its `sentence`, the `story`'s time
    /// of a past event, or the `article`'s date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_basis: Option<Basis>,
    /// The time expression that dated it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_span: Option<Span>,
    /// Dated more than a year before the article: history the article recalls. Such events are
    /// only output with [`CodingOptions::historical`].
    pub historical: bool,
    pub source_text: String,
    pub target_text: String,
    pub verb_text: String,
    /// Index of the sentence in the article.
    pub sentence: usize,
    /// From the first to the last of source, verb and target in the sentence.
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_span: Option<Span>,
    pub verb_span: Span,
    /// A heuristic in [0, 1]: higher when a specific pattern matched and both actors were the
    /// verb's own arguments, lower when they were inherited or found deep inside a phrase.
    pub confidence: f32,
    /// The dictionary line that gave the code (`CAMEO.2.0.txt:5828`).
    pub rule: String,
    /// Where it happened ([`crate::geo::locate_events`]); none where nothing in the article says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<crate::geo::EventLocation>,
    /// Further places in the article that report the same event (same source, target and code).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<EventMention>,
}

/// Another report of an event within the same article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventMention {
    pub sentence: usize,
    pub span: Span,
    pub verb_text: String,
}

/// The events of an article and what was noticed while coding them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventCoding {
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The event coder: the verb dictionary compiled once, used for many articles.
#[derive(Clone, Debug)]
pub struct EventCoder {
    lexicon: Lexicon,
    options: CodingOptions,
}

impl EventCoder {
    pub fn new(dictionaries: &Dictionaries, options: CodingOptions) -> EventCoder {
        EventCoder { lexicon: Lexicon::new(&dictionaries.verbs), options }
    }

    pub fn options(&self) -> CodingOptions {
        self.options
    }

    pub fn with_options(&self, options: CodingOptions) -> EventCoder {
        EventCoder { lexicon: self.lexicon.clone(), options }
    }

    /// Whether sentence `index` may hold an event, and so must be parsed before
    /// [`EventCoder::code`]: it mentions an actor (or a pronoun that may stand for one, see
    /// [`may_have_event`]) and has a verb of the verb dictionary. Explaining parses every sentence,
    /// to show how every dictionary verb was read.
    pub fn wants_parse(&self, text: &str, tagged: &TaggedSentence, index: usize, actors: &ActorCoding) -> bool {
        self.options.explain || (may_have_event(text, tagged, index, actors) && self.has_dictionary_verb(text, tagged))
    }

    /// Codes the events of an analysed article: those of its parsed sentences. Each event is dated
    /// by the time of its clause ([`crate::time::anchor`]); one that time puts well before the
    /// article (history) is left out with a note, unless [`CodingOptions::historical`] keeps it.
    pub fn code(&self, analysis: &Analysis<'_>, dictionaries: &Dictionaries) -> EventCoding {
        let text = analysis.text;
        let actors = &analysis.actors;
        let mut coding = EventCoding::default();
        let location = Location { article: Some(analysis.id.to_string()), ..Location::default() };
        // Each sentence's discard (the first the list finds in it), found once.
        let discards: Vec<_> = analysis
            .tagged
            .iter()
            .map(|sentence| dictionaries.discards.find(&sentence_words(text, sentence.tokens.iter().map(|t| &t.token))))
            .collect();
        let story_discard = discards.iter().flatten().find(|d| d.scope == crate::dict::discards::DiscardScope::Story);
        if let Some(discard) = story_discard {
            coding.diagnostics.push(Diagnostic::new(
                Severity::Note,
                "story-discarded",
                location,
                format!("story not coded: it mentions {:?} (discard list)", discard.text),
            ));
            return coding;
        }
        let mut raw = Vec::new();
        for (index, parsed) in analysis.parsed.iter().enumerate() {
            let Some(parsed) = parsed else { continue };
            if let Some(discard) = discards[index] {
                coding.diagnostics.push(Diagnostic::new(
                    Severity::Note,
                    "sentence-discarded",
                    location.clone(),
                    format!("sentence {index} not coded: it mentions {:?} (discard list)", discard.text),
                ));
                continue;
            }
            if !self.wants_parse(text, &analysis.tagged[index], index, actors) {
                continue;
            }
            let repaired = repair::verbless_clauses(parsed);
            let view = SentenceView::new(text, repaired.as_ref().unwrap_or(parsed), index, actors, dictionaries);
            let mut sentence_coder = SentenceCoder {
                view: &view,
                lexicon: &self.lexicon,
                dictionaries,
                options: self.options,
                times: &analysis.times,
                now: analysis.now,
                coreference: &analysis.coreference,
                history: &mut coding.diagnostics,
                location: &location,
                notes: std::cell::RefCell::new(Vec::new()),
            };
            raw.extend(sentence_coder.code());
        }
        coding.events = merge_repeats(raw);
        coding
    }

    /// Whether a verb of the sentence is in the verb dictionary, as its form or its lemma: every
    /// event is a dictionary verb's (see [`SentenceCoder::code_verb`]), so a sentence without one
    /// need not be parsed ("Net profit rose 12 pct": figures and companies make much newswire).
    fn has_dictionary_verb(&self, text: &str, sentence: &TaggedSentence) -> bool {
        sentence.tokens.iter().any(|t| {
            t.upos == Upos::Verb
                && (!self.lexicon.forms(&normalize_word(&text[t.token.span])).is_empty()
                    || !self.lexicon.forms(&normalize_word(&t.lemma)).is_empty())
        })
    }
}

/// Keeps the first report of each (source, target, code) and lists the others as its mentions.
fn merge_repeats(events: Vec<Event>) -> Vec<Event> {
    let mut merged: Vec<Event> = Vec::new();
    for event in events {
        match merged.iter_mut().find(|e| e.source == event.source && e.target == event.target && e.code == event.code) {
            Some(first) => {
                if !(first.sentence == event.sentence && first.span == event.span) {
                    first.mentions.push(EventMention {
                        sentence: event.sentence,
                        span: event.span,
                        verb_text: event.verb_text,
                    });
                }
                first.confidence = first.confidence.max(event.confidence);
            }
            None => merged.push(event),
        }
    }
    merged
}

/// The normalized words of a sentence, for the discard list.
fn sentence_words<'t>(text: &str, tokens: impl Iterator<Item = &'t Token>) -> Vec<String> {
    tokens.filter(|t| t.kind != crate::text::TokenKind::Punct).map(|t| normalize_word(&text[t.span])).collect()
}

/// Whether sentence `index` can give an event: every event has an actor, so the sentence must
/// mention one, or hold a pronoun that may stand for one coded earlier in the article. The other
/// sentences are not parsed at all, and parsing is most of the time coding takes: much newswire
/// is figures and companies ("Net profit rose 12 pct to 1.2 mln dlrs").
fn may_have_event(text: &str, sentence: &TaggedSentence, index: usize, actors: &ActorCoding) -> bool {
    // Mentions are in text order.
    let first = actors.mentions.partition_point(|m| m.sentence < index);
    if actors.mentions.get(first).is_some_and(|m| m.sentence == index) {
        return true;
    }
    actors.mentions[..first].iter().any(|m| m.code.is_some())
        && sentence.tokens.iter().any(|t| pronoun_wants_person(&normalize_word(&text[t.token.span])).is_some())
}

/// For a personal pronoun, whether it stands for a person (`he`) or for a group, an organization
/// or a state (`they`, `its`); `None` for any other word.
fn pronoun_wants_person(key: &str) -> Option<bool> {
    match key {
        "he" | "she" | "him" | "her" | "his" => Some(true),
        // "The Fijian rebels said they will release...".
        "it" | "its" | "they" | "them" | "their" => Some(false),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// A sentence as the coder sees it

/// An actor found for a role: a mention, or a mention whose code an agent noun refined.
#[derive(Clone, Debug, PartialEq)]
struct ActorRef {
    code: String,
    span: Span,
    /// Whether it was the argument itself (not found deeper in its phrase or through a pronoun).
    direct: bool,
    /// An agent with no country (`---GOV`, or a prefix agent's code such as `NGO`), which a
    /// coordinated partner's country may complete.
    bare_agent: bool,
}

struct SentenceView<'a> {
    text: &'a str,
    parsed: &'a ParsedSentence,
    index: usize,
    children: Vec<Vec<usize>>,
    keys: Vec<String>,
    lemmas: Vec<String>,
    /// The hashes of every key and lemma, for [`CompiledPattern::required`].
    words: FxHashSet<u64>,
    /// Token → the mention covering it (index into `mentions`).
    mention_of: Vec<Option<usize>>,
    mentions: &'a [Mention],
    /// Mentions of earlier sentences and of this one, for pronouns.
    dictionaries: &'a Dictionaries,
    /// Index of this sentence's first mention in `mentions`.
    first_mention: usize,
    /// Compound partners of each mention (indices into `mentions`), including itself.
    compounds: &'a ActorCoding,
}

impl<'a> SentenceView<'a> {
    fn new(
        text: &'a str,
        parsed: &'a ParsedSentence,
        index: usize,
        actors: &'a ActorCoding,
        dictionaries: &'a Dictionaries,
    ) -> SentenceView<'a> {
        let n = parsed.tokens.len();
        let mut children = vec![Vec::new(); n];
        for (idx, token) in parsed.tokens.iter().enumerate() {
            if let Some(head) = token.head.filter(|&h| h < n) {
                children[head].push(idx);
            }
        }
        let keys: Vec<String> = parsed.tokens.iter().map(|t| normalize_word(&text[t.token.span])).collect();
        let lemmas: Vec<String> = parsed.tokens.iter().map(|t| normalize_word(&t.lemma)).collect();
        let words = keys.iter().chain(&lemmas).map(|word| hash_str(word)).collect();
        let mut mention_of = vec![None; n];
        let first_mention = actors.mentions.iter().position(|m| m.sentence >= index).unwrap_or(actors.mentions.len());
        for (m_idx, mention) in actors.mentions.iter().enumerate().skip(first_mention) {
            if mention.sentence != index {
                break;
            }
            for slot in mention_of.iter_mut().take(mention.tokens.1.min(n)).skip(mention.tokens.0) {
                *slot = Some(m_idx);
            }
        }
        SentenceView {
            text,
            parsed,
            index,
            children,
            keys,
            lemmas,
            words,
            mention_of,
            mentions: &actors.mentions,
            dictionaries,
            first_mention,
            compounds: actors,
        }
    }

    fn len(&self) -> usize {
        self.parsed.tokens.len()
    }

    fn deprel(&self, idx: usize) -> &'static str {
        self.parsed.tokens[idx].deprel
    }

    fn head(&self, idx: usize) -> Option<usize> {
        self.parsed.tokens[idx].head.filter(|&h| h < self.len())
    }

    fn is_punct(&self, idx: usize) -> bool {
        self.parsed.tokens[idx].token.kind == crate::text::TokenKind::Punct
    }

    fn children_with<'s>(&'s self, idx: usize, relations: &'s [&'s str]) -> impl Iterator<Item = usize> + 's {
        self.children[idx].iter().copied().filter(move |&c| {
            let deprel = self.deprel(c);
            relations.iter().any(|r| *r == deprel || (!r.contains(':') && deprel.split(':').next() == Some(*r)))
        })
    }

    /// Whether `ancestor` dominates `idx` (or is it).
    fn dominates(&self, ancestor: usize, mut idx: usize) -> bool {
        for _ in 0..=self.len() {
            if idx == ancestor {
                return true;
            }
            match self.head(idx) {
                Some(head) => idx = head,
                None => return false,
            }
        }
        false
    }

    /// The tokens of `idx`'s subtree in text order, leaving out the subtrees of dependents whose
    /// relation is in `cut` (clauses that are coded on their own).
    fn subtree(&self, idx: usize, cut: &[&str]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![idx];
        while let Some(node) = stack.pop() {
            out.push(node);
            for &child in &self.children[node] {
                if !cut.contains(&self.deprel(child)) {
                    stack.push(child);
                }
            }
            if out.len() > self.len() {
                break;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn matches_word(&self, idx: usize, word: &str) -> bool {
        self.keys[idx] == word || self.lemmas[idx] == word
    }

    fn span_of(&self, idx: usize) -> Span {
        self.parsed.tokens[idx].token.span
    }

    fn is_relative_pronoun(&self, idx: usize) -> bool {
        matches!(self.keys[idx].as_str(), "who" | "which" | "that" | "whom")
    }

    /// The agent an argument's head word names ("lawmakers" = LEG, "officials" = GOV), if any.
    fn agent(&self, idx: usize) -> Option<&'a AgentEntry> {
        let agents = &self.dictionaries.agents;
        agents.lookup_key(&self.keys[idx]).or_else(|| agents.lookup_key(&self.lemmas[idx]))
    }
}

/// Relations whose subtrees are clauses of their own, never part of another verb's arguments.
const CLAUSES: &[&str] =
    &["conj", "parataxis", "advcl", "ccomp", "csubj", "csubj:pass", "acl:relcl", "advcl:relcl", "punct"];

/// Prepositions that say where something happened rather than to whom.
const LOCATIVE: &[&str] =
    &["in", "at", "near", "inside", "outside", "throughout", "across", "around", "within", "along"];

/// Relations of a verb's dependents that are not its objects.
const NOT_OBJECTS: &[&str] = &[
    "nsubj",
    "nsubj:pass",
    "nsubj:outer",
    "expl",
    "aux",
    "aux:pass",
    "cop",
    "mark",
    "cc",
    "punct",
    "advmod",
    "discourse",
    "vocative",
    "compound:prt",
    "conj",
    "parataxis",
    "advcl",
    "ccomp",
    "csubj",
    "csubj:pass",
    "dep",
    "obl:agent",
    "obl:tmod",
    "obl:npmod",
    "nmod:tmod",
    "advcl:relcl",
];

// ---------------------------------------------------------------------------------------------
// Coding one sentence

/// What a verb coded to, before chains are folded.
#[derive(Clone, Debug)]
struct VerbCoding {
    verb: usize,
    /// The verb's own tokens (more than one for a multi-word verb).
    verb_tokens: Vec<usize>,
    code: EventCode,
    /// Actor bindings from the pattern.
    sources: Vec<ActorRef>,
    targets: Vec<ActorRef>,
    compound: bool,
    specific: bool,
    rule: Provenance,
    /// Set when a governing verb took this verb's event into its own.
    folded: bool,
    /// An act announced for the future (an intent or a threat), not done.
    announced: bool,
}

struct SentenceCoder<'a, 'v> {
    view: &'v SentenceView<'a>,
    lexicon: &'v Lexicon,
    dictionaries: &'v Dictionaries,
    options: CodingOptions,
    /// The article's time expressions, for dating events.
    times: &'v [TimeExpr],
    /// The day relative times were resolved against.
    now: Option<Date>,
    /// Who the article's pronouns and descriptions stand for.
    coreference: &'v Coreference,
    history: &'v mut Vec<Diagnostic>,
    location: &'v Location,
    /// Notes written when explaining (`CodingOptions::explain`).
    notes: std::cell::RefCell<Vec<String>>,
}

/// The text of the pattern with provenance `rule` in `block`, or `no pattern`.
fn best_text(block: &lexicon::Block, rule: Provenance) -> String {
    block
        .patterns
        .iter()
        .find(|p| p.provenance == rule)
        .map_or_else(|| "no pattern".to_string(), |p| format!("pattern {:?}", p.text))
}

impl SentenceCoder<'_, '_> {
    fn explain(&self, note: String) {
        self.notes.borrow_mut().push(note);
    }

    fn code(&mut self) -> Vec<Event> {
        let view = self.view;
        let mut codings: Vec<VerbCoding> = (0..view.len()).filter_map(|idx| self.code_verb(idx)).collect();
        self.fold_chains(&mut codings);
        for note in self.notes.take() {
            self.history.push(Diagnostic::new(Severity::Note, "explain", self.location.clone(), note));
        }
        let mut events = Vec::new();
        for coding in codings.iter().filter(|c| !c.folded) {
            let verb_text = &view.text[view.span_of(coding.verb)];
            if let Some(condition) = self.condition(coding.verb) {
                self.history.push(Diagnostic::new(
                    Severity::Note,
                    "hypothetical",
                    self.location.clone(),
                    format!("sentence {}: {verb_text:?} is under {condition:?}; a condition is not an act", view.index),
                ));
                continue;
            }
            let anchor = self.anchor(coding);
            let historical = matches!((anchor, self.now), (Some(anchor), Some(now)) if anchor.value.is_historical(now));
            if historical {
                let when =
                    anchor.and_then(|a| a.span).map_or(String::new(), |span| format!(" ({:?})", &view.text[span]));
                let dated = anchor.map_or(String::new(), |a| a.value.to_string());
                self.history.push(Diagnostic::new(
                    Severity::Note,
                    "historical",
                    self.location.clone(),
                    format!(
                        "sentence {}: {verb_text:?} is dated {dated}{when}: history, not an event of the article's date{}",
                        view.index,
                        if self.options.historical { "; kept, flagged" } else { "" }
                    ),
                ));
                if !self.options.historical {
                    continue;
                }
            }
            events.extend(self.events_of(coding, anchor, historical).into_iter().map(|e| (coding.verb, e)));
        }
        self.yield_reports(events)
    }

    /// A bare report (`010`, "make a statement") stands aside for the act it reports: in "Iran and
    /// Iraq agreed to set up a commission, officials said" and "Putin said that Ukraine attacked
    /// Russia" the events are the agreement and the attack, and the report only says who told
    /// them. It stays when it reports nothing coded ("Putin highlighted the importance of
    /// relations") or is told to someone the act does not name ("Putin told Erdogan that..."); a
    /// report of history is today's news about the past ("Putin highlighted the ties, noting that
    /// relations were established in 1944").
    fn yield_reports(&self, events: Vec<(usize, Event)>) -> Vec<Event> {
        let view = self.view;
        let reports = |verb: usize, other: usize| view.dominates(verb, other) || view.dominates(other, verb);
        let acts: Vec<(usize, &Event)> =
            events.iter().filter(|(_, e)| e.code != "010" && !e.historical).map(|(verb, e)| (*verb, e)).collect();
        let yields = |verb: usize, report: &Event| {
            report.code == "010"
                && acts.iter().any(|(act, e)| {
                    *act != verb
                        && reports(verb, *act)
                        && (report.target == "---" || report.target == e.source || report.target == e.target)
                })
        };
        let kept: Vec<bool> = events.iter().map(|(verb, event)| !yields(*verb, event)).collect();
        events.into_iter().zip(kept).filter(|(_, kept)| *kept).map(|((_, event), _)| event).collect()
    }

    /// The time an event is dated by: that of its verb's clause. An act announced for the future
    /// ("will visit Damascus next week") is an intent or a threat made when it was announced: the
    /// time of the clause that reports it, else the article's.
    fn anchor(&self, coding: &VerbCoding) -> Option<Anchor> {
        let view = self.view;
        let start = if coding.announced {
            match view.head(coding.verb) {
                Some(head) => head,
                None => return self.now.map(Anchor::article),
            }
        } else {
            coding.verb
        };
        anchor(view.parsed, view.index, start, self.times, self.now)
    }

    /// The word that makes the verb's clause a condition ("if Iran attacks", "unless talks
    /// resume"): such a clause says what would follow an act, not that it happened.
    fn condition(&self, verb: usize) -> Option<String> {
        let view = self.view;
        let mut node = verb;
        for _ in 0..view.len() {
            // "if" opening a complement is "whether": "did not remember if he had approved".
            let complement = matches!(view.deprel(node), "ccomp" | "csubj" | "csubj:pass");
            if let Some(mark) =
                view.children_with(node, &["mark"]).find(|&m| CONDITIONS.contains(&view.keys[m].as_str()))
            {
                return (!complement).then(|| view.text[view.span_of(mark)].to_string());
            }
            // A coordinated verb shares the condition only when it shares the subject.
            let own_subject = view.children_with(node, &["nsubj", "nsubj:pass", "expl"]).next().is_some();
            match (view.deprel(node), view.head(node)) {
                ("xcomp", Some(head)) => node = head,
                ("conj", Some(head)) if !own_subject => node = head,
                _ => return None,
            }
        }
        None
    }

    /// Finds `idx` in the verb dictionary and matches its patterns.
    fn code_verb(&self, idx: usize) -> Option<VerbCoding> {
        let view = self.view;
        let token = &view.parsed.tokens[idx];
        if !matches!(token.upos, Upos::Verb) {
            return None;
        }
        let (form, verb_tokens) = self.find_verb(idx)?;
        let block = &self.lexicon.blocks[form.block];
        let after = self.after_region(idx, &verb_tokens);
        let before = self.before_region(idx);
        // The most specific pattern wins; then the one that takes hold closest to the verb (its
        // object before a later prepositional phrase); among equals the later one, as in PETRARCH2,
        // whose pattern trie lets a later duplicate overwrite an earlier one ("* SUPPORT" is [032]
        // for ASSERT and then [051] for SAY in the same block).
        let mut best: Option<(&CompiledPattern, Bindings, PatternRank)> = None;
        let matcher = Matcher { view, lexicon: self.lexicon };
        for pattern in &block.patterns {
            if best.as_ref().is_some_and(|(b, _, _)| b.weight > pattern.weight)
                || !pattern.required.iter().all(|word| view.words.contains(word))
            {
                continue;
            }
            let Some((reach, after_bindings)) = matcher.pattern_part(&after, &pattern.after) else { continue };
            // A pattern that is one bare word after the verb names its particle ("pressed on",
            // "- * ON"); a preposition inside the object ("demanded that the government end curbs
            // on press freedom") is no particle: a prepositional phrase is written "(ON ...)".
            if let [Elem::Words(words)] = pattern.after.as_slice() {
                let token = after[reach - 1];
                if words.len() == 1 && view.deprel(token) == "case" && view.head(token) != Some(idx) {
                    continue;
                }
            }
            let Some((_, before_bindings)) = matcher.pattern_part(&before, &pattern.before) else { continue };
            let rank = (pattern.weight, std::cmp::Reverse(reach));
            if best.as_ref().is_some_and(|(_, _, best_rank)| *best_rank > rank) {
                continue;
            }
            let mut bindings = before_bindings;
            bindings.extend(after_bindings);
            best = Some((pattern, bindings, rank));
        }
        let (code, bindings, specific, rule) = match best {
            Some((pattern, bindings, _)) => (pattern.code.clone(), bindings, true, pattern.provenance),
            None => (form.code.clone(), Vec::new(), false, form.provenance),
        };
        if self.options.explain {
            let pattern = best_text(block, rule);
            self.explain(format!(
                "sentence {}: {:?} is {} in block {} ({}): code {code}",
                view.index,
                &view.text[view.span_of(idx)],
                form.words.join(" "),
                block.meaning,
                pattern,
            ));
        }
        let mut coding = VerbCoding {
            verb: idx,
            verb_tokens,
            code,
            sources: Vec::new(),
            targets: Vec::new(),
            compound: false,
            specific,
            rule,
            folded: false,
            announced: false,
        };
        for (role, mention) in bindings {
            let actors = self.expand_mention(mention, true);
            match role {
                Role::Source => coding.sources.extend(actors),
                Role::Target => coding.targets.extend(actors),
                Role::Compound => {
                    coding.compound = true;
                    coding.sources.extend(actors);
                }
            }
        }
        Some(coding)
    }

    /// The dictionary form of the verb at `idx`, preferring multi-word verbs whose other words are
    /// there ("cordoned off": a particle child or the next word; "wire tap": the word before).
    fn find_verb(&self, idx: usize) -> Option<(&FormEntry, Vec<usize>)> {
        let view = self.view;
        let mut best: Option<(&FormEntry, Vec<usize>)> = None;
        let candidates = self.lexicon.forms(&view.keys[idx]).iter().chain(self.lexicon.forms(&view.lemmas[idx]));
        for form in candidates {
            let Some(tokens) = self.place_form(idx, form) else { continue };
            if best.as_ref().is_none_or(|(b, _)| b.words.len() < form.words.len()) {
                best = Some((form, tokens));
            }
        }
        best
    }

    fn place_form(&self, idx: usize, form: &FormEntry) -> Option<Vec<usize>> {
        let view = self.view;
        let mut tokens = vec![idx];
        // Words before the verb proper must come right before it.
        for (offset, word) in form.words[..form.head].iter().rev().enumerate() {
            let at = idx.checked_sub(offset + 1)?;
            if !view.matches_word(at, word) {
                return None;
            }
            tokens.push(at);
        }
        // Words after it: a particle or object child, or the following words.
        let mut next = idx + 1;
        for word in &form.words[form.head + 1..] {
            let child = view.children[idx].iter().copied().find(|&c| {
                matches!(view.deprel(c), "compound:prt" | "advmod" | "obl" | "obj" | "case" | "mark")
                    && view.matches_word(c, word)
            });
            let at = match child {
                Some(child) => child,
                None if next < view.len() && view.matches_word(next, word) => next,
                None => return None,
            };
            tokens.push(at);
            next = at + 1;
        }
        tokens.sort_unstable();
        Some(tokens)
    }

    /// Tokens a pattern's words after `*` are matched against: the verb's objects, obliques and
    /// complements after it, without clauses coded on their own and without punctuation.
    fn after_region(&self, verb: usize, verb_tokens: &[usize]) -> Vec<usize> {
        let view = self.view;
        let mut region = Vec::new();
        for &child in &view.children[verb] {
            if child < verb || verb_tokens.contains(&child) || CLAUSES.contains(&view.deprel(child)) {
                continue;
            }
            if matches!(view.deprel(child), "nsubj" | "nsubj:pass" | "aux" | "aux:pass" | "cop") {
                continue;
            }
            // Patterns describe the active voice: a passive verb's `by` agent is its subject, not
            // part of what follows it ("were attacked by Russian aircraft" is not "attacked
            // aircraft").
            if self.is_passive(verb) && self.agent_args(verb).contains(&child) {
                continue;
            }
            region.extend(view.subtree(child, CLAUSES));
        }
        region.retain(|&t| !view.is_punct(t) && t > verb);
        region.sort_unstable();
        region.dedup();
        // A passive verb's subject is what the active verb's object would be: "diplomatic relations
        // were established" matches "- * {DIPLOMATIC RELATIONS}" as "established diplomatic
        // relations" does. It comes first, where the object would stand.
        if self.is_passive(verb) && view.children_with(verb, &["obj"]).next().is_none() {
            let mut patient: Vec<usize> = view
                .children_with(verb, &["nsubj:pass", "nsubj"])
                .filter(|&s| s < verb && !view.is_relative_pronoun(s))
                .flat_map(|s| view.subtree(s, CLAUSES))
                .filter(|&t| !view.is_punct(t) && t < verb)
                .collect();
            patient.sort_unstable();
            patient.dedup();
            patient.extend(region);
            return patient;
        }
        region
    }

    /// Tokens a pattern's words before `*` are matched against: the subject, and the auxiliaries,
    /// adverbs and governing verbs of the chain up to the clause's head ("will", "has", "recently").
    fn before_region(&self, verb: usize) -> Vec<usize> {
        let view = self.view;
        let mut region = Vec::new();
        if let Some((subjects, _)) = self.subject_args(verb) {
            for subject in subjects {
                region.extend(view.subtree(subject, CLAUSES));
            }
        }
        let mut node = verb;
        for _ in 0..view.len() {
            for child in view.children_with(node, &["aux", "advmod", "cop", "compound:prt"]) {
                if child < verb {
                    region.extend(view.subtree(child, CLAUSES));
                }
            }
            if node != verb && node < verb {
                region.push(node);
            }
            match (view.deprel(node), view.head(node)) {
                ("xcomp" | "conj", Some(head)) => node = head,
                _ => break,
            }
        }
        region.retain(|&t| !view.is_punct(t) && t < verb);
        region.sort_unstable();
        region.dedup();
        region
    }

    /// The verb's subject arguments, and whether they are patients (passive subjects, or the noun a
    /// passive participle modifies). Follows the chains that share a subject: infinitive complements
    /// (the governing verb's object if it has one: "urged Bree to help"), coordinated verbs,
    /// participle clauses, and relative clauses (whose subject is the noun they modify).
    fn subject_args(&self, verb: usize) -> Option<(Vec<usize>, bool)> {
        let view = self.view;
        let mut node = verb;
        for _ in 0..view.len() {
            let subject: Vec<usize> = view.children_with(node, &["nsubj:pass"]).collect();
            if !subject.is_empty() {
                // The passive subject of a governing verb is the active subject of the verb it
                // governs: "Gollum was seen to break into the parade".
                return Some((subject, node == verb));
            }
            let mut subject: Vec<usize> = view.children_with(node, &["nsubj", "nsubj:outer"]).collect();
            // Readiness takes a real subject, never a dummy one: "announced that it is prepared to
            // impose martial law", where the parser may read "it" as an expletive.
            if subject.is_empty() && READINESS.contains(&view.keys[node].as_str()) {
                subject.extend(view.children_with(node, &["expl"]));
            }
            if let Some(&first) = subject.first() {
                if view.is_relative_pronoun(first) {
                    if view.deprel(node).starts_with("acl") {
                        return view.head(node).map(|noun| (vec![noun], false));
                    }
                    // A relative clause the parser hung elsewhere ("a difficult time for Russia,
                    // which was then fighting", read as parataxis) is still about the name the
                    // pronoun follows.
                    if let Some(noun) = self.coreference.relative_antecedent(view.index, first) {
                        return Some((vec![noun], false));
                    }
                }
                // A passive auxiliary makes the subject a patient even where the parser labelled
                // it a plain subject ("The Philippines was heavily criticized").
                let passive = node == verb && self.is_passive(node);
                return Some((subject, passive));
            }
            let head = view.head(node)?;
            match view.deprel(node) {
                "xcomp" => {
                    let object: Vec<usize> = view.children_with(head, &["obj", "iobj"]).filter(|&o| o < node).collect();
                    if !object.is_empty() {
                        return Some((object, false));
                    }
                    node = head;
                }
                "conj" | "advcl" => node = head,
                // A clausal complement has a subject of its own; one without, under a form of
                // "have" or "be", is a verb group the parser split ("Bangladesh has [root] ...
                // rejected [ccomp] an Indian proposal"), whose subject is the auxiliary's.
                "ccomp" if matches!(view.lemmas[head].as_str(), "have" | "be") => node = head,
                "acl:relcl" => return Some((vec![head], false)),
                "acl" => {
                    // "troops sent to the border": the noun undergoes a passive participle. A
                    // participle with an object of its own is active, whatever its tag ("aircraft
                    // ... killed 46 civilians" misread as a modifier).
                    let passive = view.parsed.tokens[node].xpos == "VBN"
                        && view.children_with(node, &["obj", "iobj"]).next().is_none()
                        && view.children_with(node, &["obl:agent"]).all(|agent| self.has_by(agent));
                    // A document does what its author says in it: "The Kurdistan Workers' Party
                    // issued a declaration demanding that...": the party demands.
                    if !passive && DOCUMENTS.contains(&view.lemmas[head].as_str()) {
                        if let (Some(issuer), "obj" | "obl") = (view.head(head), view.deprel(head)) {
                            if view.parsed.tokens[issuer].upos == Upos::Verb {
                                node = issuer;
                                continue;
                            }
                        }
                    }
                    return Some((vec![head], passive));
                }
                _ => return None,
            }
        }
        None
    }

    /// The actors a phrase over `tokens` names, agents applied.
    fn phrase_actors(&self, head: usize, tokens: &[usize]) -> Vec<ActorRef> {
        self.phrase_from(head, tokens).into_actors()
    }

    /// The actors of a verb's subjects. UD gives a verb one subject; two mean the parser split a
    /// phrase, which is then read as one.
    fn subject_actors(&self, subjects: &[usize]) -> Vec<ActorRef> {
        match subjects {
            [] => Vec::new(),
            [subject] => self.actors_of(*subject),
            several => self.phrase_of(several).into_actors(),
        }
    }

    /// A passive auxiliary, or a past participle with a form of "be" or "get" as its auxiliary
    /// ("was criticized", where a parser may not mark the auxiliary as passive).
    fn is_passive(&self, verb: usize) -> bool {
        let view = self.view;
        view.children_with(verb, &["aux:pass"]).next().is_some()
            || (view.parsed.tokens[verb].xpos == "VBN"
                && view.children_with(verb, &["aux"]).any(|aux| matches!(view.lemmas[aux].as_str(), "be" | "get")))
    }

    /// When the parse gives an active verb no subject with an actor, the phrase right before it
    /// (back to the previous verb, clause mark or punctuation other than a comma), read as
    /// PETRARCH reads noun phrases: "The activists of Amnesty International are about to restore
    /// ties", "Iran's religious leader Ayatollah Ruhollah Khomeini today rejected", which a
    /// parser can get wrong.
    fn preceding_actor(&self, verb: usize) -> Vec<ActorRef> {
        let view = self.view;
        let mut start = verb;
        while start > 0 {
            let token = &view.parsed.tokens[start - 1];
            // An auxiliary the tagger took for a verb ("Katsav has refused") does not end the
            // subject's phrase.
            let auxiliary = matches!(view.deprel(start - 1), "aux" | "aux:pass" | "cop");
            if matches!(token.upos, Upos::Verb | Upos::Sconj) && !auxiliary
                || matches!(view.keys[start - 1].as_str(), ";" | ":" | "\"" | "“" | "”")
            {
                break;
            }
            start -= 1;
        }
        let chunk: Vec<usize> = (start..verb).filter(|&t| !view.is_punct(t)).collect();
        if chunk.iter().all(|&t| view.mention_of[t].is_none()) {
            return Vec::new();
        }
        let phrase = self.phrase_of_tokens(&chunk);
        let (agent, span) = (phrase.agents.first().cloned(), phrase.span);
        let mut actors = phrase.into_actors();
        if actors.is_empty() {
            if let Some(agent) = agent {
                actors.push(ActorRef { code: agent, span, direct: false, bare_agent: true });
            }
        }
        for actor in &mut actors {
            actor.direct = false;
        }
        actors
    }

    /// A subject name the dictionaries do not know, read with the words right before it that
    /// the parser hung on the verb instead: "Libya's renegade Gen. Khalifa Haftar has declared",
    /// with "Libya's" taken for the verb's. The words run back from the name to the sentence's
    /// start, a punctuation mark, a verb, a conjunction or a preposition; the actor must be
    /// among them, so that "Funaro and Gros ... in Washington talking to government officials
    /// and will visit" stays without one.
    fn name_with_words_before(&self, name: usize, verb: usize) -> Vec<ActorRef> {
        let view = self.view;
        if view.parsed.tokens[name].upos != Upos::Propn || view.mention_of[name].is_some() {
            return Vec::new();
        }
        let subject = view.subtree(name, PHRASE_CUTS);
        let (Some(&first), Some(&last)) = (subject.first(), subject.last()) else { return Vec::new() };
        if last >= verb {
            return Vec::new();
        }
        let mut start = first;
        while start > 0 {
            let token = &view.parsed.tokens[start - 1];
            let stop =
                matches!(token.upos, Upos::Verb | Upos::Aux | Upos::Cconj | Upos::Sconj | Upos::Adp | Upos::Punct);
            if stop {
                break;
            }
            start -= 1;
        }
        if start == first {
            return Vec::new();
        }
        let chunk: Vec<usize> = (start..=last).filter(|&t| !view.is_punct(t)).collect();
        let mut actors = self.phrase_of_tokens(&chunk).into_actors();
        for actor in &mut actors {
            actor.direct = false;
        }
        actors
    }

    /// The `by` agent of a passive verb.
    fn agent_args(&self, verb: usize) -> Vec<usize> {
        let view = self.view;
        let mut agents: Vec<usize> =
            view.children_with(verb, &["obl:agent"]).filter(|&agent| self.has_by(agent)).collect();
        if agents.is_empty() {
            agents = view
                .children_with(verb, &["obl"])
                .filter(|&obl| view.children_with(obl, &["case"]).any(|case| view.keys[case] == "by"))
                .collect();
        }
        agents
    }

    /// Whether a phrase is marked by "by". An `obl:agent` without it is an object the parser
    /// misread: "Yeltsin on Saturday hosted Japanese Prime Minister Ryutaro Hashimoto", with
    /// "hosted" taken for a participle modifying "Yeltsin" and its object for the agent.
    fn has_by(&self, arg: usize) -> bool {
        let view = self.view;
        view.children_with(arg, &["case"]).any(|case| view.keys[case] == "by")
    }

    /// The verb's object arguments in order: indirect and direct objects, then obliques and
    /// complements, then the places where it happened ("in Moscow", "at the border"), which are
    /// targets only when nothing else is.
    fn object_args(&self, verb: usize) -> Vec<usize> {
        let view = self.view;
        let mut direct: Vec<usize> = view.children_with(verb, &["iobj", "obj"]).collect();
        direct.extend(view.children_with(verb, &["obl:agent"]).filter(|&agent| !self.has_by(agent)));
        let (mut places, mut rest) = (Vec::new(), Vec::new());
        for &child in &view.children[verb] {
            let deprel = view.deprel(child);
            if NOT_OBJECTS.contains(&deprel) || matches!(deprel, "iobj" | "obj") || child < verb {
                continue;
            }
            let locative =
                view.children_with(child, &["case"]).any(|case| LOCATIVE.contains(&view.keys[case].as_str()));
            if locative {
                places.push(child)
            } else {
                rest.push(child)
            }
        }
        direct.extend(rest);
        direct.extend(places);
        // A phrase the parser hung on an adverb ("act now with Libya"), last.
        for adverb in view.children_with(verb, &["advmod"]).filter(|&a| a > verb) {
            direct.extend(view.children_with(adverb, &["obl", "nmod"]));
        }
        direct
    }

    /// The actors of an argument and of the arguments coordinated with it ("Lawmakers and
    /// officials in Fornost and Gondor"). A conjunct that names only agents takes the countries of
    /// its coordinated partners: "in Fornost and Gondor" belongs to both, and "the Danish media and
    /// government" are DNKMED and DNKGOV.
    fn actors_of(&self, arg: usize) -> Vec<ActorRef> {
        let view = self.view;
        let mut group = vec![arg];
        let mut idx = 0;
        while idx < group.len() && group.len() <= view.len() {
            group.extend(view.children_with(group[idx], &["conj"]));
            idx += 1;
        }
        let phrases: Vec<Phrase> = group.iter().map(|&member| self.phrase(member)).collect();
        let countries: Vec<ActorRef> = phrases
            .iter()
            .flat_map(|phrase| &phrase.bases)
            .filter(|base| !base.code.starts_with("---"))
            .map(|base| ActorRef { code: base.code.get(..3).unwrap_or(&base.code).to_string(), ..base.clone() })
            .collect();
        let mut actors = Vec::new();
        for phrase in phrases {
            if phrase.pronoun.is_some() || !phrase.bases.is_empty() {
                actors.extend(phrase.into_actors());
            } else if let Some(agent) = phrase.agents.first() {
                if countries.is_empty() {
                    actors.push(ActorRef {
                        code: agent.clone(),
                        span: phrase.span,
                        direct: phrase.head_is_agent,
                        bare_agent: true,
                    });
                }
                for country in &countries {
                    let code = phrase.agents.iter().fold(country.code.clone(), |code, agent| apply_agent(agent, &code));
                    actors.push(ActorRef { code, span: phrase.span, direct: false, bare_agent: false });
                }
            }
        }
        dedup_actors(&mut actors);
        actors
    }

    /// What one argument phrase names: a pronoun's antecedent, or its first actor mention (with
    /// the compound partners coordinated inside it) and the agents it names ("Soldiers from
    /// Gondor" = GON and MIL, "An MSF Arnor diplomat" = ARNGOV and NGO, "Dagolath's first Deputy
    /// Prime Minister" = DAG and GOV).
    fn phrase(&self, arg: usize) -> Phrase {
        self.phrase_of(&[arg])
    }

    /// [`SentenceCoder::phrase`] over several roots read as one phrase: a verb's subjects when
    /// the parse gave it more than one ("Dagolath's ... Minister | Telemar left").
    fn phrase_of(&self, roots: &[usize]) -> Phrase {
        let view = self.view;
        let mut tokens: Vec<usize> = roots.iter().flat_map(|&root| view.subtree(root, PHRASE_CUTS)).collect();
        tokens.sort_unstable();
        tokens.dedup();
        let Some(&arg) = roots.last() else {
            return Phrase {
                bases: Vec::new(),
                agents: Vec::new(),
                pronoun: None,
                span: Span::default(),
                head_is_agent: false,
            };
        };
        self.phrase_from(arg, &tokens)
    }

    /// [`SentenceCoder::phrase`] over a run of tokens taken from the text, not the tree.
    fn phrase_of_tokens(&self, tokens: &[usize]) -> Phrase {
        match tokens.last() {
            Some(&last) => self.phrase_from(last, tokens),
            None => Phrase {
                bases: Vec::new(),
                agents: Vec::new(),
                pronoun: None,
                span: Span::default(),
                head_is_agent: false,
            },
        }
    }

    /// The phrase over `tokens` whose head is `arg`.
    fn phrase_from(&self, arg: usize, tokens: &[usize]) -> Phrase {
        let view = self.view;
        let direct = view.mention_of[arg];
        let span = direct.map_or(view.span_of(arg), |m| view.mentions[m].span);
        if direct.is_none() {
            if let Some(actor) = self.pronoun(arg) {
                return Phrase {
                    bases: Vec::new(),
                    agents: Vec::new(),
                    pronoun: Some(actor),
                    span,
                    head_is_agent: false,
                };
            }
        }
        let mut mentions: Vec<usize> = tokens.iter().filter_map(|&t| view.mention_of[t]).collect();
        mentions.dedup();
        let mut agents: Vec<String> = Vec::new();
        let mut base: Option<usize> = None;
        // An argument that names only an agent is that agent where the sentence names it: "held
        // talks with [Minister of Foreign Affairs ...]", not "talks".
        let mut span = span;
        for &mention in &mentions {
            let Some(code) = view.mentions[mention].code.as_deref() else { continue };
            if view.mentions[mention].kind == crate::actors::MentionKind::Agent {
                if agents.is_empty() && direct.is_none() && view.agent(arg).is_none() {
                    span = view.mentions[mention].span;
                }
                agents.push(code.to_string());
            } else if base.is_none() {
                base = Some(mention);
            }
        }
        // The head noun itself may name an agent no mention covers ("ambassadors", "minister").
        if direct.is_none() {
            if let Some(agent) = view.agent(arg) {
                agents.push(match agent.code.placement {
                    crate::dict::agents::Placement::After => format!("---{}", agent.code.code),
                    crate::dict::agents::Placement::Before => agent.code.code.clone(),
                });
            }
        }
        let mut bases = base.map(|base| self.expand_mention(base, direct == Some(base))).unwrap_or_default();
        if bases.is_empty() && !agents.is_empty() {
            bases.extend(self.reporters_possession(arg));
        }
        let head_is_agent = direct.is_some_and(|m| view.mentions[m].kind == crate::actors::MentionKind::Agent);
        Phrase { bases, agents, pronoun: None, span, head_is_agent }
    }

    /// When `subject` is the subject of a reported clause ("Annan announced that he will..."),
    /// the subject arguments of the reporting verb, as [`SentenceCoder::subject_args`] gives them.
    fn reporters(&self, subject: usize) -> Option<(Vec<usize>, bool)> {
        let view = self.view;
        let clause = view.head(subject).filter(|_| view.deprel(subject) == "nsubj")?;
        let upper = view.head(clause).filter(|_| view.deprel(clause) == "ccomp")?;
        self.subject_args(upper)
    }

    /// The country of the reporter when the subject of a reported clause is the reporter's own
    /// agents: "Bosnian Serbs said their forces had completed their withdrawal" (BIHMIL), as a
    /// reported "he" is the reporter (see [`SentenceCoder::pronoun`]).
    fn reporters_possession(&self, noun: usize) -> Option<ActorRef> {
        let view = self.view;
        let possessor = view
            .children_with(noun, &["nmod:poss"])
            .find(|&p| matches!(view.keys[p].as_str(), "their" | "its" | "his" | "her"))?;
        let (subjects, false) = self.reporters(noun)? else { return None };
        let reporter = self.subject_actors(&subjects).into_iter().find(|actor| !actor.code.starts_with("---"))?;
        Some(ActorRef {
            code: reporter.code.get(..3)?.to_string(),
            span: view.span_of(possessor),
            direct: false,
            bare_agent: false,
        })
    }

    /// A mention and, when it is part of a compound coordinated inside its own phrase ("the
    /// ambassadors of Arnor, Osgiliath and Gondor"), its partners. Only partners the parse attaches
    /// as coordinated or listed count, so that "Opening a meeting with al Sharaa, Putin said" does
    /// not make "al Sharaa, Putin" a compound. Partners after an agent-of-country mention share its
    /// agent: the ambassadors are all governments' (ARNGOV, OSGGOV, GONGOV).
    fn expand_mention(&self, mention: usize, direct: bool) -> Vec<ActorRef> {
        let view = self.view;
        let primary = &view.mentions[mention];
        let head_of = |m: &Mention| {
            let (first, last) = m.tokens;
            (first..last.min(view.len()))
                .find(|&t| view.head(t).is_none_or(|h| h < first || h >= last))
                .unwrap_or(first)
        };
        let head = head_of(primary);
        let phrase = view.subtree(head, &["acl:relcl", "advcl", "parataxis", "ccomp", "punct"]);
        let in_sentence = view.first_mention..view.mentions.len();
        let mut candidates: Vec<usize> = view
            .compounds
            .compounds
            .iter()
            .find(|compound| compound.mentions.contains(&mention))
            .map(|compound| compound.mentions.clone())
            .unwrap_or_default();
        candidates.extend(in_sentence.filter(|&m| view.mentions[m].sentence == view.index));
        candidates.sort_unstable();
        candidates.dedup();
        let partners: Vec<usize> = candidates
            .into_iter()
            .filter(|&m| {
                let partner = &view.mentions[m];
                m != mention
                    && partner.kind != crate::actors::MentionKind::Agent
                    && partner.sentence == view.index
                    && ((phrase.contains(&head_of(partner))
                        && matches!(view.deprel(head_of(partner)), "conj" | "appos" | "list"))
                        || coordinated_in_text(view, primary, partner))
            })
            .collect();
        let shared_agent = (primary.kind == crate::actors::MentionKind::CountryAgent
            && view.text[primary.span].to_lowercase().contains(" of "))
        .then(|| primary.code.as_deref().and_then(|code| code.get(3..)))
        .flatten()
        .filter(|agent| !agent.is_empty());
        let mut actors: Vec<ActorRef> = primary
            .code
            .iter()
            .map(|code| ActorRef { code: code.clone(), span: primary.span, direct, bare_agent: false })
            .collect();
        for partner in partners {
            let partner = &view.mentions[partner];
            let Some(code) = partner.code.clone() else { continue };
            let code = match shared_agent {
                Some(agent) if code.len() == 3 && partner.span.start > primary.span.start => format!("{code}{agent}"),
                _ => code,
            };
            actors.push(ActorRef { code, span: partner.span, direct, bare_agent: false });
        }
        actors
    }

    /// The two sides of a relation at `noun`: those it names ("relations between Egypt and
    /// Iran"), or where it names none ("diplomatic relations"), those of the latest relation
    /// earlier in the sentence that names two ("the depth of Russia-Syria ties").
    fn relation_pair(&self, noun: usize) -> Vec<ActorRef> {
        let view = self.view;
        let is_relation = |t: usize| RELATIONS.contains(&view.lemmas[t].as_str());
        if !is_relation(noun) {
            return Vec::new();
        }
        // Every actor named inside the relation's phrase: the parser splits "Russia-Syria ties"
        // in ways no one argument relation covers.
        let named = |t: usize| {
            let mut mentions: Vec<usize> =
                view.subtree(t, RELATION_CUTS).into_iter().filter_map(|token| view.mention_of[token]).collect();
            mentions.dedup();
            mentions
                .into_iter()
                .filter_map(|m| {
                    let mention = &view.mentions[m];
                    let code = mention.code.clone()?;
                    Some(ActorRef { code, span: mention.span, direct: false, bare_agent: false })
                })
                .collect::<Vec<_>>()
        };
        let two = |actors: &Vec<ActorRef>| actors.iter().any(|a| a.code != actors[0].code);
        let own = named(noun);
        if !own.is_empty() {
            return if two(&own) { own } else { Vec::new() };
        }
        (0..noun).rev().filter(|&t| is_relation(t)).map(named).find(two).unwrap_or_default()
    }

    /// A personal pronoun's antecedent: the latest person mentioned before it in this sentence or
    /// the ones before ("Putin ... he said", "his Syrian counterpart").
    fn pronoun(&self, idx: usize) -> Option<ActorRef> {
        let view = self.view;
        let wants_person = pronoun_wants_person(&view.keys[idx])?;
        // The subject of a reported clause is first of all the reporter: "Kofi Annan announced
        // that he will withdraw inspectors" (whom the dictionary codes as the UN, IGOUNO, not as
        // a person).
        if wants_person {
            let reporter = self
                .reporters(idx)
                .and_then(|(subjects, _)| subjects.first().and_then(|&s| view.mention_of[s]))
                .map(|m| &view.mentions[m])
                .filter(|m| m.code.as_ref().is_some_and(|c| c.len() > 3) && m.kind != MentionKind::Capital);
            if let Some(reporter) = reporter {
                let code = reporter.code.clone()?;
                return Some(ActorRef { code, span: view.span_of(idx), direct: false, bare_agent: false });
            }
        }
        // Coreference knows gender, number and quotations: "“I back Trump,” he said" is not
        // Trump. What it leaves unresolved, or resolves to someone without a code, stays so.
        if let Some(referent) = self.coreference.antecedent(view.index, idx) {
            let code = referent.actor.clone()?;
            return Some(ActorRef { code, span: view.span_of(idx), direct: false, bare_agent: false });
        }
        let before = view.span_of(idx).start;
        let candidates = view.mentions[..view.first_mention].iter().chain(
            view.mentions[view.first_mention..].iter().take_while(|m| m.sentence == view.index && m.span.end <= before),
        );
        let person = candidates.filter(|m| is_person(m) == wants_person && m.code.is_some()).last()?;
        Some(ActorRef { code: person.code.clone()?, span: view.span_of(idx), direct: false, bare_agent: false })
    }

    /// Folds verb chains: a modal verb ("agreed", "urged", "threatened", "refused") governing a
    /// coded verb becomes one event with the combined code; negation changes or cancels codes.
    fn fold_chains(&self, codings: &mut [VerbCoding]) {
        self.fold_into_uppers(codings);
        // What a folded verb governed belongs to the same chain ("urged Bree to help win a role":
        // "win" is part of the appeal, not an event of its own).
        let view = self.view;
        for _ in 0..codings.len() {
            let folded: Vec<usize> = codings.iter().filter(|c| c.folded).map(|c| c.verb).collect();
            let mut changed = false;
            for coding in codings.iter_mut().filter(|c| !c.folded) {
                if view.head(coding.verb).is_some_and(|h| folded.contains(&h)) && self.is_complement(coding.verb) {
                    coding.folded = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    fn fold_into_uppers(&self, codings: &mut [VerbCoding]) {
        let view = self.view;
        // Deepest first, so that "said it would agree to provide" folds from the inside out.
        let mut order: Vec<usize> = (0..codings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(depth(view, codings[i].verb)));
        for &i in &order {
            if self.is_negated(codings[i].verb) {
                codings[i].code = negate_code(&codings[i].code);
            }
            let own_modality = codings[i].code.primary.as_deref().and_then(modality);
            if self.options.cameo_conventions
                && (self.has_aux(codings[i].verb, FUTURE) || self.is_readiness(codings[i].verb))
            {
                codings[i].code = future_code(&codings[i].code);
                codings[i].announced = true;
            }
            let upper = codings[i].verb;
            // A verb that lays an obligation on someone is a demand, even a dictionary verb with no
            // code of its own ("The Forum concluded that the US must allocate greater resources");
            // but agreeing that one should act is agreement ("Hungarian and Romanian officials
            // agreed that their countries should cooperate").
            let obliges = own_modality != Some(Modality::Intend);
            if self.options.cameo_conventions && obliges && self.fold_obligation(codings, i) {
                continue;
            }
            let Some(upper_code) = codings[i].code.primary.clone() else { continue };
            // The verb's own modality: a material act announced for the future ("would blockade
            // Paris to demand an end") is threatened, but does not govern its purpose clause as
            // "threatened to demand" would.
            let upper_modality = own_modality;
            if upper_modality == Some(Modality::Statement) {
                continue;
            }
            // A modal verb takes any complement; another verb takes its infinitive complement or
            // purpose clause ("called on Gondor to be allowed to leave" is one call, as PETRARCH2
            // codes verb nesting), but not a clause with a subject of its own.
            let lower = codings.iter().position(|c| {
                !c.folded
                    && view.head(c.verb) == Some(upper)
                    && self.is_complement(c.verb)
                    && (upper_modality.is_some() || view.deprel(c.verb) != "ccomp")
            });
            let Some(j) = lower else { continue };
            let Some(lower_code) = codings[j].code.primary.clone() else { continue };
            // Without a CAMEO combination, a lower verb that is itself a stance or a statement
            // ("will host Osgiliath to celebrate May Day") gives the event; a material act that
            // was only intended, demanded or refused does not happen, so the upper code stands.
            let combined = match upper_modality {
                // A statement asked of someone else ("demanding that the government provide
                // information") is still the demand or appeal; one's own ("will host Osgiliath to
                // celebrate May Day") is the statement.
                Some(upper_modality) => combine(upper_modality, &lower_code).unwrap_or_else(|| {
                    let asked = matches!(upper_modality, Modality::Demand | Modality::Appeal);
                    if is_stance(&lower_code) && !(asked && root_code(&lower_code) == "01") {
                        lower_code.clone()
                    } else {
                        upper_code.clone()
                    }
                }),
                None => upper_code.clone(),
            };
            let lower = codings[j].clone();
            codings[j].folded = true;
            // Actors the lower verb's pattern placed stay where it placed them; otherwise the
            // upper verb's own object, else the lower verb's target.
            let own_target = codings[i].targets.is_empty() && !self.find_target(upper, &[]).is_empty();
            let coding = &mut codings[i];
            coding.code = EventCode { primary: Some(combined), secondary: None };
            if !lower.sources.is_empty() {
                coding.sources = lower.sources;
                coding.compound |= lower.compound;
            }
            if coding.targets.is_empty() && !own_target {
                coding.targets = if lower.targets.is_empty() {
                    self.find_target(lower.verb, &coding.sources)
                } else {
                    lower.targets
                };
            }
            coding.verb_tokens.push(lower.verb);
            coding.verb_tokens.sort_unstable();
        }
    }

    /// "Serbia said Croatia must withdraw", "issued a reminder to Iraq that it must cooperate": a
    /// clause that lays an obligation on someone else makes the verb reporting it a demand on them
    /// (CAMEO 10x), one event from the speaker to the obliged. Returns whether it folded one.
    fn fold_obligation(&self, codings: &mut [VerbCoding], i: usize) -> bool {
        let view = self.view;
        let upper = codings[i].verb;
        let objects: Vec<usize> = view.children_with(upper, &["obj", "iobj"]).collect();
        let mut complements: Vec<usize> = view.children_with(upper, &["ccomp"]).collect();
        complements.extend(objects.iter().flat_map(|&object| view.children_with(object, &["acl", "ccomp"])));
        let Some(clause) = complements.into_iter().find(|&c| c > upper && self.has_aux(c, &["must", "should"])) else {
            return false;
        };
        // The obliged action: the clause's own verb, or the one its predicate governs ("must be
        // ready to mediate").
        let lower = codings.iter().position(|c| {
            !c.folded && (c.verb == clause || (view.head(c.verb) == Some(clause) && view.deprel(c.verb) == "xcomp"))
        });
        let demand = lower
            .and_then(|j| codings[j].code.primary.as_deref())
            .and_then(|code| demand_for_intent(code).or_else(|| combine(Modality::Demand, code)))
            .unwrap_or_else(|| "100".to_string());
        let obliged = match self.subject_args(clause) {
            Some((args, false)) => self.subject_actors(&args),
            _ => Vec::new(),
        };
        if let Some(j) = lower {
            codings[j].folded = true;
            let lower_verb = codings[j].verb;
            codings[i].verb_tokens.push(lower_verb);
            codings[i].verb_tokens.sort_unstable();
        }
        let coding = &mut codings[i];
        coding.code = EventCode { primary: Some(demand), secondary: None };
        if !obliged.is_empty() {
            coding.targets = obliged;
        }
        true
    }

    /// Whether a verb completes an adjective of readiness: "Syria says it is willing to withdraw
    /// its troops", "prepared to impose martial law", "ready to cooperate".
    fn is_readiness(&self, verb: usize) -> bool {
        let view = self.view;
        view.deprel(verb) == "xcomp"
            && view.head(verb).is_some_and(|adjective| {
                view.parsed.tokens[adjective].upos == Upos::Adj && READINESS.contains(&view.keys[adjective].as_str())
            })
    }

    /// Whether `verb` has an auxiliary among `words`.
    fn has_aux(&self, verb: usize, words: &[&str]) -> bool {
        let view = self.view;
        view.children_with(verb, &["aux"]).any(|aux| words.contains(&view.keys[aux].as_str()))
    }

    /// Whether a verb completes the one governing it: an infinitive or clausal complement, or a
    /// purpose clause ("will host Osgiliath to celebrate May Day").
    fn is_complement(&self, verb: usize) -> bool {
        let view = self.view;
        match view.deprel(verb) {
            "xcomp" | "ccomp" => true,
            "advcl" => view.children_with(verb, &["mark"]).any(|mark| view.keys[mark] == "to"),
            _ => false,
        }
    }

    fn is_negated(&self, verb: usize) -> bool {
        let view = self.view;
        view.children_with(verb, &["advmod", "neg", "det"])
            .any(|c| matches!(view.keys[c].as_str(), "not" | "n't" | "never" | "nt"))
    }

    /// The events of a coded verb: one per source and target pair, both directions for paired
    /// codes and compounds.
    fn events_of(&self, coding: &VerbCoding, anchor: Option<Anchor>, historical: bool) -> Vec<Event> {
        let view = self.view;
        let code = &coding.code;
        if code.is_null() {
            return Vec::new();
        }
        let verb = coding.verb;
        let (mut sources, mut targets) = (coding.sources.clone(), coding.targets.clone());
        let mut inherited = false;
        let mut dyad = false;
        // A pattern that places the source after the verb leaves the subject as the target
        // ("Mordor will celebrate May Day with Eriador": `* {MAY DAY} $`).
        if !sources.is_empty() && targets.is_empty() && !coding.compound {
            if let Some((args, false)) = self.subject_args(verb) {
                targets = self.subject_actors(&args);
            }
        }
        if sources.is_empty() || targets.is_empty() {
            let subject = self.subject_args(verb);
            let passive = subject.as_ref().is_some_and(|(_, passive)| *passive);
            if let Some((args, _)) = &subject {
                inherited = args.iter().any(|&a| !view.dominates(verb, a));
            }
            let subject_actors: Vec<ActorRef> = match &subject {
                // A verb hung on its subject noun as a modifier ("Turkish troops attacked..."
                // misread as "troops [who] attacked"): the noun's phrase without the verb's clause.
                Some((args, _)) if args.len() == 1 && view.dominates(args[0], verb) && args[0] != verb => {
                    // The noun may be an example of the subject ("Russian aircraft including
                    // helicopter gunships killed"), whose phrase is then the whole subject's.
                    let mut noun = args[0];
                    while let Some(head) = view.head(noun).filter(|_| {
                        view.deprel(noun) == "nmod"
                            && view
                                .children_with(noun, &["case"])
                                .any(|case| matches!(view.keys[case].as_str(), "including" | "like" | "such"))
                    }) {
                        noun = head;
                    }
                    let clause = view.subtree(verb, &[]);
                    let tokens: Vec<usize> =
                        view.subtree(noun, PHRASE_CUTS).into_iter().filter(|t| !clause.contains(t)).collect();
                    self.phrase_actors(noun, &tokens)
                }
                Some((args, _)) => self.subject_actors(args),
                None => Vec::new(),
            };
            if passive {
                // "Relations between Egypt and Iran were restored", "Russia-Syria ties ...
                // diplomatic relations were established": the two sides of the relation, each
                // with the other.
                if targets.is_empty() && sources.is_empty() && self.agent_args(verb).is_empty() {
                    let pair =
                        subject.as_ref().and_then(|(args, _)| args.first()).map(|&noun| self.relation_pair(noun));
                    if let Some(pair) = pair.filter(|pair| pair.len() > 1) {
                        sources = pair;
                        dyad = true;
                    }
                }
                if targets.is_empty() && !dyad {
                    targets = subject_actors;
                }
                if sources.is_empty() {
                    sources = self.agent_args(verb).into_iter().flat_map(|a| self.actors_of(a)).collect();
                }
                // Without a `by` agent, TABARI and PETRARCH take the first actor after a passive
                // verb as its source ("An Eriadorian was shot dead in Osgiliath": OSG), the
                // convention of the validation records; the guess is marked by a lower confidence.
                // Not for a participle modifying a noun under CAMEO's conventions: in "sanctions
                // imposed on Eritrea" Eritrea is who they were imposed on.
                let modifier = self.options.cameo_conventions && view.deprel(verb).starts_with("acl");
                if sources.is_empty() && !dyad && !modifier {
                    sources = self.find_target_in(verb, &targets, false);
                    for source in &mut sources {
                        source.direct = false;
                    }
                    inherited = true;
                }
            } else {
                if sources.is_empty() {
                    sources = subject_actors;
                }
                // Only where the tree gives no subject, or a noun the verb is hung on as a modifier.
                if sources.is_empty() && (subject.is_none() || view.deprel(verb).starts_with("acl")) {
                    sources = self.preceding_actor(verb);
                    inherited = true;
                }
                // A subject name the dictionaries do not know, read with the words before it.
                if let (true, Some((args, _))) = (sources.is_empty(), &subject) {
                    if let [name] = args.as_slice() {
                        sources = self.name_with_words_before(*name, verb);
                    }
                }
                if targets.is_empty() {
                    targets = self.find_target(verb, &sources);
                }
            }
        }
        dedup_actors(&mut sources);
        dedup_actors(&mut targets);
        // A target that is the source itself ("he ... his residence") is no target, nor the capital
        // the source governs from ("Iraq's government ... martial law as battles raged in central
        // Baghdad"): the event keeps no target rather than being lost.
        targets.retain(|t| {
            !sources
                .iter()
                .any(|s| s.span == t.span || (sources.len() == 1 && (s.code == t.code || self.is_own_capital(s, t))))
        });
        if let [source] = sources.as_slice() {
            targets = self.partners_for_own_country(source, targets);
        }
        let mut pairs: Vec<(ActorRef, ActorRef, String)> = Vec::new();
        // `%` in a pattern: the compound's members act on each other ("Gondor and Osgiliath have
        // renewed ties").
        let cooperative =
            code.primary.as_deref().is_some_and(|c| matches!(root_code(c), "03" | "04" | "05" | "06" | "07" | "08"));
        let reciprocal = (dyad || coding.compound || (self.options.cameo_conventions && cooperative))
            && targets.is_empty()
            && sources.len() > 1;
        if reciprocal {
            // "Gondor and Osgiliath have renewed ties": each with the other.
            for a in &sources {
                for b in &sources {
                    if a.code != b.code {
                        if let Some(primary) = &code.primary {
                            pairs.push((a.clone(), b.clone(), primary.clone()));
                        }
                    }
                }
            }
        } else {
            for source in &sources {
                for target in &targets {
                    if let Some(primary) = &code.primary {
                        pairs.push((source.clone(), target.clone(), primary.clone()));
                    }
                    if let Some(secondary) = &code.secondary {
                        pairs.push((target.clone(), source.clone(), secondary.clone()));
                    }
                }
                if targets.is_empty() && !self.options.require_dyad {
                    if let Some(primary) = &code.primary {
                        // No actor is the target, but what the verb acted on is still shown:
                        // "detained several suspects" has target `---` and target_text
                        // "several suspects". Whom it was done to may follow a noun that names
                        // the act itself, or the verb: "issued an ultimatum to [Muslim
                        // leaders]", "launched an investigation into [Alibaba Group]", "provided
                        // training to [AMISOM]". Without an object, only a partner is one
                        // ("agree with [the recommendation]"): "agreed to [a ceasefire]" names
                        // what was agreed.
                        let party = |head: usize, deprel: &str, cases: &[&str]| {
                            view.children_with(head, &[deprel]).find(|&n| {
                                !crate::time::is_time_word(&view.keys[n])
                                    && view.children_with(n, &["case"]).any(|c| cases.contains(&view.keys[c].as_str()))
                            })
                        };
                        let object = match view.children_with(verb, &["obj", "iobj"]).next() {
                            Some(object) => Some(
                                party(object, "nmod", PARTY_CASES)
                                    .or(party(verb, "obl", PARTY_CASES))
                                    .unwrap_or(object),
                            ),
                            None => party(verb, "obl", &["with", "against"]),
                        };
                        let none = ActorRef {
                            code: "---".to_string(),
                            span: object.map_or(Span::default(), |o| view.span_of(o)),
                            direct: false,
                            bare_agent: false,
                        };
                        pairs.push((source.clone(), none, primary.clone()));
                    }
                }
            }
            // No actor did it, but it was done to one: "a car bomb killed 15 Afghan soldiers",
            // "three civilians were killed in an air strike". The source is `---`, and
            // `source_text` the subject that did it, when there is one. PETRARCH2, whose
            // validation records the other conventions follow, codes no event without a source.
            if sources.is_empty() && !self.options.require_dyad && self.options.cameo_conventions {
                if let Some(primary) = &code.primary {
                    let subject = self
                        .subject_args(verb)
                        .filter(|(_, passive)| !passive)
                        .and_then(|(args, _)| args.first().copied())
                        .filter(|&s| view.parsed.tokens[s].upos != Upos::Pron);
                    let none = ActorRef {
                        code: "---".to_string(),
                        span: subject.map_or(Span::default(), |s| view.span_of(s)),
                        direct: false,
                        bare_agent: false,
                    };
                    for target in &targets {
                        pairs.push((none.clone(), target.clone(), primary.clone()));
                    }
                }
            }
        }
        let verb_span =
            coding.verb_tokens.iter().map(|&t| view.span_of(t)).reduce(Span::cover).unwrap_or(view.span_of(verb));
        let verb_text = coding.verb_tokens.iter().map(|&t| &view.text[view.span_of(t)]).collect::<Vec<_>>().join(" ");
        let mut events = Vec::new();
        for (source, target, code) in pairs {
            // An actor does not act on itself, nor a government on the capital it sits in ("Putin
            // ... a meeting in Moscow" is not RUSGOV acting on RUS). A country's government acting
            // on the country's people ("Museveni threatened Ugandan candidates") is an event.
            if source.code == target.code
                || self.is_own_capital(&source, &target)
                || self.is_own_capital(&target, &source)
            {
                continue;
            }
            let target_code = self.host_government(&code, &target);
            let source = ActorRef { code: self.host_government(&code, &source), ..source };
            let mut confidence: f32 = if coding.specific { 0.9 } else { 0.75 };
            if inherited || !source.direct {
                confidence -= 0.1;
            }
            if !target.direct {
                confidence -= 0.1;
            }
            let spans = [Some(source.span), Some(target.span), Some(verb_span)];
            let span = spans
                .iter()
                .flatten()
                .filter(|s| !s.is_empty() && view.parsed.span.contains(**s))
                .copied()
                .reduce(Span::cover)
                .unwrap_or(verb_span);
            events.push(self.event(EventParts {
                anchor,
                historical,
                source: &source,
                target_code: &target_code,
                target: &target,
                code: &code,
                verb_text: &verb_text,
                verb_span,
                span,
                confidence,
                rule: coding.rule,
            }));
        }
        events
    }

    /// A target that is only the source's own country, named in a compound with others ("Putin
    /// highlighted the depth of Russia-Syria ties"), stands for the relation with the others: the
    /// target is them (SYR), not Russia. Alone, the own country stays a target ("Museveni
    /// threatened Ugandan candidates" is UGAGOV acting on UGA).
    fn partners_for_own_country(&self, source: &ActorRef, targets: Vec<ActorRef>) -> Vec<ActorRef> {
        let view = self.view;
        let own = |t: &ActorRef| t.code.len() == 3 && source.code.len() > 3 && source.code.starts_with(&t.code);
        if targets.is_empty() || !targets.iter().all(own) {
            return targets;
        }
        let Some(mention) = view.mentions.iter().position(|m| m.span == targets[0].span) else { return targets };
        let partners: Vec<ActorRef> = view
            .compounds
            .compounds
            .iter()
            .filter(|compound| compound.mentions.contains(&mention))
            .flat_map(|compound| compound.mentions.iter())
            .filter_map(|&m| {
                let partner = &view.mentions[m];
                let code = partner.code.clone()?;
                let actor = ActorRef { code, span: partner.span, direct: false, bare_agent: false };
                (m != mention && !own(&actor)).then_some(actor)
            })
            .collect();
        if partners.is_empty() {
            targets
        } else {
            partners
        }
    }

    /// Whether `place` is the capital city standing for the state `actor` belongs to ("Putin ... a
    /// meeting in Moscow" is not RUSGOV acting on RUS).
    fn is_own_capital(&self, actor: &ActorRef, place: &ActorRef) -> bool {
        let view = self.view;
        place.code.len() == 3
            && actor.code.starts_with(&place.code)
            && view.mentions.iter().any(|m| m.span == place.span && m.kind == crate::actors::MentionKind::Capital)
    }

    /// The target of an active verb: the actors of its first object argument that names an actor
    /// other than the source, an argument naming a country or organization before one naming only
    /// an agent ("arrived in Gondor on his first official visit"); failing those, the subject of
    /// its clausal complement ("Arnor believes Dagolath can cope", "expressed hopes that Osgiliath
    /// could be drawn in").
    fn find_target(&self, verb: usize, sources: &[ActorRef]) -> Vec<ActorRef> {
        self.find_target_in(verb, sources, true)
    }

    /// [`SentenceCoder::find_target`], optionally leaving out complement clauses and their
    /// subjects (a passive verb's stand-in source is an actor of its own phrases, not of "was seen
    /// to break into the Gondor parade").
    fn find_target_in(&self, verb: usize, sources: &[ActorRef], complements: bool) -> Vec<ActorRef> {
        let view = self.view;
        let is_new = |a: &ActorRef| !sources.iter().any(|s| s.span == a.span);
        let candidates: Vec<Vec<ActorRef>> = self
            .object_args(verb)
            .into_iter()
            .filter(|&arg| complements || !matches!(view.deprel(arg), "xcomp" | "ccomp"))
            .map(|arg| self.actors_of(arg))
            .collect();
        let named = candidates.iter().find(|actors| actors.iter().any(|a| is_new(a) && !a.bare_agent));
        // An agent with no country is a target only as the object itself ("warned officials"),
        // not from deep in its phrase ("noted that thanks to both governments...").
        let agent = || candidates.iter().find(|actors| actors.iter().any(|a| is_new(a) && a.direct));
        if let Some(actors) = named.or_else(agent) {
            return actors.clone();
        }
        if !complements {
            return Vec::new();
        }
        let objects: Vec<usize> = view.children_with(verb, &["obj"]).collect();
        // Only a complement that follows: in "Arnor will restore ties, an official said" the
        // clause before "said" is what was said, not whom it was said to.
        let complements = view
            .children_with(verb, &["ccomp"])
            .chain(objects.iter().flat_map(|&object| view.children_with(object, &["acl", "ccomp"])).collect::<Vec<_>>())
            .filter(|&complement| complement > verb);
        for complement in complements.collect::<Vec<_>>() {
            let subjects: Vec<usize> = view.children_with(complement, &["nsubj", "nsubj:pass"]).collect();
            // Only an actor the subject names itself: "noted that thanks to both governments,
            // cooperation grew" says nothing to the governments.
            let actors: Vec<ActorRef> = subjects
                .into_iter()
                .flat_map(|s| self.actors_of(s))
                .filter(|a| is_new(a) && a.direct && !a.bare_agent)
                .collect();
            if !actors.is_empty() {
                return actors;
            }
        }
        self.linear_target(verb, sources)
    }

    /// The last resort when the tree offers no target: the first actor named after the verb
    /// before the next comma, semicolon or verb, read off the words as PETRARCH reads phrases
    /// ("welcomed a resumption of ties between Minas Tirith and Osgiliath", where a parser hung
    /// "between ..." on a later clause).
    fn linear_target(&self, verb: usize, sources: &[ActorRef]) -> Vec<ActorRef> {
        let view = self.view;
        for idx in verb + 1..view.len() {
            let token = &view.parsed.tokens[idx];
            if matches!(token.upos, Upos::Verb | Upos::Aux) || matches!(view.keys[idx].as_str(), "," | ";" | ":") {
                break;
            }
            // A named actor, not an agent without a country ("both governments").
            if let Some(mention) =
                view.mention_of[idx].filter(|&m| view.mentions[m].kind != crate::actors::MentionKind::Agent)
            {
                let mut actors = self.expand_mention(mention, false);
                actors.retain(|a| !sources.iter().any(|s| s.span == a.span));
                for actor in &mut actors {
                    actor.direct = false;
                }
                return actors;
            }
        }
        Vec::new()
    }

    /// A visit to a capital is hosted by its government: "visited Damascus" targets SYRGOV.
    fn host_government(&self, code: &str, target: &ActorRef) -> String {
        let is_capital =
            self.view.mentions.iter().any(|m| m.span == target.span && m.kind == crate::actors::MentionKind::Capital);
        if matches!(code, "042" | "043") && is_capital && target.code.len() == 3 {
            format!("{}GOV", target.code)
        } else {
            target.code.clone()
        }
    }

    /// The whole noun phrase an actor mention stands in, so that `source_text` is the actor as
    /// the sentence names it ("Iraqi troops", "US President Donald Trump", "his Syrian
    /// counterpart, Ahmed al Sharaa"), not the dictionary's part of it ("troops", "US
    /// President"), and `target_text` is what the act was done to when an actor is named in it
    /// ("vetoed [a Japanese-drafted resolution]", "praised [Trump's decision]"), as role
    /// annotations mark arguments. From the mention's head, the phrase climbs to the noun the
    /// mention modifies or belongs to; then it takes that noun's modifiers, names, appositions
    /// and prepositional complements, but not its clauses, times, coordinated partners (each is
    /// an actor of its own) or the preposition that made it an argument. A phrase that would
    /// reach the verb or the other actor is the parse going wrong: the mention alone is kept.
    fn actor_phrase(&self, span: Span, avoid: &[Span]) -> Span {
        let view = self.view;
        if span.is_empty() {
            return span;
        }
        let inside = |t: usize| {
            let token = view.span_of(t);
            token.start >= span.start && token.end <= span.end
        };
        let Some(mut head) = (0..view.len()).find(|&t| inside(t) && view.head(t).is_none_or(|h| !inside(h))) else {
            return span;
        };
        if matches!(view.parsed.tokens[head].upos, Upos::Pron) {
            return span;
        }
        // The phrase is the argument the mention stands in: climb through the nouns it modifies
        // or belongs to, "[all United Nations sanctions]", "[15 Afghan Army trainees]",
        // "[Netanyahu's suggestion]", "[a request by Mr. Erdogan]", "[a military vehicle in
        // Myanmar's Rakhine State]". A preposition that makes the mention a party to what the
        // noun names stops the climb: in "held [talks] with [Leo Varadkar]" or "an assault on
        // [the bastion]" the party is the mention, not the talks or the assault.
        // An apposition names the same actor ("Zabihullah Mujahid, [the Taliban spokesman]"),
        // unless it names another country's: a list the parser read as appositions.
        let country_at = |t: usize| {
            view.mention_of[t]
                .and_then(|m| view.mentions[m].code.as_deref())
                .and_then(|code| code.get(..3))
                .filter(|country| *country != "---")
        };
        let own = (0..view.len()).filter(|&t| inside(t)).find_map(country_at);
        while let Some(up) = view.head(head) {
            let belongs = match view.deprel(head) {
                "compound" | "flat" | "flat:name" | "amod" | "nmod:npmod" | "nmod:desc" | "nmod:poss" => true,
                "appos" => country_at(up).zip(own).is_none_or(|(theirs, ours)| theirs == ours),
                // A title's "to" and "for" are the title's: "[a spokesman for the Taliban]",
                // "[the ambassador to the United Kingdom]".
                "nmod" => view.children_with(head, &["case"]).all(|c| {
                    let case = view.keys[c].as_str();
                    OWNER_CASES.contains(&case) || (matches!(case, "to" | "for") && view.agent(up).is_some())
                }),
                _ => false,
            };
            let noun = matches!(view.parsed.tokens[up].upos, Upos::Noun | Upos::Propn);
            if !(belongs && noun) || crate::time::is_time_word(&view.keys[up]) {
                break;
            }
            head = up;
        }
        const TOP_CUTS: &[&str] = &[
            "case",
            "cop",
            "nsubj",
            "nsubj:pass",
            "mark",
            "aux",
            "aux:pass",
            "cc",
            "conj",
            "obl",
            "xcomp",
            "discourse",
            "vocative",
            "dep",
            "punct",
            "nmod:tmod",
            "obl:tmod",
            "acl:relcl",
            "acl",
            "advcl",
            "parataxis",
            "ccomp",
            "csubj",
        ];
        // A time the parser hung on the noun is when, not who: "Putin on Wednesday", "the
        // Taliban on Thursday" (found by its word where the article is undated).
        let timed = |t: usize| {
            let token = view.span_of(t);
            self.times.iter().any(|time| time.span.start <= token.start && token.end <= time.span.end)
                || (t > head
                    && matches!(
                        view.deprel(t),
                        "nmod" | "nmod:unmarked" | "nmod:npmod" | "nmod:tmod" | "obl" | "obl:unmarked"
                    )
                    && crate::time::is_time_word(&view.keys[t]))
        };
        // A prepositional phrase after the noun that does not make it one thing with the noun
        // says what the act was about, how or when: "rejected [Theresa May's offer] on citizens'
        // rights", "struck [the regions] with artillery".
        // The phrase that holds the actor stays: "[talks with Ayman Al Safadi]".
        let about = |t: usize| {
            t > head
                && view.deprel(t) == "nmod"
                && !(view.agent(head).is_some()
                    && view.children_with(t, &["case"]).all(|c| matches!(view.keys[c].as_str(), "to" | "for")))
                && view.children_with(t, &["case"]).any(|c| !OWNER_CASES.contains(&view.keys[c].as_str()))
                && !view.subtree(t, &[]).into_iter().any(inside)
        };
        let mut tokens = vec![head];
        let mut stack: Vec<usize> =
            view.children[head].iter().copied().filter(|&c| !TOP_CUTS.contains(&view.deprel(c)) && !about(c)).collect();
        while let Some(node) = stack.pop() {
            if timed(node) || tokens.len() > view.len() {
                continue;
            }
            tokens.push(node);
            stack.extend(view.children[node].iter().filter(|&&c| !PHRASE_CLAUSES.contains(&view.deprel(c))));
        }
        let (Some(first), Some(last)) = (tokens.iter().min(), tokens.iter().max()) else { return span };
        // Punctuation at the edges (an apposition's closing comma) is not part of the name, but
        // the bracket that closes an acronym is: "All Pakistan Muslim League (APML)".
        let (mut first, mut last) = (*first, *last);
        while first < last && view.is_punct(first) {
            first += 1;
        }
        while last > first && view.is_punct(last) {
            last -= 1;
        }
        let opened = (first..=last).filter(|&t| view.keys[t] == "(").count();
        let closed = (first..=last).filter(|&t| view.keys[t] == ")").count();
        if opened > closed && view.keys.get(last + 1).is_some_and(|k| k == ")") {
            last += 1;
        }
        // A verb inside is a clause the parser hung on the noun ("officers used batons"); a
        // participle modifying it is not ("the Taliban-allied Haqqani Network").
        let clause = (first..=last).any(|t| {
            let token = &view.parsed.tokens[t];
            matches!(token.upos, Upos::Verb | Upos::Aux) && !matches!(token.deprel, "amod" | "compound") && !inside(t)
        });
        if clause {
            return span;
        }
        let phrase = Span::new(
            view.span_of(first).start.min(span.start) as usize,
            view.span_of(last).end.max(span.end) as usize,
        );
        let overlaps = |other: &Span| !other.is_empty() && other.start < phrase.end && phrase.start < other.end;
        if avoid.iter().any(overlaps) {
            span
        } else {
            phrase
        }
    }

    fn event(&self, parts: EventParts<'_>) -> Event {
        let view = self.view;
        let table = CameoTable::embedded();
        let row = table.resolve(parts.code);
        let source_span = self.actor_phrase(parts.source.span, &[parts.verb_span, parts.target.span]);
        let target_span = self.actor_phrase(parts.target.span, &[parts.verb_span, source_span]);
        let text_of = |span: Span| if span.is_empty() { String::new() } else { view.text[span].to_string() };
        let span = [source_span, target_span]
            .into_iter()
            .filter(|s| !s.is_empty())
            .fold(parts.span, |all, s| Span::new(all.start.min(s.start) as usize, all.end.max(s.end) as usize));
        let location = self.dictionaries.location(parts.rule);
        Event {
            source: parts.source.code.clone(),
            target: parts.target_code.to_string(),
            code: parts.code.to_string(),
            root_code: root_code(parts.code).to_string(),
            base_code: base_code(parts.code).to_string(),
            quad_class: row.map_or(0, |r| r.quad_class),
            goldstein: row.map_or(0.0, |r| r.goldstein),
            plover: row.and_then(|r| r.plover.clone()),
            plover_mode: row.and_then(|r| r.plover_mode.clone()),
            date: parts.anchor.map(|a| a.value),
            date_precision: parts.anchor.map_or("none", |a| a.value.precision.as_str()),
            date_basis: parts.anchor.map(|a| a.basis),
            date_span: parts.anchor.and_then(|a| a.span),
            historical: parts.historical,
            source_text: text_of(source_span),
            target_text: text_of(target_span),
            verb_text: parts.verb_text.to_string(),
            sentence: view.index,
            span,
            source_span: (!source_span.is_empty()).then_some(source_span),
            target_span: (!target_span.is_empty()).then_some(target_span),
            verb_span: parts.verb_span,
            confidence: (parts.confidence.clamp(0.05, 1.0) * 100.0).round() / 100.0,
            rule: location.to_string(),
            location: None,
            mentions: Vec::new(),
        }
    }
}

struct EventParts<'p> {
    anchor: Option<Anchor>,
    historical: bool,
    source: &'p ActorRef,
    target_code: &'p str,
    target: &'p ActorRef,
    code: &'p str,
    verb_text: &'p str,
    verb_span: Span,
    span: Span,
    confidence: f32,
    rule: Provenance,
}

/// Prepositions by which a noun phrase belongs to the noun it modifies, so that the phrase names
/// one thing: "the property of", "a request by", "support from", "positions in".
const OWNER_CASES: &[&str] = &["of", "by", "from", "in", "at", "near", "inside", "outside"];

/// Prepositions by which a noun naming an act takes the party it is done to or is about: "an
/// ultimatum to", "an investigation into", "sanctions on", "talks with", "concern about".
const PARTY_CASES: &[&str] = &["to", "into", "on", "against", "with", "about", "over", "regarding"];

/// Nouns for the relations between two parties.
const RELATIONS: &[&str] = &["relation", "relationship", "tie"];

/// Adjectives that announce an action: "ready to", "willing to".
const READINESS: &[&str] = &["ready", "willing", "prepared", "determined", "eager", "poised", "keen"];

/// Nouns for what an actor issues in its own words, whose participle clauses ("a statement
/// condemning the attack") say what the actor does.
const DOCUMENTS: &[&str] =
    &["statement", "declaration", "communique", "communiqué", "resolution", "letter", "message", "note", "appeal"];

/// Subordinators that make a clause a condition.
const CONDITIONS: &[&str] = &["if", "unless", "lest"];

/// Auxiliaries that put an action in the future: it is announced, not done.
const FUTURE: &[&str] = &["will", "would", "shall", "'ll", "may", "might"];

/// An action announced for the future: cooperation is an expressed intent, conflict a threat
/// (CAMEO 1.1b3: "will withdraw" 0356-like intents, "will meet" 036, "would blockade" 1381, "will
/// extend the curfew" 1323, "will hold a general strike" 133). Codes CAMEO's parallel structure has
/// no intent or threat for (statements, appeals, disapproval, investigation) keep their code.
fn future_code(code: &EventCode) -> EventCode {
    let Some(primary) = code.primary.as_deref() else { return code.clone() };
    let modal = combine(Modality::Intend, primary).unwrap_or_else(|| primary.to_string());
    EventCode { primary: Some(modal), secondary: None }
}

/// Codes of stances and speech acts rather than material acts: statements, appeals, intents,
/// consultation, investigation, demands, disapproval, rejection, threats, protest, force posture,
/// coercion.
fn is_stance(code: &str) -> bool {
    matches!(root_code(code), "01" | "02" | "03" | "04" | "09" | "10" | "11" | "12" | "13" | "14" | "15" | "17")
}

fn negate_code(code: &EventCode) -> EventCode {
    EventCode { primary: code.primary.as_deref().and_then(negate), secondary: None }
}

fn depth(view: &SentenceView<'_>, mut idx: usize) -> usize {
    let mut depth = 0;
    while let Some(head) = view.head(idx) {
        depth += 1;
        idx = head;
        if depth > view.len() {
            break;
        }
    }
    depth
}

fn dedup_actors(actors: &mut Vec<ActorRef>) {
    let mut seen: Vec<(String, Span)> = Vec::new();
    actors.retain(|actor| {
        let key = (actor.code.clone(), actor.span);
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

/// What an argument phrase names.
struct Phrase {
    /// The actor mentions it is about (one, or a compound's members), codes as the mentions give.
    bases: Vec<ActorRef>,
    /// Agents it names besides: `---GOV` to add after a country's code, `NGO` before it.
    agents: Vec<String>,
    /// A pronoun's antecedent, when the phrase is a pronoun.
    pronoun: Option<ActorRef>,
    span: Span,
    /// Whether the phrase's head word is itself the agent ("officials"), not just a word in it.
    head_is_agent: bool,
}

impl Phrase {
    /// The actors the phrase names: the pronoun's antecedent, or its bases with its agents applied.
    fn into_actors(self) -> Vec<ActorRef> {
        if let Some(pronoun) = self.pronoun {
            return vec![pronoun];
        }
        let agents = self.agents;
        self.bases
            .into_iter()
            .map(|mut base| {
                for agent in &agents {
                    base.code = apply_agent(agent, &base.code);
                }
                base
            })
            .collect()
    }
}

/// Where a relation's phrase ends: its coordinated sides ("between Egypt and Iran") belong to it.
const RELATION_CUTS: &[&str] = &["acl:relcl", "advcl", "parataxis", "ccomp", "csubj", "advcl:relcl"];

/// Relations whose subtrees an actor's phrase leaves out: clauses of their own.
/// Times are not part of it either ("a German court on Thursday").
const PHRASE_CLAUSES: &[&str] =
    &["acl:relcl", "acl", "advcl", "parataxis", "ccomp", "csubj", "advcl:relcl", "nmod:tmod", "obl:tmod"];

/// Relations cut off an argument's phrase: clauses of their own, and coordinated arguments
/// (handled as a group by [`SentenceCoder::actors_of`]).
const PHRASE_CUTS: &[&str] =
    &["conj", "acl:relcl", "advcl", "parataxis", "ccomp", "csubj", "punct", "appos", "advcl:relcl"];

/// An agent code applied to an actor's code: `---MIL` on `GON` is `GONMIL`, `---GOVMED` on `HGW`
/// is `HGWGOVMED`, the prefix agent `NGO` on `ARNGOV` is `NGOARNGOV`. An agent the code already
/// has is not added twice.
fn apply_agent(agent: &str, actor: &str) -> String {
    if actor.starts_with("---") {
        return actor.to_string();
    }
    match agent.strip_prefix("---") {
        Some(suffix) if actor.get(3..).is_some_and(|rest| rest.starts_with(suffix)) => actor.to_string(),
        Some(suffix) => format!("{actor}{suffix}"),
        None if actor.starts_with(agent) => actor.to_string(),
        None => format!("{agent}{actor}"),
    }
}

/// Whether two mentions are coordinated by "and" or "or" in the text with nothing but other names,
/// commas and modifiers between them ("Evil Mordor, the awful Fornost, and good Gondor"), where the
/// parse did not coordinate them. A comma alone is not enough: "with al Sharaa, Putin said".
fn coordinated_in_text(view: &SentenceView<'_>, a: &Mention, b: &Mention) -> bool {
    let (first, last) = if a.tokens.0 < b.tokens.0 { (a, b) } else { (b, a) };
    if first.sentence != last.sentence || first.tokens.1 > last.tokens.0 {
        return false;
    }
    let between = first.tokens.1..last.tokens.0;
    let has_conjunction = between.clone().any(|t| matches!(view.keys[t].as_str(), "and" | "or" | "&"));
    // Only other names, punctuation, conjunctions, determiners and adjectives between.
    let only_names_between = between.clone().all(|t| {
        view.mention_of[t].is_some()
            || matches!(view.parsed.tokens[t].upos, Upos::Punct | Upos::Cconj | Upos::Det | Upos::Adj)
    });
    has_conjunction && only_names_between && between.len() <= 12
}

/// Whether a mention names a person (what "he" and "she" can refer to).
fn is_person(mention: &Mention) -> bool {
    use crate::actors::MentionKind;
    // A name coded with a role (RUSGOV, not a country's bare RUS) is a person's: "Putin",
    // "Ahmed al Sharaa". Named organizations would count too, but "he" rarely points at one.
    matches!(mention.kind, MentionKind::TitledName | MentionKind::ShortForm)
        || (mention.kind == MentionKind::Name
            && mention.code.as_ref().is_some_and(|c| c.len() > 3 && !c.starts_with("IGO")))
}

// ---------------------------------------------------------------------------------------------
// Pattern matching

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Source,
    Target,
    Compound,
}

type Bindings = Vec<(Role, usize)>;

/// How good a pattern match is: its weight, then how close to the verb it took hold.
type PatternRank = (u32, std::cmp::Reverse<usize>);

/// Matches pattern elements, in order with gaps, against a region (sorted token indices).
struct Matcher<'m, 'a> {
    view: &'m SentenceView<'a>,
    lexicon: &'m Lexicon,
}

/// How deep synonym sets may nest before a cycle is assumed.
const MAX_SYNSET_DEPTH: usize = 4;

impl Matcher<'_, '_> {
    /// Matches `elems` in order from region position `pos`; returns the position after the last
    /// match and the actor bindings.
    fn sequence(&self, region: &[usize], pos: usize, elems: &[Elem], depth: usize) -> Option<(usize, Bindings)> {
        let mut cursor = pos;
        let mut bindings = Vec::new();
        for elem in elems {
            let (end, found) = self.element(region, cursor, elem, depth)?;
            cursor = end;
            bindings.extend(found);
        }
        Some((cursor, bindings))
    }

    /// Like [`Matcher::sequence`] from the region's start, also giving the region position where
    /// the first element matched (how close to the verb the pattern took hold).
    fn pattern_part(&self, region: &[usize], elems: &[Elem]) -> Option<(usize, Bindings)> {
        let Some(first) = elems.first() else { return Some((0, Vec::new())) };
        let (first_end, _) = self.element(region, 0, first, 0)?;
        let (_, bindings) = self.sequence(region, 0, elems, 0)?;
        Some((first_end, bindings))
    }

    /// The earliest-ending match of one element starting at or after `pos`.
    fn element(&self, region: &[usize], pos: usize, elem: &Elem, depth: usize) -> Option<(usize, Bindings)> {
        let view = self.view;
        match elem {
            Elem::Words(words) => {
                (pos..region.len()).find_map(|start| self.words_at(region, start, words).map(|end| (end, Vec::new())))
            }
            Elem::Synset(name) => {
                if depth > MAX_SYNSET_DEPTH {
                    return None;
                }
                self.lexicon
                    .synset(name)
                    .iter()
                    .filter(|member| member.required.iter().all(|word| view.words.contains(word)))
                    .filter_map(|member| self.sequence(region, pos, &member.elems, depth + 1))
                    .min_by_key(|(end, _)| *end)
            }
            Elem::Phrase(inner) => {
                // All of the phrase's words inside the phrase of its head (the last word).
                let mut start = pos;
                while start < region.len() {
                    let (end, bindings) = self.sequence(region, start, inner, depth)?;
                    let head = region[end - 1];
                    let first = region[start..end]
                        .iter()
                        .position(|&t| inner_first_matches(view, t, inner))
                        .map_or(start, |p| start + p);
                    if region[first..end].iter().all(|&t| view.dominates(head, t)) {
                        return Some((end, bindings));
                    }
                    start = first + 1;
                }
                None
            }
            Elem::Prep { preposition, objects } => {
                if preposition.is_empty() {
                    return self.sequence(region, pos, objects, depth);
                }
                for start in pos..region.len() {
                    // A pattern's parenthesized phrase is prepositional: the marker of an
                    // infinitive is no preposition ("welcomed the statement as proof of a wish for
                    // a settlement to be reached" has no "(TO)" phrase).
                    if view.parsed.tokens[region[start]].upos == Upos::Part && view.deprel(region[start]) == "mark" {
                        continue;
                    }
                    let Some(after_prep) = self.words_at(region, start, preposition) else { continue };
                    if objects.is_empty() {
                        return Some((after_prep, Vec::new()));
                    }
                    // The object must be inside the phrase the preposition introduces.
                    let Some(phrase) = view.head(region[start]) else { continue };
                    if let Some((end, bindings)) = self.sequence(region, after_prep, objects, depth) {
                        if region[after_prep..end].iter().all(|&t| view.dominates(phrase, t)) {
                            return Some((end, bindings));
                        }
                    }
                }
                None
            }
            Elem::Source | Elem::Target | Elem::Compound | Elem::Skip => {
                let start = (pos..region.len()).find(|&p| view.mention_of[region[p]].is_some())?;
                let mention = view.mention_of[region[start]]?;
                let last = view.mentions[mention].tokens.1;
                let end = (start..region.len()).find(|&p| region[p] >= last).unwrap_or(region.len());
                let role = match elem {
                    Elem::Source => Some(Role::Source),
                    Elem::Target => Some(Role::Target),
                    Elem::Compound => Some(Role::Compound),
                    _ => None,
                };
                Some((end, role.map(|role| vec![(role, mention)]).unwrap_or_default()))
            }
        }
    }

    /// Whether `words` match consecutively (punctuation aside) from region position `start`.
    fn words_at(&self, region: &[usize], start: usize, words: &[String]) -> Option<usize> {
        let view = self.view;
        let mut previous: Option<usize> = None;
        for (offset, word) in words.iter().enumerate() {
            let &token = region.get(start + offset)?;
            if let Some(previous) = previous {
                if (previous + 1..token).any(|between| !view.is_punct(between)) {
                    return None;
                }
            }
            if !view.matches_word(token, word) {
                return None;
            }
            previous = Some(token);
        }
        Some(start + words.len())
    }
}

/// Whether token `t` is where a phrase's first element could match (its first literal word).
fn inner_first_matches(view: &SentenceView<'_>, t: usize, inner: &[Elem]) -> bool {
    match inner.first() {
        Some(Elem::Words(words)) => words.first().is_some_and(|w| view.matches_word(t, w)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::CodingOptions;
    use crate::pipeline::tests::{pipeline, test_article};

    /// The events of one sentence dated 2026-01-28, as `SOURCE -> TARGET CODE` joined by `; `.
    fn check(text: &str, expect: &str) {
        let article = test_article(text);
        let coded = pipeline().code(&article);
        let got: Vec<String> =
            coded.events.iter().map(|e| format!("{} -> {} {}", e.source, e.target, e.code)).collect();
        assert_eq!(got.join("; "), expect, "coding {text:?}");
        for event in &coded.events {
            assert!(
                article.text[event.span].contains(&event.verb_text.split(' ').next().unwrap_or_default().to_string())
            );
        }
    }

    #[test]
    fn subjects_objects_and_agents() {
        check("Russian President Vladimir Putin praised the Syrian army.", "RUSGOV -> SYRMIL 051");
        check("Ukrainian forces shelled Russian positions near Kursk on Tuesday.", "UKRMIL -> RUS 190");
        check(
            "Russian aircraft including helicopter gunships killed 46 Afghan civilians in Herat.",
            "RUSMIL -> AFGCVL 202",
        );
        check("The Russian government rejected the American proposal.", "RUSGOV -> USA 120");
    }

    /// A light verb with a noun for an armed attack is that attack, coded by the noun's means;
    /// the same nouns after a verb that only talks about them are no attack.
    #[test]
    fn light_verbs_take_their_attack_nouns_code() {
        check("Nigerian troops carried out several attacks against Boko Haram camps.", "NGAMIL -> NGAREB 190");
        check(
            "The Turkish air force conducted airstrikes on Kurdish militants in northern Iraq.",
            "TURMIL -> IRQUAF 195",
        );
        check("Ukrainian forces launched heavy shelling of Russian positions.", "UKRMIL -> RUS 194");
        check("The Kenyan president addressed allegations of assault by the police.", "");
    }

    /// Parses that go wrong in known ways: a past tense tagged as a participle hangs the verb on
    /// its subject noun, words before an unknown name are hung on the verb; and a participle that
    /// does modify a noun takes no source from what follows it.
    #[test]
    fn misparsed_subjects_and_participles() {
        check("Thousands of Iraqi Kurds demonstrated against Turkey in Kirkuk.", "IRQ -> TUR 141");
        check("Libya's renegade Gen. Khalifa Haftar has accused Egypt of meddling.", "LBY -> EGY 112");
        // Not "ERI imposed", even where one-actor events are kept.
        let monadic = pipeline().with_options(CodingOptions { require_dyad: false, ..CodingOptions::default() });
        let coded = monadic.code(&test_article("The U.N. Security Council lifted sanctions imposed on Eritrea."));
        let got: Vec<String> =
            coded.events.iter().map(|e| format!("{} -> {} {}", e.source, e.target, e.code)).collect();
        assert_eq!(got, ["IGOUNO -> ERI 085"]);
    }

    #[test]
    fn passive_voice_takes_the_source_from_by() {
        check("Syrian rebels were attacked by Russian aircraft.", "RUS -> SYRREB 190");
        // The parser reads "hosted" as a participle modifying the host and its object as an agent
        // without "by": the clause is active.
        check(
            "Russian President Putin on Saturday hosted Japanese Prime Minister Sanae Takaichi in Moscow.",
            "RUSGOV -> JPNGOV 043; JPNGOV -> RUSGOV 042",
        );
    }

    #[test]
    fn negation_cancels_or_inverts() {
        check("Iran did not attack Israel.", "");
        check("Iran refused to meet American negotiators.", "IRN -> USA 125");
    }

    #[test]
    fn verb_chains_and_intent() {
        check("Russia agreed to provide aid to Syria.", "RUS -> SYR 033");
        check("Egypt urged Israel to withdraw its troops from Gaza.", "EGY -> ISR 0256");
        check("Israel will attack Hezbollah.", "ISR -> LBNREB 138");
        check("Turkey threatened to impose sanctions on Israel.", "TUR -> ISR 1312");
        // A meeting announced for the future is an intent to meet, coercion announced a threat.
        check("Iran will meet American negotiators.", "IRN -> USA 036");
        check("Egypt said that it is prepared to impose sanctions on Israel.", "EGY -> ISR 1312");
    }

    #[test]
    fn codes_of_the_cameo_codebook() {
        // annalist.corrections.verbs.txt, where CAMEO.2.0.txt departs from CAMEO 1.1b3.
        check("Israeli soldiers arrested ten Palestinians.", "ISRMIL -> PSE 173");
        check("Ukrainian soldiers beat up Russian prisoners.", "UKRMIL -> RUS 182");
        check("The Iranian government dismissed an appeal from France.", "IRNGOV -> FRA 120");
        check("A Saudi businessman is suing the United States for damages.", "SAUBUS -> USA 115");
        check("French President Emmanuel Macron gave a warm welcome to Ukraine's president.", "FRAGOV -> UKRGOV 043");
        check("Israel speeded up the withdrawal of its forces from Gaza.", "ISR -> PSEGZA 0874");
        check("Italy announced a suspension of air links with Serbia.", "ITA -> SRB 160");
        // The reporter is the one who will act; withdrawing observers is 1662, announced a threat.
        check(
            "U.N. Secretary-General Antonio Guterres announced that he will withdraw observers from Syria.",
            "IGOUNO -> SYR 136",
        );
    }

    #[test]
    fn a_lone_particle_is_no_preposition() {
        // DEMAND's "- * ON [190]" was written for "pressed on".
        check("Egypt demanded that the Israeli government end curbs on press freedom.", "EGY -> ISRGOV 100");
    }

    #[test]
    fn obligations_laid_on_others_are_demands() {
        check("Ukraine said that Russia must agree to major constitutional changes.", "UKR -> RUS 100");
        check("Egyptian officials concluded that Israel must allocate greater resources to Gaza.", "EGYGOV -> ISR 101");
    }

    #[test]
    fn documents_say_what_their_authors_do() {
        check(
            "Hamas issued a declaration demanding that the Israeli government provide information on the hostages.",
            "PSEREBHMS -> ISRGOV 100",
        );
    }

    /// `source_text | target_text` of each event is the argument the actor stands in, as role
    /// annotations mark it: the whole noun phrase, without the clauses, times and prepositional
    /// phrases of what the act was about; a noun naming the act gives way to whom it was done to.
    #[test]
    fn actor_texts_are_the_arguments() {
        let monadic = pipeline().with_options(CodingOptions { require_dyad: false, ..CodingOptions::default() });
        let cases = [
            (
                "The Brazilian government rejected Argentina's request for talks on the border dispute.",
                "The Brazilian government | Argentina's request",
            ),
            (
                "The Indian Prime Minister on Tuesday praised the Nepalese government's decision to hold elections.",
                "The Indian Prime Minister | the Nepalese government's decision",
            ),
            (
                "A car bombing by the Islamic State killed twelve Iraqi soldiers.",
                "A car bombing by the Islamic State | twelve Iraqi soldiers",
            ),
            ("Kenyan troops attacked al Shabaab positions on Monday.", "Kenyan troops | al Shabaab positions"),
            (
                "The European Union issued an ultimatum to the striking truck drivers.",
                "The European Union | the striking truck drivers",
            ),
            ("The U.S. Government has provided peacekeeping training to AMISOM.", "The U.S. Government | AMISOM"),
            (
                "Saudi Arabia's ambassador to the United Kingdom criticized the British government.",
                "Saudi Arabia's ambassador to the United Kingdom | the British government",
            ),
        ];
        for (text, expect) in cases {
            let coded = monadic.code(&test_article(text));
            let got: Vec<String> =
                coded.events.iter().map(|e| format!("{} | {}", e.source_text, e.target_text)).collect();
            assert_eq!(got.first().map(String::as_str), Some(expect), "coding {text:?}: {got:?}");
        }
    }

    #[test]
    fn reported_speech_codes_what_was_reported() {
        check("Putin said that Ukraine attacked Russia.", "UKR -> RUS 190");
        check("Putin told Erdogan that Ukraine attacked Russia.", "RUSGOV -> TURGOV 010; UKR -> RUS 190");
        // The reporter's own forces: the reporter's country.
        check("Bosnian Serbs said their forces had attacked Croatian villages.", "BIHMIL -> HRVCVL 190");
        // Who told it is no event of its own when what they told is coded, before or after.
        let monadic = pipeline().with_options(CodingOptions { require_dyad: false, ..CodingOptions::default() });
        let codes = |text: &str| -> Vec<String> {
            monadic.code(&test_article(text)).events.iter().map(|e| format!("{} {}", e.source, e.code)).collect()
        };
        assert_eq!(
            codes("Iran and Iraq agreed to set up a border commission, officials said."),
            ["IRN 035", "IRQ 035"]
        );
        assert_eq!(
            codes("Officials said Iran and Iraq had agreed to set up a border commission."),
            ["IRN 035", "IRQ 035"]
        );
        assert_eq!(codes("Iranian officials said so on Monday."), ["IRNGOV 010"]);
    }

    /// With one-actor events kept, an act done to an actor by no actor the dictionaries know is
    /// an event with source `---`: "a car bomb" did it, or nobody the sentence names.
    #[test]
    fn acts_without_a_known_source() {
        let monadic = pipeline().with_options(CodingOptions { require_dyad: false, ..CodingOptions::default() });
        let events = |text: &str| -> Vec<String> {
            monadic
                .code(&test_article(text))
                .events
                .iter()
                .map(|e| format!("{} -> {} {} [{}]", e.source, e.target, e.code, e.source_text))
                .collect()
        };
        assert_eq!(events("A car bomb killed 15 Afghan soldiers in Kabul."), ["--- -> AFGMIL 1832 [A car bomb]"]);
        assert_eq!(events("Three Iraqi civilians were killed in an air strike."), ["--- -> IRQCVL 202 []"]);
        // People named by their role alone take the country of where it happened.
        assert_eq!(events("A car bomb killed 15 people in Kabul."), ["--- -> AFGPPL 1832 [A car bomb]"]);
    }

    #[test]
    fn compounds_act_on_each_other() {
        check("China and Russia signed an agreement on energy cooperation.", "CHN -> RUS 057; RUS -> CHN 057");
    }

    #[test]
    fn visits_and_hosts() {
        // The infinitive's "to" is no "(TO)" phrase: welcoming a statement is praising it.
        check(
            "The German government welcomed the American statement as proof of a wish for a settlement to be reached.",
            "DEUGOV -> USA 051",
        );
        check("French President Emmanuel Macron visited Kyiv on Monday.", "FRAGOV -> UKRGOV 042; UKRGOV -> FRAGOV 043");
    }

    #[test]
    fn the_past_is_not_today() {
        check("Russia fought Germany in 1944.", "");
        check("Egypt occupied Gaza in the 1948 war.", "");
    }

    /// Like `check`, with each event's date, and history kept (`--historical`).
    fn check_dated(text: &str, expect: &str) {
        let keeping = pipeline().with_options(CodingOptions { historical: true, ..CodingOptions::default() });
        let article = test_article(text);
        let got: Vec<String> = keeping
            .code(&article)
            .events
            .iter()
            .map(|e| {
                let date = e.date.map_or("-".to_string(), |d| d.to_string());
                let flag = if e.historical { " historical" } else { "" };
                format!("{} -> {} {} @{date}{flag}", e.source, e.target, e.code)
            })
            .collect();
        assert_eq!(got.join("; "), expect, "coding {text:?}");
    }

    #[test]
    fn events_are_dated_by_their_clause() {
        check_dated("Putin on Monday praised the Syrian army.", "RUSGOV -> SYRMIL 051 @2026-01-26");
        check_dated("Egypt occupied Gaza in the 1948 war.", "EGY -> PSEGZA 192 @1948 historical");
        // An intent is expressed when it is announced, whenever the act is to be.
        check_dated("Israel will attack Hezbollah next week.", "ISR -> LBNREB 138 @2026-01-28");
    }

    /// A passive verb's subject is matched as the active verb's object, and a relation's two
    /// sides act on each other: named in it, or in the relation the sentence spoke of before.
    #[test]
    fn relations_have_two_sides() {
        check("Relations between Egypt and Iran were restored.", "EGY -> IRN 050; IRN -> EGY 050");
        check_dated(
            "The minister praised Egypt-Iran ties, noting that diplomatic relations were established in 1939.",
            "---GOV -> EGY 051 @2026-01-28; EGY -> IRN 054 @1939 historical; IRN -> EGY 054 @1939 historical",
        );
    }

    #[test]
    fn conditions_are_not_acts() {
        check("If Iran attacks Israel, the United States will defend it.", "");
        check("Israel will strike Iran if Iran attacks Saudi Arabia.", "ISR -> IRN 138");
        // "if" opening a complement is "whether".
        check("Putin said he did not remember if Russia had attacked Ukraine.", "RUS -> UKR 190");
    }
}
