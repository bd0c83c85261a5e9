//! Queries over a store: events by actor, dyad, code, quad class, date and place; dyad time
//! series; articles and quotes by text and speaker; one event with the sentences behind it. The
//! command and the server both use these. Every value reaches SQL as a parameter.

use crate::write::round;
use crate::{Error, Result, Store};
use annalist::geo::distance_km;
use annalist::Date;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension, Row};
use serde::Serialize;

/// Which events. Actor and code fields are prefixes: `RUS` matches `RUS`, `RUSGOV` and `RUSMIL`,
/// `19` every code under root 19. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventFilter {
    /// Source or target starts with this.
    pub actor: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub code: Option<String>,
    pub quad_class: Option<u8>,
    /// First and last day, both included.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The location's name or its country (ISO3), case-insensitively.
    pub place: Option<String>,
    /// Within this many kilometres of a point: `(lat, lon, km)`.
    pub near: Option<(f64, f64, f64)>,
    /// Reported (among others) by the article with this id.
    pub article: Option<String>,
    /// At most this many events (default: all).
    pub limit: Option<u64>,
    pub offset: u64,
}

/// A merged event: the anchor report's codes and words, the best place, and GDELT's counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredEvent {
    pub id: i64,
    pub date: Option<String>,
    pub date_precision: String,
    pub source: String,
    pub target: String,
    pub code: String,
    pub root_code: String,
    pub base_code: String,
    pub quad_class: u8,
    pub goldstein: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plover: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<StoredLocation>,
    pub confidence: f64,
    pub num_mentions: u64,
    pub num_sources: u64,
    pub num_articles: u64,
    /// The first report: its article, sentence and words.
    pub article: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    pub article_date: Option<String>,
    pub sentence: u64,
    pub source_text: String,
    pub verb_text: String,
    pub target_text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredLocation {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub geonameid: i64,
    pub precision: String,
    pub basis: String,
}

/// The columns [`StoredEvent::from_row`] reads, in its order.
pub(crate) const EVENT_COLUMNS: &str = "e.id, e.date, e.date_precision, e.source, e.target, e.code, e.root_code,
    e.base_code, e.quad_class, e.goldstein, e.plover, e.location, e.country, e.admin1, e.lat, e.lon, e.geonameid,
    e.loc_precision, e.loc_basis, e.confidence, e.num_mentions, e.num_sources, e.num_articles, r.key, r.url,
    r.outlet, r.date, a.sentence, a.source_text, a.verb_text, a.target_text";

/// Joins an event `e` to its anchor unit `a` and the anchor's article `r`.
pub(crate) const EVENT_FROM: &str = "events e JOIN units a ON a.id = e.anchor JOIN articles r ON r.id = a.article";

/// Events read in date order ([`Store::dense`]).
const EVENTS_BY_DAY: &str = "events e INDEXED BY events_day";

impl StoredEvent {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<StoredEvent> {
        let location = match row.get::<_, Option<String>>(11)? {
            Some(name) => Some(StoredLocation {
                name,
                country: row.get(12)?,
                admin1: row.get(13)?,
                lat: row.get(14)?,
                lon: row.get(15)?,
                geonameid: row.get(16)?,
                precision: row.get(17)?,
                basis: row.get(18)?,
            }),
            None => None,
        };
        Ok(StoredEvent {
            id: row.get(0)?,
            date: row.get(1)?,
            date_precision: row.get(2)?,
            source: row.get(3)?,
            target: row.get(4)?,
            code: row.get(5)?,
            root_code: row.get(6)?,
            base_code: row.get(7)?,
            quad_class: row.get(8)?,
            goldstein: row.get(9)?,
            plover: row.get(10)?,
            location,
            confidence: row.get(19)?,
            num_mentions: row.get::<_, i64>(20)? as u64,
            num_sources: row.get::<_, i64>(21)? as u64,
            num_articles: row.get::<_, i64>(22)? as u64,
            article: row.get(23)?,
            url: row.get(24)?,
            outlet: row.get(25)?,
            article_date: row.get(26)?,
            sentence: row.get::<_, i64>(27)? as u64,
            source_text: row.get(28)?,
            verb_text: row.get(29)?,
            target_text: row.get(30)?,
        })
    }
}

