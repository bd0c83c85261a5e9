//! The library's public entry point: an [`Article`] in, a [`CodedArticle`] out.
//!
//! ```no_run
//! use annalist::pipeline::Pipeline;
//! use annalist::Article;
//!
//! let pipeline = Pipeline::shipped().expect("the embedded model loads");
//! let article = Article {
//!     id: "a1".into(),
//!     date: "2026-01-28".parse().ok(),
//!     text: "Russian President Vladimir Putin praised Syria's army.".into(),
//!     ..Article::default()
//! };
//! let coded = pipeline.code(&article);
//! assert_eq!(coded.events[0].code, "051");
//! ```

use crate::actors::code_actors;
use crate::amounts::{find_amounts, Amount};
use crate::analysis::Analysis;
use crate::article::Article;
use crate::coref::{resolve, Coreference};
use crate::date::Date;
use crate::dict::Dictionaries;
use crate::error::{Diagnostic, Error, ErrorKind, Location, Result, Severity};
use crate::events::{CodingOptions, Event, EventCoder};
use crate::geo::{
    add_toponyms, country_of_bare_agents, country_of_ethnic_groups, locate_events, resolve_places, Gazetteer as Places,
};
use crate::ner::{attach_actors, Entity, Gazetteer, Ner};
use crate::nlp::{Model, ParsedSentence, TaggedSentence};
use crate::quotes::{attribute_quotes, may_have_quote, quotations, Quote};
use crate::segment::article_sentences;
use crate::text::Span;
use crate::time::anchor::{anchor, Anchor};
use crate::time::{dateline, find_times, TimeExpr};
use serde::Serialize;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Everything annalist knows about one article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodedArticle {
    pub id: String,
    pub date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Input fields annalist does not know, passed through.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    pub events: Vec<Event>,
    /// Quotations and other attributions, in text order of their cues.
    pub quotes: Vec<Quote>,
    /// Named entities in text order, with their actor codes where the dictionaries have them.
    pub entities: Vec<Entity>,
    /// Time expressions in text order, resolved against the article's date.
    pub times: Vec<TimeExpr>,
    /// Numbers with what they measure or count, in text order.
    pub amounts: Vec<Amount>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The stages, loaded once and applied to many articles.
pub struct Pipeline {
    model: &'static Model,
    ner: &'static Ner,
    dictionaries: Arc<Dictionaries>,
    /// Built from the dictionaries once (it indexes every word of every actor name) and shared.
    gazetteer: Arc<Gazetteer>,
    /// The places toponyms resolve to: the embedded gazetteer and the user's.
    places: Arc<Places>,
    coder: EventCoder,
}

impl Pipeline {
    /// The embedded model and the shipped dictionaries.
    pub fn shipped() -> Result<Pipeline> {
        Pipeline::new(Dictionaries::shipped(), CodingOptions::default())
    }

    pub fn new(dictionaries: Dictionaries, options: CodingOptions) -> Result<Pipeline> {
        let model = Model::embedded()?;
        let ner = Ner::embedded()?;
        let coder = EventCoder::new(&dictionaries, options);
        let dictionaries = Arc::new(dictionaries);
        let gazetteer = Arc::new(Gazetteer::new(Arc::clone(&dictionaries)));
        let places = Arc::new(Places::embedded().map_err(|e| Error::new(ErrorKind::Model, Location::default(), e))?);
        Ok(Pipeline { model, ner, dictionaries, gazetteer, places, coder })
    }

    /// Adds the user's places (the gazetteer's TSV layout, [`Places::add_tsv`]) to the embedded
    /// ones; returns an error for each bad line, naming `origin` and the line.
    pub fn add_places(&mut self, tsv: &str, origin: &str) -> Vec<String> {
        Arc::make_mut(&mut self.places).add_tsv(tsv, origin)
    }

    /// The gazetteer toponyms resolve to.
    pub fn places(&self) -> &Places {
        &self.places
    }

    pub fn dictionaries(&self) -> &Dictionaries {
        &self.dictionaries
    }

    /// The same pipeline with other coding options (the dictionaries are shared, not reloaded).
    pub fn with_options(&self, options: CodingOptions) -> Pipeline {
        Pipeline {
            model: self.model,
            ner: self.ner,
            dictionaries: Arc::clone(&self.dictionaries),
            gazetteer: Arc::clone(&self.gazetteer),
            places: Arc::clone(&self.places),
            coder: self.coder.with_options(options),
        }
    }

    /// The time the word at each span of `article` is anchored to (see [`crate::time::anchor`]):
    /// for a span of several words, that of the word the others depend on. `None` for a span
    /// outside every sentence, or in an article with no date and no time for it.
    pub fn anchor_spans(&self, article: &Article, spans: &[Span]) -> Vec<Option<Anchor>> {
        let text = article.text.as_str();
        let sentences = article_sentences(text);
        let tagged: Vec<TaggedSentence> = sentences.iter().map(|sentence| self.model.tag(text, sentence)).collect();
        let (times, now) = article_times(text, &tagged, article.date);
        let mut parsed: Vec<Option<ParsedSentence>> = vec![None; sentences.len()];
        spans
            .iter()
            .map(|&span| {
                let index = sentences.iter().position(|s| s.span.start <= span.start && span.start < s.span.end)?;
                let parsed = parsed[index].get_or_insert_with(|| self.model.parse(text, tagged[index].clone()));
                let words: Vec<usize> = (0..parsed.tokens.len())
                    .filter(|&t| {
                        let token = parsed.tokens[t].token.span;
                        token.start < span.end && span.start < token.end
                    })
                    .collect();
                let head = words
                    .iter()
                    .copied()
                    .find(|&t| parsed.tokens[t].head.is_none_or(|h| !words.contains(&h)))
                    .or(words.first().copied())?;
                anchor(parsed, index, head, &times, now)
            })
            .collect()
    }

    /// Codes one article.
    pub fn code(&self, article: &Article) -> CodedArticle {
        let mut analysis = self.analyze(article);
        let coding = self.coder.code(&analysis, &self.dictionaries);
        let quotes = attribute_quotes(&analysis);
        let amounts = find_amounts(analysis.text, &analysis.tagged, &analysis.times);
        analysis.entities = add_toponyms(analysis.text, &analysis.tagged, analysis.entities, &self.places);
        let places = resolve_places(analysis.text, &analysis.entities, &self.places);
        let mut events = coding.events;
        locate_events(&analysis, &places, &self.places, &mut events);
        if self.coder.options().cameo_conventions {
            country_of_bare_agents(&mut events, &self.places);
            country_of_ethnic_groups(&mut events, &self.places);
        }
        let mut entities = analysis.entities;
        for (entity, place) in entities.iter_mut().zip(places) {
            entity.place = place.map(|record| self.places.place(record));
        }
        let mut diagnostics = coding.diagnostics;
        if let (Some(printed), Some(given)) = (analysis.now, article.date) {
            if printed != given {
                diagnostics.insert(
                    0,
                    Diagnostic::new(
                        Severity::Note,
                        "dateline",
                        Location { article: Some(article.id.clone()), ..Location::default() },
                        format!(
                            "the text's dateline says {printed}, the article's date is {given}: times are resolved against the dateline"
                        ),
                    ),
                );
            }
        }
        CodedArticle {
            id: article.id.clone(),
            date: article.date,
            title: article.title.clone(),
            source: article.source.clone(),
            url: article.url.clone(),
            extra: article.extra.clone(),
            events,
            quotes,
            entities,
            times: analysis.times,
            amounts,
            diagnostics,
        }
    }

    /// The coreference of an article's names, pronouns and descriptions (what quotations and
    /// events read for "he" and "the Syrian leader").
    pub fn coreference(&self, article: &Article) -> Coreference {
        self.analyze(article).coreference
    }

    /// The stages before event coding: sentences, tags, actor mentions, entities, time
    /// expressions, and the parses of the sentences that may hold an event.
    pub fn analyze<'a>(&self, article: &'a Article) -> Analysis<'a> {
        let text = article.text.as_str();
        let sentences = article_sentences(text);
        let tagged: Vec<TaggedSentence> = sentences.iter().map(|sentence| self.model.tag(text, sentence)).collect();
        let actors = code_actors(text, &sentences, article.date, &self.dictionaries);
        let (times, now) = article_times(text, &tagged, article.date);
        let parsed = tagged
            .iter()
            .enumerate()
            .map(|(index, sentence)| {
                let wanted = self.coder.wants_parse(text, sentence, index, &actors) || may_have_quote(text, sentence);
                wanted.then(|| self.model.parse(text, sentence.clone()))
            })
            .collect();
        let mut entities = self.ner.recognize(text, &tagged, &self.gazetteer);
        attach_actors(text, &mut entities, &actors, &self.dictionaries, article.date);
        let quotations = quotations(text, &tagged);
        let mut analysis = Analysis {
            id: &article.id,
            text,
            date: article.date,
            now,
            tagged,
            parsed,
            actors,
            entities,
            times,
            quotations,
            coreference: Coreference::default(),
        };
        // Coreference reads the rest of the analysis; nobody named inside quotation marks is
        // a pronoun's antecedent outside them.
        let quoted: Vec<Span> = analysis.quotations.iter().flat_map(|q| q.parts.iter().copied()).collect();
        analysis.coreference = resolve(&analysis, &quoted);
        analysis
    }
}

/// The article's time expressions, resolved against its "now": the date its text prints under
/// the headline when it has one ([`dateline`]), else its given date. A feed's date can be the
/// day a page was fetched; the dateline is the publisher's own.
fn article_times(text: &str, tagged: &[TaggedSentence], date: Option<Date>) -> (Vec<TimeExpr>, Option<Date>) {
    let times = find_times(text, tagged, date);
    match dateline(text, &times) {
        Some(printed) if Some(printed) != date => (find_times(text, tagged, Some(printed)), Some(printed)),
        _ => (times, date),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::Pipeline;
    use crate::article::Article;
    use std::sync::OnceLock;

    /// The shipped pipeline, loaded once for all unit tests.
    pub(crate) fn pipeline() -> &'static Pipeline {
        static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
        PIPELINE.get_or_init(|| Pipeline::shipped().expect("the embedded model loads"))
    }

    /// An article of `text` dated 2026-01-28, the seed article's day.
    pub(crate) fn test_article(text: &str) -> Article {
        Article { id: "t".into(), date: "2026-01-28".parse().ok(), text: text.into(), ..Article::default() }
    }
}
