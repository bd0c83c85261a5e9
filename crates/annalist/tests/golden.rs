//! Golden tests: every article in `tests/data/` goes through the pipeline, and a readable rendering
//! of what came out is compared with the committed snapshot in `tests/snapshots/`. Review a change
//! with `cargo insta review` and commit it with the code that moved it.

use annalist::article::read_seed;
use annalist::segment::segment;
use annalist::Location;
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// The seed-format articles of `tests/data/`, sorted by name.
fn articles() -> Vec<(String, annalist::Article)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("tests/data exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.file_name().expect("a file name").to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).expect("UTF-8 fixture");
            let read = read_seed(&name, &text, &Location::file(&name));
            assert!(read.diagnostics.is_empty(), "{name}: {:?}", read.diagnostics);
            (name, read.article)
        })
        .collect()
}

/// The seed article of `tests/data/`.
fn seed_article() -> annalist::Article {
    articles().into_iter().find(|(name, _)| name.starts_with("2026-01-28-moscow")).expect("seed fixture").1
}

/// One line per sentence: its span and its tokens separated by `|` (`+` marks a clitic).
fn render_segmentation(text: &str) -> String {
    let mut out = String::new();
    for sentence in segment(text) {
        let tokens: Vec<String> = sentence
            .tokens
            .iter()
            .map(|token| format!("{}{}", if token.clitic { "+" } else { "" }, &text[token.span]))
            .collect();
        let _ = writeln!(
            out,
            "{:>5}..{:<5} p{} {}",
            sentence.span.start,
            sentence.span.end,
            sentence.paragraph,
            tokens.join("|")
        );
    }
    out
}

#[test]
fn segmentation_snapshots() {
    for (name, article) in articles() {
        insta::assert_snapshot!(format!("segment-{name}"), render_segmentation(&article.text));
    }
}

/// Every span is a non-empty, trimmed slice of the text, and sentences tile their tokens in order.
#[test]
fn spans_round_trip() {
    for (name, article) in articles() {
        let text = &article.text;
        let mut last_end = 0;
        for sentence in segment(text) {
            assert_eq!(&text[sentence.span], text[sentence.span].trim(), "{name}");
            for token in &sentence.tokens {
                let form = &text[token.span];
                assert!(!form.is_empty() && form.trim() == form, "{name}: token {form:?}");
                assert!(
                    token.span.start >= last_end && sentence.span.contains(token.span),
                    "{name}: {form:?} out of order"
                );
                last_end = token.span.end;
            }
        }
    }
}

/// The seed article splits into exactly its sentences, each quotation mark with the sentence it
/// opens or closes (../shared/data/seed/EXPECTED.md).
#[test]
fn seed_article_sentences() {
    let article = seed_article();
    let text = &article.text;
    let sentences: Vec<&str> = segment(text).iter().map(|s| &text[s.span]).collect();
    let expected = [
        "Russian President Vladimir Putin on Wednesday congratulated his Syrian counterpart, Ahmed al Sharaa, on the progress made in restoring Syria’s territorial integrity.",
        "Opening a meeting in Moscow with al Sharaa, who is making his second visit to Russia in four months, Putin expressed his support for the Syrian leader.",
        "\"We have been monitoring closely your efforts to restore the territorial integrity of Syria, and I would like to congratulate you on the fact that this process is gaining momentum.",
        "We have always stood for restoring the territorial integrity of Syria, as you are aware, and we support your efforts in this very regard,\" Putin said.",
        "Putin particularly praised the advancement of the Syrian army in the Euphrates region, saying integration of this area is \"critical\" for the restoration of Syria.",
        "\"I hope that the integration of the Euphrates region is, without a doubt, a crucial step in this direction and that it will contribute to the restoration of Syria's territorial integrity as a whole,\" he said.",
        "Historic Russia-Syria ties",
        "Putin also noted that thanks to the efforts of both governments, economic cooperation “moved from the dead point” and grew by some 4 percent recently.",
        "\"This may not be as ambitious as we would like, but it is notable.",
        "And we have to do everything to preserve this good trend,\" he added.",
        "Putin highlighted the depth of Russia-Syria ties, noting that diplomatic relations were established in 1944, a difficult time for Russia, which was then fighting Nazi Germany in World War II.",
        "\"Now, in the new realities, thanks in part and above all to your efforts, relations between Syria and Russia are developing,\" he said.",
        "He also mentioned that a large interdepartmental delegation from the Russian government recently visited Damascus and worked actively with Syrian counterparts.",
        "\"I know that much will need to be restored in Syria, and our economic operators, including those in the construction sector, are ready for this joint work,\" he said.",
        "Region in need of stabilisation",
    ];
    assert_eq!(sentences, expected);
}

