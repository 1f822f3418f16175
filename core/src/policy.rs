//! The policy: every rule's parameters, with the regulation's values as defaults.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// A complete password policy. `Policy::default()` is the BHXH regulation plus matkhau's own
/// protections; a policy file may override any field (unknown fields are refused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Identifier shown in verdicts and by the host ("bhxh-2025").
    pub id: String,
    /// Minimum length in characters (Unicode code points after NFC), regulation: 8.
    pub min_length: u32,
    /// Maximum length in characters; longer passwords are rejected (NIST asks for at least 64).
    pub max_length: u32,
    /// At least one upper-case letter ("A", "Ậ").
    pub require_upper: bool,
    /// At least one lower-case letter.
    pub require_lower: bool,
    /// At least one digit.
    pub require_digit: bool,
    /// At least one special character (anything visible that is not a letter or digit; space counts).
    pub require_special: bool,
    /// Minimum strength score, 0–4 (zxcvbn's scale: 3 means at least 10^8 estimated guesses).
    pub min_score: u8,
    /// Reject passwords that contain the user's own data (name, birth date, phone, IDs…).
    pub personal_data_check: bool,
    /// Reject passwords that contain a Vietnamese phone, CCCD, social-insurance or facility code.
    pub identifier_check: bool,
    /// Longest run of one repeated character allowed ("aaa" is 3); 0 turns the rule off.
    pub max_repeat: u32,
    /// Longest ascending/descending run allowed ("1234" is 4); 0 turns the rule off.
    pub max_sequence: u32,
    /// Days a password stays valid before a change is mandatory (regulation: 6 months).
    pub max_age_days: u32,
    /// Days before expiry from which the user is warned.
    pub expiry_warning_days: u32,
    /// Minimum hours between two changes, so history cannot be cycled through.
    pub min_age_hours: u32,
    /// How many previous passwords may not be reused.
    pub history_depth: u32,
    /// Days without activity after which an organisation account is locked (regulation: 6 months).
    pub org_inactivity_lock_days: u32,
    /// Hours an issued (temporary) password stays valid; it must be changed at first use.
    pub temporary_password_hours: u32,
    /// Length of generated passwords.
    pub generated_length: u32,
    /// Failed-login lockout.
    pub lockout: Lockout,
}

/// Failed-login lockout thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Lockout {
    /// Failed attempts (distinct wrong passwords) within the window that lock the account.
    pub max_failures: u32,
    /// The window in minutes over which failures are counted.
    pub window_minutes: u32,
    /// How long a lock lasts before it lifts by itself; 0 means only an administrator unlocks.
    pub lock_minutes: u32,
}

impl Default for Lockout {
    fn default() -> Self {
        Lockout {
            max_failures: 5,
            window_minutes: 15,
            lock_minutes: 30,
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            id: "bhxh-default".into(),
            min_length: 8,
            max_length: 128,
            require_upper: true,
            require_lower: true,
            require_digit: true,
            require_special: true,
            min_score: 3,
            personal_data_check: true,
            identifier_check: true,
            max_repeat: 3,
            max_sequence: 4,
            max_age_days: 180,
            expiry_warning_days: 14,
            min_age_hours: 24,
            history_depth: 5,
            org_inactivity_lock_days: 180,
            temporary_password_hours: 72,
            generated_length: 16,
            lockout: Lockout::default(),
        }
    }
}

/// A policy that could not be loaded: the field at fault and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// Dotted path of the field ("lockout.max_failures"); empty when the document itself is bad.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

impl PolicyError {
    fn new(field: &str, reason: impl Into<String>) -> Self {
        PolicyError {
            field: field.into(),
            reason: reason.into(),
        }
    }
    /// Stable error code for clients.
    pub fn code(&self) -> &'static str {
        "policy.invalid"
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "invalid policy: {}", self.reason)
        } else {
            write!(f, "invalid policy field `{}`: {}", self.field, self.reason)
        }
    }
}

impl std::error::Error for PolicyError {}

/// The longest password any policy may allow; bounds the work done per check.
pub const MAX_LENGTH_LIMIT: u32 = 4096;

