//! The PETRARCH validation dictionaries (tests/data/petrarch, MIT) load with zero errors, and code
//! as their comments say they should.

use annalist::dict::{DictionarySources, Format};
use annalist::Date;
use std::path::Path;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/petrarch").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(files: &[(Format, &str)]) -> annalist::dict::Dictionaries {
    let mut sources = DictionarySources::default();
    for (format, name) in files {
        let errors = sources.add(*format, name, &read(name));
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}:\n{}", shown.join("\n"));
    }
    sources.build()
}

fn date(text: &str) -> Date {
    text.parse().expect("test date")
}

#[test]
fn every_validation_dictionary_loads_without_errors() {
    let dictionaries = load(&[
        (Format::Actors, "PETR.Validate.actors.txt"),
        (Format::Agents, "PETR.Validate.agents.txt"),
        (Format::Verbs, "PETR.Validate.verbs.2.0.txt"),
        (Format::Discards, "PETR.Validate.discards.txt"),
    ]);
    assert_eq!(dictionaries.actors.entries().len(), 128);
    let agent = |phrase: &str| dictionaries.agents.lookup(phrase).map(|a| a.code.to_string());
    assert_eq!(agent("congresswomen"), Some("~LEG".to_string()));
    assert_eq!(agent("ministries of silly walks"), Some("~GOV".to_string()));
    assert_eq!(agent("golden geese"), Some("~GGS".to_string()));
    assert_eq!(agent("human rights organizations"), Some("NGO~".to_string()));
    assert_eq!(dictionaries.verbs.blocks.len(), 69);
    assert_eq!(dictionaries.discards.entries().len(), 9);
    // The older (CAMEO 1.x) verb file, with TABARI-style multi-word verbs, loads too.
    let older = load(&[(Format::Verbs, "PETR.Validate.verbs.txt")]);
    assert!(older.verbs.blocks.iter().any(|b| b.meaning == "LASH OUT"));
}

/// PETRARCH2 codes SAM_GAMGEE as HOB on every date because the undated default comes first; the
/// comments in the dictionary say what each date should give.
#[test]
fn sam_gamgee_gets_the_dated_codes() {
    let dictionaries = load(&[(Format::Actors, "PETR.Validate.actors.txt")]);
    let code = |name: &str, on: &str| {
        dictionaries.actors.lookup(name, date(on)).and_then(|m| m.code()).unwrap_or("-").to_string()
    };
    assert_eq!(code("Sam Gamgee", "2007-06-01"), "HOBCIV");
    assert_eq!(code("Sam Gamgee", "2010-01-10"), "ORCHOB");
    assert_eq!(code("Sam Gamgee", "2011-06-01"), "HOBMIL");
    assert_eq!(code("Sam Gamgee", "2013-01-01"), "HOBGOV");
    assert_eq!(code("Sam Gamgee", "2014-01-01"), "HOBELI");
    assert_eq!(code("Hamfast Gamgee", "2013-01-01"), "HOBGOV");
    assert_eq!(code("Hamfast Gamgee", "2014-01-01"), "HOB");
    assert_eq!(code("Smeagol", "1996-01-01"), "HOBGOV");
    assert_eq!(code("Slinker", "2000-01-01"), "HOBREB");
    assert_eq!(code("Zimbabwe", "1975-01-01"), "RHO");
    assert_eq!(code("Zimbabwe", "1985-01-01"), "ZBW");
    assert_eq!(code("Interpol", "2000-01-01"), "IGOCOPITP");
    assert_eq!(code("Barad-dur", "2000-01-01"), "MOR");
}
