//! Anchoring a word to the time of its clause: the time expression that modifies the clause
//! itself ("Putin on Wednesday congratulated", "relations were established in 1944"); failing
//! that, the time of a clause above it in the same sentence ("X said on Monday that Y attacked
//! Z": the attack is dated Monday, as far as the sentence says); else the article's date.
//!
//! A word is read from the tree: a verb's time modifiers are its obliques, temporal nouns and
//! adverbs ("in 1944", "Wednesday", "recently"), not a time inside its object ("approved the 2009
//! budget"); a noun's are its own modifiers ("the 2003 launch") and then those of the clause it is
//! an argument of ("The first flight was in 1994").

use super::{Precision, TimeExpr, TimeKind, TimeValue};
use crate::date::Date;
use crate::nlp::ParsedSentence;
use crate::text::{Span, TokenKind};
use serde::Serialize;

/// Where an anchored time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// A time expression of the word's own clause.
    Clause,
    /// A time expression of a clause above it in the sentence.
    Sentence,
    /// No time expression in the sentence: a past event takes the time of the story's latest
    /// recent day named before ("on Thursday" in an earlier sentence).
    Story,
    /// No time expression: the article's date.
    Article,
}

/// The time a word's clause is anchored to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub value: TimeValue,
    pub basis: Basis,
    /// The span of the time expression that gave it (none for the article's date).
    pub span: Option<Span>,
}

impl Anchor {
    /// The article's own date, when nothing in the sentence dates the clause.
    pub fn article(date: Date) -> Anchor {
        Anchor { value: TimeValue::day(date), basis: Basis::Article, span: None }
    }

    pub fn precision(&self) -> Precision {
        self.value.precision
    }
}

/// Relations that lead from a clause to the clause it belongs to: climbing one of them leaves the
/// word's own clause.
const CLAUSE_LINKS: &[&str] =
    &["ccomp", "xcomp", "advcl", "advcl:relcl", "conj", "parataxis", "acl", "acl:relcl", "csubj", "csubj:pass", "dep"];

/// Relations whose phrases can date the word they modify.
const TIME_MODIFIERS: &[&str] = &[
    "obl",
    "obl:tmod",
    "obl:npmod",
    "obl:unmarked",
    "nmod",
    "nmod:tmod",
    "nmod:npmod",
    "nmod:unmarked",
    "advmod",
    "compound",
    "amod",
    "nummod",
    "nmod:poss",
];

/// Nouns whose phrases say when ("the end of last year", "the start of the day"), through which a
/// modifier's time dates the clause.
const TIME_NOUNS: &[&str] = &[
    "end",
    "start",
    "beginning",
    "middle",
    "close",
    "course",
    "rest",
    "part",
    "time",
    "period",
    "eve",
    "wake",
    "run-up",
    "morning",
    "afternoon",
    "evening",
    "night",
    "day",
    "week",
    "weekend",
    "month",
    "year",
    "session",
    "quarter",
    "half",
];

/// Relations whose subtrees are not searched for a modifier's time: clauses of their own.
const CLAUSE_CUTS: &[&str] =
    &["ccomp", "xcomp", "advcl", "advcl:relcl", "conj", "parataxis", "acl", "acl:relcl", "csubj", "csubj:pass"];