/// One line per event: sentence, source, target, code, the words that carry them, and each
/// further mention and its location; then one line per entity (type, text, actor code, span,
/// place); then the diagnostics.
fn render_coding(coded: &annalist::pipeline::CodedArticle, text: &str) -> String {
    let mut out = String::new();
    for event in &coded.events {
        let _ = writeln!(
            out,
            "s{} {} -> {} {} (quad {}, goldstein {}, {}) {:?} {:?} {:?} conf {} [{}..{}] @{} {}{}",
            event.sentence,
            event.source,
            event.target,
            event.code,
            event.quad_class,
            event.goldstein,
            event.plover.as_deref().unwrap_or("-"),
            event.source_text,
            event.verb_text,
            event.target_text,
            event.confidence,
            event.span.start,
            event.span.end,
            event.date.map_or("-".to_string(), |d| d.to_string()),
            event.date_precision,
            if event.historical { " historical" } else { "" },
        );
        assert!(text[event.span].contains(event.verb_text.split(' ').next().unwrap_or_default()));
        if let Some(location) = &event.location {
            let _ = writeln!(
                out,
                "    in {} ({}, {}) [{}..{}]",
                location.place.name, location.place.precision, location.basis, location.span.start, location.span.end
            );
        }
        for mention in &event.mentions {
            let _ = writeln!(
                out,
                "    also s{} {:?} [{}..{}]",
                mention.sentence, mention.verb_text, mention.span.start, mention.span.end
            );
        }
    }
    for entity in &coded.entities {
        assert_eq!(&text[entity.span], entity.text);
        let actor = entity.actor.as_deref().unwrap_or("-");
        let place = entity.place.as_ref().map_or(String::new(), |p| {
            format!(
                " place {} {} {} {:.2},{:.2} {}",
                p.name,
                p.country.as_deref().unwrap_or("-"),
                p.precision,
                p.lat,
                p.lon,
                p.geonameid
            )
        });
        let _ = writeln!(
            out,
            "entity {} {:?} {actor} [{}..{}]{place}",
            entity.kind.as_str(),
            entity.text,
            entity.span.start,
            entity.span.end
        );
    }
    for time in &coded.times {
        assert_eq!(&text[time.span], time.text);
        let kind = serde_json::to_value(time.kind).expect("a kind serializes");
        let _ = writeln!(
            out,
            "time {} {:?} {} [{}..{}]",
            kind.as_str().unwrap_or("-"),
            time.text,
            time.value,
            time.span.start,
            time.span.end
        );
    }
    for quote in &coded.quotes {
        assert_eq!(&text[quote.span], quote.text);
        let kind = serde_json::to_value(quote.kind).expect("a kind serializes");
        let _ = writeln!(
            out,
            "quote {} {:?} {} {:?}: {:?} [{}..{}]",
            kind.as_str().unwrap_or("-"),
            quote.speaker.as_deref().unwrap_or("-"),
            quote.speaker_actor.as_deref().unwrap_or("-"),
            quote.cue,
            quote.text,
            quote.span.start,
            quote.span.end
        );
    }
    for amount in &coded.amounts {
        assert_eq!(&text[amount.span], amount.text);
        let value = serde_json::to_value(amount).expect("an amount serializes");
        let _ = writeln!(
            out,
            "amount {} {} {} {} {:?} [{}..{}]",
            value["kind"].as_str().unwrap_or("-"),
            value["value"],
            amount.unit.as_deref().unwrap_or("-"),
            amount.approximation.as_deref().unwrap_or("-"),
            amount.text,
            amount.span.start,
            amount.span.end
        );
    }
    for diagnostic in &coded.diagnostics {
        let _ = writeln!(out, "note: {}", diagnostic.message);
    }
    out
}

