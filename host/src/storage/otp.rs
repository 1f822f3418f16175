//! One-time codes (`otp_secrets`, `otp_recovery`, `login_tickets`): an account's sealed
//! authenticator secret and the last time step accepted, its hashed recovery codes, and the
//! tickets between a login's password step and its code step.

use super::{Store, StoreError, Tx};
use sqlx::Row;

/// An account's authenticator secret as stored.
#[derive(Clone, Debug)]
pub struct OtpSecret {
    /// The secret, sealed (see [`crate::accounts::otp`]).
    pub sealed: String,
    /// When the enrolment began (part of what the seal is bound to).
    pub created_at: i64,
    /// When a first code confirmed it; `None` while pending.
    pub confirmed_at: Option<i64>,
    /// The highest time step a code was accepted for.
    pub last_step: i64,
}

/// A login ticket as stored.
#[derive(Clone, Debug)]
pub struct Ticket {
    /// Row id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// The account's row version when the password was proven.
    pub version: i64,
    /// The password step found the password weak (a re-issue follows the code).
    pub weak: bool,
    /// The password step found the password breached.
    pub breached: bool,
    /// An upgraded hash of the same password, to store with the login.
    pub rehash: Option<String>,
    /// Until when the ticket works.
    pub expires_at: i64,
    /// When it was used.
    pub used_at: Option<i64>,
}

/// A new ticket.
pub struct NewTicket<'a> {
    /// The account.
    pub account_id: i64,
    /// SHA-256 of the ticket, hex.
    pub ticket_hash: &'a str,
    /// The account's row version.
    pub version: i64,
    /// What the password step found.
    pub weak: bool,
    /// What the password step found.
    pub breached: bool,
    /// An upgraded hash, if any.
    pub rehash: Option<&'a str>,
    /// Now.
    pub now: i64,
    /// Until when it works.
    pub expires_at: i64,
}

impl Store {
    /// The authenticator secret of account `account_id`, if it has one (pending or confirmed).
    pub async fn otp_secret(&self, account_id: i64) -> Result<Option<OtpSecret>, StoreError> {
        let row = sqlx::query(
            "SELECT sealed, created_at, confirmed_at, last_step FROM otp_secrets \
             WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(OtpSecret {
                sealed: r.try_get(0)?,
                created_at: r.try_get(1)?,
                confirmed_at: r.try_get(2)?,
                last_step: r.try_get(3)?,
            })
        })
        .transpose()
    }

    /// Starts (or starts again) a pending enrolment; `false` when a confirmed one exists (it
    /// is left as it is).
    pub async fn begin_otp(
        &self,
        tx: &mut Tx,
        account_id: i64,
        sealed: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        sqlx::query("DELETE FROM otp_secrets WHERE account_id = $1 AND confirmed_at IS NULL")
            .bind(account_id)
            .execute(&mut **tx)
            .await?;
        let existing = sqlx::query("SELECT 1 FROM otp_secrets WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&mut **tx)
            .await?;
        if existing.is_some() {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO otp_secrets (account_id, sealed, created_at, last_step) \
             VALUES ($1, $2, $3, 0)",
        )
        .bind(account_id)
        .bind(sealed)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(true)
    }

    /// Confirms the pending enrolment begun at `created_at` with a code of time step `step`,
    /// replacing the account's recovery codes with `recovery` (hashes); `false` when it is no
    /// longer pending (confirmed or restarted meanwhile).
    pub async fn confirm_otp(
        &self,
        tx: &mut Tx,
        account_id: i64,
        created_at: i64,
        step: i64,
        recovery: &[String],
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE otp_secrets SET confirmed_at = $3, last_step = $4 \
             WHERE account_id = $1 AND created_at = $2 AND confirmed_at IS NULL",
        )
        .bind(account_id)
        .bind(created_at)
        .bind(now)
        .bind(step)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM otp_recovery WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut **tx)
            .await?;
        for hash in recovery {
            sqlx::query("INSERT INTO otp_recovery (account_id, code_hash) VALUES ($1, $2)")
                .bind(account_id)
                .bind(hash)
                .execute(&mut **tx)
                .await?;
        }
        Ok(true)
    }

    /// Accepts time step `step` for the account's confirmed secret: `false` when that step or
    /// a later one was accepted already (a replayed code).
    pub async fn use_otp_step(
        &self,
        tx: &mut Tx,
        account_id: i64,
        step: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE otp_secrets SET last_step = $2 \
             WHERE account_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2",
        )
        .bind(account_id)
        .bind(step)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Uses the recovery code with hash `code_hash`: `false` when the account has no such unused
    /// code.
    pub async fn use_recovery(
        &self,
        tx: &mut Tx,
        account_id: i64,
        code_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE otp_recovery SET used_at = $3 \
             WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(account_id)
        .bind(code_hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many unused recovery codes the account has.
    pub async fn recovery_left(&self, tx: &mut Tx, account_id: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM otp_recovery WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(account_id)
        .fetch_one(&mut **tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Removes the account's secret, recovery codes and open tickets; `true` when it had a
    /// secret.
    pub async fn remove_otp(&self, tx: &mut Tx, account_id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM otp_secrets WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut **tx)
            .await?;
        for sql in [
            "DELETE FROM otp_recovery WHERE account_id = $1",
            "DELETE FROM login_tickets WHERE account_id = $1",
        ] {
            sqlx::query(sql).bind(account_id).execute(&mut **tx).await?;
        }
        Ok(done.rows_affected() == 1)
    }

    /// Records a login ticket; tickets of every account a day past their end are dropped.
    pub async fn insert_ticket(&self, t: &NewTicket<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM login_tickets WHERE expires_at < $1")
            .bind(t.now - 86_400)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_tickets (account_id, ticket_hash, version, weak, breached, rehash, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.account_id)
        .bind(t.ticket_hash)
        .bind(t.version)
        .bind(i64::from(t.weak))
        .bind(i64::from(t.breached))
        .bind(t.rehash)
        .bind(t.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The ticket whose SHA-256 is `ticket_hash`.
    pub async fn ticket(&self, ticket_hash: &str) -> Result<Option<Ticket>, StoreError> {
        let row = sqlx::query(
            "SELECT id, account_id, version, weak, breached, rehash, expires_at, used_at \
             FROM login_tickets WHERE ticket_hash = $1",
        )
        .bind(ticket_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Ticket {
                id: r.try_get(0)?,
                account_id: r.try_get(1)?,
                version: r.try_get(2)?,
                weak: r.try_get::<i64, _>(3)? != 0,
                breached: r.try_get::<i64, _>(4)? != 0,
                rehash: r.try_get(5)?,
                expires_at: r.try_get(6)?,
                used_at: r.try_get(7)?,
            })
        })
        .transpose()
    }

    /// Uses ticket `id`: `false` when it was used meanwhile.
    pub async fn use_ticket(&self, tx: &mut Tx, id: i64, now: i64) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE login_tickets SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
                .bind(id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
        Ok(done.rows_affected() == 1)
    }
}
