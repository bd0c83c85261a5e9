//! What a large body of text says about words the annotations never show: the Brown cluster of
//! each word and how it is usually capitalized, from the statistics spaCy distributed with its
//! version 2 English models (the `spacy-lookups-data` package: `en_lexeme_cluster.json.gz` and
//! `en_lexeme_prob.json.gz`, MIT licence; see NOTICE).
//!
//! Our own clusters ([`super::clusters`]) come from about 575,000 words of licence-clean text;
//! those statistics come from far more, so that they put "Toyota" with "Honda", "Walmart" and
//! "NASA", and "Baghdad" with "Iraq" and "Russia". A word written in lowercase that is almost
//! always capitalized elsewhere ("google", "firefox") is likely a name that web text did not
//! capitalize.
//!
//! Each word (lowercased, digits folded: [`super::features::lower_key`]) gets [`COLUMNS`] small
//! numbers, 0 for "unknown": its Brown cluster path cut to two lengths and whole, and its case
//! profile ([`case_profile`]).
//!
//! **Invariant:** [`WordLexicon::from_spacy`] is deterministic: the same files give the same
//! lexicon (entries are sorted before anything is numbered).

use super::features::{lower_form, lower_key};
use crate::error::{Error, ErrorKind, Location, Result};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Brown path prefixes of 6 and 10 bits, the whole path, and the case profile.
pub const COLUMNS: usize = 4;

/// Words without a cluster are kept if their log probability is above this: 119,000 words.
const MIN_LOG_PROB: f64 = -17.0;

/// Words and their columns, by word key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordLexicon {
    pub(crate) words: FxHashMap<u64, [u16; COLUMNS]>,
}

impl WordLexicon {
    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Builds the lexicon from spaCy's cluster and probability tables (JSON objects from word to
    /// number, as in `spacy-lookups-data`); `names` name them in errors. Words with a cluster
    /// are kept, and words more frequent than [`MIN_LOG_PROB`] for their case profile (many
    /// frequent names, "Google" and "Obama" among them, have no cluster there).
    pub fn from_spacy(clusters: &str, probs: &str, names: [&str; 2]) -> Result<WordLexicon> {
        let clusters: BTreeMap<String, u64> = parse(clusters, names[0])?;
        let probs: BTreeMap<String, f64> = parse(probs, names[1])?;
        // Per normalized word: the cluster of its most probable clustered variant (with that
        // probability), and the probability mass of its lowercase and capitalized variants.
        #[derive(Default)]
        struct Variants {
            cluster: Option<(f64, u64)>,
            lower: f64,
            capitalized: f64,
        }
        let mut words: BTreeMap<String, Variants> = BTreeMap::new();
        for (word, &cluster) in &clusters {
            if cluster == 0 || word.trim().is_empty() {
                continue;
            }
            let prob = probs.get(word).copied().unwrap_or(f64::NEG_INFINITY);
            let entry = words.entry(lower_form(word)).or_default();
            if entry.cluster.is_none_or(|(best, _)| prob > best) {
                entry.cluster = Some((prob, cluster));
            }
        }
        for (word, &prob) in &probs {
            if prob > MIN_LOG_PROB && word.chars().any(char::is_alphabetic) {
                words.entry(lower_form(word)).or_default();
            }
        }
        for (word, &prob) in &probs {
            if let Some(entry) = words.get_mut(&lower_form(word)) {
                let first = word.chars().find(|c| c.is_alphabetic());
                if first.is_some_and(char::is_uppercase) {
                    entry.capitalized += prob.exp();
                } else if first.is_some() {
                    entry.lower += prob.exp();
                }
            }
        }
        let mut paths: Vec<u64> = words.values().filter_map(|v| v.cluster.map(|(_, path)| path)).collect();
        paths.sort_unstable();
        paths.dedup();
        let dense: FxHashMap<u64, u16> =
            paths.iter().enumerate().map(|(idx, &path)| (path, (idx + 1).min(usize::from(u16::MAX)) as u16)).collect();
        let mut lexicon = WordLexicon::default();
        for (word, variants) in words {
            // spaCy stores a path with its first bit lowest, so a prefix is the low bits.
            let [coarse, fine, whole] = match variants.cluster {
                Some((_, path)) => {
                    [1 + (path & 0x3f) as u16, 1 + (path & 0x3ff) as u16, dense.get(&path).copied().unwrap_or(0)]
                }
                None => [0; 3],
            };
            let profile = case_profile(variants.lower, variants.capitalized);
            lexicon.words.insert(lower_key(&word), [coarse, fine, whole, profile]);
        }
        Ok(lexicon)
    }
}

/// How a word is capitalized in the large text: the share of its capitalized variants in six
/// steps, times how frequent it is in four (1 to 24; 0 without letters).
fn case_profile(lower: f64, capitalized: f64) -> u16 {
    let total = lower + capitalized;
    if total <= 0.0 {
        return 0;
    }
    let share = capitalized / total;
    let share_step = [0.05, 0.25, 0.5, 0.75, 0.95].iter().filter(|&&bound| share >= bound).count() as u16;
    // Log probabilities: about -4 for "the", -10 for "Firefox", -18 for the rarest.
    let frequency_step = [-8.0, -11.0, -14.0].iter().filter(|&&bound| total.ln() < bound).count() as u16;
    1 + share_step * 4 + frequency_step
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, name: &str) -> Result<BTreeMap<String, T>> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(ErrorKind::Model, Location::file(name), format!("not a JSON object of words to numbers: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_columns_from_clusters_and_probabilities() {
        let clusters = r#"{"Microsoft": 806, "Toyota": 38, "the": 11, "rare": 0, "Google": 0}"#;
        let probs = r#"{"Microsoft": -10.5, "microsoft": -14.0, "Toyota": -11.0, "the": -3.5, "The": -6.0,
            "Google": -9.5, "rare": -18.0}"#;
        let lexicon = WordLexicon::from_spacy(clusters, probs, ["c", "p"]).unwrap();
        assert_eq!(lexicon.len(), 4);
        let microsoft = lexicon.words[&lower_key("MICROSOFT")];
        let toyota = lexicon.words[&lower_key("toyota")];
        // 806 and 38 share their first six bits (the low ones), not their first ten.
        assert_eq!(microsoft[0], toyota[0]);
        assert_ne!(microsoft[1], toyota[1]);
        assert_ne!(microsoft[2], toyota[2]);
        // Mostly capitalized and fairly frequent; "the" mostly lowercase and very frequent.
        assert_eq!(microsoft[3], case_profile((-14.0f64).exp(), (-10.5f64).exp()));
        assert!(microsoft[3] > lexicon.words[&lower_key("the")][3]);
        // A frequent word without a cluster has its case profile only; a rare one nothing.
        let google = lexicon.words[&lower_key("google")];
        assert_eq!(google[..3], [0, 0, 0]);
        assert_eq!(google[3], case_profile(0.0, (-9.5f64).exp()));
        assert!(!lexicon.words.contains_key(&lower_key("rare")));
        assert!(WordLexicon::from_spacy("[1, 2]", "{}", ["c", "p"]).is_err());
    }

    #[test]
    fn profiles_case() {
        assert_eq!(case_profile(0.0, 0.0), 0);
        // Always lowercase and very frequent: the first step of both.
        assert_eq!(case_profile(0.03, 0.0), 1);
        // Always capitalized and rare.
        assert_eq!(case_profile(0.0, 1e-7), 1 + 5 * 4 + 3);
    }
}
