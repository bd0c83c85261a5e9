//! Time expressions: found in tagged sentences, resolved against the article's date, and the
//! anchoring of a clause to the time it happened ([`anchor`]).
//!
//! A [`TimeExpr`] is a span of the text with the [`TimeValue`] it denotes: an interval of days with
//! the precision it was stated at, written as ISO 8601 at that precision (`2026-01-28`,
//! `2026-W04`, `2026-01`, `1944`, `1939/1945`). What is recognized:
//! - dates with and without a year ("January 28, 2026", "28 January", "Jan. 28"), months ("in
//!   March", "March 2024"), years ("in 1944", "the 2008 election", "1986/87"), decades and
//!   centuries ("the 1990s", "the 19th century"), quarters, halves and seasons;
//! - days relative to the article: "today", "yesterday", "last night", weekdays ("on Wednesday":
//!   the most recent Wednesday, the article's own day included; the next one in a clause about
//!   the future), "this/last/next week|month|year|weekend", "two years ago", "in four months";
//! - stretches of time up to the article ("the past two weeks", "in recent months") and vague
//!   references ("recently", "soon"), whose value is marked `approximate`;
//! - named periods ("World War II" is 1939/1945, "the Cold War" 1947/1991);
//! - ranges ("from 2010 to 2012", "between March and May", "1939-1945").
//!
//! A word before an expression says how an event relates to it ([`Relation`]): "since 2011" is
//! from 2011 up to the article, "until 1990" ended then.
//!
//! **Invariant:** the article's date is the only "now": no clock is read, and an expression that
//! needs a "now" (weekdays, "last year") is not resolved in an article without a date.

pub mod anchor;

use crate::date::Date;
use crate::nlp::{TaggedSentence, TaggedToken, Upos};
use crate::text::{Span, TokenKind};
use serde::{Serialize, Serializer};
use std::fmt;

/// The granularity a time was stated at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Week,
    Month,
    Year,
    /// A vague stretch of days ("recently", "in recent weeks"): its bounds are a guess.
    Approximate,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Year => "year",
            Precision::Approximate => "approximate",
        }
    }
}

/// A stretch of days, first and last included, and the precision it was stated at. A single day,
/// week, month or year has bounds that are exactly that unit's; a range ("1939/1945") spans
/// several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeValue {
    pub start: Date,
    pub end: Date,
    pub precision: Precision,
}

impl TimeValue {
    pub fn day(date: Date) -> TimeValue {
        TimeValue { start: date, end: date, precision: Precision::Day }
    }

    /// The ISO week `date` falls in.
    pub fn week_of(date: Date) -> Option<TimeValue> {
        let start = date.week_start();
        Some(TimeValue { start, end: start.add_days(6)?, precision: Precision::Week })
    }

    pub fn month(year: i32, month: u32) -> Option<TimeValue> {
        let start = Date::from_ymd(year, month, 1)?;
        Some(TimeValue { start, end: start.last_of_month(), precision: Precision::Month })
    }

    pub fn year(year: i32) -> Option<TimeValue> {
        Some(TimeValue {
            start: Date::from_ymd(year, 1, 1)?,
            end: Date::from_ymd(year, 12, 31)?,
            precision: Precision::Year,
        })
    }

    /// The years `first` to `last`, both included.
    pub fn years(first: i32, last: i32) -> Option<TimeValue> {
        (first <= last).then(|| Some(TimeValue::year(first)?.through(TimeValue::year(last)?)))?
    }

    /// A vague stretch of days.
    pub fn approximate(start: Date, end: Date) -> TimeValue {
        TimeValue { start: start.min(end), end: end.max(start), precision: Precision::Approximate }
    }

    /// From the start of `self` to the end of `last`, at the coarser of their precisions ("from
    /// March to May 2024" is 2024-03/2024-05).
    pub fn through(self, last: TimeValue) -> TimeValue {
        TimeValue {
            start: self.start.min(last.start),
            end: last.end.max(self.start),
            precision: self.precision.max(last.precision),
        }
    }

    /// The middle day, for ordering and distance.
    pub fn midpoint(self) -> Date {
        let days = (self.start.to_days() + self.end.to_days()).div_euclid(2);
        Date::from_days(days).unwrap_or(self.start)
    }

    /// Whether this time lies well before `article`: it ended more than a year before the article's
    /// date. Such a time dates history ("relations established in 1944"), not news; a time within
    /// the year before ("last March") dates an event of its own day, not a historical one.
    pub fn is_historical(self, article: Date) -> bool {
        self.end.to_days() < article.to_days() - 365
    }

    /// Whether `self`, read at `precision`, is the same time as `other` at that precision: both
    /// bounds fall in the same day, week, month or year. What the timeline evaluation counts.
    pub fn agrees_at(self, other: TimeValue, precision: Precision) -> bool {
        let key = |date: Date| match precision {
            Precision::Day | Precision::Approximate => date.to_yyyymmdd(),
            Precision::Week => {
                let (year, week) = date.iso_week();
                i64::from(year) * 100 + i64::from(week)
            }
            Precision::Month => i64::from(date.year()) * 100 + i64::from(date.month()),
            Precision::Year => i64::from(date.year()),
        };
        key(self.start) == key(other.start) && key(self.end) == key(other.end) && key(self.start) == key(self.end)
    }

    /// ISO 8601 at the value's precision: `2026-01-28`, `2026-W05`, `2026-01`, `1944`, and
    /// intervals `1939/1945`, `2025-12-29/2026-01-27`.
    pub fn iso(self) -> String {
        let one = |date: Date| match self.precision {
            Precision::Day | Precision::Approximate => date.to_string(),
            Precision::Week => {
                let (year, week) = date.iso_week();
                format!("{year:04}-W{week:02}")
            }
            Precision::Month => format!("{:04}-{:02}", date.year(), date.month()),
            Precision::Year => format!("{:04}", date.year()),
        };
        let (first, last) = (one(self.start), one(self.end));
        if first == last {
            first
        } else {
            format!("{first}/{last}")
        }
    }
}

impl fmt::Display for TimeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for TimeValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What kind of expression a time is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeKind {
    /// A calendar date, month, year, decade, quarter or season, with or without its year.
    Date,
    /// A day of the week.
    Weekday,
    /// A day or unit counted from the article's date: "yesterday", "last week", "two years ago".
    Relative,
    /// A stretch of time up to or from the article: "the past two weeks", "in four months".
    Duration,
    /// A vague reference: "recently", "soon", "in recent weeks".
    Approximate,
    /// The article's own time: "now", "currently", "today".
    Present,
    /// A named period: "World War II".
    Named,
    /// From one time to another: "from 2010 to 2012", "1939-1945".
    Range,
}

