//! Part-of-speech tagging: a greedy left-to-right averaged perceptron over joint (UPOS, XPOS)
//! classes, after Collins (2002) and Honnibal's "A good part-of-speech tagger in about 200 lines".
//!
//! Frequent words that are nearly always one class are tagged from a dictionary without scoring
//! (faster, and no worse). Every other word is scored with features of its form (the word, its
//! affixes and shape), its neighbours' forms, the two previous predicted tags, and the
//! "ambiguity classes" of the word and the next two words: the set of classes each was seen with
//! in training, which stands in for the tags to the right that a greedy tagger has not predicted.
//!
//! A second pass tags the sentence again, left to right, with the first pass's tags of the words
//! to the right as extra features: `that` before a clause is a subordinator, before a noun a
//! determiner, and `up` before a noun phrase a preposition. The second pass learns from first-pass
//! tags predicted by taggers that did not see the sentence (jackknifing), so it learns how far to
//! trust them.
//!
//! The second pass rescores only the words the first was unsure of: where the first pass's best
//! class beat the runner-up by more than a margin measured on development data ([`Tagger::sure`]),
//! the second pass never changed a tag there. That skips 62% of the words it would score on EWT
//! dev.

use super::hash::{hash_str, key1, key2, key3, StrHasher};
use super::perceptron::Weights;
use super::Upos;
use rustc_hash::FxHashMap;

