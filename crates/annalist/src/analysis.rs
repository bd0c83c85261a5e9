//! [`Analysis`]: an article as the stages before event coding leave it (sentences tagged, some
//! parsed, actor mentions, entities, time expressions), which the event coder, the quotation
//! finder and coreference read.

use crate::actors::ActorCoding;
use crate::date::Date;
use crate::ner::Entity;
use crate::nlp::{ParsedSentence, TaggedSentence};
use crate::time::TimeExpr;

/// One article after tagging, actor coding, entity recognition and time resolution.
#[derive(Clone, Debug)]
pub struct Analysis<'a> {
    /// Names the article in diagnostics.
    pub id: &'a str,
    pub text: &'a str,
    /// The article's date as given.
    pub date: Option<Date>,
    /// The day relative times are resolved against: the dateline the text prints under its
    /// headline, else the article's date ([`crate::time::dateline`]).
    pub now: Option<Date>,
    pub tagged: Vec<TaggedSentence>,
    /// The parse of each sentence that may hold an event or a quotation; `None` for the others,
    /// which are never parsed.
    pub parsed: Vec<Option<ParsedSentence>>,
    pub actors: ActorCoding,
    pub entities: Vec<Entity>,
    /// In text order.
    pub times: Vec<TimeExpr>,
}
