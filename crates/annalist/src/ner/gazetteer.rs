//! What the recognizer knows about names beyond its weights: the actor and agent dictionaries,
//! the place names derived from GeoNames, and short lists of words that announce a person
//! ("President", "Mr") or end an organisation's name ("Party", "Inc").
//!
//! The gazetteer only describes tokens; what a description is worth is learned. A dictionary
//! match is described by where its entry comes from and what its code looks like, never by a type
//! written by hand, because an actor entry can be a country ("SYRIA [SYR]"), a person ("VLADIMIR
//! PUTIN [RUSGOV 20000507-20080507]"), an organisation ("HAMAS [PSEREB]") or a province, and the
//! model learns which combinations of file, code and capitalization are which.

use crate::dict::normalize::{first_key_word, normalize_word, normalized_words_key_ref, phrase_key};
use crate::dict::Dictionaries;
use crate::nlp::hash::hash_str;
use flate2::read::GzDecoder;
use rustc_hash::FxHashMap;
use std::io::Read;
use std::sync::{Arc, OnceLock};

/// Place names derived from GeoNames by `scripts/derive-places.py` (see NOTICE).
static PLACES_BYTES: &[u8] = include_bytes!("../../../../data/gazetteer/places.tsv.gz");
/// Peoples, languages and faiths, from `scripts/derive-groups.py` (see NOTICE).
static GROUPS_TEXT: &str = include_str!("../../../../data/gazetteer/groups.tsv");

/// Words after which a capitalized word is likely a person's name.
const PERSON_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "lord",
    "lady",
    "dame",
    "president",
    "minister",
    "premier",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "emperor",
    "sheikh",
    "shaikh",
    "general",
    "gen",
    "col",
    "colonel",
    "capt",
    "captain",
    "lt",
    "lieutenant",
    "sgt",
    "sergeant",
    "maj",
    "major",
    "adm",
    "admiral",
    "chancellor",
    "secretary",
    "ambassador",
    "envoy",
    "judge",
    "justice",
    "chairman",
    "chairwoman",
    "chief",
    "ceo",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "rev",
    "reverend",
    "father",
    "bishop",
    "archbishop",
    "cardinal",
    "imam",
    "ayatollah",
    "rabbi",
    "coach",
    "officer",
    "commander",
    "leader",
    "dictator",
    "uncle",
    "aunt",
    "mister",
];

/// Words that end (or begin) organisations' names.
const ORGANISATION_WORDS: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "llc",
    "plc",
    "ag",
    "gmbh",
    "sa",
    "nv",
    "bv",
    "group",
    "holdings",
    "party",
    "ministry",
    "department",
    "university",
    "college",
    "school",
    "academy",
    "institute",
    "bank",
    "fund",
    "association",
    "council",
    "committee",
    "commission",
    "agency",
    "authority",
    "board",
    "bureau",
    "office",
    "union",
    "federation",
    "league",
    "foundation",
    "society",
    "organization",
    "organisation",
    "church",
    "hospital",
    "clinic",
    "airlines",
    "airways",
    "news",
    "times",
    "post",
    "network",
    "center",
    "centre",
    "club",
    "team",
    "court",
    "police",
    "army",
    "navy",
    "forces",
    "front",
    "movement",
    "brigade",
    "brigades",
    "assembly",
    "parliament",
    "congress",
    "senate",
    "services",
    "systems",
    "technologies",
    "international",
    "industries",
    "motors",
    "partners",
    "energy",
    "communications",
    "press",
    "magazine",
    "journal",
    "tribune",
    "herald",
];

/// What the gazetteer says about one token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TokenFacts {
    /// 0 outside an actor-dictionary phrase, 1 at its first token, 2 inside it.
    pub(crate) dict_position: u8,
    /// The matched entry's source file group (see [`file_group`]).
    pub(crate) dict_group: u8,
    /// The matched entry's code, reduced to its shape: `C` (a bare country), `C+GOV` (a country
    /// and a role), `IGO`, `NGO+...` (international and non-state codes), with `@` added when the
    /// entry has dated codes (people in office, mostly).
    pub(crate) dict_code: u64,
    /// 0 outside a place name, 1 at its first token, 2 inside it.
    pub(crate) place_position: u8,
    /// The place class (`C`, `c`, `r` as in the data file), 0 for none.
    pub(crate) place_class: u8,
    /// 0 outside the name of a people, language or faith, 1 at its first token, 2 inside it.
    pub(crate) group_position: u8,
    /// Its class (`d` demonym, `l` language, `f` faith or group), 0 for none.
    pub(crate) group_class: u8,
    /// A person title ([`PERSON_TITLES`]).
    pub(crate) title: bool,
    /// An organisation word ([`ORGANISATION_WORDS`]).
    pub(crate) organisation: bool,
    /// The hash of the agent code of a one-word agent phrase ("army" → `~MIL`), or 0.
    pub(crate) agent: u64,
    /// Bit 1: the first word of a person in the actor dictionary; bit 2: the last word of one.
    pub(crate) name_part: u8,
}

