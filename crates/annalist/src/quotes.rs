//! Quotations and other attributions: who said (or thinks, wants, reports) what, with the cue that
//! says so.
//!
//! An attribution has a **cue** (a verb of saying, thinking or showing: "said", "told", "believes",
//! "shows"; or "according to"), a **source** (the cue's subject: "Putin", "he", "a CNN tally") and
//! a **content**:
//! - **direct**: a quotation next to the cue, before it ("“We support you,” Putin said"), after it
//!   ("He told reporters: “...”") or around it (interrupted); quotations run over sentences and
//!   paragraphs (a paragraph that opens with a quotation mark continues an open quotation);
//! - **mixed**: reported speech with a quoted phrase in it ("noted that cooperation “moved from
//!   the dead point”"), the whole content given with its `quoted` fragments;
//! - **indirect**: the cue's clausal complement ("said that ...", "noted that ..."), its infinitive
//!   ("wants to ..."), its object ("praised the advancement of the army"), the clause a reporting
//!   clause interrupts ("X attacked Y, officials said"), or the clause "according to" modifies.
//!
//! Each token belongs to at most one attribution: a cue inside another's content or inside a
//! quotation is part of what was said, not an attribution of its own. The speaker is the source's
//! referent ([`crate::coref`]) under its fullest name, with its actor code on the article's date.

use crate::analysis::Analysis;
use crate::coref::Coreference;
use crate::nlp::{ParsedSentence, TaggedSentence, Upos};
use crate::text::{Span, TokenKind};
use serde::Serialize;

/// A quotation or other attribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// `&text[span]`: what was said, without the quotation marks of a direct quote.
    pub text: String,
    pub span: Span,
    /// The pieces of a content that something interrupts (“...,” he said, “...”), when there are
    /// several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Span>,
    /// The verbatim fragments inside a mixed quote's content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quoted: Vec<Span>,
    pub kind: QuoteKind,
    pub cue: String,
    pub cue_span: Span,
    /// The speaker's fullest name in the article (for "he", the person "he" stands for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// The words naming the speaker at the cue ("Putin", "he", "a CNN tally").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_span: Option<Span>,
    /// Where the fullest name stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_name_span: Option<Span>,
    /// The speaker's CAMEO actor code on the article's date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_actor: Option<String>,
    /// Index of the sentence of the cue.
    pub sentence: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Mixed,
    Indirect,
}

/// A passage inside quotation marks, possibly over several paragraphs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// From the first quoted character to the last, marks excluded.
    pub span: Span,
    /// One span per paragraph it runs over.
    pub parts: Vec<Span>,
    /// The opening and closing marks (the closing one is empty where a paragraph ends the
    /// quotation unclosed).
    pub open: Span,
    pub close: Span,
}

/// Whether a tagged sentence may hold an attribution, and so is worth parsing: it has a cue verb,
/// "according to", or a quotation mark.
pub fn may_have_quote(text: &str, sentence: &TaggedSentence) -> bool {
    sentence.tokens.iter().any(|t| {
        let form = &text[t.token.span];
        (t.upos == Upos::Verb && verb_cue_class(form, &t.lemma).is_some())
            || form.eq_ignore_ascii_case("according")
            || is_quote_mark(form)
            || matches!(form, "'" | "`")
    })
}

/// The quotations of a text, found from its quotation marks over the article's sentences.
/// Curly marks, straight ones (which alternate), and TeX-style ``...'' pair up; a quotation left
/// open at the end of a paragraph continues when the next paragraph opens with a mark, as news
/// writes a quote of several paragraphs, and ends there otherwise.
pub fn quotations(text: &str, sentences: &[TaggedSentence]) -> Vec<Quotation> {
    let mut found = Vec::new();
    let mut open: Option<(Span, Vec<Span>, u32)> = None; // opening mark, finished parts, part start
    let mut last_paragraph = None;
    let mut paragraph_end = 0u32;
    for sentence in sentences {
        if last_paragraph != Some(sentence.paragraph) {
            // A new paragraph: an open quotation continues only if the paragraph opens with a mark.
            if let Some((mark, mut parts, start)) = open.take() {
                let marks = marks(text, sentence);
                let part = Span { start, end: paragraph_end.max(start) };
                parts.push(part);
                let first_token = sentence.tokens.first().map(|t| t.token.span.start);
                let opening = marks.first().filter(|m| Some(m.start) == first_token && is_opening_mark(&text[**m]));
                if let Some(&next) = opening {
                    open = Some((mark, parts, next.end));
                    last_paragraph = Some(sentence.paragraph);
                    paragraph_end = sentence.span.end;
                    for &mark in &marks[1..] {
                        handle_mark(text, mark, &mut open, &mut found);
                    }
                    continue;
                }
                found.push(finish(text, mark, parts, Span { start: paragraph_end, end: paragraph_end }));
            }
            last_paragraph = Some(sentence.paragraph);
        }
        paragraph_end = sentence.span.end;
        for mark in marks(text, sentence) {
            handle_mark(text, mark, &mut open, &mut found);
        }
    }
    if let Some((mark, mut parts, start)) = open {
        parts.push(Span { start, end: paragraph_end.max(start) });
        found.push(finish(text, mark, parts, Span { start: paragraph_end, end: paragraph_end }));
    }
    found.retain(|q| !q.span.is_empty());
    found
}

/// The quotation marks of a sentence, the two apostrophes or backquotes of `''` and ``` `` ```
/// (which the tokenizer splits) joined into one.
fn marks(text: &str, sentence: &TaggedSentence) -> Vec<Span> {
    let mut marks: Vec<Span> = Vec::new();
    let tokens = &sentence.tokens;
    let mut i = 0;
    while i < tokens.len() {
        let span = tokens[i].token.span;
        let form = &text[span];
        if matches!(form, "'" | "`") {
            if let Some(next) =
                tokens.get(i + 1).filter(|n| n.token.span.start == span.end && text[n.token.span] == *form)
            {
                marks.push(span.cover(next.token.span));
                i += 2;
                continue;
            }
        }
        if is_quote_mark(form) {
            marks.push(span);
        }
        i += 1;
    }
    marks
}

fn handle_mark(text: &str, span: Span, open: &mut Option<(Span, Vec<Span>, u32)>, found: &mut Vec<Quotation>) {
    let form = &text[span];
    if !is_quote_mark(form) {
        return;
    }
    match open.take() {
        Some((mark, mut parts, start)) if is_closing_mark(form) => {
            parts.push(Span { start, end: span.start.max(start) });
            found.push(finish(text, mark, parts, span));
        }
        Some(state) => *open = Some(state),
        None if is_opening_mark(form) => *open = Some((span, Vec::new(), span.end)),
        None => {}
    }
}

