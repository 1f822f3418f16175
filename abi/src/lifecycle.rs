//! The account lifecycle questions the host asks (`op: "lifecycle"`), each with the type of its
//! answer. The engine decides; the host stores the data and acts on the answers.

use crate::request::Decision;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A lifecycle question: it becomes a request's `decision`, and the plug-in answers it with an
/// [`Question::Answer`].
pub trait Question<'a>: Into<Decision<'a>> {
    /// What the plug-in answers.
    type Answer: Serialize + DeserializeOwned;
}

/// How old the password set at `changed_at` is against the maximum age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordAge {
    /// When the password was set (Unix seconds).
    pub changed_at: i64,
}

/// Whether an organisation account idle since `last_activity` must be locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgInactivity {
    /// The last recorded activity (Unix seconds).
    pub last_activity: i64,
}

/// Whether a temporary password issued at `issued_at` may still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemporaryPassword {
    /// When it was issued (Unix seconds).
    pub issued_at: i64,
}

/// Whether a password last changed at `last_change` may be changed again (the minimum age).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeAllowed {
    /// When it was last changed (Unix seconds).
    pub last_change: i64,
}

/// How many previous passwords the no-reuse rule keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryToKeep {}

/// The lockout decision over a login key's recent failures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lockout {
    /// The failures, oldest first.
    pub failures: Vec<Failure>,
}

/// How a new password relates to the one it replaces (both in clear: the user changing it typed
/// them).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Similar<'a> {
    /// The password being replaced.
    pub previous: Cow<'a, str>,
    /// The new one.
    pub candidate: Cow<'a, str>,
}

impl std::fmt::Debug for Similar<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Similar(<redacted>)")
    }
}

/// One failed login: when, and a keyed fingerprint of the wrong password (never the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// Unix seconds.
    pub at: i64,
    /// Keyed hash of the attempted password, so repeats of one typo count once.
    pub fingerprint: String,
}

/// Where a password stands against the maximum age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum AgeStatus {
    /// Valid, more than the warning window left.
    Ok {
        /// Whole days until it expires.
        days_left: i64,
    },
    /// Inside the warning window.
    Expiring {
        /// Whole days until it expires (0 = expires today).
        days_left: i64,
    },
    /// Past its maximum age: a change is mandatory.
    Expired {},
}

/// Whether an organisation account must be locked for inactivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum InactivityStatus {
    /// Still active.
    Active {
        /// Whole days before the lock.
        days_left: i64,
    },
    /// Idle for the policy's period: lock it.
    Lock {},
}

/// Whether a temporary password may still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemporaryValidity {
    /// True while it may be used.
    pub valid: bool,
}

/// Whether a voluntary change is allowed now. On the wire: `{"allowed": true}` or
/// `{"allowed": false, "wait_seconds": n}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ChangeWire", into = "ChangeWire")]
pub enum ChangePermission {
    /// It may be changed.
    Allowed,
    /// Not before this many seconds.
    Wait {
        /// Seconds to wait.
        seconds: i64,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeWire {
    allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    wait_seconds: Option<i64>,
}

impl TryFrom<ChangeWire> for ChangePermission {
    type Error = &'static str;

    fn try_from(w: ChangeWire) -> Result<Self, Self::Error> {
        match (w.allowed, w.wait_seconds) {
            (true, None) => Ok(ChangePermission::Allowed),
            (false, Some(seconds)) => Ok(ChangePermission::Wait { seconds }),
            (true, Some(_)) => Err("`wait_seconds` is only given when `allowed` is false"),
            (false, None) => Err("`allowed: false` needs `wait_seconds`"),
        }
    }
}

impl From<ChangePermission> for ChangeWire {
    fn from(p: ChangePermission) -> ChangeWire {
        match p {
            ChangePermission::Allowed => ChangeWire {
                allowed: true,
                wait_seconds: None,
            },
            ChangePermission::Wait { seconds } => ChangeWire {
                allowed: false,
                wait_seconds: Some(seconds),
            },
        }
    }
}

/// How many previous passwords to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryDepth {
    /// The number kept (0: no history).
    pub keep: u32,
}

/// The lockout decision for a login key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum LockoutDecision {
    /// Logins allowed; `remaining` more distinct failures before the lock.
    Allowed {
        /// Failures left before the lock.
        remaining: u32,
    },
    /// Locked until `until` (Unix seconds), or until an administrator unlocks it (`None`).
    Locked {
        /// When the lock lifts by itself.
        #[serde(deserialize_with = "crate::required")]
        until: Option<i64>,
    },
}

/// How a new password relates to the one it replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Similarity {
    /// Unrelated enough.
    Different {},
    /// The same password (after Unicode normalisation).
    Same {},
    /// A trivial variant: the same letters with only digits or symbols changed ("Matkhau@1" →
    /// "Matkhau@2"), a change of case or diacritics only, or at most two edits apart.
    Variant {},
}

/// Pairs each question with its [`Decision`] variant and its answer type.
macro_rules! questions {
    ($( $question:ident $(<$l:lifetime>)? => $answer:ty ),* $(,)?) => {$(
        impl<'a> From<$question $(<$l>)?> for Decision<'a> {
            fn from(q: $question $(<$l>)?) -> Decision<'a> {
                Decision::$question(q)
            }
        }
        impl<'a> Question<'a> for $question $(<$l>)? {
            type Answer = $answer;
        }
    )*};
}

questions! {
    PasswordAge => AgeStatus,
    OrgInactivity => InactivityStatus,
    TemporaryPassword => TemporaryValidity,
    ChangeAllowed => ChangePermission,
    HistoryToKeep => HistoryDepth,
    Lockout => LockoutDecision,
    Similar<'a> => Similarity,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_permission_keeps_its_wire_form() {
        let allowed = serde_json::to_string(&ChangePermission::Allowed).unwrap();
        assert_eq!(allowed, r#"{"allowed":true}"#);
        let wait = serde_json::to_string(&ChangePermission::Wait { seconds: 5 }).unwrap();
        assert_eq!(wait, r#"{"allowed":false,"wait_seconds":5}"#);
        for bad in [
            r#"{"allowed":false}"#,
            r#"{"allowed":true,"wait_seconds":1}"#,
            r#"{"allowed":true,"extra":1}"#,
            r#"{}"#,
        ] {
            assert!(
                serde_json::from_str::<ChangePermission>(bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn answers_refuse_unknown_and_missing_fields() {
        // Answers without fields are empty struct variants: serde skips unknown keys of unit
        // variants even under `deny_unknown_fields`.
        assert!(serde_json::from_str::<AgeStatus>(r#"{"status":"expired","x":1}"#).is_err());
        assert!(serde_json::from_str::<InactivityStatus>(r#"{"status":"lock","x":1}"#).is_err());
        assert!(serde_json::from_str::<Similarity>(r#"{"status":"same","x":1}"#).is_err());
        assert_eq!(
            serde_json::to_string(&Similarity::Same {}).unwrap(),
            r#"{"status":"same"}"#
        );
        assert!(serde_json::from_str::<AgeStatus>(r#"{"status":"ok"}"#).is_err());
        assert!(
            serde_json::from_str::<AgeStatus>(r#"{"status":"ok","days_left":1,"x":2}"#).is_err()
        );
        assert!(serde_json::from_str::<HistoryDepth>(r#"{}"#).is_err());
        assert!(serde_json::from_str::<LockoutDecision>(r#"{"status":"locked"}"#).is_err());
        assert_eq!(
            serde_json::from_str::<LockoutDecision>(r#"{"status":"locked","until":null}"#).unwrap(),
            LockoutDecision::Locked { until: None }
        );
    }
}
