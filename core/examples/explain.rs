//! Print how the estimator covers a password: `cargo run -p matkhau-core --example explain -- PASSWORD…`
use matkhau_core::strength::{cheapest, find_all, zx};

fn main() {
    for pw in std::env::args().skip(1) {
        let chars: Vec<char> = matkhau_core::normalize::nfc(&pw).chars().collect();
        let z = zx::run(&chars, &[]);
        let all = find_all(&chars, &z);
        let (log10, parts) = cheapest(&chars, &all);
        println!(
            "{pw}: ours {log10:.2}, zxcvbn segments {:.2}",
            z.total_log10()
        );
        for p in parts {
            let text: String = chars[p.start..=p.end].iter().collect();
            println!(
                "  {:>3}..{:<3} {:6.2} {:?} {text}",
                p.start, p.end, p.log10, p.kind
            );
        }
    }
}
