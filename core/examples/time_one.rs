//! Time `evaluate` and zxcvbn alone on each argument (min of 50 runs): `--example time_one -- PW…`
use matkhau_core::{evaluate, Context, Locale, Policy};
use std::time::Instant;

fn main() {
    let (p, c) = (Policy::default(), Context::default());
    for pw in std::env::args().skip(1) {
        let best = |f: &dyn Fn()| {
            (0..50)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1e3
                })
                .fold(f64::MAX, f64::min)
        };
        let ours = best(&|| {
            evaluate(&pw, &c, &p, Locale::Vi);
        });
        let zx = best(&|| {
            zxcvbn::zxcvbn(&pw, &[]);
        });
        let chars: Vec<char> = pw.chars().collect();
        let segs = matkhau_core::strength::zx::segment_bounds(&chars);
        let seg_times: Vec<String> = segs
            .iter()
            .map(|(a, b)| {
                let s: String = chars[*a..*b].iter().collect();
                format!(
                    "{:.2}",
                    best(&|| {
                        zxcvbn::zxcvbn(&s, &[]);
                    })
                )
            })
            .collect();
        println!("{ours:.3} ms (zxcvbn alone {zx:.3} ms; segments {segs:?} {seg_times:?})");
    }
}