fn pipeline() -> &'static annalist::pipeline::Pipeline {
    static PIPELINE: std::sync::OnceLock<annalist::pipeline::Pipeline> = std::sync::OnceLock::new();
    PIPELINE.get_or_init(|| annalist::pipeline::Pipeline::shipped().expect("the embedded model loads"))
}

#[test]
fn coding_snapshots() {
    for (name, article) in articles() {
        let coded = pipeline().code(&article);
        insta::assert_snapshot!(format!("code-{name}"), render_coding(&coded, &article.text));
    }
}

/// The seed article codes as ../shared/data/seed/EXPECTED.md says: events 1 to 5 with those
/// actors and codes, on the article's date, and no use of force (19x) at all: the 1944 war is
/// history, not an event of 2026.
#[test]
fn seed_article_events() {
    let article = seed_article();
    let coded = pipeline().code(&article);
    let text = &article.text;
    // Every report of an event: the event itself and its further mentions, by verb.
    let reports: Vec<(String, &str)> = coded
        .events
        .iter()
        .flat_map(|e| {
            let triple = format!("{} -> {} {}", e.source, e.target, e.code);
            std::iter::once((triple.clone(), e.verb_text.as_str()))
                .chain(e.mentions.iter().map(move |m| (triple.clone(), m.verb_text.as_str())))
        })
        .collect();
    for (triple, verb) in [
        ("RUSGOV -> SYRGOV 051", "congratulated"), // 1
        ("SYRGOV -> RUS 042", "making"),           // 2
        ("RUS -> SYRGOV 043", "making"),           // 2, the mirror
        ("RUSGOV -> SYRGOV 051", "expressed"),     // 3
        ("RUSGOV -> SYRMIL 051", "praised"),       // 4
        ("RUSGOV -> SYRGOV 042", "visited"),       // 5
        ("RUSGOV -> SYRGOV 040", "worked"),        // 5
    ] {
        assert!(reports.contains(&(triple.to_string(), verb)), "missing {triple} ({verb}) in {reports:?}");
    }
    let article_date: annalist::Date = "2026-01-28".parse().expect("a date");
    for event in &coded.events {
        assert!(!event.code.starts_with("19"), "use of force coded: {event:?}");
        assert!(!event.historical);
        assert!(event.span.start < event.span.end && text[event.span].len() == event.span.len());
        let date = event.date.expect("every event is dated");
        // Nothing is dated 1944 or World War II, and nothing after the article.
        assert!(date.start.year() == 2025 || date.start.year() == 2026, "{event:?}");
        assert!(date.end <= article_date, "{event:?}");
        match event.verb_text.as_str() {
            // "on Wednesday" is the article's own day.
            "congratulated" => assert_eq!(date.to_string(), "2026-01-28"),
            // The delegation "recently visited Damascus and worked with Syrian counterparts":
            // before the article, approximately.
            "visited" | "worked" => {
                assert_eq!(event.date_precision, "approximate");
                assert!(date.end < article_date);
            }
            _ => {}
        }
    }
    let times: Vec<(&str, String)> = coded.times.iter().map(|t| (t.text.as_str(), t.value.to_string())).collect();
    for expected in [("Wednesday", "2026-01-28"), ("1944", "1944"), ("World War II", "1939/1945")] {
        assert!(times.contains(&(expected.0, expected.1.to_string())), "{expected:?} not in {times:?}");
    }
    assert!(times.iter().any(|(text, _)| *text == "in four months"));
    assert!(times.iter().any(|(text, _)| *text == "recently"));
}