/// The time token `token` of `parsed` (sentence `sentence` of the article) is anchored to, given
/// the article's time expressions in text order. `None` only when the sentence dates nothing and
/// the article has no date.
pub fn anchor(
    parsed: &ParsedSentence,
    sentence: usize,
    token: usize,
    times: &[TimeExpr],
    article: Option<Date>,
) -> Option<Anchor> {
    let first = times.partition_point(|t| t.sentence < sentence);
    let own: Vec<&TimeExpr> = times[first..].iter().take_while(|t| t.sentence == sentence).collect();
    let found = (!own.is_empty()).then(|| Climb { parsed, times: &own }.time_of(token)).flatten();
    if let Some((time, basis)) = found {
        return Some(Anchor { value: time.event_time(article), basis, span: Some(time.span) });
    }
    let article = article?;
    // A past event the sentence does not date happened when the story's recent events did: "The
    // Dow fell 3% on Thursday. ... The Nasdaq lost 2%" (both Thursday's, not the article's
    // Friday). Only a day within the week before the article sets that time, so that the history
    // a story recalls ("launched on April 28, 2003") does not date what follows it.
    // A headline (the first sentence, with no closing punctuation) tells the story's news in the
    // present tense ("Dow Jones recovers hundreds of points"): its time is the lede's.
    let headline = sentence == 0 && parsed.tokens.last().is_some_and(|t| t.token.kind != TokenKind::Punct);
    if headline || is_past(parsed, token) {
        let recent_day = |t: &&TimeExpr| {
            t.relation == super::Relation::At
                && t.value.precision == Precision::Day
                && t.value.start == t.value.end
                && matches!(t.kind, TimeKind::Weekday | TimeKind::Relative | TimeKind::Date)
                && t.value.start <= article
                && t.value.start.to_days() >= article.to_days() - 7
        };
        let story_time = times[..first].iter().rev().find(recent_day).or_else(|| {
            // Nothing before it: the first such day of the story's opening sentences.
            times[first..]
                .iter()
                .take_while(|t| t.sentence < sentence + 5)
                .find(|t| t.sentence > sentence && recent_day(t))
        });
        if let Some(time) = story_time {
            return Some(Anchor { value: time.value, basis: Basis::Story, span: Some(time.span) });
        }
    }
    Some(Anchor::article(article))
}

/// Whether the clause of `token` is in a past tense: its verb (the token, or the nearest verb
/// above a noun) is a past form ("fell", "has fallen", "had reported").
fn is_past(parsed: &ParsedSentence, token: usize) -> bool {
    let tokens = &parsed.tokens;
    let mut node = token;
    for _ in 0..tokens.len() {
        let Some(current) = tokens.get(node) else { return false };
        if current.upos == crate::nlp::Upos::Verb {
            let auxiliaries: Vec<usize> = parsed.children_with(node, "aux").collect();
            // A participle without auxiliaries ("..., closing at 1,500") has the tense of the
            // clause it hangs on.
            if matches!(current.xpos, "VBG" | "VBN") && auxiliaries.is_empty() {
                if let Some(head) = current.head {
                    node = head;
                    continue;
                }
            }
            if auxiliaries
                .iter()
                .any(|&a| matches!(tokens[a].lemma.as_str(), "will" | "shall" | "would" | "can" | "may"))
            {
                return false;
            }
            return current.xpos == "VBD"
                || current.xpos == "VBN" && auxiliaries.iter().any(|&a| tokens[a].lemma == "have")
                || auxiliaries.iter().any(|&a| matches!(tokens[a].xpos, "VBD"));
        }
        match current.head {
            Some(head) => node = head,
            None => return false,
        }
    }
    false
}

struct Climb<'a> {
    parsed: &'a ParsedSentence,
    /// The sentence's time expressions.
    times: &'a [&'a TimeExpr],
}

impl<'a> Climb<'a> {
    fn time_of(&self, token: usize) -> Option<(&'a TimeExpr, Basis)> {
        let n = self.parsed.tokens.len();
        let mut node = token.min(n.checked_sub(1)?);
        let mut basis = Basis::Clause;
        for _ in 0..n {
            if let Some(time) = self.own_time(node) {
                return Some((time, basis));
            }
            let token = &self.parsed.tokens[node];
            let Some(head) = token.head.filter(|&h| h < n) else {
                return self.opening_time().map(|time| (time, Basis::Sentence));
            };
            if CLAUSE_LINKS.contains(&token.deprel) {
                basis = Basis::Sentence;
            }
            node = head;
        }
        None
    }

