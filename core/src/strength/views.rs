//! Readings of the password that dictionary words are looked up in, each mapped back to the
//! original characters: folded, l33t read as letters, and Telex / VNI keystrokes decoded.

use crate::normalize::{fold_lower_char, unleet};

/// How a view was read; costs the attacker a little extra per match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Lower case, diacritics stripped.
    Plain,
    /// Look-alike symbols read as letters ("M@tkh@u").
    Leet,
    /// Vietnamese typed in Telex with the input method off ("maatjkhaaur").
    Telex,
    /// Vietnamese typed in VNI with the input method off ("ma6t5kha6u3").
    Vni,
}

/// One reading of the password: its characters and, for each, the original span it stands for.
#[derive(Debug, Clone)]
pub struct View {
    /// How it was read.
    pub reading: Reading,
    /// Separators between letters were dropped ("Xin_Chao" → "xinchao").
    pub spaced: bool,
    /// The characters of this reading.
    pub chars: Vec<char>,
    /// First original index each character covers.
    pub start: Vec<usize>,
    /// Last original index each character covers (keystrokes dropped after it included).
    pub end: Vec<usize>,
}

impl View {
    fn identity(reading: Reading, chars: Vec<char>) -> View {
        let n = chars.len();
        View {
            reading,
            spaced: false,
            chars,
            start: (0..n).collect(),
            end: (0..n).collect(),
        }
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Decode Telex keystrokes: doubled vowels and "dd" (â ê ô đ), "w" after a/o/u (ă ơ ư) or alone
/// (ư), and tone keys s f r x j typed after a syllable's vowel.
fn telex(folded: &[char]) -> View {
    let mut v = View {
        reading: Reading::Telex,
        spaced: false,
        chars: vec![],
        start: vec![],
        end: vec![],
    };
    let mut vowel_seen = false;
    for (i, &c) in folded.iter().enumerate() {
        let prev = v.chars.last().copied();
        let next = folded.get(i + 1).copied();
        let attach = match c {
            'a' | 'e' | 'o' | 'd' => prev == Some(c) && v.end.last() == v.start.last(),
            'w' => matches!(prev, Some('a' | 'o' | 'u')),
            's' | 'f' | 'r' | 'x' | 'j' => {
                vowel_seen
                    && prev.is_some_and(|p| p.is_ascii_alphabetic())
                    && !next.is_some_and(is_vowel)
            }
            _ => false,
        };
        if attach {
            if let Some(e) = v.end.last_mut() {
                *e = i;
            }
            if matches!(c, 's' | 'f' | 'r' | 'x' | 'j') {
                vowel_seen = false;
            }
            continue;
        }
        let out = if c == 'w' { 'u' } else { c };
        vowel_seen = if out.is_ascii_alphabetic() {
            vowel_seen || is_vowel(out)
        } else {
            false
        };
        v.chars.push(out);
        v.start.push(i);
        v.end.push(i);
    }
    v
}

/// Decode VNI keystrokes: a single digit 1–9 typed right after a letter is a diacritic key.
fn vni(folded: &[char]) -> View {
    let mut v = View {
        reading: Reading::Vni,
        spaced: false,
        chars: vec![],
        start: vec![],
        end: vec![],
    };
    for (i, &c) in folded.iter().enumerate() {
        let after_letter = i > 0 && folded[i - 1].is_ascii_alphabetic();
        let lone = !folded.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if ('1'..='9').contains(&c) && after_letter && lone {
            if let Some(e) = v.end.last_mut() {
                *e = i;
            }
            continue;
        }
        v.chars.push(c);
        v.start.push(i);
        v.end.push(i);
    }
    v
}

/// The same reading with single separators (space . _ -) between two letters dropped, their
/// original positions folded into the letter before them.
fn despace(view: &View) -> View {
    let mut v = View {
        reading: view.reading,
        spaced: true,
        chars: vec![],
        start: vec![],
        end: vec![],
    };
    let c = &view.chars;
    for i in 0..c.len() {
        let between_letters =
            i > 0 && c[i - 1].is_alphabetic() && c.get(i + 1).is_some_and(|n| n.is_alphabetic());
        if matches!(c[i], ' ' | '.' | '_' | '-') && between_letters {
            if let Some(e) = v.end.last_mut() {
                *e = view.end[i];
            }
            continue;
        }
        v.chars.push(c[i]);
        v.start.push(view.start[i]);
        v.end.push(view.end[i]);
    }
    v
}

/// Every distinct reading of `chars` worth searching.
pub fn readings(chars: &[char]) -> Vec<View> {
    let folded: Vec<char> = chars.iter().map(|&c| fold_lower_char(c)).collect();
    let mut views = vec![];
    // A digit stands for a letter only next to a letter ("M4i", "Ngu0i"), not inside a number.
    let letter_at = |i: Option<usize>| {
        i.and_then(|i| folded.get(i))
            .is_some_and(|c| c.is_alphabetic())
    };
    for alt in [false, true] {
        let leet: Vec<char> = folded
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if c.is_ascii_digit() && !letter_at(i.checked_sub(1)) && !letter_at(Some(i + 1)) {
                    c
                } else {
                    unleet(c, alt)
                }
            })
            .collect();
        if leet != folded && !views.iter().any(|v: &View| v.chars == leet) {
            views.push(View::identity(Reading::Leet, leet));
        }
    }
    let t = telex(&folded);
    if t.chars != folded {
        views.push(t);
    }
    let letter_digit_letter = folded.windows(3).any(|w| {
        w[0].is_ascii_alphabetic() && ('1'..='9').contains(&w[1]) && w[2].is_ascii_alphabetic()
    });
    if letter_digit_letter {
        let n = vni(&folded);
        if n.chars != folded {
            views.push(n);
        }
    }
    views.insert(0, View::identity(Reading::Plain, folded));
    // Only readings that had separators between letters get a second, joined reading.
    let spaced: Vec<View> = views
        .iter()
        .filter_map(|v| Some(despace(v)).filter(|d| d.chars.len() != v.chars.len()))
        .collect();
    views.extend(spaced);
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str, r: Reading) -> Option<String> {
        let chars: Vec<char> = s.chars().collect();
        readings(&chars)
            .into_iter()
            .find(|v| v.reading == r && !v.spaced)
            .map(|v| v.chars.into_iter().collect())
    }

    fn read_spaced(s: &str, r: Reading) -> Option<String> {
        let chars: Vec<char> = s.chars().collect();
        readings(&chars)
            .into_iter()
            .find(|v| v.reading == r && v.spaced)
            .map(|v| v.chars.into_iter().collect())
    }

    #[test]
    fn telex_decodes() {
        assert_eq!(
            read("maatjkhaaur", Reading::Telex).as_deref(),
            Some("matkhau")
        );
        assert_eq!(read("Yeeuem", Reading::Telex).as_deref(), Some("yeuem"));
        assert_eq!(
            read("hanhjphucs", Reading::Telex).as_deref(),
            Some("hanhphuc")
        );
        assert_eq!(read("ddoongf", Reading::Telex).as_deref(), Some("dong"));
        assert_eq!(read("tuwf", Reading::Telex).as_deref(), Some("tu"));
        assert_eq!(
            read("xinchao", Reading::Telex),
            None,
            "plain text has no Telex reading"
        );
    }

    #[test]
    fn vni_decodes() {
        assert_eq!(
            read("ma6t5kha6u3", Reading::Vni).as_deref(),
            Some("matkhau")
        );
        assert_eq!(read("Hung1990", Reading::Vni), None);
    }

    #[test]
    fn separators_join_phrases() {
        assert_eq!(
            read_spaced("Xin_Chao2000", Reading::Plain).as_deref(),
            Some("xinchao2000")
        );
        assert_eq!(
            read_spaced("Chaof buooir", Reading::Telex).as_deref(),
            Some("chaobuoi")
        );
        assert_eq!(read_spaced("Ab 12", Reading::Plain), None);
        assert_eq!(
            read_spaced("maatjkhaaur", Reading::Telex),
            None,
            "no separators, no joined reading"
        );
    }

    #[test]
    fn leet_reads_letters() {
        assert_eq!(read("M@tkh@u", Reading::Leet).as_deref(), Some("matkhau"));
    }

    #[test]
    fn spans_cover_dropped_keys() {
        let chars: Vec<char> = "maatjkhaaur".chars().collect();
        let t = readings(&chars)
            .into_iter()
            .find(|v| v.reading == Reading::Telex)
            .unwrap();
        assert_eq!(t.start[0], 0);
        assert_eq!(*t.end.last().unwrap(), 10);
        assert_eq!((t.start[1], t.end[1]), (1, 2));
    }
}
