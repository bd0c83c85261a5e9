//! Time anchoring against the MEANTIME / SemEval-2015 TimeLine gold: for every event mention of a
//! dated cluster, the time annalist anchors the mention's clause to, scored at the gold's precision
//! (a gold `2008-03-XX` is right for any day of March 2008, wrong for "2008").
//!
//! The gold lists, per cluster of mentions of one event, the date of the event (`2003-04-28`,
//! `2008-03-XX`, `2006`; `XXXX-XX-XX` when unknown, left out). Mentions are code-point offsets into
//! the documents' texts.

use crate::article::Article;
use crate::pipeline::Pipeline;
use crate::text::Span;
use crate::time::{Precision, TimeValue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A document of `documents.jsonl`.
#[derive(Clone, Debug, Deserialize)]
pub struct TimelineDocument {
    pub doc_id: String,
    pub text: String,
    pub date: Option<String>,
}

/// A cluster of `clusters.json`: mentions of one event and its date.
#[derive(Clone, Debug, Deserialize)]
pub struct TimelineCluster {
    pub cluster_id: String,
    #[serde(default)]
    pub timeline_dates: Vec<String>,
    /// `[doc_id, start, end, text]`, offsets in code points.
    pub mentions: Vec<(String, usize, usize, String)>,
}

/// Accuracy overall and per gold precision.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TimelineScores {
    /// Gold mentions with a known date that were scored.
    pub n: usize,
    pub correct: usize,
    /// Mentions whose date is unknown in the gold (`XXXX-XX-XX`), left out.
    pub undated: usize,
    /// Mentions whose words annalist could not find (a document missing, an offset off the text).
    pub unresolved: usize,
    /// `day`, `month`, `year`: (correct, n).
    pub by_precision: BTreeMap<String, (usize, usize)>,
    /// How the right answers and the wrong ones were anchored: `clause`, `sentence`, `article`.
    pub by_basis: BTreeMap<String, (usize, usize)>,
}

impl TimelineScores {
    pub fn accuracy(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.correct as f64 / self.n as f64
        }
    }
}

/// One scored mention, for `--verbose` listings.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineMention {
    pub doc_id: String,
    pub text: String,
    pub gold: String,
    pub anchored: Option<String>,
    pub basis: Option<&'static str>,
    pub correct: bool,
    /// The sentence around the mention.
    pub context: String,
}

/// A gold date at its precision; `None` when unknown.
pub fn gold_time(gold: &str) -> Option<(TimeValue, Precision)> {
    let parts: Vec<&str> = gold.trim().split('-').collect();
    let number = |s: &str| -> Option<i32> { s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok())? };
    let year = number(parts.first()?)?;
    let month = parts.get(1).and_then(|m| number(m));
    let day = parts.get(2).and_then(|d| number(d));
    match (month, day) {
        (Some(month), Some(day)) => {
            Some((TimeValue::day(crate::date::Date::from_ymd(year, month as u32, day as u32)?), Precision::Day))
        }
        (Some(month), None) => Some((TimeValue::month(year, month as u32)?, Precision::Month)),
        (None, _) => Some((TimeValue::year(year)?, Precision::Year)),
    }
}

