//! Strength estimation: our Vietnamese-aware matchers and bounded zxcvbn, combined in one
//! minimum-guesses search in the zxcvbn style.
//!
//! The password is covered by a sequence of parts (dictionary words, chains of names or words,
//! dates, identifiers, repeats, sequences, zxcvbn's own matches, or brute-forced characters).
//! Its guesses are the product of the parts' guesses times 10^0.5 for every part after the first
//! (the attacker must also guess the structure), minimised over all coverings. The estimate is
//! the smaller of that and zxcvbn's own total, so it is never weaker than zxcvbn alone.

pub mod dict;
pub mod matchers;
pub mod views;
pub mod zx;

use dict::List;
use matchers::{Found, Kind};
use views::Reading;

/// Characters analysed; a longer password is judged on its first this-many characters, which can
/// only under-estimate it.
pub const ANALYSIS_LIMIT: usize = 256;

/// log10 of the cost of starting a new part in the covering.
const PART_COST: f64 = 0.5;

/// The strength estimate and what drove it.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// Estimated guesses, log10 (not rounded).
    pub guesses_log10: f64,
    /// 0–4.
    pub score: u8,
    /// Problem codes behind a low estimate, most important first.
    pub problems: Vec<&'static str>,
    /// Suggestion codes.
    pub suggestions: Vec<&'static str>,
}

/// zxcvbn's score steps over log10 guesses: 10^3, 10^6, 10^8, 10^10.
pub fn score_of(log10: f64) -> u8 {
    match log10 {
        g if g < 3.0 => 0,
        g if g < 6.0 => 1,
        g if g < 8.0 => 2,
        g if g < 10.0 => 3,
        _ => 4,
    }
}

/// Every match our matchers and zxcvbn find in `chars`.
pub fn find_all(chars: &[char], zx: &zx::ZxResult) -> Vec<Found> {
    let views = views::readings(chars);
    let mut words = Vec::new();
    matchers::words(chars, &views, &mut words);
    let mut all = Vec::with_capacity(words.len() * 2);
    matchers::chains(chars, &words, &mut all);
    all.extend(words);
    matchers::dates(chars, &mut all);
    matchers::identifiers(chars, &mut all);
    let lower: Vec<char> = chars
        .iter()
        .map(|&c| crate::normalize::lower_char(c))
        .collect();
    matchers::repeats(&lower, &mut all);
    matchers::sequences(&lower, &mut all);
    matchers::specials(chars, &mut all);
    all.extend(zx.matches.iter().map(|m| {
        let kind = if m.is_date {
            Kind::Date
        } else if m.is_year {
            Kind::Year
        } else {
            Kind::Zx(m.segment)
        };
        Found::pattern(m.start, m.end, m.log10, kind)
    }));
    all
}

/// The cheapest covering of `chars` by `matches` and brute force: its log10 guesses and parts.
pub fn cheapest(chars: &[char], matches: &[Found]) -> (f64, Vec<Found>) {
    let n = chars.len();
    if n == 0 {
        return (0.0, vec![]);
    }
    let mut by_end: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, m) in matches.iter().enumerate() {
        by_end[m.end].push(k);
    }
    // best[k]: cheapest cover of chars[..k]; brute[k]: the same, ending inside a brute-force run.
    // back pointers: Some(match index) or None for brute force.
    let inf = f64::INFINITY;
    let mut best = vec![inf; n + 1];
    let mut brute = vec![inf; n + 1];
    let mut best_from: Vec<Option<usize>> = vec![None; n + 1];
    let mut brute_open = vec![false; n + 1];
    best[0] = 0.0;
    for k in 1..=n {
        let c = matchers::bruteforce_log10(chars[k - 1]);
        let open_new = best[k - 1] + PART_COST + c;
        let extend = brute[k - 1] + c;
        brute[k] = open_new.min(extend);
        brute_open[k] = open_new <= extend;
        best[k] = brute[k];
        best_from[k] = None;
        for &mi in &by_end[k - 1] {
            let m = &matches[mi];
            let cost = best[m.start] + PART_COST + m.log10;
            if cost < best[k] {
                best[k] = cost;
                best_from[k] = Some(mi);
            }
        }
    }
    // Walk back to list the parts used.
    let mut parts = Vec::new();
    let mut k = n;
    let mut in_brute = false;
    while k > 0 {
        if !in_brute {
            if let Some(mi) = best_from[k] {
                parts.push(matches[mi]);
                k = matches[mi].start;
                continue;
            }
        }
        in_brute = !brute_open[k];
        k -= 1;
    }
    parts.reverse();
    (best[n] - PART_COST, parts)
}

