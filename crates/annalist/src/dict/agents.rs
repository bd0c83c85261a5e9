//! The PETRARCH agent dictionary format: role nouns whose code combines with an actor's.
//!
//! ```text
//! !MINIST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES     a substitution set
//! ARMY [~MIL]                  "Syrian army": SYR + MIL = SYRMIL (plural ARMIES made for us)
//! POLICE {} [~COP]             `{}`: no plural
//! ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]              an irregular plural
//! HUMAN_RIGHTS_BODY [NGO~]     `~` after the code: the code goes before the actor's (NGOSYR)
//! !MINIST!_OF_INTERIOR [~GOV]  one entry per member of the set, no plurals
//! ```
//!
//! Plurals: PETRARCH adds `IES` to every root ending in `Y` and `S` otherwise; we form English
//! plurals (`ATTORNEY` → `ATTORNEYS`, `SECRETARY` → `SECRETARIES`, `BOSS` → `BOSSES`) because the
//! plural is what matches article text.

use super::lines::lines;
use super::normalize::phrase_key;
use super::{Provenance, Source};
use crate::error::{Error, ErrorKind};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// One agent phrase (singular or plural form) and its code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentEntry {
    /// The phrase as generated from the dictionary line (`ARMIES`, `MINISTRY_OF_INTERIOR`).
    pub phrase: String,
    pub key: String,
    pub code: AgentCode,
    pub provenance: Provenance,
}

/// An agent code and which side of the actor's code it goes on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgentCode {
    /// Without the `~`: `MIL`, `GOV`, `NGO`.
    pub code: String,
    pub placement: Placement,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Placement {
    /// `[~MIL]`: after the actor's code (SYR → SYRMIL). The usual case.
    After,
    /// `[NGO~]`: before the actor's code (SYR → NGOSYR), used for organizations.
    Before,
}

impl AgentCode {
    /// The code of an actor (`SYR`, or none when the agent stands alone) in this role.
    ///
    /// An agent code the actor's code already ends with (or starts with, for [`Placement::Before`])
    /// is not added twice: "the Russian government's ministers" stay RUSGOV, not RUSGOVGOV.
    pub fn apply(&self, actor: Option<&str>) -> String {
        let actor = actor.unwrap_or("");
        match self.placement {
            Placement::After if actor.len() > 3 && actor[3..].starts_with(&self.code) => actor.to_string(),
            Placement::After => format!("{actor}{}", self.code),
            Placement::Before if actor.starts_with(&self.code) => actor.to_string(),
            Placement::Before => format!("{}{actor}", self.code),
        }
    }
}

impl std::fmt::Display for AgentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.placement {
            Placement::After => write!(f, "~{}", self.code),
            Placement::Before => write!(f, "{}~", self.code),
        }
    }
}

/// Reads an agent dictionary. Bad lines are reported in `errors` and skipped.
pub fn parse(source: &Source<'_>, errors: &mut Vec<Error>) -> Vec<AgentEntry> {
    let mut sets: FxHashMap<String, Vec<String>> = FxHashMap::default();
    let mut entries = Vec::new();
    for line in lines(source.text) {
        let text = line.text.trim();
        let error = |message: String| Error::new(ErrorKind::Dictionary, source.location(line.number), message);
        let provenance = Provenance { file: source.id, line: line.number };
        if text.starts_with('!') && text.contains('=') {
            match read_set(text) {
                Ok((name, members)) => {
                    sets.insert(name, members);
                }
                Err(message) => errors.push(error(message)),
            }
            continue;
        }
        let Some(open) = text.find('[') else {
            errors.push(error(format!("agent {text:?} has no [code]")));
            continue;
        };
        let Some(close) = text[open..].find(']').map(|c| open + c) else {
            errors.push(error(format!("missing ']' in {text:?}")));
            continue;
        };
        let code = match read_code(&text[open + 1..close]) {
            Ok(code) => code,
            Err(message) => {
                errors.push(error(message));
                continue;
            }
        };
        let rest = text[close + 1..].trim();
        if !rest.is_empty() && !rest.starts_with(';') {
            errors.push(error(format!("unexpected text {rest:?} after the code")));
        }
        let head = text[..open].trim();
        let forms = match expand(head, &sets) {
            Ok(forms) => forms,
            Err(message) => {
                errors.push(error(message));
                continue;
            }
        };
        for phrase in forms {
            let key = phrase_key(&phrase);
            if key.is_empty() {
                errors.push(error(format!("agent phrase {phrase:?} has no words")));
                continue;
            }
            entries.push(AgentEntry { phrase, key, code: code.clone(), provenance });
        }
    }
    entries
}

/// `!PERSON! = MAN, MEN, WOMAN` → ("PERSON", [MAN, MEN, WOMAN]).
fn read_set(text: &str) -> Result<(String, Vec<String>), String> {
    let (marker, members) = text.split_once('=').ok_or_else(|| format!("substitution set {text:?} has no '='"))?;
    let name = marker.trim().strip_prefix('!').and_then(|m| m.strip_suffix('!'));
    let Some(name) = name.filter(|n| !n.is_empty() && !n.contains('!')) else {
        return Err(format!("substitution marker {:?} should look like !NAME!", marker.trim()));
    };
    let members: Vec<String> = members.split(',').map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect();
    if members.is_empty() {
        return Err(format!("substitution set !{name}! is empty"));
    }
    Ok((name.to_string(), members))
}