/// The first string after every string starting with `prefix`, so that `column >= prefix AND
/// column < end` uses the column's index (LIKE would not, and would treat `_` as a wildcard).
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// A WHERE clause under construction, with its parameters.
#[derive(Default)]
pub(crate) struct Conditions {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Conditions {
    /// Adds a clause whose `?` placeholders take `values` in order (numbered after those of
    /// the clauses before it).
    fn push(&mut self, clause: &str, values: impl IntoIterator<Item = Value>) {
        let mut values = values.into_iter();
        let mut numbered = String::with_capacity(clause.len() + 8);
        for piece in clause.split_inclusive('?') {
            numbered.push_str(piece);
            if piece.ends_with('?') {
                self.params.push(values.next().unwrap_or(Value::Null));
                numbered.push_str(&self.params.len().to_string());
            }
        }
        self.clauses.push(numbered);
    }

    fn prefix(&mut self, columns: &[&str], prefix: &str) {
        let prefix = prefix.trim().to_uppercase();
        if prefix.is_empty() {
            return;
        }
        let end = prefix_end(&prefix).unwrap_or_default();
        let one = |column: &str| format!("({column} >= ? AND {column} < ?)");
        let clause = columns.iter().map(|c| one(c)).collect::<Vec<_>>().join(" OR ");
        let values = columns.iter().flat_map(|_| [Value::Text(prefix.clone()), Value::Text(end.clone())]);
        self.push(&format!("({clause})"), values.collect::<Vec<_>>());
    }

    /// `LIMIT ?n OFFSET ?m` with the values as parameters, so that pages of one query share
    /// one prepared statement.
    fn paging(&mut self, limit: i64, offset: u64) -> String {
        self.params.push(Value::Integer(limit));
        self.params.push(Value::Integer(offset.min(i64::MAX as u64) as i64));
        format!("LIMIT ?{} OFFSET ?{}", self.params.len() - 1, self.params.len())
    }

    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub(crate) fn params(&self) -> impl rusqlite::Params + '_ {
        params_from_iter(self.params.iter())
    }
}

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.2;

impl EventFilter {
    pub(crate) fn conditions(&self) -> Result<Conditions> {
        let mut c = Conditions::default();
        if let Some(actor) = &self.actor {
            c.prefix(&["e.source", "e.target"], actor);
        }
        if let Some(source) = &self.source {
            c.prefix(&["e.source"], source);
        }
        if let Some(target) = &self.target {
            c.prefix(&["e.target"], target);
        }
        if let Some(code) = &self.code {
            c.prefix(&["e.code"], code);
        }
        if let Some(quad) = self.quad_class {
            if !(1..=4).contains(&quad) {
                return Err(Error::Invalid(format!("quad class {quad}: it is 1, 2, 3 or 4")));
            }
            c.push("e.quad_class = ?", [Value::Integer(quad.into())]);
        }
        if let Some(from) = self.from {
            c.push("e.day >= ?", [Value::Integer(from.to_days())]);
        }
        if let Some(to) = self.to {
            c.push("e.day <= ?", [Value::Integer(to.to_days())]);
        }
        if let Some(place) = self.place.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            c.push(
                "(e.location = ? COLLATE NOCASE OR e.country = ? COLLATE NOCASE)",
                [Value::Text(place.to_string()), Value::Text(place.to_string())],
            );
        }
        if let Some(article) = &self.article {
            c.push(
                "e.id IN (SELECT u.event FROM units u JOIN articles r ON r.id = u.article WHERE r.key = ?)",
                [Value::Text(article.clone())],
            );
        }
        if let Some((lat, lon, km)) = self.near {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) || km.is_nan() || km < 0.0 {
                return Err(Error::Invalid(format!("near {lat},{lon},{km}: latitude, longitude and a distance in km")));
            }
            // A box around the point narrows the search through the index; the exact distance is
            // checked on what it finds.
            let dlat = km / KM_PER_DEGREE;
            let dlon = km / (KM_PER_DEGREE * lat.to_radians().cos().max(0.01));
            c.push(
                "e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?",
                [lat - dlat, lat + dlat, lon - dlon, lon + dlon].map(Value::Real),
            );
        }
        Ok(c)
    }
}

