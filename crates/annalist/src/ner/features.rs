//! The features of a token for the entity tagger: its form (word, affixes, shape, case), its part
//! of speech, its neighbours' forms, shapes and tags (a window of two on each side), what the
//! gazetteer knows about it and its neighbours, the sentence's case profile, and the two labels
//! predicted before it.
//!
//! Feature keys are hashed with the tagger's fixed hash ([`crate::nlp::hash`]), so a model file
//! stays valid across builds. [`FEATURE_SET`] names this set of templates: change it whenever a
//! template changes, so that an old model is refused instead of silently misread.

use super::gazetteer::{Gazetteer, TokenFacts};
use crate::nlp::hash::{hash_str, key1, key2, key3};
use crate::nlp::Upos;
use rustc_hash::FxHashMap;

/// Written into the model file; a model trained with other templates does not load.
pub(crate) const FEATURE_SET: u32 = 2;

/// Stand-ins for the words before the first and after the last, and for "no label".
const START: u64 = 0x5354_4152_54;
const END: u64 = 0x454e_44;
const NO_LABEL: u64 = 0xff;

/// How a word is capitalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    Lower,
    /// `Putin`: a capital, then no other.
    Title,
    /// `NATO`, `U.S.`: two or more letters, all capitals.
    Upper,
    /// `McDonald`, `iPhone`.
    Mixed,
    /// `A`, `J.`: a single capital letter.
    Initial,
    /// No letters at all: numbers, punctuation, symbols.
    None,
}

fn case_of(form: &str) -> Case {
    let mut letters = 0;
    let mut upper = 0;
    let mut first_upper = false;
    for (idx, c) in form.chars().filter(|c| c.is_alphabetic()).enumerate() {
        letters += 1;
        if c.is_uppercase() {
            upper += 1;
            first_upper |= idx == 0;
        }
    }
    match (letters, upper) {
        (0, _) => Case::None,
        (_, 0) => Case::Lower,
        (1, 1) => Case::Initial,
        (l, u) if l == u => Case::Upper,
        (_, 1) if first_upper => Case::Title,
        _ => Case::Mixed,
    }
}

/// How the sentence as a whole is capitalized: a sentence without any capital (common in web
/// text) or one in capitals or title case (headlines) says little about names.
fn profile(cases: &[Case]) -> u64 {
    let letters: Vec<Case> = cases.iter().copied().filter(|case| *case != Case::None).collect();
    let n = letters.len().max(1);
    let count = |wanted: &[Case]| letters.iter().skip(1).filter(|case| wanted.contains(case)).count();
    if letters.iter().all(|case| *case == Case::Lower) {
        1
    } else if count(&[Case::Upper, Case::Initial]) * 10 >= n * 7 {
        2
    } else if count(&[Case::Title, Case::Upper, Case::Mixed]) * 10 >= n * 6 {
        3
    } else {
        0
    }
}

/// The hashed views of a token that features are made of.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    lower: u64,
    exact: u64,
    prefixes: [u64; 3],
    suffixes: [u64; 4],
    shape: u64,
    case: u64,
    upos: u64,
    xpos: u64,
    /// Actor dictionary: position, and position with the entry's file and code shape.
    dict: u64,
    dict_kind: u64,
    place: u64,
    group: u64,
    /// A cue word: a title, an organisation word or an agent, or 0.
    cue: u64,
    name_part: u64,
    /// The sentence's case profile (the same for every word of it).
    profile: u64,
}