/// How an event relates to the time a preposition introduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// At or during the time (no marker, or "in", "on", "during").
    At,
    /// From then up to the article: "since 2011".
    Since,
    /// Up to then: "until 1990", "by 2020".
    Until,
    /// Before then.
    Before,
    /// After then, up to the article.
    After,
}

impl Relation {
    fn is_at(&self) -> bool {
        *self == Relation::At
    }
}

/// A time expression found in an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeExpr {
    /// `&text[span]`.
    pub text: String,
    pub span: Span,
    pub value: TimeValue,
    pub kind: TimeKind,
    /// The word before it that relates an event to it ("since"); absent for "at".
    #[serde(skip_serializing_if = "Relation::is_at")]
    pub relation: Relation,
    /// Index of the sentence in the article.
    pub sentence: usize,
    /// Token range within the sentence, `[first, last + 1)`.
    #[serde(skip)]
    pub tokens: (usize, usize),
}

impl TimeExpr {
    /// The time an event related to this expression happened at: "since 2011" is 2011 up to the
    /// article's date, "after the war" from its end up to the article; "before 1990" is the
    /// expression's own time, the nearest that can be said.
    pub fn event_time(&self, article: Option<Date>) -> TimeValue {
        match (self.relation, article) {
            (Relation::Since, Some(now)) if now > self.value.start => {
                TimeValue { start: self.value.start, end: now, precision: self.value.precision }
            }
            (Relation::After, Some(now)) if now > self.value.end => {
                TimeValue { start: self.value.end, end: now, precision: self.value.precision }
            }
            _ => self.value,
        }
    }
}

/// Finds and resolves the time expressions of an article's sentences, in text order. `date` is
/// the article's date; without it only absolute times (dates with a year, years, named periods)
/// are found.
pub fn find_times(text: &str, sentences: &[TaggedSentence], date: Option<Date>) -> Vec<TimeExpr> {
    let mut times = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        sentence_times(text, sentence, index, date, &mut times);
    }
    times
}

/// The article's dateline: a line among its first three sentences that is nothing but a full
/// date ("January 09, 2008", "Wednesday, January 28, 2026"), as Wikinews and many sites print
/// under the headline. `times` are the article's time expressions.
pub fn dateline(text: &str, times: &[TimeExpr]) -> Option<Date> {
    times.iter().take_while(|t| t.sentence < 3).find_map(|t| {
        let full_day = t.kind == TimeKind::Date && t.value.precision == Precision::Day && t.value.start == t.value.end;
        let (start, end) = (t.span.start as usize, t.span.end as usize);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let alone = |rest: &str| rest.chars().all(|c| c.is_whitespace() || matches!(c, ',' | '.' | '-' | '–' | '—'));
        (full_day && alone(&text[line_start..start]) && alone(&text[end..line_end])).then_some(t.value.start)
    })
}

/// The time expressions of one sentence, appended to `out`.
pub fn sentence_times(
    text: &str,
    sentence: &TaggedSentence,
    index: usize,
    date: Option<Date>,
    out: &mut Vec<TimeExpr>,
) {
    let words = Words::new(text, &sentence.tokens);
    let mut at = 0;
    while at < words.len() {
        let Some((end, expr, kind)) = words.expression_at(at) else {
            at += 1;
            continue;
        };
        let tense = words.tense_around(at, end);
        let Some(value) = resolve(&expr, date, tense) else {
            at = end;
            continue;
        };
        let relation = words.relation_before(at);
        let span =
            Span::new(sentence.tokens[at].token.span.start as usize, sentence.tokens[end - 1].token.span.end as usize);
        out.push(TimeExpr {
            text: text[span].to_string(),
            span,
            value,
            kind,
            relation,
            sentence: index,
            tokens: (at, end),
        });
        at = end;
    }
}

// ---------------------------------------------------------------------------------------------
// Expressions before resolution

/// The units relative expressions count in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Weekend,
    Month,
    Year,
    Decade,
}

/// What an expression says, before the article's date and the clause's tense resolve it.
#[derive(Clone, Debug, PartialEq)]
enum Expr {
    /// A month and day, with or without a year.
    Date {
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    /// A month, with or without a year.
    Month {
        year: Option<i32>,
        month: u32,
    },
    /// Months `first..=last` of a year, or of the nearest such stretch (quarters, halves, seasons).
    Months {
        year: YearRef,
        first: u32,
        last: u32,
    },
    Year(i32),
    Years(i32, i32),
    /// A day of the week (Monday 0) and the word before it.
    Weekday {
        weekday: i64,
        shift: Shift,
    },
    /// The article's day moved by this many days ("yesterday" is -1).
    Days(i64),
    /// This, the last or the next week, weekend, month or year.
    Unit {
        unit: Unit,
        shift: Shift,
    },
    /// `n` units before the article ("two years ago"), or after it when positive.
    Offset {
        n: i64,
        unit: Unit,
    },
    /// "in four months": after the article in a clause about the future, else the months up to it.
    Within {
        n: i64,
        unit: Unit,
    },
    /// The stretch of `n` units up to the article ("the past two weeks").
    Past {
        n: i64,
        unit: Unit,
    },
    /// A vague stretch of days: before the article when negative, after it when positive.
    Vague {
        from: i64,
        to: i64,
    },
    Present,
    Fixed(TimeValue),
    Range(Box<Expr>, Box<Expr>),
}

/// The year of a part of a year: "of 2009", "of last year", or none said ("last summer").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum YearRef {
    Stated(i32),
    /// The article's year and this many more ("of last year" is -1).
    Relative(i64),
    Unstated(Shift),
}

/// The word before a weekday or unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shift {
    None,
    This,
    Last,
    Next,
}

/// The tense of the clause an expression is in, as far as the words around it tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tense {
    Past,
    Present,
    Future,
    Unknown,
}

