//! Segmentation throughput on the Reuters-21578 corpus (read once, outside the timed loop).
//!
//! `cargo bench -p annalist --bench segment`

use annalist::segment::segment;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

mod corpus;

/// The allocator the `annalist` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_segment(c: &mut Criterion) {
    let Some(texts) = corpus::reuters_texts() else { return };
    let bytes: usize = texts.iter().map(String::len).sum();
    // The expected counts are computed once; each timed iteration must reproduce them, so that a
    // broken fast path cannot pose as a speed-up.
    let count = |texts: &[String]| {
        texts.iter().map(|t| segment(t).iter().map(|s| s.tokens.len()).sum::<usize>()).sum::<usize>()
    };
    let expected_tokens = count(&texts);
    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("reuters-21578", |b| {
        b.iter(|| {
            let n_tokens = count(black_box(&texts));
            assert_eq!(n_tokens, expected_tokens);
        })
    });
    group.finish();
}

criterion_group!(benches, bench_segment);
criterion_main!(benches);
