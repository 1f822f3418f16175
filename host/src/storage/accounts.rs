//! The `accounts` and `password_history` tables.

use super::{optional_text, text, Store, StoreError, Tx};
use crate::states::{AccountKind, AccountStatus, MustChange, PasswordOrigin, StatusReason};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The columns `Account::from_row` reads, in its order.
macro_rules! account_columns {
    () => {
        "SELECT id, username, username_key, email, kind, context, password_hash, password_set_at, \
         password_origin, forced_reason, status, status_reason, status_changed_at, \
         last_activity_at, last_login_at, expiry_warned_for, created_at, version, valid_until \
         FROM accounts"
    };
}

/// One account as stored.
#[derive(Clone)]
pub struct Account {
    /// Row id.
    pub id: i64,
    /// As registered.
    pub username: String,
    /// Lower-cased, the lookup key.
    pub username_key: String,
    /// Registered e-mail address.
    pub email: String,
    /// Who it is for.
    pub kind: AccountKind,
    /// The user context (JSON object).
    pub context: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// When the current password was set.
    pub password_set_at: i64,
    /// Where the current password came from.
    pub password_origin: PasswordOrigin,
    /// A change forced on the next login (`leaked`, `admin`).
    pub forced_reason: Option<MustChange>,
    /// Whether it may log in.
    pub status: AccountStatus,
    /// Why it is locked or revoked.
    pub status_reason: Option<StatusReason>,
    /// When the status last changed.
    pub status_changed_at: i64,
    /// The last recorded activity (a filed dossier).
    pub last_activity_at: i64,
    /// The last successful login.
    pub last_login_at: Option<i64>,
    /// `password_set_at` of the password an expiry warning went out for.
    pub expiry_warned_for: Option<i64>,
    /// Registration time.
    pub created_at: i64,
    /// Bumped by every password change.
    pub version: i64,
    /// When the account's term ends (Unix seconds); `None`: no end.
    pub valid_until: Option<i64>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The hash stays out of logs too.
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Account {
    pub(super) fn from_row(r: &AnyRow) -> Result<Account, StoreError> {
        Ok(Account {
            id: r.try_get(0)?,
            username: r.try_get(1)?,
            username_key: r.try_get(2)?,
            email: r.try_get(3)?,
            kind: text(r, 4)?,
            context: r.try_get(5)?,
            password_hash: r.try_get(6)?,
            password_set_at: r.try_get(7)?,
            password_origin: text(r, 8)?,
            forced_reason: optional_text(r, 9)?,
            status: text(r, 10)?,
            status_reason: optional_text(r, 11)?,
            status_changed_at: r.try_get(12)?,
            last_activity_at: r.try_get(13)?,
            last_login_at: r.try_get(14)?,
            expiry_warned_for: r.try_get(15)?,
            created_at: r.try_get(16)?,
            version: r.try_get(17)?,
            valid_until: r.try_get(18)?,
        })
    }
}

/// The lookup key for a username (case-insensitive).
pub fn username_key(username: &str) -> String {
    username.to_lowercase()
}

/// A new account.
pub struct NewAccount<'a> {
    /// As given.
    pub username: &'a str,
    /// Registered address.
    pub email: &'a str,
    /// Account kind.
    pub kind: AccountKind,
    /// Context JSON.
    pub context: &'a str,
    /// PHC string.
    pub password_hash: &'a str,
    /// `chosen` or `issued`.
    pub password_origin: PasswordOrigin,
    /// When its term ends, if it has an end.
    pub valid_until: Option<i64>,
    /// Now.
    pub now: i64,
}