/// The dictionaries and the embedded place names, prepared for describing tokens. Build one per
/// run from the dictionaries in use and share it by reference.
#[derive(Debug)]
pub struct Gazetteer {
    dictionaries: Arc<Dictionaries>,
    places: &'static NameList,
    groups: &'static NameList,
    /// Normalized word → bits of [`TokenFacts::name_part`].
    name_parts: FxHashMap<String, u8>,
    /// [`PERSON_TITLES`] (bit 1) and [`ORGANISATION_WORDS`] (bit 2), looked up once per token
    /// instead of scanning both lists.
    cue_words: FxHashMap<&'static str, u8>,
}

const TITLE: u8 = 1;
const ORGANISATION: u8 = 2;

impl Gazetteer {
    /// Prepares the gazetteer for `dictionaries` (the shipped ones, or the user's).
    pub fn new(dictionaries: Arc<Dictionaries>) -> Gazetteer {
        let mut cue_words: FxHashMap<&'static str, u8> = FxHashMap::default();
        for (words, bit) in [(PERSON_TITLES, TITLE), (ORGANISATION_WORDS, ORGANISATION)] {
            for &word in words {
                *cue_words.entry(word).or_default() |= bit;
            }
        }
        let name_parts = name_parts(&dictionaries, &cue_words);
        Gazetteer { dictionaries, places: NameList::places(), groups: NameList::groups(), name_parts, cue_words }
    }

    pub fn dictionaries(&self) -> &Dictionaries {
        &self.dictionaries
    }

    /// Describes every token of a sentence, given each token's normalized form
    /// ([`normalize_word`]) and whether it is punctuation.
    pub(crate) fn describe(&self, norm: &[String], punct: &[bool]) -> Vec<TokenFacts> {
        let mut facts = vec![TokenFacts::default(); norm.len()];
        for (fact, word) in facts.iter_mut().zip(norm) {
            let cue = self.cue_words.get(word.trim_end_matches('.')).copied().unwrap_or(0);
            fact.title = cue & TITLE != 0;
            fact.organisation = cue & ORGANISATION != 0;
            fact.name_part = self.name_parts.get(word.as_str()).copied().unwrap_or(0);
            fact.agent = self.dictionaries.agents.lookup_key(word).map_or(0, |agent| hash_str(&agent.code.to_string()));
        }
        let actors = &self.dictionaries.actors;
        let mut idx = 0;
        while idx < norm.len() {
            // "the" is kept out of names, as the annotation guidelines keep it out of entities.
            let limit =
                if punct[idx] || norm[idx] == "the" { 0 } else { actors.max_words_from(first_key_word(&norm[idx])) };
            let found = longest(norm, punct, idx, limit, |key| actors.lookup_key_undated(key));
            let Some((end, found)) = found else {
                idx += 1;
                continue;
            };
            let group = self.file_group(found.entry.provenance.file.0);
            let code = code_shape(&found.entry.codes);
            for (offset, fact) in facts[idx..end].iter_mut().enumerate() {
                fact.dict_position = if offset == 0 { 1 } else { 2 };
                fact.dict_group = group;
                fact.dict_code = code;
            }
            idx = end;
        }
        for (fact, (position, class)) in facts.iter_mut().zip(self.places.mark(norm, punct)) {
            fact.place_position = position;
            fact.place_class = class;
        }
        for (fact, (position, class)) in facts.iter_mut().zip(self.groups.mark(norm, punct)) {
            fact.group_position = position;
            fact.group_class = class;
        }
        facts
    }

    /// Which shipped file (by name) an entry comes from: 1 countries, 2 capitals, 3 Phoenix
    /// countries (people, provinces, forces), 4 international, 5 non-state, 6 corrections, 7 any
    /// other (the user's).
    fn file_group(&self, file: u16) -> u8 {
        file_group(self.dictionaries.files.get(usize::from(file)).map_or("", String::as_str))
    }
}

