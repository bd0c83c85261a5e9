//! Articles and the formats they arrive in. Everything here parses bytes already in memory; the
//! `annalist` binary does the file and directory walking.
//!
//! Two formats are read:
//! - the seed format: a first line `date YYYY-MM-DD` (leading spaces allowed), the body following
//!   on the same line or the next;
//! - JSON: one object per article with `id`, `date`, `text` and optionally `title`, `source`, `url`;
//!   other fields are kept in [`Article::extra`] and passed through to the output.
//!
//! Bad input never panics and never silently drops text: invalid UTF-8 is decoded as
//! Windows-1252, NUL bytes become spaces (so byte offsets still line up), and each repair or
//! refusal is a [`Diagnostic`] that names the file, line and article.

use crate::date::Date;
use crate::error::{Diagnostic, Location};
use serde::Serialize;
use serde_json::{Map, Value};

/// Articles larger than this are refused, so that one runaway record cannot exhaust memory.
/// It is also why `u32` byte offsets are enough for spans.
pub const MAX_ARTICLE_BYTES: usize = 32 << 20;

/// One dated news article as read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Article {
    pub id: String,
    /// The publication date; `None` when the input had none or an impossible one (a diagnostic says so).
    pub date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Input fields annalist does not know, passed through to the output unchanged.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

/// An article together with what was noticed while reading it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadArticle {
    pub article: Article,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes bytes as UTF-8, falling back to Windows-1252 (which maps every byte, so nothing is lost)
/// when they are not valid UTF-8. A leading byte-order mark is dropped; NUL bytes become spaces.
pub fn decode(bytes: &[u8], location: &Location) -> (String, Vec<Diagnostic>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut diagnostics = Vec::new();
    let mut text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(error) => {
            let offset = error.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64;
            let mut location = location.clone();
            location.line = Some(location.line.unwrap_or(1) + line);
            diagnostics.push(Diagnostic::warning(
                "invalid-utf8",
                location,
                format!("invalid UTF-8 at byte {offset}; decoded as Windows-1252"),
            ));
            decode_windows_1252(bytes)
        }
    };
    let n_nul = text.bytes().filter(|&b| b == 0).count();
    if n_nul > 0 {
        text = text.replace('\0', " ");
        diagnostics.push(Diagnostic::warning(
            "nul-bytes",
            location.clone(),
            format!("{n_nul} NUL byte(s) replaced by spaces"),
        ));
    }
    (text, diagnostics)
}

/// Windows-1252: Latin-1 except for 0x80..0x9F, where it has typographic punctuation. The five
/// bytes it leaves undefined are mapped to the C1 controls of the same value, as browsers do.
pub fn decode_windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Reads one article in the seed format. `name` is the file name; its stem becomes the id.
///
/// The header is `date YYYY-MM-DD`; without one, a date at the start of the file name
/// (`2026-01-28-moscow.txt`) is used, with a warning, so that a folder of plain texts named by date
/// still codes.
pub fn read_seed(name: &str, text: &str, location: &Location) -> ReadArticle {
    let id = file_stem(name).to_string();
    let location = location.clone().with_article(&id);
    let mut diagnostics = Vec::new();
    let mut date = None;
    let mut body = text;
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("date").filter(|rest| rest.starts_with([' ', '\t'])) {
        let rest = rest.trim_start_matches([' ', '\t']);
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let header_line = 1 + text[..text.len() - rest.len()].matches('\n').count() as u64;
        match rest[..end].parse::<Date>() {
            Ok(parsed) => date = Some(parsed),
            Err(error) => diagnostics.push(Diagnostic::error(
                "bad-date",
                Location { line: Some(header_line), ..location.clone() },
                error.to_string(),
            )),
        }
        body = &rest[end..];
    } else {
        let guess = id.get(..10).and_then(|prefix| prefix.parse::<Date>().ok());
        let message = match guess {
            Some(_) => "no `date YYYY-MM-DD` header; using the date at the start of the file name",
            None => "no `date YYYY-MM-DD` header and no date in the file name; the article is undated",
        };
        diagnostics.push(Diagnostic::warning("missing-date", location.clone(), message));
        date = guess;
    }
    let body = body.trim();
    if body.is_empty() {
        diagnostics.push(Diagnostic::warning("empty-body", location, "the article has no body text"));
    }
    ReadArticle { article: Article { id, date, text: body.to_string(), ..Article::default() }, diagnostics }
}

/// Reads one JSON Lines record. `location` names the file and line; it is also the fallback id.
pub fn read_json_line(line: &str, location: &Location) -> Result<ReadArticle, Diagnostic> {
    match serde_json::from_str::<Value>(line) {
        Ok(value) => read_json_value(value, location),
        Err(error) => {
            Err(Diagnostic::error("bad-json", location.clone(), format!("malformed JSON ({error}); record skipped")))
        }
    }
}

