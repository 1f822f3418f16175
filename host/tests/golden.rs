//! Golden verdicts (tests/golden): the CLI's answers in both locales, byte for byte.
//! Regenerate after a deliberate change with `UPDATE_GOLDEN=1`.

use std::path::PathBuf;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/golden")
}

mod common;

fn check(locale: &str, input: &[u8]) -> String {
    let out = common::run_check(&["--locale", locale], input);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn golden_verdicts_both_locales() {
    let dir = golden_dir();
    let input = std::fs::read(dir.join("input.jsonl")).unwrap();
    for locale in ["vi", "en"] {
        let got = check(locale, &input);
        let path = dir.join(format!("expected.{locale}.jsonl"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap();
        for (n, (g, w)) in got.lines().zip(want.lines()).enumerate() {
            assert_eq!(g, w, "line {} of expected.{locale}.jsonl", n + 1);
        }
        assert_eq!(got.lines().count(), want.lines().count());
    }
}
