//! Tagging plus parsing throughput on Reuters-21578 newswire, in tokens per second.
//!
//! `cargo bench -p annalist --bench nlp`
//!
//! The corpus is read, and segmented, outside the timed loop: from `$ANNALIST_REUTERS`, or
//! `../shared/data/corpora/reuters-21578-1987.jsonl` beside the checkout; without it the benchmark
//! says so and does nothing, so that CI without the corpus still passes. `$ANNALIST_BENCH_ARTICLES` sets how
//! many articles are used (500 by default); `$ANNALIST_MODEL` a model file instead of the
//! embedded one. Every parse is checked inside the loop (one token per token, exactly one root),
//! so a broken fast path cannot pose as a speed-up.

use annalist::nlp::Model;
use annalist::segment::segment;
use annalist::Sentence;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

mod corpus;

/// The allocator the `annalist` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn documents() -> Option<Vec<(String, Vec<Sentence>)>> {
    let texts = corpus::reuters_texts()?;
    let n_articles = std::env::var("ANNALIST_BENCH_ARTICLES").ok().and_then(|n| n.parse().ok()).unwrap_or(500);
    let documents = texts
        .into_iter()
        .take(n_articles)
        .map(|text| {
            let sentences = segment(&text);
            (text, sentences)
        })
        .collect();
    Some(documents)
}

fn model() -> Model {
    match std::env::var("ANNALIST_MODEL") {
        Ok(path) => {
            let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("reading {path}: {error}"));
            Model::from_bytes(&bytes).unwrap_or_else(|error| panic!("{path}: {error}"))
        }
        Err(_) => Model::embedded().expect("embedded model").clone(),
    }
}

fn tag_and_parse(c: &mut Criterion) {
    let Some(documents) = documents() else { return };
    let model = model();
    let n_tokens: usize = documents.iter().flat_map(|(_, sentences)| sentences).map(|s| s.tokens.len()).sum();
    eprintln!("nlp bench: {} articles, {n_tokens} tokens", documents.len());
    let mut group = c.benchmark_group("nlp");
    group.throughput(Throughput::Elements(n_tokens as u64));
    group.sample_size(10);
    group.bench_function("tag+parse reuters", |b| {
        b.iter(|| {
            let mut n_parsed = 0;
            for (text, sentences) in &documents {
                for sentence in sentences {
                    let parsed = model.analyze(text, sentence);
                    assert_eq!(parsed.tokens.len(), sentence.tokens.len());
                    let roots = parsed.tokens.iter().filter(|t| t.head.is_none()).count();
                    assert!(roots == 1 || parsed.tokens.is_empty(), "{roots} roots");
                    n_parsed += parsed.tokens.len();
                }
            }
            assert_eq!(n_parsed, n_tokens);
            black_box(n_parsed)
        })
    });
    // Tagging alone, to see where the time goes.
    group.bench_function("tag reuters", |b| {
        b.iter(|| {
            let mut n_tagged = 0;
            for (text, sentences) in &documents {
                for sentence in sentences {
                    let tagged = model.tag(text, sentence);
                    assert_eq!(tagged.tokens.len(), sentence.tokens.len());
                    n_tagged += tagged.tokens.len();
                }
            }
            assert_eq!(n_tagged, n_tokens);
            black_box(n_tagged)
        })
    });
    group.finish();
}

/// Decoding the embedded model: what the first call to `Model::embedded` costs.
fn load_model(c: &mut Criterion) {
    let mut group = c.benchmark_group("nlp");
    group.sample_size(10);
    group.bench_function("load embedded model", |b| {
        b.iter(|| {
            let model = Model::from_bytes(Model::embedded_bytes()).expect("the embedded model decodes");
            assert!(model.has_parser());
            black_box(model.heap_bytes())
        })
    });
    group.finish();
}

criterion_group!(benches, tag_and_parse, load_model);
criterion_main!(benches);