fn finish(text: &str, open: Span, parts: Vec<Span>, close: Span) -> Quotation {
    // What is quoted, without the spaces and the comma that hand over to the cue ("...regard,”").
    let parts: Vec<Span> = parts
        .into_iter()
        .map(|p| {
            let inner = &text[p];
            let start = p.start as usize + (inner.len() - inner.trim_start().len());
            let trimmed = inner.trim().trim_end_matches(',').trim_end();
            Span::new(start, start + trimmed.len())
        })
        .filter(|p| !p.is_empty())
        .collect();
    let span = match (parts.first(), parts.last()) {
        (Some(first), Some(last)) => first.cover(*last),
        _ => Span { start: open.end, end: open.end },
    };
    Quotation { span, parts, open, close }
}

fn is_quote_mark(form: &str) -> bool {
    matches!(form, "\"" | "“" | "”" | "``" | "''" | "«" | "»" | "„")
}

/// Marks that open a quotation when none is open. `''` is one: some papers write it on both
/// sides (''Guarantees are good,'' she said).
fn is_opening_mark(form: &str) -> bool {
    matches!(form, "\"" | "“" | "``" | "«" | "„" | "''")
}

fn is_closing_mark(form: &str) -> bool {
    matches!(form, "\"" | "”" | "''" | "»" | "“")
}

/// What a cue verb reports, which decides what can be its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CueClass {
    /// Verbs of saying: a clause, a quotation, or what interrupts them.
    Speech,
    /// Verbs of thinking, wanting, fearing: a clause or an infinitive.
    Thought,
    /// Verbs of showing and finding: a clause, or an object when a poll or a study shows it.
    Evidence,
    /// Speech acts with an object: praising, criticizing, accusing, endorsing.
    Stance,
    /// "seems", "appears": a judgment without a source ("Olivieri seemed to be on a search").
    Seeming,
}

/// The cue verbs by lemma, grouped by what they report: verbs of communication, of cognition and
/// desire, of evidence, the evaluative speech acts news attributes ("praised", "accused"), and
/// the verbs of seeming. Whole synonym sets; a verb whose other senses are mostly not
/// attributions ("hold", "put", "need", "see") is left out.
const CUES: &[(CueClass, &[&str])] = &[
    (
        CueClass::Speech,
        &[
            "say",
            "tell",
            "add",
            "note",
            "write",
            "tweet",
            "post",
            "ask",
            "announce",
            "report",
            "argue",
            "claim",
            "explain",
            "state",
            "declare",
            "insist",
            "respond",
            "reply",
            "answer",
            "warn",
            "suggest",
            "acknowledge",
            "admit",
            "concede",
            "deny",
            "confirm",
            "reveal",
            "disclose",
            "mention",
            "stress",
            "emphasize",
            "emphasise",
            "underscore",
            "highlight",
            "predict",
            "promise",
            "vow",
            "pledge",
            "urge",
            "recall",
            "complain",
            "boast",
            "brag",
            "joke",
            "quip",
            "lament",
            "contend",
            "assert",
            "maintain",
            "remark",
            "observe",
            "comment",
            "testify",
            "allege",
            "caution",
            "advise",
            "inform",
            "assure",
            "reassure",
            "remind",
            "signal",
            "imply",
            "hint",
            "forecast",
            "reiterate",
            "repeat",
            "conclude",
            "proclaim",
            "speculate",
            "wonder",
            "question",
            "demand",
            "propose",
            "recommend",
            "threaten",
            "apologize",
            "apologise",
            "agree",
            "disagree",
            "counter",
            "retort",
            "shout",
            "chant",
            "scream",
            "yell",
            "whisper",
            "mutter",
            "plead",
            "beg",
            "pronounce",
            "concur",
            "affirm",
            "posit",
            "theorize",
            "surmise",
            "guess",
            "tout",
            "preach",
            "describe",
            "portray",
            "characterize",
            "characterise",
            "label",
            "call",
            "term",
            "dub",
            "brand",
            "cite",
            "quote",
            "refer",
            "recount",
            "detail",
            "outline",
            "voice",
            "express",
            "offer",
            "point",
            "talk",
            "speak",
            "discuss",
            "address",
            "decline",
            "refuse",
            "read",
            "continue",
        ],
    ),
    (
        CueClass::Thought,
        &[
            "think",
            "believe",
            "know",
            "feel",
            "expect",
            "hope",
            "fear",
            "worry",
            "want",
            "wish",
            "prefer",
            "doubt",
            "suspect",
            "assume",
            "presume",
            "suppose",
            "understand",
            "realize",
            "realise",
            "recognize",
            "recognise",
            "consider",
            "regard",
            "view",
            "decide",
            "plan",
            "intend",
            "seek",
            "aim",
            "reckon",
            "imagine",
            "envision",
            "envisage",
            "anticipate",
            "dream",
            "remember",
            "forget",
            "favor",
            "favour",
            "dread",
            "regret",
        ],
    ),
    (CueClass::Evidence, &["show", "find", "indicate", "demonstrate", "prove", "project", "estimate"]),
    (
        CueClass::Stance,
        &[
            "praise",
            "criticize",
            "criticise",
            "accuse",
            "blame",
            "attack",
            "slam",
            "blast",
            "mock",
            "ridicule",
            "dismiss",
            "reject",
            "defend",
            "endorse",
            "support",
            "back",
            "oppose",
            "challenge",
            "condemn",
            "denounce",
            "decry",
            "welcome",
            "thank",
            "congratulate",
            "applaud",
            "commend",
            "hail",
            "laud",
            "salute",
            "lambaste",
            "berate",
            "scold",
            "rebuke",
            "chide",
            "castigate",
            "excoriate",
            "assail",
            "deride",
            "disparage",
            "belittle",
            "insult",
            "taunt",
            "lampoon",
            "fault",
            "charge",
            "dispute",
            "rebut",
            "refute",
            "contradict",
            "champion",
            "advocate",
            "implore",
            "rail",
            "lash",
        ],
    ),
    (CueClass::Seeming, &["seem", "appear"]),
];

