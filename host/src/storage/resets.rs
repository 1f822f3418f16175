//! Self-service password resets (`password_resets`): the mailed code kept as its SHA-256, its
//! lifetime and single use, and the accounts a reset may be asked for by e-mail address.

use super::accounts::Account;
use super::{Store, StoreError, Tx};
use sqlx::Row;

/// Most accounts one e-mail address asks a reset for at once.
pub const MAX_ACCOUNTS_PER_EMAIL: i64 = 5;

/// A reset as stored.
#[derive(Clone, Debug)]
pub struct Reset {
    /// Row id.
    pub id: i64,
    /// The account it is for.
    pub account_id: i64,
    /// When it was asked for (Unix seconds).
    pub created_at: i64,
    /// Until when its code works.
    pub expires_at: i64,
    /// When it was used, if it was.
    pub used_at: Option<i64>,
}

/// A new reset.
pub struct NewReset<'a> {
    /// The account.
    pub account_id: i64,
    /// SHA-256 of the code, hex.
    pub code_hash: &'a str,
    /// Now.
    pub now: i64,
    /// Until when the code works.
    pub expires_at: i64,
}

impl Store {
    /// Accounts whose registered address is `email` (any case), at most
    /// [`MAX_ACCOUNTS_PER_EMAIL`], oldest first.
    pub async fn accounts_by_email(&self, email: &str) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(concat!(
            account_columns!(),
            " WHERE lower(email) = lower($1) ORDER BY id LIMIT $2"
        ))
        .bind(email)
        .bind(MAX_ACCOUNTS_PER_EMAIL)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Account::from_row).collect()
    }

    /// The account with row id `id`, locked for the rest of the transaction.
    pub async fn account_by_id_for_update(
        &self,
        tx: &mut Tx,
        id: i64,
    ) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(self.locked(concat!(account_columns!(), " WHERE id = $1")))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        row.as_ref().map(Account::from_row).transpose()
    }

    /// The account with row id `id`.
    pub async fn account_by_id(&self, id: i64) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(concat!(account_columns!(), " WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Account::from_row).transpose()
    }

    /// How many resets were asked for the account since `since` (the transaction holds the
    /// account's row, so concurrent requests count each other).
    pub async fn resets_since(
        &self,
        tx: &mut Tx,
        account_id: i64,
        since: i64,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM password_resets WHERE account_id = $1 AND created_at >= $2",
        )
        .bind(account_id)
        .bind(since)
        .fetch_one(&mut **tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Records a reset; old ones of every account (a day past their end) are dropped.
    pub async fn insert_reset(&self, tx: &mut Tx, r: &NewReset<'_>) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
            .bind(r.now - 86_400)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO password_resets (account_id, code_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(r.account_id)
        .bind(r.code_hash)
        .bind(r.now)
        .bind(r.expires_at)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The reset whose code has SHA-256 `code_hash`.
    pub async fn reset(&self, code_hash: &str) -> Result<Option<Reset>, StoreError> {
        let row = sqlx::query(
            "SELECT id, account_id, created_at, expires_at, used_at FROM password_resets \
             WHERE code_hash = $1",
        )
        .bind(code_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Reset {
                id: r.try_get(0)?,
                account_id: r.try_get(1)?,
                created_at: r.try_get(2)?,
                expires_at: r.try_get(3)?,
                used_at: r.try_get(4)?,
            })
        })
        .transpose()
    }

    /// Uses reset `id` and voids every other open reset of its account; `false` when it was
    /// used meanwhile.
    pub async fn use_reset(
        &self,
        tx: &mut Tx,
        id: i64,
        account_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE password_resets SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE password_resets SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(account_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(true)
    }
}
