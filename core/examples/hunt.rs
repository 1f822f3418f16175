//! Hunt for slow inputs: hill-climbing over random mutations, keeping whatever makes `evaluate`
//! slower. `cargo run --release -p matkhau-core --example hunt -- [seconds] [max_len]`.

use matkhau_core::{evaluate, Context, Locale, Policy};
use std::time::{Duration, Instant};

const ALPHABET: &str = "@1|!3$05+7(48%2{[<96aAeEoOiIuUnNgGhH. _-/0123456789ăâđêôơư";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let max_len: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(160);
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    let (policy, ctx) = (Policy::default(), Context::default());
    let time = |s: &str| {
        let t = Instant::now();
        let _ = evaluate(s, &ctx, &policy, Locale::Vi);
        t.elapsed()
    };
    let mut rng = 0x9E3779B97F4A7C15u64;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let mut best: Vec<char> = (0..32).map(|_| alphabet[next(alphabet.len())]).collect();
    let mut best_t = time(&best.iter().collect::<String>());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tries = 0u64;
    while Instant::now() < deadline {
        tries += 1;
        let mut cand = best.clone();
        for _ in 0..1 + next(4) {
            match next(3) {
                0 if cand.len() < max_len => {
                    cand.insert(next(cand.len() + 1), alphabet[next(alphabet.len())])
                }
                1 if cand.len() > 1 => {
                    cand.remove(next(cand.len()));
                }
                _ => {
                    let i = next(cand.len());
                    cand[i] = alphabet[next(alphabet.len())];
                }
            }
        }
        let s: String = cand.iter().collect();
        // Take the best of three timings to damp noise.
        let t = (0..3).map(|_| time(&s)).min().unwrap_or_default();
        if t > best_t {
            best_t = t;
            best = cand;
        }
    }
    let s: String = best.iter().collect();
    // A single slow timing can be the scheduler; re-measure the winner (best of 50).
    let steady = (0..50).map(|_| time(&s)).min().unwrap_or_default();
    println!(
        "{tries} candidates in {seconds} s; slowest found: {:.3} ms while searching, {:.3} ms re-measured (best of 50), {} chars",
        best_t.as_secs_f64() * 1e3,
        steady.as_secs_f64() * 1e3,
        best.len()
    );
    println!("{s}");
}
