//! Latency distribution (p50 / p99 / max) of `evaluate` and of zxcvbn alone, by input length and
//! over the adversarial set: `cargo run --release -p matkhau-core --example latency`.

use matkhau_core::{evaluate, Context, Locale, Policy};
use std::time::Instant;

#[path = "../benches/common.rs"]
mod common;

fn percentiles(mut t: Vec<f64>) -> (f64, f64, f64) {
    t.sort_by(f64::total_cmp);
    let at = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99), t[t.len() - 1])
}

fn main() {
    let policy = Policy::default();
    let ctx = Context::default();
    let _ = evaluate("warm-up", &ctx, &policy, Locale::Vi);
    let _ = zxcvbn::zxcvbn("warm-up", &[]);
    println!(
        "{:<26} {:>10} {:>10} {:>10} | {:>10} {:>10}",
        "input (ms)", "p50", "p99", "max", "zx p50", "zx p99"
    );
    for n in [8usize, 16, 32, 64, 128, 10_000] {
        let (mut ours, mut zx) = (vec![], vec![]);
        for seed in 0..300u64 {
            let inputs = [
                common::random_printable(n, seed),
                common::by_length(n)[1].clone(),
            ];
            for pw in &inputs {
                let t = Instant::now();
                let _ = evaluate(pw, &ctx, &policy, Locale::Vi);
                ours.push(t.elapsed().as_secs_f64() * 1e3);
                if n <= 128 {
                    let t = Instant::now();
                    let _ = zxcvbn::zxcvbn(pw, &[]);
                    zx.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }
        }
        let (p50, p99, max) = percentiles(ours);
        let (z50, z99) = if zx.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            let (a, b, _) = percentiles(zx);
            (a, b)
        };
        println!(
            "{:<26} {p50:>10.3} {p99:>10.3} {max:>10.3} | {z50:>10.3} {z99:>10.3}",
            format!("length {n}")
        );
    }
    let mut worst = (0.0, String::new());
    for (name, pw) in common::adversarial() {
        let mut t_ours = vec![];
        for _ in 0..20 {
            let t = Instant::now();
            let _ = evaluate(&pw, &ctx, &policy, Locale::Vi);
            t_ours.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let t = Instant::now();
        let _ = zxcvbn::zxcvbn(&pw, &[]);
        let zx = t.elapsed().as_secs_f64() * 1e3;
        let (p50, p99, max) = percentiles(t_ours);
        if max > worst.0 {
            worst = (max, name.clone());
        }
        println!(
            "{:<26} {p50:>10.3} {p99:>10.3} {max:>10.3} | {zx:>10.3}",
            name
        );
    }
    println!("worst adversarial max: {:.3} ms ({})", worst.0, worst.1);
    // The largest context the plug-in accepts (every field and `extra` entry at the bound, in
    // words of three letters, the shortest the estimator takes as the user's own).
    let field = |seed: usize| -> String {
        (0..Context::MAX_FIELD_CHARS / 4)
            .map(|i| {
                let n = seed * 97 + i;
                let abc = |k: usize| char::from(b'a' + (k % 26) as u8);
                format!("{}{}{} ", abc(n), abc(n / 26), abc(n / 676))
            })
            .collect::<String>()
            .trim_end()
            .to_string()
    };
    let big = Context {
        full_name: Some(field(1)),
        username: Some(field(2)),
        org_code: Some(field(3)),
        extra: (0..Context::MAX_EXTRA).map(|i| field(10 + i)).collect(),
        ..Context::default()
    };
    for (name, ctx) in [("no context", Context::default()), ("largest context", big)] {
        let mut t_ours = vec![];
        for seed in 0..50u64 {
            let pw = common::random_printable(16, seed);
            let t = Instant::now();
            let _ = evaluate(&pw, &ctx, &policy, Locale::Vi);
            t_ours.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let (p50, p99, max) = percentiles(t_ours);
        println!("{name:<26} {p50:>10.3} {p99:>10.3} {max:>10.3} | (16 characters)");
    }
}
