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

    /// The first field over the bounds, named as a request names it (`context.extra`), if any.
    /// The engine's cost grows with the user's words, so a plug-in refuses a larger context
    /// (`request.too_large`) instead of evaluating it.
    pub fn oversized(&self) -> Option<&'static str> {
        let long = |v: &Option<String>| {
            v.as_deref()
                .is_some_and(|s| s.chars().count() > Self::MAX_FIELD_CHARS)
        };
        let fields = [
            ("context.username", &self.username),
            ("context.full_name", &self.full_name),
            ("context.email", &self.email),
            ("context.phone", &self.phone),
            ("context.date_of_birth", &self.date_of_birth),
            ("context.national_id", &self.national_id),
            ("context.social_insurance_code", &self.social_insurance_code),
            ("context.org_code", &self.org_code),
        ];
        if let Some((name, _)) = fields.iter().find(|(_, v)| long(v)) {
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
}

#[cfg(test)]
mod tests {
    use super::Context;

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
