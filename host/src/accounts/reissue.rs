//! Temporary passwords: prepared (generated, hashed, validity known) before a transaction, then
//! set on the account and mailed inside it. The password is never stored, so the caller commits
//! only when the mail went out: no mail, no change.

use super::{Client, Error, Secret, Service};
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
        Ok(Prepared {
            temporary,
            hash,
            keep,
            valid_until: now + hours * 3600,
        })
    }

    /// Mails a prepared password to `email`; `mail.failed` when it cannot be sent.
    pub(super) async fn mail_temporary(
        &self,
        email: &str,
        username: &str,
        prepared: &Prepared,
        reason: IssueReason,
    ) -> Result<(), Error> {
        let mail = templates::temporary_password(
            email,
            username,
            prepared.temporary.expose(),
            prepared.valid_until,
            reason,
        );
        match self.mailer.send(&mail).await {
            Ok(()) => {
                self.counters.mail_sent.inc();
                Ok(())
            }
            Err(e) => {
                self.counters.mail_failed.inc();
                Err(Error::MailFailed(e))
            }
        }
    }

    /// Replaces the password of `account` (its row held by `tx`) with the prepared one: the old
    /// one joins the history, failed logins stop counting, the change is audited, and the mail is
    /// sent. Commit only on `Ok`.
    pub(super) async fn apply_temporary(
        &self,
        tx: &mut Tx,
        account: &Account,
        prepared: &Prepared,
        reason: IssueReason,
        client: &Client,
        now: i64,
    ) -> Result<(), Error> {
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
        self.mail_temporary(&account.email, &account.username, prepared, reason)
            .await
    }
}
