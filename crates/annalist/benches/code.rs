//! End-to-end coding throughput, in sentences per second on one core: segmentation, tagging,
//! parsing, actor and event coding of Reuters-21578 articles with the shipped dictionaries.
//!
//! `cargo bench -p annalist --bench code`

use annalist::article::Article;
use annalist::pipeline::Pipeline;
use annalist::segment::segment;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

mod corpus;

/// The allocator the `annalist` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Articles coded per iteration: the first of the corpus, read once outside the timed loop.
const ARTICLES: usize = 500;

fn bench_code(c: &mut Criterion) {
    let Some(texts) = corpus::reuters_texts() else { return };
    let articles: Vec<Article> = texts
        .into_iter()
        .take(ARTICLES)
        .enumerate()
        .map(|(idx, text)| Article { id: idx.to_string(), date: "1987-03-01".parse().ok(), text, ..Article::default() })
        .collect();
    let pipeline = Pipeline::shipped().expect("the embedded model loads");
    let sentences: usize = articles.iter().map(|a| segment(&a.text).len()).sum();
    // Each timed iteration must code the same events, so that a broken fast path cannot pose as
    // a speed-up.
    let count = |articles: &[Article]| articles.iter().map(|a| pipeline.code(a).events.len()).sum::<usize>();
    let expected_events = count(&articles);
    let mut group = c.benchmark_group("code");
    group.throughput(Throughput::Elements(sentences as u64));
    group.sample_size(10);
    group.bench_function("reuters-21578 sentences", |b| {
        b.iter(|| assert_eq!(count(black_box(&articles)), expected_events));
    });
    group.finish();
}

criterion_group!(benches, bench_code);
criterion_main!(benches);