/// A tag class: one (UPOS, XPOS) pair seen in training.
pub(crate) type Class = (Upos, &'static str);

/// What the tagger knows about words beyond its weights.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lexicon {
    /// Normalized form (case kept) to the class it nearly always has.
    pub(crate) dict: FxHashMap<u64, u16>,
    /// Lowercased normalized form to its ambiguity class (a hash of its sorted class set).
    pub(crate) ambiguity: FxHashMap<u64, u64>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Tagger {
    pub(crate) classes: Vec<Class>,
    pub(crate) lexicon: Lexicon,
    pub(crate) weights: Weights,
    /// The second pass's weights; empty for a one-pass tagger.
    pub(crate) second: Weights,
    /// The first-pass margin (best class's score minus the runner-up's) above which a word keeps
    /// its first-pass tag without being rescored: the largest margin at which the second pass
    /// changed a tag of the development data ([`Tagger::calibrate`]). `None`: rescore every word.
    pub(crate) sure: Option<f32>,
}

impl Tagger {
    /// The class of each form.
    pub(crate) fn tag(&self, forms: &[&str]) -> Vec<u16> {
        let words = prepare(&self.lexicon, forms);
        let mut margins = Vec::new();
        let first = self.pass_observed(&words, &self.weights, None, Some(&mut margins), &mut |_| {});
        if self.second.len() == 0 {
            return first;
        }
        let sure = self.sure.unwrap_or(f32::INFINITY);
        let keep: Vec<bool> = margins.iter().map(|&margin| margin > sure).collect();
        self.pass_observed(&words, &self.second, Some((&first, &keep)), None, &mut |_| {})
    }

    /// The first pass alone.
    pub(crate) fn tag_first(&self, forms: &[&str]) -> Vec<u16> {
        self.pass(&prepare(&self.lexicon, forms), &self.weights, None)
    }

    /// One left-to-right pass over every word, with the tags of a first pass when this is the
    /// second.
    pub(crate) fn pass(&self, words: &[Word], weights: &Weights, first: Option<&[u16]>) -> Vec<u16> {
        self.pass_observed(words, weights, first.map(|tags| (tags, &[][..])), None, &mut |_| {})
    }

    /// One left-to-right pass. A second pass gets the first pass's tags, and keeps those of the
    /// words marked `true` in the slice beside them (which may be shorter). `margins` gets each
    /// word's margin: how much its best class outscored the runner-up (infinite where nothing
    /// was scored). `observe` sees every feature vector scored: how training finds the hot
    /// features.
    pub(crate) fn pass_observed<F: FnMut(&[u64])>(
        &self,
        words: &[Word],
        weights: &Weights,
        first: Option<(&[u16], &[bool])>,
        mut margins: Option<&mut Vec<f32>>,
        observe: &mut F,
    ) -> Vec<u16> {
        let mut tags: Vec<u16> = Vec::with_capacity(words.len());
        let mut features = Vec::with_capacity(48);
        let mut scores = vec![0f32; weights.n_classes()];
        for i in 0..words.len() {
            let kept = match first {
                _ if words[i].dict.is_some() => words[i].dict,
                Some((first, keep)) if keep.get(i) == Some(&true) => first.get(i).copied(),
                _ => None,
            };
            if let Some(class) = kept {
                tags.push(class);
                if let Some(margins) = margins.as_deref_mut() {
                    margins.push(f32::INFINITY);
                }
                continue;
            }
            features.clear();
            extract(words, i, &tags, &mut features);
            if let Some((first, _)) = first {
                extract_right(words, i, &tags, first, &mut features);
            }
            observe(&features);
            scores.iter_mut().for_each(|s| *s = 0.0);
            weights.score(&features, &mut scores);
            let best = argmax(&scores);
            if let Some(margins) = margins.as_deref_mut() {
                let runner_up = scores.iter().enumerate().filter(|&(idx, _)| idx != best).map(|(_, &s)| s);
                margins.push(scores[best] - runner_up.fold(f32::NEG_INFINITY, f32::max));
            }
            tags.push(best as u16);
        }
        tags
    }

    /// The margin for [`Tagger::sure`]: the largest first-pass margin of a word of `sentences`
    /// whose tag the second pass changed, so that skipping the words above it changes no tag of
    /// `sentences`. Also returns the share of first-pass-scored words that would be skipped.
    /// `None` without a second pass or without scored words.
    pub(crate) fn calibrate(&self, sentences: &[Vec<&str>]) -> Option<(f32, f64)> {
        if self.second.len() == 0 {
            return None;
        }
        let mut all_margins = Vec::new();
        let mut largest_changed = 0f32;
        for forms in sentences {
            let words = prepare(&self.lexicon, forms);
            let mut margins = Vec::new();
            let first = self.pass_observed(&words, &self.weights, None, Some(&mut margins), &mut |_| {});
            let second = self.pass(&words, &self.second, Some(&first));
            for ((&margin, a), b) in margins.iter().zip(&first).zip(&second) {
                if a != b {
                    largest_changed = largest_changed.max(margin);
                }
            }
            all_margins.extend(margins.into_iter().filter(|m| m.is_finite()));
        }
        if all_margins.is_empty() {
            return None;
        }
        let skipped = all_margins.iter().filter(|&&m| m > largest_changed).count();
        Some((largest_changed, skipped as f64 / all_margins.len() as f64))
    }
}

/// The second pass's extra features: the first pass's tags of this word and the next two.
pub(crate) fn extract_right(words: &[Word], i: usize, tags: &[u16], first: &[u16], out: &mut Vec<u64>) {
    let at = |j: usize| first.get(j).map_or(END, |&tag| u64::from(tag));
    let (own, next, next2) = (at(i), at(i + 1), at(i + 2));
    let p1 = if i >= 1 { u64::from(tags[i - 1]) } else { NO_TAG };
    let word = &words[i];
    out.push(key1(50, own));
    out.push(key1(51, next));
    out.push(key1(52, next2));
    out.push(key2(53, next, next2));
    out.push(key2(54, p1, next));
    out.push(key3(55, p1, own, next));
    out.push(key2(56, word.lower, next));
    out.push(key2(57, word.suffixes[2], next));
    out.push(key2(58, word.ambiguity, next));
    out.push(key2(59, own, word.lower));
}

/// Index of the highest score; the first on ties, so results are deterministic.
pub(crate) fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (idx, &score) in scores.iter().enumerate() {
        if score > scores[best] {
            best = idx;
        }
    }
    best
}

