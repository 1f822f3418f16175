//! Sends the mail queue: claims due messages under a lease (skipping those another replica
//! holds), delivers them outside any transaction, and marks each sent or schedules a retry with
//! back-off.

use super::{Error, Service};
use crate::code::Coded;
use crate::mail::Mail;
use std::sync::Arc;
use std::time::Duration;

/// Messages claimed per transaction.
const BATCH: i64 = 20;
/// Seconds a claimed message is reserved for its sender (longer than a batch of sends with the
/// mailer's timeout).
const LEASE: i64 = 600;
/// Attempts before a message is given up (`failed`).
const MAX_ATTEMPTS: i64 = 8;

impl Service {
    /// Sends every message due at `now`; returns (sent, failed attempts).
    pub async fn dispatch_mail(&self, now: i64) -> Result<(u64, u64), Error> {
        let (mut sent, mut failed) = (0, 0);
        loop {
            // Claim a batch in a short transaction; send with no transaction open (a slow mail
            // server must not hold SQLite's one connection or PostgreSQL row locks).
            let mut tx = self.store.begin().await?;
            let batch = self
                .store
                .claim_mail(&mut tx, now, BATCH, now + LEASE)
                .await?;
            tx.commit().await?;
            for q in &batch {
                let mail = Mail {
                    to: q.recipient.clone(),
                    subject: q.subject.clone(),
                    body: q.body.clone(),
                };
                let outcome = self.mailer.send(&mail).await;
                let mut tx = self.store.begin().await?;
                match outcome {
                    Ok(()) => {
                        self.store.mail_sent(&mut tx, q.id, now).await?;
                        self.counters.mail_sent.inc();
                        sent += 1;
                    }
                    Err(e) => {
                        let attempts = q.attempts + 1;
                        let retry = (attempts < MAX_ATTEMPTS)
                            .then(|| now + (60_i64 << attempts.min(8)).min(6 * 3600));
                        self.store
                            .mail_failed(&mut tx, q.id, e.code().as_str(), retry)
                            .await?;
                        self.counters.mail_failed.inc();
                        failed += 1;
                    }
                }
                tx.commit().await?;
            }
            if (batch.len() as i64) < BATCH {
                break;
            }
        }
        Ok((sent, failed))
    }

    /// Runs the dispatcher until the process ends: after each commit that queued mail, and every
    /// `every` for retries.
    pub async fn run_mail_dispatcher(self: Arc<Self>, every: Duration) {
        loop {
            tokio::select! {
                _ = self.mail_queued.notified() => {}
                _ = tokio::time::sleep(every) => {}
            }
            if let Err(e) = self.dispatch_mail(crate::clock::unix_now()).await {
                eprintln!("matkhau: mail dispatch: {e}");
            }
        }
    }
}
