//! The `zxcvbn` crate with bounded cost. Its matching grows super-linearly with length and with
//! the number of distinct l33t-substitutable symbols (20 such symbols in 24 characters cost
//! ~40 ms natively). We run it on short segments of the first [`WINDOW`] characters: each segment
//! holds at most [`SEGMENT_CHARS`] characters and [`SEGMENT_LEET`] distinct l33t symbols, cut
//! where a letter run ends when possible, so one call stays under ~1 ms whatever the input.

use zxcvbn::feedback::{Suggestion, Warning};
use zxcvbn::matching::patterns::MatchPattern;

/// Characters of the password that zxcvbn sees; our own matchers cover the rest.
pub const WINDOW: usize = 64;
/// Longest segment handed to zxcvbn in one call.
pub const SEGMENT_CHARS: usize = 24;
/// Most distinct l33t-substitutable symbols in one segment.
pub const SEGMENT_LEET: usize = 6;

/// Characters zxcvbn's l33t matcher substitutes.
fn is_leet_symbol(c: char) -> bool {
    "4@8({[<3691!|0$57+%2".contains(c)
}

/// One zxcvbn match, in the password's character positions.
#[derive(Debug, Clone)]
pub struct ZxMatch {
    /// First char index.
    pub start: usize,
    /// Last char index (inclusive).
    pub end: usize,
    /// log10 of zxcvbn's guesses for this match.
    pub log10: f64,
    /// Which segment it came from (for feedback).
    pub segment: usize,
    /// zxcvbn read it as a date.
    pub is_date: bool,
    /// zxcvbn read it as a recent year.
    pub is_year: bool,
}

/// zxcvbn's answer for one segment.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Chars `start..end` of the password.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// log10 of zxcvbn's guesses for the segment.
    pub log10: f64,
    /// zxcvbn's warning, as our code.
    pub warning: Option<&'static str>,
    /// zxcvbn's suggestions, as our codes.
    pub suggestions: Vec<&'static str>,
}

/// zxcvbn over the first [`WINDOW`] characters, segment by segment.
#[derive(Debug, Clone, Default)]
pub struct ZxResult {
    /// Segments in order.
    pub segments: Vec<Segment>,
    /// Every non-brute-force match zxcvbn found.
    pub matches: Vec<ZxMatch>,
}

impl ZxResult {
    /// Sum of the segments' log10 guesses.
    pub fn total_log10(&self) -> f64 {
        self.segments.iter().map(|s| s.log10).sum()
    }
}

/// Split `chars` into segments obeying the bounds; prefer to cut after a letter run ends.
pub fn segment_bounds(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut distinct: Vec<char> = Vec::new();
        let mut end = start;
        while end < chars.len() && end - start < SEGMENT_CHARS {
            let c = chars[end];
            if is_leet_symbol(c) && !distinct.contains(&c) {
                if distinct.len() == SEGMENT_LEET {
                    break;
                }
                distinct.push(c);
            }
            end += 1;
        }
        if end < chars.len() {
            // Back up to the last boundary between a letter and a non-letter, if one is near.
            let min = start + (end - start) / 2;
            if let Some(cut) = (min.max(start + 1)..end)
                .rev()
                .find(|&k| chars[k - 1].is_alphabetic() != chars[k].is_alphabetic())
            {
                end = cut;
            }
        }
        out.push((start, end));
        start = end;
    }
    out
}

fn warning_code(w: Warning) -> &'static str {
    match w {
        Warning::StraightRowsOfKeysAreEasyToGuess => "zxcvbn.straight_rows",
        Warning::ShortKeyboardPatternsAreEasyToGuess => "zxcvbn.short_keyboard",
        Warning::RepeatsLikeAaaAreEasyToGuess => "zxcvbn.repeats",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => "zxcvbn.repeats_words",
        Warning::ThisIsATop10Password => "zxcvbn.top10",
        Warning::ThisIsATop100Password => "zxcvbn.top100",
        Warning::ThisIsACommonPassword => "zxcvbn.common",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "zxcvbn.similar_common",
        Warning::SequencesLikeAbcAreEasyToGuess => "zxcvbn.sequences",
        Warning::RecentYearsAreEasyToGuess => "zxcvbn.recent_years",
        Warning::AWordByItselfIsEasyToGuess => "zxcvbn.single_word",
        Warning::DatesAreOftenEasyToGuess => "zxcvbn.dates",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => "zxcvbn.names",
        Warning::CommonNamesAndSurnamesAreEasyToGuess => "zxcvbn.common_names",
    }
}

