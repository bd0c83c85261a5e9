//! The PETRARCH discard list: phrases that mark a sentence (or, with `+`, a whole story) as not
//! worth coding, such as sports results and historical chronologies.
//!
//! ```text
//! AFRICAN NATIONS CUP     # a sentence containing this is not coded
//! +ACADEMY AWARD          # a story containing this is not coded
//! BATSM                   # no trailing `_`: the last word is a stem (BATSMAN, BATSMEN)
//! WORLD CUP_              # trailing `_`: the last word must end there
//! ```
//!
//! Matching is over normalized article words ([`super::normalize`]), case-insensitive, as in
//! PETRARCH.

use super::lines::lines;
use super::normalize::phrase_key;
use super::{Provenance, Source};
use crate::error::{Error, ErrorKind};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discard {
    /// The phrase as written, without `+` and trailing `_`.
    pub text: String,
    /// Normalized words; the last is a stem unless `whole_word`.
    pub words: Vec<String>,
    pub scope: DiscardScope,
    pub whole_word: bool,
    pub provenance: Provenance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiscardScope {
    Sentence,
    Story,
}

/// Discards indexed for matching.
#[derive(Clone, Debug, Default)]
pub struct DiscardList {
    entries: Vec<Discard>,
    /// First word (exact) → entries; for one-word stems, the stem → entries.
    by_first: FxHashMap<String, Vec<usize>>,
    stems: FxHashMap<String, Vec<usize>>,
}

impl DiscardList {
    pub fn new(entries: Vec<Discard>) -> DiscardList {
        let mut list = DiscardList { entries, ..DiscardList::default() };
        for (index, discard) in list.entries.iter().enumerate() {
            let Some(first) = discard.words.first() else {
                continue;
            };
            if discard.words.len() == 1 && !discard.whole_word {
                list.stems.entry(first.clone()).or_default().push(index);
            } else {
                list.by_first.entry(first.clone()).or_default().push(index);
            }
        }
        list
    }

    pub fn entries(&self) -> &[Discard] {
        &self.entries
    }

    /// The first discard found in `words` (normalized, as [`super::normalize::normalize_word`]
    /// makes them), scanning left to right.
    pub fn find<S: AsRef<str>>(&self, words: &[S]) -> Option<&Discard> {
        for start in 0..words.len() {
            let word = words[start].as_ref();
            for (end, _) in word.char_indices().skip(1).chain(std::iter::once((word.len(), ' '))) {
                if let Some(found) = self.stems.get(&word[..end]).and_then(|ids| ids.first()) {
                    return Some(&self.entries[*found]);
                }
            }
            for &id in self.by_first.get(word).into_iter().flatten() {
                let discard = &self.entries[id];
                if matches_at(discard, &words[start..]) {
                    return Some(discard);
                }
            }
        }
        None
    }
}

fn matches_at<S: AsRef<str>>(discard: &Discard, words: &[S]) -> bool {
    if words.len() < discard.words.len() {
        return false;
    }
    let last = discard.words.len() - 1;
    discard.words.iter().zip(words).enumerate().all(|(index, (want, have))| {
        let have = have.as_ref();
        if index == last && !discard.whole_word {
            have.starts_with(want.as_str())
        } else {
            have == want
        }
    })
}

/// Reads a discard list. Bad lines are reported in `errors` and skipped.
pub fn parse(source: &Source<'_>, errors: &mut Vec<Error>) -> Vec<Discard> {
    let mut discards = Vec::new();
    for line in lines(source.text) {
        let text = line.text.trim();
        let (text, scope) = match text.strip_prefix('+') {
            Some(text) => (text.trim(), DiscardScope::Story),
            None => (text, DiscardScope::Sentence),
        };
        let (text, whole_word) = match text.strip_suffix('_') {
            Some(text) => (text, true),
            None => (text, false),
        };
        let key = phrase_key(text);
        if key.is_empty() {
            let location = source.location(line.number);
            errors.push(Error::new(
                ErrorKind::Dictionary,
                location,
                format!("discard {:?} has no words", line.text.trim()),
            ));
            continue;
        }
        discards.push(Discard {
            text: text.to_string(),
            words: key.split(' ').map(str::to_string).collect(),
            scope,
            whole_word,
            provenance: Provenance { file: source.id, line: line.number },
        });
    }
    discards
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::normalize::normalize_word;
    use crate::dict::FileId;

    /// The discard that `sentence` hits (`+` for story scope), or `-`.
    fn check(dictionary: &str, sentence: &str, expect: &str) {
        let mut errors = Vec::new();
        let source = Source { id: FileId(0), name: "test.discards", text: dictionary };
        let list = DiscardList::new(parse(&source, &mut errors));
        assert!(errors.is_empty(), "{errors:?}");
        let words: Vec<String> = sentence.split_whitespace().map(normalize_word).collect();
        let got = match list.find(&words) {
            Some(d) => format!("{}{}", if d.scope == DiscardScope::Story { "+" } else { "" }, d.text),
            None => "-".to_string(),
        };
        assert_eq!(got, expect, "sentence: {sentence:?}");
    }

    #[test]
    fn matching() {
        let list = "AFRICAN NATIONS CUP # ab\n+ACADEMY AWARD\nBATSM\nWORLD CUP_\n1941";
        check(list, "Egypt won the African Nations Cup on Sunday", "AFRICAN NATIONS CUP");
        check(list, "She won an Academy Award", "+ACADEMY AWARD");
        check(list, "Two batsmen were out", "BATSM");
        check(list, "The World Cup final", "WORLD CUP");
        check(list, "The World Cupboard", "-");
        check(list, "In 1941 Germany invaded", "1941");
        check(list, "Russia and Syria met", "-");
    }
}
