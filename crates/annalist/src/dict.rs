//! Dictionaries: actors, agents, verbs, discards and issues, in the PETRARCH formats, with the
//! provenance (file and line) of every entry.
//!
//! - [`actors`], [`agents`], [`verbs`], [`discards`], [`issues`]: one reader per format, each
//!   returning plain data and reporting bad lines as [`Error`]s that name the file and line; the
//!   rest of the file still loads.
//! - [`DictionarySources`]: parsed files in layers (shipped or replaced by the user's PETRARCH
//!   files, then user dictionaries on top); [`DictionarySources::build`] indexes them into
//!   [`Dictionaries`], the read-only value every later stage borrows.
//! - [`compiled`]: the shipped dictionaries, parsed ahead of time and embedded in the binary.
//! - [`normalize`]: the key function shared by dictionary phrases and article words.
//!
//! What the event coder uses: [`Dictionaries::verbs`] (plain data: blocks, verbs and their forms,
//! patterns, synonym sets, transformations), [`ActorDictionary::lookup_words`] (a token range at a
//! date → code and provenance), [`AgentDictionary::lookup_words`] and [`agents::AgentCode::apply`]
//! (the `~` rule), and [`discards::DiscardList::find`].
//!
//! ```
//! use annalist::dict::Dictionaries;
//! use annalist::Date;
//!
//! let dictionaries = Dictionaries::shipped();
//! let date: Date = "2026-01-28".parse().unwrap();
//! let found = dictionaries.actors.lookup("Ahmed al Sharaa", date).unwrap();
//! assert_eq!(found.code(), Some("SYRGOV"));
//! let army = dictionaries.agents.lookup("army").unwrap();
//! assert_eq!(army.code.apply(Some("SYR")), "SYRMIL");
//! ```

pub mod actors;
pub mod agents;
pub mod compiled;
pub mod discards;
pub mod issues;
pub mod lines;
pub mod normalize;
pub mod user;
pub mod verbs;

use crate::date::Date;
use crate::error::{Error, Location};
use actors::{ActorEntry, ActorPhrase, CodeRule};
use agents::AgentEntry;
use discards::{Discard, DiscardList};
use issues::IssuePhrase;
use normalize::{phrase_key, words_key};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use verbs::VerbDictionary;

/// Index of a dictionary file in [`Dictionaries::files`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileId(pub u16);

/// Where an entry was read: a file (by index) and a 1-based line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provenance {
    pub file: FileId,
    pub line: u32,
}

/// A dictionary file being read: its index, its name (for messages) and its text.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub id: FileId,
    pub name: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    pub fn location(&self, line: u32) -> Location {
        Location::line(self.name, u64::from(line))
    }
}

/// Which format a dictionary file is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Actors,
    /// An actor file whose entries are capital cities: "Moscow said" is the government speaking.
    Capitals,
    Agents,
    Verbs,
    Discards,
    Issues,
    /// annalist's tab-separated user dictionary ([`user`]).
    UserTsv,
}

impl Format {
    /// Guesses the format from a file name as PETRARCH's files are named (`*.actors.txt`,
    /// `*agents*`, `CAMEO*`/`*verbs*`, `*discards*`, `*Issue*`, `*.tsv`).
    pub fn from_file_name(name: &str) -> Option<Format> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
        if base.ends_with(".tsv") {
            Some(Format::UserTsv)
        } else if base.contains("capital") {
            Some(Format::Capitals)
        } else if base.contains("agent") {
            Some(Format::Agents)
        } else if base.contains("verb") || base.starts_with("cameo") {
            Some(Format::Verbs)
        } else if base.contains("discard") {
            Some(Format::Discards)
        } else if base.contains("issue") {
            Some(Format::Issues)
        } else if base.contains("actor") {
            Some(Format::Actors)
        } else {
            None
        }
    }
}

