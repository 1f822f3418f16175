//! Login: throttling by client address, lockout by account (known or not, so a lock never tells
//! whether a username exists), argon2id verification that costs the same for unknown users, and
//! the forced-change reasons (weak, expired, temporary, first login, leaked, breached).

use super::messages::{note, Note};
use super::{check_size, Client, Error, Secret, Service};
use crate::mail::templates::IssueReason;
use crate::storage::accounts::{username_key, Account};
use crate::storage::audit::Event;
use crate::storage::failures::FailureRow;
use serde::Serialize;
use serde_json::{json, Value};

/// The answer to a successful authentication.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginAnswer {
    /// `ok`, or `must_change`: the user must change the password before going on.
    pub status: &'static str,
    /// The account's username as registered.
    pub username: String,
    /// `citizen`, `organisation` or `staff`.
    pub kind: String,
    /// Why a change is required: `weak`, `expired`, `temporary`, `first_login`, `leaked`,
    /// `breached`, `admin`.
    pub reasons: Vec<String>,
    /// Days before the password expires, when inside the warning window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_expires_in_days: Option<i64>,
    /// For `weak`: whether a temporary password was e-mailed to the registered address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password_sent: Option<bool>,
    /// Localised explanations, one per reason (and the expiry warning).
    pub messages: Vec<Note>,
}

/// A lock, as the lockout decision gives it: `Some(until)`, `until = None` meaning "until an
/// administrator unlocks".
type Lock = Option<Option<i64>>;

pub(super) fn locked_error(until: Option<i64>, now: i64, reason: &str) -> Error {
    let e = Error::new("login.locked", "the account is locked").with_detail(json!({
        "reason": reason,
        "until": until,
    }));
    match until {
        Some(u) => e.retry_after(u - now),
        None => e,
    }
}

pub(super) fn failed() -> Error {
    Error::new("login.failed", "wrong username or password")
}

pub(super) fn temporary_expired_error() -> Error {
    Error::new(
        "login.temporary_expired",
        "the temporary password has expired; ask for a new one",
    )
}

impl Service {
    /// The lockout decision over a key's failures.
    async fn lock_state(&self, failures: Vec<FailureRow>, now: i64) -> Result<Lock, Error> {
        if failures.is_empty() {
            return Ok(None);
        }
        let decision = self
            .decide(json!({"kind": "lockout", "failures": failures}), now)
            .await?;
        Ok(match decision["status"].as_str() {
            Some("locked") => Some(decision["until"].as_i64()),
            _ => None,
        })
    }

    /// Refuses early (no hashing) when the client address is throttled or the key is locked.
    async fn precheck(&self, key: &str, client: &Client, now: i64) -> Result<(), Error> {
        let window = self.config.address_window;
        let from_address = self
            .store
            .failures_from(&client.address, now - window)
            .await?;
        if from_address >= self.config.address_max_failures {
            return Err(Error::new(
                "login.throttled",
                "too many failed logins from this address; try again later",
            )
            .retry_after(window));
        }
        let reset = self.store.failures_reset_at(key).await?;
        let failures = self.store.failures(self.store.pool(), key, reset).await?;
        if let Some(until) = self.lock_state(failures, now).await? {
            return Err(locked_error(until, now, "failures"));
        }
        Ok(())
    }

    /// Records a failed attempt under the key's row lock, audits a lock once, and returns the
    /// answer to give (`login.failed`, or `login.locked` when this failure locked the key).
    async fn fail(&self, key: &str, client: &Client, password: &Secret, now: i64) -> Error {
        match self.record_failure(key, client, password, now).await {
            Ok(Some(until)) => locked_error(until, now, "failures"),
            Ok(None) => failed(),
            Err(e) => e,
        }
    }