/// Prepares the words of a sentence: `forms` are the tokens' surface forms, `tags` their parts of
/// speech from the tagger, `punct` whether each is punctuation.
pub(crate) fn prepare(forms: &[&str], tags: &[(Upos, &str)], punct: &[bool], gazetteer: &Gazetteer<'_>) -> Vec<Word> {
    let norm = super::gazetteer::normalized(forms);
    let facts = gazetteer.describe(&norm, punct);
    let cases: Vec<Case> = forms.iter().map(|form| case_of(form)).collect();
    let sentence_profile = profile(&cases);
    forms
        .iter()
        .enumerate()
        .map(|(idx, form)| {
            let exact = digits_folded(form);
            let lower = exact.to_lowercase();
            let chars: Vec<(usize, char)> = lower.char_indices().collect();
            let n = chars.len();
            let mut prefixes = [0u64; 3];
            let mut suffixes = [0u64; 4];
            for k in 1..=4 {
                let suffix = if k < n { &lower[chars[n - k].0..] } else { lower.as_str() };
                suffixes[k - 1] = hash_str(suffix);
                if k <= 3 {
                    let prefix = if k < n { &lower[..chars[k].0] } else { lower.as_str() };
                    prefixes[k - 1] = hash_str(prefix);
                }
            }
            let (upos, xpos) = tags.get(idx).copied().unwrap_or((Upos::X, "XX"));
            let fact = facts.get(idx).copied().unwrap_or_default();
            Word {
                lower: hash_str(&lower),
                exact: hash_str(&exact),
                prefixes,
                suffixes,
                shape: shape(form),
                case: cases[idx] as u64,
                upos: upos as u64,
                xpos: hash_str(xpos),
                dict: u64::from(fact.dict_position),
                dict_kind: dict_kind(&fact),
                place: u64::from(fact.place_position) | u64::from(fact.place_class) << 8,
                group: u64::from(fact.group_position) | u64::from(fact.group_class) << 8,
                cue: cue(&fact),
                name_part: u64::from(fact.name_part),
                profile: sentence_profile,
            }
        })
        .collect()
}

fn dict_kind(fact: &TokenFacts) -> u64 {
    if fact.dict_position == 0 {
        return 0;
    }
    fact.dict_code ^ u64::from(fact.dict_group) << 56 ^ u64::from(fact.dict_position) << 60
}

fn cue(fact: &TokenFacts) -> u64 {
    if fact.title {
        1
    } else if fact.organisation {
        2
    } else {
        fact.agent
    }
}

/// Digits folded into `0` and typographic quotes into ASCII ones, so that numbers and quote
/// styles share statistics.
fn digits_folded(form: &str) -> String {
    form.chars()
        .map(|c| match c {
            '0'..='9' => '0',
            '’' | '‘' | '`' => '\'',
            '“' | '”' => '"',
            c => c,
        })
        .collect()
}

/// The word's shape: `X` for capitals, `x` for small letters, `d` for digits, other characters
/// as they are, runs collapsed (`Putin` is `Xx`, `U.S.` is `X.X.`), plus whether it is long.
fn shape(form: &str) -> u64 {
    let mut shape = String::with_capacity(8);
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
            shape.push(class);
            last = Some(class);
        }
    }
    if n_chars > 5 {
        shape.push('+');
    }
    hash_str(&shape)
}

