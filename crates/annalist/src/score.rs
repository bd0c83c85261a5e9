//! What a CAMEO event code means numerically and in other ontologies: its Goldstein value, quad
//! class, root and base codes, and PLOVER category.
//!
//! The table is `data/cameo/cameo.tsv`, embedded at compile time and built by
//! `scripts/build-cameo-table.py` from GDELT's CAMEO lookups (descriptions, Goldstein scale) and
//! the PLOVER project's CAMEO to PLOVER table. Quad classes follow GDELT's convention: roots 01-05
//! verbal cooperation, 06-09 material cooperation, 10-14 verbal conflict, 15-20 material conflict.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// One row of the CAMEO table.
#[derive(Clone, Debug, PartialEq)]
pub struct CameoCode {
    pub code: String,
    pub description: String,
    /// GDELT's Goldstein value, from -10 (most conflictual) to 10 (most cooperative).
    pub goldstein: f32,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// PLOVER 2.0 category (`SUPPORT`, `ASSAULT`, ...); `None` for roots 01 and 02, which PLOVER dropped.
    pub plover: Option<String>,
    /// PLOVER mode, when the table gives one (`visit` for 042).
    pub plover_mode: Option<String>,
}

/// The embedded CAMEO table.
pub struct CameoTable {
    codes: FxHashMap<String, CameoCode>,
}

static TABLE: OnceLock<CameoTable> = OnceLock::new();
const TABLE_TSV: &str = include_str!("../../../data/cameo/cameo.tsv");

impl CameoTable {
    /// The table shipped with annalist.
    pub fn embedded() -> &'static CameoTable {
        TABLE.get_or_init(|| CameoTable::parse(TABLE_TSV))
    }

    /// Parses the TSV form. Malformed rows are skipped; the embedded table has none (a test checks).
    fn parse(tsv: &str) -> CameoTable {
        let mut codes = FxHashMap::default();
        for line in tsv.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [code, goldstein, quad, plover, mode, description] = fields[..] else { continue };
            let (Ok(goldstein), Ok(quad_class)) = (goldstein.parse::<f32>(), quad.parse::<u8>()) else { continue };
            let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
            codes.insert(
                code.to_string(),
                CameoCode {
                    code: code.to_string(),
                    description: description.to_string(),
                    goldstein,
                    quad_class,
                    plover: non_empty(plover),
                    plover_mode: non_empty(mode),
                },
            );
        }
        CameoTable { codes }
    }

    /// The exact row for `code`.
    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        self.codes.get(code)
    }

    /// The row for `code`, or for its nearest ancestor when the code is a dictionary extension the
    /// table does not list (CAMEO 2.0's `1213` scores as `121`).
    pub fn resolve(&self, code: &str) -> Option<&CameoCode> {
        (2..=code.len()).rev().find_map(|len| code.get(..len).and_then(|prefix| self.codes.get(prefix)))
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// The two-digit root of an event code (`0874` -> `08`).
pub fn root_code(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// The three-digit base code (`0874` -> `087`; a root stays itself), GDELT's `EventBaseCode`.
pub fn base_code(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `code -> goldstein quad plover[/mode]` as the table resolves it.
    fn check(code: &str, expect: &str) {
        let got = match CameoTable::embedded().resolve(code) {
            Some(row) => format!(
                "{} {} {}{}",
                row.goldstein,
                row.quad_class,
                row.plover.as_deref().unwrap_or("-"),
                row.plover_mode.as_deref().map(|m| format!("/{m}")).unwrap_or_default()
            ),
            None => "none".to_string(),
        };
        assert_eq!(got, expect, "code {code}");
    }

    #[test]
    fn scores_follow_gdelt_and_plover() {
        check("051", "3.4 1 SUPPORT");
        check("042", "1.9 1 CONSULT/visit");
        check("043", "2.8 1 CONSULT/visit");
        check("0874", "10 2 RETREAT/disarm");
        check("190", "-10 4 ASSAULT");
        check("010", "0 1 -");
        check("1213", "-4 3 REJECT/assist");
        check("99", "none");
    }

    #[test]
    fn the_whole_table_parses() {
        let rows = TABLE_TSV.lines().filter(|line| !line.starts_with('#')).count();
        assert_eq!(CameoTable::embedded().len(), rows);
        assert_eq!(root_code("0874"), "08");
        assert_eq!(base_code("0874"), "087");
        assert_eq!(base_code("19"), "19");
    }
}
