//! annalist's user dictionary: a tab-separated file that is easy to write by hand or export from a
//! spreadsheet, layered over the shipped dictionaries (`--user-dict FILE`).
//!
//! ```text
//! # name <TAB> code [<TAB> from [<TAB> to]]       dates YYYY-MM-DD (or YYYYMMDD), inclusive
//! Ahmed al-Sharaa <TAB> SYRREB <TAB>  <TAB> 2025-01-28
//! Ahmed al-Sharaa <TAB> SYRGOV <TAB> 2025-01-29
//! Abu Mohammad al-Jolani <TAB> SYRREB
//! counterpart <TAB> ~GOV                                an agent: the code has a `~`
//! ```
//!
//! Lines with the same name (after normalization) make one entry, so a person's career is a few
//! lines. A name in the user dictionary replaces whatever the shipped dictionaries say about it.
//! Files in the PETRARCH actor format can be given as user dictionaries too.

use super::actors::{ActorEntry, ActorPhrase, CodeRule, Validity};
use super::agents::{AgentCode, AgentEntry, Placement};
use super::lines::lines;
use super::normalize::phrase_key;
use super::{Provenance, Source};
use crate::date::Date;
use crate::error::{Error, ErrorKind};
use rustc_hash::FxHashMap;

/// Reads a user dictionary into actor entries and agent entries. Bad lines are reported and skipped.
pub fn parse(source: &Source<'_>, errors: &mut Vec<Error>) -> (Vec<ActorEntry>, Vec<AgentEntry>) {
    let mut actors: Vec<ActorEntry> = Vec::new();
    let mut by_key: FxHashMap<String, usize> = FxHashMap::default();
    let mut agents = Vec::new();
    for line in lines(source.text) {
        let error = |message: String| Error::new(ErrorKind::Dictionary, source.location(line.number), message);
        let provenance = Provenance { file: source.id, line: line.number };
        let fields: Vec<&str> = line.text.split('\t').map(str::trim).collect();
        let (name, code) = match fields.as_slice() {
            [name, code, ..] if !name.is_empty() && !code.is_empty() => (*name, *code),
            _ => {
                errors.push(error("expected NAME<TAB>CODE[<TAB>FROM[<TAB>TO]]".to_string()));
                continue;
            }
        };
        if fields.len() > 4 {
            errors.push(error(format!("{} fields; expected at most 4 (name, code, from, to)", fields.len())));
            continue;
        }
        let key = phrase_key(name);
        if key.is_empty() {
            errors.push(error(format!("name {name:?} has no words")));
            continue;
        }
        if code.contains('~') {
            let (code, placement) = match (code.strip_prefix('~'), code.strip_suffix('~')) {
                (Some(code), _) => (code, Placement::After),
                (_, Some(code)) => (code, Placement::Before),
                _ => {
                    errors.push(error(format!("agent code {code:?} needs its '~' first (~GOV) or last (NGO~)")));
                    continue;
                }
            };
            if fields.len() > 2 {
                errors.push(error("agents have no dates".to_string()));
                continue;
            }
            let code = AgentCode { code: code.to_string(), placement };
            agents.push(AgentEntry { phrase: name.to_string(), key, code, provenance });
            continue;
        }
        if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            errors.push(error(format!("code {code:?} should be letters (e.g. SYRGOV)")));
            continue;
        }
        let date = |field: Option<&&str>| -> Result<Option<Date>, String> {
            match field.map(|f| f.trim()).filter(|f| !f.is_empty()) {
                None => Ok(None),
                Some(text) => text.parse::<Date>().map(Some).map_err(|e| format!("{e}")),
            }
        };
        let (from, to) = match (date(fields.get(2)), date(fields.get(3))) {
            (Ok(from), Ok(to)) => (from, to),
            (Err(message), _) | (_, Err(message)) => {
                errors.push(error(message));
                continue;
            }
        };
        let when = match (from, to) {
            (None, None) => Validity::Always,
            (Some(from), None) => Validity::From(from),
            (None, Some(to)) => Validity::Until(to),
            (Some(from), Some(to)) if from <= to => Validity::Between(from, to),
            (Some(_), Some(_)) => {
                errors.push(error("the date range ends before it starts".to_string()));
                continue;
            }
        };
        let rule = CodeRule { code: code.to_string(), when, line: line.number };
        match by_key.get(&key) {
            Some(&idx) => actors[idx].codes.push(rule),
            None => {
                by_key.insert(key.clone(), actors.len());
                actors.push(ActorEntry {
                    phrases: vec![ActorPhrase { text: name.to_string(), key, line: line.number }],
                    codes: vec![rule],
                    provenance,
                });
            }
        }
    }
    (actors, agents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::FileId;

    /// Codes of the entry named `name` on each date, or the errors.
    fn check(dictionary: &str, name: &str, dates: &[&str], expect: &str) {
        let mut errors = Vec::new();
        let source = Source { id: FileId(0), name: "user.tsv", text: dictionary };
        let (actors, agents) = parse(&source, &mut errors);
        let got = if errors.is_empty() {
            let key = phrase_key(name);
            if let Some(agent) = agents.iter().find(|a| a.key == key) {
                agent.code.to_string()
            } else {
                let entry = actors.iter().find(|e| e.phrases.iter().any(|p| p.key == key));
                dates
                    .iter()
                    .map(|d| {
                        let date: Date = d.parse().expect("test date");
                        entry.and_then(|e| e.code_on(date)).map_or("-".to_string(), |r| r.code.clone())
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        } else {
            crate::dict::render_errors(&errors)
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn careers() {
        let tsv =
            "# name\tcode\tfrom\tto\nAhmed al-Sharaa\tSYRREB\t\t2025-01-28\nAhmed al-Sharaa\tSYRGOV\t2025-01-29\n";
        check(tsv, "Ahmed al Sharaa", &["2024-06-01", "2026-01-28"], "SYRREB SYRGOV");
        check("counterpart\t~GOV", "counterpart", &[], "~GOV");
        check("Green Party\tDEUOPP\t20250101\t20251231", "green party", &["2025-06-01", "2026-06-01"], "DEUOPP -");
    }

    #[test]
    fn errors() {
        check("Putin RUSGOV", "x", &[], "1: expected NAME<TAB>CODE[<TAB>FROM[<TAB>TO]]");
        check("Putin\tRUS GOV", "x", &[], "1: code \"RUS GOV\" should be letters (e.g. SYRGOV)");
        check("Putin\tRUSGOV\t2026-02-30", "x", &[], "1: impossible date \"2026-02-30\": no such day");
        check("Putin\tRUSGOV\t2026-01-01\t2025-01-01", "x", &[], "1: the date range ends before it starts");
    }
}