/// Resolves an expression against the article's date.
fn resolve(expr: &Expr, date: Option<Date>, tense: Tense) -> Option<TimeValue> {
    match *expr {
        Expr::Date { year: Some(year), month, day } => Some(TimeValue::day(Date::from_ymd(year, month, day)?)),
        Expr::Date { year: None, month, day } => {
            let now = date?;
            let candidates = [now.year() - 1, now.year(), now.year() + 1]
                .into_iter()
                .filter_map(|year| Date::from_ymd(year, month, day))
                .map(TimeValue::day);
            nearest(candidates, now, tense)
        }
        Expr::Month { year: Some(year), month } => TimeValue::month(year, month),
        Expr::Month { year: None, month } => {
            let now = date?;
            let candidates = [now.year() - 1, now.year(), now.year() + 1]
                .into_iter()
                .filter_map(|year| TimeValue::month(year, month));
            nearest(candidates, now, tense)
        }
        Expr::Months { year, first, last } => {
            let span = |year: i32| {
                let start = TimeValue::month(year, first)?;
                // Winter runs from December into the next year.
                let end = if last < first { TimeValue::month(year + 1, last)? } else { TimeValue::month(year, last)? };
                Some(start.through(end))
            };
            match year {
                YearRef::Stated(year) => span(year),
                YearRef::Relative(offset) => span(date?.year().checked_add(i32::try_from(offset).ok()?)?),
                YearRef::Unstated(shift) => {
                    let now = date?;
                    let tense = match shift {
                        Shift::Last => Tense::Past,
                        Shift::Next => Tense::Future,
                        Shift::This | Shift::None => tense,
                    };
                    nearest([now.year() - 1, now.year(), now.year() + 1].into_iter().filter_map(span), now, tense)
                }
            }
        }
        Expr::Year(year) => TimeValue::year(year),
        Expr::Years(first, last) => TimeValue::years(first, last),
        Expr::Weekday { weekday, shift } => {
            let now = date?;
            let today = now.weekday_index();
            let back = (today - weekday).rem_euclid(7);
            let ahead = (weekday - today).rem_euclid(7);
            let offset = match (shift, tense) {
                (Shift::Last, _) => -(if back == 0 { 7 } else { back }),
                (Shift::Next, _) => {
                    if ahead == 0 {
                        7
                    } else {
                        ahead
                    }
                }
                (_, Tense::Future) => ahead,
                (Shift::This, Tense::Unknown | Tense::Present) => weekday - today,
                _ => -back,
            };
            Some(TimeValue::day(now.add_days(offset)?))
        }
        Expr::Days(offset) => Some(TimeValue::day(date?.add_days(offset)?)),
        Expr::Unit { unit, shift } => {
            let now = date?;
            let step = match shift {
                Shift::Last => -1,
                Shift::Next => 1,
                Shift::None | Shift::This => 0,
            };
            unit_at(now, unit, step, tense)
        }
        Expr::Offset { n, unit } => unit_at(date?, unit, n, tense),
        Expr::Within { n, unit } => {
            let now = date?;
            if tense == Tense::Future {
                unit_at(now, unit, n, tense)
            } else {
                Some(TimeValue { start: back_by(now, n, unit)?, end: now, precision: Precision::Day })
            }
        }
        Expr::Past { n, unit } => {
            let now = date?;
            Some(TimeValue { start: back_by(now, n, unit)?, end: now, precision: Precision::Day })
        }
        Expr::Vague { from, to } => {
            let now = date?;
            Some(TimeValue::approximate(now.add_days(from)?, now.add_days(to)?))
        }
        Expr::Present => Some(TimeValue::day(date?)),
        Expr::Fixed(value) => Some(value),
        Expr::Range(ref first, ref last) => {
            let first = resolve(first, date, tense)?;
            let mut last = resolve(last, date, tense)?;
            // "from December to February": the end after the start.
            if last.end < first.start {
                if let (Some(start), Some(end)) = (last.start.add_months(12), last.end.add_months(12)) {
                    last = TimeValue { start, end, ..last };
                }
            }
            (first.start <= last.end).then(|| first.through(last))
        }
    }
}

/// Of the candidate readings of a date without a year, the one the clause's tense points to: the
/// latest not after the article in the past, the earliest not before it in the future, else the
/// nearest (the earlier on a tie: news reports more than it announces).
fn nearest(candidates: impl Iterator<Item = TimeValue>, now: Date, tense: Tense) -> Option<TimeValue> {
    let candidates: Vec<TimeValue> = candidates.collect();
    match tense {
        Tense::Past => candidates.iter().copied().filter(|c| c.start <= now).max_by_key(|c| c.start),
        Tense::Future => candidates.iter().copied().filter(|c| c.end >= now).min_by_key(|c| c.start),
        Tense::Present | Tense::Unknown => None,
    }
    .or_else(|| {
        candidates.into_iter().min_by_key(|c| {
            let distance = if c.end < now {
                now.to_days() - c.end.to_days()
            } else if c.start > now {
                c.start.to_days() - now.to_days()
            } else {
                0
            };
            (distance, c.start > now)
        })
    })
}

/// The unit `step` units from the article's ("last year" is -1), at the unit's precision.
fn unit_at(now: Date, unit: Unit, step: i64, tense: Tense) -> Option<TimeValue> {
    match unit {
        Unit::Day => Some(TimeValue::day(now.add_days(step)?)),
        Unit::Week => TimeValue::week_of(now.add_days(7 * step)?),
        Unit::Weekend => {
            // The weekend of the article's week, or the one before in the past tense when the
            // article is dated before it.
            let saturday = now.week_start().add_days(5)?;
            let mut saturday = saturday.add_days(7 * step)?;
            if step == 0 && tense == Tense::Past && saturday > now {
                saturday = saturday.add_days(-7)?;
            }
            Some(TimeValue { start: saturday, end: saturday.add_days(1)?, precision: Precision::Day })
        }
        Unit::Month => {
            let month = now.add_months(step)?;
            TimeValue::month(month.year(), month.month())
        }
        Unit::Year => TimeValue::year(now.year().checked_add(i32::try_from(step).ok()?)?),
        Unit::Decade => TimeValue::year(now.year().checked_add(i32::try_from(step * 10).ok()?)?),
    }
}

/// The article's date less `n` units.
fn back_by(now: Date, n: i64, unit: Unit) -> Option<Date> {
    match unit {
        Unit::Day => now.add_days(-n),
        Unit::Week | Unit::Weekend => now.add_days(-7 * n),
        Unit::Month => now.add_months(-n),
        Unit::Year => now.add_months(-12 * n),
        Unit::Decade => now.add_months(-120 * n),
    }
}

// ---------------------------------------------------------------------------------------------
// Recognition

const MONTHS: [(&str, u32); 23] = [
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
];

const WEEKDAYS: [(&str, i64); 7] =
    [("monday", 0), ("tuesday", 1), ("wednesday", 2), ("thursday", 3), ("friday", 4), ("saturday", 5), ("sunday", 6)];

/// Whether a word names a time by itself: a weekday, a month, a part of the day or a calendar
/// unit ("on Thursday", "Monday evening", "for a sixth straight day"). For telling a time the
/// parser hung on a noun from the noun's own modifiers, which holds in undated articles too,
/// where relative times are not resolved and so not found.
pub fn is_time_word(key: &str) -> bool {
    const OTHERS: &[&str] = &[
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "overnight",
        "morning",
        "afternoon",
        "evening",
        "night",
        "weekend",
        "day",
        "week",
        "month",
        "year",
        "hour",
        "hours",
        "days",
        "weeks",
        "months",
        "years",
    ];
    WEEKDAYS.iter().any(|(name, _)| *name == key)
        || MONTHS.iter().any(|(name, _)| *name == key && key.len() > 3)
        || OTHERS.contains(&key)
}

