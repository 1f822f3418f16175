//! Pattern matchers: dictionary words in every reading, chains of names and words, dates and
//! years in Vietnamese order, identifiers, repeats, sequences and common special characters.
//! Each match carries log10 of the guesses an attacker who knows the pattern needs for it.

use super::dict::{Dictionary, List};
use super::views::{Reading, View};
use crate::rules::identifiers::{self, IdKind};
use libm::log10;

/// What a match is, for its cost and its feedback.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// One dictionary word.
    Word {
        /// Source list.
        list: List,
        /// How it was read.
        reading: Reading,
    },
    /// Several dictionary words in a row; `names` when all of them are name parts, `lists` is a
    /// bit set of the lists used (1 << List as u8).
    Chain {
        /// All parts are name parts.
        names: bool,
        /// Bit set of the lists used.
        lists: u8,
        /// First non-plain reading among its words.
        reading: Reading,
    },
    /// A year 1900–2099.
    Year,
    /// A day-month(-year) date.
    Date,
    /// A phone number, ID number or facility code.
    Identifier(IdKind),
    /// A repeated character or group.
    Repeat,
    /// An ascending or descending run.
    Sequence,
    /// A common special character.
    Special,
    /// A match found by zxcvbn in segment `n`.
    Zx(usize),
}

/// A pattern found at chars `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// First char index.
    pub start: usize,
    /// Last char index (inclusive).
    pub end: usize,
    /// log10 of the guesses for this part.
    pub log10: f64,
    /// What it is.
    pub kind: Kind,
    /// For words: the part of `log10` paid for style (capitals, reading, separators); a chain
    /// pays the largest of its words' styles once.
    pub style: f64,
}

impl Found {
    /// A pattern match (not a word): no style cost of its own.
    pub fn pattern(start: usize, end: usize, log10: f64, kind: Kind) -> Found {
        Found {
            start,
            end,
            log10,
            kind,
            style: 0.0,
        }
    }
}

/// Extra guesses for capitalisation of one word: none, first letter or all upper cost ×2; any
/// other mix costs the number of ways to place that many capitals.
fn case_log10(chars: &[char]) -> f64 {
    let upper = chars.iter().filter(|c| c.is_uppercase()).count();
    let lower = chars.iter().filter(|c| c.is_lowercase()).count();
    if upper == 0 {
        return 0.0;
    }
    if lower == 0 || (upper == 1 && chars.first().is_some_and(|c| c.is_uppercase())) {
        return log10(2.0);
    }
    let n = upper + lower;
    let mut ways = 0.0;
    let mut c = 1.0;
    for k in 1..=upper.min(lower) {
        c = c * (n + 1 - k) as f64 / k as f64;
        ways += c;
    }
    log10(ways.max(2.0))
}

fn reading_log10(reading: Reading, substitutions: usize) -> f64 {
    match reading {
        Reading::Plain => 0.0,
        Reading::Telex | Reading::Vni => log10(2.0),
        Reading::Leet => log10(2.0) * substitutions.clamp(1, 4) as f64,
    }
}

/// Dictionary words in every reading, mapped to original positions.
pub fn words(original: &[char], views: &[View], out: &mut Vec<Found>) {
    let dict = Dictionary::get();
    for view in views {
        let n = view.chars.len();
        for i in 0..n {
            let mut key = String::new();
            for j in i..n.min(i + dict.max_len) {
                key.push(view.chars[j]);
                let (hits, more) = dict.lookup(&key);
                let (start, end) = (view.start[i], view.end[j]);
                if !hits.is_empty() {
                    let span = &original[start..=end];
                    let subs = if view.reading == Reading::Leet {
                        (i..=j)
                            .filter(|&k| {
                                original[view.start[k]].to_lowercase().next() != Some(view.chars[k])
                            })
                            .count()
                    } else {
                        0
                    };
                    if view.reading == Reading::Leet && subs == 0 {
                        continue;
                    }
                    let spaced =
                        if view.spaced && (i..j).any(|k| view.end[k] + 1 != view.start[k + 1]) {
                            log10(4.0)
                        } else {
                            0.0
                        };
                    let style = case_log10(span) + reading_log10(view.reading, subs) + spaced;
                    for (_, e) in hits {
                        out.push(Found {
                            start,
                            end,
                            log10: log10(e.rank as f64) + style,
                            kind: Kind::Word {
                                list: e.list,
                                reading: view.reading,
                            },
                            style,
                        });
                    }
                }
                if !more {
                    break;
                }
            }
        }
    }
}

