//! Queries on a store of more than a million events: a weekly dyad series over every year and
//! an actor query (a page of events and their total), with p50 and p99 printed before
//! criterion's own figures.
//!
//! The store is the Reuters-21578 corpus coded once, then written again and again under new
//! ids with every date moved on by a year per copy (so that the series spans a century), until
//! it holds a million events. Copies keep each article's title as its text and drop its quotes
//! and entities: the event tables these queries read are the same size either way, and the
//! store builds in minutes rather than hours. It is kept in `target/bench-store/` and reused; delete it
//! to rebuild. Without the corpus (`$ANNALIST_REUTERS`, or `../shared/data/corpora/` beside the
//! checkout) the bench says so and measures nothing.

use annalist::pipeline::Pipeline;
use annalist::Article;
use annalist_store::query::{EventFilter, Interval};
use annalist_store::{content_hash, Ingested, Store};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const EVENTS: u64 = 1_000_000;

fn reuters_path() -> PathBuf {
    std::env::var_os("ANNALIST_REUTERS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpora/reuters-21578-1987.jsonl")
    })
}

fn read_articles(path: &Path) -> Option<Vec<Article>> {
    let Ok(data) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {} not found (set ANNALIST_REUTERS)", path.display());
        return None;
    };
    let articles = data
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|value| {
            let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_string);
            Some(Article {
                id: field("id")?,
                date: field("date").and_then(|d| d.get(..10).and_then(|d| d.parse().ok())),
                title: field("title"),
                text: field("text")?,
                ..Article::default()
            })
        })
        .collect();
    Some(articles)
}

/// `item` moved on by `years` years under a new id.
fn copy(item: &Ingested, years: i64) -> Ingested {
    let days = 365 * years;
    let shift = |date: annalist::Date| date.add_days(days).unwrap_or(date);
    let mut article = item.article.clone();
    article.id = format!("{}~{years}", article.id);
    article.date = article.date.map(shift);
    article.text = article.title.clone().unwrap_or_default();
    let mut coded = item.coded.clone();
    coded.quotes.clear();
    coded.entities.clear();
    coded.times.clear();
    for event in &mut coded.events {
        if let Some(date) = &mut event.date {
            date.start = shift(date.start);
            date.end = shift(date.end);
        }
    }
    Ingested { hash: content_hash(&article, "bench"), article, coded }
}

fn build(path: &Path) -> Option<Store> {
    if path.exists() {
        let store = Store::open(path).expect("the bench store opens");
        if store.counts().expect("counts").events >= EVENTS {
            return Some(store);
        }
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let articles = read_articles(&reuters_path())?;
    let started = Instant::now();
    let pipeline = Pipeline::shipped().expect("the pipeline loads");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = articles.len().div_ceil(threads);
    let coded: Vec<Ingested> = std::thread::scope(|scope| {
        let workers: Vec<_> = articles
            .chunks(chunk)
            .map(|part| {
                let pipeline = &pipeline;
                scope.spawn(move || {
                    part.iter()
                        .map(|a| Ingested {
                            article: a.clone(),
                            coded: pipeline.code(a),
                            hash: content_hash(a, "bench"),
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a coding thread")).collect()
    });
    eprintln!("coded {} articles in {:.0?}", coded.len(), started.elapsed());
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("the bench folder");
    let mut store = Store::open(path).expect("the bench store opens");
    store.write(&coded, &[]).expect("writes");
    let mut years = 1;
    while store.counts().expect("counts").events < EVENTS {
        for batch in coded.chunks(2048) {
            let copies: Vec<Ingested> = batch.iter().map(|item| copy(item, years)).collect();
            store.write(&copies, &[]).expect("writes");
        }
        years += 1;
    }
    store.analyze().expect("analyzes");
    store.checkpoint().expect("checkpoints");
    let counts = store.counts().expect("counts");
    eprintln!(
        "built a store of {} events ({} articles, {years} copies) in {:.0?}",
        counts.events,
        counts.articles,
        started.elapsed()
    );
    Some(store)
}

/// Runs `query` `n` times and prints its p50 and p99.
fn percentiles(name: &str, n: usize, mut query: impl FnMut()) {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let started = Instant::now();
            query();
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    eprintln!("{name}: p50 {:.1?}, p99 {:.1?} over {n} runs", at(0.5), at(0.99));
}

fn bench_queries(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-store/events-1m.db");
    let Some(store) = build(&path) else { return };
    let counts = store.counts().expect("counts");
    eprintln!("store: {} events, {} articles", counts.events, counts.articles);
    let dyad = EventFilter { source: Some("USA".into()), target: Some("JPN".into()), ..EventFilter::default() };
    let actor = EventFilter { actor: Some("USA".into()), limit: Some(100), ..EventFilter::default() };
    let rare = EventFilter { actor: Some("SYR".into()), limit: Some(100), ..EventFilter::default() };
    let series = || {
        let points = store.series(&dyad, Interval::Week).expect("series");
        assert!(points.len() > 1000);
    };
    let page = |filter: &EventFilter| {
        let (total, events) = store.events_page(filter).expect("events");
        assert!(!events.is_empty() && total >= events.len() as u64);
    };
    percentiles("weekly USA-JPN series, all years", 100, series);
    percentiles("actor USA: first page and total", 100, || page(&actor));
    percentiles("actor SYR: first page and total", 100, || page(&rare));

    let mut group = c.benchmark_group("store 1M events");
    group.sample_size(20);
    group.bench_function("weekly dyad series USA-JPN", |b| b.iter(series));
    group.bench_function("actor USA page and total", |b| b.iter(|| page(&actor)));
    group.bench_function("actor SYR page and total", |b| b.iter(|| page(&rare)));
    group.finish();
}

criterion_group!(benches, bench_queries);
criterion_main!(benches);