    /// The time expression covering `node`, or dating it through one of its modifiers: the
    /// shallowest in the tree, the first in the text among equals.
    fn own_time(&self, node: usize) -> Option<&'a TimeExpr> {
        if let Some(time) = self.time_at(node) {
            return Some(time);
        }
        let tokens = &self.parsed.tokens;
        let mut best: Option<((bool, usize), &TimeExpr)> = None;
        for child in self.parsed.children(node) {
            if !TIME_MODIFIERS.contains(&tokens[child].deprel) {
                continue;
            }
            // Depth-first over the modifier's phrase, through nouns of time only: "at the end of
            // last year", but not "reached its lowest level since 2003", which compares.
            let mut stack = vec![(child, 0usize)];
            while let Some((at, depth)) = stack.pop() {
                if let Some(time) = self.time_at(at) {
                    // "now" or "currently" says least: any other time of the clause wins ("will
                    // now receive the aircraft next month").
                    let rank = (time.kind == TimeKind::Present, depth);
                    if best.is_none_or(|(r, _)| rank < r) && self.dates(node, time) {
                        best = Some((rank, time));
                    }
                    continue;
                }
                let time_noun = TIME_NOUNS.contains(&tokens[at].lemma.to_lowercase().as_str());
                // A year that dates the noun of an oblique dates the clause: "occupied by Egypt in
                // the 1948 war". (An object's year does not: "approved the 2009 budget".)
                if depth == 0 && !time_noun && tokens[at].deprel.starts_with("obl") {
                    for grandchild in self.parsed.children(at) {
                        let dated_by = matches!(tokens[grandchild].deprel, "compound" | "nummod" | "amod");
                        if let Some(time) = self.time_at(grandchild).filter(|_| dated_by) {
                            let rank = (time.kind == TimeKind::Present, 1);
                            if best.is_none_or(|(r, _)| rank < r) && self.dates(node, time) {
                                best = Some((rank, time));
                            }
                        }
                    }
                }
                if depth < 2 && time_noun {
                    for grandchild in self.parsed.children(at) {
                        if !CLAUSE_CUTS.contains(&tokens[grandchild].deprel) {
                            stack.push((grandchild, depth + 1));
                        }
                    }
                }
            }
        }
        if best.is_none() {
            // A day the parser hung on the subject ("Putin on Wednesday congratulated", with "on
            // Wednesday" read as modifying "Putin") dates the clause; a year in a name does not
            // ("The U.S. Trade Act of 1974 says").
            for subject in self.parsed.children_with(node, "nsubj") {
                for modifier in self.parsed.children(subject) {
                    if tokens[modifier].deprel.starts_with("nmod") || tokens[modifier].deprel.starts_with("obl") {
                        let day = |t: &&TimeExpr| {
                            t.kind != TimeKind::Duration
                                && matches!(t.value.precision, Precision::Day | Precision::Week)
                        };
                        if let Some(time) = self.time_at(modifier).filter(day) {
                            return Some(time);
                        }
                    }
                }
            }
        }
        best.map(|(_, time)| time)
    }

    /// Whether the clause of `node` (or its head, when `node` is a noun inside it) holds a
    /// superlative: "lowest", "worst", "best", "first".
    fn has_superlative(&self, node: usize) -> bool {
        let tokens = &self.parsed.tokens;
        let mut stack = vec![node];
        let mut seen = 0;
        while let Some(at) = stack.pop() {
            seen += 1;
            if seen > tokens.len() {
                break;
            }
            let token = &tokens[at];
            if matches!(token.xpos, "JJS" | "RBS") || matches!(token.lemma.to_lowercase().as_str(), "first" | "most") {
                return true;
            }
            stack.extend(self.parsed.children(at).filter(|&c| !CLAUSE_CUTS.contains(&tokens[c].deprel)));
        }
        false
    }

    /// A time that opens the sentence before a comma ("Yesterday, at the conference, Jobs
    /// unveiled..."), which dates the main clause whatever the parser attached it to.
    fn opening_time(&self) -> Option<&'a TimeExpr> {
        let tokens = &self.parsed.tokens;
        let starts =
            |t: &TimeExpr| t.tokens.0 == 0 || (t.tokens.0 == 1 && matches!(tokens[0].upos, crate::nlp::Upos::Adp));
        self.times.iter().copied().find(|t| {
            starts(t) && tokens.get(t.tokens.1).is_some_and(|next| next.token.kind == crate::text::TokenKind::Punct)
        })
    }

    fn time_at(&self, token: usize) -> Option<&'a TimeExpr> {
        self.times.iter().copied().find(|t| (t.tokens.0..t.tokens.1).contains(&token))
    }

    /// Whether `time` dates `node`'s event. A stretch up to the article ("his second visit in four
    /// months") holds a present-tense event without dating it: the event is the article's.
    fn dates(&self, node: usize, time: &TimeExpr) -> bool {
        // "its lowest level since 2003", "the worst fall in five years", "its first annual loss
        // since 1992": a stretch a superlative is measured over compares, it does not date.
        let stretch = time.relation == super::Relation::Since || time.kind == TimeKind::Duration;
        if stretch && self.has_superlative(node) {
            return false;
        }
        if time.kind != TimeKind::Duration {
            return true;
        }
        let tokens = &self.parsed.tokens;
        let present = |idx: usize| matches!(tokens[idx].xpos, "VBZ" | "VBP" | "VBG");
        let auxiliaries: Vec<usize> = self.parsed.children_with(node, "aux").collect();
        let finite = auxiliaries.first().copied().unwrap_or(node);
        !(present(node) && present(finite))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::Model;
    use crate::segment::segment;
    use crate::time::find_times;

    /// The anchor of the first word `word` of `text` (dated 2026-01-28), as `value (basis)`.
    fn check(text: &str, word: &str, expect: &str) {
        let model = Model::embedded().expect("the embedded model loads");
        let sentences = segment(text);
        let tagged: Vec<_> = sentences.iter().map(|s| model.tag(text, s)).collect();
        let date = "2026-01-28".parse().ok();
        let times = find_times(text, &tagged, date);
        let parsed = model.parse(text, tagged[0].clone());
        let token = parsed.tokens.iter().position(|t| &text[t.token.span] == word).expect("the word is there");
        let anchor = anchor(&parsed, 0, token, &times, date).expect("dated");
        let basis = serde_json::to_value(anchor.basis).unwrap_or_default();
        assert_eq!(format!("{} ({})", anchor.value, basis.as_str().unwrap_or("")), expect, "{word} in {text:?}");
    }

    #[test]
    fn a_clause_takes_its_own_time() {
        check("Putin on Wednesday congratulated al Sharaa.", "congratulated", "2026-01-28 (clause)");
        check(
            "Putin highlighted the ties, noting that diplomatic relations were established in 1944.",
            "established",
            "1944 (clause)",
        );
        // The clause above the 1944 one is not dated by it.
        check(
            "Putin highlighted the ties, noting that diplomatic relations were established in 1944.",
            "highlighted",
            "2026-01-28 (article)",
        );
        check(
            "A delegation recently visited Damascus and worked with Syrian counterparts.",
            "worked",
            "2025-12-29/2026-01-27 (sentence)",
        );
        check("Fighting has continued since 2011.", "continued", "2011/2026 (clause)");
    }

    #[test]
    fn nouns_take_the_time_of_their_clause() {
        check("The first flight of the 777 was in 1994.", "flight", "1994 (clause)");
        check("Officials said on Monday that rebels attacked the town.", "attacked", "2026-01-26 (sentence)");
    }

    #[test]
    fn a_present_event_in_a_stretch_is_the_article_s() {
        check("Al Sharaa is making his second visit to Russia in four months.", "making", "2026-01-28 (article)");
    }
}
