//! [`Analysis`]: an article as the stages before event coding leave it (sentences tagged, some
//! parsed, actor mentions, entities, time expressions, quotation marks, coreference), which the
//! event coder and the quotation finder read.

use crate::actors::ActorCoding;
use crate::coref::Coreference;
use crate::date::Date;
use crate::ner::Entity;
use crate::nlp::{ParsedSentence, TaggedSentence};
use crate::quotes::Quotation;
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
    /// The text between quotation marks, in text order.
    pub quotations: Vec<Quotation>,
    /// Who the names, pronouns and descriptions refer to.
    pub coreference: Coreference,
}
