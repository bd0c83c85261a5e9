//! Event coding against gold records: the PETRARCH validation records (triples of source, target
//! and CAMEO code) and the PLOVER gold standard records (one event category and its actors).

use super::Counts;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A coded event reduced to what gold records compare: source, target and code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub struct Triple {
    pub source: String,
    pub target: String,
    pub code: String,
}

impl Triple {
    pub fn new(source: &str, target: &str, code: &str) -> Triple {
        Triple { source: source.to_string(), target: target.to_string(), code: code.to_string() }
    }
}

impl std::fmt::Display for Triple {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} -> {} {}", self.source, self.target, self.code)
    }
}

/// One PETRARCH validation record, as in `data/eval/petrarch-unit/dev.jsonl`.
#[derive(Clone, Debug, Deserialize)]
pub struct PetrarchRecord {
    pub id: String,
    pub category: String,
    pub active: bool,
    pub date: String,
    pub text: String,
    /// The CAMEO 2.0 answers (those of `PETR.Validate.verbs.2.0.txt`).
    #[serde(default)]
    pub expected: Vec<Triple>,
    /// `events`, `noevents`, `none_given`, or `error:...` (a discarded story or sentence, a dateline).
    pub expected_kind: String,
    #[serde(default)]
    pub config: BTreeMap<String, String>,
    #[serde(default)]
    pub notes: Vec<String>,
}

impl PetrarchRecord {
    /// Whether the record is scored: active, and with an answer (events, no events, or an error
    /// that means no events).
    pub fn is_scored(&self) -> bool {
        self.active && self.expected_kind != "none_given"
    }

    /// PETRARCH's `require_dyad` option for this record: events need both a source and a target.
    pub fn require_dyad(&self) -> bool {
        self.config.get("require_dyad").is_none_or(|value| value != "false")
    }
}

/// Exact-match and triple scores, overall and per record category.
#[derive(Clone, Debug, Default)]
pub struct PetrarchScores {
    pub records: usize,
    pub exact: usize,
    pub triples: Counts,
    pub per_category: BTreeMap<String, CategoryScores>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct CategoryScores {
    pub records: usize,
    pub exact: usize,
    pub triples: Counts,
}

impl PetrarchScores {
    pub fn exact_rate(&self) -> f64 {
        if self.records == 0 {
            0.0
        } else {
            self.exact as f64 / self.records as f64
        }
    }

    /// Adds one record's outcome. Duplicate triples count once on both sides, as PETRARCH's own
    /// validation does.
    pub fn add(&mut self, record: &PetrarchRecord, system: &[Triple]) -> bool {
        let mut expected = record.expected.clone();
        expected.sort();
        expected.dedup();
        let mut system = system.to_vec();
        system.sort();
        system.dedup();
        let counts = super::match_sorted(&system, &expected);
        let exact = system == expected;
        self.records += 1;
        self.exact += usize::from(exact);
        self.triples.add(counts);
        let category = self.per_category.entry(record.category.trim_end_matches('x').to_string()).or_default();
        category.records += 1;
        category.exact += usize::from(exact);
        category.triples.add(counts);
        exact
    }
}

/// One PLOVER gold standard record, as in `data/eval/plover-gsr/dev.jsonl`.
#[derive(Clone, Debug, Deserialize)]
pub struct PloverRecord {
    pub id: String,
    #[serde(default)]
    pub date: Option<String>,
    /// When the gold coder coded the record. The `date` of these records is a placeholder
    /// (2000-01-01) for sentences of many years, and their actor codes are those valid when they
    /// were coded: Serbia is SRB, not the SCGSRB of Serbia and Montenegro in 2000.
    #[serde(default, rename = "dateCoded")]
    pub date_coded: Option<String>,
    pub text: String,
    pub event: String,
    #[serde(default, deserialize_with = "actors_or_empty")]
    pub source: Vec<PloverActor>,
    #[serde(default, deserialize_with = "actors_or_empty")]
    pub target: Vec<PloverActor>,
    /// The marked-up text; one record has it as a plain string rather than `{"markup": ...}`.
    #[serde(default, rename = "textInfo", deserialize_with = "markup_of")]
    pub text_info: Option<PloverTextInfo>,
}

fn markup_of<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<PloverTextInfo>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Markup {
        Info(PloverTextInfo),
        Text(String),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Markup::deserialize(deserializer)? {
        Markup::Info(info) => Some(info),
        Markup::Text(markup) => Some(PloverTextInfo { markup }),
        Markup::Other(_) => None,
    })
}