/// Estimate the strength of `chars` (already NFC, invisible characters removed).
pub fn estimate(chars: &[char], user_inputs: &[&str]) -> Estimate {
    let chars = &chars[..chars.len().min(ANALYSIS_LIMIT)];
    let zx = zx::run(chars, user_inputs);
    let matches = find_all(chars, &zx);
    let (ours, parts) = cheapest(chars, &matches);
    let tail: f64 = chars
        .iter()
        .skip(zx::WINDOW)
        .map(|&c| matchers::bruteforce_log10(c))
        .sum();
    let zx_total = zx.total_log10() + tail;
    let guesses_log10 = ours.min(zx_total).max(0.0);
    let (mut problems, suggestions) = feedback(&parts, &zx, ours <= zx_total);
    let mut score = score_of(guesses_log10);
    if score > DECORATED_MAX_SCORE {
        match decorated(chars, &parts) {
            Some(Base::NameAndDate) => {
                score = DECORATED_MAX_SCORE;
                if !problems.contains(&"vn.name_year") {
                    problems.insert(0, "vn.name_year");
                }
            }
            Some(Base::Other) if guesses_log10 < DECORATED_BELOW => {
                score = DECORATED_MAX_SCORE;
                problems.insert(0, "vn.decorated");
            }
            _ => {}
        }
    }
    Estimate {
        guesses_log10,
        score,
        problems,
        suggestions,
    }
}

/// Score given to a decorated guessable base (see [`is_decorated`]).
const DECORATED_MAX_SCORE: u8 = 2;
/// Decorated bases estimated at 10^10 guesses or more keep their score.
const DECORATED_BELOW: f64 = 10.0;
/// Most brute-forced letters that count as decoration ("Ab", "Qk" added for the capital rule).
const DECORATION_LETTERS: usize = 2;
/// Most brute-forced digits and symbols that count as decoration.
const DECORATION_CHARS: usize = 6;

/// What a decorated password is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// Only names and dates or years: the "họ tên + năm sinh" template.
    NameAndDate,
    /// Any other guessable base.
    Other,
}

/// Whether the password is a guessable base (words, names, places, dates, identifiers, keyboard
/// or zxcvbn patterns) with only decoration around it: at most [`DECORATION_LETTERS`]
/// brute-forced letters and [`DECORATION_CHARS`] brute-forced digits or symbols. That is what
/// people type to satisfy a composition rule ("Hanoi@2024", "Nguyen.Van.An@1990") and what
/// attackers' word lists with append/prepend masks try first. A name-and-date base is capped
/// at score 2 whatever its estimate; any other base only below 10^10 guesses.
pub fn decorated(chars: &[char], parts: &[Found]) -> Option<Base> {
    let mut covered = vec![false; chars.len()];
    let (mut any, mut name, mut date, mut other) = (false, false, false, false);
    for p in parts {
        covered[p.start..=p.end].iter_mut().for_each(|c| *c = true);
        match p.kind {
            Kind::Special => {}
            Kind::Word { list, .. } if list.is_name() => name = true,
            Kind::Chain { names: true, .. } => name = true,
            Kind::Year | Kind::Date => date = true,
            _ => other = true,
        }
        any |= !matches!(p.kind, Kind::Special);
    }
    let loose = |f: fn(&char) -> bool| {
        chars
            .iter()
            .zip(&covered)
            .filter(|(c, cov)| !**cov && f(c))
            .count()
    };
    if !any
        || loose(|c| c.is_alphabetic()) > DECORATION_LETTERS
        || loose(|c| !c.is_alphabetic()) > DECORATION_CHARS
    {
        return None;
    }
    Some(if name && date && !other {
        Base::NameAndDate
    } else {
        Base::Other
    })
}