/// Features of word `i`, given the labels (classes) predicted for the words before it.
pub(crate) fn extract(words: &[Word], i: usize, labels: &[u8], out: &mut Vec<u64>) {
    let word = &words[i];
    let at = |offset: isize| -> Option<&Word> {
        let j = i as isize + offset;
        if j < 0 {
            None
        } else {
            words.get(j as usize)
        }
    };
    let edge = |offset: isize| if offset < 0 { START } else { END };
    let view = |offset: isize, f: fn(&Word) -> u64| at(offset).map_or(edge(offset), f);
    let label = |k: usize| if i >= k { u64::from(labels[i - k]) } else { NO_LABEL };
    let (p1, p2) = (label(1), label(2));
    let first = u64::from(i == 0);

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
    out.push(key2(11, word.case, first));
    out.push(key2(12, word.case, word.profile));
    out.push(key1(13, word.upos));
    out.push(key1(14, word.xpos));
    out.push(key1(15, view(-1, |w| w.lower)));
    out.push(key1(16, view(1, |w| w.lower)));
    out.push(key1(17, view(-2, |w| w.lower)));
    out.push(key1(18, view(2, |w| w.lower)));
    out.push(key1(19, view(-1, |w| w.shape)));
    out.push(key1(20, view(1, |w| w.shape)));
    out.push(key3(21, view(-1, |w| w.case), word.case, view(1, |w| w.case)));
    out.push(key1(22, view(-1, |w| w.xpos)));
    out.push(key1(23, view(1, |w| w.xpos)));
    out.push(key2(24, view(-2, |w| w.upos), view(-1, |w| w.upos)));
    out.push(key2(25, view(1, |w| w.upos), view(2, |w| w.upos)));
    out.push(key1(26, p1));
    out.push(key2(27, p1, p2));
    out.push(key2(28, p1, word.lower));
    out.push(key2(29, p1, word.case));
    out.push(key2(30, p1, word.xpos));
    out.push(key2(31, view(-1, |w| w.lower), word.lower));
    out.push(key2(32, word.lower, view(1, |w| w.lower)));
    out.push(key1(33, word.dict_kind));
    out.push(key2(34, word.dict, word.case));
    out.push(key1(35, view(-1, |w| w.dict_kind)));
    out.push(key1(36, view(1, |w| w.dict_kind)));
    out.push(key1(37, word.place));
    out.push(key2(38, word.place, word.case));
    out.push(key1(39, view(-1, |w| w.place)));
    out.push(key1(40, view(1, |w| w.place)));
    out.push(key1(41, view(-1, |w| w.cue)));
    out.push(key1(42, word.cue));
    out.push(key1(43, view(1, |w| w.cue)));
    out.push(key1(44, view(2, |w| w.cue)));
    out.push(key2(45, word.name_part, word.case));
    out.push(key1(46, view(-1, |w| w.name_part)));
    out.push(key1(47, view(1, |w| w.name_part)));
    out.push(key2(48, word.xpos, word.case));
    out.push(key2(49, p1, word.dict));
    out.push(key2(50, word.profile, p1));
    out.push(key3(51, word.upos, word.case, view(1, |w| w.case)));
    out.push(key2(52, p1, view(1, |w| w.case)));
    out.push(key2(53, word.suffixes[2], word.case));
    out.push(key2(54, view(-1, |w| w.cue), word.case));
    for offset in [-3isize, -2, -1, 1, 2, 3] {
        out.push(key1(80, view(offset, |w| w.lower)));
    }
    out.push(key1(82, view(-1, |w| w.exact)));
    out.push(key1(83, view(1, |w| w.exact)));
    out.push(key1(84, view(-1, |w| w.suffixes[2])));
    out.push(key1(85, view(1, |w| w.suffixes[2])));
    out.push(key2(86, view(-1, |w| w.shape), word.shape));
    out.push(key2(87, word.shape, view(1, |w| w.shape)));
    out.push(key2(88, word.lower, word.upos));
    out.push(key1(90, word.group));
    out.push(key2(91, word.group, word.case));
    out.push(key1(92, view(1, |w| w.group)));
    out.push(key3(89, p1, word.case, view(1, |w| w.case)));
}

/// What the rest of the document says about a word, from the first pass's labels: how the
/// word's other occurrences were labelled and capitalized. A name is usually written and typed the
/// same way throughout a document, so "Google" at the start of a sentence, or in a headline in
/// capitals, borrows the evidence of its other occurrences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DocFact {
    /// The kind most often given to the word's other occurrences and how often (see
    /// [`doc_facts`]); 0 when the word occurs nowhere else.
    kind: u64,
    /// Bit 1: another occurrence is capitalized inside a sentence; bit 2: another is lowercase;
    /// bit 4: there is another occurrence.
    case: u64,
}

/// Per-word tallies over a document.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    /// Occurrences inside an entity of each kind (in [`crate::ner::EntityKind::ALL`] order).
    kinds: [u32; 4],
    outside: u32,
    capitalized_inside: u32,
    lower: u32,
}

impl Tally {
    fn add(&mut self, word: &Word, first_in_sentence: bool, class: u8, sign: i32) {
        let bump = |count: &mut u32| *count = count.wrapping_add_signed(sign);
        match super::label::kind_index(class) {
            None => bump(&mut self.outside),
            Some(kind) => bump(&mut self.kinds[kind.min(3)]),
        }
        if word.case == Case::Lower as u64 {
            bump(&mut self.lower);
        } else if !first_in_sentence && word.case != Case::None as u64 {
            bump(&mut self.capitalized_inside);
        }
    }
}