/// Verbs of saying whose content can be an object or a prepositional phrase: "called the plan a
/// disaster", "described him as kind", "called for a ban", "asked about his health", "cited a
/// poll", "referring to the shooting".
const OBJECT_SPEECH: &[&str] = &[
    "call",
    "describe",
    "portray",
    "characterize",
    "characterise",
    "label",
    "term",
    "dub",
    "brand",
    "cite",
    "quote",
    "refer",
    "ask",
    "question",
    "propose",
    "offer",
    "announce",
    "reveal",
    "recall",
    "mention",
    "discuss",
    "address",
    "detail",
    "outline",
    "express",
    "voice",
    "deny",
    "confirm",
    "predict",
    "promise",
    "demand",
    "recommend",
    "point",
    "talk",
    "speak",
    "highlight",
    "stress",
    "emphasize",
    "emphasise",
    "underscore",
    "tout",
    "decline",
    "refuse",
    "urge",
    "read",
    "threaten",
    "vow",
    "pledge",
];

/// Cues that report something in the passive, with no source: "is expected to win", "is said to
/// be", "it was reported that", "is believed to".
const PASSIVE_CUES: &[&str] = &[
    "expect", "report", "say", "believe", "think", "know", "consider", "view", "estimate", "project", "rumor", "rumour",
];

/// The prepositions that introduce the content of verbs of saying that take one: "called for a
/// ban", "asked about his health", "referring to the shooting", "spoke about trade". A verb not
/// listed takes any of "for", "on", "about", "to", "of", "as".
const CONTENT_PREPOSITIONS: &[(&str, &[&str])] = &[
    ("speak", &["about", "of"]),
    ("talk", &["about", "of"]),
    ("refer", &["to"]),
    ("point", &["to"]),
    ("call", &["for", "on"]),
    ("ask", &["about", "for"]),
    ("address", &[]),
    ("offer", &[]),
    ("read", &[]),
];

/// Verbs of saying whose object is the one spoken to, not what is said: "told reporters",
/// "warned Congress". (What they say is a clause or a quotation.)
const ADDRESSEE_OBJECT: &[&str] = &[
    "tell", "inform", "remind", "assure", "reassure", "warn", "advise", "caution", "urge", "beg", "continue", "say",
    "add", "answer", "reply", "respond",
];

/// Verbs that report only next to a quotation ("“...,” he continued"): elsewhere they mean
/// something else ("continues to lead").
const DIRECT_ONLY: &[&str] = &["continue"];

/// Verbs of thinking whose content can be an object: "wants more funding", "expects a win".
const OBJECT_THOUGHT: &[&str] = &["want", "wish", "prefer", "expect", "fear", "favor", "favour", "seek", "doubt"];

/// Nouns for what speaks without a speaker: polls, studies, statements. A poll "shows" something,
/// and "in a poll" attributes what follows to it.
const EVIDENCE_NOUNS: &[&str] = &[
    "poll",
    "survey",
    "study",
    "report",
    "statement",
    "interview",
    "letter",
    "speech",
    "op-ed",
    "tweet",
    "memo",
    "analysis",
    "filing",
    "book",
    "essay",
    "column",
    "editorial",
    "post",
    "email",
    "e-mail",
    "article",
    "ad",
    "advertisement",
    "video",
    "message",
    "remarks",
    "testimony",
    "document",
    "documents",
    "complaint",
    "lawsuit",
    "ruling",
    "opinion",
    "audit",
    "review",
    "tally",
    "count",
    "data",
    "figures",
    "estimate",
    "estimates",
    "projection",
    "model",
    "forecast",
    "average",
    "research",
    "investigation",
    "results",
    "numbers",
    "polls",
    "surveys",
    "studies",
    "reports",
    "statistics",
    "records",
    "census",
];

/// The class of a cue lemma: the first class that lists it.
fn cue_class(lemma: &str) -> Option<CueClass> {
    CUES.iter().find(|(_, lemmas)| lemmas.contains(&lemma)).map(|(class, _)| *class)
}

/// The cue lemma of a verb token and its class: its lemma if it is a cue, else the first of its
/// form's regular stems that is one, since the lemmatizer can miss ("noting" lemmatized "not").
fn verb_cue(form: &str, lemma: &str) -> Option<(String, CueClass)> {
    let lemma = lemma.to_lowercase();
    if let Some(class) = cue_class(&lemma) {
        return Some((lemma, class));
    }
    let form = form.to_lowercase();
    let mut stems: Vec<String> = vec![form.clone()];
    for (suffix, replacements) in
        [("ing", &["", "e"][..]), ("ed", &["", "e"]), ("ies", &["y"]), ("es", &["", "e"]), ("s", &[""])]
    {
        if let Some(stem) = form.strip_suffix(suffix) {
            stems.extend(replacements.iter().map(|r| format!("{stem}{r}")));
        }
    }
    stems.into_iter().find_map(|stem| cue_class(&stem).map(|class| (stem, class)))
}

fn verb_cue_class(form: &str, lemma: &str) -> Option<CueClass> {
    verb_cue(form, lemma).map(|(_, class)| class)
}

/// Finds the attributions of an analysed article.
pub fn attribute_quotes(analysis: &Analysis<'_>) -> Vec<Quote> {
    let finder = Finder { analysis, quotations: &analysis.quotations, coreference: &analysis.coreference };
    finder.find()
}

/// An attribution being built: token indices within its cue's sentence, except the content,
/// which is a set of byte spans (a direct quotation may run over sentences).
#[derive(Clone, Debug)]
struct Attribution {
    sentence: usize,
    cue: Vec<usize>,
    source: Option<(usize, Vec<usize>)>,
    content: Vec<Span>,
    kind: QuoteKind,
}

struct Finder<'f, 'a> {
    analysis: &'f Analysis<'a>,
    quotations: &'f [Quotation],
    coreference: &'f Coreference,
}

impl Finder<'_, '_> {
    fn find(&self) -> Vec<Quote> {
        let mut taken: Vec<Span> = Vec::new();
        let mut attributions: Vec<Attribution> = Vec::new();
        // Direct quotations first: a cue next to a quotation takes it whole.
        let mut linked = vec![false; self.quotations.len()];
        for (index, quotation) in self.quotations.iter().enumerate() {
            if let Some(attribution) = self.direct(quotation) {
                linked[index] = true;
                taken.extend(attribution.content.iter().copied());
                taken.extend(self.token_spans(attribution.sentence, &attribution.cue));
                attributions.push(attribution);
            }
        }
        // Then the cues of every parsed sentence, shallowest first, each outside what is taken.
        for (index, parsed) in self.analysis.parsed.iter().enumerate() {
            let Some(parsed) = parsed else { continue };
            let mut cues: Vec<usize> = (0..parsed.tokens.len()).filter(|&t| self.is_cue(parsed, t)).collect();
            cues.sort_by_key(|&t| depth(parsed, t));
            for verb in cues {
                let span = parsed.tokens[verb].token.span;
                if taken.iter().any(|t| t.contains(span)) || self.in_quotation(span) {
                    continue;
                }
                let Some(mut attribution) = self.indirect(index, parsed, verb) else { continue };
                // A quotation inside the content makes it mixed.
                let quoted = self.quoted_inside(&attribution.content);
                if !quoted.is_empty() {
                    attribution.kind = QuoteKind::Mixed;
                }
                for quotation in quoted {
                    if let Some(i) = self.quotations.iter().position(|q| q.span == quotation) {
                        linked[i] = true;
                    }
                }
                taken.extend(attribution.content.iter().copied());
                attributions.push(attribution);
            }
        }
        let mut quotes: Vec<Quote> = attributions.into_iter().filter_map(|a| self.quote(a)).collect();
        quotes.sort_by_key(|q| (q.sentence, q.cue_span.start));
        quotes
    }