    async fn record_failure(
        &self,
        key: &str,
        client: &Client,
        password: &Secret,
        now: i64,
    ) -> Result<Lock, Error> {
        let fingerprint = self.fingerprint(key, password);
        let mut tx = self.store.begin().await?;
        let throttle = self.store.lock_throttle(&mut tx, key).await?;
        self.store
            .insert_failure(&mut tx, key, &client.address, &fingerprint, now)
            .await?;
        let failures = self
            .store
            .failures(&mut *tx, key, throttle.failures_reset_at)
            .await?;
        let lock = self.lock_state(failures, now).await?;
        if let Some(until) = lock {
            // One audit entry per lock: failures that land while it holds (concurrent attempts
            // that passed the early check) may extend it, but do not announce it again.
            let marker = until.unwrap_or(i64::MAX);
            if throttle.audited_lock_until.is_none_or(|u| u <= now) {
                self.store
                    .audit(
                        &mut tx,
                        &Event {
                            actor: "system",
                            action: "login.locked_out",
                            username: Some(key),
                            address: Some(&client.address),
                            detail: json!({"until": until}),
                            at: now,
                        },
                    )
                    .await?;
            }
            if throttle.audited_lock_until != Some(marker) {
                self.store.mark_lock_audited(&mut tx, key, marker).await?;
            }
        }
        tx.commit().await?;
        Ok(lock)
    }

