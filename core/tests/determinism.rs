//! Verdicts must not depend on hash-map iteration order (zxcvbn's RandomState differs per thread and
//! per process): the same input evaluated on several threads gives byte-identical JSON.

use matkhau_core::{evaluate, Context, Locale, Policy};

fn inputs() -> Vec<String> {
    let corpus = include_str!("../../tests/corpus/passwords.jsonl");
    let mut out: Vec<String> = corpus
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["password"].as_str().map(str::to_string))
        .collect();
    // l33t-dense strings where one symbol stands for several letters (1 → i/l, 7 → l/t, | → i/l).
    let words = [
        "still", "little", "title", "lilith", "tilt", "illicit", "lit", "toilet",
    ];
    let subs = [
        ('i', ['1', '!', '|']),
        ('l', ['1', '|', '7']),
        ('t', ['7', '+', 't']),
    ];
    let mut seed = 0x2545_f491_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    for _ in 0..400 {
        let mut s = String::new();
        for _ in 0..2 {
            let w = words[next() as usize % words.len()];
            for c in w.chars() {
                let sub = subs.iter().find(|(l, _)| *l == c);
                match sub {
                    Some((_, alts)) if next() % 3 != 0 => s.push(alts[next() as usize % 3]),
                    _ => s.push(c),
                }
            }
        }
        s.push_str("A9");
        out.push(s);
    }
    out
}

fn verdicts(inputs: &[String]) -> Vec<String> {
    let policy = Policy::default();
    let ctx = Context::default();
    inputs
        .iter()
        .map(|p| evaluate(p, &ctx, &policy, Locale::En).to_json())
        .collect()
}

#[test]
fn same_verdict_on_every_thread() {
    let inputs = inputs();
    let first = verdicts(&inputs);
    let mut differing = Vec::new();
    for _ in 0..6 {
        let copy = inputs.clone();
        let other = std::thread::spawn(move || verdicts(&copy)).join().unwrap();
        for (i, (a, b)) in first.iter().zip(&other).enumerate() {
            if a != b && !differing.contains(&i) {
                differing.push(i);
                eprintln!("{}\n  {a}\n  {b}", inputs[i]);
            }
        }
    }
    assert!(differing.is_empty(), "{} inputs vary", differing.len());
}
