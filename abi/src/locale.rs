//! The language of messages: Vietnamese (the default) or English.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Language of the messages. Vietnamese is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

/// A language tag that is neither Vietnamese nor English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLocale;

impl fmt::Display for UnknownLocale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the locale must be vi or en (a region such as vi-VN or en_US is allowed)")
    }
}

impl std::error::Error for UnknownLocale {}

impl Locale {
    /// Every locale, in the order pages offer them.
    pub const ALL: [Locale; 2] = [Locale::Vi, Locale::En];

    /// `"vi"` or `"en"`, as requests and the `lang` attribute spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    /// The locale of a language tag: `vi`, `en`, any case, with or without a region (`vi-VN`,
    /// `en_GB`). This is the one parser every request field, header, page and command uses.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let language = tag.trim().split(['-', '_']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("vi") {
            Some(Locale::Vi)
        } else if language.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }
}

impl Locale {
    /// A policy's number of days as this language says it to a user: whole months when it is a
    /// multiple of 30 (the regulation's "6 tháng" is 180 days), days otherwise.
    pub fn days(self, days: u32) -> String {
        let months = days / 30;
        match (self, days > 0 && days.is_multiple_of(30)) {
            (Locale::Vi, true) => format!("{months} tháng"),
            (Locale::Vi, false) => format!("{days} ngày"),
            (Locale::En, true) if months == 1 => "1 month".to_string(),
            (Locale::En, true) => format!("{months} months"),
            (Locale::En, false) if days == 1 => "1 day".to_string(),
            (Locale::En, false) => format!("{days} days"),
        }
    }
}

impl FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(s: &str) -> Result<Locale, UnknownLocale> {
        Locale::from_tag(s).ok_or(UnknownLocale)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Locale, D::Error> {
        let tag = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Locale::from_tag(&tag).ok_or_else(|| serde::de::Error::custom(UnknownLocale))
    }
}

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn tags() {
        for (tag, locale) in [
            ("vi", Some(Locale::Vi)),
            ("vi-VN", Some(Locale::Vi)),
            ("VI_vn", Some(Locale::Vi)),
            ("en", Some(Locale::En)),
            ("en-US", Some(Locale::En)),
            ("EN", Some(Locale::En)),
            ("fr", None),
            ("", None),
            ("vie", None),
        ] {
            assert_eq!(Locale::from_tag(tag), locale, "{tag}");
        }
        assert_eq!(Locale::default(), Locale::Vi);
    }

    #[test]
    fn days_in_words() {
        assert_eq!(Locale::Vi.days(180), "6 tháng");
        assert_eq!(Locale::En.days(180), "6 months");
        assert_eq!(Locale::En.days(30), "1 month");
        assert_eq!(Locale::Vi.days(45), "45 ngày");
        assert_eq!(Locale::En.days(1), "1 day");
        assert_eq!(Locale::En.days(0), "0 days");
    }

    #[test]
    fn serde_reads_any_tag_and_writes_the_short_one() {
        let l: Locale = serde_json::from_str(r#""vi-VN""#).unwrap();
        assert_eq!(serde_json::to_string(&l).unwrap(), r#""vi""#);
        assert!(serde_json::from_str::<Locale>(r#""fr""#).is_err());
        assert!(serde_json::from_str::<Locale>("1").is_err());
    }
}
