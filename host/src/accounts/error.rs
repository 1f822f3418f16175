//! How an account operation is refused or fails: one variant per answer the service gives, each
//! with its stable [`Code`], its details for the client and its retry hint.

use super::hashing::HashError;
use crate::breach::BreachError;
use crate::code::{Code, Coded};
use crate::plugin::CallError;
use crate::states::LockReason;
use crate::storage::StoreError;
use matkhau_abi::Verdict;
use serde_json::{json, Value};

/// A refused or failed account operation. Messages never quote a password.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field is missing, empty, of the wrong form or out of range.
    #[error("{0}")]
    Invalid(String),
    /// A field is too large.
    #[error("{0}")]
    TooLarge(String),
    /// Not a username this service accepts.
    #[error("usernames have 3 to 64 characters: letters, digits, '.', '_', '-', '@'")]
    InvalidUsername,
    /// Not one mail address.
    #[error("email is not a valid mail address")]
    InvalidEmail,
    /// Staff accounts and issued passwords need the admin token.
    #[error("staff accounts and issued passwords need the admin token")]
    AdminOnly,
    /// The username is taken.
    #[error("that username is taken")]
    Exists,
    /// No account has that username.
    #[error("no such account")]
    Unknown,
    /// The account is revoked, so the action cannot be done.
    #[error("{0}")]
    Revoked(&'static str),
    /// Wrong username or password (an unknown username gives the same answer).
    #[error("wrong username or password")]
    LoginFailed,
    /// The account is locked.
    #[error("the account is locked")]
    Locked {
        /// Why.
        reason: LockReason,
        /// When the lock lifts by itself (Unix seconds); `None` until an administrator unlocks.
        until: Option<i64>,
        /// Seconds until then.
        retry_after: Option<i64>,
    },
    /// Too many failed logins from this client address.
    #[error("too many failed logins from this address; try again later")]
    Throttled {
        /// Seconds after which trying again may succeed.
        retry_after: i64,
    },
    /// Too many password attempts from this address or for this login key.
    #[error("too many attempts; try again later")]
    RateLimited {
        /// Seconds after which trying again may succeed.
        retry_after: i64,
    },
    /// The temporary password has run out.
    #[error("the temporary password has expired; ask for a new one")]
    TemporaryExpired,
    /// The password changed while this login was being decided.
    #[error("the password changed during this login; log in again")]
    LoginConflict,
    /// The policy rejects the password.
    #[error("{message}")]
    Rejected {
        /// Which password (chosen, new).
        message: &'static str,
        /// The verdict, for the client to show.
        verdict: Box<Verdict>,
    },
    /// The new password is the current one.
    #[error("the new password is the current one")]
    SameAsCurrent,
    /// The new password is in the history.
    #[error("the new password was used before (the last {history_depth} are remembered)")]
    Reused {
        /// How many previous passwords are remembered.
        history_depth: u32,
    },
    /// The new password is a trivial variant of the current one.
    #[error("the new password is a trivial variant of the current one")]
    Similar,
    /// The password was changed less than the policy's minimum age ago.
    #[error("the password was changed too recently to change it again")]
    TooSoon {
        /// Seconds to wait.
        wait_seconds: i64,
    },
    /// Another change won the race; this one was computed against an older row.
    #[error("the password was changed meanwhile; start again")]
    PasswordConflict,
    /// The reset code is unknown, used, expired, or older than the password.
    #[error("the reset code is not valid (wrong, used or expired); ask for a new one")]
    ResetInvalid,
    /// The one-time code or recovery code at the second login step is wrong or was used.
    #[error("the one-time code is wrong or was used")]
    OtpFailed,
    /// The login ticket is unknown, used or expired.
    #[error("the login ticket is not valid (wrong, used or expired); log in again")]
    TicketInvalid,
    /// The code does not confirm the enrolment.
    #[error("the code does not match the new secret; check the app's clock and try the next code")]
    OtpInvalid,
    /// A confirmed one-time-code app exists already.
    #[error("this account has a one-time-code app already; an administrator can reset it")]
    OtpEnrolled,
    /// Nothing to confirm.
    #[error("this account has no enrolment to confirm; start one first")]
    OtpNotEnrolled,
    /// A RADIUS request refused; `why` is for the log only, never the answer.
    #[error("access rejected")]
    RadiusRejected {
        /// What refused it (for the audit and the log).
        why: &'static str,
    },
    /// The account vanished while a leak report was imported.
    #[error("the account vanished during the import")]
    LeakConflict,
    /// No breach corpus with ranges is configured.
    #[error("{0}")]
    BreachUnavailable(&'static str),
    /// The breach corpus cannot be read.
    #[error(transparent)]
    Breach(#[from] BreachError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing failed.
    #[error(transparent)]
    Hash(#[from] HashError),
    /// The policy plug-in failed.
    #[error("the policy plug-in call failed: {0}")]
    Plugin(#[from] CallError),
    /// A fault of the host itself.
    #[error("{0}")]
    Internal(&'static str),
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Store(StoreError::from(e))
    }
}

impl Error {
    /// A lock answer; the retry hint is the time left (at least a second).
    pub fn locked(reason: LockReason, until: Option<i64>, now: i64) -> Error {
        Error::Locked {
            reason,
            until,
            retry_after: until.map(|u| (u - now).max(1)),
        }
    }

    /// Structured details for the client: a verdict, a lock's reason and end, a wait.
    pub fn detail(&self) -> Option<Value> {
        match self {
            Error::Locked { reason, until, .. } => Some(json!({"reason": reason, "until": until})),
            Error::Rejected { verdict, .. } => serde_json::to_value(verdict).ok(),
            Error::Reused { history_depth } => Some(json!({"history_depth": history_depth})),
            Error::TooSoon { wait_seconds } => Some(json!({"wait_seconds": wait_seconds})),
            _ => None,
        }
    }

    /// Seconds after which trying again may succeed.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            Error::Locked { retry_after, .. } => *retry_after,
            Error::Throttled { retry_after } | Error::RateLimited { retry_after } => {
                Some(*retry_after)
            }
            Error::Hash(HashError::Busy) => Some(1),
            Error::TooSoon { wait_seconds } => Some((*wait_seconds).max(1)),
            _ => None,
        }
    }
}

impl Coded for Error {
    fn code(&self) -> Code {
        match self {
            Error::Invalid(_) => Code::RequestInvalid,
            Error::TooLarge(_) => Code::RequestTooLarge,
            Error::InvalidUsername => Code::AccountInvalidUsername,
            Error::InvalidEmail => Code::AccountInvalidEmail,
            Error::AdminOnly => Code::AuthAdminOnly,
            Error::Exists => Code::AccountExists,
            Error::Unknown => Code::AccountUnknown,
            Error::Revoked(_) => Code::AccountRevoked,
            Error::LoginFailed => Code::LoginFailed,
            Error::Locked { .. } => Code::LoginLocked,
            Error::Throttled { .. } => Code::LoginThrottled,
            Error::RateLimited { .. } => Code::RequestThrottled,
            Error::TemporaryExpired => Code::LoginTemporaryExpired,
            Error::LoginConflict => Code::LoginConflict,
            Error::Rejected { .. } => Code::PasswordRejected,
            Error::SameAsCurrent | Error::Reused { .. } => Code::PasswordReused,
            Error::Similar => Code::PasswordSimilar,
            Error::TooSoon { .. } => Code::PasswordTooSoon,
            Error::PasswordConflict => Code::PasswordConflict,
            Error::ResetInvalid => Code::ResetInvalid,
            Error::OtpFailed => Code::LoginOtpFailed,
            Error::TicketInvalid => Code::LoginTicketInvalid,
            Error::OtpInvalid => Code::OtpInvalid,
            Error::OtpEnrolled => Code::OtpEnrolled,
            Error::OtpNotEnrolled => Code::OtpNotEnrolled,
            Error::RadiusRejected { .. } => Code::RadiusRejected,
            Error::LeakConflict => Code::LeakConflict,
            Error::BreachUnavailable(_) => Code::BreachUnavailable,
            Error::Breach(e) => e.code(),
            Error::Store(e) => e.code(),
            Error::Hash(e) => e.code(),
            Error::Plugin(e) => e.code(),
            Error::Internal(_) => Code::Internal,
        }
    }
}