#[derive(Clone, Debug, Deserialize)]
pub struct PloverActor {
    #[serde(rename = "actorText", default)]
    pub actor_text: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub sector: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PloverTextInfo {
    #[serde(default)]
    pub markup: String,
}

/// The records write "no actors" as `null`, `""` or `[]`.
fn actors_or_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<PloverActor>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Actors {
        List(Vec<PloverActor>),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Actors::deserialize(deserializer)? {
        Actors::List(actors) => actors,
        Actors::Other(_) => Vec::new(),
    })
}

impl PloverRecord {
    /// The three-letter countries of the gold source actors.
    pub fn source_countries(&self) -> Vec<&str> {
        self.source.iter().filter_map(|actor| actor.code.get(..3)).collect()
    }

    pub fn target_countries(&self) -> Vec<&str> {
        self.target.iter().filter_map(|actor| actor.code.get(..3)).collect()
    }

    /// The words the markup marks as the event: `(EVT: agreed)` gives `agreed`.
    pub fn event_words(&self) -> Vec<&str> {
        let Some(info) = &self.text_info else { return Vec::new() };
        info.markup
            .match_indices("(EVT:")
            .filter_map(|(start, _)| {
                let rest = &info.markup[start + 5..];
                rest.find(')').map(|end| rest[..end].trim())
            })
            .flat_map(str::split_whitespace)
            .collect()
    }
}

/// The category of a CAMEO code in the PLOVER draft of 2016 that the gold records use: the
/// correspondence of CAMEO roots to PLOVER categories in the PLOVER README (03 AGREE, 04 CONSULT,
/// 05 SUPPORT, 06 COOPERATE, 07 AID, 081-083 CONCEDE, 084-087 RETREAT, 09 INVESTIGATE, 10
/// DEMAND, 11 DISAPPROVE, 12 REJECT, 13 THREATEN, 14 PROTEST, 15 MOBILIZE, 16 SANCTION, 17
/// COERCE, 18 and 20 ASSAULT, 19 FIGHT; 01 and 02 dropped). annalist's own `plover` field follows
/// the later CAMEO to PLOVER table of PLOVER 2.0, which renamed categories (DEMAND became
/// REQUEST) and moved some codes (163 and 191 to COERCE); scoring the 2016 records against it would
/// count those renamings as errors.
pub fn plover_2016_category(code: &str) -> Option<&'static str> {
    Some(match code.get(..2)? {
        "03" => "AGREE",
        "04" => "CONSULT",
        "05" => "SUPPORT",
        "06" => "COOPERATE",
        "07" => "AID",
        "08" if matches!(code.get(..3), Some("084" | "085" | "086" | "087")) => "RETREAT",
        "08" => "CONCEDE",
        "09" => "INVESTIGATE",
        "10" => "DEMAND",
        "11" => "DISAPPROVE",
        "12" => "REJECT",
        "13" => "THREATEN",
        "14" => "PROTEST",
        "15" => "MOBILIZE",
        "16" => "SANCTION",
        "17" => "COERCE",
        "18" | "20" => "ASSAULT",
        "19" => "FIGHT",
        _ => return None,
    })
}

