//! Vietnamese identifier shapes: mobile numbers, citizen IDs (CCCD), social-insurance codes and
//! health-facility codes. They are printed on cards, leaked in bulk and easy to look up.

use super::Outcome;

/// The kind of identifier found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// 10-digit mobile number (03x/05x/07x/08x/09x), or 84 + 9 digits.
    Phone,
    /// 12-digit CCCD with a valid province code and century/sex digit.
    NationalId,
    /// Any other 10-digit number: the shape of a social-insurance code.
    SocialInsurance,
    /// A health-facility account code such as "01G60_BV".
    FacilityCode,
    /// A 15-character health-insurance card code ("DN4791234567890").
    HealthCard,
    /// A 13-digit tax code (10 digits and a 3-digit branch).
    TaxCode,
}

impl IdKind {
    /// Problem code for this kind.
    pub fn code(self) -> &'static str {
        match self {
            IdKind::Phone => "vn.phone",
            IdKind::NationalId => "vn.national_id",
            IdKind::SocialInsurance => "vn.social_insurance",
            IdKind::FacilityCode => "vn.facility_code",
            IdKind::HealthCard => "vn.health_card",
            IdKind::TaxCode => "vn.tax_code",
        }
    }
}

/// An identifier found at chars `start..=end` of the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdMatch {
    /// What it is.
    pub kind: IdKind,
    /// First character index.
    pub start: usize,
    /// Last character index (inclusive).
    pub end: usize,
}

/// CCCD province codes (the 63 provinces' codes, unchanged by the 2025 merger).
const PROVINCES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

fn is_mobile(d: &[u8]) -> bool {
    d.len() == 10 && d[0] == 0 && matches!(d[1], 3 | 5 | 7 | 8 | 9)
}

fn is_cccd(d: &[u8]) -> bool {
    let province = u16::from(d[0]) * 100 + u16::from(d[1]) * 10 + u16::from(d[2]);
    d.len() == 12 && PROVINCES.contains(&province) && d[3] <= 3
}

