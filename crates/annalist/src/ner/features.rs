//! The features of a token for the entity tagger: its form (word, affixes, shape, case), its part
//! of speech, its neighbours' forms, shapes and tags (a window of two on each side), what the
//! gazetteer knows about it and its neighbours, the sentence's case profile, its word classes (our
//! clusters, and the lexicon's Brown clusters and case profile) and its neighbours', and the two
//! labels predicted before it.
//!
//! Feature keys are hashed with the tagger's fixed hash ([`crate::nlp::hash`]), so a model file
//! stays valid across builds. [`FEATURE_SET`] names this set of templates: change it whenever a
//! template changes, so that an old model is refused instead of silently misread.

use super::gazetteer::{Gazetteer, TokenFacts};
use super::lexicon::COLUMNS as LEXICON_COLUMNS;
use super::search::History;
use crate::nlp::hash::{hash_str, key1, key2, key3};
use crate::nlp::tagger::{affixes, shape};
use crate::nlp::Upos;
use rustc_hash::FxHashMap;

/// Written into the model file; a model trained with other templates does not load.
pub(crate) const FEATURE_SET: u32 = 7;

/// Stand-ins for the words before the first and after the last, and for "no label".
const START: u64 = 0x0053_5441_5254;
const END: u64 = 0x0045_4e44;
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
    // The first word is capitalized in any sentence; the others tell.
    let n = letters.len().saturating_sub(1).max(1);
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
    /// Where the word stands in its run of capitalized words (see [`runs`]), and the run's last
    /// word and that word's cue: what a left-to-right tagger would otherwise learn too late
    /// ("Drexel Burnham Lambert Inc" is a company from its first word on).
    run_position: u64,
    run_last: u64,
    run_cue: u64,
    /// Bit 1: the word occurs capitalized inside a sentence elsewhere in the document; bit 2: it
    /// occurs in lowercase elsewhere (see [`set_document_case`]).
    document_case: u64,
    /// The word's clusters, coarse to fine (see [`super::clusters`]); 0 for a word without.
    clusters: [u64; 3],
    /// The word's Brown clusters, coarse to fine, and its case profile in a large text
    /// (see [`super::lexicon`]); 0 for a word without.
    brown: [u64; 3],
    case_profile: u64,
}

impl Word {
    /// What the recognizer's `O` shortcut is keyed by: the lowercase form and the case; coarser,
    /// the case and the part of speech (so that a rare lowercase verb is covered too); and those
    /// with the word's case profile (a lowercase noun that large text almost never capitalizes).
    pub(crate) fn outside_kinds(&self) -> [u64; 3] {
        [
            key2(0, self.lower, self.case),
            key2(1, self.case, self.upos),
            key3(2, self.case, self.upos, self.case_profile),
        ]
    }
}

/// Words that may join capitalized words into one run: "Bank of America", "Securities and
/// Exchange Commission", "AT & T".
const RUN_JOINERS: &[&str] = &["of", "and", "&", "for", "de", "du", "la", "von", "van", "-", "'s", "the"];

/// For each word, its run of capitalized words (joined by [`RUN_JOINERS`] between two of them) as
/// `(first, last)`, or `None` outside any.
fn runs(forms: &[&str], cases: &[Case]) -> Vec<Option<(usize, usize)>> {
    let capital = |idx: usize| matches!(cases[idx], Case::Title | Case::Upper | Case::Mixed | Case::Initial);
    let mut runs = vec![None; forms.len()];
    let mut idx = 0;
    while idx < forms.len() {
        if !capital(idx) {
            idx += 1;
            continue;
        }
        let start = idx;
        let mut end = idx;
        let mut next = idx + 1;
        while next < forms.len() {
            if capital(next) {
                end = next;
                next += 1;
            } else if RUN_JOINERS.contains(&forms[next].to_lowercase().as_str())
                && next + 1 < forms.len()
                && capital(next + 1)
            {
                next += 1;
            } else {
                break;
            }
        }
        for slot in &mut runs[start..=end] {
            *slot = Some((start, end));
        }
        idx = end + 1;
    }
    runs
}