fn push<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Problem and suggestion codes for a part that is a pattern rather than a word.
fn pattern_advice(kind: Kind) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        Kind::Year => ("vn.year", "suggest.avoid_dates"),
        Kind::Date => ("vn.date", "suggest.avoid_dates"),
        Kind::Identifier(id) => (id.code(), "suggest.avoid_identifiers"),
        Kind::Repeat => ("pattern.repeat", "suggest.avoid_repeats"),
        Kind::Sequence => ("pattern.sequence", "suggest.avoid_sequences"),
        Kind::Word { .. } | Kind::Chain { .. } | Kind::Special | Kind::Zx(_) => return None,
    })
}

/// Problem and suggestion codes for the parts of the cheapest covering.
fn feedback(
    parts: &[Found],
    zx: &zx::ZxResult,
    ours_decided: bool,
) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut problems = Vec::new();
    let mut suggestions = Vec::new();
    let has_name = parts.iter().any(|p| match p.kind {
        Kind::Word { list, .. } => list.is_name(),
        Kind::Chain { lists, .. } => {
            lists & (1 << List::Surname as u8 | 1 << List::Middle as u8 | 1 << List::Given as u8)
                != 0
        }
        _ => false,
    });
    let has_date = parts
        .iter()
        .any(|p| matches!(p.kind, Kind::Year | Kind::Date));
    if has_name && has_date {
        push(&mut problems, "vn.name_year");
        push(&mut suggestions, "suggest.avoid_name_year");
    }
    let list_code = |list: List| match list {
        List::Password => "common.password",
        List::Portal => "vn.portal",
        List::Surname | List::Middle | List::Given => "vn.name",
        List::Place => "vn.place",
        List::Word => "vn.word",
    };
    let mut zx_segments = Vec::new();
    for p in parts {
        let reading = match p.kind {
            Kind::Word { list, reading } => {
                push(&mut problems, list_code(list));
                push(&mut suggestions, "suggest.avoid_common");
                Some(reading)
            }
            Kind::Chain { lists, reading, .. } => {
                for list in [
                    List::Password,
                    List::Portal,
                    List::Surname,
                    List::Middle,
                    List::Given,
                    List::Place,
                    List::Word,
                ] {
                    if lists & (1 << list as u8) != 0 {
                        push(&mut problems, list_code(list));
                    }
                }
                push(&mut suggestions, "suggest.avoid_common");
                Some(reading)
            }
            Kind::Zx(n) => {
                push(&mut zx_segments, n);
                None
            }
            kind => {
                if let Some((problem, suggestion)) = pattern_advice(kind) {
                    push(&mut problems, problem);
                    push(&mut suggestions, suggestion);
                }
                None
            }
        };
        match reading {
            Some(Reading::Telex | Reading::Vni) => push(&mut problems, "vn.telex"),
            Some(Reading::Leet) => {
                push(&mut problems, "pattern.leet");
                push(&mut suggestions, "suggest.leet");
            }
            _ => {}
        }
    }
    if has_name && has_date {
        problems.retain(|p| !matches!(*p, "vn.year" | "vn.date"));
    }
    if !ours_decided {
        zx_segments = (0..zx.segments.len()).collect();
    }
    for n in zx_segments {
        if let Some(seg) = zx.segments.get(n) {
            if let Some(w) = seg.warning {
                push(&mut problems, w);
            }
            for s in &seg.suggestions {
                push(&mut suggestions, *s);
            }
        }
    }
    push(&mut suggestions, "suggest.passphrase");
    push(&mut suggestions, "suggest.generator");
    (problems, suggestions)
}