/// The document facts of every word of a document's sentences, given their first-pass classes.
pub(crate) fn doc_facts(sentences: &[&[Word]], classes: &[Vec<u8>]) -> Vec<Vec<DocFact>> {
    let mut tallies: FxHashMap<u64, Tally> = FxHashMap::default();
    let lettered = |word: &Word| word.case != Case::None as u64;
    for (words, classes) in sentences.iter().zip(classes) {
        for (idx, (word, &class)) in words.iter().zip(classes).enumerate() {
            if lettered(word) {
                tallies.entry(word.lower).or_default().add(word, idx == 0, class, 1);
            }
        }
    }
    sentences
        .iter()
        .zip(classes)
        .map(|(words, classes)| {
            words
                .iter()
                .zip(classes)
                .enumerate()
                .map(|(idx, (word, &class))| {
                    if !lettered(word) {
                        return DocFact::default();
                    }
                    // The others: the document's tally without this occurrence.
                    let mut others = tallies.get(&word.lower).copied().unwrap_or_default();
                    others.add(word, idx == 0, class, -1);
                    let in_entities: u32 = others.kinds.iter().sum();
                    let total = in_entities + others.outside;
                    let kind = if total == 0 {
                        0
                    } else if in_entities == 0 {
                        1
                    } else {
                        let (top, &count) =
                            others.kinds.iter().enumerate().max_by_key(|(k, &n)| (n, std::cmp::Reverse(*k))).unwrap_or((0, &0));
                        let share = if count == total { 0 } else if count * 2 >= total { 1 } else { 2 };
                        2 + (top as u64) * 3 + share
                    };
                    let case = u64::from(others.capitalized_inside > 0)
                        | u64::from(others.lower > 0) << 1
                        | u64::from(total > 0) << 2;
                    DocFact { kind, case }
                })
                .collect()
        })
        .collect()
}

/// The second pass's extra features: the first pass's labels of this word and the two after
/// it (which a left-to-right pass has not decided yet), and the document's facts.
pub(crate) fn extract_second(words: &[Word], i: usize, labels: &[u8], first: &[u8], facts: &[DocFact], out: &mut Vec<u64>) {
    let word = &words[i];
    let at = |j: usize| first.get(j).map_or(END, |&c| u64::from(c));
    let (own, next, next2) = (at(i), at(i + 1), at(i + 2));
    let p1 = if i >= 1 { u64::from(labels[i - 1]) } else { NO_LABEL };
    let fact = facts.get(i).copied().unwrap_or_default();
    let initial = u64::from(i == 0);
    out.push(key1(60, own));
    out.push(key1(61, next));
    out.push(key1(62, next2));
    out.push(key2(63, next, next2));
    out.push(key2(64, p1, own));
    out.push(key3(65, p1, own, next));
    out.push(key2(66, own, word.lower));
    out.push(key1(67, fact.kind));
    out.push(key2(68, fact.kind, own));
    out.push(key2(69, fact.kind, word.case));
    out.push(key3(70, fact.case, word.case, initial));
    out.push(key2(71, fact.case, own));
    out.push(key3(72, fact.kind, fact.case, word.profile));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(form: &str, expect: Case) {
        assert_eq!(case_of(form), expect, "{form}");
    }

    #[test]
    fn classifies_case() {
        check("putin", Case::Lower);
        check("Putin", Case::Title);
        check("NATO", Case::Upper);
        check("U.S.", Case::Upper);
        check("McDonald", Case::Mixed);
        check("iPhone", Case::Mixed);
        check("J.", Case::Initial);
        check("1,000", Case::None);
        check("", Case::None);
    }

    #[test]
    fn profiles_sentences() {
        assert_eq!(profile(&[Case::Lower, Case::Lower, Case::None]), 1);
        assert_eq!(profile(&[Case::Upper, Case::Upper, Case::Upper]), 2);
        assert_eq!(profile(&[Case::Title, Case::Title, Case::Title, Case::Lower]), 3);
        assert_eq!(profile(&[Case::Title, Case::Lower, Case::Lower, Case::Title]), 0);
        assert_eq!(profile(&[]), 1);
    }
}
