//! The shipped dictionaries in compiled form, embedded in the binary.
//!
//! **Why a committed compiled file.** The shipped sources (`data/dict/*.txt`, about 3 MB of
//! PETRARCH-format text) are committed so that they can be read, diffed and cited by file and line.
//! `annalist dict compile` parses them with the same readers user files go through and writes
//! [`DictionarySources`] with bincode to `data/dict/shipped.bin`, which `include_bytes!` embeds.
//! Loading then skips tokenizing and normalizing some 200,000 phrases and only decodes and indexes
//! them, well inside the 100 ms budget; the binary reads no file for its defaults. A build script
//! could do the same at every build, but it would have to compile the readers twice and parse 3 MB
//! on every clean build on a 2-core machine. The cost of committing the output is that it can go
//! stale: the test `compiled_file_is_up_to_date` recompiles the sources and fails, naming the
//! command to run, whenever the sources or the readers change without a recompile.
//!
//! [`SHIPPED_FILES`] lists the sources in layer order: an entry of a later file replaces what an
//! earlier one says about the same name.

use super::{DictionarySources, Format};
use crate::error::Error;
use bincode::Options;

/// The shipped dictionary sources, relative to `data/dict/`, in the order they are layered.
pub const SHIPPED_FILES: &[(Format, &str)] = &[
    // Every UN member state and territory: names, adjectives, demonyms (lowest layer: Phoenix's
    // own country entries, which carry more synonyms and history, replace these where they overlap).
    (Format::Actors, "annalist.countries.actors.txt"),
    (Format::Capitals, "annalist.capitals.actors.txt"),
    (Format::Actors, "Phoenix.Countries.actors.txt"),
    (Format::Actors, "Phoenix.International.actors.txt"),
    (Format::Actors, "Phoenix.MilNonState.actors.txt"),
    // annalist's corrections for what changed after the Phoenix files (2015-2026), on top.
    (Format::Actors, "annalist.corrections.actors.txt"),
    (Format::Agents, "Phoenix.agents.txt"),
    (Format::Agents, "annalist.agents.txt"),
    (Format::Verbs, "CAMEO.2.0.txt"),
    // annalist's verb corrections: CAMEO 1.1b3 codes where CAMEO 2.0 departs from them, and verbs
    // it lacks.
    (Format::Verbs, "annalist.corrections.verbs.txt"),
    (Format::Discards, "Phoenix.discards.txt"),
    (Format::Issues, "Phoenix.IssueCoding.txt"),
];

/// The compiled form of the shipped dictionaries.
static SHIPPED: &[u8] = include_bytes!("../../../../data/dict/shipped.bin");

/// Parses the shipped sources (given as `(file name, text)` in [`SHIPPED_FILES`] order) and encodes
/// them. Returns the bytes and the errors of bad lines (there should be none).
pub fn compile(texts: &[(&str, &str)]) -> (Vec<u8>, Vec<Error>) {
    let mut sources = DictionarySources::default();
    let mut errors = Vec::new();
    for (name, text) in texts {
        let format = SHIPPED_FILES
            .iter()
            .find(|(_, shipped)| name.rsplit(['/', '\\']).next() == Some(*shipped))
            .map(|(format, _)| *format)
            .or_else(|| Format::from_file_name(name))
            .unwrap_or(Format::Actors);
        errors.extend(sources.add(format, name, text));
    }
    (encode(&sources), errors)
}

/// The bincode encoding of `sources`.
pub fn encode(sources: &DictionarySources) -> Vec<u8> {
    // Serializing plain structs of strings, vectors and enums into memory cannot fail: bincode only
    // errors on I/O, on size limits (none set), or on maps with non-string keys (there are none).
    bincode::DefaultOptions::new().serialize(sources).expect("in-memory bincode serialization of plain data")
}

/// Decodes a compiled form.
pub fn decode(bytes: &[u8]) -> Result<DictionarySources, String> {
    bincode::DefaultOptions::new().deserialize(bytes).map_err(|e| format!("compiled dictionaries do not decode: {e}"))
}

pub(super) fn shipped_sources() -> DictionarySources {
    // SHIPPED is a constant compiled into this binary by `annalist dict compile` from the same types;
    // the tests `shipped_dictionaries_load` and `compiled_file_is_up_to_date` decode it, so decoding
    // cannot fail in a binary whose tests pass.
    decode(SHIPPED).expect("the embedded dictionaries decode (checked by the tests)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_shipped_texts() -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/dict");
        SHIPPED_FILES
            .iter()
            .map(|(_, name)| {
                let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
                (format!("data/dict/{name}"), text)
            })
            .collect()
    }

    /// Every shipped dictionary parses with zero errors.
    #[test]
    fn shipped_sources_have_no_errors() {
        let texts = read_shipped_texts();
        let borrowed: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        let (_, errors) = compile(&borrowed);
        let shown: Vec<String> = errors.iter().take(20).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{} errors:\n{}", errors.len(), shown.join("\n"));
    }

    /// The committed compiled file is what compiling the committed sources gives.
    #[test]
    fn compiled_file_is_up_to_date() {
        let texts = read_shipped_texts();
        let borrowed: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        let (bytes, _) = compile(&borrowed);
        assert!(
            bytes == SHIPPED,
            "data/dict/shipped.bin is stale: run `cargo run --release -p annalist-cli -- dict compile`"
        );
    }

    #[test]
    fn shipped_dictionaries_load() {
        let sources = decode(SHIPPED).expect("decodes");
        assert_eq!(sources.files.len(), SHIPPED_FILES.len());
        let dictionaries = sources.build();
        assert!(dictionaries.actors.len() > 30_000, "{} actor phrases", dictionaries.actors.len());
        assert!(dictionaries.agents.len() > 1_000);
        assert!(dictionaries.verbs.blocks.len() > 100);
        assert!(!dictionaries.discards.entries().is_empty());
        assert!(!dictionaries.issues.is_empty());
    }
}
