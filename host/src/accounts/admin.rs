//! Administrator actions (behind the admin token): re-issue a temporary password by mail, lock,
//! unlock, revoke; and the portal's activity record that resets the inactivity clock.

use super::{mask_email, Client, Error, Service};
use crate::mail::templates::IssueReason;
use crate::states::{AccountStatus, StatusReason};
use crate::storage::accounts::Account;
use crate::storage::audit::{Action, Event};
use crate::storage::Tx;
use serde::Serialize;
use serde_json::json;

/// The answer to an admin action on an account.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AdminAnswer {
    /// The username.
    pub username: String,
    /// Whether it may log in, after the action.
    pub status: AccountStatus,
    /// Why it is locked or revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<StatusReason>,
    /// For a re-issue: until when the temporary password is valid; for an end date: when the
    /// account's term ends (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<i64>,
    /// For a re-issue: where it was sent (masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_to: Option<String>,
    /// For a re-issue: whether its mail went out now (`false`: queued with the change, and
    /// sent as soon as the mail server takes it; the new password is in force either way).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_sent: Option<bool>,
}

impl AdminAnswer {
    fn new(username: &str, status: AccountStatus, reason: Option<StatusReason>) -> AdminAnswer {
        AdminAnswer {
            username: username.to_string(),
            status,
            reason,
            valid_until: None,
            sent_to: None,
            mail_sent: None,
        }
    }
}

/// The answer to clearing a username's failed logins.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClearedAnswer {
    /// The login key (the username in lower case).
    pub username: String,
    /// Whether it was locked by failed logins.
    pub was_locked: bool,
}

/// How an administrator closes an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closing {
    /// Locked until an administrator unlocks it.
    Lock,
    /// Revoked for good.
    Revoke,
}

/// Longest free-text reason kept in the audit log.
const MAX_REASON: usize = 200;

pub(super) fn reason_ok(reason: Option<&str>) -> Result<(), Error> {
    match reason {
        Some(r) if r.chars().count() > MAX_REASON || r.chars().any(char::is_control) => Err(
            Error::Invalid("reason: at most 200 characters, one line".into()),
        ),
        _ => Ok(()),
    }
}

impl Service {
    /// Checks the note, opens a transaction and locks the account's row; refused with
    /// `account.revoked` (and `revoked`'s message) when the account is revoked and that matters.
    async fn begin_on(
        &self,
        username: &str,
        note: Option<&str>,
        revoked: Option<&'static str>,
    ) -> Result<(Tx, Account), Error> {
        super::check_username_input(username)?;
        reason_ok(note)?;
        let mut tx = self.store.begin().await?;
        let account = self
            .store
            .account_for_update(&mut tx, username)
            .await?
            .ok_or(Error::Unknown)?;
        if let (Some(message), AccountStatus::Revoked) = (revoked, account.status) {
            return Err(Error::Revoked(message));
        }
        Ok((tx, account))
    }

    async fn audit_admin(
        &self,
        tx: &mut Tx,
        client: &Client,
        action: Action,
        username: &str,
        detail: serde_json::Value,
        now: i64,
    ) -> Result<(), Error> {
        self.store
            .audit(
                tx,
                &Event {
                    actor: client.actor,
                    action,
                    username: Some(username),
                    address: Some(&client.address),
                    detail,
                    at: now,
                },
            )
            .await?;
        Ok(())
    }

    /// Issues a temporary password and mails it to the registered address; the old password stops
    /// working and joins the history. The mail is queued with the change and sent after it
    /// commits (again later if the mail server does not take it now).
    pub async fn reissue(
        &self,
        username: &str,
        reason: IssueReason,
        client: &Client,
        now: i64,
    ) -> Result<AdminAnswer, Error> {
        let prepared = self.prepare_temporary(now).await?;
        let (mut tx, account) = self
            .begin_on(username, None, Some("the account is revoked"))
            .await?;
        let key = self
            .apply_temporary(&mut tx, &account, &prepared, reason, client, now)
            .await?;
        tx.commit().await?;
        self.counters.reissued.inc();
        let sent = self.send_temporary(&key, now).await;
        Ok(AdminAnswer {
            valid_until: Some(prepared.valid_until),
            sent_to: Some(mask_email(&account.email)),
            mail_sent: Some(sent),
            ..AdminAnswer::new(&account.username, account.status, account.status_reason)
        })
    }