    fn parsed(&self, sentence: usize) -> Option<&ParsedSentence> {
        self.analysis.parsed.get(sentence)?.as_ref()
    }

    fn text(&self) -> &str {
        self.analysis.text
    }

    fn key(&self, parsed: &ParsedSentence, token: usize) -> String {
        self.text()[parsed.tokens[token].token.span].to_lowercase()
    }

    fn token_spans(&self, sentence: usize, tokens: &[usize]) -> Vec<Span> {
        let Some(parsed) = self.parsed(sentence) else { return Vec::new() };
        tokens.iter().map(|&t| parsed.tokens[t].token.span).collect()
    }

    fn in_quotation(&self, span: Span) -> bool {
        self.quotations.iter().any(|q| q.parts.iter().any(|p| p.contains(span)))
    }

    /// The quotations inside a content.
    fn quoted_inside(&self, content: &[Span]) -> Vec<Span> {
        self.quotations.iter().filter(|q| content.iter().any(|c| c.contains(q.span))).map(|q| q.span).collect()
    }

    /// Whether token `t` is a cue: a verb of a cue class, or "according" of "according to".
    fn is_cue(&self, parsed: &ParsedSentence, t: usize) -> bool {
        let token = &parsed.tokens[t];
        match self.key(parsed, t).as_str() {
            "according" => {
                return parsed
                    .tokens
                    .get(t + 1)
                    .is_some_and(|next| self.text()[next.token.span].eq_ignore_ascii_case("to"))
            }
            "in" => return self.in_evidence(parsed, t).is_some(),
            ":" => return self.name_colon(parsed, t),
            _ => {}
        }
        token.upos == Upos::Verb && verb_cue_class(&self.text()[token.token.span], &token.lemma).is_some()
    }

    /// "In a Washington Post-ABC News poll released Sunday, 8 percent of Democrats said ...": an
    /// "in" whose noun is a poll, a statement or the like, on a clause that no verb of saying
    /// heads ("said in a statement" is the verb's). The noun's token.
    fn in_evidence(&self, parsed: &ParsedSentence, t: usize) -> Option<usize> {
        let tokens = &parsed.tokens;
        let noun = tokens[t].head.filter(|_| tokens[t].deprel == "case")?;
        // One poll or statement, determined ("in a CBS News poll", "in his speech"), not where one
        // stands ("rises in the polls").
        let determined = parsed.children(noun).any(|c| matches!(tokens[c].deprel, "det" | "nmod:poss"));
        if !EVIDENCE_NOUNS.contains(&tokens[noun].lemma.to_lowercase().as_str())
            || !tokens[noun].deprel.starts_with("obl")
            || tokens[noun].xpos == "NNS"
            || !determined
        {
            return None;
        }
        let clause = tokens[noun].head?;
        let clause_token = &tokens[clause];
        let speaking = clause_token.upos == Upos::Verb
            && verb_cue_class(&self.text()[clause_token.token.span], &clause_token.lemma).is_some();
        (!speaking).then_some(noun)
    }

    /// "Clinton: Trump's view of the world is dangerously wrong": a colon after a name that opens
    /// the sentence (a headline's or a transcript's speaker).
    fn name_colon(&self, parsed: &ParsedSentence, t: usize) -> bool {
        (1..=4).contains(&t)
            && t + 1 < parsed.tokens.len()
            && (0..t).all(|i| parsed.tokens[i].upos == Upos::Propn || self.key(parsed, i) == ".")
    }

    // -----------------------------------------------------------------------------------------
    // Direct quotations

    /// The attribution of a quotation: a cue right after it in the sentence where it closes ("...,”
    /// Putin said"), or right before it in the sentence where it opens ("Putin said: “...”"), or
    /// the cue of a sentence that introduces it and ends with a colon.
    fn direct(&self, quotation: &Quotation) -> Option<Attribution> {
        let sentences = &self.analysis.tagged;
        let close_sentence = sentences
            .iter()
            .position(|s| s.span.start <= quotation.close.start && quotation.close.start <= s.span.end)?;
        let open_sentence =
            sentences.iter().position(|s| s.span.start <= quotation.open.start && quotation.open.start < s.span.end)?;
        if let Some(found) = self.cue_after(quotation, close_sentence) {
            return Some(found);
        }
        if let Some(found) = self.cue_before(quotation, open_sentence) {
            return Some(found);
        }
        // "He said:" ending the sentence before a quotation that opens its own.
        let opens_sentence =
            sentences[open_sentence].tokens.first().is_some_and(|t| t.token.span.start == quotation.open.start);
        if opens_sentence && open_sentence > 0 {
            let previous = open_sentence - 1;
            let parsed = self.parsed(previous)?;
            let last = parsed
                .tokens
                .iter()
                .rposition(|t| t.token.kind != TokenKind::Punct || self.text()[t.token.span] == *":")?;
            if self.text()[parsed.tokens[last].token.span] == *":" {
                let verb = (0..last).rev().find(|&t| self.is_cue(parsed, t) && parsed.tokens[t].upos == Upos::Verb)?;
                return Some(self.direct_attribution(previous, parsed, verb, quotation));
            }
        }
        None
    }

    /// A cue after the closing mark, with only punctuation, its subject and auxiliaries between:
    /// "...,” Putin said", "...,” said Putin", "...,” he added", "...,” the minister told reporters".
    fn cue_after(&self, quotation: &Quotation, sentence: usize) -> Option<Attribution> {
        let parsed = self.parsed(sentence)?;
        let after = parsed
            .tokens
            .iter()
            .position(|t| t.token.span.start >= quotation.close.end.max(quotation.close.start + 1))?;
        // The quotation must end its clause: a comma or a mark of its own before the cue.
        let text = self.text();
        let before_close = &text[quotation.open.end as usize..quotation.close.start.max(quotation.open.end) as usize];
        let ends_clause = before_close.trim_end().ends_with([',', '?', '!', '.', '…', ':', '-', '—'])
            || text[parsed.tokens[after].token.span] == *","
            || text[parsed.tokens[after].token.span] == *"—";
        if !ends_clause {
            return None;
        }
        for t in after..parsed.tokens.len().min(after + 12) {
            let token = &parsed.tokens[t];
            if self.is_cue(parsed, t) && token.upos == Upos::Verb {
                return Some(self.direct_attribution(sentence, parsed, t, quotation));
            }
            if is_quote_mark(&text[token.token.span]) {
                return None;
            }
        }
        None
    }