/// Separators people put between words; each one costs the attacker ×4 (which one was used).
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '_' | '-')
}

const LONGEST_CHAIN: usize = 48;

/// Chains of dictionary words ("nguyen.van.hung", "anhyeuemnhieulam"): the cheapest way to cover
/// each span with two or more words, optionally separated by single separators. The attacker
/// picks a separator and a capitalisation style once for the whole chain, so a chain pays ×4
/// for its separator and ×2 for consistent capitals ("Nguyen.Van.An") once, not per word.
pub fn chains(original: &[char], words: &[Found], out: &mut Vec<Found>) {
    let n = original.len();
    let mut by_start: Vec<Vec<&Found>> = vec![Vec::new(); n];
    for w in words {
        by_start[w.start].push(w);
    }
    let mut best: Vec<Option<ChainState>> = vec![None; n];
    for s in 0..n {
        if by_start[s].is_empty() {
            continue;
        }
        best.iter_mut().for_each(|b| *b = None);
        let limit = n.min(s + LONGEST_CHAIN);
        for w in &by_start[s] {
            relax(&mut best, w, None, None);
        }
        for e in s..limit {
            let Some(cur) = best[e] else { continue };
            if cur.pieces >= 2 {
                let sep = if cur.sep.is_some() { log10(4.0) } else { 0.0 };
                out.push(Found {
                    start: s,
                    end: e,
                    log10: cur.cost + cur.style + sep + cur.extra_seps,
                    kind: Kind::Chain {
                        names: cur.names,
                        lists: cur.lists,
                        reading: cur.reading,
                    },
                    style: 0.0,
                });
            }
            for p in [e + 1, e + 2] {
                if p >= limit {
                    continue;
                }
                let sep = if p == e + 2 {
                    Some(original[e + 1])
                } else {
                    None
                };
                if sep.is_some_and(|c| !is_separator(c)) {
                    continue;
                }
                for w in &by_start[p] {
                    if w.end < limit {
                        relax(&mut best, w, sep, Some(cur));
                    }
                }
            }
        }
    }
}

/// The best chain found so far ending at some position.
#[derive(Debug, Clone, Copy)]
struct ChainState {
    /// Sum of the words' costs without their style.
    cost: f64,
    /// The largest style cost among its words: one capitalisation rule and one reading.
    style: f64,
    pieces: u32,
    names: bool,
    lists: u8,
    reading: Reading,
    /// The separator used, if any.
    sep: Option<char>,
    /// Extra cost of separators that differ from the first one.
    extra_seps: f64,
}

fn relax(best: &mut [Option<ChainState>], w: &Found, sep: Option<char>, prev: Option<ChainState>) {
    let Kind::Word { list, reading } = w.kind else {
        return;
    };
    let p = prev.unwrap_or(ChainState {
        cost: 0.0,
        style: 0.0,
        pieces: 0,
        names: true,
        lists: 0,
        reading: Reading::Plain,
        sep: None,
        extra_seps: 0.0,
    });
    let (first_sep, extra_seps) = match (p.sep, sep) {
        (None, s) => (s, p.extra_seps),
        (Some(a), Some(b)) if a != b => (Some(a), p.extra_seps + log10(4.0)),
        (a, _) => (a, p.extra_seps),
    };
    let cand = ChainState {
        cost: p.cost + w.log10 - w.style,
        style: p.style.max(w.style),
        pieces: p.pieces + 1,
        names: p.names && list.is_name(),
        lists: p.lists | (1 << list as u8),
        reading: if p.reading == Reading::Plain {
            reading
        } else {
            p.reading
        },
        sep: first_sep,
        extra_seps,
    };
    let total = |c: &ChainState| c.cost + c.style + c.extra_seps;
    if best[w.end].is_none_or(|b| total(&cand) < total(&b)) {
        best[w.end] = Some(cand);
    }
}