/// What the system coded for one PLOVER record: the event the record is about (its CAMEO code)
/// with its source and target codes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PloverAnswer {
    pub code: Option<String>,
    pub sources: Vec<String>,
    pub targets: Vec<String>,
}

/// Accuracies over PLOVER records.
#[derive(Clone, Copy, Debug, Default)]
pub struct PloverScores {
    pub records: usize,
    pub category_correct: usize,
    pub source_correct: usize,
    pub records_with_target: usize,
    pub target_correct: usize,
}

impl PloverScores {
    /// Scores one record: the category through the CAMEO table, and whether a coded source (and
    /// target) country is among the gold ones.
    pub fn add(&mut self, record: &PloverRecord, answer: &PloverAnswer) -> (bool, bool) {
        let category = answer.code.as_deref().and_then(plover_2016_category);
        let category_ok = category == Some(record.event.as_str());
        let country_in =
            |coded: &[String], gold: &[&str]| coded.iter().any(|code| code.get(..3).is_some_and(|c| gold.contains(&c)));
        let source_ok = country_in(&answer.sources, &record.source_countries());
        self.records += 1;
        self.category_correct += usize::from(category_ok);
        self.source_correct += usize::from(source_ok);
        let gold_targets = record.target_countries();
        if !gold_targets.is_empty() {
            self.records_with_target += 1;
            self.target_correct += usize::from(country_in(&answer.targets, &gold_targets));
        }
        (category_ok, source_ok)
    }

    pub fn category_accuracy(&self) -> f64 {
        ratio(self.category_correct, self.records)
    }

    pub fn source_country_accuracy(&self) -> f64 {
        ratio(self.source_correct, self.records)
    }

    pub fn target_country_accuracy(&self) -> f64 {
        ratio(self.target_correct, self.records_with_target)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(expected: &str) -> PetrarchRecord {
        serde_json::from_str(&format!(
            r#"{{"id":"T-1","category":"DEMO","active":true,"date":"1995-01-01","text":"x","expected":{expected},"expected_kind":"events","config":{{"require_dyad":"false"}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn exact_match_and_triple_counts() {
        let gold =
            record(r#"[{"source":"ARN","target":"GON","code":"050"},{"source":"GON","target":"ARN","code":"050"}]"#);
        assert!(!gold.require_dyad());
        let mut scores = PetrarchScores::default();
        assert!(scores.add(
            &gold,
            &[Triple::new("GON", "ARN", "050"), Triple::new("ARN", "GON", "050"), Triple::new("ARN", "GON", "050")]
        ));
        assert!(!scores.add(&gold, &[Triple::new("ARN", "GON", "050"), Triple::new("ARN", "GON", "051")]));
        assert_eq!((scores.records, scores.exact), (2, 1));
        assert_eq!(scores.triples, Counts { correct: 3, system: 4, gold: 4 });
        assert_eq!(scores.per_category["DEMO"].exact, 1);
    }

    #[test]
    fn plover_records_and_categories() {
        let record: PloverRecord = serde_json::from_str(
            r#"{"id":"P","text":"Jordan and Britain have agreed.","event":"DEMAND","source":[{"actorText":"Jordan","code":"JOR"}],"target":"","textInfo":{"markup":"(SRC: Jordan) and Britain have (EVT: agreed)"}}"#,
        )
        .unwrap();
        assert_eq!(record.event_words(), ["agreed"]);
        assert!(record.target.is_empty());
        let mut scores = PloverScores::default();
        let answer = PloverAnswer { code: Some("1041".into()), sources: vec!["JORGOV".into()], targets: vec![] };
        assert_eq!(scores.add(&record, &answer), (true, true));
        assert_eq!(scores.records_with_target, 0);
        assert_eq!(plover_2016_category("0874"), Some("RETREAT"));
        assert_eq!(plover_2016_category("0831"), Some("CONCEDE"));
        assert_eq!(plover_2016_category("191"), Some("FIGHT"));
        assert_eq!(plover_2016_category("010"), None);
    }
}
