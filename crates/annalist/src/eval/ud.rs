//! Tagging, lemmatization and parsing against a CoNLL-U treebank.
//!
//! Two settings, as in the CoNLL 2018 shared task: on the treebank's own words (gold
//! tokenization: accuracy per word), and end to end from the documents' raw text (segmented by
//! annalist, words aligned to the gold ones by their whitespace-free character spans; precision,
//! recall and F1, a word counting as right only if it is aligned). Relations are compared with
//! their subtypes (`nsubj:pass` is not `nsubj`), which is stricter than CoNLL 2018's LAS; the
//! universal-only figure is reported beside it.

use super::segment::{gold_documents, system_cuts};
use super::Counts;
use crate::conllu::ConlluSentence;
use crate::error::Result;
use crate::nlp::{sentence_from_words, Model, ParsedSentence};
use crate::segment::segment;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Scores on gold tokenization (`correct` of `gold` words) and end to end.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct UdScores {
    pub words: usize,
    pub upos: usize,
    pub xpos: usize,
    pub lemma: usize,
    pub uas: usize,
    pub las: usize,
    /// LAS with relations compared without subtypes, as CoNLL 2018 does.
    pub las_universal: usize,
    pub e2e_words: Counts,
    pub e2e_upos: Counts,
    pub e2e_uas: Counts,
    pub e2e_las: Counts,
}

/// Runs `model` over `gold` both ways. `file` names the treebank in errors.
pub fn evaluate(model: &Model, gold: &[ConlluSentence], file: &str) -> Result<UdScores> {
    let mut scores = UdScores::default();
    for sentence in gold {
        let forms: Vec<&str> = sentence.words.iter().map(|w| w.form.as_str()).collect();
        let (text, tokens) = sentence_from_words(&forms);
        let parsed = model.analyze(&text, &tokens);
        for (system, gold) in parsed.tokens.iter().zip(&sentence.words) {
            scores.words += 1;
            scores.upos += usize::from(system.upos.as_str() == gold.upos);
            scores.xpos += usize::from(system.xpos == gold.xpos);
            scores.lemma += usize::from(system.lemma == gold.lemma);
            let head = system.head.map_or(0, |h| h as u32 + 1);
            if head == gold.head {
                scores.uas += 1;
                scores.las += usize::from(system.deprel == gold.deprel);
                scores.las_universal +=
                    usize::from(system.base_deprel() == gold.deprel.split(':').next().unwrap_or(""));
            }
        }
    }
    end_to_end(model, gold, file, &mut scores)?;
    Ok(scores)
}

/// A word's annotation in document-wide terms: its head is the index of the head word in the
/// document (`None` for a root).
struct Annotated<'a> {
    span: (u32, u32),
    upos: &'a str,
    head: Option<usize>,
    deprel: &'a str,
}

fn end_to_end(model: &Model, gold: &[ConlluSentence], file: &str, scores: &mut UdScores) -> Result<()> {
    let documents = gold_documents(gold, file)?;
    // The sentences of each document, grouped as `gold_documents` groups them.
    let mut groups: Vec<Vec<&ConlluSentence>> = Vec::new();
    for sentence in gold {
        if sentence.newdoc.is_some() || groups.is_empty() {
            groups.push(Vec::new());
        }
        if let Some(group) = groups.last_mut() {
            group.push(sentence);
        }
    }
    for (document, sentences) in documents.iter().zip(&groups) {
        let mut gold_words = Vec::with_capacity(document.words.len());
        let mut offset = 0;
        for sentence in sentences {
            for word in &sentence.words {
                let head = (word.head as usize).checked_sub(1).map(|h| h + offset);
                gold_words.push((word.upos.as_str(), head, word.deprel.as_str()));
            }
            offset += sentence.words.len();
        }
        let gold_words: Vec<Annotated> = document
            .words
            .iter()
            .zip(gold_words)
            .map(|(&span, (upos, head, deprel))| Annotated { span, upos, head, deprel })
            .collect();

        let sentences = segment(&document.text);
        let parsed: Vec<ParsedSentence> = sentences.iter().map(|s| model.analyze(&document.text, s)).collect();
        let (_, spans, _) = system_cuts(&document.text, &sentences);
        let mut system_words = Vec::with_capacity(spans.len());
        let mut offset = 0;
        for sentence in &parsed {
            for token in &sentence.tokens {
                let span = spans.get(system_words.len()).copied().unwrap_or_default();
                system_words.push(Annotated {
                    span,
                    upos: token.upos.as_str(),
                    head: token.head.map(|h| h + offset),
                    deprel: token.deprel,
                });
            }
            offset += sentence.tokens.len();
        }
        score_aligned(&system_words, &gold_words, scores);
    }
    Ok(())
}

fn score_aligned(system: &[Annotated], gold: &[Annotated], scores: &mut UdScores) {
    // Words of a contraction whose parts do not spell it share the contraction's span; only the
    // first of such words can be aligned.
    let mut gold_at: FxHashMap<(u32, u32), usize> = FxHashMap::default();
    for (idx, word) in gold.iter().enumerate() {
        gold_at.entry(word.span).or_insert(idx);
    }
    let mut system_at: FxHashMap<(u32, u32), usize> = FxHashMap::default();
    for (idx, word) in system.iter().enumerate() {
        system_at.entry(word.span).or_insert(idx);
    }
    let aligned = |system_idx: usize| {
        gold_at
            .get(&system[system_idx].span)
            .copied()
            .filter(|_| system_at.get(&system[system_idx].span) == Some(&system_idx))
    };
    let mut counts = [0usize; 4];
    for (idx, word) in system.iter().enumerate() {
        let Some(gold_idx) = aligned(idx) else { continue };
        let gold_word = &gold[gold_idx];
        counts[0] += 1;
        counts[1] += usize::from(word.upos == gold_word.upos);
        let head_matches = match (word.head, gold_word.head) {
            (None, None) => true,
            (Some(head), Some(gold_head)) => aligned(head) == Some(gold_head),
            _ => false,
        };
        if head_matches {
            counts[2] += 1;
            counts[3] += usize::from(word.deprel == gold_word.deprel);
        }
    }
    for (total, correct) in
        [&mut scores.e2e_words, &mut scores.e2e_upos, &mut scores.e2e_uas, &mut scores.e2e_las].into_iter().zip(counts)
    {
        total.add(Counts { correct, system: system.len(), gold: gold.len() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(span: (u32, u32), upos: &'static str, head: Option<usize>, deprel: &'static str) -> Annotated<'static> {
        Annotated { span, upos, head, deprel }
    }

    #[test]
    fn aligned_words_score_by_span() {
        // Gold "Putin spoke ." ; the system split "Putin" into two words and got the verb right.
        let gold = [
            word((0, 5), "PROPN", Some(1), "nsubj"),
            word((5, 10), "VERB", None, "root"),
            word((10, 11), "PUNCT", Some(1), "punct"),
        ];
        let system = [
            word((0, 3), "PROPN", Some(2), "nsubj"),
            word((3, 5), "PROPN", Some(0), "flat"),
            word((5, 10), "VERB", None, "root"),
            word((10, 11), "PUNCT", Some(2), "punct"),
        ];
        let mut scores = UdScores::default();
        score_aligned(&system, &gold, &mut scores);
        assert_eq!(scores.e2e_words, Counts { correct: 2, system: 4, gold: 3 });
        assert_eq!(scores.e2e_las.correct, 2);
    }
}
