//! Password change: the current password authenticates (failures count toward the lockout), the
//! policy judges the new one, it may not be the current one or a trivial variant of it, nor any
//! of the last N (argon2id against the stored history), and voluntary changes respect the
//! policy's minimum age so the history cannot be cycled through.

use super::{check_size, Client, Error, Failed, Secret, Service};
use crate::mail::templates;
use crate::states::{AccountStatus, LockReason, MustChange, PasswordOrigin, StatusReason};
use crate::storage::accounts::{Account, PasswordChange};
use crate::storage::audit::{Action, Event};
use crate::storage::Tx;
use matkhau_abi::lifecycle::{self, ChangePermission, Similarity};
use matkhau_abi::Verdict;
use serde::Serialize;
use serde_json::json;
use std::borrow::Cow;

/// The answer to a successful change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeAnswer {
    /// Always `changed`.
    pub status: &'static str,
    /// The account's username.
    pub username: String,
    /// When the new password was set (Unix seconds).
    pub changed_at: i64,
    /// The required changes this one satisfied (`expired`, `temporary`, …), if any.
    pub satisfied: Vec<MustChange>,
    /// The verdict on the new password.
    #[schema(value_type = Object)]
    pub verdict: Verdict,
}

impl Service {
    /// `POST /v1/accounts/{username}/password`.
    pub async fn change_password(
        &self,
        username: &str,
        current: &Secret,
        new: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<ChangeAnswer, Error> {
        check_size("current_password", current)?;
        check_size("new_password", new)?;
        let account = self.authenticate(username, current, client, now).await?;
        Self::check_status(&account, now)?;
        if self.temporary_expired(&account, now).await? {
            return Err(Error::TemporaryExpired);
        }
        let ctx = Self::context_for(&account)?;
        let (mut forced, _) = self.forced_reasons(&account, now).await?;
        let Failed { weak, breached } = self.judged(&account, current, client, now).await?;
        if weak {
            forced.push(MustChange::Weak);
        }
        if breached {
            forced.push(MustChange::Breached);
        }
        if forced.is_empty() {
            let question = lifecycle::ChangeAllowed {
                last_change: account.password_set_at,
            };
            if let ChangePermission::Wait { seconds } = self.decide(question, now).await? {
                return Err(Error::TooSoon {
                    wait_seconds: seconds,
                });
            }
        }
        match self.similarity(current, new, now).await? {
            Similarity::Same {} => return Err(Error::SameAsCurrent),
            Similarity::Variant {} => return Err(Error::Similar),
            Similarity::Different {} => {}
        }
        let (verdict, keep) = self
            .judge_new(new, &ctx, &account, None, client, now)
            .await?;
        let hash = self.hasher.hash(new).await?;

        let mut tx = self.store.begin().await?;
        // A failure recorded meanwhile (another replica) may have locked the account.
        let throttle = self
            .store
            .lock_throttle(&mut tx, &account.username_key)
            .await?;
        if let Some(until) = throttle.lock(now) {
            return Err(Error::locked(LockReason::Failures, until, now));
        }
        let Some(row) = self.store.account_for_update(&mut tx, username).await? else {
            return Err(Error::LoginFailed);
        };
        if row.version != account.version {
            // Another change won the race; its history entry would be missing from our check.
            return Err(Error::PasswordConflict);
        }
        self.set_chosen(&mut tx, &row, &hash, keep, now).await?;
        self.store
            .audit(
                &mut tx,
                &Event {
                    actor: client.actor,
                    action: Action::PasswordChanged,
                    username: Some(&row.username),
                    address: Some(&client.address),
                    detail: json!({"satisfied": forced}),
                    at: now,
                },
            )
            .await?;
        let mail = templates::password_changed(&row.email, &row.username, now);
        self.queue_notice(
            &mut tx,
            &format!("changed:{}:{}", row.id, row.version + 1),
            &mail,
            now,
        )
        .await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(ChangeAnswer {
            status: "changed",
            username: row.username.clone(),
            changed_at: now,
            satisfied: forced,
            verdict,
        })
    }

    /// The verdict on a new password for `account` (refused unless accepted) and how many
    /// previous passwords the policy keeps; refused too when it is one of those or `current`
    /// (the stored hash, for a reset where the current password is not typed).
    pub(super) async fn judge_new(
        &self,
        new: &Secret,
        ctx: &matkhau_abi::Context,
        account: &Account,
        current: Option<&str>,
        client: &Client,
        now: i64,
    ) -> Result<(Verdict, u32), Error> {
        let verdict = self.evaluate(new, ctx, client.locale, now).await?;
        if !verdict.accepted {
            return Err(Error::Rejected {
                message: "the new password does not meet the policy",
                verdict: Box::new(verdict),
            });
        }
        let keep = self.history_keep(now).await?;
        let mut previous = self.store.history(account.id, i64::from(keep)).await?;
        previous.extend(current.map(String::from));
        if self.hasher.matches_any(new, &previous).await? {
            return Err(Error::Reused {
                history_depth: keep,
            });
        }
        Ok((verdict, keep))
    }

    /// Sets a password the owner chose on `row` (held by `tx`): the old one joins the history,
    /// failed logins stop counting, and a lock a leak report set ends (its reset is done).
    pub(super) async fn set_chosen(
        &self,
        tx: &mut Tx,
        row: &Account,
        hash: &str,
        keep: u32,
        now: i64,
    ) -> Result<(), Error> {
        let change = PasswordChange {
            password_hash: hash,
            origin: PasswordOrigin::Chosen,
            now,
        };
        self.store
            .set_password(tx, row, &change, i64::from(keep))
            .await?;
        self.store
            .reset_failures(tx, &row.username_key, now)
            .await?;
        if row.status == AccountStatus::Locked && row.status_reason == Some(StatusReason::Leaked) {
            self.store
                .set_status(tx, row.id, AccountStatus::Active, None, now)
                .await?;
        }
        Ok(())
    }

    /// How `new` relates to `current`. Both are passed to the plug-in borrowed from their
    /// zeroed-on-drop copies, so no other copy of either is made.
    async fn similarity(
        &self,
        current: &Secret,
        new: &Secret,
        now: i64,
    ) -> Result<Similarity, Error> {
        let (previous, candidate) = (current.clone(), new.clone());
        self.blocking(move |e| {
            let question = lifecycle::Similar {
                previous: Cow::Borrowed(previous.expose()),
                candidate: Cow::Borrowed(candidate.expose()),
            };
            e.decide(question, now)
        })
        .await
    }
}
