//! Length and character-class rules, counted in Unicode characters after NFC.

use super::Outcome;
use crate::normalize::{class_of, CharClass};
use crate::Policy;

/// Counts of each character class in a password.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Characters (code points) in total.
    pub chars: usize,
    /// Upper-case letters.
    pub upper: usize,
    /// Lower-case letters.
    pub lower: usize,
    /// Digits.
    pub digit: usize,
    /// Special characters (space included).
    pub special: usize,
    /// Control and invisible characters.
    pub invisible: usize,
}

/// Count the classes of `chars`.
pub fn count(chars: &[char]) -> Counts {
    let mut c = Counts {
        chars: chars.len(),
        ..Counts::default()
    };
    for &ch in chars {
        match class_of(ch) {
            CharClass::Upper => c.upper += 1,
            CharClass::Lower => c.lower += 1,
            CharClass::Uncased => {}
            CharClass::Digit => c.digit += 1,
            CharClass::Special => c.special += 1,
            CharClass::Invisible => c.invisible += 1,
        }
    }
    c
}

/// The length, class and invisible-character checks the policy enables, in a fixed order.
pub fn check(counts: &Counts, policy: &Policy) -> Vec<Outcome> {
    let mut out = vec![
        Outcome::simple("length.min", counts.chars >= policy.min_length as usize),
        Outcome::simple("length.max", counts.chars <= policy.max_length as usize),
    ];
    let classes = [
        (policy.require_upper, "class.upper", counts.upper),
        (policy.require_lower, "class.lower", counts.lower),
        (policy.require_digit, "class.digit", counts.digit),
        (policy.require_special, "class.special", counts.special),
    ];
    for (required, code, n) in classes {
        if required {
            out.push(Outcome::simple(code, n > 0));
        }
    }
    out.push(Outcome::simple("chars.invisible", counts.invisible == 0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(pw: &str) -> Vec<&'static str> {
        let chars: Vec<char> = pw.chars().collect();
        check(&count(&chars), &Policy::default())
            .into_iter()
            .filter(|o| !o.ok)
            .map(|o| o.check)
            .collect()
    }

    #[test]
    fn regulation_classes() {
        assert!(failing("Abcdef1@").is_empty());
        assert_eq!(failing("abcdef1@"), ["class.upper"]);
        assert_eq!(failing("ABCDEF1@"), ["class.lower"]);
        assert_eq!(failing("Abcdefg@"), ["class.digit"]);
        assert_eq!(failing("Abcdefg1"), ["class.special"]);
        assert_eq!(failing("Ab1@"), ["length.min"]);
    }

    #[test]
    fn length_is_in_characters_not_bytes() {
        // 8 characters, 14 bytes.
        assert!(failing("Mật khẩ1").is_empty());
        assert_eq!("Mật khẩ1".len(), 12);
    }

    #[test]
    fn vietnamese_capitals_and_space() {
        assert!(
            failing("Ậu cơ 19").is_empty(),
            "Ậ is upper case, space is special"
        );
    }

    #[test]
    fn invisible_characters_have_their_own_code() {
        assert_eq!(failing("Abcdef1@\u{200B}"), ["chars.invisible"]);
        assert_eq!(failing("Abcdef1@\t"), ["chars.invisible"]);
    }

    #[test]
    fn too_long() {
        let long = format!("Aa1@{}", "x".repeat(200));
        assert_eq!(failing(&long), ["length.max"]);
    }
}