/// A dyad written `SOURCE-TARGET` (`RUS-SYR`): the source and target prefixes.
pub fn parse_dyad(text: &str) -> Result<(String, String)> {
    match text.split_once('-') {
        Some((source, target)) => Ok((source.trim().to_string(), target.trim().to_string())),
        None => Err(Error::Invalid("SOURCE-TARGET, such as RUS-SYR".into())),
    }
}

/// A circle written `LAT,LON,KM` (`55.75,37.62,50`).
pub fn parse_near(text: &str) -> Result<(f64, f64, f64)> {
    let parts: Vec<Option<f64>> = text.split(',').map(|p| p.trim().parse().ok()).collect();
    match parts[..] {
        [Some(lat), Some(lon), Some(km)] => Ok((lat, lon, km)),
        _ => Err(Error::Invalid("LAT,LON,KM, such as 55.75,37.62,50".into())),
    }
}

/// Whether `filter` is one the queries accept (quad class 1 to 4, a real point and distance),
/// and if not, why.
pub fn check(filter: &EventFilter) -> Result<()> {
    filter.conditions().map(|_| ())
}

/// A period of a time series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interval {
    Day,
    /// ISO weeks, from Monday.
    Week,
    Month,
}

impl std::str::FromStr for Interval {
    type Err = Error;
    fn from_str(s: &str) -> Result<Interval> {
        match s {
            "day" => Ok(Interval::Day),
            "week" => Ok(Interval::Week),
            "month" => Ok(Interval::Month),
            other => Err(Error::Invalid(format!("interval {other:?}: day, week or month"))),
        }
    }
}

/// One period of a series: how many events began in it, their Goldstein sum and mean, and the
/// count per quad class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// The period's first day.
    pub period: String,
    pub count: u64,
    pub goldstein_sum: f64,
    pub goldstein_mean: f64,
    /// Verbal cooperation, material cooperation, verbal conflict, material conflict.
    pub quad_counts: [u64; 4],
}

/// A quotation with its article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredQuote {
    pub article: String,
    pub date: Option<String>,
    pub text: String,
    pub span: [u32; 2],
    pub kind: String,
    pub cue: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_actor: Option<String>,
}

/// An article found by text search, with the matching passage marked `[...]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleHit {
    pub article: String,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    pub snippet: String,
}

/// An event with every report of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: StoredEvent,
    pub mentions: Vec<MentionDetail>,
}

/// One report of an event: where it is and the sentence that says it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MentionDetail {
    pub article: String,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub sentence: u64,
    /// Source, verb and target, bytes in the article text.
    pub span: [u32; 2],
    pub verb_text: String,
    pub sentence_span: [u32; 2],
    pub sentence_text: String,
}

/// An article with everything coded in it, for reading it with its annotations highlighted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleView {
    pub article: String,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub text: String,
    /// The article's events as its coder wrote them (spans of source, verb, target, date and
    /// place), each with `event`: the merged event it belongs to.
    pub events: Vec<serde_json::Value>,
    pub quotes: Vec<serde_json::Value>,
    pub entities: Vec<StoredEntity>,
    /// Time expressions and amounts, as coded.
    pub times: serde_json::Value,
    pub amounts: serde_json::Value,
    pub diagnostics: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredEntity {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub span: [u32; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// An actor and how many of the selected events it is source or target of.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorCount {
    pub actor: String,
    pub as_source: u64,
    pub as_target: u64,
    pub events: u64,
}

/// A dyad and its events among the selected ones.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DyadCount {
    pub source: String,
    pub target: String,
    pub events: u64,
    pub goldstein_mean: f64,
}

/// Something that could not be read or coded, as the reader or coder reported it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    /// `file:line` and the article's id where known.
    pub location: String,
    pub code: String,
    pub message: String,
}

/// Turns words into an FTS5 query that matches articles containing all of them, so that user
/// input never reaches FTS5's own syntax (where a stray quote or `-` is an error).
fn fts_query(words: &str) -> Result<String> {
    let terms: Vec<String> = words
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    if terms.is_empty() {
        return Err(Error::Invalid(format!("search {words:?} has no words")));
    }
    Ok(terms.join(" "))
}