impl Store {
    /// The account for `username` (any case), if any.
    pub async fn account(&self, username: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(concat!(account_columns!(), " WHERE username_key = $1"))
            .bind(username_key(username))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Account::from_row).transpose()
    }

    /// The account, locked for the rest of the transaction.
    pub async fn account_for_update(
        &self,
        tx: &mut Tx,
        username: &str,
    ) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(self.locked(concat!(account_columns!(), " WHERE username_key = $1")))
            .bind(username_key(username))
            .fetch_optional(&mut **tx)
            .await?;
        row.as_ref().map(Account::from_row).transpose()
    }

    /// Active organisation accounts idle since `cutoff` or before, after `after_id`, locked and
    /// skipping rows another replica holds (sweep work).
    pub async fn claim_idle_organisations(
        &self,
        tx: &mut Tx,
        after_id: i64,
        cutoff: i64,
        limit: i64,
    ) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(self.claimed(concat!(
            account_columns!(),
            " WHERE id > $1 AND kind = $4 AND status = $5 \
             AND last_activity_at <= $2 ORDER BY id LIMIT $3"
        )))
        .bind(after_id)
        .bind(cutoff)
        .bind(limit)
        .bind(AccountKind::Organisation.as_str())
        .bind(AccountStatus::Active.as_str())
        .fetch_all(&mut **tx)
        .await?;
        rows.iter().map(Account::from_row).collect()
    }

    /// Active accounts whose chosen password was set in `(expired_before, warn_from]` and not yet
    /// warned about, after `after_id`, claimed like `claim_idle_organisations`.
    pub async fn claim_expiring(
        &self,
        tx: &mut Tx,
        after_id: i64,
        warn_from: i64,
        expired_before: i64,
        limit: i64,
    ) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(self.claimed(concat!(
            account_columns!(),
            " WHERE id > $1 AND status = $5 AND password_origin = $6 \
             AND password_set_at <= $2 AND password_set_at > $3 \
             AND (expiry_warned_for IS NULL OR expiry_warned_for <> password_set_at) \
             ORDER BY id LIMIT $4"
        )))
        .bind(after_id)
        .bind(warn_from)
        .bind(expired_before)
        .bind(limit)
        .bind(AccountStatus::Active.as_str())
        .bind(PasswordOrigin::Chosen.as_str())
        .fetch_all(&mut **tx)
        .await?;
        rows.iter().map(Account::from_row).collect()
    }

    /// Inserts an account; `storage.conflict` when the username is taken.
    pub async fn insert_account(&self, tx: &mut Tx, a: &NewAccount<'_>) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO accounts (username, username_key, email, kind, context, password_hash, \
             password_set_at, password_origin, status, status_changed_at, last_activity_at, \
             created_at, version, valid_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7, $7, $7, 0, $10) RETURNING id",
        )
        .bind(a.username)
        .bind(username_key(a.username))
        .bind(a.email)
        .bind(a.kind.as_str())
        .bind(a.context)
        .bind(a.password_hash)
        .bind(a.now)
        .bind(a.password_origin.as_str())
        .bind(AccountStatus::Active.as_str())
        .bind(a.valid_until)
        .fetch_one(&mut **tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Sets (or clears) the end of the account's term.
    pub async fn set_valid_until(
        &self,
        tx: &mut Tx,
        id: i64,
        valid_until: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET valid_until = $2 WHERE id = $1")
            .bind(id)
            .bind(valid_until)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Accounts not revoked whose term ended at or before `as_of`, after `after_id`, claimed
    /// like `claim_idle_organisations`.
    pub async fn claim_ended(
        &self,
        tx: &mut Tx,
        after_id: i64,
        as_of: i64,
        limit: i64,
    ) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(self.claimed(concat!(
            account_columns!(),
            " WHERE id > $1 AND valid_until IS NOT NULL AND valid_until <= $2 AND status <> $4 \
             ORDER BY id LIMIT $3"
        )))
        .bind(after_id)
        .bind(as_of)
        .bind(limit)
        .bind(AccountStatus::Revoked.as_str())
        .fetch_all(&mut **tx)
        .await?;
        rows.iter().map(Account::from_row).collect()
    }

    /// Replaces the password of `account` (whose row the transaction holds): the old hash goes to
    /// the history, which keeps the newest `keep` entries.
    pub async fn set_password(
        &self,
        tx: &mut Tx,
        account: &Account,
        change: &PasswordChange<'_>,
        keep: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO password_history (account_id, password_hash, set_at, retired_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(account.id)
        .bind(&account.password_hash)
        .bind(account.password_set_at)
        .bind(change.now)
        .execute(&mut **tx)
        .await?;
        prune_history(tx, account.id, keep).await?;
        let done = sqlx::query(
            "UPDATE accounts SET password_hash = $1, password_set_at = $2, password_origin = $3, \
             forced_reason = NULL, expiry_warned_for = NULL, version = version + 1 \
             WHERE id = $4 AND version = $5",
        )
        .bind(change.password_hash)
        .bind(change.now)
        .bind(change.origin.as_str())
        .bind(account.id)
        .bind(account.version)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("the account changed meanwhile".into()));
        }
        Ok(())
    }

    /// The stored history hashes of an account, newest first.
    pub async fn history(&self, account_id: i64, keep: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT password_hash FROM password_history WHERE account_id = $1 \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(account_id)
        .bind(keep)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?)
    }
}