/// With `--historical`, the seed's history comes out dated by its own time and flagged: the
/// diplomatic relations Russia and Syria established in 1944 (from "Russia-Syria ties") and
/// Russia's war with Nazi Germany in World War II; nothing else is history.
#[test]
fn seed_article_history() {
    let article = seed_article();
    let keeping = pipeline().with_options(annalist::events::CodingOptions {
        historical: true,
        ..annalist::events::CodingOptions::default()
    });
    let coded = keeping.code(&article);
    let history: Vec<String> = coded
        .events
        .iter()
        .filter(|e| e.historical)
        .map(|e| format!("{} -> {} {} @{} {}", e.source, e.target, e.code, e.date.expect("dated"), e.date_precision))
        .collect();
    assert_eq!(
        history,
        ["RUS -> SYR 054 @1944 year", "SYR -> RUS 054 @1944 year", "RUS -> DEU 190 @1939/1945 year"],
        "{:?}",
        coded.events
    );
    // The rest is what the default coding gives.
    let today: Vec<String> = coded.events.iter().filter(|e| !e.historical).map(|e| format!("{e:?}")).collect();
    let default: Vec<String> = pipeline().code(&article).events.iter().map(|e| format!("{e:?}")).collect();
    assert_eq!(today, default);
}

/// The seed article's places as ../shared/data/seed/EXPECTED.md gives them: Moscow (55.75 N
/// 37.62 E) and Damascus (33.51 N 36.29 E) with their countries, Syria and Russia as countries,
/// the Euphrates region in Syria; event 1 located in Moscow (the article's place: "a meeting in
/// Moscow"), the delegation's visit in Damascus (its own clause).
#[test]
fn seed_article_places() {
    let article = seed_article();
    let coded = pipeline().code(&article);
    let place_of = |name: &str| {
        coded.entities.iter().find(|e| e.text == name).and_then(|e| e.place.clone()).unwrap_or_else(|| panic!("{name}"))
    };
    for (name, country, lat, lon, precision) in [
        ("Moscow", "RUS", 55.75, 37.62, "city"),
        ("Damascus", "SYR", 33.51, 36.29, "city"),
        ("Syria", "SYR", 35.0, 38.5, "country"),
        ("Russia", "RUS", 61.7, 99.7, "country"),
        ("Euphrates region", "SYR", 35.0, 38.5, "country"),
        ("Germany", "DEU", 51.1, 10.4, "country"),
    ] {
        let place = place_of(name);
        assert_eq!((place.country.as_deref(), place.precision), (Some(country), precision), "{name}: {place:?}");
        assert!((place.lat - lat).abs() < 0.05 && (place.lon - lon).abs() < 0.05, "{name}: {place:?}");
    }
    assert_eq!(place_of("Moscow").geonameid, 524901);
    // "Syrian" is a people, not a place.
    assert!(coded.entities.iter().filter(|e| e.text == "Syrian").all(|e| e.place.is_none()));
    let located = |verb: &str| {
        let event = coded.events.iter().find(|e| e.verb_text == verb).unwrap_or_else(|| panic!("{verb}"));
        let location = event.location.as_ref().unwrap_or_else(|| panic!("{verb} located"));
        (location.place.name.as_str(), location.basis, &article.text[location.span])
    };
    assert_eq!(located("congratulated"), ("Moscow", "article", "Moscow"));
    assert_eq!(located("visited"), ("Damascus", "clause", "Damascus"));
    assert_eq!(located("worked"), ("Damascus", "clause", "Damascus"));
}

