//! Attributions against gold annotations in brat standoff (PolNeAR): for each of source, cue and
//! content, precision, recall and F1, exactly and by overlap.
//!
//! Gold attributions are the `E` lines of an `.ann` file, each linking `T` spans labelled
//! `Source`, `Cue` and `Content` (offsets in Unicode code points; a span may have several
//! fragments, `0 5;9 12`). A system attribution is a [`crate::quotes::Quote`]: its `speaker_span`,
//! `cue_span` and content (`parts`, else `span`).
//!
//! Matching is one to one, per role: the pairs that share most characters first. **By overlap**,
//! a pair counts when it shares a character; **exactly**, when both cover the same text once
//! whitespace, punctuation and quotation marks at the ends of their fragments are trimmed (gold
//! direct contents keep their quotation marks and closing comma, annalist's leave them out).

use super::Counts;
use crate::article::Article;
use crate::pipeline::Pipeline;
use serde::Serialize;
use std::collections::BTreeMap;

/// One gold attribution: each role's fragments as byte ranges into the document text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoldAttribution {
    pub source: Vec<(usize, usize)>,
    pub cue: Vec<(usize, usize)>,
    pub content: Vec<(usize, usize)>,
}

/// A document with its gold attributions.
#[derive(Clone, Debug)]
pub struct QuoteDocument {
    pub id: String,
    pub date: Option<crate::date::Date>,
    pub text: String,
    pub gold: Vec<GoldAttribution>,
}

/// Counts per role, exact and by overlap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QuoteScores {
    pub documents: usize,
    pub source: Counts,
    pub source_overlap: Counts,
    pub cue: Counts,
    pub cue_overlap: Counts,
    pub content: Counts,
    pub content_overlap: Counts,
}

/// Reads a brat `.ann` file against its document's text (for code point offsets).
pub fn parse_brat(ann: &str, text: &str) -> Vec<GoldAttribution> {
    // Code point offset to byte offset.
    let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let byte = |chars: usize| offsets.get(chars).copied();
    // Each text-bound annotation's label and byte ranges, by id.
    type Fragments<'a> = (&'a str, Vec<(usize, usize)>);
    let mut spans: BTreeMap<&str, Fragments<'_>> = BTreeMap::new();
    let mut events: Vec<Vec<(&str, &str)>> = Vec::new();
    for line in ann.lines() {
        let mut fields = line.split('\t');
        let (Some(id), Some(body)) = (fields.next(), fields.next()) else { continue };
        if id.starts_with('T') {
            let Some((label, ranges)) = body.split_once(' ') else { continue };
            let fragments: Option<Vec<(usize, usize)>> = ranges
                .split(';')
                .map(|range| {
                    let (start, end) = range.trim().split_once(' ')?;
                    let (start, end) = (byte(start.parse().ok()?)?, byte(end.parse().ok()?)?);
                    (start <= end).then_some((start, end))
                })
                .collect();
            if let Some(fragments) = fragments {
                spans.insert(id, (label, fragments));
            }
        } else if id.starts_with('E') {
            events.push(body.split_whitespace().filter_map(|pair| pair.split_once(':')).collect());
        }
    }
    events
        .into_iter()
        .map(|roles| {
            let mut gold = GoldAttribution::default();
            for (role, id) in roles {
                let Some((_, fragments)) = spans.get(id) else { continue };
                match role {
                    "Source" => gold.source.extend(fragments),
                    "Cue" => gold.cue.extend(fragments),
                    "Content" => gold.content.extend(fragments),
                    _ => {}
                }
            }
            gold
        })
        .collect()
}