/// Reads one article from a parsed JSON value: an object with at least `text`.
pub fn read_json_value(value: Value, location: &Location) -> Result<ReadArticle, Diagnostic> {
    let Value::Object(mut fields) = value else {
        return Err(Diagnostic::error(
            "bad-record",
            location.clone(),
            format!("expected a JSON object, found {}; record skipped", json_kind(&value)),
        ));
    };
    let mut diagnostics = Vec::new();
    let id = match fields.remove("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id,
        Some(Value::Number(id)) => id.to_string(),
        other => {
            if let Some(other) = other {
                fields.insert("id".to_string(), other);
            }
            let id = match (&location.file, location.line) {
                (Some(file), Some(line)) => format!("{}:{line}", file_stem(file)),
                (Some(file), None) => file_stem(file).to_string(),
                (None, Some(line)) => format!("line-{line}"),
                (None, None) => "article".to_string(),
            };
            diagnostics.push(Diagnostic::warning(
                "missing-id",
                location.clone().with_article(&id),
                "no string `id` field; using the file and line as id",
            ));
            id
        }
    };
    let location = location.clone().with_article(&id);
    let text = match fields.remove("text") {
        Some(Value::String(text)) => text,
        other => {
            let found = other.as_ref().map_or("nothing", json_kind);
            return Err(Diagnostic::error(
                "missing-text",
                location,
                format!("`text` must be a string, found {found}; record skipped"),
            ));
        }
    };
    let date = match fields.remove("date") {
        Some(Value::String(date)) => match date.parse::<Date>() {
            Ok(date) => Some(date),
            Err(error) => {
                diagnostics.push(Diagnostic::error(
                    "bad-date",
                    location.clone(),
                    format!("{error}; the article is coded as undated"),
                ));
                fields.insert("date".to_string(), Value::String(date));
                None
            }
        },
        Some(Value::Number(number)) => match number.to_string().parse::<Date>() {
            Ok(date) => Some(date),
            Err(error) => {
                diagnostics.push(Diagnostic::error("bad-date", location.clone(), error.to_string()));
                None
            }
        },
        None | Some(Value::Null) => {
            diagnostics.push(Diagnostic::warning(
                "missing-date",
                location.clone(),
                "no `date` field; the article is undated",
            ));
            None
        }
        Some(other) => {
            diagnostics.push(Diagnostic::error(
                "bad-date",
                location.clone(),
                format!("`date` must be a string, found {}", json_kind(&other)),
            ));
            None
        }
    };
    if text.trim().is_empty() {
        diagnostics.push(Diagnostic::warning("empty-body", location.clone(), "the article has no body text"));
    }
    let text = if text.contains('\0') {
        diagnostics.push(Diagnostic::warning("nul-bytes", location, "NUL characters replaced by spaces"));
        text.replace('\0', " ")
    } else {
        text
    };
    let mut optional = |name: &str| match fields.remove(name) {
        Some(Value::String(value)) => Some(value),
        Some(Value::Null) | None => None,
        Some(other) => {
            // Keep what we cannot interpret rather than dropping it.
            fields.insert(name.to_string(), other);
            None
        }
    };
    let title = optional("title");
    let source = optional("source");
    let url = optional("url");
    Ok(ReadArticle { article: Article { id, date, title, text, source, url, extra: fields }, diagnostics })
}

/// Reads a `.json` file: one article object, or an array of them. Each bad element is a
/// diagnostic; the others are kept.
pub fn read_json_document(text: &str, location: &Location) -> Vec<Result<ReadArticle, Diagnostic>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(idx, item)| {
                let mut location = location.clone();
                location.article = Some(format!("#{idx}"));
                read_json_value(item, &location).map(|mut read| {
                    for diagnostic in &mut read.diagnostics {
                        diagnostic.location.article = Some(read.article.id.clone());
                    }
                    read
                })
            })
            .collect(),
        Ok(value) => vec![read_json_value(value, location)],
        Err(error) => {
            let mut location = location.clone();
            location.line = Some(error.line() as u64);
            vec![Err(Diagnostic::error("bad-json", location, format!("malformed JSON ({error})")))]
        }
    }
}