    /// Checks the password of `username`; on a mismatch (or an unknown user, which costs the same)
    /// the failure is recorded and `login.failed` or `login.locked` returned.
    pub(super) async fn authenticate(
        &self,
        username: &str,
        password: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<Account, Error> {
        if username.is_empty() || username.chars().count() > super::MAX_USERNAME * 2 {
            return Err(Error::new("request.invalid", "username: empty or too long"));
        }
        let key = username_key(username);
        self.precheck(&key, client, now).await?;
        let account = self.store.account(username).await?;
        let matched = self
            .hasher
            .verify(password, account.as_ref().map(|a| a.password_hash.as_str()))
            .await?;
        match account {
            Some(a) if matched => Ok(a),
            _ => Err(self.fail(&key, client, password, now).await),
        }
    }

    /// Whether the account's temporary or issued password has run out.
    pub(super) async fn temporary_expired(&self, a: &Account, now: i64) -> Result<bool, Error> {
        if a.password_origin == "chosen" {
            return Ok(false);
        }
        let d = self
            .decide(
                json!({"kind": "temporary_password", "issued_at": a.password_set_at}),
                now,
            )
            .await?;
        Ok(d["valid"] != Value::Bool(true))
    }

    /// The reasons a change is required now (besides `weak`), and days left when expiring.
    pub(super) async fn forced_reasons(
        &self,
        a: &Account,
        now: i64,
    ) -> Result<(Vec<String>, Option<i64>), Error> {
        let mut reasons = Vec::new();
        match a.password_origin.as_str() {
            "temporary" => reasons.push("temporary".to_string()),
            "issued" => reasons.push("first_login".to_string()),
            _ => {}
        }
        if let Some(r) = &a.forced_reason {
            reasons.push(r.clone());
        }
        let age = self
            .decide(
                json!({"kind": "password_age", "changed_at": a.password_set_at}),
                now,
            )
            .await?;
        let mut expiring = None;
        match age["status"].as_str() {
            Some("expired") if a.password_origin == "chosen" => reasons.push("expired".into()),
            Some("expiring") => expiring = age["days_left"].as_i64(),
            _ => {}
        }
        Ok((reasons, expiring))
    }

    /// Refuses a locked or revoked account (after the password was verified, so the answer
    /// reveals nothing to someone without it). An account locked because its password leaked
    /// lets in its temporary password only: the reset is the way out of that lock.
    pub(super) fn check_status(a: &Account, now: i64) -> Result<(), Error> {
        let leak_reset =
            a.status_reason.as_deref() == Some("leaked") && a.password_origin == "temporary";
        match a.status.as_str() {
            "active" => Ok(()),
            "locked" if leak_reset => Ok(()),
            "revoked" => Err(locked_error(None, now, "revoked")),
            _ => Err(locked_error(
                None,
                now,
                a.status_reason.as_deref().unwrap_or("admin"),
            )),
        }
    }

    /// How many previous passwords the policy keeps.
    pub(super) async fn history_keep(&self, now: i64) -> Result<i64, Error> {
        let d = self.decide(json!({"kind": "history_to_keep"}), now).await?;
        Ok(d["keep"].as_i64().unwrap_or(0))
    }

    /// `POST /v1/login`.
    pub async fn login(
        &self,
        username: &str,
        password: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<LoginAnswer, Error> {
        check_size("password", password)?;
        let account = self.authenticate(username, password, client, now).await?;
        let key = account.username_key.clone();
        let locale = client.locale.as_str();
        Self::check_status(&account, now)?;

        // Everything slow happens before the transaction: the policy calls and any hashing.
        let inactive = self.org_inactive(&account, now).await?;
        let temporary_expired = self.temporary_expired(&account, now).await?;
        let (mut reasons, expiring) = self.forced_reasons(&account, now).await?;
        // A chosen password the policy now refuses is re-issued (`weak`); one that is only
        // found in a breach corpus or leak report must be changed by its owner (`breached`).
        let (weak, breached) = match account.password_origin.as_str() {
            "chosen" => {
                let ctx = Self::context_for(&account.username, &account.email, &account.context);
                super::failed_checks(&self.evaluate(password, &ctx, locale, now).await?)
            }
            _ => (false, false),
        };
        if breached {
            reasons.push("breached".into());
        }
        let upgrade = if !weak && self.hasher.needs_upgrade(&account.password_hash) {
            Some(self.hasher.hash(password).await?)
        } else {
            None
        };
        let reissue = if weak && !inactive {
            Some(self.prepare_temporary(now).await?)
        } else {
            None
        };

        let mut tx = self.store.begin().await?;
        // A failure recorded meanwhile (another replica) may have locked the account.
        let throttle = self.store.lock_throttle(&mut tx, &key).await?;
        let failures = self
            .store
            .failures(&mut *tx, &key, throttle.failures_reset_at)
            .await?;
        if let Some(until) = self.lock_state(failures, now).await? {
            return Err(locked_error(until, now, "failures"));
        }
        let Some(current) = self.store.account_for_update(&mut tx, username).await? else {
            return Err(failed());
        };
        if current.version != account.version {
            return Err(Error::new(
                "login.conflict",
                "the password changed during this login; log in again",
            ));
        }
        Self::check_status(&current, now)?;
        let event = |action, detail| Event {
            actor: "user",
            action,
            username: Some(&current.username),
            address: Some(&client.address),
            detail,
            at: now,
        };
        if inactive {
            let detail = json!({"reason": "inactivity"});
            self.lock_for_inactivity(
                &mut tx,
                &current,
                "user",
                Some(&client.address),
                detail,
                now,
                now,
            )
            .await?;
            tx.commit().await?;
            self.mail_queued.notify_one();
            return Err(locked_error(None, now, "inactivity"));
        }
        if temporary_expired {
            return Err(temporary_expired_error());
        }
        let mut sent = None;
        if let Some(prepared) = reissue {
            reasons.push("weak".into());
            // Mailed inside the transaction: if it cannot be sent, nothing changes and the
            // user's password still works for a later try.
            match self
                .apply_temporary(&mut tx, &current, &prepared, IssueReason::Weak, client, now)
                .await
            {
                Ok(()) => {
                    tx.commit().await?;
                    self.counters.reissued.inc();
                    sent = Some(true);
                }
                Err(e) if e.code == "mail.failed" => {
                    eprintln!("matkhau: re-issue for a weak password not done: {e}");
                    drop(tx);
                    sent = Some(false);
                }
                Err(e) => return Err(e),
            }
        } else {
            if upgrade.is_some() {
                self.counters.rehashed.inc();
            }
            self.store
                .record_login(&mut tx, current.id, upgrade.as_deref(), now)
                .await?;
            self.store.reset_failures(&mut tx, &key, now).await?;
            self.store
                .audit(
                    &mut tx,
                    &event(
                        "login.succeeded",
                        json!({"must_change": reasons, "rehashed": upgrade.is_some()}),
                    ),
                )
                .await?;
            tx.commit().await?;
        }

        let mut messages: Vec<Note> = reasons
            .iter()
            .map(|r| match (r.as_str(), sent) {
                ("weak", Some(false)) => note("must_change.weak_not_sent", locale, None),
                _ => note(&format!("must_change.{r}"), locale, None),
            })
            .collect();
        if let Some(d) = expiring {
            messages.push(note("password.expiring", locale, Some(d)));
        }
        Ok(LoginAnswer {
            status: if reasons.is_empty() {
                "ok"
            } else {
                "must_change"
            },
            username: current.username.clone(),
            kind: current.kind.clone(),
            reasons,
            password_expires_in_days: expiring,
            temporary_password_sent: sent,
            messages,
        })
    }
}