/// Prepares the words of a sentence: `forms` are the tokens' surface forms, `tags` their parts of
/// speech from the tagger, `punct` whether each is punctuation.
pub(crate) fn prepare(
    forms: &[&str],
    tags: &[(Upos, &str)],
    punct: &[bool],
    gazetteer: &Gazetteer,
    clusters: &FxHashMap<u64, [u16; 3]>,
    lexicon: &FxHashMap<u64, [u16; LEXICON_COLUMNS]>,
) -> Vec<Word> {
    let norm = super::gazetteer::normalized(forms);
    let facts = gazetteer.describe(&norm, punct);
    let cases: Vec<Case> = forms.iter().map(|form| case_of(form)).collect();
    let sentence_profile = profile(&cases);
    let runs = runs(forms, &cases);
    let exacts: Vec<String> = forms.iter().map(|form| digits_folded(form)).collect();
    let lower_forms: Vec<String> = exacts.iter().map(|exact| exact.to_lowercase()).collect();
    let lowers: Vec<u64> = lower_forms.iter().map(|lower| hash_str(lower)).collect();
    forms
        .iter()
        .enumerate()
        .map(|(idx, form)| {
            let exact = &exacts[idx];
            let (prefixes, suffixes) = affixes(&lower_forms[idx]);
            let (upos, xpos) = tags.get(idx).copied().unwrap_or((Upos::X, "XX"));
            let fact = facts.get(idx).copied().unwrap_or_default();
            let known = lexicon.get(&lowers[idx]).copied().unwrap_or_default();
            Word {
                lower: lowers[idx],
                exact: hash_str(exact),
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
                run_position: match runs[idx] {
                    None => 0,
                    Some((first, last)) if first == last => 1,
                    Some((first, _)) if first == idx => 2,
                    Some((_, last)) if last == idx => 3,
                    Some(_) => 4,
                },
                run_last: runs[idx].map_or(0, |(_, last)| lowers[last]),
                run_cue: runs[idx].map_or(0, |(_, last)| facts.get(last).map_or(0, cue)),
                document_case: 0,
                clusters: clusters.get(&lowers[idx]).map_or([0; 3], |ids| ids.map(|id| 1 + u64::from(id))),
                brown: [known[0], known[1], known[2]].map(u64::from),
                case_profile: u64::from(known[3]),
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

/// The lowercase form of a word that clusters are learned and looked up by.
pub(crate) fn lower_form(form: &str) -> String {
    digits_folded(form).to_lowercase()
}

/// The hash of [`lower_form`].
pub(crate) fn lower_key(form: &str) -> u64 {
    hash_str(&lower_form(form))
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

/// A word's classes at three granularities: our clusters or the lexicon's Brown clusters.
type WordClasses = fn(&Word) -> [u64; 3];

/// Each source of word classes with its own template range (from the base, 10 a granularity), so
/// that cluster numbers never meet.
const CLASS_SOURCES: [(u32, WordClasses); 2] = [(100, |w| w.clusters), (140, |w| w.brown)];

/// Features of word `i`, given the labels (classes) of the two words before it: those of the word
/// and its neighbours ([`extract_word`]), then those with the labels ([`extract_history`]).
pub(crate) fn extract(words: &[Word], i: usize, history: History, out: &mut Vec<u64>) {
    extract_word(words, i, out);
    extract_history(words, i, history, out);
}

/// The neighbour of word `i` at `offset`, if there is one.
fn neighbour(words: &[Word], i: usize, offset: isize) -> Option<&Word> {
    i.checked_add_signed(offset).and_then(|j| words.get(j))
}

/// A value of the neighbour of word `i` at `offset`, or the sentence's edge.
fn view(words: &[Word], i: usize, offset: isize, f: fn(&Word) -> u64) -> u64 {
    neighbour(words, i, offset).map_or(if offset < 0 { START } else { END }, f)
}

/// The features of word `i` that do not look at labels: the same for every label sequence a beam
/// search scores there, so they are scored once per word.
pub(crate) fn extract_word(words: &[Word], i: usize, out: &mut Vec<u64>) {
    let word = &words[i];
    let at = |offset: isize| neighbour(words, i, offset);
    let view = |offset: isize, f: fn(&Word) -> u64| view(words, i, offset, f);
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
    out.push(key3(51, word.upos, word.case, view(1, |w| w.case)));
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
    out.push(key2(93, word.run_position, word.run_cue));
    out.push(key2(94, word.run_position, word.run_last));
    out.push(key3(96, word.document_case, word.case, first));
    out.push(key1(90, word.group));
    out.push(key2(91, word.group, word.case));
    out.push(key1(92, view(1, |w| w.group)));
    for (base, classes) in CLASS_SOURCES {
        for (k, &cluster) in classes(word).iter().enumerate() {
            let template = base + 10 * k as u32;
            out.push(key1(template, cluster));
            out.push(key2(template + 1, cluster, word.case));
            out.push(key1(template + 2, at(-1).map_or(START, |w| classes(w)[k])));
            out.push(key1(template + 3, at(1).map_or(END, |w| classes(w)[k])));
        }
    }
    out.push(key2(170, word.case_profile, word.case));
    out.push(key3(171, word.case_profile, word.case, first));
    out.push(key2(173, view(-1, |w| w.case_profile), view(-1, |w| w.case)));
    out.push(key2(174, view(1, |w| w.case_profile), view(1, |w| w.case)));
}

/// The features of word `i` that look at the labels of the two words before it.
pub(crate) fn extract_history(words: &[Word], i: usize, history: History, out: &mut Vec<u64>) {
    let word = &words[i];
    let next_case = view(words, i, 1, |w| w.case);
    let [p1, p2] = history.map(|label| label.map_or(NO_LABEL, u64::from));
    out.push(key1(26, p1));
    out.push(key2(27, p1, p2));
    out.push(key2(28, p1, word.lower));
    out.push(key2(29, p1, word.case));
    out.push(key2(30, p1, word.xpos));
    out.push(key2(49, p1, word.dict));
    out.push(key2(50, word.profile, p1));
    out.push(key2(52, p1, next_case));
    out.push(key3(95, word.run_position, word.run_cue, p1));
    out.push(key2(97, word.document_case, p1));
    out.push(key3(89, p1, word.case, next_case));
    for (base, classes) in CLASS_SOURCES {
        for (k, &cluster) in classes(word).iter().enumerate() {
            out.push(key2(base + 10 * k as u32 + 4, p1, cluster));
        }
    }
    out.push(key2(172, word.case_profile, p1));
}

/// Sets each word's document evidence: how the word's other occurrences in the document are
/// capitalized. A name is written the same way throughout a document, so "Google" at the start of
/// a sentence, or in a headline in capitals, borrows the evidence of its other occurrences
/// ("Google" inside a sentence), and "Great" at the start of a review that writes "great"
/// elsewhere is not a name.
pub(crate) fn set_document_case(sentences: &mut [Vec<Word>]) {
    /// Occurrences capitalized inside a sentence, and lowercase ones.
    #[derive(Clone, Copy, Default)]
    struct Tally {
        capitalized_inside: u32,
        lower: u32,
    }
    let kind = |word: &Word, idx: usize| -> (u32, u32) {
        if word.case == Case::Lower as u64 {
            (0, 1)
        } else if idx > 0 && word.case != Case::None as u64 && word.profile == 0 {
            // Only sentences in ordinary case count: in a headline every word is capitalized.
            (1, 0)
        } else {
            (0, 0)
        }
    };
    let mut tallies: FxHashMap<u64, Tally> = FxHashMap::default();
    for words in sentences.iter() {
        for (idx, word) in words.iter().enumerate() {
            let (capitalized, lower) = kind(word, idx);
            let tally = tallies.entry(word.lower).or_default();
            tally.capitalized_inside += capitalized;
            tally.lower += lower;
        }
    }
    for words in sentences.iter_mut() {
        for (idx, word) in words.iter_mut().enumerate() {
            let (capitalized, lower) = kind(word, idx);
            let tally = tallies.get(&word.lower).copied().unwrap_or_default();
            // The others: the document's tally without this occurrence.
            let others = (tally.capitalized_inside - capitalized, tally.lower - lower);
            word.document_case = u64::from(others.0 > 0) | u64::from(others.1 > 0) << 1;
        }
    }
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
    fn finds_runs_of_capitalized_words() {
        let forms = ["the", "Securities", "and", "Exchange", "Commission", "and", "Drexel", "Inc", "said", "."];
        let cases: Vec<Case> = forms.iter().map(|f| case_of(f)).collect();
        let found = runs(&forms, &cases);
        assert_eq!(found[0], None);
        assert_eq!(found[1], Some((1, 7)));
        // "and" joins two runs into one when a capitalized word follows.
        assert_eq!(found[5], Some((1, 7)));
        assert_eq!(found[8], None);
        assert_eq!(runs(&[], &[]), []);
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
