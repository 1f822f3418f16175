//! Leak reports: `leaked_passwords` (the blocklist, keyed hashes only) and `leak_reports` (one
//! row per handled report entry, so a repeated import changes nothing).

use super::{text, Store, StoreError, Tx};
use crate::states::LeakOutcome;
use sqlx::Row;

/// A report entry handled before.
#[derive(Clone, Debug)]
pub struct HandledEntry {
    /// What the intake did then.
    pub outcome: LeakOutcome,
    /// The report it came in.
    pub source: String,
    /// When (Unix seconds).
    pub reported_at: i64,
}

impl Store {
    /// Whether a password (by its keyed hash) was in a leak report.
    pub async fn password_reported(&self, password_key: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM leaked_passwords WHERE password_key = $1")
            .bind(password_key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// How many passwords the blocklist holds (rows are never deleted).
    pub async fn reported_count(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM leaked_passwords")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Blocklist keys first reported at or after `since` (Unix seconds), with that time: how a
    /// replica's snapshot catches up.
    pub async fn reported_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT password_key, first_reported_at FROM leaked_passwords \
             WHERE first_reported_at >= $1",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Adds a password's keyed hash to the blocklist (no change if it is there).
    pub async fn block_password(
        &self,
        tx: &mut Tx,
        password_key: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO leaked_passwords (password_key, first_reported_at) VALUES ($1, $2) \
             ON CONFLICT (password_key) DO NOTHING",
        )
        .bind(password_key)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The entry handled before under this key, if any.
    pub async fn leak_entry(&self, entry_key: &str) -> Result<Option<HandledEntry>, StoreError> {
        let row = sqlx::query(
            "SELECT outcome, source, reported_at FROM leak_reports WHERE entry_key = $1",
        )
        .bind(entry_key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(HandledEntry {
                outcome: text(&r, 0)?,
                source: r.try_get(1)?,
                reported_at: r.try_get(2)?,
            })
        })
        .transpose()
    }

    /// Records a handled entry; `false` when another import recorded it first (the caller then
    /// rolls back: that import did the work).
    pub async fn record_leak_entry(
        &self,
        tx: &mut Tx,
        entry_key: &str,
        username_key: &str,
        source: &str,
        outcome: LeakOutcome,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO leak_reports (entry_key, username_key, source, outcome, reported_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (entry_key) DO NOTHING",
        )
        .bind(entry_key)
        .bind(username_key)
        .bind(source)
        .bind(outcome.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
