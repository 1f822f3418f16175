//! The abnormal-account signals the letters ask the IT centre to report (`matkhau report`):
//! failed logins from many addresses, logins after a leak report, accounts never used.

use super::audit::Action;
use super::{text, Store, StoreError};
use crate::states::{AccountKind, AccountStatus, LeakOutcome};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Most rows per signal.
pub const MAX_ROWS: i64 = 1000;

/// A login key that failed from many client addresses.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ManyAddresses {
    /// The login key (lower-cased username), known or not.
    pub username: String,
    /// Whether an account has that username.
    pub account_exists: bool,
    /// Failed logins in the period.
    pub failures: i64,
    /// Distinct client addresses they came from.
    pub addresses: i64,
    /// First and last failure (Unix seconds).
    pub first_at: i64,
    /// Last failure.
    pub last_at: i64,
}

/// An account that logged in after it was named in a leak report.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LoginAfterLeak {
    /// The username.
    pub username: String,
    /// When it was first reported (Unix seconds).
    pub reported_at: i64,
    /// Successful logins since.
    pub logins: i64,
    /// The last of them.
    pub last_login_at: i64,
}

/// An account that never logged in.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NeverUsed {
    /// The username.
    pub username: String,
    /// Who it is for.
    pub kind: AccountKind,
    /// Whether it may log in.
    pub status: AccountStatus,
    /// Created (Unix seconds).
    pub created_at: i64,
}

/// An account whose term ends soon.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ending {
    /// The username.
    pub username: String,
    /// Who it is for.
    pub kind: AccountKind,
    /// When its term ends (Unix seconds).
    pub valid_until: i64,
}

fn rows<T>(
    rows: Vec<AnyRow>,
    f: impl Fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    rows.iter().map(f).collect()
}

impl Store {
    /// Login keys with failures from at least `min_addresses` addresses since `since`.
    pub async fn failures_from_many_addresses(
        &self,
        since: i64,
        min_addresses: i64,
    ) -> Result<Vec<ManyAddresses>, StoreError> {
        let found = sqlx::query(
            "SELECT f.username_key, COUNT(*), COUNT(DISTINCT f.address), MIN(f.at), MAX(f.at), \
                    (SELECT COUNT(*) FROM accounts a WHERE a.username_key = f.username_key) \
             FROM login_failures f WHERE f.at >= $1 AND f.username_key <> '' \
             GROUP BY f.username_key \
             HAVING COUNT(DISTINCT f.address) >= $2 \
             ORDER BY COUNT(DISTINCT f.address) DESC, f.username_key LIMIT $3",
        )
        .bind(since)
        .bind(min_addresses)
        .bind(MAX_ROWS)
        .fetch_all(&self.pool)
        .await?;
        rows(found, |r| {
            Ok(ManyAddresses {
                username: r.try_get(0)?,
                failures: r.try_get(1)?,
                addresses: r.try_get(2)?,
                first_at: r.try_get(3)?,
                last_at: r.try_get(4)?,
                account_exists: r.try_get::<i64, _>(5)? > 0,
            })
        })
    }

    /// Accounts named in a leak report that logged in successfully afterwards (since `since`).
    pub async fn logins_after_leak(&self, since: i64) -> Result<Vec<LoginAfterLeak>, StoreError> {
        let found = sqlx::query(
            "SELECT r.username_key, MIN(r.reported_at), COUNT(DISTINCT a.id), MAX(a.at) \
             FROM leak_reports r JOIN audit_log a \
               ON lower(a.username) = r.username_key AND a.action = $3 \
              AND a.at >= r.reported_at \
             WHERE r.outcome <> $4 AND a.at >= $1 \
             GROUP BY r.username_key ORDER BY MAX(a.at) DESC LIMIT $2",
        )
        .bind(since)
        .bind(MAX_ROWS)
        .bind(Action::LoginSucceeded.as_str())
        .bind(LeakOutcome::UnknownUser.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows(found, |r| {
            Ok(LoginAfterLeak {
                username: r.try_get(0)?,
                reported_at: r.try_get(1)?,
                logins: r.try_get(2)?,
                last_login_at: r.try_get(3)?,
            })
        })
    }

    /// Accounts not revoked whose term ends in `(now, until]`, soonest first.
    pub async fn ending(&self, now: i64, until: i64) -> Result<Vec<Ending>, StoreError> {
        let found = sqlx::query(
            "SELECT username, kind, valid_until FROM accounts \
             WHERE valid_until > $1 AND valid_until <= $2 AND status <> $3 \
             ORDER BY valid_until, id LIMIT $4",
        )
        .bind(now)
        .bind(until)
        .bind(AccountStatus::Revoked.as_str())
        .bind(MAX_ROWS)
        .fetch_all(&self.pool)
        .await?;
        rows(found, |r| {
            Ok(Ending {
                username: r.try_get(0)?,
                kind: text(r, 1)?,
                valid_until: r.try_get(2)?,
            })
        })
    }

    /// Accounts created at or before `created_before` that never logged in.
    pub async fn never_used(&self, created_before: i64) -> Result<Vec<NeverUsed>, StoreError> {
        let found = sqlx::query(
            "SELECT username, kind, status, created_at FROM accounts \
             WHERE last_login_at IS NULL AND created_at <= $1 \
             ORDER BY created_at, id LIMIT $2",
        )
        .bind(created_before)
        .bind(MAX_ROWS)
        .fetch_all(&self.pool)
        .await?;
        rows(found, |r| {
            Ok(NeverUsed {
                username: r.try_get(0)?,
                kind: text(r, 1)?,
                status: text(r, 2)?,
                created_at: r.try_get(3)?,
            })
        })
    }
}
