//! Print the verdict JSON for each argument: `cargo run -p matkhau-core --example verdict -- PASSWORD…`
use matkhau_core::{evaluate, Context, Locale, Policy};

fn main() {
    for pw in std::env::args().skip(1) {
        println!(
            "{}",
            evaluate(&pw, &Context::default(), &Policy::default(), Locale::Vi).to_json()
        );
    }
}