const NUMBER_WORDS: [(&str, i64); 22] = [
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("hundred", 100),
    ("several", 3),
    ("few", 3),
];

const ORDINALS: [(&str, u32); 10] = [
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
];

/// Words after which a bare month or year names a time ("in March", "since 2011").
const TIME_PREPOSITIONS: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "to",
    "through",
    "during",
    "before",
    "after",
    "of",
    "between",
    "and",
    "or",
    "throughout",
    "early",
    "late",
    "mid",
    "around",
    "circa",
    "last",
    "next",
    "this",
    "that",
    "fiscal",
    "year",
    "end",
    "start",
    "beginning",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "on",
    "for",
    "as",
];

/// Named periods: their words (normalized, lowercase) and years. The wars and eras news most often
/// dates history by; "the Sept. 11 attacks" and "9/11" are one day.
const NAMED_PERIODS: &[(&[&str], i32, i32)] = &[
    (&["world", "war", "ii"], 1939, 1945),
    (&["world", "war", "two"], 1939, 1945),
    (&["world", "war", "2"], 1939, 1945),
    (&["second", "world", "war"], 1939, 1945),
    (&["wwii"], 1939, 1945),
    (&["ww2"], 1939, 1945),
    (&["great", "patriotic", "war"], 1941, 1945),
    (&["world", "war", "i"], 1914, 1918),
    (&["world", "war", "one"], 1914, 1918),
    (&["world", "war", "1"], 1914, 1918),
    (&["first", "world", "war"], 1914, 1918),
    (&["great", "war"], 1914, 1918),
    (&["wwi"], 1914, 1918),
    (&["cold", "war"], 1947, 1991),
    (&["great", "depression"], 1929, 1939),
    (&["korean", "war"], 1950, 1953),
    (&["vietnam", "war"], 1955, 1975),
    (&["iran", "-", "iraq", "war"], 1980, 1988),
    (&["soviet", "-", "afghan", "war"], 1979, 1989),
    (&["gulf", "war"], 1990, 1991),
    (&["bosnian", "war"], 1992, 1995),
    (&["iraq", "war"], 2003, 2011),
    (&["arab", "spring"], 2010, 2012),
    (&["holocaust"], 1941, 1945),
    (&["napoleonic", "wars"], 1803, 1815),
];

/// A sentence's tokens with what recognition looks at.
struct Words<'t> {
    tokens: &'t [TaggedToken],
    /// Lowercase forms without an abbreviation's period ("jan" for "Jan.").
    keys: Vec<String>,
    capitalized: Vec<bool>,
}

impl<'t> Words<'t> {
    fn new(text: &str, tokens: &'t [TaggedToken]) -> Words<'t> {
        let keys = tokens
            .iter()
            .map(|t| {
                let form = &text[t.token.span];
                let form = if form.len() > 1 { form.strip_suffix('.').unwrap_or(form) } else { form };
                form.to_lowercase().replace('’', "'")
            })
            .collect();
        let capitalized =
            tokens.iter().map(|t| text[t.token.span].chars().next().is_some_and(char::is_uppercase)).collect();
        Words { tokens, keys, capitalized }
    }

    fn len(&self) -> usize {
        self.tokens.len()
    }

    fn key(&self, at: usize) -> &str {
        self.keys.get(at).map_or("", String::as_str)
    }

    fn is(&self, at: usize, words: &[&str]) -> bool {
        words.contains(&self.key(at))
    }

    /// The longest time expression starting at token `at`: its end, meaning and kind.
    fn expression_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        if let Some(found) = self.range_at(at) {
            return Some(found);
        }
        self.simple_at(at)
    }

