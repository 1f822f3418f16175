//! Failed logins: `login_throttle` (one row per login key, the lock that keeps counts exact across
//! replicas) and `login_failures` (one row per failed attempt).

use super::{Store, StoreError, Tx};
use sqlx::Row;

pub use matkhau_abi::lifecycle::Failure;

/// The throttle row of a login key.
#[derive(Clone, Debug, Default)]
pub struct Throttle {
    /// Failures with this id or a lower one no longer count (the last failure recorded before
    /// the latest reset: ids grow in the order failures of one key are recorded, under its row
    /// lock, so one recorded after a reset is never hidden by it, in the same second or not).
    pub failures_reset_after: i64,
    /// End of the lock in force (`i64::MAX`: until an administrator unlocks), written once
    /// when the lock begins, with its audit entry.
    pub audited_lock_until: Option<i64>,
}

impl Throttle {
    /// The lock in force at `now`: `Some(until)`, `until = None` meaning until an administrator
    /// unlocks.
    pub fn lock(&self, now: i64) -> Option<Option<i64>> {
        match self.audited_lock_until {
            Some(i64::MAX) => Some(None),
            Some(until) if until > now => Some(Some(until)),
            _ => None,
        }
    }
}

impl Store {
    /// Creates the key's throttle row if missing and locks it for the transaction.
    pub async fn lock_throttle(&self, tx: &mut Tx, key: &str) -> Result<Throttle, StoreError> {
        sqlx::query(
            "INSERT INTO login_throttle (username_key, failures_reset_at) VALUES ($1, 0) \
             ON CONFLICT (username_key) DO NOTHING",
        )
        .bind(key)
        .execute(&mut **tx)
        .await?;
        let row = sqlx::query(self.locked(
            "SELECT failures_reset_after, audited_lock_until FROM login_throttle \
             WHERE username_key = $1",
        ))
        .bind(key)
        .fetch_one(&mut **tx)
        .await?;
        Ok(Throttle {
            failures_reset_after: row.try_get(0)?,
            audited_lock_until: row.try_get(1)?,
        })
    }

    /// The throttle row of a key, without locking it (the default when it has none): one
    /// indexed read, however many failures the key has.
    pub async fn throttle(&self, key: &str) -> Result<Throttle, StoreError> {
        let row = sqlx::query(
            "SELECT failures_reset_after, audited_lock_until FROM login_throttle \
             WHERE username_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => Throttle {
                failures_reset_after: r.try_get(0)?,
                audited_lock_until: r.try_get(1)?,
            },
            None => Throttle::default(),
        })
    }

    /// The distinct wrong passwords of a key recorded after the failure `after` (its last reset)
    /// and at a time after `since`, each with its latest time, oldest first: the newest `limit`
    /// of them (the lockout decision needs no more than the policy's `max_failures`, whatever
    /// the number of rows).
    pub async fn recent_failures(
        &self,
        tx: &mut Tx,
        key: &str,
        after: i64,
        since: i64,
        limit: i64,
    ) -> Result<Vec<Failure>, StoreError> {
        let rows = sqlx::query(
            "SELECT MAX(at) AS latest, fingerprint, MAX(id) AS last FROM login_failures \
             WHERE username_key = $1 AND id > $2 AND at > $3 GROUP BY fingerprint \
             ORDER BY latest DESC, last DESC LIMIT $4",
        )
        .bind(key)
        .bind(after)
        .bind(since)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(Failure {
                    at: r.try_get(0)?,
                    fingerprint: r.try_get(1)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.reverse();
        Ok(out)
    }

    /// Appends one failed attempt.
    pub async fn insert_failure(
        &self,
        tx: &mut Tx,
        key: &str,
        address: &str,
        fingerprint: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_failures (username_key, address, at, fingerprint) VALUES ($1, $2, $3, $4)",
        )
        .bind(key)
        .bind(address)
        .bind(now)
        .bind(fingerprint)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Records a failed attempt of an address that is no login key's (a taken name at
    /// registration): it counts toward the address's limit, never toward a key's lockout.
    pub async fn insert_failure_of_address(
        &self,
        address: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_failures (username_key, address, at, fingerprint) \
             VALUES ('', $1, $2, '')",
        )
        .bind(address)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Failed attempts from one client address since `since`.
    pub async fn failures_from(&self, address: &str, since: i64) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2")
                .bind(address)
                .bind(since)
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?,
        )
    }

    /// The failures recorded so far no longer count for `key` (successful login, admin unlock,
    /// change, re-issue), and a lock after this is a new lock. The reset is the id of the last
    /// failure recorded. The caller holds the key's row lock ([`Store::lock_throttle`] in `tx`,
    /// which every failure of the key takes before it is recorded): a failure committed before
    /// is covered, and any recorded after has a higher id and counts.
    pub async fn reset_failures(&self, tx: &mut Tx, key: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE login_throttle SET failures_reset_at = $2, \
             failures_reset_after = (SELECT COALESCE(MAX(id), 0) FROM login_failures), \
             audited_lock_until = NULL WHERE username_key = $1",
        )
        .bind(key)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Remembers that a lock ending at `until` (`i64::MAX`: until an admin unlocks) is audited.
    pub async fn mark_lock_audited(
        &self,
        tx: &mut Tx,
        key: &str,
        until: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE login_throttle SET audited_lock_until = $2 WHERE username_key = $1")
            .bind(key)
            .bind(until)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Deletes failures older than `before` (the sweep keeps 30 days for reports), except the
    /// newest row: SQLite gives a new row the highest id plus one, so keeping it means ids never
    /// go back below a reset's `failures_reset_after`.
    pub async fn prune_failures(&self, before: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "DELETE FROM login_failures WHERE at < $1 \
             AND id < (SELECT MAX(id) FROM login_failures)",
        )
        .bind(before)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Deletes the throttle rows of keys with no failure left and no lock in force at `now`.
    pub async fn prune_throttles(&self, now: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "DELETE FROM login_throttle WHERE (audited_lock_until IS NULL \
             OR audited_lock_until <= $1) AND NOT EXISTS (SELECT 1 FROM login_failures f \
             WHERE f.username_key = login_throttle.username_key)",
        )
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
