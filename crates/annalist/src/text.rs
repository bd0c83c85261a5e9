//! Spans, tokens and sentences: the coordinates every later stage annotates.
//!
//! **Invariant:** a [`Span`] is a half-open byte range into the article text as read, always on
//! `char` boundaries, so `&text[span]` is the surface form of whatever carries it.

use serde::{Deserialize, Serialize};
use std::ops::{Index, Range};

/// A half-open byte range `[start, end)` into an article's text.
///
/// Offsets are `u32`: articles are capped well below 4 GiB by the readers, and half-size spans keep
/// token arrays compact. Serialized as a two-element array `[start, end]`, as in the data contract.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "[u32; 2]", into = "[u32; 2]")]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span from byte offsets; `start <= end` is the caller's promise (debug-checked).
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start: start as u32, end: end as u32 }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// This span moved `offset` bytes to the right (for text embedded in a larger document).
    pub fn shift(self, offset: u32) -> Span {
        Span { start: self.start + offset, end: self.end + offset }
    }
}

impl From<[u32; 2]> for Span {
    fn from([start, end]: [u32; 2]) -> Span {
        Span { start, end }
    }
}

impl From<Span> for [u32; 2] {
    fn from(span: Span) -> [u32; 2] {
        [span.start, span.end]
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

/// `&text[span]` is the surface text of the annotation that holds `span`.
impl Index<Span> for str {
    type Output = str;
    fn index(&self, span: Span) -> &str {
        &self[span.range()]
    }
}

impl Index<Span> for String {
    type Output = str;
    fn index(&self, span: Span) -> &str {
        &self[span.range()]
    }
}

/// What a token is, as far as the segmenter can tell without a tagger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters, possibly with digits, inner hyphens, apostrophes or an abbreviation's periods.
    Word,
    /// Digits with optional separators: `1,000`, `3.5`, `10:30`, `713-853-3989`.
    Number,
    /// Punctuation, including runs such as `...`, `--`, `?!`.
    Punct,
    /// Any other symbol: `$`, `%`, `&`, emoticons.
    Symbol,
    Url,
    Email,
}

/// One syntactic word, in the sense of Universal Dependencies.
///
/// A contraction such as `don't` is two tokens (`do`, `n't`); the second has `clitic` set, which is
/// what groups them back into one orthographic ("multiword") token for CoNLL-U and for evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Split from the previous token inside one orthographic word (`n't`, `'s`, `na` of `gonna`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clitic: bool,
}

/// A sentence: its span and its tokens, in text order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Vec<Token>,
    /// Index of the paragraph the sentence belongs to (blank lines and indented lines start one).
    pub paragraph: u32,
}

impl Sentence {
    /// The surface form of token `idx`.
    pub fn form<'t>(&self, text: &'t str, idx: usize) -> &'t str {
        &text[self.tokens[idx].span]
    }
}