/// `~GOV` or `NGO~`, spaces allowed around.
fn read_code(inside: &str) -> Result<AgentCode, String> {
    let code = inside.trim();
    let (code, placement) = if let Some(code) = code.strip_prefix('~') {
        (code, Placement::After)
    } else if let Some(code) = code.strip_suffix('~') {
        (code, Placement::Before)
    } else {
        return Err(format!("agent code {code:?} needs a '~' before it (~GOV) or after it (NGO~)"));
    };
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("agent code {inside:?} should be letters with one '~'"));
    }
    Ok(AgentCode { code: code.to_string(), placement })
}

/// The phrases one dictionary line stands for: substitution sets expanded, or the singular and its
/// plural.
fn expand(head: &str, sets: &FxHashMap<String, Vec<String>>) -> Result<Vec<String>, String> {
    if let Some(start) = head.find('!') {
        let after = &head[start + 1..];
        let end = after.find('!').ok_or_else(|| format!("substitution marker in {head:?} is not closed with '!'"))?;
        let name = &after[..end];
        let members = sets.get(name).ok_or_else(|| format!("substitution set !{name}! is not defined above"))?;
        let (before, after) = (&head[..start], &after[end + 1..]);
        // The members are complete forms: no plurals are added (PETRARCH's rule).
        let mut forms = Vec::new();
        for member in members {
            let form = format!("{before}{member}{after}");
            if form.contains('!') {
                forms.extend(expand(&form, sets)?);
            } else {
                forms.push(strip_braces(&form));
            }
        }
        return Ok(forms);
    }
    match head.find('{') {
        Some(open) => {
            let close = head.find('}').filter(|&c| c > open).ok_or_else(|| format!("missing '}}' in {head:?}"))?;
            let singular = head[..open].trim();
            let plural = head[open + 1..close].trim();
            if !head[close + 1..].trim().is_empty() {
                return Err(format!("unexpected text after '}}' in {head:?}"));
            }
            let mut forms = vec![singular.to_string()];
            if !plural.is_empty() {
                forms.push(plural.to_string());
            }
            Ok(forms)
        }
        None => Ok(vec![head.to_string(), plural(head)]),
    }
}

fn strip_braces(form: &str) -> String {
    match form.find('{') {
        Some(open) => form[..open].trim().to_string(),
        None => form.trim().to_string(),
    }
}

/// The regular English plural of a phrase's last word, keeping its trailing `_` if any.
pub fn plural(phrase: &str) -> String {
    let (root, tail) = match phrase.strip_suffix('_') {
        Some(root) => (root, "_"),
        None => (phrase, ""),
    };
    let upper = root.to_ascii_uppercase();
    let before_last = upper.chars().rev().nth(1);
    let is_vowel = |c: Option<char>| matches!(c, Some('A' | 'E' | 'I' | 'O' | 'U'));
    let plural = if upper.ends_with('Y') && !is_vowel(before_last) {
        format!("{}IES", &root[..root.len() - 1])
    } else if ["S", "X", "Z", "CH", "SH"].iter().any(|end| upper.ends_with(end)) {
        format!("{root}ES")
    } else {
        format!("{root}S")
    };
    format!("{plural}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::FileId;

    /// Entries rendered `PHRASE code`, joined by ` | `, or the errors `line: message`.
    fn check(dictionary: &str, expect: &str) {
        let mut errors = Vec::new();
        let source = Source { id: FileId(0), name: "test.agents", text: dictionary };
        let entries = parse(&source, &mut errors);
        let got = if errors.is_empty() {
            entries.iter().map(|e| format!("{} {}", e.phrase, e.code)).collect::<Vec<_>>().join(" | ")
        } else {
            crate::dict::render_errors(&errors)
        };
        assert_eq!(got, expect, "dictionary: {dictionary:?}");
    }

    #[test]
    fn entries() {
        check("ARMY [~MIL]", "ARMY ~MIL | ARMIES ~MIL");
        check("ATTORNEY [~JUD]", "ATTORNEY ~JUD | ATTORNEYS ~JUD");
        check("POLICE {} [ ~COP] # JON", "POLICE ~COP");
        check("ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]", "ATTORNEY_GENERAL ~GOV | ATTORNEYS_GENERAL ~GOV");
        check(
            "HUMAN_RIGHTS_ORGANIZATION  [  NGO~]",
            "HUMAN_RIGHTS_ORGANIZATION NGO~ | HUMAN_RIGHTS_ORGANIZATIONS NGO~",
        );
        check("BOSS [~BUS]", "BOSS ~BUS | BOSSES ~BUS");
        check(
            "!PERSON! = MAN, MEN\nCONGRESS!PERSON! [~LEG]\n!PERSON!_OF_GOD [~REL]",
            "CONGRESSMAN ~LEG | CONGRESSMEN ~LEG | MAN_OF_GOD ~REL | MEN_OF_GOD ~REL",
        );
        check("HUSBAND!P![~AGR]\n", "1: substitution set !P! is not defined above");
    }

    #[test]
    fn errors() {
        check("ISLAMIC_EXTREMIST", "1: agent \"ISLAMIC_EXTREMIST\" has no [code]");
        check("X [GOV]", "1: agent code \"GOV\" needs a '~' before it (~GOV) or after it (NGO~)");
        check("X {Y [~GOV]", "1: missing '}' in \"X {Y\"");
        check("!BAD = A", "1: substitution marker \"!BAD\" should look like !NAME!");
    }

    #[test]
    fn apply() {
        let code = |code: &str, placement| AgentCode { code: code.to_string(), placement };
        assert_eq!(code("MIL", Placement::After).apply(Some("SYR")), "SYRMIL");
        assert_eq!(code("GOV", Placement::After).apply(Some("RUSGOV")), "RUSGOV");
        assert_eq!(code("NGO", Placement::Before).apply(Some("SYR")), "NGOSYR");
        assert_eq!(code("GOV", Placement::After).apply(None), "GOV");
    }
}
