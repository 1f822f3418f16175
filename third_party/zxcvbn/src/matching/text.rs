//! Hand-written equivalents of the five regular expressions upstream zxcvbn 3.1.1 compiles
//! (matkhau patch 7, PATCHES.md). They give the same matches as the `regex`/`fancy-regex`
//! patterns named on each function, which matkhau-core's tests check against those crates on
//! random input; without them the browser build carries no regex engine (~340 KB of code).

/// Whether `.` (without the `s` flag) matches `c`.
fn dot(c: char) -> bool {
    c != '\n'
}

/// How many times `group` repeats back to back from `rest`'s start.
fn repeats(group: &[char], rest: &[char]) -> usize {
    rest.chunks_exact(group.len())
        .take_while(|chunk| *chunk == group)
        .count()
}

/// `(.+)\1+` (greedy), as fancy-regex finds it: the leftmost start, the longest group that
/// repeats at least once, then as many repeats as there are. Returns `(start, end, group_len)` in
/// characters.
pub fn repeat_greedy(chars: &[char]) -> Option<(usize, usize, usize)> {
    for start in 0..chars.len() {
        let dots = chars[start..].iter().take_while(|&&c| dot(c)).count();
        for len in (1..=dots.min((chars.len() - start) / 2)).rev() {
            let group = &chars[start..start + len];
            let k = repeats(group, &chars[start + len..]);
            if k > 0 {
                return Some((start, start + len * (k + 1), len));
            }
        }
    }
    None
}

/// `(.+?)\1+` (lazy group, greedy repeats): the leftmost start, the shortest group that repeats.
pub fn repeat_lazy(chars: &[char]) -> Option<(usize, usize, usize)> {
    for start in 0..chars.len() {
        let dots = chars[start..].iter().take_while(|&&c| dot(c)).count();
        for len in 1..=dots.min((chars.len() - start) / 2) {
            let group = &chars[start..start + len];
            let k = repeats(group, &chars[start + len..]);
            if k > 0 {
                return Some((start, start + len * (k + 1), len));
            }
        }
    }
    None
}

/// `^(.+?)\1+$`: the length of the shortest group whose repeats make up all of `chars`.
pub fn repeat_anchored(chars: &[char]) -> Option<usize> {
    let dots = chars.iter().take_while(|&&c| dot(c)).count();
    (1..=dots.min(chars.len() / 2)).find(|&len| {
        chars.len() % len == 0 && repeats(&chars[..len], &chars[len..]) == chars.len() / len - 1
    })
}

/// `19[0-9]{2}|20[0-9]{2}`, every match left to right without overlap, as byte ranges.
pub fn recent_years(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= b.len() {
        let century = matches!((b[i], b[i + 1]), (b'1', b'9') | (b'2', b'0'));
        if century && b[i + 2].is_ascii_digit() && b[i + 3].is_ascii_digit() {
            out.push((i, i + 4));
            i += 4;
        } else {
            i += 1;
        }
    }
    out
}

/// `^[0-9]{4,8}$`.
pub fn digits_4_to_8(s: &str) -> bool {
    (4..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `^([0-9]{1,4})([\s/\\_.-])([0-9]{1,2})([\s/\\_.-])([0-9]{1,4})$`: the five groups.
pub fn date_with_separators(s: &str) -> Option<[&str; 5]> {
    fn digits(s: &str, max: usize) -> Option<(&str, &str)> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (1..=max).contains(&n).then(|| s.split_at(n))
    }
    fn separator(s: &str) -> Option<(&str, &str)> {
        let c = s.chars().next()?;
        (c.is_whitespace() || matches!(c, '/' | '\\' | '_' | '.' | '-'))
            .then(|| s.split_at(c.len_utf8()))
    }
    let (year1, rest) = digits(s, 4)?;
    let (sep1, rest) = separator(rest)?;
    let (middle, rest) = digits(rest, 2)?;
    let (sep2, rest) = separator(rest)?;
    let (year2, rest) = digits(rest, 4)?;
    rest.is_empty().then_some([year1, sep1, middle, sep2, year2])
}
