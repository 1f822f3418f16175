//! The vendored zxcvbn's hand-written matchers (PATCHES.md, patch 7) against the regular
//! expressions of upstream 3.1.1 they replace, on random text rich in repeats, digits and
//! separators.

use fancy_regex::Regex as FancyRegex;
use proptest::prelude::*;
use regex::Regex;
use zxcvbn::matching::text;

fn char_range(s: &str, start: usize, end: usize) -> (usize, usize) {
    (s[..start].chars().count(), s[..end].chars().count())
}

const ALPHABET: &str = "[ab12 90/.\\\\_\\-\n\u{a0}\u{2003}éẫ]{0,24}";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn repeats_match_fancy_regex(s in ALPHABET) {
        let greedy = FancyRegex::new(r"(.+)\1+").unwrap();
        let lazy = FancyRegex::new(r"(.+?)\1+").unwrap();
        let anchored = FancyRegex::new(r"^(.+?)\1+$").unwrap();
        let chars: Vec<char> = s.chars().collect();
        for (re, ours) in [(&greedy, text::repeat_greedy(&chars)), (&lazy, text::repeat_lazy(&chars))] {
            let theirs = re.captures(&s).unwrap().map(|c| {
                let (m, g) = (c.get(0).unwrap(), c.get(1).unwrap());
                let (start, end) = char_range(&s, m.start(), m.end());
                (start, end, g.as_str().chars().count())
            });
            prop_assert_eq!(ours, theirs, "{:?} with {}", s, re.as_str());
        }
        let theirs = anchored.captures(&s).unwrap().map(|c| c.get(1).unwrap().as_str().chars().count());
        prop_assert_eq!(text::repeat_anchored(&chars), theirs, "{:?}", s);
    }

    #[test]
    fn years_and_dates_match_regex(s in "[0-9 /.\\-_\\\\a\u{a0}\u{2003}\u{3000}é]{0,12}") {
        let years = Regex::new(r"19[0-9]{2}|20[0-9]{2}").unwrap();
        let theirs: Vec<(usize, usize)> = years.find_iter(&s).map(|m| (m.start(), m.end())).collect();
        prop_assert_eq!(text::recent_years(&s), theirs);
        let plain = Regex::new(r"^[0-9]{4,8}$").unwrap();
        prop_assert_eq!(text::digits_4_to_8(&s), plain.is_match(&s));
        let dated = Regex::new(r"^([0-9]{1,4})([\s/\\_.-])([0-9]{1,2})([\s/\\_.-])([0-9]{1,4})$").unwrap();
        let theirs = dated.captures(&s).map(|c| [1, 2, 3, 4, 5].map(|i| c.get(i).unwrap().as_str().to_string()));
        let ours = text::date_with_separators(&s).map(|g| g.map(str::to_string));
        prop_assert_eq!(ours, theirs);
    }
}

#[test]
fn known_cases() {
    let chars: Vec<char> = "aabaabaabaab".chars().collect();
    assert_eq!(text::repeat_greedy(&chars), Some((0, 12, 6)));
    assert_eq!(text::repeat_anchored(&chars), Some(3));
    let chars: Vec<char> = "aaaaa".chars().collect();
    assert_eq!(text::repeat_lazy(&chars), Some((0, 5, 1)));
    assert_eq!(text::recent_years("x1990 2024 2100"), [(1, 5), (6, 10)]);
    assert_eq!(
        text::date_with_separators("1.1.1991"),
        Some(["1", ".", "1", ".", "1991"])
    );
}
