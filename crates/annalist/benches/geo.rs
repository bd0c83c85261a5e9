//! Loading the embedded gazetteer: decompressing and indexing its 37,000 places, once per
//! process (the pipeline keeps it).

use annalist::geo::Gazetteer;
use criterion::{criterion_group, criterion_main, Criterion};

fn bench_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("geo");
    group.sample_size(20);
    group.bench_function("load embedded gazetteer", |b| {
        b.iter(|| assert!(Gazetteer::embedded().expect("the embedded gazetteer loads").records.len() > 30_000))
    });
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
