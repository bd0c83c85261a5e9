//! Tokenization and sentence splitting against a CoNLL-U treebank, the way the CoNLL 2018 shared
//! task scores them.
//!
//! Each document's raw text is rebuilt the way UD's own raw texts are made: the sentences of a
//! paragraph joined by a space, a blank line before each `# newpar`, a new document at each
//! `# newdoc`. The text is segmented, and tokens and sentences are compared by their character
//! spans with whitespace removed, so that only the positions of the cuts count.

use super::{match_sorted, Counts};
use crate::conllu::ConlluSentence;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::segment::segment;
use crate::text::Sentence;
use serde::Serialize;

/// Segmentation scores over a treebank.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct SegmentScores {
    /// Orthographic tokens (a contraction is one token).
    pub tokens: Counts,
    /// Syntactic words (a contraction is two words).
    pub words: Counts,
    pub sentences: Counts,
    pub documents: usize,
}

/// A document rebuilt from a treebank, with the gold cuts in whitespace-free character offsets.
#[derive(Clone, Debug, Default)]
pub struct GoldDocument {
    pub text: String,
    pub tokens: Vec<(u32, u32)>,
    pub words: Vec<(u32, u32)>,
    pub sentences: Vec<(u32, u32)>,
}

/// Rebuilds the documents of a treebank. `file` names it in errors.
pub fn gold_documents(sentences: &[ConlluSentence], file: &str) -> Result<Vec<GoldDocument>> {
    let mut documents: Vec<GoldDocument> = Vec::new();
    let mut offset = 0u32;
    for sentence in sentences {
        if sentence.newdoc.is_some() || documents.is_empty() {
            documents.push(GoldDocument::default());
            offset = 0;
        }
        let Some(document) = documents.last_mut() else { continue };
        if !document.text.is_empty() {
            document.text.push_str(if sentence.newpar { "\n\n" } else { " " });
        }
        let raw = sentence.raw_text();
        document.text.push_str(&raw);
        let sentence_start = offset;
        for (form, words) in sentence.surface_tokens() {
            let token_start = offset;
            if words.len() > 1 && words.clone().map(|w| sentence.words[w].form.as_str()).collect::<String>() == form {
                for word in words {
                    let len = non_space_len(&sentence.words[word].form);
                    document.words.push((offset, offset + len));
                    offset += len;
                }
            } else {
                offset += non_space_len(form);
                for _ in words {
                    document.words.push((token_start, offset));
                }
            }
            document.tokens.push((token_start, offset));
        }
        document.sentences.push((sentence_start, offset));
        let expected = non_space_len(&document.text);
        if expected != offset {
            return Err(Error::new(
                ErrorKind::Eval,
                Location::line(file, sentence.line),
                "the sentence's `# text` does not match its tokens",
            ));
        }
    }
    Ok(documents)
}

/// Segments each rebuilt document and scores tokens, words and sentences.
pub fn evaluate(sentences: &[ConlluSentence], file: &str) -> Result<SegmentScores> {
    let mut scores = SegmentScores::default();
    for document in gold_documents(sentences, file)? {
        let system = segment(&document.text);
        let (tokens, words, sentence_spans) = system_cuts(&document.text, &system);
        scores.tokens.add(match_sorted(&tokens, &document.tokens));
        scores.words.add(match_sorted(&words, &dedup(&document.words)));
        scores.sentences.add(match_sorted(&sentence_spans, &document.sentences));
        scores.documents += 1;
    }
    Ok(scores)
}

/// System tokens (clitics merged into their host), words and sentences in whitespace-free
/// character offsets.
#[allow(clippy::type_complexity)]
pub fn system_cuts(text: &str, sentences: &[Sentence]) -> (Vec<(u32, u32)>, Vec<(u32, u32)>, Vec<(u32, u32)>) {
    // Non-space characters before each byte offset, computed once per document.
    let mut before = vec![0u32; text.len() + 1];
    let mut count = 0;
    for (idx, c) in text.char_indices() {
        before[idx] = count;
        if !c.is_whitespace() {
            count += 1;
        }
    }
    before[text.len()] = count;
    let pos = |byte: u32| before[byte as usize];
    let (mut tokens, mut words, mut spans): (Vec<(u32, u32)>, Vec<(u32, u32)>, Vec<(u32, u32)>) =
        (Vec::new(), Vec::new(), Vec::new());
    for sentence in sentences {
        for token in &sentence.tokens {
            let cut = (pos(token.span.start), pos(token.span.end));
            words.push(cut);
            match tokens.last_mut() {
                Some(last) if token.clitic => *last = (last.0, cut.1),
                _ => tokens.push(cut),
            }
        }
        spans.push((pos(sentence.span.start), pos(sentence.span.end)));
    }
    (tokens, words, spans)
}

fn non_space_len(s: &str) -> u32 {
    s.chars().filter(|c| !c.is_whitespace()).count() as u32
}

fn dedup(spans: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut spans = spans.to_vec();
    spans.dedup();
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu;

    const GOLD: &str = "# newdoc id = d\n# newpar id = p\n# text = I don't know\n1\tI\t_\t_\t_\t_\t0\t_\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\t_\t_\t_\t_\t0\t_\t_\t_\n3\tn't\t_\t_\t_\t_\t0\t_\t_\t_\n4\tknow\t_\t_\t_\t_\t0\t_\t_\t_\n\n# text = Thanks.\n1\tThanks\t_\t_\t_\t_\t0\t_\t_\tSpaceAfter=No\n2\t.\t_\t_\t_\t_\t0\t_\t_\t_\n\n# newpar id = q\n# text = Bye.\n1\tBye\t_\t_\t_\t_\t0\t_\t_\tSpaceAfter=No\n2\t.\t_\t_\t_\t_\t0\t_\t_\t_\n\n";

    #[test]
    fn rebuilds_text_and_scores_cuts() {
        let sentences = conllu::parse(GOLD, "g").unwrap();
        let documents = gold_documents(&sentences, "g").unwrap();
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].text, "I don't know Thanks.\n\nBye.");
        assert_eq!(documents[0].tokens, [(0, 1), (1, 6), (6, 10), (10, 16), (16, 17), (17, 20), (20, 21)]);
        assert_eq!(documents[0].words[1..3], [(1, 3), (3, 6)]);
        let scores = evaluate(&sentences, "g").unwrap();
        // All 7 tokens are found; "I don't know Thanks." is one sentence for a splitter, so of the
        // gold sentences only "Bye." matches.
        assert_eq!(scores.tokens, Counts { correct: 7, system: 7, gold: 7 });
        assert_eq!(scores.words.correct, 8);
        assert_eq!(scores.sentences, Counts { correct: 1, system: 2, gold: 3 });
    }

    #[test]
    fn mismatched_text_is_an_error() {
        let bad = GOLD.replace("# text = Thanks.", "# text = Thank.");
        let sentences = conllu::parse(&bad, "g").unwrap();
        let error = gold_documents(&sentences, "g").unwrap_err();
        assert_eq!(error.location.line, Some(10));
    }
}
