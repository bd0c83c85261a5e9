//! The verb dictionary compiled for matching: verb forms indexed by their head word, synonym sets
//! expanded into word sequences, and each pattern's elements normalized the way article tokens are
//! (lowercase, diacritics folded, hyphenated dictionary words split as the tokenizer splits them).

use crate::dict::normalize::{normalize_word, phrase_key};
use crate::dict::verbs::{EventCode, PatternElement, VerbDictionary};
use crate::dict::Provenance;
use crate::nlp::hash::hash_str;
use rustc_hash::FxHashMap;

/// One compiled pattern element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elem {
    /// Consecutive words (normalized keys).
    Words(Vec<String>),
    /// A synonym set, by name (`&currency`), expanded at match time.
    Synset(String),
    /// A noun phrase: its elements in order, the last one its head, all inside the head's phrase.
    Phrase(Vec<Elem>),
    /// A preposition (empty: any) and what it governs, inside its phrase.
    Prep {
        preposition: Vec<String>,
        objects: Vec<Elem>,
    },
    /// `$`, `+`, `%`: an actor mention goes here, in that role.
    Source,
    Target,
    Compound,
    /// `^`: an actor mention that plays no role.
    Skip,
}

impl Elem {
    /// How much of the sentence the element pins down: the more, the more specific the pattern.
    fn weight(&self) -> u32 {
        match self {
            Elem::Words(words) => words.len() as u32 * 2,
            Elem::Synset(_) => 2,
            Elem::Phrase(inner) => inner.iter().map(Elem::weight).sum(),
            Elem::Prep { preposition, objects } => {
                u32::from(!preposition.is_empty()) * 2 + objects.iter().map(Elem::weight).sum::<u32>()
            }
            Elem::Source | Elem::Target | Elem::Compound | Elem::Skip => 1,
        }
    }
}

/// Adds the hashes of the words that `elems` match only if the sentence has them (see
/// [`CompiledPattern::required`]).
fn required_words(elems: &[Elem], out: &mut Vec<u64>) {
    for elem in elems {
        match elem {
            Elem::Words(words) => out.extend(words.iter().map(|word| hash_str(word))),
            Elem::Phrase(inner) => required_words(inner, out),
            Elem::Prep { preposition, objects } => {
                out.extend(preposition.iter().map(|word| hash_str(word)));
                required_words(objects, out);
            }
            Elem::Synset(_) | Elem::Source | Elem::Target | Elem::Compound | Elem::Skip => {}
        }
    }
}

/// A pattern ready for matching.
#[derive(Clone, Debug)]
pub struct CompiledPattern {
    pub before: Vec<Elem>,
    pub after: Vec<Elem>,
    pub code: EventCode,
    pub weight: u32,
    pub text: String,
    pub provenance: Provenance,
    /// The hashed words ([`hash_str`]) that must all be in a sentence for the pattern to match
    /// there: its literal words and prepositions (synonym sets may match any member, so they
    /// add none). Most patterns of a verb fail on this check alone, without being walked.
    pub required: Vec<u64>,
}

/// A verb form: its words (normalized) and which one is the verb proper.
#[derive(Clone, Debug)]
pub struct FormEntry {
    pub block: usize,
    pub words: Vec<String>,
    pub head: usize,
    pub code: EventCode,
    pub provenance: Provenance,
}

/// A block's patterns and default code.
#[derive(Clone, Debug)]
pub struct Block {
    pub meaning: String,
    pub code: EventCode,
    pub patterns: Vec<CompiledPattern>,
}

/// The verb dictionary, indexed.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Head word of a form (normalized) → the forms built on it.
    forms: FxHashMap<String, Vec<FormEntry>>,
    pub blocks: Vec<Block>,
    /// `&name` (lowercase) → member sequences.
    synsets: FxHashMap<String, Vec<Member>>,
}

/// One member of a synonym set: a sequence of elements, and the words it needs (as in
/// [`CompiledPattern::required`]).
#[derive(Clone, Debug)]
pub struct Member {
    pub elems: Vec<Elem>,
    pub required: Vec<u64>,
}

impl Member {
    fn new(elems: Vec<Elem>) -> Member {
        let mut required = Vec::new();
        required_words(&elems, &mut required);
        Member { elems, required }
    }
}