fn suggestion_code(s: Suggestion) -> &'static str {
    match s {
        Suggestion::UseAFewWordsAvoidCommonPhrases => "suggest.passphrase",
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => "suggest.passphrase",
        Suggestion::AddAnotherWordOrTwo => "suggest.add_word",
        Suggestion::CapitalizationDoesntHelpVeryMuch => "suggest.capitals",
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => "suggest.all_upper",
        Suggestion::ReversedWordsArentMuchHarderToGuess => "suggest.reversed",
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => "suggest.leet",
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => "suggest.longer_keyboard",
        Suggestion::AvoidRepeatedWordsAndCharacters => "suggest.avoid_repeats",
        Suggestion::AvoidSequences => "suggest.avoid_sequences",
        Suggestion::AvoidRecentYears => "suggest.avoid_years",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => "suggest.avoid_years",
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => "suggest.avoid_dates",
    }
}

/// "1990": zxcvbn may match a year as a dictionary word; it is still a year.
fn is_year_token(token: &str) -> bool {
    token.len() == 4
        && token.bytes().all(|b| b.is_ascii_digit())
        && token
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2099).contains(&y))
}

/// Run zxcvbn over the window of `chars`, with the user's own words as extra dictionary input.
pub fn run(chars: &[char], user_inputs: &[&str]) -> ZxResult {
    let window = &chars[..chars.len().min(WINDOW)];
    let mut result = ZxResult::default();
    for (n, (start, end)) in segment_bounds(window).into_iter().enumerate() {
        let text: String = window[start..end].iter().collect();
        let entropy = zxcvbn::zxcvbn(&text, user_inputs);
        for m in entropy.sequence() {
            if matches!(m.pattern, MatchPattern::BruteForce) {
                continue;
            }
            if let Some(g) = m.guesses {
                result.matches.push(ZxMatch {
                    start: start + m.i,
                    end: start + m.j,
                    log10: libm::log10(g.max(1) as f64),
                    segment: n,
                    is_date: matches!(m.pattern, MatchPattern::Date(_)),
                    is_year: matches!(m.pattern, MatchPattern::Regex(_)) || is_year_token(&m.token),
                });
            }
        }
        let feedback = entropy.feedback();
        result.segments.push(Segment {
            start,
            end,
            log10: libm::log10(entropy.guesses().max(1) as f64),
            warning: feedback.and_then(|f| f.warning()).map(warning_code),
            suggestions: feedback
                .map(|f| {
                    f.suggestions()
                        .iter()
                        .map(|s| suggestion_code(*s))
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_respect_bounds_and_cover_everything() {
        let inputs = [
            "@1|!3$05+7(48%2{[<96".repeat(5),
            "correcthorsebatterystaple".repeat(4),
            "a".into(),
            String::new(),
        ];
        for s in inputs {
            let chars: Vec<char> = s.chars().collect();
            let segs = segment_bounds(&chars);
            let mut pos = 0;
            for (a, b) in &segs {
                assert_eq!(*a, pos);
                assert!(b > a && b - a <= SEGMENT_CHARS);
                let mut d: Vec<char> = chars[*a..*b]
                    .iter()
                    .copied()
                    .filter(|c| is_leet_symbol(*c))
                    .collect();
                d.sort();
                d.dedup();
                assert!(d.len() <= SEGMENT_LEET);
                pos = *b;
            }
            assert_eq!(pos, chars.len());
        }
    }

    #[test]
    fn cuts_at_word_boundaries() {
        let chars: Vec<char> = "Correct.Horse.Battery.Staple.Orange".chars().collect();
        let segs = segment_bounds(&chars);
        assert_eq!(segs[0], (0, 22), "cut before the '.' after Battery");
    }
}
