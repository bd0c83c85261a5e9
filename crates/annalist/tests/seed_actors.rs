//! Golden test: the actors of the seed article (tests/data/2026-01-28-moscow-putin-al-sharaa.txt)
//! against the committed snapshot in `tests/snapshots/` (insta: review a change with
//! `cargo insta review`, or accept it with `INSTA_UPDATE=always`) and against the actor table of
//! EXPECTED.md.

use annalist::actors::{code_actors, render, ActorCoding};
use annalist::article::read_seed;
use annalist::dict::Dictionaries;
use annalist::segment::segment;
use annalist::Location;
use std::path::Path;

const SEED: &str = "2026-01-28-moscow-putin-al-sharaa";

fn coded() -> (String, ActorCoding) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
    let raw = std::fs::read_to_string(dir.join(format!("{SEED}.txt"))).expect("seed article");
    let read = read_seed(SEED, &raw, &Location::file(SEED));
    let article = read.article;
    let dictionaries = Dictionaries::shipped();
    let coding = code_actors(&article.text, &segment(&article.text), article.date, &dictionaries);
    (article.text, coding)
}

#[test]
fn seed_actors_match_the_snapshot() {
    let (text, coding) = coded();
    insta::assert_snapshot!(format!("actors-{SEED}"), render(&text, &coding));
}

/// The mentions EXPECTED.md's actor table asks for, each with its code.
#[test]
fn seed_actors_match_expected_md() {
    let (text, coding) = coded();
    let text = text.as_str();
    let codes_of = |surface: &str| -> Vec<String> {
        coding
            .mentions
            .iter()
            .filter(|m| &text[m.span] == surface)
            .map(|m| m.code.clone().unwrap_or_default())
            .collect()
    };
    let check = |surface: &str, code: &str| {
        let codes = codes_of(surface);
        assert!(!codes.is_empty(), "no mention {surface:?}");
        assert!(codes.iter().all(|c| c == code), "{surface:?}: {codes:?}, expected {code}");
    };
    check("Russian President Vladimir Putin", "RUSGOV");
    check("his Syrian counterpart, Ahmed al Sharaa", "SYRGOV");
    check("al Sharaa", "SYRGOV");
    check("the Syrian leader", "SYRGOV");
    check("the Syrian army", "SYRMIL");
    check("the Russian government", "RUSGOV");
    check("Putin", "RUSGOV");
    check("Syria", "SYR");
    check("Russia", "RUS");
    check("Moscow", "RUS");
    check("Damascus", "SYR");
    check("Nazi Germany", "DEU");
    // Every span lies on character boundaries of the text (the span round trip).
    for mention in &coding.mentions {
        assert!(text.get(mention.span.range()).is_some(), "bad span {:?}", mention.span);
    }
    // "Russia-Syria ties" and "between Syria and Russia" are compounds.
    assert!(coding.compounds.len() >= 2);
}