/// Parsed dictionary files, before indexing. Actor layers are applied in order: an entry of a later
/// layer replaces, phrase by phrase, what an earlier one said about the same name. Within a layer a
/// later entry wins too, as in PETRARCH.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DictionarySources {
    pub files: Vec<String>,
    pub actor_layers: Vec<Vec<ActorEntry>>,
    /// Keys of phrases read from capital-city files.
    pub capitals: Vec<String>,
    pub agents: Vec<AgentEntry>,
    pub verbs: VerbDictionary,
    pub discards: Vec<Discard>,
    pub issues: Vec<IssuePhrase>,
}

impl DictionarySources {
    /// The shipped dictionaries, decoded from the compiled form embedded in the binary.
    pub fn shipped() -> DictionarySources {
        compiled::shipped_sources()
    }

    /// Reads one file into the sources, returning the errors of its bad lines. Actors, capitals and
    /// user files add a layer; agents and discards add entries; verbs and issues add to what is there.
    pub fn add(&mut self, format: Format, name: &str, text: &str) -> Vec<Error> {
        let id = FileId(u16::try_from(self.files.len()).unwrap_or(u16::MAX));
        self.files.push(name.to_string());
        let source = Source { id, name, text };
        let mut errors = Vec::new();
        match format {
            Format::Actors => {
                let layer = actors::parse(&source, &mut errors);
                self.actor_layers.push(layer);
            }
            Format::Capitals => {
                let layer = actors::parse(&source, &mut errors);
                self.capitals.extend(layer.iter().flat_map(|e| e.phrases.iter().map(|p| p.key.clone())));
                self.actor_layers.push(layer);
            }
            Format::UserTsv => {
                let (layer, agents) = user::parse(&source, &mut errors);
                self.actor_layers.push(layer);
                self.agents.extend(agents);
            }
            Format::Agents => self.agents.extend(agents::parse(&source, &mut errors)),
            Format::Verbs => {
                let verbs = verbs::parse(&source, &mut errors);
                self.verbs.synsets.extend(verbs.synsets);
                self.verbs.blocks.extend(verbs.blocks);
                self.verbs.transformations.extend(verbs.transformations);
            }
            Format::Discards => self.discards.extend(discards::parse(&source, &mut errors)),
            Format::Issues => self.issues.extend(issues::parse(&source, &mut errors)),
        }
        errors
    }

    /// Forgets the actor layers (and capitals) read so far: `--actors FILE` replaces the shipped ones.
    pub fn clear_actors(&mut self) {
        self.actor_layers.clear();
        self.capitals.clear();
    }

    pub fn clear_agents(&mut self) {
        self.agents.clear();
    }

    pub fn clear_verbs(&mut self) {
        self.verbs = VerbDictionary::default();
    }

    pub fn clear_discards(&mut self) {
        self.discards.clear();
    }

    pub fn clear_issues(&mut self) {
        self.issues.clear();
    }

    /// Indexes the sources for lookup.
    pub fn build(self) -> Dictionaries {
        let capitals = self.capitals;
        let actors = ActorDictionary::new(self.actor_layers.into_iter().flatten().collect(), &capitals);
        Dictionaries {
            files: self.files,
            actors,
            agents: AgentDictionary::new(self.agents),
            verbs: self.verbs,
            discards: DiscardList::new(self.discards),
            issues: self.issues,
        }
    }
}

/// All dictionaries, indexed. Build one per run and share it by reference.
#[derive(Clone, Debug)]
pub struct Dictionaries {
    /// Names of the files entries came from; [`Provenance::file`] indexes this.
    pub files: Vec<String>,
    pub actors: ActorDictionary,
    pub agents: AgentDictionary,
    pub verbs: VerbDictionary,
    pub discards: DiscardList,
    pub issues: Vec<IssuePhrase>,
}

impl Dictionaries {
    /// The shipped dictionaries (Phoenix, every UN member state and territory, and annalist's
    /// corrections for leaders since 2015), from the form compiled into the binary.
    pub fn shipped() -> Dictionaries {
        DictionarySources::shipped().build()
    }

    /// `file:line` of an entry.
    pub fn location(&self, provenance: Provenance) -> Location {
        let file = self.files.get(usize::from(provenance.file.0)).map_or("?", String::as_str);
        Location::line(file, u64::from(provenance.line))
    }
}