    /// "from X to Y", "between X and Y", "X to Y", "X-Y" over two simple expressions of the same
    /// kind.
    fn range_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        // A single token "1939-1945" or "1986/87".
        if let Some((first, last)) = self.year_pair(at) {
            return Some((at + 1, Expr::Years(first, last), TimeKind::Range));
        }
        let (start, joiners): (usize, &[&str]) = match self.key(at) {
            "from" => (at + 1, &["to", "until", "till", "through", "-", "–"]),
            "between" => (at + 1, &["and"]),
            _ => (at, &["to", "-", "–", "through"]),
        };
        let (first_end, first, first_kind) = self.simple_at(start)?;
        if !joiners.contains(&self.key(first_end)) {
            return None;
        }
        let (last_end, last, last_kind) = self.simple_at(first_end + 1)?;
        // Only like with like: "from 2010 to 2012", "between March and May"; not "on Monday to
        // Brussels" or a stretch such as "two years ago to ...".
        let dated = |kind: TimeKind| matches!(kind, TimeKind::Date | TimeKind::Weekday);
        if !(dated(first_kind) && dated(last_kind)) {
            return None;
        }
        let first = match (first, &last) {
            // "March 5 to 9": the second day is in the first's month.
            (Expr::Date { year, month, day }, Expr::Year(_)) => Expr::Date { year, month, day },
            (first, _) => first,
        };
        let last = match (&first, last) {
            // "from March to May 2024": the year belongs to both.
            (Expr::Month { year: None, .. }, Expr::Month { year, month }) => Expr::Month { year, month },
            (_, last) => last,
        };
        let first = match (&first, &last) {
            (Expr::Month { year: None, month }, Expr::Month { year: Some(year), .. }) => {
                Expr::Month { year: Some(*year), month: *month }
            }
            (Expr::Date { year: None, month, day }, Expr::Date { year: Some(year), .. }) => {
                Expr::Date { year: Some(*year), month: *month, day: *day }
            }
            _ => first,
        };
        Some((last_end, Expr::Range(Box::new(first), Box::new(last)), TimeKind::Range))
    }

    /// One time expression that is not a range.
    fn simple_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        if at >= self.len() {
            return None;
        }
        self.named_at(at)
            .or_else(|| self.date_at(at))
            .or_else(|| self.relative_at(at))
            .or_else(|| self.vague_at(at))
            .or_else(|| self.part_of_year_at(at))
            .or_else(|| self.year_at(at))
    }

    fn named_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        if self.key(at) == "9/11" {
            let day = Date::from_ymd(2001, 9, 11)?;
            return Some((at + 1, Expr::Fixed(TimeValue::day(day)), TimeKind::Named));
        }
        // "the Sept. 11 attacks".
        if self.month(at) == Some(9) && self.key(at + 1) == "11" && self.is(at + 2, &["attacks", "attack"]) {
            let day = Date::from_ymd(2001, 9, 11)?;
            return Some((at + 3, Expr::Fixed(TimeValue::day(day)), TimeKind::Named));
        }
        for (words, first, last) in NAMED_PERIODS {
            if words.iter().enumerate().all(|(offset, word)| self.key(at + offset) == *word) && self.capitalized[at] {
                return Some((at + words.len(), Expr::Fixed(TimeValue::years(*first, *last)?), TimeKind::Named));
            }
        }
        None
    }

    /// Calendar dates and months, with or without a year; ISO dates.
    fn date_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        if let Some(date) = self.iso_date(at) {
            return Some((at + 1, Expr::Fixed(TimeValue::day(date)), TimeKind::Date));
        }
        // A weekday before a date is part of it: "Wednesday, January 28, 2026".
        if let Some(weekday) = self.weekday(at) {
            let after = if self.key(at + 1) == "," { at + 2 } else { at + 1 };
            if let Some((end, expr @ Expr::Date { .. }, kind)) = self.date_at(after) {
                return Some((end, expr, kind));
            }
            let shift = Shift::None;
            let end = at + 1 + usize::from(self.is(at + 1, &["morning", "afternoon", "evening", "night"]));
            return Some((end, Expr::Weekday { weekday, shift }, TimeKind::Weekday));
        }
        if let Some(month) = self.month(at) {
            // Month Day(,) Year / Month Day / Month Year / Month.
            if let Some(day) = self.day(at + 1) {
                let mut end = at + 2;
                let comma = usize::from(self.key(end) == ",");
                if let Some(year) = self.year_number(end + comma) {
                    end += comma + 1;
                    return Some((end, Expr::Date { year: Some(year), month, day }, TimeKind::Date));
                }
                return Some((end, Expr::Date { year: None, month, day }, TimeKind::Date));
            }
            let of = usize::from(self.key(at + 1) == "of" || self.key(at + 1) == ",");
            if let Some(year) = self.year_number(at + 1 + of) {
                return Some((at + 2 + of, Expr::Month { year: Some(year), month }, TimeKind::Date));
            }
            if self.bare_month_is_time(at) {
                return Some((at + 1, Expr::Month { year: None, month }, TimeKind::Date));
            }
            return None;
        }
        // Day Month (Year), "the 28th of January".
        let day = self.day(at)?;
        let of = usize::from(self.key(at + 1) == "of");
        let month = self.month(at + 1 + of)?;
        let end = at + 2 + of;
        if let Some(year) = self.year_number(end) {
            return Some((end + 1, Expr::Date { year: Some(year), month, day }, TimeKind::Date));
        }
        Some((end, Expr::Date { year: None, month, day }, TimeKind::Date))
    }

    /// Days, weeks, months and years counted from the article.
    fn relative_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        let key = self.key(at);
        match key {
            "today" | "tonight" => return Some((at + 1, Expr::Present, TimeKind::Relative)),
            "earlier" | "later" if self.is(at + 1, &["today", "tonight"]) => {
                return Some((at + 2, Expr::Present, TimeKind::Relative))
            }
            "yesterday" => {
                let end = at + 1 + usize::from(self.is(at + 1, &["morning", "afternoon", "evening"]));
                return Some((end, Expr::Days(-1), TimeKind::Relative));
            }
            "tomorrow" => return Some((at + 1, Expr::Days(1), TimeKind::Relative)),
            "now" | "currently" | "nowadays" => {
                // "now" as a conjunction ("now that") still speaks of the present.
                return Some((at + 1, Expr::Present, TimeKind::Present));
            }
            _ => {}
        }
        if key == "the" && self.key(at + 1) == "day" && self.is(at + 2, &["before", "after"]) {
            let offset = if self.key(at + 2) == "before" { -2 } else { 2 };
            if self.is(at + 3, &["yesterday", "tomorrow"]) {
                return Some((at + 4, Expr::Days(offset), TimeKind::Relative));
            }
        }
        if key == "at" && self.is(at + 1, &["present"]) {
            return Some((at + 2, Expr::Present, TimeKind::Present));
        }
        if key == "at" && self.key(at + 1) == "the" && self.key(at + 2) == "moment" {
            return Some((at + 3, Expr::Present, TimeKind::Present));
        }
        // "this morning", "last night".
        if key == "this" && self.is(at + 1, &["morning", "afternoon", "evening"]) {
            return Some((at + 2, Expr::Present, TimeKind::Relative));
        }
        if key == "last" && self.key(at + 1) == "night" {
            return Some((at + 2, Expr::Days(-1), TimeKind::Relative));
        }
        // "last/next/this Monday", "(earlier|later) this/last/next week|month|year".
        let the_stretch = self.key(at) == "the" && self.is(at + 1, &["past", "last", "next", "coming"]);
        let (shift_at, prefix) =
            if self.is(at, &["earlier", "later", "early", "late"]) || the_stretch { (at + 1, 1) } else { (at, 0) };
        let shift = match self.key(shift_at) {
            "this" | "the" if prefix == 1 || self.key(shift_at) == "this" => Some(Shift::This),
            "last" | "past" if self.key(shift_at) == "last" || self.key(shift_at + 1) != "few" => Some(Shift::Last),
            "next" | "coming" => Some(Shift::Next),
            _ => None,
        };
        if let Some(shift) = shift {
            if let Some(weekday) = self.weekday(shift_at + 1) {
                if shift != Shift::This || self.key(shift_at) == "this" {
                    return Some((shift_at + 2, Expr::Weekday { weekday, shift }, TimeKind::Weekday));
                }
            }
            if let Some(unit) = self.unit(shift_at + 1, false) {
                // "the past week" is the stretch up to the article; "last week" the calendar week.
                if self.key(shift_at) == "past" || self.key(shift_at) == "coming" {
                    if self.key(shift_at) == "past" {
                        return Some((shift_at + 2, Expr::Past { n: 1, unit }, TimeKind::Duration));
                    }
                    return Some((shift_at + 2, Expr::Vague { from: 1, to: unit_days(unit) }, TimeKind::Duration));
                }
                if unit != Unit::Day && (shift != Shift::This || matches!(self.key(shift_at), "this")) {
                    return Some((shift_at + 2, Expr::Unit { unit, shift }, TimeKind::Relative));
                }
            }
            // "the last two years", "the past 24 hours", "the next three months".
            if let Some((n, unit_at)) = self.count(shift_at + 1) {
                if let Some(unit) = self.unit(unit_at, true) {
                    let end = unit_at + 1;
                    if shift == Shift::Next {
                        return Some((end, Expr::Vague { from: 1, to: n * unit_days(unit) }, TimeKind::Duration));
                    }
                    if shift == Shift::Last {
                        return Some((end, Expr::Past { n, unit }, TimeKind::Duration));
                    }
                }
            }
        }
        // "N units ago", "in N units", "within N units".
        if self.is(at, &["in", "within"]) {
            if let Some((n, unit_at)) = self.count(at + 1) {
                if let Some(unit) = self.unit(unit_at, true) {
                    if self.key(at) == "within" {
                        return Some((unit_at + 1, Expr::Past { n, unit }, TimeKind::Duration));
                    }
                    return Some((unit_at + 1, Expr::Within { n, unit }, TimeKind::Duration));
                }
            }
        }
        if let Some((n, unit_at)) = self.count(at) {
            if let Some(unit) = self.unit(unit_at, true) {
                if self.key(unit_at + 1) == "ago" {
                    return Some((unit_at + 2, Expr::Offset { n: -n, unit }, TimeKind::Relative));
                }
            }
        }
        None
    }

    /// "recently", "lately", "soon", "in recent weeks", "in the coming days", "the other day".
    fn vague_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        match self.key(at) {
            "recently" | "lately" => return Some((at + 1, Expr::Vague { from: -30, to: -1 }, TimeKind::Approximate)),
            "soon" | "shortly" if self.tokens[at].upos == Upos::Adv => {
                return Some((at + 1, Expr::Vague { from: 0, to: 30 }, TimeKind::Approximate))
            }
            _ => {}
        }
        if self.key(at) == "the" && self.key(at + 1) == "other" && self.key(at + 2) == "day" {
            return Some((at + 3, Expr::Vague { from: -7, to: -1 }, TimeKind::Approximate));
        }
        // "in recent weeks", "in the coming months", "in the past few years".
        let mut next = at;
        if self.key(next) == "in" || self.key(next) == "over" {
            next += 1;
        } else {
            return None;
        }
        if self.key(next) == "the" {
            next += 1;
        }
        let direction = match self.key(next) {
            "recent" => -1,
            "coming" | "next" => 1,
            "past" | "last" => -1,
            _ => return None,
        };
        next += 1;
        if self.key(next) == "few" {
            next += 1;
        }
        let unit = self.unit(next, true)?;
        let days = match unit {
            Unit::Day => 7,
            Unit::Week | Unit::Weekend => 28,
            Unit::Month => 180,
            Unit::Year | Unit::Decade => 5 * 365,
        };
        let expr = if direction < 0 { Expr::Vague { from: -days, to: -1 } } else { Expr::Vague { from: 1, to: days } };
        Some((next + 1, expr, TimeKind::Approximate))
    }

    /// Decades, centuries, quarters, halves and seasons.
    fn part_of_year_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        // "the 1990s", "the '90s", "the 19th century".
        if self.key(at) == "the" {
            let mut next = at + 1;
            if self.key(next) == "'" {
                next += 1;
            }
            if let Some(decade) = self.decade(next) {
                return Some((next + 1, Expr::Years(decade, decade + 9), TimeKind::Date));
            }
            if let Some(century) = self.century_number(next) {
                if self.is(next + 1, &["century"]) {
                    let first = (century - 1) * 100;
                    return Some((next + 2, Expr::Years(first, first + 99), TimeKind::Date));
                }
            }
            // "the first quarter (of 2009)", "the second half of the year", "the final quarter".
            let ordinal = self.ordinal(next).or_else(|| {
                let quarter_or_half = self.is(next + 1, &["quarter", "half"]);
                (quarter_or_half && self.is(next, &["final", "last", "fourth"])).then(|| {
                    if self.key(next + 1) == "half" {
                        2
                    } else {
                        4
                    }
                })
            });
            if let Some(ordinal) = ordinal {
                let (count, months) = match self.key(next + 1) {
                    "quarter" => (4, 3),
                    "half" => (2, 6),
                    _ => return None,
                };
                if ordinal == 0 || ordinal > count {
                    return None;
                }
                let first = (ordinal - 1) * months + 1;
                let (end, year) = self.of_year(next + 2, Shift::None);
                return Some((end, Expr::Months { year, first, last: first + months - 1 }, TimeKind::Date));
            }
        }
        // "(last|this|next)? (spring|summer|autumn|fall|winter) (of 2025)?" after a word that
        // makes it a time ("in the summer", "last winter"), never the season as a topic.
        let (season_at, shift) = match self.key(at) {
            "last" => (at + 1, Shift::Last),
            "next" => (at + 1, Shift::Next),
            "this" => (at + 1, Shift::This),
            _ => (at, Shift::None),
        };
        let (first, last) = match self.key(season_at) {
            "spring" => (3, 5),
            "summer" => (6, 8),
            "autumn" => (9, 11),
            "fall" if self.tokens.get(season_at).is_some_and(|t| t.upos == Upos::Noun) => (9, 11),
            "winter" => (12, 2),
            _ => return None,
        };
        let (end, year) = self.of_year(season_at + 1, shift);
        let cued = shift != Shift::None
            || year != YearRef::Unstated(Shift::None)
            || (at > 0 && self.is(at - 1, &["in", "during", "this", "since"]));
        if !cued {
            return None;
        }
        // "last summer" is the latest summer before the article, "next summer" the first after.
        Some((end, Expr::Months { year, first, last }, TimeKind::Date))
    }

    /// A year that names a time: after a word that makes it one ("in 1944", "since 2011"), before
    /// a noun it dates ("the 2008 election"), or on its own as the object of a time preposition.
    fn year_at(&self, at: usize) -> Option<(usize, Expr, TimeKind)> {
        // "fiscal 1987", "the year 2000".
        if let Some(year) = self.year_number(at) {
            let cue = at > 0
                && (self.is(at - 1, TIME_PREPOSITIONS) || self.is(at - 1, &["the", "its", "his", "her", "their"]));
            let possessive = self.is(at + 1, &["'s"]);
            if cue || possessive {
                return Some((at + 1, Expr::Year(year), TimeKind::Date));
            }
        }
        None
    }

    /// "of 2009", "2009", "of the year", "of last year" after a part of a year: the end and the
    /// year; `shift` is the word before the part ("last summer").
    fn of_year(&self, at: usize, shift: Shift) -> (usize, YearRef) {
        let after_of = if self.key(at) == "of" { at + 1 } else { at };
        if let Some(year) = self.year_number(after_of) {
            return (after_of + 1, YearRef::Stated(year));
        }
        if after_of > at && self.key(after_of + 1) == "year" {
            let offset = match self.key(after_of) {
                "last" | "previous" => Some(-1),
                "this" | "the" => Some(0),
                "next" => Some(1),
                _ => None,
            };
            if let Some(offset) = offset {
                return (after_of + 2, YearRef::Relative(offset));
            }
        }
        (at, YearRef::Unstated(shift))
    }

    /// Whether a month name alone is a time: capitalized, not a verb or modal ("May", "March"),
    /// after a word that introduces a time ("in March", "since May", "last April").
    fn bare_month_is_time(&self, at: usize) -> bool {
        at > 0
            && self.is(at - 1, TIME_PREPOSITIONS)
            && !self.capitalized.get(at + 1).copied().unwrap_or(false)
            // "to March" as a verb, "in May Day".
            && !self.is(at + 1, &["day"])
    }

    fn month(&self, at: usize) -> Option<u32> {
        let token = self.tokens.get(at)?;
        if !self.capitalized[at] || matches!(token.upos, Upos::Verb | Upos::Aux) || token.xpos == "MD" {
            return None;
        }
        let key = self.key(at);
        let month = MONTHS.iter().find(|(name, _)| *name == key).map(|(_, m)| *m)?;
        // Short forms only with their period or before a day: "Mar" is otherwise a name.
        let form_has_period = self.keys[at].len() < self.tokens[at].token.span.len();
        if key.len() == 3
            && !matches!(key, "may" | "jan" | "feb" | "aug" | "oct" | "nov" | "dec")
            && !form_has_period
            && self.day(at + 1).is_none()
        {
            return None;
        }
        Some(month)
    }

    fn weekday(&self, at: usize) -> Option<i64> {
        if !self.capitalized.get(at).copied().unwrap_or(false) {
            return None;
        }
        WEEKDAYS.iter().find(|(name, _)| *name == self.key(at)).map(|(_, w)| *w)
    }

    /// A day of the month: `28`, `28th`.
    fn day(&self, at: usize) -> Option<u32> {
        let key = self.key(at);
        let digits = key.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &key[digits.len()..];
        if digits.is_empty() || digits.len() > 2 || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
            return None;
        }
        let day: u32 = digits.parse().ok()?;
        // "Jan. 28" but not "March 2026" read as a day.
        (1..=31).contains(&day).then_some(day)
    }

    /// A four-digit year from 1000 to 2199 (a bare number token, not "1,944").
    fn year_number(&self, at: usize) -> Option<i32> {
        let token = self.tokens.get(at)?;
        let key = self.key(at);
        if token.token.kind != TokenKind::Number || key.len() != 4 || !key.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = key.parse().ok()?;
        (1000..2200).contains(&year).then_some(year)
    }

    /// "1939-1945", "1986/87", "2010–12": two years in one token.
    fn year_pair(&self, at: usize) -> Option<(i32, i32)> {
        let key = self.key(at);
        let (first, last) = key.split_once(['-', '/', '–'])?;
        if first.len() != 4 || !first.bytes().all(|b| b.is_ascii_digit()) || !last.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let first: i32 = first.parse().ok()?;
        let last: i32 = match last.len() {
            4 => last.parse().ok()?,
            2 => first / 100 * 100 + last.parse::<i32>().ok()?,
            _ => return None,
        };
        ((1000..2200).contains(&first) && first < last && last - first <= 100).then_some((first, last))
    }

    /// "1990s", "90s" (after "the" or an apostrophe): the decade's first year.
    fn decade(&self, at: usize) -> Option<i32> {
        let digits = self.key(at).strip_suffix('s')?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !digits.ends_with('0') {
            return None;
        }
        match digits.len() {
            4 => digits.parse().ok().filter(|y| (1000..2200).contains(y)),
            2 => {
                let short: i32 = digits.parse().ok()?;
                Some(if short >= 30 { 1900 + short } else { 2000 + short })
            }
            _ => None,
        }
    }

    fn century_number(&self, at: usize) -> Option<i32> {
        let key = self.key(at);
        let digits = key.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if !digits.is_empty() && matches!(&key[digits.len()..], "st" | "nd" | "rd" | "th") {
            return digits.parse().ok().filter(|c| (1..=22).contains(c));
        }
        const CENTURIES: [(&str, i32); 5] =
            [("eighteenth", 18), ("nineteenth", 19), ("twentieth", 20), ("twenty-first", 21), ("twenty-second", 22)];
        CENTURIES.iter().find(|(word, _)| *word == key).map(|(_, c)| *c)
    }

    fn ordinal(&self, at: usize) -> Option<u32> {
        let key = self.key(at);
        ORDINALS.iter().find(|(word, _)| *word == key).map(|(_, n)| *n).or(match key {
            "1st" => Some(1),
            "2nd" => Some(2),
            "3rd" => Some(3),
            "4th" => Some(4),
            _ => None,
        })
    }

    /// A count before a unit: `two`, `24`, `a`, `a few`, `a couple of`: its value and where the
    /// unit should be.
    fn count(&self, at: usize) -> Option<(i64, usize)> {
        let key = self.key(at);
        if key == "a" && self.key(at + 1) == "couple" && self.key(at + 2) == "of" {
            return Some((2, at + 3));
        }
        if key == "a" && self.key(at + 1) == "few" {
            return Some((3, at + 2));
        }
        if key.len() <= 3 && !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) {
            return key.parse().ok().map(|n| (n, at + 1));
        }
        NUMBER_WORDS.iter().find(|(word, _)| *word == key).map(|(_, n)| (*n, at + 1))
    }

    /// A unit word; plurals only where `plural_ok` ("two years", not "last years").
    fn unit(&self, at: usize, plural_ok: bool) -> Option<Unit> {
        let unit = match self.key(at) {
            "day" => Unit::Day,
            "week" => Unit::Week,
            "weekend" => Unit::Weekend,
            "month" => Unit::Month,
            "year" => Unit::Year,
            "decade" => Unit::Decade,
            "days" | "hours" if plural_ok => Unit::Day,
            "weeks" if plural_ok => Unit::Week,
            "months" if plural_ok => Unit::Month,
            "years" if plural_ok => Unit::Year,
            "decades" if plural_ok => Unit::Decade,
            _ => return None,
        };
        // "24 hours" is about a day.
        Some(unit)
    }

    /// `2026-01-28`.
    fn iso_date(&self, at: usize) -> Option<Date> {
        let key = self.key(at);
        if key.len() == 10 && key.as_bytes()[4] == b'-' && key.as_bytes()[7] == b'-' {
            return key.parse().ok();
        }
        None
    }

    /// The relation the word before an expression gives it.
    fn relation_before(&self, at: usize) -> Relation {
        if at == 0 {
            return Relation::At;
        }
        match self.key(at - 1) {
            "since" => Relation::Since,
            "until" | "till" | "by" | "through" => Relation::Until,
            "before" => Relation::Before,
            "after" => Relation::After,
            _ if at >= 2 && self.key(at - 2) == "prior" && self.key(at - 1) == "to" => Relation::Before,
            _ => Relation::At,
        }
    }

    /// The tense of the clause around tokens `[start, end)`: that of the nearest verb before the
    /// expression (after it when none comes before, as in "On Tuesday, Putin said"), read from
    /// its auxiliaries and its tag.
    fn tense_around(&self, start: usize, end: usize) -> Tense {
        let is_verb = |t: &TaggedToken| matches!(t.upos, Upos::Verb | Upos::Aux);
        let before = (0..start).rev().take_while(|&i| self.key(i) != ";").find(|&i| is_verb(&self.tokens[i]));
        let verb = before.or_else(|| (end..self.len()).find(|&i| is_verb(&self.tokens[i])));
        let Some(verb) = verb else { return Tense::Unknown };
        // The verb group: auxiliaries, negation and adverbs just before the verb, and the verb
        // itself; and the main verb after an auxiliary found first.
        let mut group_start = verb;
        while group_start > 0 {
            let token = &self.tokens[group_start - 1];
            if is_verb(token) || matches!(token.upos, Upos::Part | Upos::Adv) {
                group_start -= 1;
            } else {
                break;
            }
        }
        let mut group_end = verb + 1;
        while group_end < self.len() && (is_verb(&self.tokens[group_end]) || self.tokens[group_end].upos == Upos::Part)
        {
            group_end += 1;
        }
        let keys: Vec<&str> = (group_start..group_end).map(|i| self.key(i)).collect();
        let lemmas: Vec<&str> = (group_start..group_end).map(|i| self.tokens[i].lemma.as_str()).collect();
        if keys.iter().any(|k| matches!(*k, "will" | "'ll" | "shall" | "wo"))
            || keys.windows(2).any(|w| w == ["going", "to"])
            || lemmas.iter().any(|l| matches!(*l, "plan" | "schedule" | "slate" | "expect" | "due"))
                && keys.contains(&"to")
        {
            return Tense::Future;
        }
        let xpos: Vec<&str> = (group_start..group_end).map(|i| self.tokens[i].xpos).collect();
        if keys.iter().any(|k| matches!(*k, "would" | "could" | "might")) {
            return Tense::Unknown;
        }
        if xpos.first() == Some(&"VBD")
            || lemmas.first() == Some(&"have") && xpos.contains(&"VBN")
            || xpos.iter().all(|x| *x == "VBD" || *x == "VBN" || *x == "RB")
        {
            return Tense::Past;
        }
        Tense::Present
    }
}