impl Store {
    /// Events matching `filter`, by date then id.
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
        let dense = match filter.limit {
            Some(_) if filter.near.is_none() => self.dense(filter, self.count_events(filter)?)?,
            _ => false,
        };
        self.query_events(filter, dense)
    }

    /// A page of events and how many match in all.
    pub fn events_page(&self, filter: &EventFilter) -> Result<(u64, Vec<StoredEvent>)> {
        let total = self.count_events(filter)?;
        let dense = filter.near.is_none() && self.dense(filter, total)?;
        Ok((total, self.query_events(filter, dense)?))
    }

    fn query_events(&self, filter: &EventFilter, dense: bool) -> Result<Vec<StoredEvent>> {
        let conditions = filter.conditions()?;
        // The exact distance is checked here, after SQL's box, so paging must come after it.
        let exact_distance = filter.near.is_some();
        let (limit, offset) =
            if exact_distance { (-1, 0) } else { (filter.limit.map_or(-1, |l| l as i64), filter.offset) };
        let from = if dense { EVENTS_BY_DAY } else { "events e" };
        let mut conditions = conditions;
        let paging = conditions.paging(limit, offset);
        // The page's ids first, from the indexes alone where they hold what the conditions
        // test; only then the page's rows and their anchors' articles.
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM (SELECT e.id FROM {from} {} ORDER BY e.day, e.id {paging}) page
             JOIN events e ON e.id = page.id JOIN units a ON a.id = e.anchor JOIN articles r ON r.id = a.article
             ORDER BY e.day, e.id",
            conditions.sql()
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let rows = statement.query_map(conditions.params(), StoredEvent::from_row)?;
        let mut events = Vec::new();
        let mut skip = if exact_distance { filter.offset } else { 0 };
        for event in rows {
            let event = event?;
            if let (Some((lat, lon, km)), Some(place)) = (filter.near, &event.location) {
                if distance_km((lat as f32, lon as f32), (place.lat as f32, place.lon as f32)) > km {
                    continue;
                }
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
            }
            events.push(event);
            if exact_distance && filter.limit.is_some_and(|l| events.len() as u64 >= l) {
                break;
            }
        }
        Ok(events)
    }

    /// Whether a page of `filter`'s events is found faster by reading events in date order and
    /// keeping the matches (when matches are dense: a frequent actor's first page is among the
    /// first rows) than by collecting every match through the actor and code indexes and sorting
    /// them (when they are few). Reading in order costs about (offset + limit) x events / matches
    /// rows; collecting costs the matches.
    fn dense(&self, filter: &EventFilter, matches: u64) -> Result<bool> {
        let Some(limit) = filter.limit else { return Ok(false) };
        let matches = matches as f64;
        let rows = self.event_rows()? as f64;
        Ok(matches > 0.0 && (filter.offset + limit) as f64 * rows <= matches * matches)
    }

    /// How many events the store holds: from the planner's statistics when `ANALYZE` has run
    /// (free), else counted.
    fn event_rows(&self) -> Result<u64> {
        let statistic: Option<String> = self
            .conn()
            .prepare_cached("SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' AND idx = 'events_day'")
            .and_then(|mut statement| statement.query_row([], |row| row.get(0)).optional())
            .unwrap_or(None);
        if let Some(rows) = statistic.and_then(|s| s.split(' ').next().and_then(|n| n.parse().ok())) {
            return Ok(rows);
        }
        Ok(self.conn().prepare_cached("SELECT count(*) FROM events")?.query_row([], |row| row.get::<_, i64>(0))? as u64)
    }

    /// How many events match `filter` (without its limit and offset).
    pub fn count_events(&self, filter: &EventFilter) -> Result<u64> {
        let unpaged = EventFilter { limit: None, offset: 0, ..filter.clone() };
        if unpaged.near.is_some() {
            return Ok(self.events(&unpaged)?.len() as u64);
        }
        // An actor is source or target: SQLite would collect both index ranges and remove the
        // duplicates; three counts of single ranges (as source, as target, as both) are faster.
        if let (Some(actor), None, None) = (&unpaged.actor, &unpaged.source, &unpaged.target) {
            let one = |source: Option<&String>, target: Option<&String>| {
                self.count_matching(&EventFilter {
                    actor: None,
                    source: source.cloned(),
                    target: target.cloned(),
                    ..unpaged.clone()
                })
            };
            return Ok(one(Some(actor), None)? + one(None, Some(actor))? - one(Some(actor), Some(actor))?);
        }
        self.count_matching(&unpaged)
    }

    fn count_matching(&self, filter: &EventFilter) -> Result<u64> {
        let conditions = filter.conditions()?;
        let sql = format!("SELECT count(*) FROM events e {}", conditions.sql());
        Ok(self.conn().prepare_cached(&sql)?.query_row(conditions.params(), |row| row.get::<_, i64>(0))? as u64)
    }

    /// Events matching `filter` per day, week or month: count, Goldstein sum and mean, and counts
    /// per quad class. Periods without events are left out.
    pub fn series(&self, filter: &EventFilter, interval: Interval) -> Result<Vec<SeriesPoint>> {
        let conditions = filter.conditions()?;
        // Day 0 (1970-01-01) was a Thursday: Monday of day d's week is d - ((d + 3) mod 7).
        let bucket = match interval {
            Interval::Day => "e.day",
            Interval::Week => "e.day - (((e.day + 3) % 7) + 7) % 7",
            // From the day rather than the date text, which the actor indexes do not hold.
            Interval::Month => "strftime('%Y-%m', e.day * 86400, 'unixepoch')",
        };
        let dated = if conditions.sql().is_empty() { "WHERE e.day IS NOT NULL" } else { "AND e.day IS NOT NULL" };
        let sql = format!(
            "SELECT {bucket} AS period, count(*), total(e.goldstein),
                sum(e.quad_class = 1), sum(e.quad_class = 2), sum(e.quad_class = 3), sum(e.quad_class = 4)
             FROM events e {} {dated} GROUP BY period ORDER BY period",
            conditions.sql()
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let rows = statement.query_map(conditions.params(), |row| {
            let period = match row.get_ref(0)? {
                rusqlite::types::ValueRef::Integer(day) => {
                    Date::from_days(day).map(|d| d.to_string()).unwrap_or_default()
                }
                _ => format!("{}-01", row.get::<_, String>(0)?),
            };
            let count = row.get::<_, i64>(1)? as u64;
            let sum: f64 = row.get(2)?;
            let quad = |i| row.get::<_, i64>(i).map(|n| n as u64);
            Ok(SeriesPoint {
                period,
                count,
                goldstein_sum: round(sum, 2),
                goldstein_mean: round(sum / count.max(1) as f64, 2),
                quad_counts: [quad(3)?, quad(4)?, quad(5)?, quad(6)?],
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One event with all its reports and their sentences.
    pub fn event(&self, id: i64) -> Result<Option<EventDetail>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} WHERE e.id = ?1");
        let Some(event) = self.conn().prepare_cached(&sql)?.query_row([id], StoredEvent::from_row).optional()? else {
            return Ok(None);
        };
        let mut statement = self.conn().prepare_cached(
            "SELECT r.key, r.date, r.outlet, r.url, m.sentence, m.span_start, m.span_end, m.verb_text, r.text
             FROM mentions m JOIN units u ON u.id = m.unit JOIN articles r ON r.id = m.article
             WHERE u.event = ?1 ORDER BY r.date, r.key, m.span_start",
        )?;
        let rows = statement.query_map([id], |row| {
            let text: String = row.get(8)?;
            let sentence = row.get::<_, i64>(4)? as u64;
            // The sentence as coding split it: segmenting is deterministic, so splitting the
            // stored text again gives the same sentences.
            let sentence_span = annalist::segment::article_sentences(&text)
                .get(sentence as usize)
                .map_or(annalist::Span { start: 0, end: 0 }, |s| s.span);
            Ok(MentionDetail {
                article: row.get(0)?,
                date: row.get(1)?,
                outlet: row.get(2)?,
                url: row.get(3)?,
                sentence,
                span: [row.get(5)?, row.get(6)?],
                verb_text: row.get(7)?,
                sentence_span: [sentence_span.start, sentence_span.end],
                sentence_text: text
                    .get(sentence_span.start as usize..sentence_span.end as usize)
                    .unwrap_or("")
                    .to_string(),
            })
        })?;
        Ok(Some(EventDetail { event, mentions: rows.collect::<rusqlite::Result<_>>()? }))
    }

    /// Quotations containing all of `words` and/or said by a speaker whose name contains
    /// `speaker`, newest first.
    pub fn quotes(&self, words: Option<&str>, speaker: Option<&str>, limit: u64) -> Result<Vec<StoredQuote>> {
        let mut c = Conditions::default();
        if let Some(words) = words {
            c.push("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", [Value::Text(fts_query(words)?)]);
        }
        if let Some(speaker) = speaker {
            let pattern = format!("%{}%", speaker.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            c.push("q.speaker LIKE ? ESCAPE '\\'", [Value::Text(pattern)]);
        }
        let sql = format!(
            "SELECT r.key, r.date, q.text, q.span_start, q.span_end, q.kind, q.cue, q.speaker, q.speaker_actor
             FROM quotes q JOIN articles r ON r.id = q.article {} ORDER BY r.date DESC, r.key, q.idx LIMIT {limit}",
            c.sql()
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let rows = statement.query_map(c.params(), |row| {
            Ok(StoredQuote {
                article: row.get(0)?,
                date: row.get(1)?,
                text: row.get(2)?,
                span: [row.get(3)?, row.get(4)?],
                kind: row.get(5)?,
                cue: row.get(6)?,
                speaker: row.get(7)?,
                speaker_actor: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One article with its events, quotations, entities, times and amounts.
    pub fn article(&self, key: &str) -> Result<Option<ArticleView>> {
        let row = self
            .conn()
            .prepare_cached(
                "SELECT id, date, title, outlet, url, text, annotations, diagnostics FROM articles WHERE key = ?1",
            )?
            .query_row([key], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, String>(7)?,
                ))
            })
            .optional()?;
        let Some((rowid, date, title, outlet, url, text, annotations, diagnostics)) = row else { return Ok(None) };
        let parse = |json: &str| serde_json::from_str::<serde_json::Value>(json).unwrap_or_default();
        let mut events = Vec::new();
        let mut statement =
            self.conn().prepare_cached("SELECT json, event FROM units WHERE article = ?1 ORDER BY idx")?;
        for row in statement.query_map([rowid], |row| Ok((row.get::<_, String>(0)?, row.get::<_, Option<i64>>(1)?)))? {
            let (json, event) = row?;
            let mut value = parse(&json);
            value["event"] = event.into();
            events.push(value);
        }
        let mut statement = self.conn().prepare_cached("SELECT json FROM quotes WHERE article = ?1 ORDER BY idx")?;
        let quotes = statement
            .query_map([rowid], |row| row.get::<_, String>(0))?
            .map(|json| json.map(|json| parse(&json)))
            .collect::<rusqlite::Result<_>>()?;
        let mut statement = self.conn().prepare_cached(
            "SELECT text, type, span_start, span_end, actor, place, country, lat, lon FROM entities
             WHERE article = ?1 ORDER BY idx",
        )?;
        let entities = statement
            .query_map([rowid], |row| {
                Ok(StoredEntity {
                    text: row.get(0)?,
                    kind: row.get(1)?,
                    span: [row.get(2)?, row.get(3)?],
                    actor: row.get(4)?,
                    place: row.get(5)?,
                    country: row.get(6)?,
                    lat: row.get(7)?,
                    lon: row.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let annotations = parse(&annotations);
        Ok(Some(ArticleView {
            article: key.to_string(),
            date,
            title,
            outlet,
            url,
            text,
            events,
            quotes,
            entities,
            times: annotations.get("times").cloned().unwrap_or_default(),
            amounts: annotations.get("amounts").cloned().unwrap_or_default(),
            diagnostics: parse(&diagnostics),
        }))
    }

    /// The actors of the events matching `filter`, most events first.
    pub fn top_actors(&self, filter: &EventFilter, limit: u64) -> Result<Vec<ActorCount>> {
        let conditions = filter.conditions()?;
        let sql = format!(
            "SELECT actor, sum(as_source), sum(as_target), sum(as_source) + sum(as_target) AS n FROM (
                SELECT e.source AS actor, 1 AS as_source, 0 AS as_target FROM events e {where_}
                UNION ALL
                SELECT e.target, 0, 1 FROM events e {where_}
             ) GROUP BY actor ORDER BY n DESC, actor LIMIT {limit}",
            where_ = conditions.sql()
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let rows = statement.query_map(conditions.params(), |row| {
            Ok(ActorCount {
                actor: row.get(0)?,
                as_source: row.get::<_, i64>(1)? as u64,
                as_target: row.get::<_, i64>(2)? as u64,
                events: row.get::<_, i64>(3)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The dyads of the events matching `filter`, most events first.
    pub fn top_dyads(&self, filter: &EventFilter, limit: u64) -> Result<Vec<DyadCount>> {
        let conditions = filter.conditions()?;
        let sql = format!(
            "SELECT e.source, e.target, count(*) AS n, avg(e.goldstein) FROM events e {}
             GROUP BY e.source, e.target ORDER BY n DESC, e.source, e.target LIMIT {limit}",
            conditions.sql()
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let rows = statement.query_map(conditions.params(), |row| {
            Ok(DyadCount {
                source: row.get(0)?,
                target: row.get(1)?,
                events: row.get::<_, i64>(2)? as u64,
                goldstein_mean: round(row.get(3)?, 2),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everything that could not be read or coded, by location.
    pub fn failures(&self) -> Result<Vec<Failure>> {
        let mut statement =
            self.conn().prepare_cached("SELECT location, code, message FROM failures ORDER BY location")?;
        let rows = statement
            .query_map([], |row| Ok(Failure { location: row.get(0)?, code: row.get(1)?, message: row.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Articles containing all of `words`, best match first.
    pub fn search_articles(&self, words: &str, limit: u64) -> Result<Vec<ArticleHit>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT r.key, r.date, r.title, r.outlet, snippet(articles_fts, 1, '[', ']', '...', 16)
             FROM articles_fts JOIN articles r ON r.id = articles_fts.rowid
             WHERE articles_fts MATCH ?1 ORDER BY rank, r.key LIMIT ?2",
        )?;
        let rows = statement.query_map(rusqlite::params![fts_query(words)?, limit as i64], |row| {
            Ok(ArticleHit {
                article: row.get(0)?,
                date: row.get(1)?,
                title: row.get(2)?,
                outlet: row.get(3)?,
                snippet: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_end_after_every_extension() {
        assert_eq!(prefix_end("RUS").as_deref(), Some("RUT"));
        assert_eq!(prefix_end("19").as_deref(), Some("1:"));
        assert_eq!(prefix_end(""), None);
    }

    #[test]
    fn search_words_never_reach_fts_syntax() {
        assert_eq!(fts_query("Putin \"Moscow\" -x").unwrap(), "\"Putin\" \"Moscow\" \"x\"");
        assert!(fts_query(" -- ").is_err());
    }

    #[test]
    fn dyads_and_circles_parse() {
        assert_eq!(parse_dyad("RUS-SYR").unwrap(), ("RUS".to_string(), "SYR".to_string()));
        assert!(parse_dyad("RUS").is_err());
        assert_eq!(parse_near("55.75, 37.62,50").unwrap(), (55.75, 37.62, 50.0));
        assert!(parse_near("55,37").is_err() && parse_near("x,55,37,50").is_err());
    }

    #[test]
    fn bad_filters_are_errors() {
        let bad = [
            EventFilter { quad_class: Some(5), ..EventFilter::default() },
            EventFilter { near: Some((95.0, 0.0, 10.0)), ..EventFilter::default() },
            EventFilter { near: Some((0.0, 0.0, -1.0)), ..EventFilter::default() },
        ];
        for filter in bad {
            assert!(filter.conditions().is_err(), "{filter:?}");
        }
    }
}