/// The actors, indexed by the keys of their phrases.
///
/// The index maps a key's hash to the phrase rather than cloning 35,000 keys: loading is dominated
/// by allocation, and a hash collision (checked against the stored key) goes to a small side map.
#[derive(Clone, Debug, Default)]
pub struct ActorDictionary {
    entries: Vec<ActorEntry>,
    index: KeyIndex,
    capitals: rustc_hash::FxHashSet<String>,
}

/// An actor found in the dictionary, with the code that applies on the date asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActorMatch<'d> {
    pub entry: &'d ActorEntry,
    /// The phrase that matched.
    pub phrase: &'d ActorPhrase,
    /// The code rule that applies on the date, if any.
    pub rule: Option<&'d CodeRule>,
    /// The phrase is a capital city (metonymy: "Moscow said").
    pub capital: bool,
}

impl<'d> ActorMatch<'d> {
    /// The code on the date; `None` when the entry has no code then, or PETRARCH's null code `---`.
    pub fn code(&self) -> Option<&'d str> {
        self.rule.map(|rule| rule.code.as_str()).filter(|code| *code != "---")
    }

    /// Where the code came from: the code rule's line, or the entry's when there is no rule.
    pub fn provenance(&self) -> Provenance {
        Provenance {
            file: self.entry.provenance.file,
            line: self.rule.map_or(self.entry.provenance.line, |rule| rule.line),
        }
    }
}

impl ActorDictionary {
    pub fn new(entries: Vec<ActorEntry>, capitals: &[String]) -> ActorDictionary {
        let mut index = KeyIndex::with_capacity(entries.len() * 2);
        for (entry_idx, entry) in entries.iter().enumerate() {
            for (phrase_idx, phrase) in entry.phrases.iter().enumerate() {
                index.insert(&phrase.key, (entry_idx as u32, phrase_idx as u32), |(e, p)| {
                    entries[e as usize].phrases[p as usize].key.as_str()
                });
            }
        }
        ActorDictionary { entries, index, capitals: capitals.iter().cloned().collect() }
    }

    pub fn entries(&self) -> &[ActorEntry] {
        &self.entries
    }

    /// Number of distinct phrase keys.
    pub fn len(&self) -> usize {
        self.index.len
    }

    pub fn is_empty(&self) -> bool {
        self.index.len == 0
    }

    /// Looks up a name written as text ("Ahmed al-Sharaa", "RUSSIA").
    pub fn lookup(&self, name: &str, date: Date) -> Option<ActorMatch<'_>> {
        self.lookup_key(&phrase_key(name), date)
    }

    /// Looks up a sequence of words, such as a token range of an article (punctuation tokens should
    /// be left out; see [`normalize::is_key_token`]).
    pub fn lookup_words<S: AsRef<str>>(&self, words: &[S], date: Date) -> Option<ActorMatch<'_>> {
        self.lookup_key(&words_key(words), date)
    }

    /// Looks up a key made by [`normalize::phrase_key`] or [`normalize::words_key`].
    pub fn lookup_key(&self, key: &str, date: Date) -> Option<ActorMatch<'_>> {
        let (entry_idx, phrase_idx) = self.find(key)?;
        let entry = self.entries.get(entry_idx as usize)?;
        let phrase = entry.phrases.get(phrase_idx as usize)?;
        Some(ActorMatch { entry, phrase, rule: entry.code_on(date), capital: self.capitals.contains(key) })
    }

    /// Looks up a key without a date: the entry's undated default code applies.
    pub fn lookup_key_undated(&self, key: &str) -> Option<ActorMatch<'_>> {
        let (entry_idx, phrase_idx) = self.find(key)?;
        let entry = self.entries.get(entry_idx as usize)?;
        let phrase = entry.phrases.get(phrase_idx as usize)?;
        let rule = entry.codes.iter().find(|rule| !rule.when.is_dated());
        Some(ActorMatch { entry, phrase, rule, capital: self.capitals.contains(key) })
    }

    /// Whether some key starts with this (normalized) word, and the most words such a key has.
    pub fn max_words_from(&self, first_word: &str) -> usize {
        self.index.max_words_from(first_word)
    }

    fn find(&self, key: &str) -> Option<(u32, u32)> {
        self.index.get(key, |(e, p)| {
            self.entries
                .get(e as usize)
                .and_then(|entry| entry.phrases.get(p as usize))
                .map_or("", |phrase| phrase.key.as_str())
        })
    }
}

