//! Named entities against annotated sentences, span by span as conlleval scores them: an entity is
//! right when its first word, last word and type are all the gold entity's. Precision, recall and
//! F1 overall and per type.
//!
//! The gold words are kept (no segmentation), and the annalist tagger tags them for the
//! recognizer's part-of-speech features, as at run time.

use super::Counts;
use crate::ner::gold::{chunks, documents, Bio, GoldSentence};
use crate::ner::train::words_sentence;
use crate::ner::{EntityKind, Gazetteer, Ner, Words};
use crate::nlp::Model;
use crate::text::TokenKind;
use serde::Serialize;

/// Entity counts overall and per type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NerScores {
    pub overall: Counts,
    /// In [`EntityKind::ALL`] order.
    pub by_kind: [Counts; 4],
    pub sentences: usize,
    pub words: usize,
}

impl NerScores {
    pub fn kind(&self, kind: EntityKind) -> Counts {
        self.by_kind[kind as usize]
    }

    /// Adds the entities of one sentence, labelled by the system and in the gold data.
    pub fn add(&mut self, system: &[Bio], gold: &[Bio]) {
        self.sentences += 1;
        self.words += gold.len();
        let system = chunks(system);
        let gold = chunks(gold);
        self.overall.add(crate::eval::match_sorted(&system, &gold));
        for kind in EntityKind::ALL {
            let of_kind = |chunks: &[(usize, usize, EntityKind)]| -> Vec<(usize, usize, EntityKind)> {
                chunks.iter().copied().filter(|chunk| chunk.2 == kind).collect()
            };
            self.by_kind[kind as usize].add(crate::eval::match_sorted(&of_kind(&system), &of_kind(&gold)));
        }
    }
}

/// Runs `ner` over the gold sentences' words, document by document, and scores its entities.
pub fn evaluate(ner: &Ner, tagger: &Model, gazetteer: &Gazetteer, gold: &[GoldSentence]) -> NerScores {
    let mut scores = NerScores::default();
    for (system, sentence) in label(ner, tagger, gazetteer, gold).iter().zip(gold) {
        scores.add(system, &sentence.labels);
    }
    scores
}

/// The labels `ner` gives the gold sentences' words, one list per sentence, each document
/// labelled as a whole.
pub fn label(ner: &Ner, tagger: &Model, gazetteer: &Gazetteer, gold: &[GoldSentence]) -> Vec<Vec<Bio>> {
    let mut labels = Vec::with_capacity(gold.len());
    for document in documents(gold) {
        let texts: Vec<(Vec<&str>, (String, crate::text::Sentence))> = gold[document]
            .iter()
            .map(|sentence| {
                let forms: Vec<&str> = sentence.words.iter().map(String::as_str).collect();
                let text = words_sentence(&forms);
                (forms, text)
            })
            .collect();
        let words: Vec<Words<'_>> = texts
            .iter()
            .map(|(forms, (text, sentence))| {
                let tagged = tagger.tag(text, sentence);
                Words {
                    forms: forms.clone(),
                    tags: tagged.tokens.iter().map(|t| (t.upos, t.xpos)).collect(),
                    punct: sentence.tokens.iter().map(|t| t.kind == TokenKind::Punct).collect(),
                }
            })
            .collect();
        labels.extend(ner.label_document(&words, gazetteer));
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::gold::{parse, GoldFormat};

    /// Scores system tags against gold tags, both given as IOB2 columns of one sentence:
    /// `word GOLD SYSTEM` per line.
    fn check(lines: &str, expect_overall: (usize, usize, usize), expect_per: (usize, usize, usize)) {
        // The IOB2 file of the words with the tags of column `tags`.
        let file = |tags: usize| -> String {
            lines
                .lines()
                .enumerate()
                .map(|(idx, line)| {
                    let cols: Vec<&str> = line.split_whitespace().collect();
                    format!("{}\t{}\t{}\n", idx + 1, cols[0], cols[tags])
                })
                .collect()
        };
        let (gold_text, system_text) = (file(1), file(2));
        let (gold, _) = parse(&gold_text, GoldFormat::Iob2, "gold").unwrap();
        let (system, _) = parse(&system_text, GoldFormat::Iob2, "system").unwrap();
        let mut scores = NerScores::default();
        for (system, gold) in system.iter().zip(&gold) {
            scores.add(&system.labels, &gold.labels);
        }
        let triple = |c: Counts| (c.correct, c.system, c.gold);
        assert_eq!(triple(scores.overall), expect_overall);
        assert_eq!(triple(scores.kind(EntityKind::Per)), expect_per);
    }

    #[test]
    fn scores_exact_spans_and_types() {
        // Right person, place cut short, organisation typed as a place, a spurious place.
        check(
            "Vladimir B-PER B-PER\nPutin I-PER I-PER\nvisited O O\nNew B-LOC B-LOC\nYork I-LOC O\n\
             for O O\nGazprom B-ORG B-LOC\ntoday O B-LOC",
            (1, 4, 3),
            (1, 1, 1),
        );
        check("a O O\nb O O", (0, 0, 0), (0, 0, 0));
        let perfect = Counts { correct: 2, system: 2, gold: 2 };
        assert_eq!(perfect.f1(), 1.0);
    }
}
