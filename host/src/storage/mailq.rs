//! The mail queue: messages that carry no secret, written in the transaction of the change they
//! report and sent afterwards by whichever replica claims them first.

use super::{Store, StoreError, Tx};
use sqlx::Row;

/// A queued message.
#[derive(Clone, Debug)]
pub struct Queued {
    /// Row id.
    pub id: i64,
    /// Recipient address.
    pub recipient: String,
    /// Subject (UTF-8).
    pub subject: String,
    /// Plain-text body (UTF-8).
    pub body: String,
    /// Attempts so far.
    pub attempts: i64,
}

impl Store {
    /// Queues a message unless one with the same `dedupe_key` exists; tells whether it queued.
    pub async fn enqueue_mail(
        &self,
        tx: &mut Tx,
        dedupe_key: &str,
        recipient: &str,
        subject: &str,
        body: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO mail_queue (created_at, dedupe_key, recipient, subject, body, status, \
             attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $1) \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(now)
        .bind(dedupe_key)
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims up to `limit` messages due at `now` (rows other replicas hold are skipped) and
    /// leases them until `until`: no one claims them again before then, so they can be sent
    /// after this transaction commits. A message whose sender died is retried after its lease.
    pub async fn claim_mail(
        &self,
        tx: &mut Tx,
        now: i64,
        limit: i64,
        until: i64,
    ) -> Result<Vec<Queued>, StoreError> {
        let rows = sqlx::query(self.claimed(
            "SELECT id, recipient, subject, body, attempts FROM mail_queue \
             WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
        let claimed = rows
            .iter()
            .map(|r| {
                Ok(Queued {
                    id: r.try_get(0)?,
                    recipient: r.try_get(1)?,
                    subject: r.try_get(2)?,
                    body: r.try_get(3)?,
                    attempts: r.try_get(4)?,
                })
            })
            .collect::<Result<Vec<Queued>, sqlx::Error>>()?;
        for q in &claimed {
            sqlx::query("UPDATE mail_queue SET next_attempt_at = $2 WHERE id = $1")
                .bind(q.id)
                .bind(until)
                .execute(&mut **tx)
                .await?;
        }
        Ok(claimed)
    }

    /// Marks a message sent.
    pub async fn mail_sent(&self, tx: &mut Tx, id: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE mail_queue SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or given up (`failed`) when `None`.
    pub async fn mail_failed(
        &self,
        tx: &mut Tx,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE mail_queue SET attempts = attempts + 1, last_error = $2, \
             status = CASE WHEN $3 < 0 THEN 'failed' ELSE 'pending' END, \
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