/// National days people use ("30/4/1975", "2/9/1945"): day and month cost 10 guesses, not 366.
const NATIONAL_DAYS: [(u32, u32); 9] = [
    (30, 4),
    (2, 9),
    (19, 5),
    (3, 2),
    (1, 5),
    (8, 3),
    (20, 11),
    (1, 1),
    (10, 3),
];

fn valid_year(y: u32, digits: usize) -> bool {
    digits == 2 || (1900..=2099).contains(&y)
}

/// Day-month-year and year-month-day readings of a string of digits.
fn date_log10(d: &[u32]) -> Option<f64> {
    let num = |s: &[u32]| s.iter().fold(0, |a, &x| a * 10 + x);
    let n = d.len();
    let mut best: Option<f64> = None;
    let mut consider = |day: u32, month: u32, year: Option<(u32, usize)>| {
        if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
            return;
        }
        if let Some((y, len)) = year {
            if !valid_year(y, len) {
                return;
            }
        }
        let day_month = if NATIONAL_DAYS.contains(&(day, month)) {
            10.0
        } else {
            366.0
        };
        // Birth and event years cluster in about 70 years (1950–2020).
        let g = log10(day_month) + if year.is_some() { log10(70.0) } else { 0.0 };
        best = Some(best.map_or(g, |b: f64| b.min(g)));
    };
    // dd mm yyyy / d m yyyy / dd m yyyy / d mm yyyy and the same with 2-digit years.
    for ylen in [4usize, 2] {
        if n > ylen {
            let (dm, y) = d.split_at(n - ylen);
            let year = Some((num(y), ylen));
            for dlen in 1..dm.len() {
                if dlen <= 2 && dm.len() - dlen <= 2 {
                    consider(num(&dm[..dlen]), num(&dm[dlen..]), year);
                }
            }
        }
    }
    if n == 8 {
        consider(num(&d[6..]), num(&d[4..6]), Some((num(&d[..4]), 4)));
    }
    if n == 4 {
        consider(num(&d[..2]), num(&d[2..]), None);
    }
    best
}

/// Years and dates in runs of digits, with up to two matching separators ("15/03/1990").
pub fn dates(original: &[char], out: &mut Vec<Found>) {
    let n = original.len();
    for s in 0..n {
        if !original[s].is_ascii_digit() {
            continue;
        }
        let mut digits = Vec::new();
        let mut sep: Option<char> = None;
        let mut seps = 0;
        for (e, &c) in original.iter().enumerate().skip(s).take(10) {
            if let Some(v) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
                digits.push(v);
            } else if matches!(c, '/' | '.' | '-' | '_' | ' ')
                && sep.is_none_or(|x| x == c)
                && seps < 2
                && e > s
            {
                sep = Some(c);
                seps += 1;
                continue;
            } else {
                break;
            }
            let len = digits.len();
            if len == 4 && seps == 0 {
                let y = digits.iter().fold(0, |a, &x| a * 10 + x);
                if (1900..=2099).contains(&y) {
                    out.push(Found::pattern(s, e, 2.0, Kind::Year));
                }
            }
            if (4..=8).contains(&len) {
                if let Some(g) = date_log10(&digits) {
                    let extra = if seps > 0 { log10(4.0) } else { 0.0 };
                    out.push(Found::pattern(s, e, g + extra, Kind::Date));
                }
            }
        }
    }
}

/// Phone numbers, ID numbers and facility codes: lists of them leak by the million, so each
/// costs ~10^7 guesses (facility codes ~10^5).
pub fn identifiers(original: &[char], out: &mut Vec<Found>) {
    for m in identifiers::find(original) {
        let log10 = if m.kind == IdKind::FacilityCode {
            5.0
        } else {
            7.0
        };
        out.push(Found::pattern(
            m.start,
            m.end,
            log10,
            Kind::Identifier(m.kind),
        ));
    }
}

fn cardinality(c: char) -> f64 {
    if c.is_ascii_digit() {
        10.0
    } else if c.is_ascii_alphabetic() {
        26.0
    } else if c.is_alphabetic() {
        67.0
    } else {
        33.0
    }
}

/// Brute-force cost of one character.
pub fn bruteforce_log10(c: char) -> f64 {
    log10(cardinality(c))
}