/// `dir/2026-01-28-moscow.txt.gz` -> `2026-01-28-moscow`.
pub fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base.strip_suffix(".gz").unwrap_or(base);
    match base.rfind('.') {
        Some(dot) if dot > 0 => &base[..dot],
        _ => base,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
        diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn seed_header_on_the_same_line() {
        let read =
            read_seed("dir/2026-01-28-moscow.txt", " date 2026-01-28 Putin spoke.\n\nHe left.", &Location::default());
        assert_eq!(read.article.id, "2026-01-28-moscow");
        assert_eq!(read.article.date.unwrap().to_string(), "2026-01-28");
        assert_eq!(read.article.text, "Putin spoke.\n\nHe left.");
        assert!(read.diagnostics.is_empty());
    }

    #[test]
    fn seed_header_on_its_own_line() {
        let read = read_seed("a.txt", "date 20260128\nPutin spoke.", &Location::default());
        assert_eq!(read.article.date.unwrap().to_string(), "2026-01-28");
        assert_eq!(read.article.text, "Putin spoke.");
    }

    #[test]
    fn seed_without_header_takes_the_file_name_date() {
        let read = read_seed("2026-01-28-x.txt", "Putin spoke.", &Location::default());
        assert_eq!(read.article.date.unwrap().to_string(), "2026-01-28");
        assert_eq!(codes(&read.diagnostics), ["missing-date"]);
        let read = read_seed("notes.txt", "Putin spoke.", &Location::default());
        assert_eq!(read.article.date, None);
    }

    #[test]
    fn seed_impossible_date_and_empty_body() {
        let read = read_seed("a.txt", "date 2026-02-30\n", &Location::file("a.txt"));
        assert_eq!(read.article.date, None);
        assert_eq!(codes(&read.diagnostics), ["bad-date", "empty-body"]);
        assert_eq!(
            read.diagnostics[0].to_string(),
            "a.txt:1: article a: error[bad-date]: impossible date \"2026-02-30\": no such day"
        );
    }

    #[test]
    fn json_line_keeps_unknown_fields() {
        let line =
            r#"{"id": "r1", "date": "1987-02-26T10:00:00Z", "text": "Oil rose.", "title": "T", "lang": "en", "n": 3}"#;
        let read = read_json_line(line, &Location::line("x.jsonl", 4)).unwrap();
        assert_eq!(read.article.id, "r1");
        assert_eq!(read.article.date.unwrap().to_string(), "1987-02-26");
        assert_eq!(read.article.title.as_deref(), Some("T"));
        assert_eq!(serde_json::to_string(&read.article.extra).unwrap(), r#"{"lang":"en","n":3}"#);
        assert!(read.diagnostics.is_empty());
    }

    #[test]
    fn json_line_errors_name_file_and_line() {
        let location = Location::line("x.jsonl", 7);
        let error = read_json_line(r#"{"id": "a", "text": "#, &location).unwrap_err();
        assert_eq!(error.code, "bad-json");
        assert!(error.to_string().starts_with("x.jsonl:7: error[bad-json]"), "{error}");
        let error = read_json_line(r#"{"id": "a", "date": "2026-01-01"}"#, &location).unwrap_err();
        assert_eq!(
            error.to_string(),
            "x.jsonl:7: article a: error[missing-text]: `text` must be a string, found nothing; record skipped"
        );
        let error = read_json_line("[1, 2]", &location).unwrap_err();
        assert_eq!(error.code, "bad-record");
    }

    #[test]
    fn json_line_bad_or_missing_date_keeps_the_article() {
        let read = read_json_line(r#"{"id": 12, "date": "2026-02-30", "text": "x"}"#, &Location::default()).unwrap();
        assert_eq!(read.article.id, "12");
        assert_eq!(read.article.date, None);
        assert_eq!(codes(&read.diagnostics), ["bad-date"]);
        let read = read_json_line(r#"{"text": "x"}"#, &Location::line("f.jsonl", 3)).unwrap();
        assert_eq!(read.article.id, "f:3");
        assert_eq!(codes(&read.diagnostics), ["missing-id", "missing-date"]);
    }

    #[test]
    fn json_document_reads_arrays_and_skips_bad_items() {
        let results = read_json_document(
            r#"[{"id":"a","date":"2026-01-01","text":"x"}, 5, {"id":"b","date":"2026-01-02","text":"y"}]"#,
            &Location::file("d.json"),
        );
        let ok: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).map(|r| r.article.id.as_str()).collect();
        assert_eq!(ok, ["a", "b"]);
        assert_eq!(results[1].as_ref().unwrap_err().location.article.as_deref(), Some("#1"));
    }

    #[test]
    fn invalid_utf8_decodes_as_windows_1252() {
        let (text, diagnostics) = decode(b"caf\xe9 \x93quoted\x94\nline two \xff", &Location::file("bbc.txt"));
        assert_eq!(text, "café “quoted”\nline two ÿ");
        assert_eq!(codes(&diagnostics), ["invalid-utf8"]);
        assert_eq!(diagnostics[0].location.line, Some(1));
    }

    #[test]
    fn nul_bytes_become_spaces_and_bom_is_dropped() {
        let (text, diagnostics) = decode(b"\xEF\xBB\xBFa\0b", &Location::default());
        assert_eq!(text, "a b");
        assert_eq!(codes(&diagnostics), ["nul-bytes"]);
    }

    #[test]
    fn file_stems() {
        assert_eq!(file_stem("a/b/2026-01-28-x.txt.gz"), "2026-01-28-x");
        assert_eq!(file_stem("x.jsonl"), "x");
        assert_eq!(file_stem(".hidden"), ".hidden");
    }
}
