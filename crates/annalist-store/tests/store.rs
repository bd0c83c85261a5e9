//! The store end to end on coded fixture articles: idempotence, replacement, merging across
//! articles and outlets, independence from batch order, queries, exports, and readers during a
//! write.

use annalist::article::{read_json_line, read_seed};
use annalist::pipeline::Pipeline;
use annalist::{Article, Location};
use annalist_store::export::Format;
use annalist_store::query::{EventFilter, Interval};
use annalist_store::{content_hash, Ingested, Store};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::shipped().expect("the shipped pipeline loads"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data").join(name)
}

/// The fixture's articles: three outlets report Putin meeting al-Sharaa in Moscow (two on the
/// day, one the next day), one of them also an unrelated attack in Gaza; a fourth reports
/// another meeting ten days later.
fn fixture() -> Vec<Article> {
    let text = std::fs::read_to_string(data("store/merge.jsonl")).expect("the fixture");
    let at = Location::file("merge.jsonl");
    text.lines().map(|line| read_json_line(line, &at).expect("an article").article).collect()
}

fn coded(articles: &[Article]) -> Vec<Ingested> {
    articles
        .iter()
        .map(|article| Ingested {
            article: article.clone(),
            coded: pipeline().code(article),
            hash: content_hash(article, "test"),
        })
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn export(store: &Store, format: Format) -> String {
    let mut out = Vec::new();
    store.export(&EventFilter::default(), format, &mut out).expect("exports");
    String::from_utf8(out).expect("UTF-8")
}

fn dyad(source: &str, target: &str, code: &str) -> EventFilter {
    EventFilter {
        source: Some(source.into()),
        target: Some(target.into()),
        code: Some(code.into()),
        ..EventFilter::default()
    }
}

#[test]
fn ingesting_twice_adds_nothing() {
    let mut store = Store::open(&scratch("twice")).expect("opens");
    let batch = coded(&fixture());
    let first = store.write(&batch, &[]).expect("writes");
    assert_eq!((first.added, first.unchanged), (4, 0));
    let counts = store.counts().expect("counts");
    let exported = export(&store, Format::Jsonl);
    let second = store.write(&batch, &[]).expect("writes");
    assert_eq!((second.added, second.replaced, second.unchanged, second.events), (0, 0, 4, 0));
    assert_eq!(store.counts().expect("counts"), counts);
    assert_eq!(export(&store, Format::Jsonl), exported);
}

#[test]
fn one_event_in_three_articles_is_one_event() {
    let mut store = Store::open_in_memory().expect("opens");
    store.write(&coded(&fixture()), &[]).expect("writes");
    let meetings = store.events(&dyad("RUSGOV", "SYRGOV", "040")).expect("query");
    assert_eq!(meetings.len(), 2, "{meetings:#?}");
    let moscow = &meetings[0];
    assert_eq!(moscow.date.as_deref(), Some("2026-02-10"));
    assert_eq!((moscow.num_mentions, moscow.num_articles, moscow.num_sources), (3, 3, 3));
    // The stated place wins over the articles that do not say where.
    assert_eq!(moscow.location.as_ref().map(|p| p.name.as_str()), Some("Moscow"));
    // Ten days later is another meeting.
    let sochi = &meetings[1];
    assert_eq!(sochi.date.as_deref(), Some("2026-02-20"));
    assert_eq!((sochi.num_mentions, sochi.num_sources), (1, 1));
    // The attack in the AFP story stays its own event.
    let attacks = store.events(&EventFilter { code: Some("19".into()), ..EventFilter::default() }).expect("query");
    assert_eq!(attacks.len(), 1);
    assert_eq!((attacks[0].source.as_str(), attacks[0].num_mentions), ("ISRMIL", 1));
    // Every count is traceable to its sentences.
    let detail = store.event(moscow.id).expect("query").expect("the event");
    assert_eq!(detail.mentions.len(), 3);
    let outlets: Vec<_> = detail.mentions.iter().filter_map(|m| m.outlet.as_deref()).collect();
    assert_eq!(outlets, ["SANA", "TASS", "AFP"]);
    for mention in &detail.mentions {
        assert!(mention.sentence_text.contains("met"), "{mention:?}");
        assert!(mention.sentence_span[0] <= mention.span[0] && mention.span[1] <= mention.sentence_span[1]);
    }
}

#[test]
fn the_store_does_not_depend_on_batch_order() {
    let batch = coded(&fixture());
    let mut together = Store::open_in_memory().expect("opens");
    together.write(&batch, &[]).expect("writes");
    let expected = export(&together, Format::Jsonl);
    for order in [[3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]] {
        let mut store = Store::open_in_memory().expect("opens");
        for index in order {
            store.write(std::slice::from_ref(&batch[index]), &[]).expect("writes");
        }
        assert_eq!(export(&store, Format::Jsonl), expected, "order {order:?}");
    }
}

#[test]
fn a_changed_article_replaces_its_rows() {
    let mut store = Store::open_in_memory().expect("opens");
    let mut articles = fixture();
    store.write(&coded(&articles), &[]).expect("writes");
    articles[2].text = "Separately, Israeli troops attacked Hamas fighters in Gaza on Wednesday.".into();
    let stats = store.write(&coded(&articles[2..3]), &[]).expect("writes");
    assert_eq!((stats.added, stats.replaced), (0, 1));
    let moscow = &store.events(&dyad("RUSGOV", "SYRGOV", "040")).expect("query")[0];
    assert_eq!((moscow.num_mentions, moscow.num_sources), (2, 2));
    assert_eq!(store.counts().expect("counts").articles, 4);
    // The same as a store that only ever saw the new version.
    let mut fresh = Store::open_in_memory().expect("opens");
    fresh.write(&coded(&articles), &[]).expect("writes");
    assert_eq!(export(&store, Format::Jsonl), export(&fresh, Format::Jsonl));
}

#[test]
fn a_narrower_window_splits_the_next_day_report() {
    let mut store = Store::open_in_memory().expect("opens");
    store.write(&coded(&fixture()), &[]).expect("writes");
    assert!(store.set_window(0).expect("re-merges"));
    let meetings = store.events(&dyad("RUSGOV", "SYRGOV", "040")).expect("query");
    let counts: Vec<_> = meetings.iter().map(|e| (e.date.clone().unwrap_or_default(), e.num_mentions)).collect();
    assert_eq!(counts, [("2026-02-10".into(), 2), ("2026-02-11".into(), 1), ("2026-02-20".into(), 1)]);
    assert!(!store.set_window(0).expect("unchanged"));
}

#[test]
fn queries_by_actor_place_series_quotes_and_text() {
    let mut store = Store::open_in_memory().expect("opens");
    let mut articles = fixture();
    let seed = std::fs::read_to_string(data("2026-01-28-moscow-putin-al-sharaa.txt")).expect("seed");
    articles.push(read_seed("seed", &seed, &Location::file("seed")).article);
    store.write(&coded(&articles), &[]).expect("writes");
    let all = store.events(&EventFilter::default()).expect("query");
    let by_actor = store.events(&EventFilter { actor: Some("ISR".into()), ..EventFilter::default() }).expect("query");
    assert_eq!(by_actor.len(), 1);
    let near_moscow = EventFilter { near: Some((55.75, 37.62, 50.0)), ..EventFilter::default() };
    let near = store.events(&near_moscow).expect("query");
    assert!(!near.is_empty() && near.len() < all.len());
    assert!(near.iter().all(|e| e.location.as_ref().is_some_and(|p| p.name == "Moscow")));
    assert_eq!(store.count_events(&near_moscow).expect("count"), near.len() as u64);
    let in_russia = store.events(&EventFilter { place: Some("rus".into()), ..EventFilter::default() }).expect("query");
    assert!(in_russia.len() >= near.len());
    let paged = store.events(&EventFilter { limit: Some(2), offset: 1, ..EventFilter::default() }).expect("query");
    assert_eq!(paged, all[1..3]);
    let in_february = EventFilter { from: "2026-02-01".parse().ok(), ..EventFilter::default() };
    assert!(store.events(&in_february).expect("query").iter().all(|e| e.date.as_deref() >= Some("2026-02")));

    let weekly = store.series(&dyad("RUS", "SYR", ""), Interval::Week).expect("series");
    let periods: Vec<_> = weekly.iter().map(|p| p.period.as_str()).collect();
    assert!(periods.contains(&"2026-01-26") && periods.contains(&"2026-02-09"), "{periods:?}");
    for point in &weekly {
        assert_eq!(point.quad_counts.iter().sum::<u64>(), point.count);
    }
    let monthly = store.series(&dyad("RUS", "SYR", ""), Interval::Month).expect("series");
    assert_eq!(monthly.iter().map(|p| p.count).sum::<u64>(), weekly.iter().map(|p| p.count).sum::<u64>());

    let by_speaker = store.quotes(None, Some("Putin"), 50).expect("quotes");
    assert!(!by_speaker.is_empty() && by_speaker.iter().all(|q| q.article == "seed"));
    assert!(!store.quotes(Some("Syria"), None, 50).expect("quotes").is_empty());
    let view = store.article("seed").expect("reads").expect("the seed article");
    assert_eq!(
        view.events.len(),
        store.events(&EventFilter { article: Some("seed".into()), ..EventFilter::default() }).expect("query").len()
    );
    assert!(view.events.iter().all(|e| e["event"].is_i64() && e["verb_span"].is_array()), "{:?}", view.events);
    assert!(view.quotes.iter().any(|q| q["cue_span"].is_array()));
    assert!(view.entities.iter().any(|e| e.text == "Vladimir Putin" && e.actor.as_deref() == Some("RUSGOV")));
    assert!(view.times.as_array().is_some_and(|t| !t.is_empty()));
    assert!(store.article("none").expect("reads").is_none());
    let actors = store.top_actors(&EventFilter::default(), 3).expect("actors");
    let mut first_two: Vec<&str> = actors[..2].iter().map(|a| a.actor.as_str()).collect();
    first_two.sort();
    assert_eq!(first_two, ["RUSGOV", "SYRGOV"]);
    assert!(actors.windows(2).all(|w| w[0].events >= w[1].events));
    let dyads = store.top_dyads(&EventFilter::default(), 1).expect("dyads");
    assert_eq!((dyads[0].source.as_str(), dyads[0].target.as_str()), ("RUSGOV", "SYRGOV"));
    let hits = store.search_articles("Kremlin Hamas", 10).expect("search");
    assert_eq!(hits.iter().map(|h| h.article.as_str()).collect::<Vec<_>>(), ["afp-2026-02-11-kremlin-talks"]);
    assert!(hits[0].snippet.contains('['));
    assert!(store.search_articles("\"", 10).is_err());
}

#[test]
fn exports_gdelt_csv_and_parquet() {
    let mut store = Store::open_in_memory().expect("opens");
    store.write(&coded(&fixture()), &[]).expect("writes");
    let events = store.counts().expect("counts").events as usize;
    let gdelt = export(&store, Format::Gdelt);
    let rows: Vec<Vec<&str>> = gdelt.lines().map(|line| line.split('\t').collect()).collect();
    assert_eq!(rows.len(), events);
    assert!(rows.iter().all(|row| row.len() == 61));
    let moscow = rows.iter().find(|row| row[5] == "RUSGOV" && row[15] == "SYRGOV" && row[1] == "20260210");
    let moscow = moscow.expect("the Moscow meeting");
    assert_eq!((moscow[7], moscow[12], moscow[17], moscow[22]), ("RUS", "GOV", "SYR", "GOV"));
    assert_eq!((moscow[26], moscow[29], moscow[31], moscow[32], moscow[33]), ("040", "1", "3", "3", "3"));
    assert_eq!((moscow[51], moscow[53], moscow[59]), ("4", "RS", "20260210000000"));
    let csv = export(&store, Format::Csv);
    assert_eq!(csv.lines().count(), events + 1);
    assert!(csv.starts_with("id,date,date_precision,source,target,code"));

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("parquet-export");
    let _ = std::fs::remove_dir_all(&dir);
    let (written, files) = store.export_parquet(&EventFilter::default(), &dir).expect("parquet");
    assert_eq!(written as usize, events);
    let mut rows = 0;
    let mut partitions = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the folder") {
        let folder = entry.expect("an entry").path();
        partitions.push(folder.file_name().unwrap_or_default().to_string_lossy().to_string());
        let file = std::fs::File::open(folder.join("part-0.parquet")).expect("a part");
        let reader = parquet::file::serialized_reader::SerializedFileReader::new(file).expect("Parquet");
        rows += parquet::file::reader::FileReader::metadata(&reader).file_metadata().num_rows();
    }
    partitions.sort();
    assert_eq!(files as usize, partitions.len());
    assert_eq!(rows as usize, events);
    assert!(partitions.contains(&"date=2026-02-10".to_string()), "{partitions:?}");
}