/// About how many days a unit lasts, for vague stretches.
fn unit_days(unit: Unit) -> i64 {
    match unit {
        Unit::Day => 1,
        Unit::Week | Unit::Weekend => 7,
        Unit::Month => 30,
        Unit::Year => 365,
        Unit::Decade => 3650,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::Model;
    use crate::segment::segment;

    /// The times of `text` in an article dated 2026-01-28 (a Wednesday), as `text=value` joined
    /// by `; `, with `(kind)` where `kind` is given and a relation after `@`.
    fn check(text: &str, expect: &str) {
        let model = Model::embedded().expect("the embedded model loads");
        let tagged: Vec<TaggedSentence> = segment(text).iter().map(|s| model.tag(text, s)).collect();
        let times = find_times(text, &tagged, "2026-01-28".parse().ok());
        let got: Vec<String> = times
            .iter()
            .map(|t| {
                assert_eq!(&text[t.span], t.text);
                let relation = match t.relation {
                    Relation::At => String::new(),
                    other => format!("@{}", serde_json::to_value(other).unwrap_or_default().as_str().unwrap_or("")),
                };
                format!("{}={}{relation}", t.text, t.value)
            })
            .collect();
        assert_eq!(got.join("; "), expect, "times of {text:?}");
    }

    #[test]
    fn calendar_dates() {
        check("The treaty was signed on January 28, 2024.", "January 28, 2024=2024-01-28");
        check("It was signed on 28 January 2024 in Rome.", "28 January 2024=2024-01-28");
        check("Talks began on Jan. 5.", "Jan. 5=2026-01-05");
        check("Talks will resume on Feb. 3.", "Feb. 3=2026-02-03");
        // A day without a year: the latest before the article in the past tense.
        check("Elections were held on March 2.", "March 2=2025-03-02");
        check("Elections will be held on March 2.", "March 2=2026-03-02");
        check("The report was published in March 2024.", "March 2024=2024-03");
        check("The army withdrew in December.", "December=2025-12");
        check("Diplomatic relations were established in 1944.", "1944=1944");
        check("The data was released on 2025-11-30.", "2025-11-30=2025-11-30");
    }

    #[test]
    fn modals_and_verbs_are_not_months() {
        check("Russia may send troops.", "");
        check("Protesters march in the capital.", "");
    }

    #[test]
    fn days_relative_to_the_article() {
        check("Putin on Wednesday congratulated al Sharaa.", "Wednesday=2026-01-28");
        check("The minister resigned on Monday.", "Monday=2026-01-26");
        check("The minister will resign on Monday.", "Monday=2026-02-02");
        check("The talks collapsed last Wednesday.", "last Wednesday=2026-01-21");
        check("Troops arrived yesterday.", "yesterday=2026-01-27");
        check("He spoke last night.", "last night=2026-01-27");
        check("The summit opens tomorrow.", "tomorrow=2026-01-29");
        check("Prices rose last week.", "last week=2026-W04");
        check("The parliament voted last month.", "last month=2025-12");
        check("Exports fell last year.", "last year=2025");
        check("Elections are due next year.", "next year=2027");
        check("The war ended two years ago.", "two years ago=2024");
    }

    #[test]
    fn stretches_and_vague_times() {
        check("It is his second visit to Russia in four months.", "in four months=2025-09-28/2026-01-28");
        check("He will return in four months.", "in four months=2026-05");
        check("Hundreds died in the past two weeks.", "the past two weeks=2026-01-14/2026-01-28");
        check("A delegation recently visited Damascus.", "recently=2025-12-29/2026-01-27");
        check("Clashes have intensified in recent weeks.", "in recent weeks=2025-12-31/2026-01-27");
    }

    #[test]
    fn ranges_periods_and_relations() {
        check("Russia was then fighting Nazi Germany in World War II.", "World War II=1939/1945");
        check("He ruled from 2010 to 2012.", "from 2010 to 2012=2010/2012");
        check("The 1939-1945 war.", "1939-1945=1939/1945");
        check("The 1986/87 season.", "1986/87=1986/1987");
        check("Fighting has continued since 2011.", "2011=2011@since");
        check("Growth slowed in the 1990s.", "the 1990s=1990/1999");
        check("Profits rose in the first quarter of 2025.", "the first quarter of 2025=2025-01/2025-03");
        check("GM lost money in the first quarter of last year.", "the first quarter of last year=2025-01/2025-03");
        check("Sales fell last summer.", "last summer=2025-06/2025-08");
        check("The Sept. 11 attacks changed everything.", "Sept. 11 attacks=2001-09-11");
    }
}
