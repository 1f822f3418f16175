//! The policy: every rule's parameters, with the regulation's values as defaults.
//!
//! On the wire a policy is complete: the plug-in's `describe` answer holds every field, and a
//! missing or unknown field is refused. A policy *file* may leave fields out; the engine
//! (`matkhau_core::policy::parse`) fills them from [`Policy::default`] and checks every range.

use serde::{Deserialize, Serialize};

/// A complete password policy. `Policy::default()` is the BHXH regulation plus matkhau's own
/// protections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// One-time codes (TOTP) at login.
    pub otp: Otp,
}

/// Who an account is for, as the policy names it (the host stores the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A citizen (cá nhân).
    Citizen,
    /// A business, health facility or other unit (đơn vị).
    Organisation,
    /// A BHXH staff account.
    Staff,
}

/// One-time codes (RFC 6238 TOTP: SHA-1, 6 digits, 30 s) as a second factor at login.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Otp {
    /// The kinds of account that must enrol (the regulation asks it of staff, for VPN access);
    /// the others may.
    pub required_for: Vec<AccountKind>,
}

impl Default for Otp {
    fn default() -> Self {
        Otp {
            required_for: vec![AccountKind::Staff],
        }
    }
}

/// Failed-login lockout thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
            otp: Otp::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Policy;

    #[test]
    fn the_wire_form_is_complete() {
        let full = serde_json::to_value(Policy::default()).unwrap();
        let back: Policy = serde_json::from_value(full.clone()).unwrap();
        assert_eq!(back, Policy::default());
        let mut partial = full.clone();
        partial.as_object_mut().unwrap().remove("history_depth");
        assert!(serde_json::from_value::<Policy>(partial).is_err());
        let mut extra = full;
        extra["histroy_depth"] = 5.into();
        assert!(serde_json::from_value::<Policy>(extra).is_err());
    }
}