/// Digit runs of the password, allowing one separator (space . - _ /) between digit groups and a
/// leading "+": each run is (its digits, the char index of each digit).
fn digit_runs(chars: &[char]) -> Vec<Vec<(u8, usize)>> {
    let mut runs = Vec::new();
    let mut cur: Vec<(u8, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(d) = chars[i].to_digit(10).filter(|_| chars[i].is_ascii_digit()) {
            cur.push((d as u8, i));
        } else {
            let sep = matches!(chars[i], ' ' | '.' | '-' | '_' | '/');
            let next_digit = chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            let joins_groups = sep && next_digit;
            if !cur.is_empty() && !joins_groups {
                runs.push(std::mem::take(&mut cur));
            }
        }
        i += 1;
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

/// Every identifier-shaped part of the password.
pub fn find(chars: &[char]) -> Vec<IdMatch> {
    let mut found = Vec::new();
    for run in digit_runs(chars) {
        let digits: Vec<u8> = run.iter().map(|(d, _)| *d).collect();
        let span = |a: usize, b: usize| (run[a].1, run[b].1);
        let mut covered = vec![false; digits.len()];
        let mut push = |kind, a: usize, len: usize, covered: &mut Vec<bool>| {
            let (start, end) = span(a, a + len - 1);
            covered[a..a + len].iter_mut().for_each(|c| *c = true);
            found.push(IdMatch { kind, start, end });
        };
        // 84 + 9 digits (written +84 912 345 678 or 84912345678).
        for a in 0..digits.len().saturating_sub(10) {
            if digits[a] == 8
                && digits[a + 1] == 4
                && matches!(digits[a + 2], 3 | 5 | 7 | 8 | 9)
                && !covered[a]
            {
                push(IdKind::Phone, a, 11, &mut covered);
            }
        }
        for a in 0..(digits.len() + 1).saturating_sub(12) {
            if !covered[a..a + 12].iter().any(|c| *c) && is_cccd(&digits[a..a + 12]) {
                push(IdKind::NationalId, a, 12, &mut covered);
            }
        }
        for a in 0..(digits.len() + 1).saturating_sub(10) {
            if !covered[a..a + 10].iter().any(|c| *c) && is_mobile(&digits[a..a + 10]) {
                push(IdKind::Phone, a, 10, &mut covered);
            }
        }
        // Health-insurance card: two letters, benefit level 1–5, then 12 digits.
        let before = run[0].1;
        let card = before >= 2
            && chars[before - 2].is_ascii_alphabetic()
            && chars[before - 1].is_ascii_alphabetic()
            && (1..=5).contains(&digits[0]);
        if digits.len() == 13 && card {
            found.push(IdMatch {
                kind: IdKind::HealthCard,
                start: before - 2,
                end: run[12].1,
            });
            continue;
        }
        if !covered.iter().any(|c| *c) {
            match digits.len() {
                10 => push(IdKind::SocialInsurance, 0, 10, &mut covered),
                13 => push(IdKind::TaxCode, 0, 13, &mut covered),
                _ => {}
            }
        }
    }
    found.extend(facility_codes(chars));
    found.sort_by_key(|m| (m.start, m.end));
    found
}

/// Facility account codes: the 5-character KCB code (2-digit province, then 3 letters or
/// digits, e.g. "01G60", "26253") followed by "_" and a 2–3 letter suffix ("_BV", "_PK").
fn facility_codes(chars: &[char]) -> Vec<IdMatch> {
    let mut out = Vec::new();
    let n = chars.len();
    for s in 0..n.saturating_sub(7) {
        let c = &chars[s..];
        let shape = c[0].is_ascii_digit()
            && c[1].is_ascii_digit()
            && c[2..5].iter().all(char::is_ascii_alphanumeric)
            && c[5] == '_'
            && c[6].is_ascii_alphabetic()
            && c[7].is_ascii_alphabetic();
        let bounded = s == 0 || !chars[s - 1].is_ascii_digit();
        if shape && bounded {
            let mut end = s + 7;
            if chars.get(end + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
                end += 1;
            }
            out.push(IdMatch {
                kind: IdKind::FacilityCode,
                start: s,
                end,
            });
        }
    }
    out
}

/// The identifier check: fails when any identifier shape is present.
pub fn check(chars: &[char]) -> Outcome {
    let mut problems: Vec<&'static str> = Vec::new();
    for m in find(chars) {
        if !problems.contains(&m.kind.code()) {
            problems.push(m.kind.code());
        }
    }
    Outcome {
        check: "identifier",
        ok: problems.is_empty(),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<IdKind> {
        find(&s.chars().collect::<Vec<_>>())
            .into_iter()
            .map(|m| m.kind)
            .collect()
    }

    #[test]
    fn phones_in_every_writing() {
        assert_eq!(kinds("Ab@0912345678"), [IdKind::Phone]);
        assert_eq!(kinds("+84987654321Aa"), [IdKind::Phone]);
        assert_eq!(kinds("Lan@0983.112.233"), [IdKind::Phone]);
        assert_eq!(kinds("x 0356 789 012"), [IdKind::Phone]);
        assert!(
            kinds("Ab@0112345678").contains(&IdKind::SocialInsurance),
            "01x is not a mobile prefix"
        );
    }

    #[test]
    fn cccd_and_bhxh() {
        assert_eq!(kinds("Aa@001095012345"), [IdKind::NationalId]);
        assert!(
            !kinds("Aa@003095012345").contains(&IdKind::NationalId),
            "003 is no province code"
        );
        assert_eq!(kinds("Bh@7912345678!"), [IdKind::SocialInsurance]);
    }

    #[test]
    fn facility_codes() {
        assert_eq!(kinds("01G60_BV@x"), [IdKind::FacilityCode]);
        assert_eq!(kinds("Ab#01J63_BVx"), [IdKind::FacilityCode]);
        assert_eq!(kinds("11122_Bv@2025"), [IdKind::FacilityCode]);
        assert!(kinds("k9T12x45#").is_empty());
    }

    #[test]
    fn cards_and_tax_codes() {
        assert_eq!(kinds("DN5192683103756@a"), [IdKind::HealthCard]);
        assert_eq!(kinds("Ht.1727096535297"), [IdKind::TaxCode]);
    }

    #[test]
    fn short_numbers_are_not_identifiers() {
        assert!(kinds("Hung@1990").is_empty());
        assert!(kinds("123456789").is_empty());
    }
}