/// A new password for an account.
pub struct PasswordChange<'a> {
    /// PHC string of the new password.
    pub password_hash: &'a str,
    /// `chosen` or `temporary`.
    pub origin: PasswordOrigin,
    /// Now.
    pub now: i64,
}

async fn prune_history(tx: &mut Tx, account_id: i64, keep: i64) -> Result<(), StoreError> {
    let conn: &mut AnyConnection = tx;
    sqlx::query(
        "DELETE FROM password_history WHERE account_id = $1 AND id NOT IN \
         (SELECT id FROM password_history WHERE account_id = $1 ORDER BY id DESC LIMIT $2)",
    )
    .bind(account_id)
    .bind(keep.max(0))
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Sets the status and its reason.
    pub async fn set_status(
        &self,
        tx: &mut Tx,
        account_id: i64,
        status: AccountStatus,
        reason: Option<StatusReason>,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE accounts SET status = $2, status_reason = $3, status_changed_at = $4 WHERE id = $1",
        )
        .bind(account_id)
        .bind(status.as_str())
        .bind(reason.map(StatusReason::as_str))
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Records a successful login (and a re-hashed password when its parameters were upgraded).
    pub async fn record_login(
        &self,
        tx: &mut Tx,
        account_id: i64,
        upgraded_hash: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE accounts SET last_login_at = $2, \
             password_hash = COALESCE($3, password_hash) WHERE id = $1",
        )
        .bind(account_id)
        .bind(now)
        .bind(upgraded_hash)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Records activity (a filed dossier): the inactivity clock restarts.
    pub async fn record_activity(
        &self,
        tx: &mut Tx,
        account_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        update_one(
            tx,
            "UPDATE accounts SET last_activity_at = $2 WHERE id = $1",
            account_id,
            now,
        )
        .await
    }

    /// Marks the current password as warned about its expiry.
    pub async fn mark_expiry_warned(
        &self,
        tx: &mut Tx,
        account_id: i64,
        password_set_at: i64,
    ) -> Result<(), StoreError> {
        update_one(
            tx,
            "UPDATE accounts SET expiry_warned_for = $2 WHERE id = $1",
            account_id,
            password_set_at,
        )
        .await
    }

    /// Forces a password change at the next login (`leaked`, `admin`).
    pub async fn force_change(
        &self,
        tx: &mut Tx,
        account_id: i64,
        reason: MustChange,
    ) -> Result<(), StoreError> {
        update_one(
            tx,
            "UPDATE accounts SET forced_reason = $2 WHERE id = $1",
            account_id,
            reason.as_str().to_string(),
        )
        .await
    }
}

/// Runs `sql`, an update of one account with `$1` its id and `$2` the value.
async fn update_one<T>(
    tx: &mut Tx,
    sql: &'static str,
    account_id: i64,
    value: T,
) -> Result<(), StoreError>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + 'static,
{
    sqlx::query(sql)
        .bind(account_id)
        .bind(value)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