/// The longest phrase starting at token `start` that `lookup` knows, over at most `limit` keyed
/// words; punctuation other than an inner hyphen ends a phrase.
fn longest<T>(
    norm: &[String],
    punct: &[bool],
    start: usize,
    limit: usize,
    lookup: impl Fn(&str) -> Option<T>,
) -> Option<(usize, T)> {
    if limit == 0 {
        return None;
    }
    let mut best = None;
    let mut words: Vec<&str> = Vec::with_capacity(limit);
    let mut end = start;
    while end < norm.len() && words.len() < limit {
        if punct[end] {
            let inner_hyphen = norm[end] == "-" && end > start && end + 1 < norm.len() && !punct[end + 1];
            if !inner_hyphen {
                break;
            }
            end += 1;
            continue;
        }
        words.push(&norm[end]);
        end += 1;
        if let Some(found) = lookup(&normalized_words_key_ref(&words)) {
            best = Some((end, found));
        }
    }
    best
}

pub(crate) fn file_group(name: &str) -> u8 {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base {
        "annalist.countries.actors.txt" => 1,
        "annalist.capitals.actors.txt" => 2,
        "Phoenix.Countries.actors.txt" => 3,
        "Phoenix.International.actors.txt" => 4,
        "Phoenix.MilNonState.actors.txt" => 5,
        "annalist.corrections.actors.txt" => 6,
        _ => 7,
    }
}

/// Three-letter codes that are not countries (CAMEO's international and non-state actors).
const NON_STATE: &[&str] = &["IGO", "NGO", "IMG", "MNC", "UIS", "INT", "REB", "ELI", "BUS", "CVL", "REL"];

/// The shape of an entry's first code (see [`TokenFacts::dict_code`]).
fn code_shape(codes: &[crate::dict::actors::CodeRule]) -> u64 {
    let dated = codes.iter().any(|rule| rule.when.is_dated());
    let code = codes.first().map_or("", |rule| rule.code.as_str());
    let head = code.get(..3).unwrap_or(code);
    let shape = if NON_STATE.contains(&head) {
        head.to_string()
    } else if code.len() <= 3 {
        "C".to_string()
    } else {
        format!("C+{}", code.get(3..6).unwrap_or(""))
    };
    hash_str(&format!("{shape}{}", if dated { "@" } else { "" }))
}

const NOT_NAME_PARTS: &[&str] = &["the", "and", "for", "los", "las", "del", "der", "den", "van", "von", "bin", "ibn"];

/// First and last words of the people in the actor dictionary: entries with dated codes (terms in
/// office) whose primary phrase is two to four words, none of them a title or an organisation
/// word (`cue_words`).
fn name_parts(dictionaries: &Dictionaries, cue_words: &FxHashMap<&'static str, u8>) -> FxHashMap<String, u8> {
    let mut parts: FxHashMap<String, u8> = FxHashMap::default();
    for entry in dictionaries.actors.entries() {
        if !entry.codes.iter().any(|rule| rule.when.is_dated()) {
            continue;
        }
        let Some(primary) = entry.phrases.first() else {
            continue;
        };
        let words: Vec<&str> = primary.key.split(' ').collect();
        // Particles and articles ("the", "al", "van") are parts of many names and name nobody.
        let plain =
            |word: &&str| word.len() >= 3 && word.chars().all(char::is_alphabetic) && !NOT_NAME_PARTS.contains(word);
        if !(2..=4).contains(&words.len())
            || !words.iter().all(|word| word.chars().all(char::is_alphabetic))
            || words.iter().any(|word| cue_words.contains_key(word))
        {
            continue;
        }
        if let (Some(first), Some(last)) = (words.first(), words.last()) {
            if plain(first) {
                *parts.entry(first.to_string()).or_insert(0) |= 1;
            }
            if plain(last) {
                *parts.entry(last.to_string()).or_insert(0) |= 2;
            }
        }
    }
    parts
}

/// An embedded list of names: lookup key → class letter, and the most words a name starting
/// with a given word has.
#[derive(Debug, Default)]
struct NameList {
    names: FxHashMap<String, u8>,
    max_words: FxHashMap<String, usize>,
}