/// The hashed views of a word that features are made of.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    lower: u64,
    exact: u64,
    prefixes: [u64; 3],
    suffixes: [u64; 4],
    shape: u64,
    ambiguity: u64,
    dict: Option<u16>,
}

impl Word {
    /// The class the tag dictionary gives this word, if it is frequent and unambiguous.
    pub(crate) fn dict_class(&self) -> Option<u16> {
        self.dict
    }
}

/// Stand-ins for the words before the first and after the last.
const START: u64 = 0x0053_5441_5254;
const END: u64 = 0x0045_4e44;
/// Stand-in for "no tag" before the first word.
const NO_TAG: u64 = 0xffff;
/// The ambiguity class of a word the lexicon does not know.
const UNKNOWN: u64 = 0x0055_4e4b;

/// Folds typographic quotes into ASCII ones and digits into `0`, so that `’s` is `'s` and years
/// share statistics; `lower` also lowercases.
pub(crate) fn normalize(form: &str, lower: bool) -> String {
    let mut out = String::with_capacity(form.len());
    for c in form.chars() {
        match c {
            '’' | '‘' | '`' | '′' => out.push('\''),
            '“' | '”' | '„' | '″' => out.push('"'),
            '0'..='9' => out.push('0'),
            c if lower => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    out
}

/// The word's shape: `X` for capitals, `x` for small letters, `d` for digits, other characters
/// as they are, with runs collapsed (`Putin` is `Xx`, `1,000` is `d,d`), plus whether it is long.
/// Returns the hash of that shape string, computed as it is read (no string is built).
pub(crate) fn shape(form: &str) -> u64 {
    let mut hash = StrHasher::new();
    let mut last = None;
    let mut n_chars = 0;
    for c in form.chars() {
        n_chars += 1;
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if last != Some(class) {
            hash.push(class);
            last = Some(class);
        }
    }
    if n_chars > 5 {
        hash.push('+');
    }
    hash.finish()
}

pub(crate) fn prepare(lexicon: &Lexicon, forms: &[&str]) -> Vec<Word> {
    forms
        .iter()
        .map(|form| {
            let exact = normalize(form, false);
            let lower = normalize(form, true);
            let (prefixes, suffixes) = affixes(&lower);
            let exact_hash = hash_str(&exact);
            let lower_hash = hash_str(&lower);
            Word {
                lower: lower_hash,
                exact: exact_hash,
                prefixes,
                suffixes,
                shape: shape(form),
                ambiguity: lexicon.ambiguity.get(&lower_hash).copied().unwrap_or(UNKNOWN),
                dict: lexicon.dict.get(&exact_hash).copied(),
            }
        })
        .collect()
}

/// The hashes of a word's first one to three and last one to four characters (the whole word
/// where it is shorter).
pub(crate) fn affixes(lower: &str) -> ([u64; 3], [u64; 4]) {
    let mut prefixes = [0u64; 3];
    let mut suffixes = [0u64; 4];
    // Where the first one, two and three characters end, and where the last one to four begin.
    let mut ends = lower.char_indices().skip(1).map(|(idx, _)| idx).chain(std::iter::repeat(lower.len()));
    for (prefix, end) in prefixes.iter_mut().zip(&mut ends) {
        *prefix = hash_str(&lower[..end]);
    }
    let mut starts = lower.char_indices().rev().map(|(idx, _)| idx).chain(std::iter::repeat(0));
    for (suffix, start) in suffixes.iter_mut().zip(&mut starts) {
        *suffix = hash_str(&lower[start..]);
    }
    (prefixes, suffixes)
}

/// Features of word `i`, given the classes predicted for the words before it.
pub(crate) fn extract(words: &[Word], i: usize, tags: &[u16], out: &mut Vec<u64>) {
    let word = &words[i];
    let lower_at = |j: isize| -> u64 {
        if j < 0 {
            START
        } else {
            words.get(j as usize).map_or(END, |w| w.lower)
        }
    };
    let ii = i as isize;
    let prev = |k: usize| if i >= k { u64::from(tags[i - k]) } else { NO_TAG };
    let (p1, p2) = (prev(1), prev(2));
    let next = words.get(i + 1);
    let next2 = words.get(i + 2);
    let prev_word = if i > 0 { words.get(i - 1) } else { None };
    let amb_next = next.map_or(END, |w| w.ambiguity);
    let amb_next2 = next2.map_or(END, |w| w.ambiguity);
    out.push(key1(0, 0));
    out.push(key1(1, word.lower));
    out.push(key1(2, word.exact));
    for (k, &suffix) in word.suffixes.iter().enumerate() {
        out.push(key1(3 + k as u32, suffix));
    }
    for (k, &prefix) in word.prefixes.iter().enumerate() {
        out.push(key1(7 + k as u32, prefix));
    }
    out.push(key1(10, word.shape));
    out.push(key2(11, word.shape, u64::from(i == 0)));
    out.push(key1(12, lower_at(ii - 1)));
    out.push(key1(13, lower_at(ii - 2)));
    out.push(key1(14, lower_at(ii + 1)));
    out.push(key1(15, lower_at(ii + 2)));
    out.push(key1(16, p1));
    out.push(key1(17, p2));
    out.push(key2(18, p1, p2));
    out.push(key2(19, p1, word.lower));
    out.push(key1(20, prev_word.map_or(START, |w| w.suffixes[2])));
    out.push(key1(21, next.map_or(END, |w| w.suffixes[2])));
    out.push(key1(22, next.map_or(END, |w| w.shape)));
    out.push(key1(23, prev_word.map_or(START, |w| w.shape)));
    out.push(key2(24, lower_at(ii - 1), word.lower));
    out.push(key2(25, word.lower, lower_at(ii + 1)));
    out.push(key1(26, word.ambiguity));
    out.push(key1(27, amb_next));
    out.push(key1(28, amb_next2));
    out.push(key2(29, p1, amb_next));
    out.push(key2(30, word.ambiguity, amb_next));
    out.push(key2(31, p1, word.suffixes[2]));
    out.push(key2(32, p1, word.shape));
    out.push(key3(33, p1, word.ambiguity, amb_next));
    out.push(key2(34, word.suffixes[1], amb_next));
    out.push(key2(35, p1, lower_at(ii + 1)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(form: &str, expect: &str) {
        assert_eq!(normalize(form, true), expect);
    }

    #[test]
    fn normalizes_quotes_digits_and_case() {
        check("Syria’s", "syria's");
        check("1944", "0000");
        check("“Critical”", "\"critical\"");
        check("", "");
    }

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Putin"), hash_str("Xx"));
        assert_eq!(shape("1,000"), hash_str("d,d"));
        assert_eq!(shape("Moscow"), hash_str("Xx+"));
    }

    #[test]
    fn affixes_are_the_first_and_last_characters() {
        let h = hash_str;
        assert_eq!(affixes("putin"), ([h("p"), h("pu"), h("put")], [h("n"), h("in"), h("tin"), h("utin")]));
        assert_eq!(affixes("éa"), ([h("é"), h("éa"), h("éa")], [h("a"), h("éa"), h("éa"), h("éa")]));
        assert_eq!(affixes(""), ([h(""); 3], [h(""); 4]));
    }

    #[test]
    fn extracts_a_fixed_number_of_features() {
        let lexicon = Lexicon::default();
        let words = prepare(&lexicon, &["A", "é", ""]);
        let mut out = Vec::new();
        for i in 0..words.len() {
            out.clear();
            extract(&words, i, &[1, 2, 3][..i], &mut out);
            assert_eq!(out.len(), 36);
        }
    }
}