    /// A cue before the opening mark, with only a colon or comma (and the cue's objects) between:
    /// "Putin said: “...”", "He told reporters, “...”".
    fn cue_before(&self, quotation: &Quotation, sentence: usize) -> Option<Attribution> {
        let parsed = self.parsed(sentence)?;
        let text = self.text();
        let open = parsed.tokens.iter().position(|t| t.token.span.start == quotation.open.start)?;
        let mark = open.checked_sub(1)?;
        if !matches!(&text[parsed.tokens[mark].token.span], ":" | ",") {
            return None;
        }
        let verb = (0..mark).rev().take(8).find(|&t| self.is_cue(parsed, t) && parsed.tokens[t].upos == Upos::Verb)?;
        // Between the verb and the mark: only the verb's own dependents (an object, an adverb).
        if (verb + 1..mark).any(|t| !parsed.dominates(verb, t)) {
            return None;
        }
        Some(self.direct_attribution(sentence, parsed, verb, quotation))
    }

    fn direct_attribution(
        &self,
        sentence: usize,
        parsed: &ParsedSentence,
        verb: usize,
        quotation: &Quotation,
    ) -> Attribution {
        // The speaker is never inside the quotation: a parser can take the quotation's first word
        // for the cue's subject ("“I do well,” said Iampaglia": not "I").
        let inside = |t: usize| quotation.parts.iter().any(|p| p.contains(parsed.tokens[t].token.span));
        let source = self
            .source(parsed, verb)
            .filter(|(head, _)| !inside(*head))
            .map(|(head, phrase)| (head, phrase.into_iter().filter(|&t| !inside(t)).collect::<Vec<_>>()))
            .or_else(|| self.speaker_beside(parsed, verb, &inside));
        Attribution {
            sentence,
            cue: self.cue_tokens(parsed, verb),
            source,
            content: quotation.parts.clone(),
            kind: QuoteKind::Direct,
        }
    }

    /// The speaker of a direct quote read off the words: between the quotation and the cue ("...,”
    /// the senator said"), else after the cue ("...,” said Hank Sheinkopf, a strategist").
    fn speaker_beside(
        &self,
        parsed: &ParsedSentence,
        verb: usize,
        inside: &dyn Fn(usize) -> bool,
    ) -> Option<(usize, Vec<usize>)> {
        let tokens = &parsed.tokens;
        let words = |range: std::ops::Range<usize>| -> Vec<usize> {
            range.filter(|&t| !inside(t) && tokens[t].token.kind != TokenKind::Punct).collect()
        };
        let start = (0..verb)
            .rev()
            .find(|&t| inside(t) || is_quote_mark(&self.text()[tokens[t].token.span]))
            .map_or(0, |t| t + 1);
        let before = words(start..verb);
        let phrase = if before.iter().any(|&t| matches!(tokens[t].upos, Upos::Noun | Upos::Propn | Upos::Pron)) {
            before
        } else {
            let end = (verb + 1..tokens.len())
                .find(|&t| inside(t) || is_quote_mark(&self.text()[tokens[t].token.span]))
                .unwrap_or(tokens.len());
            words(verb + 1..end)
        };
        let head = phrase.iter().copied().find(|&t| matches!(tokens[t].upos, Upos::Propn | Upos::Noun | Upos::Pron))?;
        // The name's own head: the last word of a run of names ("Hank Sheinkopf").
        let head = phrase
            .iter()
            .copied()
            .skip_while(|&t| t != head)
            .take_while(|&t| tokens[t].upos == tokens[head].upos)
            .last()
            .unwrap_or(head);
        Some((head, phrase))
    }

    // -----------------------------------------------------------------------------------------
    // Indirect attributions

    /// The attribution of the cue at `verb` that is not next to a quotation: its content from the
    /// tree, if it has one.
    fn indirect(&self, sentence: usize, parsed: &ParsedSentence, verb: usize) -> Option<Attribution> {
        match self.key(parsed, verb).as_str() {
            "according" => return self.according_to(sentence, parsed, verb),
            "in" => {
                let noun = self.in_evidence(parsed, verb)?;
                return self.phrase_attribution(sentence, parsed, vec![verb], noun);
            }
            ":" => {
                let end = parsed.tokens.len();
                let content: Vec<usize> = (verb + 1..end).collect();
                let spans = self.spans_of(parsed, &content);
                let source = (0..verb).rev().find(|&i| parsed.tokens[i].head.is_none_or(|h| h >= verb)).unwrap_or(0);
                return (!spans.is_empty()).then(|| Attribution {
                    sentence,
                    cue: vec![verb],
                    source: Some((source, (0..verb).collect())),
                    content: spans,
                    kind: QuoteKind::Indirect,
                });
            }
            _ => {}
        }
        let token = &parsed.tokens[verb];
        let (lemma, class) = verb_cue(&self.text()[token.token.span], &token.lemma)?;
        // A participle modifying a noun names, it does not report: "a company called Cambridge
        // Analytica", "pledged delegates", "the questions asked of the candidates".
        let modifier = matches!(token.deprel, "amod" | "compound") || token.deprel == "acl" && token.xpos == "VBN";
        // A passive cue has no source; only a few report something then ("is expected to win",
        // "it was reported that").
        let passive = parsed.children(verb).any(|c| matches!(parsed.tokens[c].deprel, "aux:pass" | "nsubj:pass"));
        if modifier || passive && !PASSIVE_CUES.contains(&lemma.as_str()) || DIRECT_ONLY.contains(&lemma.as_str()) {
            return None;
        }
        let content = self.content(parsed, verb, &lemma, class)?;
        let spans = self.spans_of(parsed, &content);
        if spans.is_empty() {
            return None;
        }
        let source = if class == CueClass::Seeming { None } else { self.source(parsed, verb) };
        Some(Attribution {
            sentence,
            cue: self.cue_tokens(parsed, verb),
            source,
            content: spans,
            kind: QuoteKind::Indirect,
        })
    }

