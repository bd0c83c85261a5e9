//! Exports of the merged events: JSON Lines, CSV, GDELT 2.0's event table, and Parquet
//! partitioned by date (in [`parquet`]). Rows come in a fixed order (date, then id), and ids
//! are derived from content, so the same store always exports the same bytes.

mod parquet;

use crate::query::{EventFilter, StoredEvent, EVENT_COLUMNS, EVENT_FROM};
use crate::{Error, Result, Store};
use annalist::Date;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    /// GDELT 2.0's 61 tab-separated event columns, no header (as GDELT publishes them).
    Gdelt,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 26] = [
    "id",
    "date",
    "date_precision",
    "source",
    "target",
    "code",
    "root_code",
    "base_code",
    "quad_class",
    "goldstein",
    "plover",
    "num_mentions",
    "num_sources",
    "num_articles",
    "location",
    "country",
    "lat",
    "lon",
    "geonameid",
    "confidence",
    "article",
    "url",
    "sentence",
    "source_text",
    "verb_text",
    "target_text",
];

impl Store {
    /// Calls `each` on every event matching `filter`, by date then id, without holding them all.
    pub fn for_each_event(&self, filter: &EventFilter, each: &mut dyn FnMut(StoredEvent) -> Result<()>) -> Result<()> {
        let conditions = filter.conditions()?;
        let sql = format!("SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} {} ORDER BY e.day, e.id", conditions.sql());
        let mut statement = self.conn().prepare(&sql)?;
        let mut rows = statement.query(conditions.params())?;
        while let Some(row) = rows.next()? {
            each(StoredEvent::from_row(row)?)?;
        }
        Ok(())
    }

    /// Writes the events matching `filter` in `format`; returns how many.
    pub fn export(&self, filter: &EventFilter, format: Format, out: &mut dyn Write) -> Result<u64> {
        let mut count = 0;
        if format == Format::Csv {
            writeln!(out, "{}", CSV_COLUMNS.join(",")).map_err(io)?;
        }
        self.for_each_event(filter, &mut |event| {
            count += 1;
            match format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut *out, &event).map_err(|e| Error::Invalid(e.to_string()))?;
                    writeln!(out).map_err(io)
                }
                Format::Csv => writeln!(out, "{}", csv_row(&event)).map_err(io),
                Format::Gdelt => writeln!(out, "{}", gdelt_row(&event).join("\t")).map_err(io),
            }
        })?;
        Ok(count)
    }

    /// Writes the events matching `filter` as Parquet files under `dir`, one folder per day in
    /// Hive's layout (`date=2026-01-28/part-0.parquet`, undated events under
    /// `date=__HIVE_DEFAULT_PARTITION__`), which Spark, DuckDB, Trino and BigQuery read as a
    /// table partitioned by `date`. Returns how many events and files.
    pub fn export_parquet(&self, filter: &EventFilter, dir: &Path) -> Result<(u64, u64)> {
        parquet::export(self, filter, dir)
    }

    /// Writes the events matching `filter` as one Parquet file, with a `date` column (for a
    /// download of a selection). Returns how many.
    pub fn export_parquet_file(&self, filter: &EventFilter, out: impl Write + Send) -> Result<u64> {
        parquet::export_file(self, filter, out)
    }
}

fn io(error: std::io::Error) -> Error {
    Error::Invalid(format!("writing the export: {error}"))
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv_row(e: &StoredEvent) -> String {
    let place = e.location.as_ref();
    let fields: [String; 26] = [
        e.id.to_string(),
        e.date.clone().unwrap_or_default(),
        e.date_precision.clone(),
        e.source.clone(),
        e.target.clone(),
        e.code.clone(),
        e.root_code.clone(),
        e.base_code.clone(),
        e.quad_class.to_string(),
        e.goldstein.to_string(),
        e.plover.clone().unwrap_or_default(),
        e.num_mentions.to_string(),
        e.num_sources.to_string(),
        e.num_articles.to_string(),
        place.map(|p| p.name.clone()).unwrap_or_default(),
        place.and_then(|p| p.country.clone()).unwrap_or_default(),
        place.map(|p| format!("{:.4}", p.lat)).unwrap_or_default(),
        place.map(|p| format!("{:.4}", p.lon)).unwrap_or_default(),
        place.map(|p| p.geonameid.to_string()).unwrap_or_default(),
        format!("{:.2}", e.confidence),
        e.article.clone(),
        e.url.clone().unwrap_or_default(),
        e.sentence.to_string(),
        e.source_text.clone(),
        e.verb_text.clone(),
        e.target_text.clone(),
    ];
    fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
}

/// CAMEO's role and sector codes (the `GOV` of `RUSGOV`): GDELT's Type1..Type3 columns.
const ACTOR_TYPES: [&str; 31] = [
    "AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "HLH", "HRI", "IGO", "IMG", "INS", "JUD",
    "LAB", "LEG", "MED", "MIL", "MNC", "MOD", "NGM", "NGO", "OPP", "PTY", "RAD", "REB", "REF", "SPY", "UAF",
];

/// An actor code's GDELT columns: CountryCode, KnownGroupCode, EthnicCode, Religion1Code,
/// Religion2Code, Type1Code, Type2Code, Type3Code. The code is read in three-letter parts: a
/// leading part that is no role is the country, role parts are types, and another part after an
/// international or non-governmental role (`IGOUNO`) is the known group. Ethnic and religion
/// codes are not told apart from groups by annalist's dictionaries, so they stay empty.
fn actor_parts(code: &str) -> [String; 8] {
    let mut parts = [(); 8].map(|_| String::new());
    let chunks: Vec<&str> =
        (0..code.len() / 3).filter_map(|i| code.get(3 * i..3 * i + 3)).filter(|c| *c != "---").collect();
    let mut types = 0;
    for (i, chunk) in chunks.iter().enumerate() {
        if ACTOR_TYPES.contains(chunk) {
            if types < 3 {
                parts[5 + types] = chunk.to_string();
                types += 1;
            }
        } else if i == 0 {
            parts[0] = chunk.to_string();
        } else if parts[1].is_empty() {
            parts[1] = chunk.to_string();
        }
    }
    parts
}

/// ISO 3166 alpha-3 to the FIPS 10-4 codes GDELT's geography columns use.
fn fips(iso3: &str) -> &str {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        include_str!("../../../data/gazetteer/fips.tsv").lines().filter_map(|line| line.split_once('\t')).collect()
    });
    table.get(iso3).copied().unwrap_or("")
}