/// Codes every document with `pipeline`, anchors every gold mention, and scores the anchors.
/// With `article_dates`, every mention is dated with its document's date instead (the baseline).
/// `mentions` receives each scored mention.
pub fn evaluate(
    pipeline: &Pipeline,
    documents: &[TimelineDocument],
    clusters: &[TimelineCluster],
    article_dates: bool,
    mentions: &mut dyn FnMut(TimelineMention),
) -> TimelineScores {
    let mut scores = TimelineScores::default();
    // Mentions grouped by document, with their gold date.
    let mut by_document: BTreeMap<&str, Vec<(usize, usize, &str, &str)>> = BTreeMap::new();
    for cluster in clusters {
        let Some(gold) = cluster.timeline_dates.first() else { continue };
        for (doc, start, end, text) in &cluster.mentions {
            by_document.entry(doc.as_str()).or_default().push((*start, *end, gold.as_str(), text.as_str()));
        }
    }
    for (doc_id, gold_mentions) in by_document {
        let Some(document) = documents.iter().find(|d| d.doc_id == doc_id) else {
            scores.unresolved += gold_mentions.len();
            continue;
        };
        let article = Article {
            id: document.doc_id.clone(),
            date: document.date.as_deref().and_then(|d| d.parse().ok()),
            text: document.text.clone(),
            ..Article::default()
        };
        let spans: Vec<Option<Span>> =
            gold_mentions.iter().map(|&(start, end, _, _)| char_span(&document.text, start, end)).collect();
        let found: Vec<Span> = spans.iter().flatten().copied().collect();
        let anchors = if article_dates {
            found.iter().map(|_| article.date.map(crate::time::anchor::Anchor::article)).collect()
        } else {
            pipeline.anchor_spans(&article, &found)
        };
        let mut anchors = anchors.into_iter();
        for (&(_, _, gold, text), span) in gold_mentions.iter().zip(&spans) {
            let Some(span) = span else {
                scores.unresolved += 1;
                continue;
            };
            let anchor = anchors.next().flatten();
            let Some((gold_value, precision)) = gold_time(gold) else {
                scores.undated += 1;
                continue;
            };
            let correct = anchor.is_some_and(|a| a.value.agrees_at(gold_value, precision));
            scores.n += 1;
            scores.correct += usize::from(correct);
            let entry = scores.by_precision.entry(precision.as_str().to_string()).or_default();
            entry.0 += usize::from(correct);
            entry.1 += 1;
            let basis = anchor.map(|a| match a.basis {
                crate::time::anchor::Basis::Clause => "clause",
                crate::time::anchor::Basis::Sentence => "sentence",
                crate::time::anchor::Basis::Story => "story",
                crate::time::anchor::Basis::Article => "article",
            });
            let entry = scores.by_basis.entry(basis.unwrap_or("none").to_string()).or_default();
            entry.0 += usize::from(correct);
            entry.1 += 1;
            let context_start = document.text[..span.start as usize].rfind(['.', '\n']).map_or(0, |i| i + 1);
            let context_end = document.text[span.end as usize..]
                .find(['.', '\n'])
                .map_or(document.text.len(), |i| span.end as usize + i);
            mentions(TimelineMention {
                doc_id: doc_id.to_string(),
                text: text.to_string(),
                gold: gold.to_string(),
                anchored: anchor.map(|a| a.value.to_string()),
                basis,
                correct,
                context: document.text[context_start..context_end].trim().to_string(),
            });
        }
    }
    scores
}

/// The byte span of code points `[start, end)` of `text`.
pub fn char_span(text: &str, start: usize, end: usize) -> Option<Span> {
    let mut offsets = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
    let byte_start = offsets.nth(start)?;
    let byte_end = if end == start { byte_start } else { offsets.nth(end - start - 1)? };
    (byte_start <= byte_end).then(|| Span::new(byte_start, byte_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_dates_at_their_precision() {
        let show = |gold: &str| gold_time(gold).map(|(value, precision)| format!("{value} {}", precision.as_str()));
        assert_eq!(show("2003-04-28").as_deref(), Some("2003-04-28 day"));
        assert_eq!(show("2008-03-XX").as_deref(), Some("2008-03 month"));
        assert_eq!(show("2006").as_deref(), Some("2006 year"));
        assert_eq!(show("2006-XX-XX").as_deref(), Some("2006 year"));
        assert_eq!(show("2008-02").as_deref(), Some("2008-02 month"));
        assert_eq!(show("XXXX-XX-XX"), None);
    }

    #[test]
    fn code_point_offsets_become_byte_offsets() {
        let text = "£0.79 per song, €0.99";
        let span = char_span(text, 16, 21).unwrap();
        assert_eq!(&text[span], "€0.99");
        assert_eq!(char_span(text, 30, 31), None);
    }
}