/// Codes every document with `pipeline` and scores its quotes against the gold attributions.
pub fn evaluate(pipeline: &Pipeline, documents: &[QuoteDocument]) -> QuoteScores {
    let mut scores = QuoteScores::default();
    for document in documents {
        let article =
            Article { id: document.id.clone(), date: document.date, text: document.text.clone(), ..Article::default() };
        let coded = pipeline.code(&article);
        let fragments = |spans: &[crate::text::Span]| -> Vec<(usize, usize)> {
            spans.iter().map(|s| (s.start as usize, s.end as usize)).collect()
        };
        let mut system: [Vec<Vec<(usize, usize)>>; 3] = Default::default();
        for quote in &coded.quotes {
            if let Some(source) = quote.speaker_span {
                system[0].push(fragments(&[source]));
            }
            system[1].push(fragments(&[quote.cue_span]));
            let content = if quote.parts.is_empty() { vec![quote.span] } else { quote.parts.clone() };
            system[2].push(fragments(&content));
        }
        let gold: [Vec<Vec<(usize, usize)>>; 3] = [
            document.gold.iter().filter(|g| !g.source.is_empty()).map(|g| g.source.clone()).collect(),
            document.gold.iter().filter(|g| !g.cue.is_empty()).map(|g| g.cue.clone()).collect(),
            document.gold.iter().filter(|g| !g.content.is_empty()).map(|g| g.content.clone()).collect(),
        ];
        let text = document.text.as_str();
        let roles = [
            (&mut scores.source, &mut scores.source_overlap),
            (&mut scores.cue, &mut scores.cue_overlap),
            (&mut scores.content, &mut scores.content_overlap),
        ];
        for (role, (exact, overlap)) in roles.into_iter().enumerate() {
            let (exact_counts, overlap_counts) = match_role(text, &system[role], &gold[role]);
            exact.add(exact_counts);
            overlap.add(overlap_counts);
        }
        scores.documents += 1;
    }
    scores
}

/// Exact and overlap counts of one role in one document.
fn match_role(text: &str, system: &[Vec<(usize, usize)>], gold: &[Vec<(usize, usize)>]) -> (Counts, Counts) {
    let trimmed = |fragments: &[(usize, usize)]| -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = fragments.iter().filter_map(|&(s, e)| trim(text, s, e)).collect();
        out.sort_unstable();
        out
    };
    let exact_correct =
        one_to_one(system, gold, |a, b| (trimmed(a) == trimmed(b) && !trimmed(a).is_empty()).then_some(1));
    let overlap_correct = one_to_one(system, gold, |a, b| {
        let shared: usize =
            a.iter().flat_map(|&(s1, e1)| b.iter().map(move |&(s2, e2)| e1.min(e2).saturating_sub(s1.max(s2)))).sum();
        (shared > 0).then_some(shared)
    });
    let counts = |correct| Counts { correct, system: system.len(), gold: gold.len() };
    (counts(exact_correct), counts(overlap_correct))
}

/// How many pairs a one-to-one matching makes, best-scoring pairs first.
fn one_to_one<T>(system: &[T], gold: &[T], score: impl Fn(&T, &T) -> Option<usize>) -> usize {
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, s) in system.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            if let Some(value) = score(s, g) {
                pairs.push((value, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_system, mut used_gold) = (vec![false; system.len()], vec![false; gold.len()]);
    let mut matched = 0;
    for (_, i, j) in pairs {
        if !used_system[i] && !used_gold[j] {
            used_system[i] = true;
            used_gold[j] = true;
            matched += 1;
        }
    }
    matched
}

/// A fragment without whitespace, punctuation and quotation marks at its ends; `None` if
/// nothing is left.
fn trim(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let fragment = text.get(start..end)?;
    let edge =
        |c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '%' && c != '$') || "“”‘’«»—–…".contains(c);
    let trimmed_start = fragment.trim_start_matches(edge);
    let start = start + (fragment.len() - trimmed_start.len());
    let trimmed = trimmed_start.trim_end_matches(edge);
    (!trimmed.is_empty()).then_some((start, start + trimmed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_spans_become_byte_ranges() {
        let text = "“Hé,” she said.";
        let ann = "T1\tSource 6 9\tshe\nT2\tCue 10 14\tsaid\nT3\tContent 0 5\t“Hé,”\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n";
        let gold = parse_brat(ann, text);
        assert_eq!(gold.len(), 1);
        assert_eq!(&text[gold[0].source[0].0..gold[0].source[0].1], "she");
        assert_eq!(&text[gold[0].content[0].0..gold[0].content[0].1], "“Hé,”");
    }

    #[test]
    fn exact_ignores_marks_at_the_ends_overlap_any_shared_character() {
        let text = "“We support you,” he said.";
        let gold = vec![vec![(0, 21)]];
        let system = vec![vec![(3, 17)]];
        let (exact, overlap) = match_role(text, &system, &gold);
        assert_eq!((exact.correct, overlap.correct), (1, 1));
        let (exact, overlap) = match_role(text, &[vec![(3, 6)]], &gold);
        assert_eq!((exact.correct, overlap.correct), (0, 1));
    }
}
