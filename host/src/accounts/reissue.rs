//! Temporary passwords: prepared (generated, hashed, validity known) before a transaction, then
//! set on the account with its mail queued in the same transaction, the body sealed (the
//! password is never in the database in clear). The mail leaves after the commit: a crash or a
//! failed commit never leaves a mailed password that does not work, and a slow mail server holds
//! no transaction.

use super::mailout::Delivery;
use super::{Client, Error, Secret, Service};
use crate::code::Coded;
use crate::mail::templates::{self, IssueReason};
use crate::states::{MustChange, PasswordOrigin};
use crate::storage::accounts::{Account, PasswordChange};
use crate::storage::audit::{Action, Event};
use crate::storage::Tx;
use serde_json::json;

/// A temporary password ready to be set (all the slow work done).
pub(super) struct Prepared {
    /// The password itself (mailed, never stored).
    pub(super) temporary: Secret,
    /// Its PHC string.
    pub(super) hash: String,
    /// Previous passwords the policy keeps.
    pub(super) keep: u32,
    /// Until when it may be used (Unix seconds).
    pub(super) valid_until: i64,
    /// A random identifier of this issue (its mail's queue key).
    pub(super) id: String,
}

impl Service {
    /// Generates and hashes a temporary password under the policy.
    pub(super) async fn prepare_temporary(&self, now: i64) -> Result<Prepared, Error> {
        let temporary = self.generate(now).await?;
        // Waits for room in the queue: a re-issue (admin, leak intake, weak at login) must not
        // fail because logins fill it.
        let hash = self.hasher.hash_patiently(&temporary).await?;
        let keep = self.history_keep(now).await?;
        let hours = i64::from(self.policy().temporary_password_hours);
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|_| Error::Internal("no OS randomness"))?;
        Ok(Prepared {
            temporary,
            hash,
            keep,
            valid_until: now + hours * 3600,
            id: hex::encode(id),
        })
    }

    /// Queues the mail of a prepared password to `email` in `tx` (sealed); returns its queue
    /// key, for [`Service::send_temporary`] after the commit.
    pub(super) async fn queue_temporary(
        &self,
        tx: &mut Tx,
        email: &str,
        username: &str,
        prepared: &Prepared,
        reason: IssueReason,
        now: i64,
    ) -> Result<String, Error> {
        let mail = templates::temporary_password(
            email,
            username,
            prepared.temporary.expose(),
            prepared.valid_until,
            reason,
        );
        let key = format!("temporary:{}", prepared.id);
        self.queue_sealed(tx, &key, &mail, now).await?;
        Ok(key)
    }

    /// Sends a queued temporary password after its commit: whether it went out now (if not,
    /// the queue tries again later; the change is made either way).
    pub(super) async fn send_temporary(&self, key: &str, now: i64) -> bool {
        match self.deliver_now(key, now).await {
            Ok(Some(Delivery::Sent)) => true,
            Ok(_) => {
                self.mail_queued.notify_one();
                false
            }
            Err(e) => {
                eprintln!("matkhau: a queued temporary password: {}", e.describe());
                self.mail_queued.notify_one();
                false
            }
        }
    }

    /// Replaces the password of `account` (its row held by `tx`) with the prepared one: the old
    /// one joins the history, failed logins stop counting, the change is audited, and the mail is
    /// queued. Returns the mail's queue key: once `tx` commits, [`Service::send_temporary`].
    pub(super) async fn apply_temporary(
        &self,
        tx: &mut Tx,
        account: &Account,
        prepared: &Prepared,
        reason: IssueReason,
        client: &Client,
        now: i64,
    ) -> Result<String, Error> {
        self.store
            .set_password(
                tx,
                account,
                &PasswordChange {
                    password_hash: &prepared.hash,
                    origin: PasswordOrigin::Temporary,
                    now,
                },
                i64::from(prepared.keep),
            )
            .await?;
        if reason == IssueReason::Leaked {
            self.store
                .force_change(tx, account.id, MustChange::Leaked)
                .await?;
        }
        self.store.lock_throttle(tx, &account.username_key).await?;
        self.store
            .reset_failures(tx, &account.username_key, now)
            .await?;
        let why = match reason {
            IssueReason::Leaked => MustChange::Leaked,
            IssueReason::Weak => MustChange::Weak,
            IssueReason::Admin | IssueReason::NewAccount => MustChange::Admin,
        };
        self.store
            .audit(
                tx,
                &Event {
                    actor: client.actor,
                    action: Action::PasswordReissued,
                    username: Some(&account.username),
                    address: Some(&client.address),
                    detail: json!({"reason": why}),
                    at: now,
                },
            )
            .await?;
        self.queue_temporary(tx, &account.email, &account.username, prepared, reason, now)
            .await
    }
}
