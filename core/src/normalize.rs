//! Unicode normalisation and the folded views of a password that the matchers work on.

use unicode_normalization::UnicodeNormalization;

/// NFC form of `s`: an NFD-typed "Mậtkhẩu" and its NFC spelling become the same string.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Lower-case one character, keeping a one-to-one mapping (the first char of its lower case).
pub fn lower_char(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Strip Vietnamese (and other Latin) diacritics from one character: "ậ" → "a", "đ" → "d".
pub fn fold_char(c: char) -> char {
    match c {
        'đ' => 'd',
        'Đ' => 'D',
        _ if c.is_ascii() => c,
        _ => {
            let mut base = c;
            unicode_normalization::char::decompose_canonical(c, |d| {
                if base == c {
                    base = d;
                }
            });
            base
        }
    }
}

/// Lower case and diacritics stripped, one output char per input char.
pub fn fold_lower_char(c: char) -> char {
    fold_char(lower_char(c))
}

/// Lower-cased, diacritic-free copy of `s` (used for names, e-mail parts, dictionary keys).
pub fn fold(s: &str) -> String {
    s.nfc().map(fold_lower_char).collect()
}

/// The letters and digits of a folded string, everything else dropped ("Nguyễn Văn" → "nguyenvan").
pub fn fold_compact(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The letter a look-alike symbol usually stands for ("@" → "a", "0" → "o"); `alt` picks the
/// second reading of the ambiguous ones ("1", "|", "7" → "l" instead of "i"/"t").
pub fn unleet(c: char, alt: bool) -> char {
    match c {
        '@' | '4' => 'a',
        '8' => 'b',
        '(' | '{' | '[' | '<' => 'c',
        '3' => 'e',
        '6' | '9' => 'g',
        '1' | '|' if alt => 'l',
        '7' if alt => 'l',
        '1' | '!' | '|' => 'i',
        '0' => 'o',
        '$' | '5' => 's',
        '7' | '+' => 't',
        '%' => 'x',
        '2' => 'z',
        _ => c,
    }
}

/// Invisible or control characters: C0/C1 controls, format characters (zero-width, bidi controls,
/// soft hyphen, BOM, tags), line/paragraph separators and non-characters.
pub fn is_invisible(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(u,
            0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
        || (u & 0xFFFE) == 0xFFFE
        || (0xFDD0..=0xFDEF).contains(&u)
}

/// What a password character counts as for the composition rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// Has an upper-case form that differs (Unicode `Uppercase`): "A", "Ậ", "Đ".
    Upper,
    /// Unicode `Lowercase`: "a", "ậ", "đ".
    Lower,
    /// A letter with no case (CJK, Thai…): counts as a letter but neither upper nor lower.
    Uncased,
    /// Unicode `Numeric`: "0"–"9" and other scripts' digits.
    Digit,
    /// Everything visible that is not a letter or digit, space included: "@", "#", " ", "€".
    Special,
    /// Control and invisible characters (see [`is_invisible`]); never allowed.
    Invisible,
}

/// Classify one character.
pub fn class_of(c: char) -> CharClass {
    if is_invisible(c) {
        CharClass::Invisible
    } else if c.is_uppercase() {
        CharClass::Upper
    } else if c.is_lowercase() {
        CharClass::Lower
    } else if c.is_alphabetic() {
        CharClass::Uncased
    } else if c.is_numeric() {
        CharClass::Digit
    } else {
        CharClass::Special
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Mậtkhẩu Đặng"), "matkhau dang");
        assert_eq!(fold_compact("Nguyễn Thị-Thu Hà"), "nguyenthithuha");
    }

    #[test]
    fn nfd_and_nfc_fold_alike() {
        let nfd: String = "Mậtkhẩu".nfd().collect();
        assert_ne!(nfd, "Mậtkhẩu");
        assert_eq!(nfc(&nfd), "Mậtkhẩu");
        assert_eq!(fold(&nfd), "matkhau");
    }

    #[test]
    fn classes() {
        assert_eq!(class_of('Ậ'), CharClass::Upper);
        assert_eq!(class_of('ư'), CharClass::Lower);
        assert_eq!(class_of('7'), CharClass::Digit);
        assert_eq!(class_of(' '), CharClass::Special);
        assert_eq!(class_of('@'), CharClass::Special);
        assert_eq!(class_of('\u{200B}'), CharClass::Invisible);
        assert_eq!(class_of('\n'), CharClass::Invisible);
        assert_eq!(class_of('中'), CharClass::Uncased);
    }
}
