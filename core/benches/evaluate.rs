//! `evaluate` by input length and on adversarial inputs, with zxcvbn alone as the baseline.
//! Run: `cargo bench -p matkhau-core --bench evaluate`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use matkhau_core::{evaluate, Context, Locale, Policy};
use std::hint::black_box;

#[path = "common.rs"]
mod common;

fn lengths(c: &mut Criterion) {
    let policy = Policy::default();
    let ctx = Context::default();
    let mut g = c.benchmark_group("evaluate");
    for n in [8usize, 16, 32, 64, 128, 10_000] {
        for (kind, pw) in ["random", "phrase"].iter().zip(common::by_length(n)) {
            g.bench_with_input(
                BenchmarkId::new(format!("matkhau/{kind}"), n),
                &pw,
                |b, pw| b.iter(|| evaluate(black_box(pw), &ctx, &policy, Locale::Vi)),
            );
            if n <= 128 {
                g.bench_with_input(
                    BenchmarkId::new(format!("zxcvbn/{kind}"), n),
                    &pw,
                    |b, pw| b.iter(|| zxcvbn::zxcvbn(black_box(pw), &[])),
                );
            }
        }
    }
    g.finish();
}

fn adversarial(c: &mut Criterion) {
    let policy = Policy::default();
    let ctx = Context::default();
    let mut g = c.benchmark_group("adversarial");
    g.sample_size(20);
    for (name, pw) in common::adversarial() {
        g.bench_with_input(BenchmarkId::new("matkhau", &name), &pw, |b, pw| {
            b.iter(|| evaluate(black_box(pw), &ctx, &policy, Locale::Vi))
        });
    }
    g.finish();
}

criterion_group!(benches, lengths, adversarial);
criterion_main!(benches);