impl NameList {
    fn places() -> &'static NameList {
        static PLACES: OnceLock<NameList> = OnceLock::new();
        PLACES.get_or_init(|| {
            // The file is part of the binary, so a damaged one can only come from a bad build; it
            // leaves the list empty rather than failing.
            let mut text = String::new();
            match GzDecoder::new(PLACES_BYTES).read_to_string(&mut text) {
                Ok(_) => NameList::parse(&text),
                Err(_) => NameList::default(),
            }
        })
    }

    fn groups() -> &'static NameList {
        static GROUPS: OnceLock<NameList> = OnceLock::new();
        GROUPS.get_or_init(|| NameList::parse(GROUPS_TEXT))
    }

    /// The longest names of the list in a sentence, left to right: for each token, 1 at a name's
    /// first token, 2 inside it, 0 outside any, with the name's class.
    fn mark(&self, norm: &[String], punct: &[bool]) -> Vec<(u8, u8)> {
        let mut marks = vec![(0, 0); norm.len()];
        let mut idx = 0;
        while idx < norm.len() {
            let limit =
                if punct[idx] { 0 } else { self.max_words.get(first_key_word(&norm[idx])).copied().unwrap_or(0) };
            let Some((end, class)) = longest(norm, punct, idx, limit, |key| self.names.get(key).copied()) else {
                idx += 1;
                continue;
            };
            for (offset, mark) in marks[idx..end].iter_mut().enumerate() {
                *mark = (if offset == 0 { 1 } else { 2 }, class);
            }
            idx = end;
        }
        marks
    }

    /// Reads `NAME<TAB>CLASS` lines; the first line for a key wins.
    fn parse(text: &str) -> NameList {
        let mut list = NameList::default();
        for line in text.lines() {
            let Some((name, class)) = line.split_once('\t') else {
                continue;
            };
            let key = phrase_key(name);
            let Some(first) = key.split(' ').next().filter(|first| !first.is_empty()) else {
                continue;
            };
            let n_words = key.split(' ').count();
            let longest = list.max_words.entry(first.to_string()).or_insert(0);
            *longest = (*longest).max(n_words);
            let class = class.bytes().next().unwrap_or(b'?');
            list.names.entry(key).or_insert(class);
        }
        list
    }
}

/// The normalized forms of words, as [`Gazetteer::describe`] wants them.
pub(crate) fn normalized(forms: &[&str]) -> Vec<String> {
    forms.iter().map(|form| normalize_word(form)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sentence: &str, expect: &str) {
        let dictionaries = Arc::new(Dictionaries::shipped());
        let gazetteer = Gazetteer::new(Arc::clone(&dictionaries));
        let forms: Vec<&str> = sentence.split(' ').collect();
        let norm = normalized(&forms);
        let punct: Vec<bool> = forms.iter().map(|f| !f.chars().any(char::is_alphanumeric)).collect();
        let facts = gazetteer.describe(&norm, &punct);
        let rendered: Vec<String> = forms
            .iter()
            .zip(&facts)
            .map(|(form, fact)| {
                let mut marks = String::new();
                if fact.dict_position > 0 {
                    marks.push_str(&format!("d{}{}", fact.dict_position, fact.dict_group));
                }
                if fact.place_position > 0 {
                    marks.push_str(&format!("p{}{}", fact.place_position, fact.place_class as char));
                }
                if fact.group_position > 0 {
                    marks.push_str(&format!("g{}", fact.group_class as char));
                }
                if fact.title {
                    marks.push('t');
                }
                if fact.organisation {
                    marks.push('o');
                }
                if fact.name_part & 1 != 0 {
                    marks.push('f');
                }
                if marks.is_empty() {
                    form.to_string()
                } else {
                    format!("{form}/{marks}")
                }
            })
            .collect();
        assert_eq!(rendered.join(" "), expect);
    }

    #[test]
    fn describes_dictionary_names_places_and_cues() {
        check(
            "President Vladimir Putin met the Syrian leader in Moscow .",
            // A phrase of the corrections file (6) from the title on; Vladimir is also a city.
            "President/d16t Vladimir/d26p1cf Putin/d26 met the Syrian/d13gdf leader/t in Moscow/d13p1C .",
        );
        check("the Labour Party of Kansas City", "the Labour/gf Party/o of Kansas/d13p1c City/d23p2c");
    }

    #[test]
    fn name_lists_are_embedded() {
        let places = NameList::places();
        assert!(places.names.len() > 10_000);
        assert_eq!(places.names.get("moscow"), Some(&b'C'));
        assert_eq!(NameList::groups().names.get("iraqis"), Some(&b'd'));
        assert_eq!(NameList::parse("Kansas City\tc\nno tab\n\t\n").names.len(), 1);
    }
}
