//! What the portal knows about the user, so a password built from it can be refused.

use serde::{Deserialize, Serialize};

/// Optional user data; every field may be absent (and is left out when written), and an unknown
/// field is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Context {
    /// Login name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Full name, with or without diacritics ("Nguyễn Thị Thu Hà").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// E-mail address; its local part is checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number in any common writing (0912…, +84 912…, 84-912…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Citizen ID (CCCD), 12 digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_id: Option<String>,
    /// Social-insurance code (mã số BHXH), 10 digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_insurance_code: Option<String>,
    /// Organisation or health-facility code ("01G60_BV").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_code: Option<String>,
    /// Anything else the portal knows (company name, address words…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<String>,
}

impl Context {
    /// Longest value of a field (and of one `extra` entry), in characters.
    pub const MAX_FIELD_CHARS: usize = 128;
    /// Most `extra` entries.
    pub const MAX_EXTRA: usize = 16;

    /// The single-valued fields, each named as a request names it.
    fn fields(&self) -> [(&'static str, &Option<String>); 8] {
        [
            ("context.username", &self.username),
            ("context.full_name", &self.full_name),
            ("context.email", &self.email),
            ("context.phone", &self.phone),
            ("context.date_of_birth", &self.date_of_birth),
            ("context.national_id", &self.national_id),
            ("context.social_insurance_code", &self.social_insurance_code),
            ("context.org_code", &self.org_code),
        ]
    }

    /// The first field over the bounds, named as a request names it (`context.extra`), if any.
    /// The engine's cost grows with the user's words, so a plug-in refuses a larger context
    /// (`request.too_large`) instead of evaluating it.
    pub fn oversized(&self) -> Option<&'static str> {
        let long = |v: &Option<String>| {
            v.as_deref()
                .is_some_and(|s| s.chars().count() > Self::MAX_FIELD_CHARS)
        };
        if let Some((name, _)) = self.fields().into_iter().find(|(_, v)| long(v)) {
            return Some(name);
        }
        let extra_long = self
            .extra
            .iter()
            .any(|e| e.chars().count() > Self::MAX_FIELD_CHARS);
        (self.extra.len() > Self::MAX_EXTRA || extra_long).then_some("context.extra")
    }

    /// Cuts every field to the bounds (and `extra` to its first entries), so the context is no
    /// longer [`oversized`](Context::oversized): for contexts a host assembles itself (a long
    /// stored e-mail address, a context stored before the bounds).
    pub fn cut_to_bounds(&mut self) {
        let cut = |v: &mut String| {
            if let Some((at, _)) = v.char_indices().nth(Self::MAX_FIELD_CHARS) {
                v.truncate(at);
            }
        };
        for field in [
            &mut self.username,
            &mut self.full_name,
            &mut self.email,
            &mut self.phone,
            &mut self.date_of_birth,
            &mut self.national_id,
            &mut self.social_insurance_code,
            &mut self.org_code,
        ]
        .into_iter()
        .flatten()
        {
            cut(field);
        }
        self.extra.truncate(Self::MAX_EXTRA);
        self.extra.iter_mut().for_each(cut);
    }

    /// The first field a service should not store or judge by, named as a request names it,
    /// with why: a control character (NUL, a line break) in any field, or a `date_of_birth`
    /// that is not a real `YYYY-MM-DD` date (another writing, `02/05/1990`, would silently turn
    /// the birth-date rule off).
    pub fn malformed(&self) -> Option<(&'static str, &'static str)> {
        let control = |s: &str| s.chars().any(char::is_control);
        for (name, value) in self.fields() {
            if value.as_deref().is_some_and(control) {
                return Some((name, "holds a control character"));
            }
        }
        if self.extra.iter().any(|e| control(e)) {
            return Some(("context.extra", "holds a control character"));
        }
        match self.date_of_birth.as_deref() {
            Some(d) if !is_iso_date(d) => {
                Some(("context.date_of_birth", "is not a date written YYYY-MM-DD"))
            }
            _ => None,
        }
    }
}

/// Whether `s` is a calendar date written `YYYY-MM-DD` (years 1000–9999).
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let number = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1000 && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::Context;

    #[test]
    fn malformed_fields() {
        let with = |f: fn(&mut Context)| {
            let mut c = Context::default();
            f(&mut c);
            c.malformed().map(|(name, _)| name)
        };
        assert_eq!(with(|_| {}), None);
        assert_eq!(with(|c| c.date_of_birth = Some("1990-05-02".into())), None);
        assert_eq!(with(|c| c.date_of_birth = Some("2000-02-29".into())), None);
        for bad in [
            "",
            "02/05/1990",
            "1990-5-2",
            "1990-02-30",
            "1900-02-29",
            "1990-13-01",
            "1990-00-10",
            "１９９０-05-02",
            "0990-05-02",
            "+990-05-02",
        ] {
            let c = Context {
                date_of_birth: Some(bad.into()),
                ..Context::default()
            };
            assert_eq!(
                c.malformed().map(|(n, _)| n),
                Some("context.date_of_birth"),
                "{bad}"
            );
        }
        assert_eq!(
            with(|c| c.full_name = Some("Nguyễn\0An".into())),
            Some("context.full_name")
        );
        assert_eq!(
            with(|c| c.extra = vec!["a\nb".into()]),
            Some("context.extra")
        );
        assert_eq!(with(|c| c.full_name = Some("Nguyễn Văn An".into())), None);
    }

    #[test]
    fn bounds() {
        let mut c = Context {
            full_name: Some("Nguyễn Văn An".into()),
            extra: vec!["x".repeat(Context::MAX_FIELD_CHARS); Context::MAX_EXTRA],
            ..Context::default()
        };
        assert_eq!(c.oversized(), None);
        c.extra.push("one more".into());
        assert_eq!(c.oversized(), Some("context.extra"));
        c.extra.pop();
        c.phone = Some("9".repeat(Context::MAX_FIELD_CHARS + 1));
        assert_eq!(c.oversized(), Some("context.phone"));
    }

    #[test]
    fn cut_to_bounds() {
        let mut c = Context {
            email: Some(format!("{}@example.vn", "đ".repeat(200))),
            extra: vec!["ư".repeat(300); 40],
            ..Context::default()
        };
        c.cut_to_bounds();
        assert_eq!(c.oversized(), None);
        assert_eq!(c.email.as_deref().map(|e| e.chars().count()), Some(128));
        assert_eq!(c.extra.len(), Context::MAX_EXTRA);
        assert!(c.extra.iter().all(|e| e.chars().count() == 128));
    }
}
