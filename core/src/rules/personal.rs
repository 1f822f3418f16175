//! The user's own data inside the password: name, username, e-mail, birth date, phone, IDs,
//! organisation code. Compared case- and diacritic-insensitively, also through l33t spellings.

use super::Outcome;
use crate::normalize::{fold, fold_compact, fold_lower_char, unleet};
use crate::Context;

/// Views of the password that personal data is searched in.
struct Views {
    /// Letters and digits, folded to lower-case ASCII-ish ("Thu.Hà@90" → "thuha90").
    compact: String,
    /// Same, with look-alike symbols read as letters first ("Th|_|" → "thiu…").
    unleet: [String; 2],
    /// Alphabetic tokens split at non-letters and lower→upper changes ("ThuHa@1" → ["thu", "ha"]).
    tokens: Vec<String>,
}

impl Views {
    fn new(chars: &[char]) -> Self {
        let compact = chars
            .iter()
            .map(|&c| fold_lower_char(c))
            .filter(|c| c.is_alphanumeric())
            .collect();
        let unleet = [false, true].map(|alt| {
            chars
                .iter()
                .map(|&c| fold_lower_char(unleet(c, alt)))
                .filter(|c| c.is_alphanumeric())
                .collect()
        });
        let mut tokens = Vec::new();
        let mut cur = String::new();
        let mut prev_lower = false;
        for &c in chars {
            if c.is_alphabetic() {
                if c.is_uppercase() && prev_lower && !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                cur.push(fold_lower_char(c));
                prev_lower = c.is_lowercase();
            } else {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                prev_lower = false;
            }
        }
        if !cur.is_empty() {
            tokens.push(cur);
        }
        Views {
            compact,
            unleet,
            tokens,
        }
    }

    /// Whether a letter-bearing needle occurs, directly or through l33t spellings.
    fn has_text(&self, needle: &str) -> bool {
        !needle.is_empty()
            && (self.compact.contains(needle) || self.unleet.iter().any(|u| u.contains(needle)))
    }

    /// Whether the user's value `s` occurs: all of it (letters and digits, at least `min` of them)
    /// or any of its words of four or more characters.
    fn has_value(&self, s: &str, min: usize) -> bool {
        let compact = fold_compact(s);
        (compact.chars().count() >= min && self.has_text(&compact))
            || words(s)
                .iter()
                .any(|w| w.chars().count() >= 4 && self.has_text(w))
    }

    /// Whether a digit needle occurs.
    fn has_digits(&self, needle: &str) -> bool {
        !needle.is_empty() && self.compact.contains(needle)
    }
}

fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

fn name_found(v: &Views, full_name: &str) -> bool {
    let parts = words(full_name);
    if parts.is_empty() {
        return false;
    }
    // Each part of 3+ letters anywhere; 2-letter parts ("Hà", "An") only as a whole token.
    let single = parts.iter().any(|p| {
        (p.chars().count() >= 3 && v.has_text(p))
            || (p.chars().count() == 2 && v.tokens.iter().any(|t| t == p))
    });
    // Two parts joined in either order ("thuha", "hathu"), and the whole name without spaces.
    let pairs = parts.iter().enumerate().any(|(i, a)| {
        parts
            .iter()
            .enumerate()
            .any(|(j, b)| i != j && v.has_text(&format!("{a}{b}")))
    });
    single || pairs || v.has_text(&parts.concat())
}

/// Forms of a YYYY-MM-DD birth date people type: 15031990, 1531990, 150390, 19900315, 03151990,
/// 1990 and 1503.
fn birth_date_forms(date: &str) -> Vec<String> {
    let mut it = date.trim().splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (it.next(), it.next(), it.next()) else {
        return vec![];
    };
    let (Ok(yn), Ok(mn), Ok(dn)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return vec![];
    };
    if !(1000..=9999).contains(&yn) || !(1..=12).contains(&mn) || !(1..=31).contains(&dn) {
        return vec![];
    }
    let yy = yn % 100;
    vec![
        format!("{dn:02}{mn:02}{yn}"),
        format!("{dn}{mn}{yn}"),
        format!("{dn:02}{mn:02}{yy:02}"),
        format!("{yn}{mn:02}{dn:02}"),
        format!("{mn:02}{dn:02}{yn}"),
        format!("{yn}"),
        format!("{dn:02}{mn:02}"),
    ]
}

fn phone_forms(phone: &str) -> Vec<String> {
    let d = digits(phone);
    let national = if let Some(rest) = d.strip_prefix("84").filter(|r| r.len() == 9) {
        format!("0{rest}")
    } else {
        d
    };
    if national.len() < 6 {
        return vec![];
    }
    let mut forms = vec![national.clone(), national[national.len() - 6..].to_string()];
    if let Some(rest) = national.strip_prefix('0') {
        forms.push(format!("84{rest}"));
        forms.push(rest.to_string());
    }
    forms
}