impl Policy {
    /// Parse a policy from JSON; any field left out takes its default.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let policy: Policy = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            PolicyError {
                field,
                reason: e.inner().to_string(),
            }
        })?;
        policy.validate()?;
        Ok(policy)
    }

    /// Parse either a policy or the host's `GET /v1/policy` answer, which carries the policy under
    /// `policy` next to its `policy_digest` (what the browser clients fetch).
    pub fn from_published(text: &str) -> Result<Policy, PolicyError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| PolicyError {
            field: String::new(),
            reason: e.to_string(),
        })?;
        match value.get("policy") {
            Some(inner) if value.get("policy_digest").is_some() => {
                Policy::from_json(&inner.to_string())
            }
            _ => Policy::from_json(text),
        }
    }

    /// Check every field's range; the first out-of-range field is named in the error.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let in_range = |field: &str, v: u32, lo: u32, hi: u32| {
            if v < lo || v > hi {
                Err(PolicyError::new(
                    field,
                    format!("{v} is out of range {lo}..={hi}"),
                ))
            } else {
                Ok(())
            }
        };
        if self.id.is_empty()
            || self.id.len() > 64
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(PolicyError::new(
                "id",
                "must be 1–64 characters of A–Z, a–z, 0–9, '-', '_', '.'",
            ));
        }
        in_range("min_length", self.min_length, 1, 256)?;
        in_range(
            "max_length",
            self.max_length,
            self.min_length.max(8),
            MAX_LENGTH_LIMIT,
        )?;
        in_range("min_score", u32::from(self.min_score), 0, 4)?;
        in_range("max_repeat", self.max_repeat, 0, 64)?;
        in_range("max_sequence", self.max_sequence, 0, 64)?;
        in_range("max_age_days", self.max_age_days, 0, 3650)?;
        in_range(
            "expiry_warning_days",
            self.expiry_warning_days,
            0,
            self.max_age_days.max(1),
        )?;
        in_range("min_age_hours", self.min_age_hours, 0, 24 * 30)?;
        in_range("history_depth", self.history_depth, 0, 64)?;
        in_range(
            "org_inactivity_lock_days",
            self.org_inactivity_lock_days,
            0,
            3650,
        )?;
        in_range(
            "temporary_password_hours",
            self.temporary_password_hours,
            1,
            24 * 30,
        )?;
        in_range(
            "generated_length",
            self.generated_length,
            self.min_length.max(12),
            self.max_length.min(128),
        )?;
        in_range("lockout.max_failures", self.lockout.max_failures, 1, 1000)?;
        in_range(
            "lockout.window_minutes",
            self.lockout.window_minutes,
            1,
            7 * 24 * 60,
        )?;
        in_range(
            "lockout.lock_minutes",
            self.lockout.lock_minutes,
            0,
            30 * 24 * 60,
        )?;
        let classes = [
            self.require_upper,
            self.require_lower,
            self.require_digit,
            self.require_special,
        ]
        .iter()
        .filter(|b| **b)
        .count() as u32;
        if classes > self.generated_length {
            return Err(PolicyError::new(
                "generated_length",
                "shorter than the number of required classes",
            ));
        }
        Ok(())
    }

    /// SHA-256 of the policy's canonical JSON, hex: identical policies have identical digests.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let hash = Sha256::digest(&json);
        hash.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_regulation() {
        let p = Policy::default();
        assert_eq!(
            (
                p.min_length,
                p.max_age_days,
                p.history_depth,
                p.org_inactivity_lock_days
            ),
            (8, 180, 5, 180)
        );
        assert!(p.require_upper && p.require_lower && p.require_digit && p.require_special);
        assert_eq!(p.expiry_warning_days, 14);
        assert_eq!(p.min_score, 3);
        assert_eq!(p.max_length, 128);
        p.validate().unwrap();
    }

    #[test]
    fn partial_file_takes_defaults() {
        let p = Policy::from_json(r#"{"min_length": 12, "lockout": {"max_failures": 3}}"#).unwrap();
        assert_eq!(p.min_length, 12);
        assert_eq!(p.lockout.max_failures, 3);
        assert_eq!(p.lockout.window_minutes, 15);
    }

    #[test]
    fn errors_name_the_field() {
        let e = Policy::from_json(r#"{"min_score": 9}"#).unwrap_err();
        assert_eq!(e.field, "min_score");
        let e = Policy::from_json(r#"{"lockout": {"max_failures": "five"}}"#).unwrap_err();
        assert_eq!(e.field, "lockout.max_failures");
        let e = Policy::from_json(r#"{"min_lenght": 9}"#).unwrap_err();
        assert!(e.reason.contains("min_lenght"), "{e}");
        let e = Policy::from_json(r#"{"min_length": 20, "max_length": 10}"#).unwrap_err();
        assert_eq!(e.field, "max_length");
        let e = Policy::from_json("[1,2").unwrap_err();
        assert!(e.to_string().starts_with("invalid policy"));
    }

    #[test]
    fn published_answers_and_plain_policies_parse_alike() {
        let plain = Policy::from_published(r#"{"id":"x","min_length":12}"#).unwrap();
        let answer = r#"{"abi":1,"policy":{"id":"x","min_length":12},"policy_digest":"d"}"#;
        assert_eq!(Policy::from_published(answer).unwrap(), plain);
        let e = Policy::from_published(r#"{"policy":{"min_score":9},"policy_digest":"d"}"#);
        assert_eq!(e.unwrap_err().field, "min_score");
        assert!(Policy::from_published("{").is_err());
    }

    #[test]
    fn digest_tracks_content() {
        let a = Policy::default();
        let mut b = a.clone();
        assert_eq!(a.digest(), b.digest());
        b.min_length = 9;
        assert_ne!(a.digest(), b.digest());
        assert_eq!(a.digest().len(), 64);
    }
}
