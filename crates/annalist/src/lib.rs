//! annalist: political event data from dated news articles.
//!
//! The library takes an [`Article`] (a dated text) and returns annotations that each carry a byte
//! [`Span`] into that text. It does no I/O and reads no clock: the article's date is the only "now".
//!
//! ```
//! use annalist::segment::segment;
//!
//! let text = "Russian President Vladimir Putin congratulated Ahmed al Sharaa. They met in Moscow.";
//! let sentences = segment(text);
//! assert_eq!(sentences.len(), 2);
//! assert_eq!(&text[sentences[1].span], "They met in Moscow.");
//! ```

pub mod actors;
pub mod amounts;
pub mod analysis;
pub mod article;
pub mod conllu;
pub mod coref;
pub mod date;
pub mod dict;
pub mod error;
pub mod eval;
pub mod events;
pub mod geo;
pub mod ner;
pub mod nlp;
pub mod pipeline;
pub mod quotes;
pub mod score;
pub mod segment;
pub mod text;
pub mod time;

pub use article::Article;
pub use date::Date;
pub use error::{Diagnostic, Error, ErrorKind, Location, Severity};
pub use text::{Sentence, Span, Token, TokenKind};
