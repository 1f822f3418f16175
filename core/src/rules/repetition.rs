//! Runs of one repeated character ("aaaa") and ascending/descending sequences ("1234", "dcba").

use super::Outcome;
use crate::normalize::lower_char;
use crate::Policy;

/// Length of the longest run of one character (case-insensitive).
pub fn longest_repeat(chars: &[char]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &c in chars {
        let c = lower_char(c);
        run = if Some(c) == prev { run + 1 } else { 1 };
        prev = Some(c);
        best = best.max(run);
    }
    best
}

/// Length of the longest run of consecutive code points going up or down by one, among
/// letters or among digits (case-insensitive): "abcd" and "9876" are runs of 4.
pub fn longest_sequence(chars: &[char]) -> usize {
    let mut best = chars.len().min(1);
    let mut run = 1;
    let mut dir = 0i64;
    for w in chars.windows(2) {
        let (a, b) = (lower_char(w[0]), lower_char(w[1]));
        let same_kind =
            (a.is_alphabetic() && b.is_alphabetic()) || (a.is_numeric() && b.is_numeric());
        let d = b as i64 - a as i64;
        if same_kind && (d == 1 || d == -1) {
            run = if d == dir { run + 1 } else { 2 };
            dir = d;
        } else {
            run = 1;
            dir = 0;
        }
        best = best.max(run);
    }
    best
}

/// The repeat and sequence checks, when the policy enables them.
pub fn check(chars: &[char], policy: &Policy) -> Vec<Outcome> {
    let mut out = Vec::new();
    if policy.max_repeat > 0 {
        out.push(Outcome::simple(
            "repeat.chars",
            longest_repeat(chars) <= policy.max_repeat as usize,
        ));
    }
    if policy.max_sequence > 0 {
        out.push(Outcome::simple(
            "sequence.chars",
            longest_sequence(chars) <= policy.max_sequence as usize,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn repeats() {
        assert_eq!(longest_repeat(&v("aAaab")), 4);
        assert_eq!(longest_repeat(&v("ab")), 1);
        assert_eq!(longest_repeat(&v("")), 0);
    }

    #[test]
    fn sequences() {
        assert_eq!(longest_sequence(&v("x12345y")), 5);
        assert_eq!(longest_sequence(&v("DcBa")), 4);
        assert_eq!(longest_sequence(&v("1a2b")), 1);
        assert_eq!(longest_sequence(&v("abab")), 2);
        assert_eq!(
            longest_sequence(&v("9:;<")),
            1,
            "digits into punctuation is not a sequence"
        );
    }

    #[test]
    fn policy_limits() {
        let p = Policy::default();
        let failed = |s: &str| {
            check(&v(s), &p)
                .into_iter()
                .filter(|o| !o.ok)
                .map(|o| o.check)
                .collect::<Vec<_>>()
        };
        assert!(failed("Xaaab123!").is_empty());
        assert_eq!(failed("Xaaaab1!"), ["repeat.chars"]);
        assert_eq!(failed("Abc@12345"), ["sequence.chars"]);
    }
}