#[test]
fn readers_keep_working_while_an_ingest_writes() {
    let path = scratch("readers");
    let mut store = Store::open(&path).expect("opens");
    let batch = coded(&fixture());
    store.write(&batch, &[]).expect("writes");
    let reader = Store::open_read_only(&path).expect("opens for reading");
    let writing = std::sync::atomic::AtomicBool::new(true);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // The same articles under new ids and dates, batch after batch.
            for round in 1..=40 {
                let copies: Vec<Ingested> = batch
                    .iter()
                    .map(|item| {
                        let mut article = item.article.clone();
                        article.id = format!("{}-copy-{round}", article.id);
                        Ingested { hash: content_hash(&article, "test"), article, coded: item.coded.clone() }
                    })
                    .collect();
                store.write(&copies, &[]).expect("writes");
            }
            writing.store(false, std::sync::atomic::Ordering::SeqCst);
        });
        let mut reads = 0;
        let mut last = 0;
        while writing.load(std::sync::atomic::Ordering::SeqCst) {
            let counts = reader.counts().expect("reads during the write");
            let events = reader.events(&EventFilter { limit: Some(10), ..EventFilter::default() }).expect("queries");
            assert!(!events.is_empty());
            // A reader sees whole batches: articles always come in fours.
            assert_eq!(counts.articles % 4, 0);
            assert!(counts.articles >= last);
            last = counts.articles;
            reads += 1;
        }
        assert!(reads > 0);
    });
    assert_eq!(reader.counts().expect("counts").articles, 4 * 41);
}

#[test]
fn a_newer_store_is_refused() {
    let path = scratch("newer");
    drop(Store::open(&path).expect("opens"));
    let conn = rusqlite::Connection::open(&path).expect("opens");
    conn.pragma_update(None, "user_version", 99).expect("sets");
    drop(conn);
    let error = Store::open(&path).err().expect("refused");
    assert!(error.to_string().contains("newer"), "{error}");
}