/// The seed article's amounts: "some 4 percent" (the growth of economic cooperation) and the
/// "second visit"; its years are times, not amounts.
#[test]
fn seed_article_amounts() {
    let article = seed_article();
    let coded = pipeline().code(&article);
    let growth = coded.amounts.iter().find(|a| a.text == "some 4 percent").expect("some 4 percent");
    assert_eq!(
        (growth.value, growth.unit.as_deref(), growth.approximation.as_deref()),
        (4.0, Some("percent"), Some("some"))
    );
    assert_eq!(&article.text[growth.span], "some 4 percent");
    let visit = coded.amounts.iter().find(|a| a.text == "second visit").expect("second visit");
    assert_eq!(
        (visit.value, visit.kind, visit.counted.as_deref()),
        (2.0, annalist::amounts::AmountKind::Ordinal, Some("visit"))
    );
    assert!(coded.amounts.iter().all(|a| !a.text.contains("1944")), "{:?}", coded.amounts);
}

/// The seed article's quotations as ../shared/data/seed/EXPECTED.md lists them: 1-6 direct (or
/// mixed) from Vladimir Putin (RUSGOV) with their cues, 7 ("noting") and 8 ("mentioned") indirect.
#[test]
fn seed_article_quotes() {
    let article = seed_article();
    let coded = pipeline().code(&article);
    let find = |start: &str| {
        coded
            .quotes
            .iter()
            .find(|q| q.text.trim_start_matches("that ").starts_with(start))
            .unwrap_or_else(|| panic!("no quote starting {start:?} in {:?}", coded.quotes))
    };
    for (start, cue, kinds) in [
        ("We have been monitoring closely", "said", &["direct"][..]),
        ("integration of this area is", "saying", &["mixed"]),
        ("I hope that the integration", "said", &["direct"]),
        ("thanks to the efforts of both governments", "noted", &["mixed"]),
        ("This may not be as ambitious", "added", &["direct"]),
        ("Now, in the new realities", "said", &["direct"]),
        ("I know that much will need", "said", &["direct"]),
        ("diplomatic relations were established", "noting", &["indirect"]),
        ("a large interdepartmental delegation", "mentioned", &["indirect"]),
    ] {
        let quote = find(start);
        let kind = serde_json::to_value(quote.kind).expect("a kind serializes");
        assert!(kinds.contains(&kind.as_str().unwrap_or("")), "{quote:?}");
        assert_eq!(quote.cue, cue, "{quote:?}");
        assert_eq!(quote.speaker.as_deref(), Some("Vladimir Putin"), "{quote:?}");
        assert_eq!(quote.speaker_actor.as_deref(), Some("RUSGOV"), "{quote:?}");
        assert_eq!(&article.text[quote.cue_span], quote.cue);
    }
}

/// Coding parses only the sentences that may hold an event (an actor, or a pronoun after one);
/// parsing every sentence, as explaining does, must find exactly the same events.
#[test]
fn sentences_left_unparsed_hold_no_events() {
    let explaining = pipeline()
        .with_options(annalist::events::CodingOptions { explain: true, ..annalist::events::CodingOptions::default() });
    let mixed = annalist::Article {
        id: "mixed".into(),
        date: "1987-04-02".parse().ok(),
        text: "Net profit rose 12 pct to 1.2 mln dlrs. The United States accused Iran of attacking ships \
               in the Gulf. It said Tehran would pay for the raids. Shares fell sharply on the news. \
               Iran rejected the accusation and they threatened to close the strait."
            .into(),
        ..annalist::Article::default()
    };
    let mut articles: Vec<annalist::Article> = articles().into_iter().map(|(_, article)| article).collect();
    articles.push(mixed);
    for article in &articles {
        let coded = pipeline().code(article);
        assert!(!coded.events.is_empty(), "{}: no events at all", article.id);
        assert_eq!(coded.events, explaining.code(article).events, "{}", article.id);
    }
}