    /// The tokens of a cue's content: what the tree attaches to it, else what the words around it
    /// say (a clause after "that" or a colon, or the clause before ", officials said"), since the
    /// parser often misattaches reported clauses.
    fn content(&self, parsed: &ParsedSentence, verb: usize, lemma: &str, class: CueClass) -> Option<Vec<usize>> {
        let tokens = &parsed.tokens;
        let children: Vec<usize> = parsed.children(verb).collect();
        let deprel = |t: usize| tokens[t].deprel;
        let after: Vec<usize> = children.iter().copied().filter(|&c| c > verb).collect();
        // A clausal complement: "said (that) ...", "believes ...", "shows that ...".
        if let Some(&clause) = children.iter().find(|&&c| matches!(deprel(c), "ccomp" | "csubj")) {
            let mut content = subtree(parsed, clause);
            if class == CueClass::Seeming {
                content.extend(self.subject_tokens(parsed, verb));
            }
            return Some(content);
        }
        // "noted that economic cooperation “moved ...”": "that" right after a verb of saying or
        // thinking opens its content, whatever the parser made of the clause (an object and an
        // infinitive, when the mark misleads it).
        let that_follows = tokens.get(verb + 1).is_some_and(|_| self.key(parsed, verb + 1) == "that");
        if that_follows && matches!(class, CueClass::Speech | CueClass::Thought | CueClass::Evidence) {
            let clause: Vec<usize> = after
                .iter()
                .filter(|&&c| matches!(deprel(c), "obj" | "iobj" | "xcomp" | "advcl" | "obl" | "dep"))
                .flat_map(|&c| subtree(parsed, c))
                .collect();
            if !clause.is_empty() {
                return Some(clause);
            }
        }
        // A reporting clause that interrupts or follows what it reports ("X attacked Y, officials
        // said"): the clause it hangs on, less its own words.
        if deprel(verb) == "parataxis" && class == CueClass::Speech {
            let head = tokens[verb].head?;
            let own = subtree(parsed, verb);
            return Some(subtree(parsed, head).into_iter().filter(|t| !own.contains(t)).collect());
        }
        if let Some(&clause) =
            children.iter().find(|&&c| deprel(c) == "parataxis" && c < verb && class == CueClass::Speech)
        {
            return Some(subtree(parsed, clause));
        }
        let objects: Vec<usize> = after.iter().copied().filter(|&c| matches!(deprel(c), "obj" | "iobj")).collect();
        // An infinitive or small clause: "wants to ...", "declined to comment", "urged Congress to
        // act", "seemed to be on a search".
        if let Some(&complement) = after.iter().find(|&&c| deprel(c) == "xcomp") {
            let mut content: Vec<usize> = subtree(parsed, complement);
            let with_object =
                class == CueClass::Stance || OBJECT_SPEECH.contains(&lemma) || OBJECT_THOUGHT.contains(&lemma);
            if with_object || class == CueClass::Thought {
                for &object in &objects {
                    content.extend(subtree(parsed, object));
                }
            }
            if class == CueClass::Seeming {
                content.extend(self.subject_tokens(parsed, verb));
            }
            return Some(content);
        }
        if class == CueClass::Seeming {
            return None;
        }
        // An object: what is praised, described, wanted, or shown by a poll ("praised the
        // advancement of the army", "called the plan a disaster", "wants more funding", "polls
        // show Clinton with a lead"), with the phrases that go with it ("praised her for changing
        // her position", "described him as kind"), not a cue of their own ("praised the army,
        // saying ...").
        let takes_object = match class {
            CueClass::Stance => true,
            // Most verbs of saying can say a noun ("conceded defeat", "tweeted her thanks"); those
            // whose object is the one spoken to cannot ("told reporters").
            CueClass::Speech => OBJECT_SPEECH.contains(&lemma) || !ADDRESSEE_OBJECT.contains(&lemma),
            CueClass::Thought => OBJECT_THOUGHT.contains(&lemma),
            CueClass::Evidence => self.evidence_subject(parsed, verb),
            CueClass::Seeming => false,
        };
        if takes_object {
            let first = objects.first().copied().or_else(|| {
                // "called for a ban", "asked about his health", "referring to the shooting".
                let prepositions: &[&str] = CONTENT_PREPOSITIONS
                    .iter()
                    .find(|(verb, _)| *verb == lemma)
                    .map_or(&["for", "on", "about", "to", "of", "as"], |(_, p)| p);
                after.iter().copied().find(|&c| {
                    deprel(c).starts_with("obl")
                        && parsed
                            .children_with(c, "case")
                            .any(|case| prepositions.contains(&self.key(parsed, case).as_str()))
                })
            });
            if let Some(first) = first {
                let mut content = subtree(parsed, first);
                for &child in &after {
                    let own_cue = self.is_cue(parsed, child);
                    if child > first && matches!(deprel(child), "obl" | "advcl" | "xcomp" | "obj") && !own_cue {
                        content.extend(subtree(parsed, child));
                    }
                }
                return Some(content);
            }
        }
        if !matches!(class, CueClass::Speech | CueClass::Thought | CueClass::Evidence) {
            return None;
        }
        self.linear_content(parsed, verb, class)
    }

    /// A cue's content read off the words where the tree gave none: a clause after "that" or a
    /// colon following the verb ("He said, however, that he hopes..."), or, for a verb of saying
    /// whose clause follows a comma, the clause before it ("..., officials said").
    fn linear_content(&self, parsed: &ParsedSentence, verb: usize, class: CueClass) -> Option<Vec<usize>> {
        let tokens = &parsed.tokens;
        let n = tokens.len();
        let end = (0..n).rev().find(|&t| tokens[t].token.kind != TokenKind::Punct)? + 1;
        // "that" or ":" after the verb, with no other verb between.
        for (t, token) in tokens.iter().enumerate().take(end.min(verb + 8)).skip(verb + 1) {
            let key = self.key(parsed, t);
            // Whatever the tagger made of "that" ("said in a statement that Trump has ...").
            if key == "that" || key == ":" {
                return (t + 1 < end).then(|| (if key == ":" { t + 1 } else { t }..end).collect());
            }
            if matches!(token.upos, Upos::Verb | Upos::Aux) {
                break;
            }
        }
        if class != CueClass::Speech {
            return None;
        }
        // ", SOURCE said" after a clause: everything before the comma from the sentence's start
        // (or the last semicolon).
        let subject_start = self.subject_tokens(parsed, verb).into_iter().min().unwrap_or(verb);
        let clause_start = subject_start.min(verb);
        let comma = clause_start.checked_sub(1)?;
        if !matches!(self.key(parsed, comma).as_str(), "," | "—" | "--") || comma == 0 {
            return None;
        }
        let begin = (0..comma).rev().find(|&t| self.key(parsed, t) == ";").map_or(0, |t| t + 1);
        let before: Vec<usize> = (begin..comma).collect();
        if before.len() < 2 {
            return None;
        }
        // "The plan, he said, is dead": a subject alone before, the rest of its clause after.
        let has_verb = before.iter().any(|&t| matches!(tokens[t].upos, Upos::Verb | Upos::Aux));
        let verb_end = subtree(parsed, verb).into_iter().max().unwrap_or(verb);
        if !has_verb && verb_end + 2 < end && self.key(parsed, verb_end + 1) == "," {
            return Some(before.into_iter().chain(verb_end + 2..end).collect());
        }
        has_verb.then_some(before)
    }

