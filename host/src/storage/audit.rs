//! The append-only audit log: who did what, when, from where. Never a password.

use super::{text, Store, StoreError, Tx};
use crate::states::Actor;
use crate::text_enum::text_enum;
use serde::Serialize;
use sqlx::Row;

text_enum! {
    /// What an audit entry records.
    pub enum Action {
        /// An account was registered or created.
        AccountCreated = "account.created",
        /// A login succeeded (`detail`: the changes it must make, whether the hash was upgraded).
        LoginSucceeded = "login.succeeded",
        /// Failed logins locked a login key.
        LoginLockedOut = "login.locked_out",
        /// The password was changed.
        PasswordChanged = "password.changed",
        /// A temporary password was issued and mailed.
        PasswordReissued = "password.reissued",
        /// An expiry warning was queued.
        PasswordExpiryWarned = "password.expiry_warned",
        /// An account was locked (by an administrator, or for inactivity).
        AccountLocked = "account.locked",
        /// An account was unlocked.
        AccountUnlocked = "account.unlocked",
        /// An account was revoked.
        AccountRevoked = "account.revoked",
        /// The portal reported activity (a filed dossier).
        AccountActivity = "account.activity",
        /// An account (known or not) was named in a leak report.
        AccountLeakReported = "account.leak_reported",
        /// An administrator cleared a login key's failed logins (known or not).
        LoginFailuresCleared = "login.failures_cleared",
        /// Someone asked for a password reset of the account ("Quên mật khẩu?"); a code went
        /// to its registered address.
        PasswordResetRequested = "password.reset_requested",
        /// The account's password was reset with a mailed code.
        PasswordReset = "password.reset",
        /// A one-time-code app was enrolled (confirmed with a first code).
        OtpEnrolled = "otp.enrolled",
        /// An administrator removed an account's one-time-code app and recovery codes.
        OtpReset = "otp.reset",
        /// A recovery code was used at login.
        OtpRecoveryUsed = "otp.recovery_used",
        /// An administrator set or cleared the end of an account's term.
        AccountEndSet = "account.end_set",
        /// A VPN sign-in through RADIUS was accepted.
        RadiusAccepted = "radius.accepted",
    }
}

/// One audit entry.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Position in the log, increasing in the order entries were committed (pass the last one
    /// read as `after`: a reader never skips or repeats an entry while others write).
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// Who.
    pub actor: Actor,
    /// What happened.
    pub action: Action,
    /// The account concerned.
    pub username: Option<String>,
    /// Client address, when a request caused it.
    pub address: Option<String>,
    /// Details (JSON object; never a password).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// An entry to append.
pub struct Event<'a> {
    /// Who.
    pub actor: Actor,
    /// What.
    pub action: Action,
    /// Which account.
    pub username: Option<&'a str>,
    /// From where.
    pub address: Option<&'a str>,
    /// Details.
    pub detail: serde_json::Value,
    /// When.
    pub at: i64,
}

impl Store {
    /// Appends an entry inside the transaction that made the change.
    pub async fn audit(&self, tx: &mut Tx, e: &Event<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, username, address, detail) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.at)
        .bind(e.actor.as_str())
        .bind(e.action.as_str())
        .bind(e.username)
        .bind(e.address)
        .bind(e.detail.to_string())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Entries after position `after_id`, in commit order, optionally for one account (by
    /// lookup key).
    pub async fn audit_entries(
        &self,
        username: Option<&str>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = match username {
            Some(u) => {
                sqlx::query(
                    "SELECT o.seq, a.at, a.actor, a.action, a.username, a.address, a.detail \
                     FROM audit_order o JOIN audit_log a ON a.id = o.audit_id \
                     WHERE lower(a.username) = $1 AND o.seq > $2 ORDER BY o.seq LIMIT $3",
                )
                .bind(super::accounts::username_key(u))
                .bind(after_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT o.seq, a.at, a.actor, a.action, a.username, a.address, a.detail \
                     FROM audit_order o JOIN audit_log a ON a.id = o.audit_id \
                     WHERE o.seq > $1 ORDER BY o.seq LIMIT $2",
                )
                .bind(after_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|r| {
                let detail: String = r.try_get(6)?;
                Ok(AuditEntry {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: text(r, 2)?,
                    action: text(r, 3)?,
                    username: r.try_get(4)?,
                    address: r.try_get(5)?,
                    detail: serde_json::from_str(&detail).map_err(|e| {
                        StoreError::Corrupt(format!(
                            "an audit entry's detail (line {}, column {})",
                            e.line(),
                            e.column()
                        ))
                    })?,
                })
            })
            .collect()
    }
}
