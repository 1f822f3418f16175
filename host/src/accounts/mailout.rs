//! The mail queue's two ends: messages are queued in the transaction of the change they
//! report (a temporary password sealed), and sent after it commits, outside any transaction, by
//! the dispatcher or at once by the request that queued them. A delivery is claimed first and
//! its end recorded after; a sender that died in between is seen once its lease runs out (see
//! [`crate::storage::mailq`] for what then happens).

use super::{Error, Service};
use crate::code::{Code, Coded};
use crate::mail::{Mail, MailError};
use crate::storage::mailq::{Outgoing, Queued};
use crate::storage::Tx;
use std::sync::Arc;
use std::time::Duration;

/// Most messages one dispatch sends (the rest wait for the next).
const MOST_PER_DISPATCH: usize = 1000;
/// Attempts before a message is given up (`failed`).
const MAX_ATTEMPTS: i64 = 8;
/// The shortest lease a delivery may have: longer than a delivery may take.
pub const MIN_MAIL_LEASE: i64 = crate::mail::SEND_TIMEOUT.as_secs() as i64 + 5;

/// What became of one delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The message went out.
    Sent,
    /// It did not; it is queued again for later (or given up after its last attempt).
    Failed,
}

/// What a sealed body is bound to: its queue key, recipient and subject (a body moved to
/// another row, or a row given another recipient, no longer opens).
fn seal_label(key: &str, recipient: &str, subject: &str) -> String {
    format!("{key}\0{recipient}\0{subject}")
}

impl Service {
    /// Queues a notice (it carries no secret) in `tx`; `false` when one with `key` exists.
    pub(super) async fn queue_notice(
        &self,
        tx: &mut Tx,
        key: &str,
        mail: &Mail,
        now: i64,
    ) -> Result<bool, Error> {
        let outgoing = Outgoing {
            key,
            recipient: &mail.to,
            subject: &mail.subject,
            body: &mail.body,
            sealed: false,
        };
        Ok(self.store.enqueue_mail(tx, &outgoing, now).await?)
    }

    /// Queues a message that holds a secret (a temporary password) in `tx`, its body sealed
    /// under the secret file's key for this `key` only.
    pub(super) async fn queue_sealed(
        &self,
        tx: &mut Tx,
        key: &str,
        mail: &Mail,
        now: i64,
    ) -> Result<(), Error> {
        let sealed = self
            .sealer
            .seal(&seal_label(key, &mail.to, &mail.subject), &mail.body)
            .map_err(|_| Error::Internal("no randomness to seal a message"))?;
        let outgoing = Outgoing {
            key,
            recipient: &mail.to,
            subject: &mail.subject,
            body: &sealed,
            sealed: true,
        };
        self.store.enqueue_mail(tx, &outgoing, now).await?;
        Ok(())
    }

    /// Sends the message queued as `key` now, unless a sender holds it or it went: after the
    /// commit that queued it, with no transaction open. `None` when it was not this call's to
    /// send.
    pub(super) async fn deliver_now(&self, key: &str, now: i64) -> Result<Option<Delivery>, Error> {
        let mut tx = self.store.begin().await?;
        let claimed = self.store.claim_mail(&mut tx, now, 1, Some(key)).await?;
        tx.commit().await?;
        match claimed.first() {
            Some(q) => Ok(Some(self.deliver(q, now).await?)),
            None => Ok(None),
        }
    }

    /// Delivers a claimed message and records the outcome.
    async fn deliver(&self, q: &Queued, now: i64) -> Result<Delivery, Error> {
        let outcome = match self.open_body(q) {
            Ok(body) => {
                let mail = Mail {
                    to: q.recipient.clone(),
                    subject: q.subject.clone(),
                    body,
                };
                self.mailer.send(&mail, &q.key).await
            }
            Err(e) => Err(e),
        };
        let mut tx = self.store.begin().await?;
        let delivery = match outcome {
            Ok(()) => {
                self.store.mail_sent(&mut tx, q.id, now).await?;
                self.counters.mail_sent.inc();
                Delivery::Sent
            }
            Err(e) => {
                let attempts = q.attempts + 1;
                // A body that does not open never will: given up at once.
                let retry = (attempts < MAX_ATTEMPTS && !matches!(e, MailError::Sealed(_)))
                    .then(|| now + (60_i64 << attempts.min(8)).min(6 * 3600));
                eprintln!(
                    "matkhau: mail {} not delivered ({}): {}",
                    q.id,
                    e.code(),
                    if retry.is_some() {
                        "retried later"
                    } else {
                        "given up"
                    }
                );
                self.store
                    .mail_failed(&mut tx, q.id, e.code().as_str(), retry)
                    .await?;
                self.counters.mail_failed.inc();
                Delivery::Failed
            }
        };
        tx.commit().await?;
        Ok(delivery)
    }

    /// The body to send: as queued, or opened.
    fn open_body(&self, q: &Queued) -> Result<String, MailError> {
        if q.sealed {
            let label = seal_label(&q.key, &q.recipient, &q.subject);
            Ok(self.sealer.open(&label, &q.body)?.to_string())
        } else {
            Ok(q.body.clone())
        }
    }

    /// Sends every message due at `now`, after settling deliveries whose sender died; returns
    /// (sent, failed attempts).
    pub async fn dispatch_mail(&self, now: i64) -> Result<(u64, u64), Error> {
        let lease = self.config.mail_lease;
        let interrupted = self.store.recover_interrupted_mail(now - lease).await?;
        if interrupted.given_up + interrupted.requeued > 0 {
            eprintln!(
                "matkhau: {} deliveries were interrupted (their sender stopped): {} notices \
                 given up ({}), {} temporary passwords queued again",
                interrupted.given_up + interrupted.requeued,
                interrupted.given_up,
                Code::MailInterrupted,
                interrupted.requeued
            );
            self.counters.mail_interrupted.inc_by(interrupted.given_up);
        }
        let (mut sent, mut failed) = (0, 0);
        for _ in 0..MOST_PER_DISPATCH {
            // One message at a time: claimed in a short transaction at the moment its delivery
            // starts (so its lease counts from then, however long the ones before took), sent
            // with no transaction open (a slow mail server must not hold SQLite's one
            // connection or PostgreSQL row locks), its outcome recorded. A storage error leaves
            // at most this one message claimed.
            let at = now.max(crate::clock::unix_now());
            let mut tx = self.store.begin().await?;
            let claimed = self.store.claim_mail(&mut tx, at, 1, None).await?;
            tx.commit().await?;
            let Some(q) = claimed.first() else { break };
            match self.deliver(q, at).await? {
                Delivery::Sent => sent += 1,
                Delivery::Failed => failed += 1,
            }
        }
        Ok((sent, failed))
    }

    /// Runs the dispatcher until the process ends: after each commit that queued mail, and every
    /// `every` for retries.
    pub async fn run_mail_dispatcher(self: Arc<Self>, every: Duration) {
        loop {
            if let Err(e) = self.dispatch_mail(crate::clock::unix_now()).await {
                eprintln!("matkhau: mail dispatch: {}", e.describe());
            }
            tokio::select! {
                _ = self.mail_queued.notified() => {}
                _ = tokio::time::sleep(every) => {}
            }
        }
    }
}