    /// The tokens of the verb's subject phrase, if it has one.
    fn subject_tokens(&self, parsed: &ParsedSentence, verb: usize) -> Vec<usize> {
        parsed
            .children(verb)
            .find(|&c| matches!(parsed.tokens[c].deprel, "nsubj" | "nsubj:pass" | "nsubj:outer" | "expl"))
            .map(|subject| subtree(parsed, subject))
            .unwrap_or_default()
    }

    /// Whether the verb's subject is a poll, a study or the like ("A poll found Clinton leading").
    fn evidence_subject(&self, parsed: &ParsedSentence, verb: usize) -> bool {
        parsed
            .children(verb)
            .filter(|&c| parsed.tokens[c].deprel == "nsubj")
            .any(|subject| EVIDENCE_NOUNS.contains(&parsed.tokens[subject].lemma.to_lowercase().as_str()))
    }

    /// "according to X": X is the source, the clause "according to" modifies is the content.
    fn according_to(&self, sentence: usize, parsed: &ParsedSentence, according: usize) -> Option<Attribution> {
        let to = according + 1;
        // UD: "according" is a `case` of the source's noun, which is an oblique of the clause.
        let source_head = parsed.tokens[according].head.filter(|&h| h > to)?;
        self.phrase_attribution(sentence, parsed, vec![according, to], source_head)
    }

    /// An attribution whose cue is a preposition ("according to", "in"): the source is the
    /// phrase it introduces, the content the clause the phrase modifies, less the phrase.
    fn phrase_attribution(
        &self,
        sentence: usize,
        parsed: &ParsedSentence,
        cue: Vec<usize>,
        source_head: usize,
    ) -> Option<Attribution> {
        let clause = parsed.tokens[source_head].head?;
        let phrase = subtree(parsed, source_head);
        let content: Vec<usize> = subtree(parsed, clause).into_iter().filter(|t| !phrase.contains(t)).collect();
        let spans = self.spans_of(parsed, &content);
        if spans.is_empty() {
            return None;
        }
        let last_cue = cue.iter().copied().max().unwrap_or(source_head);
        let source: Vec<usize> = phrase.into_iter().filter(|&t| t > last_cue).collect();
        Some(Attribution {
            sentence,
            cue,
            source: Some((source_head, source)),
            content: spans,
            kind: QuoteKind::Indirect,
        })
    }

    /// The cue's words: the verb with its particle ("pointed out") and auxiliaries next to it.
    fn cue_tokens(&self, parsed: &ParsedSentence, verb: usize) -> Vec<usize> {
        let mut cue = vec![verb];
        for child in parsed.children(verb) {
            if parsed.tokens[child].deprel == "compound:prt" {
                cue.push(child);
            }
        }
        cue.sort_unstable();
        cue
    }

    /// The source: the cue's subject phrase, or the subject of the clause a participle or an
    /// infinitive cue hangs on ("Putin praised the army, saying ..."); none for a passive cue ("is
    /// expected to").
    fn source(&self, parsed: &ParsedSentence, verb: usize) -> Option<(usize, Vec<usize>)> {
        let tokens = &parsed.tokens;
        let mut node = verb;
        for _ in 0..tokens.len() {
            if parsed.children_with(node, "nsubj:pass").next().is_some() && node == verb {
                return None;
            }
            // The subject of a governing clause is shared, passive or not ("FBI officials were
            // angered by the deal and predicted ...").
            let subject = parsed.children(node).find(|&c| {
                matches!(tokens[c].deprel, "nsubj" | "nsubj:outer") || node != verb && tokens[c].deprel == "nsubj:pass"
            });
            if let Some(subject) = subject {
                return Some((subject, subtree(parsed, subject)));
            }
            match (tokens[node].deprel, tokens[node].head) {
                ("advcl" | "xcomp" | "conj", Some(head)) => node = head,
                // "released a statement saying ...": the statement's issuer says it.
                ("acl", Some(noun)) if EVIDENCE_NOUNS.contains(&tokens[noun].lemma.to_lowercase().as_str()) => {
                    node = tokens[noun].head?;
                }
                _ if node == verb && tokens[verb].deprel != "acl" => return self.preceding_source(parsed, verb),
                _ => return None,
            }
        }
        None
    }

    /// Where the tree gives an active cue no subject, the words right before it back to the
    /// previous verb, quotation mark or semicolon, if they name someone ("In July, Sammy Aaron,
    /// vice chairman of G-III, told Forbes", whose appositives a parser can misread).
    fn preceding_source(&self, parsed: &ParsedSentence, verb: usize) -> Option<(usize, Vec<usize>)> {
        let tokens = &parsed.tokens;
        let text = self.text();
        let start = (0..verb)
            .rev()
            .find(|&t| {
                matches!(tokens[t].upos, Upos::Verb | Upos::Aux | Upos::Sconj)
                    && !matches!(tokens[t].deprel, "aux" | "aux:pass" | "cop")
                    || is_quote_mark(&text[tokens[t].token.span])
                    || matches!(&text[tokens[t].token.span], ";" | ":")
            })
            .map_or(0, |t| t + 1);
        let phrase: Vec<usize> =
            (start..verb).filter(|&t| !matches!(tokens[t].deprel, "aux" | "aux:pass" | "advmod")).collect();
        let head =
            phrase.iter().copied().rev().find(|&t| matches!(tokens[t].upos, Upos::Propn | Upos::Noun | Upos::Pron))?;
        Some((head, phrase))
    }

    /// Byte spans of a set of tokens: one per run of consecutive tokens, trimmed of punctuation
    /// and quotation marks at its ends.
    fn spans_of(&self, parsed: &ParsedSentence, tokens: &[usize]) -> Vec<Span> {
        let mut sorted = tokens.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut runs: Vec<Vec<usize>> = Vec::new();
        for t in sorted {
            match runs.last_mut() {
                Some(run) if run.last().is_some_and(|&l| l + 1 == t) => run.push(t),
                _ => runs.push(vec![t]),
            }
        }
        let text = self.text();
        let trim = |t: usize| {
            let form = &text[parsed.tokens[t].token.span];
            parsed.tokens[t].token.kind == TokenKind::Punct && !matches!(form, "%" | "$")
        };
        runs.into_iter()
            .filter_map(|run| {
                let first = run.iter().position(|&t| !trim(t))?;
                let last = run.iter().rposition(|&t| !trim(t))?;
                Some(parsed.tokens[run[first]].token.span.cover(parsed.tokens[run[last]].token.span))
            })
            .collect()
    }