impl Lexicon {
    pub fn new(dictionary: &VerbDictionary) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for synset in &dictionary.synsets {
            let members = lexicon.synsets.entry(synset.name.to_lowercase()).or_default();
            for member in &synset.members {
                members.push(Member::new(compile_member(&member.text)));
                if let Some(plural) = &member.plural {
                    members.push(Member::new(compile_member(plural)));
                }
            }
        }
        // Blocks with the same name are one block, as in PETRARCH2, which files patterns under
        // the block's name: a later file (annalist's corrections) adds patterns to a block and
        // may give it a new default code.
        let mut block_of_name: FxHashMap<String, usize> = FxHashMap::default();
        for block in &dictionary.blocks {
            let block_idx = *block_of_name.entry(block.meaning.clone()).or_insert_with(|| {
                lexicon.blocks.push(Block {
                    meaning: block.meaning.clone(),
                    code: block.code.clone(),
                    patterns: Vec::new(),
                });
                lexicon.blocks.len() - 1
            });
            if !block.code.is_null() {
                lexicon.blocks[block_idx].code = block.code.clone();
            }
            for verb in &block.verbs {
                for form in &verb.forms {
                    // Each dictionary word may itself be several tokens (`CEASE-FIRE`).
                    let mut words = Vec::new();
                    let mut head = 0;
                    for (idx, word) in form.words.iter().enumerate() {
                        if idx == form.head {
                            head = words.len();
                        }
                        words.extend(split_words(word));
                    }
                    let Some(head_word) = words.get(head).cloned() else { continue };
                    let entries = lexicon.forms.entry(head_word).or_default();
                    // A later entry for the same form replaces the earlier one.
                    entries.retain(|e| !(e.words == words && e.head == head));
                    entries.push(FormEntry {
                        block: block_idx,
                        words,
                        head,
                        code: verb.code.clone(),
                        provenance: verb.provenance,
                    });
                }
            }
            for pattern in &block.patterns {
                let before = compile(&pattern.before);
                let after = compile(&pattern.after);
                let weight = before.iter().chain(&after).map(Elem::weight).sum();
                let mut required = Vec::new();
                required_words(&before, &mut required);
                required_words(&after, &mut required);
                required.sort_unstable();
                required.dedup();
                lexicon.blocks[block_idx].patterns.push(CompiledPattern {
                    before,
                    after,
                    code: pattern.code.clone(),
                    weight,
                    text: pattern.text.clone(),
                    provenance: pattern.provenance,
                    required,
                });
            }
        }
        lexicon
    }

    /// The verb forms whose verb proper is `word` (a normalized token form or lemma).
    pub fn forms(&self, word: &str) -> &[FormEntry] {
        self.forms.get(word).map_or(&[], Vec::as_slice)
    }

    /// The member sequences of synonym set `name` (`&currency`).
    pub fn synset(&self, name: &str) -> &[Member] {
        self.synsets.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }
}

/// A dictionary word or phrase as the normalized words article tokens would give.
fn split_words(phrase: &str) -> Vec<String> {
    let key = phrase_key(phrase);
    if key.is_empty() {
        vec![normalize_word(phrase)]
    } else {
        key.split(' ').map(str::to_string).collect()
    }
}

fn compile(elements: &[PatternElement]) -> Vec<Elem> {
    elements.iter().filter_map(compile_one).collect()
}

fn compile_one(element: &PatternElement) -> Option<Elem> {
    Some(match element {
        PatternElement::Word(word) => Elem::Words(split_words(word)),
        PatternElement::Synset(name) => Elem::Synset(name.to_lowercase()),
        PatternElement::NounPhrase(inner) => Elem::Phrase(compile(inner)),
        PatternElement::Prepositional { preposition, objects } => Elem::Prep {
            preposition: if preposition.is_empty() { Vec::new() } else { split_words(preposition) },
            objects: compile(objects),
        },
        PatternElement::Source => Elem::Source,
        PatternElement::Target => Elem::Target,
        PatternElement::Compound => Elem::Compound,
        PatternElement::Skip => Elem::Skip,
    })
}

/// A synonym set member: words, a nested set (`&TIETYPES`) or a phrase in parentheses.
fn compile_member(text: &str) -> Vec<Elem> {
    if let Some(name) = text.strip_prefix('&') {
        return vec![Elem::Synset(format!("&{}", name.trim().to_lowercase()))];
    }
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        let mut words = inner.split_whitespace();
        let preposition = words.next().map(split_words).unwrap_or_default();
        let rest: Vec<String> = words.flat_map(split_words).collect();
        let objects = if rest.is_empty() { Vec::new() } else { vec![Elem::Words(rest)] };
        return vec![Elem::Prep { preposition, objects }];
    }
    vec![Elem::Words(split_words(text))]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(words: &[&str]) -> Vec<u64> {
        words.iter().map(|word| hash_str(word)).collect()
    }

    #[test]
    fn patterns_need_their_literal_words_not_their_synonym_sets() {
        let elems = [
            Elem::Words(vec!["peace".into(), "talks".into()]),
            Elem::Synset("&currency".into()),
            Elem::Phrase(vec![Elem::Words(vec!["new".into()]), Elem::Source]),
            Elem::Prep { preposition: vec!["with".into()], objects: vec![Elem::Target] },
            Elem::Prep { preposition: Vec::new(), objects: vec![Elem::Words(vec!["aid".into()])] },
        ];
        let mut required = Vec::new();
        required_words(&elems, &mut required);
        assert_eq!(required, hashes(&["peace", "talks", "new", "with", "aid"]));
        // Members are normalized as article tokens are, so their hashes are the tokens' hashes.
        assert_eq!(Member::new(compile_member("(IN RE-ELECTION)")).required, hashes(&["in", "re", "election"]));
        assert_eq!(Member::new(compile_member("&TIETYPES")).required, hashes(&[]));
    }
}