/// GDELT's geography type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
fn geo_type(precision: &str, country: Option<&str>) -> &'static str {
    let us = country == Some("USA");
    match precision {
        "country" => "1",
        "admin1" if us => "2",
        "admin1" => "5",
        "city" if us => "3",
        "city" => "4",
        _ => "",
    }
}

/// The 61 columns of GDELT 2.0's event table for one event (documented in ARCHITECTURE.md,
/// "GDELT export"). What annalist does not know stays empty: the tone, the actors' own places,
/// division codes.
pub fn gdelt_row(e: &StoredEvent) -> Vec<String> {
    let date = e.date.as_deref().and_then(|d| d.get(..10)).and_then(|d| d.parse::<Date>().ok());
    let ymd = |d: Date| format!("{:04}{:02}{:02}", d.year(), d.month(), d.day());
    let mut row = Vec::with_capacity(61);
    row.push(e.id.to_string());
    row.push(date.map(ymd).unwrap_or_default());
    row.push(date.map(|d| format!("{:04}{:02}", d.year(), d.month())).unwrap_or_default());
    row.push(date.map(|d| d.year().to_string()).unwrap_or_default());
    row.push(
        date.map(|d| {
            let start = Date::from_ymd(d.year(), 1, 1).map_or(0, Date::to_days);
            format!("{:.4}", d.year() as f64 + (d.to_days() - start) as f64 / 365.0)
        })
        .unwrap_or_default(),
    );
    for (code, name) in [(&e.source, &e.source_text), (&e.target, &e.target_text)] {
        row.push(code.trim_matches('-').to_string());
        row.push(name.to_uppercase());
        row.extend(actor_parts(code));
    }
    // IsRootEvent: GDELT marks events of an article's lead paragraph; here, of its first sentence.
    row.push(if e.sentence == 0 { "1" } else { "0" }.to_string());
    row.push(e.code.clone());
    row.push(e.base_code.clone());
    row.push(e.root_code.clone());
    row.push(e.quad_class.to_string());
    row.push(format!("{:.1}", e.goldstein));
    row.push(e.num_mentions.to_string());
    row.push(e.num_sources.to_string());
    row.push(e.num_articles.to_string());
    row.push(String::new()); // AvgTone
                             // Actor1Geo and Actor2Geo: annalist places events, not actors.
    row.extend((0..16).map(|_| String::new()));
    match &e.location {
        Some(place) => {
            let country = place.country.as_deref();
            row.push(geo_type(&place.precision, country).to_string());
            let full_name = [Some(place.name.as_str()), place.admin1.as_deref().filter(|a| *a != place.name)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            row.push(full_name);
            row.push(country.map(fips).unwrap_or("").to_string());
            row.push(String::new()); // ADM1Code
            row.push(String::new()); // ADM2Code
            row.push(format!("{:.4}", place.lat));
            row.push(format!("{:.4}", place.lon));
            row.push(place.geonameid.to_string());
        }
        None => row.extend((0..8).map(|_| String::new())),
    }
    // DATEADDED: annalist has no crawl time; the first report's publication date stands in, so
    // that the export is the same whenever the store was made.
    let added = e.article_date.as_deref().and_then(|d| d.parse::<Date>().ok());
    row.push(added.map(|d| format!("{}000000", ymd(d))).unwrap_or_default());
    row.push(e.url.clone().unwrap_or_else(|| e.article.clone()));
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_codes_split_into_gdelt_parts() {
        let cases = [
            ("RUSGOV", ["RUS", "", "", "", "", "GOV", "", ""]),
            ("SYRMILREB", ["SYR", "", "", "", "", "MIL", "REB", ""]),
            ("IGOUNO", ["", "UNO", "", "", "", "IGO", "", ""]),
            ("---GOV", ["", "", "", "", "", "GOV", "", ""]),
            ("USA", ["USA", "", "", "", "", "", "", ""]),
        ];
        for (code, expected) in cases {
            assert_eq!(actor_parts(code), expected.map(String::from), "{code}");
        }
    }

    #[test]
    fn countries_map_to_fips() {
        assert_eq!(fips("RUS"), "RS");
        assert_eq!(fips("SYR"), "SY");
        assert_eq!(fips("DEU"), "GM");
        assert_eq!(fips("XXX"), "");
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"no\""), "\"say \"\"no\"\"\"");
    }
}
