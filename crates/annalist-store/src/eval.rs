//! Scoring cross-article merging against gold event clusters (the layout of MEANTIME's
//! cross-document event coreference: clusters of mention spans in documents).
//!
//! Each stored report of an event that overlaps a gold mention is *matched* to it (the gold
//! mention under its verb if there is one, else the first it overlaps). Every pair of matched
//! reports from different articles is then a link the store makes (same event) or not, and a
//! link the gold makes (same cluster) or not: pairwise precision, recall and F1 over those links.
//! Gold that annotates only some events cannot say whether other merges are right, so only
//! matched reports count.

use crate::{Result, Store};
use annalist::eval::Counts;
use serde::Serialize;
use std::collections::HashMap;

/// A gold mention: document, byte span, and its cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldMention {
    pub document: String,
    pub start: u32,
    pub end: u32,
    pub cluster: usize,
}

/// A report of an event in the store.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredMention {
    pub article: String,
    pub start: u32,
    pub end: u32,
    /// Where the verb is, when it could be found in the span.
    pub verb: Option<(u32, u32)>,
    pub event: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MergeScores {
    /// Stored reports that overlap a gold mention.
    pub matched: usize,
    /// Gold mentions some report overlaps.
    pub gold_matched: usize,
    pub gold_mentions: usize,
    /// Links across articles: made by the store and right (`correct`), made by the store
    /// (`system`), made by the gold (`gold`).
    pub links: Counts,
}

impl Store {
    /// Every report of every event: article, span, verb and event.
    pub fn mentions(&self) -> Result<Vec<StoredMention>> {
        let mut statement = self.conn().prepare(
            "SELECT r.key, m.span_start, m.span_end, m.verb_text, u.event, r.text
             FROM mentions m JOIN units u ON u.id = m.unit JOIN articles r ON r.id = m.article
             ORDER BY r.key, m.span_start",
        )?;
        let rows = statement.query_map([], |row| {
            let (start, end): (u32, u32) = (row.get(1)?, row.get(2)?);
            let verb_text: String = row.get(3)?;
            let text: String = row.get(5)?;
            let verb = text.get(start as usize..end as usize).and_then(|span| {
                let first = verb_text.split_whitespace().next()?;
                let at = span.find(first)? as u32 + start;
                Some((at, at + first.len() as u32))
            });
            Ok(StoredMention { article: row.get(0)?, start, end, verb, event: row.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn overlaps(a: (u32, u32), b: (u32, u32)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Scores the store's merges against `gold`.
pub fn score(mentions: &[StoredMention], gold: &[GoldMention]) -> MergeScores {
    let mut by_document: HashMap<&str, Vec<(usize, &GoldMention)>> = HashMap::new();
    for (index, mention) in gold.iter().enumerate() {
        by_document.entry(mention.document.as_str()).or_default().push((index, mention));
    }
    // (article, event, gold cluster) of each matched report.
    let mut matched: Vec<(&str, i64, usize)> = Vec::new();
    let mut gold_hit = vec![false; gold.len()];
    for mention in mentions {
        let Some(candidates) = by_document.get(mention.article.as_str()) else { continue };
        let over = |span: (u32, u32)| candidates.iter().find(|(_, g)| overlaps(span, (g.start, g.end)));
        let hit = mention.verb.and_then(over).or_else(|| over((mention.start, mention.end)));
        if let Some(&(index, gold_mention)) = hit {
            gold_hit[index] = true;
            matched.push((&mention.article, mention.event, gold_mention.cluster));
        }
    }
    let mut links = Counts::default();
    for (i, a) in matched.iter().enumerate() {
        for b in &matched[i + 1..] {
            if a.0 == b.0 {
                continue;
            }
            let (system, same) = (a.1 == b.1, a.2 == b.2);
            links.system += usize::from(system);
            links.gold += usize::from(same);
            links.correct += usize::from(system && same);
        }
    }
    MergeScores {
        matched: matched.len(),
        gold_matched: gold_hit.iter().filter(|&&hit| hit).count(),
        gold_mentions: gold.len(),
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(article: &str, start: u32, event: i64) -> StoredMention {
        StoredMention { article: article.into(), start, end: start + 10, verb: None, event }
    }

    fn gold(document: &str, start: u32, cluster: usize) -> GoldMention {
        GoldMention { document: document.into(), start, end: start + 3, cluster }
    }

    #[test]
    fn links_across_articles_are_scored() {
        let gold = [gold("a", 0, 1), gold("b", 0, 1), gold("c", 0, 2), gold("a", 50, 3)];
        // a and b merged (right), c merged with them (wrong), a's second report unmatched in
        // the store's eyes but a separate event (right to leave apart).
        let system = [stored("a", 0, 7), stored("b", 0, 7), stored("c", 0, 7), stored("a", 50, 8), stored("z", 0, 7)];
        let scores = score(&system, &gold);
        assert_eq!((scores.matched, scores.gold_matched, scores.gold_mentions), (4, 4, 4));
        // Cross-article pairs: ab ac ab' (a50-b) ac' (a50-c) bc; same-article pair a-a50 skipped.
        assert_eq!(scores.links, Counts { correct: 1, system: 3, gold: 1 });
    }

    #[test]
    fn the_verb_decides_between_overlapping_gold_mentions() {
        let gold = [gold("a", 0, 1), gold("a", 6, 2), gold("b", 0, 2)];
        let mut mention = stored("a", 0, 7);
        mention.verb = Some((6, 9));
        let scores = score(&[mention, stored("b", 0, 7)], &gold);
        assert_eq!(scores.links, Counts { correct: 1, system: 1, gold: 1 });
    }
}
