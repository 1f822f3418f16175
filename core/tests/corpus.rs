//! The labelled corpus (tests/corpus/passwords.jsonl): matkhau against zxcvbn alone, per category.
//! Targets: ≥ 95 % of weak passwords rejected, ≥ 98 % of strong ones accepted.

use matkhau_core::{evaluate, Context, Locale, Policy};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Entry {
    password: String,
    label: String,
    category: String,
    #[serde(default)]
    context: Option<Context>,
}

/// tests/corpus/passwords.jsonl, or the file named by MATKHAU_CORPUS (e.g. a re-sampled corpus).
fn corpus() -> Vec<Entry> {
    let default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/corpus/passwords.jsonl"
    );
    let path = std::env::var("MATKHAU_CORPUS").unwrap_or_else(|_| default.to_string());
    let text = std::fs::read_to_string(&path).expect("corpus file");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("corpus line"))
        .collect()
}

/// The regulation's composition rule plus zxcvbn score ≥ 3, with the user's data as inputs.
fn zxcvbn_accepts(pw: &str, ctx: &Context) -> bool {
    let composition = pw.chars().count() >= 8
        && pw.chars().any(char::is_uppercase)
        && pw.chars().any(char::is_lowercase)
        && pw.chars().any(char::is_numeric)
        && pw.chars().any(|c| !c.is_alphanumeric());
    let inputs: Vec<String> = [&ctx.full_name, &ctx.username, &ctx.email]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    composition && u8::from(zxcvbn::zxcvbn(pw, &refs).score()) >= 3
}

#[test]
fn corpus_targets() {
    let policy = Policy::default();
    // category -> (label, total, matkhau correct, zxcvbn correct)
    let mut table: BTreeMap<String, (String, u32, u32, u32)> = BTreeMap::new();
    let mut misses = Vec::new();
    for e in corpus() {
        let ctx = e.context.clone().unwrap_or_default();
        let weak = e.label == "weak";
        let v = evaluate(&e.password, &ctx, &policy, Locale::En);
        let ours_ok = v.accepted != weak;
        let zx_ok = zxcvbn_accepts(&e.password, &ctx) != weak;
        let row = table
            .entry(e.category.clone())
            .or_insert((e.label.clone(), 0, 0, 0));
        row.1 += 1;
        row.2 += u32::from(ours_ok);
        row.3 += u32::from(zx_ok);
        if !ours_ok {
            misses.push(format!(
                "{:>18} {:5} {:>6.2} {}",
                e.category, e.label, v.guesses_log10, e.password
            ));
        }
    }
    let mut totals: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    println!(
        "{:<22} {:>5} {:>9} {:>9}",
        "category", "n", "matkhau", "zxcvbn"
    );
    for (cat, (label, n, ours, zx)) in &table {
        println!(
            "{:<22} {:>5} {:>8.1}% {:>8.1}%",
            format!("{cat} ({label})"),
            n,
            100.0 * *ours as f64 / *n as f64,
            100.0 * *zx as f64 / *n as f64
        );
        let t = totals.entry(label.clone()).or_default();
        t.0 += n;
        t.1 += ours;
        t.2 += zx;
    }
    for (label, (n, ours, zx)) in &totals {
        let verb = if label == "weak" {
            "rejected"
        } else {
            "accepted"
        };
        println!(
            "ALL {label:<6} {verb}: matkhau {:.1}% zxcvbn {:.1}% (n = {n})",
            100.0 * *ours as f64 / *n as f64,
            100.0 * *zx as f64 / *n as f64
        );
    }
    println!("misclassified by matkhau (category, label, guesses_log10, password):");
    for m in &misses {
        println!("  {m}");
    }
    let rate = |label: &str| {
        let (n, ours, _) = totals[label];
        ours as f64 / n as f64
    };
    assert!(rate("weak") >= 0.95, "weak rejected {:.3}", rate("weak"));
    assert!(
        rate("strong") >= 0.98,
        "strong accepted {:.3}",
        rate("strong")
    );
}
