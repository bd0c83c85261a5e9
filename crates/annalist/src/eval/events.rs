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

/// How often each kind of error happened, with the first few records that show it: what
/// `--errors` prints, so that a change is aimed at a class of errors rather than at a record.
#[derive(Clone, Debug, Default)]
pub struct ErrorTally {
    pub records: usize,
    /// Class name to (records, example record ids).
    pub classes: BTreeMap<String, (usize, Vec<String>)>,
}

/// Example records kept per class.
const EXAMPLES: usize = 4;

impl ErrorTally {
    /// Counts one record with the classes of its errors (each class once per record).
    pub fn add(&mut self, id: &str, classes: &[String]) {
        self.records += 1;
        let mut seen: Vec<&String> = Vec::new();
        for class in classes {
            if seen.contains(&class) {
                continue;
            }
            seen.push(class);
            let (count, examples) = self.classes.entry(class.clone()).or_default();
            *count += 1;
            if examples.len() < EXAMPLES {
                examples.push(id.to_string());
            }
        }
    }

    /// Classes by how many records they hit, most first.
    pub fn ranked(&self) -> Vec<(&str, usize, &[String])> {
        let mut ranked: Vec<_> = self.classes.iter().map(|(c, (n, e))| (c.as_str(), *n, e.as_slice())).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        ranked
    }
}

/// The errors of one PLOVER record: a missing event, a bare report (`said`) standing for the
/// event, the category confused (`category: AGREE coded as CONSULT`), and each actor missing,
/// left without a country (`---GOV`) or given another country.
pub fn plover_errors(record: &PloverRecord, answer: &PloverAnswer) -> Vec<String> {
    let mut errors = Vec::new();
    let gold = record.event.as_str();
    match answer.code.as_deref() {
        None => errors.push("event: none coded".to_string()),
        Some(code) => match plover_2016_category(code) {
            Some(category) if category == gold => {}
            Some(category) => errors.push(format!("category: {gold} coded as {category}")),
            None if code.starts_with("01") => errors.push(format!("event: a report (010) stands for {gold}")),
            None => errors.push(format!("event: {gold} coded as CAMEO {code} (no PLOVER category)")),
        },
    }
    let actor = |role: &str, coded: &[String], gold: &[&str], errors: &mut Vec<String>| {
        if gold.is_empty() {
            return;
        }
        let countries: Vec<&str> = coded.iter().filter_map(|c| c.get(..3)).collect();
        if countries.iter().any(|c| gold.contains(c)) {
            return;
        }
        if coded.is_empty() || coded.iter().all(|c| c.is_empty() || c == "---") {
            errors.push(format!("{role}: none"));
        } else if countries.iter().all(|c| *c == "---") {
            errors.push(format!("{role}: no country ({})", coded.join(" ")));
        } else {
            errors.push(format!("{role}: another country"));
        }
    };
    actor("source", &answer.sources, &record.source_countries(), &mut errors);
    actor("target", &answer.targets, &record.target_countries(), &mut errors);
    errors
}

/// The errors of one PETRARCH record, triple by triple: an expected triple matched by a coded one
/// in all but its code, source or target is that part wrong (`code: 043 coded as 042`); one with
/// no such neighbour is missed; a coded triple left over is spurious (a report `010` told apart,
/// since reported speech yielding to the reported event is a known weakness).
pub fn petrarch_errors(expected: &[Triple], system: &[Triple]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut left: Vec<&Triple> = system.iter().filter(|t| !expected.contains(t)).collect();
    for gold in expected.iter().filter(|t| !system.contains(t)) {
        let near = |same: &dyn Fn(&Triple) -> bool| left.iter().position(|t| same(t));
        if let Some(at) = near(&|t| t.source == gold.source && t.target == gold.target) {
            let (want, got) = (gold.code.get(..2).unwrap_or(""), left[at].code.get(..2).unwrap_or(""));
            errors.push(if want == got {
                format!("code: root {want} right, code wrong")
            } else {
                format!("code: root {want} coded as {got}")
            });
            left.remove(at);
        } else if let Some(at) = near(&|t| t.code == gold.code && t.target == gold.target) {
            errors.push(format!("source: {} coded as {}", gold.source, left[at].source));
            left.remove(at);
        } else if let Some(at) = near(&|t| t.code == gold.code && t.source == gold.source) {
            let class = if gold.target == "---" {
                "target: coded where none"
            } else if left[at].target == "---" {
                "target: none"
            } else {
                "target: another"
            };
            errors.push(class.to_string());
            left.remove(at);
        } else {
            errors.push(if system.is_empty() {
                "missed: nothing coded".to_string()
            } else {
                "missed: event".to_string()
            });
        }
    }
    for spurious in left {
        errors.push(
            if spurious.code.starts_with("01") { "spurious: a report (01x)" } else { "spurious: event" }.to_string(),
        );
    }
    errors
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

    #[test]
    fn petrarch_errors_name_the_wrong_part() {
        let t = Triple::new;
        let cases: [(&[Triple], &[Triple], &[&str]); 6] = [
            (&[t("USA", "RUS", "043")], &[t("USA", "RUS", "042")], &["code: root 04 right, code wrong"]),
            (&[t("USA", "RUS", "043")], &[t("USA", "RUS", "051")], &["code: root 04 coded as 05"]),
            (&[t("USA", "RUS", "043")], &[t("USAGOV", "RUS", "043")], &["source: USA coded as USAGOV"]),
            (&[t("USA", "RUS", "043")], &[t("USA", "---", "043")], &["target: none"]),
            (&[t("USA", "RUS", "043")], &[], &["missed: nothing coded"]),
            (&[], &[t("USA", "RUS", "010")], &["spurious: a report (01x)"]),
        ];
        for (expected, system, errors) in cases {
            assert_eq!(petrarch_errors(expected, system), errors, "{expected:?} {system:?}");
        }
        assert!(petrarch_errors(&[t("A", "B", "010")], &[t("A", "B", "010")]).is_empty());
    }

    #[test]
    fn a_tally_counts_records_once_per_class() {
        let mut tally = ErrorTally::default();
        tally.add("r1", &["x".into(), "x".into(), "y".into()]);
        tally.add("r2", &["x".into()]);
        assert_eq!(tally.ranked()[0], ("x", 2, &["r1".to_string(), "r2".to_string()][..]));
        assert_eq!(tally.records, 2);
    }

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