    // -----------------------------------------------------------------------------------------
    // Output

    fn quote(&self, attribution: Attribution) -> Option<Quote> {
        let parsed = self.parsed(attribution.sentence)?;
        let text = self.text();
        let mut parts = attribution.content.clone();
        parts.sort_unstable();
        let span = parts.iter().copied().reduce(Span::cover)?;
        let cue_span = attribution.cue.iter().map(|&t| parsed.tokens[t].token.span).reduce(Span::cover)?;
        let cue = attribution.cue.iter().map(|&t| &text[parsed.tokens[t].token.span]).collect::<Vec<_>>().join(" ");
        let (mut speaker, mut speaker_span, mut speaker_name_span, mut speaker_actor) = (None, None, None, None);
        if let Some((head, phrase)) = &attribution.source {
            let phrase_span = self.spans_of(parsed, phrase).into_iter().reduce(Span::cover);
            speaker_span = phrase_span;
            let resolved = self.speaker(attribution.sentence, parsed, *head, phrase);
            match resolved {
                Some((name, name_span, actor)) => {
                    speaker = Some(name);
                    speaker_name_span = Some(name_span);
                    speaker_actor = actor;
                }
                None => speaker = phrase_span.map(|s| text[s].to_string()),
            }
        }
        let quoted = match attribution.kind {
            QuoteKind::Mixed => self.quoted_inside(&parts),
            _ => Vec::new(),
        };
        Some(Quote {
            text: text[span].to_string(),
            span,
            parts: if parts.len() > 1 { parts } else { Vec::new() },
            quoted,
            kind: attribution.kind,
            cue,
            cue_span,
            speaker,
            speaker_span,
            speaker_name_span,
            speaker_actor,
            sentence: attribution.sentence,
        })
    }

    /// The speaker a source phrase names: its head's referent (a name, or the person a pronoun or
    /// description stands for), else an actor mention in the phrase: its fullest name, the
    /// name's span and its actor code.
    fn speaker(
        &self,
        sentence: usize,
        parsed: &ParsedSentence,
        head: usize,
        phrase: &[usize],
    ) -> Option<(String, Span, Option<String>)> {
        let mut candidates = vec![head];
        candidates.extend(
            phrase
                .iter()
                .copied()
                .filter(|&t| t != head && parsed.dominates(head, t) && parsed.tokens[t].head == Some(head)),
        );
        for token in candidates {
            if let Some((_, referent)) = self.coreference.at(sentence, token) {
                let actor = referent.actor.clone().or_else(|| self.actor_at(sentence, token));
                return Some((referent.name.clone(), referent.name_span, actor));
            }
        }
        let first = self.analysis.actors.mentions.partition_point(|m| m.sentence < sentence);
        let mention = self.analysis.actors.mentions[first..]
            .iter()
            .take_while(|m| m.sentence == sentence)
            .find(|m| m.code.is_some() && (m.tokens.0..m.tokens.1).contains(&head))?;
        Some((self.text()[mention.span].to_string(), mention.span, mention.code.clone()))
    }

    fn actor_at(&self, sentence: usize, token: usize) -> Option<String> {
        let first = self.analysis.actors.mentions.partition_point(|m| m.sentence < sentence);
        self.analysis.actors.mentions[first..]
            .iter()
            .take_while(|m| m.sentence == sentence)
            .find(|m| (m.tokens.0..m.tokens.1).contains(&token))
            .and_then(|m| m.code.clone())
    }
}

/// The tokens of `idx`'s subtree, in text order.
fn subtree(parsed: &ParsedSentence, idx: usize) -> Vec<usize> {
    (0..parsed.tokens.len()).filter(|&t| parsed.dominates(idx, t)).collect()
}

fn depth(parsed: &ParsedSentence, mut idx: usize) -> usize {
    let mut depth = 0;
    while let Some(head) = parsed.tokens.get(idx).and_then(|t| t.head) {
        depth += 1;
        idx = head;
        if depth > parsed.tokens.len() {
            break;
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use crate::pipeline::tests::{pipeline, test_article};

    /// The quotes of `text` as `kind speaker/actor cue: content` joined by ` | `.
    fn check(text: &str, expect: &str) {
        let article = test_article(text);
        let coded = pipeline().code(&article);
        let got: Vec<String> = coded
            .quotes
            .iter()
            .map(|q| {
                assert_eq!(&text[q.span], q.text);
                let kind = serde_json::to_value(q.kind).unwrap_or_default();
                format!(
                    "{} {}/{} {}: {}",
                    kind.as_str().unwrap_or("-"),
                    q.speaker.as_deref().unwrap_or("-"),
                    q.speaker_actor.as_deref().unwrap_or("-"),
                    q.cue,
                    q.text
                )
            })
            .collect();
        assert_eq!(got.join(" | "), expect, "quotes of {text:?}");
    }

    #[test]
    fn direct_quotes_with_the_cue_after_or_before() {
        check(
            "Russian President Vladimir Putin met al Sharaa. \"We support your efforts,\" Putin said.",
            "direct Vladimir Putin/RUSGOV said: We support your efforts",
        );
        check(
            "Vladimir Putin spoke in Moscow. He told reporters: “The talks were useful.”",
            "direct Vladimir Putin/RUSGOV told: The talks were useful.",
        );
    }

    #[test]
    fn a_quote_may_run_over_sentences() {
        check(
            "Putin met al Sharaa. \"We have always stood for Syria. We support your efforts,\" he said.",
            "direct Putin/RUSGOV said: We have always stood for Syria. We support your efforts",
        );
    }

    #[test]
    fn indirect_and_mixed_speech() {
        check(
            "Russian President Vladimir Putin noted that economic cooperation “moved from the dead point” and grew.",
            "mixed Vladimir Putin/RUSGOV noted: that economic cooperation “moved from the dead point” and grew",
        );
        check(
            "The Syrian army captured the town, officials said.",
            "indirect officials/---GOV said: The Syrian army captured the town",
        );
        check(
            "Turkey's economy grew 3 percent, according to the statistics office.",
            "indirect the statistics office/- according to: Turkey's economy grew 3 percent",
        );
    }
}
