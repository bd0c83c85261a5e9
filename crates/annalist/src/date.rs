//! Calendar dates: parsing the forms articles arrive with, and the arithmetic later stages need
//! ("on Wednesday" relative to the article date). Proleptic Gregorian, no time zones: an article's
//! date is the local date its source printed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A valid calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a date string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not one of the accepted shapes.
    Format(String),
    /// The right shape, but no such day (2026-02-30).
    Impossible(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format(s) => {
                write!(f, "unrecognized date {s:?} (expected YYYY-MM-DD, an ISO 8601 date-time, or YYYYMMDD)")
            }
            DateError::Impossible(s) => write!(f, "impossible date {s:?}: no such day"),
        }
    }
}

impl std::error::Error for DateError {}

/// Days of the week, Monday first as in ISO 8601.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Date {
    /// A date from its parts, if such a day exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month: month as u8, day: day as u8 })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month as u32
    }

    pub fn day(self) -> u32 {
        self.day as u32
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil: exact over the whole proleptic Gregorian calendar.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01; `None` outside the representable years.
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::from_ymd(i32::try_from(year).ok()?, month, day)
    }

    /// This date moved by `days` (negative goes back).
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days(self.to_days().checked_add(days)?)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        const DAYS: [Weekday; 7] = [
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
        ];
        DAYS[self.to_days().rem_euclid(7) as usize]
    }

    /// The first day of the month.
    pub fn first_of_month(self) -> Date {
        Date { day: 1, ..self }
    }

    /// The last day of the month.
    pub fn last_of_month(self) -> Date {
        Date { day: days_in_month(self.year, self.month()) as u8, ..self }
    }

    /// This date moved by `months` calendar months, the day clamped to the new month's length
    /// (2026-03-31 less one month is 2026-02-28); `None` outside the representable years.
    pub fn add_months(self, months: i64) -> Option<Date> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = index.rem_euclid(12) as u32 + 1;
        Date::from_ymd(year, month, (self.day as u32).min(days_in_month(year, month)))
    }

    /// The day of the week as a number, Monday 0 to Sunday 6.
    pub fn weekday_index(self) -> i64 {
        (self.to_days() + 3).rem_euclid(7)
    }

    /// The Monday of this date's ISO week.
    pub fn week_start(self) -> Date {
        // `to_days` cannot overflow back: a Monday at most six days earlier always exists here.
        Date::from_days(self.to_days() - self.weekday_index()).unwrap_or(self)
    }

    /// The ISO 8601 week-numbering year and week (2026-01-28 is in 2026-W05; 2024-12-30 in
    /// 2025-W01).
    pub fn iso_week(self) -> (i32, u32) {
        // The week belongs to the year its Thursday falls in.
        let thursday = Date::from_days(self.week_start().to_days() + 3).unwrap_or(self);
        let jan1 = Date { year: thursday.year, month: 1, day: 1 };
        let week = (thursday.to_days() - jan1.to_days()) / 7 + 1;
        (thursday.year, week as u32)
    }

    /// The Monday of ISO week `week` of `year`, if the year has such a week.
    pub fn from_iso_week(year: i32, week: u32) -> Option<Date> {
        let jan4 = Date::from_ymd(year, 1, 4)?;
        let monday = jan4.week_start().add_days((i64::from(week) - 1) * 7)?;
        (week >= 1 && monday.iso_week() == (year, week)).then_some(monday)
    }

    /// A compact integer `YYYYMMDD`, convenient for range checks in dictionaries.
    pub fn to_yyyymmdd(self) -> i64 {
        i64::from(self.year) * 10_000 + i64::from(self.month) * 100 + i64::from(self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses `YYYY-MM-DD`, an ISO 8601 date-time whose date part is that (`2026-01-28T09:30:00Z`,
/// `2026-01-28 09:30`), or `YYYYMMDD`. The time part is checked for shape but not kept: an article's
/// date is the calendar day its source printed.
impl FromStr for Date {
    type Err = DateError;

    fn from_str(input: &str) -> Result<Date, DateError> {
        let s = input.trim();
        let bytes = s.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = bytes.get(range)?;
            if part.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(part).ok()?.parse().ok()
            } else {
                None
            }
        };
        let format_error = || DateError::Format(input.to_string());
        let (year, month, day) = if bytes.len() == 8 && bytes.iter().all(u8::is_ascii_digit) {
            (digits(0..4), digits(4..6), digits(6..8))
        } else if bytes.len() >= 10 && bytes[4] == b'-' && bytes[7] == b'-' {
            if bytes.len() > 10 && !is_time_suffix(&s[10..]) {
                return Err(format_error());
            }
            (digits(0..4), digits(5..7), digits(8..10))
        } else {
            return Err(format_error());
        };
        let (Some(year), Some(month), Some(day)) = (year, month, day) else {
            return Err(format_error());
        };
        Date::from_ymd(year as i32, month, day).ok_or_else(|| DateError::Impossible(input.to_string()))
    }
}

/// `T09:30`, ` 09:30:00.5+01:00`, `T09:30:00Z`: a separator, then a time of day made of digits,
/// colons, a fraction and an optional zone.
fn is_time_suffix(rest: &str) -> bool {
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let b = time.as_bytes();
    b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b':'
        && b[3..5].iter().all(u8::is_ascii_digit)
        && time[5..].chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ',' | 'Z' | '+' | '-'))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is the normalized date, or `format` / `impossible` for the error kind.
    fn check(input: &str, expect: &str) {
        let got = match input.parse::<Date>() {
            Ok(date) => date.to_string(),
            Err(DateError::Format(_)) => "format".to_string(),
            Err(DateError::Impossible(_)) => "impossible".to_string(),
        };
        assert_eq!(got, expect, "parsing {input:?}");
    }

    #[test]
    fn parses_accepted_forms() {
        check("2026-01-28", "2026-01-28");
        check(" 2026-01-28 ", "2026-01-28");
        check("20260128", "2026-01-28");
        check("2026-01-28T09:30:00Z", "2026-01-28");
        check("2026-01-28T09:30:00+03:00", "2026-01-28");
        check("2026-01-28 09:30", "2026-01-28");
        check("2024-02-29", "2024-02-29");
    }

    #[test]
    fn refuses_bad_dates() {
        check("2026-02-30", "impossible");
        check("2025-02-29", "impossible");
        check("2026-13-01", "impossible");
        check("20261301", "impossible");
        check("28/01/2026", "format");
        check("2026-1-28", "format");
        check("2026-01-28garbage", "format");
        check("", "format");
        check("yesterday", "format");
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let seed = Date::from_ymd(2026, 1, 28).unwrap();
        assert_eq!(seed.weekday(), Weekday::Wednesday);
        assert_eq!(seed.add_days(-28).unwrap().to_string(), "2025-12-31");
        assert_eq!(seed.add_days(32).unwrap().to_string(), "2026-03-01");
        assert_eq!(Date::from_ymd(1944, 6, 6).unwrap().weekday(), Weekday::Tuesday);
        for days in (-800_000..800_000).step_by(997) {
            assert_eq!(Date::from_days(days).unwrap().to_days(), days);
        }
    }

    #[test]
    fn months_and_iso_weeks() {
        let date = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(date("2026-03-31").add_months(-1).unwrap().to_string(), "2026-02-28");
        assert_eq!(date("2026-01-28").add_months(-4).unwrap().to_string(), "2025-09-28");
        assert_eq!(date("2026-01-28").add_months(11).unwrap().to_string(), "2026-12-28");
        assert_eq!(date("2024-02-10").last_of_month().to_string(), "2024-02-29");
        assert_eq!(date("2026-01-28").iso_week(), (2026, 5));
        assert_eq!(date("2024-12-30").iso_week(), (2025, 1));
        assert_eq!(date("2021-01-03").iso_week(), (2020, 53));
        assert_eq!(Date::from_iso_week(2026, 5).unwrap().to_string(), "2026-01-26");
        assert_eq!(Date::from_iso_week(2020, 53).unwrap().to_string(), "2020-12-28");
        assert!(Date::from_iso_week(2025, 53).is_none());
        assert_eq!(date("2026-01-28").week_start().to_string(), "2026-01-26");
    }
}