    /// Locks an account until an administrator unlocks it, or revokes it for good; `reason` (a
    /// note) goes to the audit log.
    pub async fn close(
        &self,
        username: &str,
        closing: Closing,
        reason: Option<&str>,
        client: &Client,
        now: i64,
    ) -> Result<AdminAnswer, Error> {
        let (status, why, action) = match closing {
            Closing::Lock => (
                AccountStatus::Locked,
                StatusReason::Admin,
                Action::AccountLocked,
            ),
            Closing::Revoke => (
                AccountStatus::Revoked,
                StatusReason::Revoked,
                Action::AccountRevoked,
            ),
        };
        let (mut tx, account) = self
            .begin_on(username, reason, Some("the account is revoked"))
            .await?;
        self.store
            .set_status(&mut tx, account.id, status, Some(why), now)
            .await?;
        self.audit_admin(
            &mut tx,
            client,
            action,
            &account.username,
            json!({"reason": why, "note": reason}),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(AdminAnswer::new(&account.username, status, Some(why)))
    }

    /// Sets (`Some`) or clears (`None`) the end of an account's term: from then on it cannot
    /// log in, and the sweep revokes it (audited, the owner and the administrators told).
    pub async fn set_valid_until(
        &self,
        username: &str,
        valid_until: Option<i64>,
        reason: Option<&str>,
        client: &Client,
        now: i64,
    ) -> Result<AdminAnswer, Error> {
        let (mut tx, account) = self
            .begin_on(username, reason, Some("the account is revoked"))
            .await?;
        self.store
            .set_valid_until(&mut tx, account.id, valid_until)
            .await?;
        self.audit_admin(
            &mut tx,
            client,
            Action::AccountEndSet,
            &account.username,
            json!({"valid_until": valid_until, "note": reason}),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(AdminAnswer {
            valid_until,
            ..AdminAnswer::new(&account.username, account.status, account.status_reason)
        })
    }

    /// Unlocks an account: admin and inactivity locks end, failed logins stop counting, and an
    /// organisation's inactivity period starts again.
    pub async fn unlock(
        &self,
        username: &str,
        reason: Option<&str>,
        client: &Client,
        now: i64,
    ) -> Result<AdminAnswer, Error> {
        let (mut tx, account) = self
            .begin_on(
                username,
                reason,
                Some("a revoked account cannot be unlocked"),
            )
            .await?;
        self.store
            .set_status(&mut tx, account.id, AccountStatus::Active, None, now)
            .await?;
        self.store.record_activity(&mut tx, account.id, now).await?;
        self.store
            .lock_throttle(&mut tx, &account.username_key)
            .await?;
        self.store
            .reset_failures(&mut tx, &account.username_key, now)
            .await?;
        self.audit_admin(
            &mut tx,
            client,
            Action::AccountUnlocked,
            &account.username,
            json!({"was": account.status, "was_reason": account.status_reason, "note": reason}),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(AdminAnswer::new(
            &account.username,
            AccountStatus::Active,
            None,
        ))
    }

    /// Clears the failed logins of a username, whether or not an account has it: its lockout
    /// ends and its failures stop counting. Audited.
    pub async fn clear_failures(
        &self,
        username: &str,
        reason: Option<&str>,
        client: &Client,
        now: i64,
    ) -> Result<ClearedAnswer, Error> {
        reason_ok(reason)?;
        super::check_username_input(username)?;
        let key = crate::storage::accounts::username_key(username);
        let mut tx = self.store.begin().await?;
        let was = self.store.lock_throttle(&mut tx, &key).await?;
        self.store.reset_failures(&mut tx, &key, now).await?;
        self.audit_admin(
            &mut tx,
            client,
            Action::LoginFailuresCleared,
            &key,
            json!({"was_locked": was.lock(now).is_some(), "note": reason}),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(ClearedAnswer {
            username: key,
            was_locked: was.lock(now).is_some(),
        })
    }

    /// `POST /v1/accounts/{username}/activity`: the portal filed a dossier for this account.
    pub async fn record_activity(
        &self,
        username: &str,
        reference: Option<&str>,
        client: &Client,
        now: i64,
    ) -> Result<AdminAnswer, Error> {
        let (mut tx, account) = self.begin_on(username, reference, None).await?;
        self.store.record_activity(&mut tx, account.id, now).await?;
        self.audit_admin(
            &mut tx,
            client,
            Action::AccountActivity,
            &account.username,
            json!({"reference": reference}),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(AdminAnswer::new(
            &account.username,
            account.status,
            account.status_reason,
        ))
    }
}
