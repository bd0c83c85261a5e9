//! Source and target actor words against ConfliBERT's CAMEO role annotations
//! (`data/eval/confli-cameo-ner`): one token and one tag per line, a blank line between
//! sentences, tags in BIO over three roles: `S` source, `T` target, `R` an actor that is both
//! (CAMEO's reciprocal events).

use super::Counts;
use crate::error::{Error, ErrorKind, Location};
use crate::text::Span;

/// An actor role a gold token has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    None,
    Source,
    Target,
    /// Source and target at once.
    Both,
}

impl Role {
    pub fn is_source(self) -> bool {
        matches!(self, Role::Source | Role::Both)
    }

    pub fn is_target(self) -> bool {
        matches!(self, Role::Target | Role::Both)
    }
}

/// One gold sentence: its tokens and their roles.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleSentence {
    /// The 1-based line of the sentence's first token.
    pub line: usize,
    pub tokens: Vec<String>,
    pub roles: Vec<Role>,
}

impl RoleSentence {
    /// The sentence as text: its tokens joined by single spaces (the annotation keeps no
    /// spacing), with each token's span in that text.
    pub fn text(&self) -> (String, Vec<Span>) {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(self.tokens.len());
        for token in &self.tokens {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(token);
            spans.push(Span::new(start, text.len()));
        }
        (text, spans)
    }
}

/// Reads the annotation. A tag that is not `O` or `B-`/`I-` of `S`, `T` or `R`, or a line
/// without a tag, is an error naming the line.
pub fn parse(text: &str, file: &str) -> Result<Vec<RoleSentence>, Error> {
    let mut sentences = Vec::new();
    let mut current: Option<RoleSentence> = None;
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            sentences.extend(current.take());
            continue;
        }
        let bad = |message: String| Error::new(ErrorKind::Eval, Location::line(file, line_number as u64), message);
        let (token, tag) = line.rsplit_once([' ', '\t']).ok_or_else(|| bad(format!("no tag on {line:?}")))?;
        let role = match tag {
            "O" => Role::None,
            _ => match tag.split_once('-') {
                Some(("B" | "I", "S")) => Role::Source,
                Some(("B" | "I", "T")) => Role::Target,
                Some(("B" | "I", "R")) => Role::Both,
                _ => return Err(bad(format!("unknown tag {tag:?} (expected O, or B- or I- of S, T or R)"))),
            },
        };
        let sentence =
            current.get_or_insert_with(|| RoleSentence { line: line_number, tokens: Vec::new(), roles: Vec::new() });
        sentence.tokens.push(token.trim().to_string());
        sentence.roles.push(role);
    }
    sentences.extend(current);
    Ok(sentences)
}

/// Word-level counts of source and target tokens, over all sentences.
#[derive(Clone, Copy, Debug, Default)]
pub struct RoleScores {
    pub sentences: usize,
    pub source: Counts,
    pub target: Counts,
}

impl RoleScores {
    /// Scores one sentence: a token is the system's source (target) when one of the coded source
    /// (target) spans overlaps it. Returns this sentence's source and target counts.
    pub fn add(
        &mut self,
        sentence: &RoleSentence,
        token_spans: &[Span],
        sources: &[Span],
        targets: &[Span],
    ) -> (Counts, Counts) {
        let count = |system: &[Span], gold: fn(Role) -> bool| {
            let mut counts = Counts::default();
            for (span, role) in token_spans.iter().zip(&sentence.roles) {
                let marked = system.iter().any(|s| s.start < span.end && span.start < s.end);
                let gold = gold(*role);
                counts.system += usize::from(marked);
                counts.gold += usize::from(gold);
                counts.correct += usize::from(marked && gold);
            }
            counts
        };
        let (source, target) = (count(sources, Role::is_source), count(targets, Role::is_target));
        self.sentences += 1;
        self.source.add(source);
        self.target.add(target);
        (source, target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = "a B-S\nSwiss I-S\ncourt I-S\nrejected O\nthe O\nCroatian B-T\nrequest I-T\n\n\
                        Iran B-R\nand O\nIraq B-R\nmet O\n";

    #[test]
    fn reads_sentences_and_roles() {
        let sentences = parse(GOLD, "gold.txt").unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[1].line, 9);
        assert_eq!(sentences[1].roles, [Role::Both, Role::None, Role::Both, Role::None]);
        let (text, spans) = sentences[0].text();
        assert_eq!(text, "a Swiss court rejected the Croatian request");
        assert_eq!(&text[spans[2]], "court");
    }

    #[test]
    fn a_bad_tag_names_its_line() {
        let error = parse("a B-S\nb X-Q\n", "gold.txt").unwrap_err();
        assert_eq!(error.location.line, Some(2));
        assert!(error.message.contains("X-Q"), "{}", error.message);
    }

    #[test]
    fn tokens_overlapping_the_coded_spans_are_counted() {
        let sentences = parse(GOLD, "gold.txt").unwrap();
        let mut scores = RoleScores::default();
        let (_, spans) = sentences[0].text();
        // Source "Swiss court" (2 of 3 gold words), target "the Croatian" (1 of 2, 1 wrong).
        let (source, target) = scores.add(&sentences[0], &spans, &[Span::new(2, 13)], &[Span::new(23, 35)]);
        assert_eq!(source, Counts { correct: 2, system: 2, gold: 3 });
        assert_eq!(target, Counts { correct: 1, system: 2, gold: 2 });
        // A reciprocal actor is gold for both roles.
        let (_, spans) = sentences[1].text();
        let (source, target) = scores.add(&sentences[1], &spans, &[spans[0]], &[]);
        assert_eq!(source, Counts { correct: 1, system: 1, gold: 2 });
        assert_eq!(target, Counts { correct: 0, system: 0, gold: 2 });
        assert_eq!(scores.sentences, 2);
    }
}