/// Full number and its last six digits.
fn number_forms(id: &str) -> Vec<String> {
    let d = digits(id);
    if d.len() < 6 {
        return vec![];
    }
    vec![d.clone(), d[d.len() - 6..].to_string()]
}

/// Problem codes for every kind of personal data found in the password.
pub fn find(chars: &[char], ctx: &Context) -> Vec<&'static str> {
    let v = Views::new(chars);
    let mut found = Vec::new();
    if ctx.full_name.as_deref().is_some_and(|n| name_found(&v, n)) {
        found.push("personal.name");
    }
    if ctx.username.as_deref().is_some_and(|u| v.has_value(u, 3)) {
        found.push("personal.username");
    }
    let local_part = |e: &str| e.split('@').next().unwrap_or("").to_string();
    if ctx
        .email
        .as_deref()
        .map(local_part)
        .is_some_and(|l| v.has_value(&l, 3))
    {
        found.push("personal.email");
    }
    let digit_checks: [(Option<Vec<String>>, &'static str); 4] = [
        (
            ctx.date_of_birth.as_deref().map(birth_date_forms),
            "personal.birth_date",
        ),
        (ctx.phone.as_deref().map(phone_forms), "personal.phone"),
        (
            ctx.national_id.as_deref().map(number_forms),
            "personal.national_id",
        ),
        (
            ctx.social_insurance_code.as_deref().map(number_forms),
            "personal.social_insurance",
        ),
    ];
    for (forms, code) in digit_checks {
        if forms.is_some_and(|f| f.iter().any(|s| v.has_digits(s))) {
            found.push(code);
        }
    }
    if ctx.org_code.as_deref().is_some_and(|o| v.has_value(o, 3)) {
        found.push("personal.org_code");
    }
    let extra = ctx.extra.iter().any(|e| v.has_value(e, 4));
    if extra {
        found.push("personal.extra");
    }
    found
}

/// The personal-data check.
pub fn check(chars: &[char], ctx: &Context) -> Outcome {
    let problems = find(chars, ctx);
    Outcome {
        check: "personal.data",
        ok: problems.is_empty(),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pw: &str, ctx: &Context) -> Vec<&'static str> {
        find(&pw.chars().collect::<Vec<_>>(), ctx)
    }

    fn ctx_name(n: &str) -> Context {
        Context {
            full_name: Some(n.into()),
            ..Context::default()
        }
    }

    #[test]
    fn names_fold_diacritics_and_case() {
        let c = ctx_name("Nguyễn Thị Thu Hà");
        assert_eq!(found("ThuHa@2024", &c), ["personal.name"]);
        assert_eq!(found("NGUYEN#77x", &c), ["personal.name"]);
        assert_eq!(
            found("Ha.Noi@77x", &c),
            ["personal.name"],
            "2-letter part as a whole token"
        );
        assert!(
            found("Hanoi@77xq", &c).is_empty(),
            "ha inside hanoi is not the name"
        );
        assert_eq!(found("Ngu&3n!x7", &ctx_name("Nguyen")), Vec::<&str>::new());
        assert_eq!(
            found("NGUY3N!x7", &ctx_name("Nguyen")),
            ["personal.name"],
            "l33t spelling"
        );
    }

    #[test]
    fn birth_date_in_both_orders() {
        let c = Context {
            date_of_birth: Some("1990-03-15".into()),
            ..Context::default()
        };
        for pw in [
            "Lan@15031990",
            "Lan@15/03/1990",
            "Lan@1990.03.15",
            "Lan#150390",
            "Lan1990!!",
            "Lan@1531990",
        ] {
            assert_eq!(found(pw, &c), ["personal.birth_date"], "{pw}");
        }
        assert!(found("Lan@2001xyz", &c).is_empty());
    }

    #[test]
    fn numbers_and_codes() {
        let c = Context {
            phone: Some("+84 912 345 678".into()),
            national_id: Some("001095012345".into()),
            social_insurance_code: Some("7912345670".into()),
            org_code: Some("01G60_BV".into()),
            email: Some("thu.ha88@example.vn".into()),
            username: Some("thuha_bv".into()),
            ..Context::default()
        };
        assert_eq!(found("Xx@0912345678", &c), ["personal.phone"]);
        assert_eq!(found("Xx@345678qq", &c), ["personal.phone"]);
        assert_eq!(found("Xx@012345q!", &c), ["personal.national_id"]);
        assert_eq!(found("Xx@7912345670", &c), ["personal.social_insurance"]);
        assert_eq!(found("01g60bv@Xx9", &c), ["personal.org_code"]);
        assert_eq!(
            found("Thuha88!qq", &c),
            ["personal.username", "personal.email"]
        );
        assert_eq!(found("THUHA_BV#2", &c), ["personal.username"]);
    }

    #[test]
    fn empty_context_finds_nothing() {
        assert!(found("Nguyen@1990", &Context::default()).is_empty());
    }
}