/// Runs of a repeated character or group of up to 8 characters ("aaaa", "686868", "abcabc"), in
/// the lower-cased password.
pub fn repeats(lower: &[char], out: &mut Vec<Found>) {
    let n = lower.len();
    for p in 1..=8usize {
        let mut i = 0;
        while i + p < n {
            let mut k = i + p;
            while k < n && lower[k] == lower[k - p] {
                k += 1;
            }
            let len = k - i;
            if len >= 2 * p && (p > 1 || len >= 3) {
                let base: f64 = lower[i..i + p].iter().map(|&c| bruteforce_log10(c)).sum();
                let count = len as f64 / p as f64;
                out.push(Found::pattern(i, k - 1, base + log10(count), Kind::Repeat));
                i = k - p + 1;
            } else {
                i += 1;
            }
        }
    }
}

/// Ascending or descending runs of 3+ letters or digits ("abc", "6789", "9876"), in the
/// lower-cased password.
pub fn sequences(lower: &[char], out: &mut Vec<Found>) {
    let n = lower.len();
    let mut i = 0;
    while i + 2 < n {
        let kind_ok = |a: char, b: char| {
            (a.is_ascii_lowercase() && b.is_ascii_lowercase())
                || (a.is_ascii_digit() && b.is_ascii_digit())
        };
        let delta = lower[i + 1] as i64 - lower[i] as i64;
        if !(delta == 1 || delta == -1) || !kind_ok(lower[i], lower[i + 1]) {
            i += 1;
            continue;
        }
        let mut k = i + 1;
        while k + 1 < n
            && lower[k + 1] as i64 - lower[k] as i64 == delta
            && kind_ok(lower[k], lower[k + 1])
        {
            k += 1;
        }
        let len = k - i + 1;
        if len >= 3 {
            let first = lower[i];
            let base = if matches!(first, 'a' | 'z' | '0' | '1' | '9') {
                4.0
            } else if first.is_ascii_digit() {
                10.0
            } else {
                26.0
            };
            let dir = if delta < 0 { 2.0 } else { 1.0 };
            out.push(Found::pattern(
                i,
                k,
                log10(base * len as f64 * dir),
                Kind::Sequence,
            ));
        }
        i = k;
    }
}

/// Special characters in the order people pick them.
const COMMON_SPECIALS: &str = "@.!_#*-&$%^+=?~/ ,:;";

/// Single common special characters: "@" costs 2 guesses, not 33.
pub fn specials(original: &[char], out: &mut Vec<Found>) {
    for (i, &c) in original.iter().enumerate() {
        if let Some(rank) = COMMON_SPECIALS.chars().position(|s| s == c) {
            out.push(Found::pattern(
                i,
                i,
                log10(rank as f64 + 2.0),
                Kind::Special,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn dates_in_vietnamese_order() {
        let mut out = vec![];
        dates(&v("x15031990"), &mut out);
        assert!(out
            .iter()
            .any(|f| f.kind == Kind::Date && f.start == 1 && f.end == 8));
        assert!(out.iter().any(|f| f.kind == Kind::Year && f.start == 5));
        let mut out = vec![];
        dates(&v("30/4/1975"), &mut out);
        let best = out
            .iter()
            .filter(|f| f.end == 8 && f.start == 0)
            .map(|f| f.log10)
            .fold(f64::MAX, f64::min);
        assert!(best < 4.0, "national day is cheap: {best}");
        let mut out = vec![];
        dates(&v("45991234"), &mut out);
        assert!(
            out.iter().all(|f| !(f.start == 0 && f.end == 7)),
            "no month 99"
        );
    }

    #[test]
    fn repeats_and_sequences() {
        let mut out = vec![];
        repeats(&v("aa@88888888"), &mut out);
        assert!(out
            .iter()
            .any(|f| f.start == 3 && f.end == 10 && f.log10 < 2.0));
        let mut out = vec![];
        repeats(&v("x686868"), &mut out);
        assert!(out.iter().any(|f| f.start == 1 && f.end == 6));
        let mut out = vec![];
        sequences(&v("abc@12345"), &mut out);
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn capitals() {
        assert_eq!(case_log10(&v("nguyen")), 0.0);
        assert_eq!(case_log10(&v("Nguyen")), log10(2.0));
        assert_eq!(case_log10(&v("NGUYEN")), log10(2.0));
        assert!(case_log10(&v("nGuYen")) > 1.0);
    }
}