/// The agents, indexed by the keys of their phrases.
#[derive(Clone, Debug, Default)]
pub struct AgentDictionary {
    entries: Vec<AgentEntry>,
    index: KeyIndex,
}

impl AgentDictionary {
    pub fn new(entries: Vec<AgentEntry>) -> AgentDictionary {
        let mut index = KeyIndex::with_capacity(entries.len());
        for (idx, entry) in entries.iter().enumerate() {
            index.insert(&entry.key, (idx as u32, 0), |(e, _)| entries[e as usize].key.as_str());
        }
        AgentDictionary { entries, index }
    }

    pub fn entries(&self) -> &[AgentEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.index.len
    }

    pub fn is_empty(&self) -> bool {
        self.index.len == 0
    }

    /// Looks up an agent phrase written as text ("army", "foreign minister").
    pub fn lookup(&self, phrase: &str) -> Option<&AgentEntry> {
        self.lookup_key(&phrase_key(phrase))
    }

    pub fn lookup_words<S: AsRef<str>>(&self, words: &[S]) -> Option<&AgentEntry> {
        self.lookup_key(&words_key(words))
    }

    pub fn lookup_key(&self, key: &str) -> Option<&AgentEntry> {
        let (idx, _) =
            self.index.get(key, |(e, _)| self.entries.get(e as usize).map_or("", |entry| entry.key.as_str()))?;
        self.entries.get(idx as usize)
    }

    pub fn max_words_from(&self, first_word: &str) -> usize {
        self.index.max_words_from(first_word)
    }
}

/// Key → (entry, phrase), stored by the key's hash; the caller resolves a position back to its key
/// so that a hash match is confirmed against the real key. Later inserts of the same key win.
#[derive(Clone, Debug, Default)]
struct KeyIndex {
    by_hash: FxHashMap<u64, (u32, u32)>,
    /// Keys whose hash collides with a different key's.
    collisions: FxHashMap<String, (u32, u32)>,
    /// Hash of a key's first word → the most words a key starting with it has.
    max_words: FxHashMap<u64, usize>,
    len: usize,
}

impl KeyIndex {
    fn with_capacity(capacity: usize) -> KeyIndex {
        let mut by_hash = FxHashMap::default();
        by_hash.reserve(capacity);
        KeyIndex { by_hash, ..KeyIndex::default() }
    }

    fn hash(text: &str) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(text)
    }

    fn insert<'k>(&mut self, key: &str, position: (u32, u32), key_of: impl Fn((u32, u32)) -> &'k str) {
        let first = key.split(' ').next().unwrap_or("");
        let words = key.split(' ').count();
        let max = self.max_words.entry(Self::hash(first)).or_insert(0);
        *max = (*max).max(words);
        match self.by_hash.entry(Self::hash(key)) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(position);
                self.len += 1;
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                if key_of(*slot.get()) == key {
                    slot.insert(position);
                } else if self.collisions.insert(key.to_string(), position).is_none() {
                    self.len += 1;
                }
            }
        }
    }

    fn get<'k>(&self, key: &str, key_of: impl Fn((u32, u32)) -> &'k str) -> Option<(u32, u32)> {
        if let Some(&position) = self.collisions.get(key) {
            return Some(position);
        }
        let &position = self.by_hash.get(&Self::hash(key))?;
        (key_of(position) == key).then_some(position)
    }

    fn max_words_from(&self, first_word: &str) -> usize {
        self.max_words.get(&Self::hash(first_word)).copied().unwrap_or(0)
    }
}

/// Errors rendered `line: message`, joined by `; `: what the format modules' tests compare.
#[cfg(test)]
fn render_errors(errors: &[Error]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.location.line.unwrap_or(0), e.message)).collect::<Vec<_>>().join("; ")
}
