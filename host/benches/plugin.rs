//! Criterion: a plug-in call against native core by input length, a call on a fresh
//! pre-initialised instance, and loading from the compiled cache.
//! `cargo bench -p matkhau-host --bench plugin` (the p50/p99 view and the one-off compile time
//! are in `examples/plugin_latency.rs`).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use matkhau_core::{evaluate, Context, Locale, Policy};
use matkhau_host::plugin::{Cache, Engine, LoadOptions, Runtime, Source};
use std::hint::black_box;

#[path = "../../core/benches/common.rs"]
#[allow(dead_code)]
mod common;

const NOW: i64 = 1_780_272_000;

fn engine(cache: &std::path::Path) -> Engine {
    let runtime = Runtime::new(Some(Cache::new(cache, "bench-cache-key").unwrap())).unwrap();
    Engine::open(runtime, &Source::Embedded, LoadOptions::default()).unwrap()
}

fn benches(c: &mut Criterion) {
    let cache = std::env::temp_dir().join("matkhau-bench-cache");
    let engine = engine(&cache);
    let policy = Policy::default();
    let ctx = Context::default();
    let mut group = c.benchmark_group("call");
    for n in [8usize, 16, 32, 64, 128] {
        let inputs: Vec<String> = (0..20).map(|s| common::random_printable(n, s)).collect();
        group.bench_with_input(BenchmarkId::new("native", n), &inputs, |b, inputs| {
            b.iter(|| {
                for pw in inputs {
                    black_box(evaluate(pw, &ctx, &policy, Locale::Vi).to_json());
                }
            })
        });
        group.bench_with_input(BenchmarkId::new("plugin", n), &inputs, |b, inputs| {
            b.iter(|| {
                for pw in inputs {
                    black_box(engine.evaluate(pw, None, None, Locale::Vi, NOW).unwrap());
                }
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("instance");
    let mut year = 0i64;
    group.bench_function("fresh_instance_call", |b| {
        b.iter(|| {
            // Another calendar year every time: the idle instance is retired, a fresh one made.
            year ^= 1;
            black_box(
                engine
                    .evaluate(
                        "Hanoi@2024x",
                        None,
                        None,
                        Locale::Vi,
                        NOW + year * 366 * 86_400,
                    )
                    .unwrap(),
            )
        })
    });
    group.sample_size(20);
    group.bench_function("load_from_cache", |b| {
        b.iter(|| black_box(crate::engine(&cache)))
    });
    group.finish();
}

criterion_group!(plugin, benches);
criterion_main!(plugin);
