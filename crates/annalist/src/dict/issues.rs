//! The PETRARCH issues list: phrases that tag a sentence with an issue code.
//!
//! ```text
//! <ISSUE CATEGORY="EDUCATION" TYPE="ALL">
//! n:teacher [TEACHERS]             n: singular and plural
//! ethnic v:purge [ID_ATROCITY]     v: the regular verb forms
//! pre+n:school [EARLY_EDUCATION]   +: both "pre school" and "pre-school"
//! ~a head start                    ~: a phrase that cancels issue coding in the sentence
//! ~~Armenian genocide              ~~: ... in the story
//! </ISSUE>
//! ```

use super::agents::plural;
use super::lines::lines;
use super::normalize::phrase_key;
use super::verbs::regular_forms;
use super::{Provenance, Source};
use crate::error::{Error, ErrorKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuePhrase {
    /// The line as written, without code and comment.
    pub text: String,
    /// Normalized keys of every form the line expands to.
    pub forms: Vec<String>,
    pub kind: IssueKind,
    /// The `<ISSUE CATEGORY="...">` section it is in.
    pub category: Option<String>,
    pub provenance: Provenance,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IssueKind {
    /// Tags the sentence with this code.
    Code(String),
    /// `~`: no issue coding for the sentence.
    IgnoreSentence,
    /// `~~`: no issue coding for the story.
    IgnoreStory,
}

/// Reads an issues list. Bad lines are reported in `errors` and skipped.
pub fn parse(source: &Source<'_>, errors: &mut Vec<Error>) -> Vec<IssuePhrase> {
    let mut phrases = Vec::new();
    let mut category = None;
    for line in lines(source.text) {
        let text = line.text.trim();
        let error = |message: String| Error::new(ErrorKind::Dictionary, source.location(line.number), message);
        if let Some(tag) = text.strip_prefix("<ISSUE") {
            category = tag
                .split_once("CATEGORY=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(name, _)| name.to_string());
            continue;
        }
        if text.starts_with("</ISSUE") {
            category = None;
            continue;
        }
        let (body, kind) = if let Some(body) = text.strip_prefix("~~") {
            (body.trim(), IssueKind::IgnoreStory)
        } else if let Some(body) = text.strip_prefix('~') {
            (body.trim(), IssueKind::IgnoreSentence)
        } else {
            let Some(open) = text.find('[') else {
                errors.push(error(format!("issue phrase {text:?} has no [CODE]")));
                continue;
            };
            let Some(close) = text[open..].find(']').map(|c| open + c) else {
                errors.push(error(format!("missing ']' in {text:?}")));
                continue;
            };
            let code = text[open + 1..close].trim();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                errors.push(error(format!("issue code {code:?} should be letters, digits, '_' and '-'")));
                continue;
            }
            (text[..open].trim(), IssueKind::Code(code.to_string()))
        };
        let mut forms: Vec<String> = Vec::new();
        for key in expand(body).iter().map(|form| phrase_key(form)) {
            if !key.is_empty() && !forms.contains(&key) {
                forms.push(key);
            }
        }
        if forms.is_empty() {
            errors.push(error(format!("issue phrase {text:?} has no words")));
            continue;
        }
        phrases.push(IssuePhrase {
            text: body.to_string(),
            forms,
            kind,
            category: category.clone(),
            provenance: Provenance { file: source.id, line: line.number },
        });
    }
    phrases
}

/// Expands `n:`, `v:` and `+` as PETRARCH does, with English spelling for the forms.
fn expand(phrase: &str) -> Vec<String> {
    let mut forms = vec![String::new()];
    for word in phrase.split_whitespace() {
        let mut variants: Vec<String> = vec![word.to_string()];
        if word.contains('+') {
            variants = vec![word.replace('+', " "), word.replace('+', "-")];
        }
        let mut expanded = Vec::new();
        for variant in variants {
            if let Some((before, noun)) = split_marker(&variant, "n:") {
                expanded.push(format!("{before}{noun}"));
                expanded.push(format!("{before}{}", plural(noun)));
            } else if let Some((before, verb)) = split_marker(&variant, "v:") {
                expanded.push(format!("{before}{verb}"));
                expanded.extend(regular_forms(verb).iter().map(|form| format!("{before}{form}")));
            } else {
                expanded.push(variant);
            }
        }
        forms = forms
            .iter()
            .flat_map(|prefix| {
                expanded.iter().map(move |w| if prefix.is_empty() { w.clone() } else { format!("{prefix} {w}") })
            })
            .collect();
    }
    forms
}

fn split_marker<'a>(word: &'a str, marker: &str) -> Option<(&'a str, &'a str)> {
    let lower = word.to_ascii_lowercase();
    let at = lower.find(marker)?;
    Some((&word[..at], &word[at + marker.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::FileId;

    fn check(dictionary: &str, expect: &str) {
        let mut errors = Vec::new();
        let source = Source { id: FileId(0), name: "test.issues", text: dictionary };
        let phrases = parse(&source, &mut errors);
        let got = if errors.is_empty() {
            phrases
                .iter()
                .map(|p| {
                    let kind = match &p.kind {
                        IssueKind::Code(code) => code.clone(),
                        IssueKind::IgnoreSentence => "~".to_string(),
                        IssueKind::IgnoreStory => "~~".to_string(),
                    };
                    format!("{}:{}={}", p.category.as_deref().unwrap_or(""), kind, p.forms.join(","))
                })
                .collect::<Vec<_>>()
                .join(" | ")
        } else {
            crate::dict::render_errors(&errors)
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn expansion() {
        check(
            "<ISSUE CATEGORY=\"ED\" TYPE=\"ALL\">\nn:teacher [TEACHERS]\npre+n:school [EARLY]\n~a head start\n</ISSUE>\n~~Armenian genocide",
            "ED:TEACHERS=teacher,teachers | ED:EARLY=pre school,pre schools | ED:~=a head start | :~~=armenian genocide",
        );
        check("ethnic v:purge [ID_ATROCITY]", ":ID_ATROCITY=ethnic purge,ethnic purges,ethnic purged,ethnic purging");
        check("head start", "1: issue phrase \"head start\" has no [CODE]");
    }
}
