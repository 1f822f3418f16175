//! The mail queue: every message leaves from here. A message is written in the transaction of
//! the change it reports (a notice in clear; a temporary password sealed, see
//! [`crate::mail::seal`]) and sent after that commit by whichever replica claims it first. A
//! claim is committed before the delivery starts and cleared when it ends, so a sender that
//! died in between leaves a trace: its notice is not sent again (at most once), its temporary
//! password is (the same `Message-ID`: a repeat the user can tell and a receiver can drop, where
//! a lost one would leave the user without a password).

use super::{Store, StoreError, Tx};
use sqlx::Row;

/// A queued message.
#[derive(Clone)]
pub struct Queued {
    /// Row id.
    pub id: i64,
    /// Its queue key (unique per event; the `Message-ID` is made from it).
    pub key: String,
    /// Recipient address.
    pub recipient: String,
    /// Subject (UTF-8).
    pub subject: String,
    /// Plain-text body (UTF-8), or the sealed body when `sealed`.
    pub body: String,
    /// Whether the body is sealed.
    pub sealed: bool,
    /// Attempts so far.
    pub attempts: i64,
}

impl std::fmt::Debug for Queued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queued")
            .field("id", &self.id)
            .field("sealed", &self.sealed)
            .finish_non_exhaustive()
    }
}

/// A message to queue.
pub struct Outgoing<'a> {
    /// Unique per event (e.g. one expiry warning per password): no double mail across replicas.
    pub key: &'a str,
    /// Recipient address.
    pub recipient: &'a str,
    /// Subject.
    pub subject: &'a str,
    /// The body: in clear, or sealed for `key` when `sealed`.
    pub body: &'a str,
    /// Whether `body` is sealed.
    pub sealed: bool,
}

/// What became of deliveries whose sender died (see [`Store::recover_interrupted_mail`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Interrupted {
    /// Notices given up: whether they arrived is unknown.
    pub given_up: u64,
    /// Temporary passwords queued again.
    pub requeued: u64,
}

/// A row of `SELECT id, dedupe_key, recipient, subject, body, sealed, attempts`.
fn queued(r: &sqlx::any::AnyRow) -> Result<Queued, sqlx::Error> {
    Ok(Queued {
        id: r.try_get(0)?,
        key: r.try_get(1)?,
        recipient: r.try_get(2)?,
        subject: r.try_get(3)?,
        body: r.try_get(4)?,
        sealed: r.try_get::<i64, _>(5)? != 0,
        attempts: r.try_get(6)?,
    })
}

impl Store {
    /// Queues a message unless one with the same key exists; tells whether it queued.
    pub async fn enqueue_mail(
        &self,
        tx: &mut Tx,
        mail: &Outgoing<'_>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO mail_queue (created_at, dedupe_key, recipient, subject, body, status, \
             attempts, next_attempt_at, sealed) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $1, $6) \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(now)
        .bind(mail.key)
        .bind(mail.recipient)
        .bind(mail.subject)
        .bind(mail.body)
        .bind(i64::from(mail.sealed))
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims up to `limit` messages due at `now` that no sender holds (with `key`, only that
    /// one; rows other replicas are claiming are skipped): each is marked as being sent at
    /// `now`, so it can be delivered after this transaction commits.
    pub async fn claim_mail(
        &self,
        tx: &mut Tx,
        now: i64,
        limit: i64,
        key: Option<&str>,
    ) -> Result<Vec<Queued>, StoreError> {
        let rows = match key {
            None => {
                sqlx::query(self.claimed(
                    "SELECT id, dedupe_key, recipient, subject, body, sealed, attempts \
                     FROM mail_queue WHERE status = 'pending' AND claimed_at IS NULL \
                     AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
                ))
                .bind(now)
                .bind(limit)
                .fetch_all(&mut **tx)
                .await?
            }
            Some(key) => {
                sqlx::query(self.claimed(
                    "SELECT id, dedupe_key, recipient, subject, body, sealed, attempts \
                     FROM mail_queue WHERE status = 'pending' AND claimed_at IS NULL \
                     AND dedupe_key = $1",
                ))
                .bind(key)
                .fetch_all(&mut **tx)
                .await?
            }
        };
        let claimed = rows
            .iter()
            .map(queued)
            .collect::<Result<Vec<Queued>, sqlx::Error>>()?;
        for q in &claimed {
            sqlx::query("UPDATE mail_queue SET claimed_at = $2 WHERE id = $1")
                .bind(q.id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
        }
        Ok(claimed)
    }

    /// Deliveries claimed at or before `before` and never ended, their sender gone: notices are
    /// given up (`failed`, `mail.interrupted`), temporary passwords queued again.
    pub async fn recover_interrupted_mail(&self, before: i64) -> Result<Interrupted, StoreError> {
        let mut tx = self.begin().await?;
        let given_up = sqlx::query(
            "UPDATE mail_queue SET status = 'failed', claimed_at = NULL, \
             last_error = 'mail.interrupted' \
             WHERE status = 'pending' AND claimed_at <= $1 AND sealed = 0",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let requeued = sqlx::query(
            "UPDATE mail_queue SET claimed_at = NULL, last_error = 'mail.interrupted' \
             WHERE status = 'pending' AND claimed_at <= $1 AND sealed = 1",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(Interrupted { given_up, requeued })
    }

    /// Marks a message sent; a sealed body is erased.
    pub async fn mail_sent(&self, tx: &mut Tx, id: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE mail_queue SET status = 'sent', sent_at = $2, attempts = attempts + 1, \
             claimed_at = NULL, body = CASE WHEN sealed = 1 THEN '' ELSE body END WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or given up (`failed`, a sealed body
    /// erased) when `None`.
    pub async fn mail_failed(
        &self,
        tx: &mut Tx,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE mail_queue SET attempts = attempts + 1, last_error = $2, claimed_at = NULL, \
             status = CASE WHEN $3 < 0 THEN 'failed' ELSE 'pending' END, \
             body = CASE WHEN $3 < 0 AND sealed = 1 THEN '' ELSE body END, \
             next_attempt_at = CASE WHEN $3 < 0 THEN next_attempt_at ELSE $3 END WHERE id = $1",
        )
        .bind(id)
        .bind(error)
        .bind(retry_at.unwrap_or(-1))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
