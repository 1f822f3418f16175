//! Login: throttling by client address, lockout by account (known or not, so a lock never tells
//! whether a username exists), argon2id verification that costs the same for unknown users, and
//! the forced-change reasons (weak, expired, temporary, first login, leaked, breached).

use super::hashing::HashError;
use super::notes::{Note, NoteCode};
use super::{check_size, Client, Error, Failed, Secret, Service};
use crate::mail::templates::IssueReason;
use crate::states::{
    AccountKind, AccountStatus, Actor, LockReason, MustChange, PasswordOrigin, StatusReason,
};
use crate::storage::accounts::{username_key, Account};
use crate::storage::audit::{Action, Event};
use crate::storage::failures::Failure;
use matkhau_abi::lifecycle::{self, AgeStatus, LockoutDecision};
use matkhau_abi::Context;
use serde::Serialize;
use serde_json::json;

/// Whether the user may go on, or must change the password first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoginStatus {
    /// Logged in.
    Ok,
    /// The user must change the password (or enrol a one-time-code app: reason `otp_enrol`)
    /// before going on (`reasons`).
    MustChange,
    /// The password was right; send a one-time code with `ticket` to `POST /v1/login/otp`.
    OtpRequired,
}

impl LoginStatus {
    /// As answered: `ok` or `must_change`.
    pub fn as_str(self) -> &'static str {
        match self {
            LoginStatus::Ok => "ok",
            LoginStatus::MustChange => "must_change",
            LoginStatus::OtpRequired => "otp_required",
        }
    }
}

/// The answer to a successful authentication.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginAnswer {
    /// `ok`, or `must_change`: the user must change the password before going on.
    pub status: LoginStatus,
    /// The account's username as registered.
    pub username: String,
    /// Who the account is for.
    pub kind: AccountKind,
    /// Why a change is required.
    pub reasons: Vec<MustChange>,
    /// Days before the password expires, when inside the warning window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_expires_in_days: Option<i64>,
    /// For `weak`: whether the temporary password that replaced it went out to the registered
    /// address now (`false`: it is queued and sent as soon as the mail server takes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password_sent: Option<bool>,
    /// Localised explanations, one per reason (and the expiry warning).
    pub messages: Vec<Note>,
    /// For `must_change`: the account's data (name, birth date, e-mail, phone…) for the
    /// personal-data rules, so the change page judges the new password as the host will. Given
    /// only to whoever just proved the password, and only then.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub context: Option<Context>,
    /// Where a temporary password was mailed, masked (`h***@example.vn`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_to: Option<String>,
    /// For `otp_required`: the single-use ticket for `POST /v1/login/otp`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// For `otp_required`: seconds the ticket works.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_expires_in: Option<i64>,
}

/// The account's data, for a page about to judge a new password (`POST
/// /v1/accounts/{username}/context`, after the current password is proven).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountContext {
    /// The account's username as registered.
    pub username: String,
    /// Who the account is for.
    pub kind: AccountKind,
    /// The data the personal-data rules use.
    #[schema(value_type = Object)]
    pub context: Context,
}

/// A lock, as the lockout decision gives it: `Some(until)`, `until = None` meaning "until an
/// administrator unlocks".
type Lock = Option<Option<i64>>;

impl Service {
    /// The lockout decision over a key's failures.
    async fn lock_state(&self, failures: Vec<Failure>, now: i64) -> Result<Lock, Error> {
        if failures.is_empty() {
            return Ok(None);
        }
        let question = lifecycle::Lockout { failures };
        Ok(match self.decide(question, now).await? {
            LockoutDecision::Locked { until } => Some(until),
            LockoutDecision::Allowed { .. } => None,
        })
    }

    /// Refuses early (no hashing) when the key is locked (one read of its throttle row, however
    /// many failures it has) or the address has used its failures; else reserves the attempt
    /// (it counts toward the address's failures while under way).
    async fn precheck(
        &self,
        key: &str,
        client: &Client,
        now: i64,
    ) -> Result<super::limits::Reserved<'_>, Error> {
        if let Some(until) = self.store.throttle(key).await?.lock(now) {
            return Err(Error::locked(LockReason::Failures, until, now));
        }
        self.reserve_address(&client.address, now).await
    }

    /// Reserves an attempt from `address`: refused (`login.throttled`) when its committed
    /// failures, the attempts that ended while they were counted and those under way fill the
    /// window's limit.
    pub(super) async fn reserve_address(
        &self,
        address: &str,
        now: i64,
    ) -> Result<super::limits::Reserved<'_>, Error> {
        let ticket = self.limits.before_count(address);
        let window = self.config.address_window;
        let committed = self.store.failures_from(address, now - window).await?;
        let max = self.config.address_max_failures;
        self.limits
            .reserve(address, ticket, committed, max)
            .ok_or(Error::Throttled {
                retry_after: window,
            })
    }

    /// Records a failed attempt under the key's row lock, audits a lock once, and returns the
    /// answer to give (`login.failed`, or `login.locked` when this failure locked the key).
    async fn fail(&self, key: &str, client: &Client, password: &Secret, now: i64) -> Error {
        match self.record_failure(key, client, password, now).await {
            Ok(Some(until)) => Error::locked(LockReason::Failures, until, now),
            Ok(None) => Error::LoginFailed,
            Err(e) => e,
        }
    }

    pub(super) async fn record_failure(
        &self,
        key: &str,
        client: &Client,
        password: &Secret,
        now: i64,
    ) -> Result<Lock, Error> {
        let fingerprint = self.fingerprint(key, password);
        let mut tx = self.store.begin().await?;
        let throttle = self.store.lock_throttle(&mut tx, key).await?;
        if let Some(until) = throttle.lock(now) {
            // Locked meanwhile (another replica): nothing more is recorded for a locked key.
            return Ok(Some(until));
        }
        self.store
            .insert_failure(&mut tx, key, &client.address, &fingerprint, now)
            .await?;
        // The decision needs the distinct wrong passwords of one window, at most the policy's
        // threshold of them: that many rows are read, however many the key has.
        let lockout = self.policy().lockout;
        let since = now - i64::from(lockout.window_minutes) * 60;
        let after = throttle.failures_reset_after;
        let max = i64::from(lockout.max_failures);
        let failures = self
            .store
            .recent_failures(&mut tx, key, after, since, max)
            .await?;
        let lock = match self.lock_state(failures, now).await {
            Ok(lock) => lock,
            Err(e) => {
                // The plug-in could not decide (busy, timed out): the failure still counts.
                tx.commit().await?;
                return Err(e);
            }
        };
        if let Some(until) = lock {
            // The lock begins here: its end is kept on the throttle row (so later attempts are
            // refused from that row alone) and announced once.
            let event = Event {
                actor: Actor::System,
                action: Action::LoginLockedOut,
                username: Some(key),
                address: Some(&client.address),
                detail: json!({"until": until}),
                at: now,
            };
            self.store.audit(&mut tx, &event).await?;
            let marker = until.unwrap_or(i64::MAX);
            self.store.mark_lock_audited(&mut tx, key, marker).await?;
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
        super::check_username_input(username)?;
        let key = username_key(username);
        self.limits.take(&client.address, Some(&key))?;
        // One attempt per key at a time: each lockout decision sees the failures before it.
        let _turn = self.limits.one_at_a_time(&key).await;
        // The time after the wait, so this attempt's failure is never older than one before it.
        let now = now.max(crate::clock::unix_now());
        let _reserved = self.precheck(&key, client, now).await?;
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
        if a.password_origin == PasswordOrigin::Chosen {
            return Ok(false);
        }
        let question = lifecycle::TemporaryPassword {
            issued_at: a.password_set_at,
        };
        Ok(!self.decide(question, now).await?.valid)
    }

    /// The reasons a change is required now (besides `weak` and `breached`), and days left when
    /// expiring.
    pub(super) async fn forced_reasons(
        &self,
        a: &Account,
        now: i64,
    ) -> Result<(Vec<MustChange>, Option<i64>), Error> {
        let mut reasons = Vec::new();
        match a.password_origin {
            PasswordOrigin::Temporary => reasons.push(MustChange::Temporary),
            PasswordOrigin::Issued => reasons.push(MustChange::FirstLogin),
            PasswordOrigin::Chosen => {}
        }
        if let Some(r) = a.forced_reason {
            reasons.push(r);
        }
        let question = lifecycle::PasswordAge {
            changed_at: a.password_set_at,
        };
        let mut expiring = None;
        match self.decide(question, now).await? {
            AgeStatus::Expired {} if a.password_origin == PasswordOrigin::Chosen => {
                reasons.push(MustChange::Expired)
            }
            AgeStatus::Expiring { days_left } => expiring = Some(days_left),
            AgeStatus::Expired {} | AgeStatus::Ok { .. } => {}
        }
        Ok((reasons, expiring))
    }

    /// What the policy says of the password in use, when the user chose it (`weak`, `breached`).
    pub(super) async fn judged(
        &self,
        account: &Account,
        password: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<Failed, Error> {
        if account.password_origin != PasswordOrigin::Chosen {
            return Ok(Failed::default());
        }
        let context = Self::context_for(account)?;
        let verdict = self
            .evaluate(password, &context, client.locale, now)
            .await?;
        Ok(Failed::of(&verdict))
    }

    /// Refuses a locked or revoked account (after the password was verified, so the answer
    /// reveals nothing to someone without it). An account locked because its password leaked
    /// lets in its temporary password only: the reset is the way out of that lock.
    pub(super) fn check_status(a: &Account, now: i64) -> Result<(), Error> {
        if a.valid_until.is_some_and(|end| end <= now) {
            // Its term ended: refused before the sweep revokes it.
            return Err(Error::locked(LockReason::Ended, None, now));
        }
        let leak_reset = a.status_reason == Some(StatusReason::Leaked)
            && a.password_origin == PasswordOrigin::Temporary;
        match a.status {
            AccountStatus::Active => Ok(()),
            AccountStatus::Locked if leak_reset => Ok(()),
            AccountStatus::Revoked => Err(Error::locked(
                match a.status_reason {
                    Some(StatusReason::Ended) => LockReason::Ended,
                    _ => LockReason::Revoked,
                },
                None,
                now,
            )),
            AccountStatus::Locked => Err(Error::locked(
                a.status_reason.map_or(LockReason::Admin, LockReason::from),
                None,
                now,
            )),
        }
    }

    /// How many previous passwords the policy keeps.
    pub(super) async fn history_keep(&self, now: i64) -> Result<u32, Error> {
        Ok(self.decide(lifecycle::HistoryToKeep {}, now).await?.keep)
    }

    /// `POST /v1/accounts/{username}/context`: the account's data once its password (the
    /// current or a temporary one) is proven; a wrong one counts toward the lockout like a
    /// failed login.
    pub async fn account_context(
        &self,
        username: &str,
        password: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<AccountContext, Error> {
        check_size("password", password)?;
        let account = self.authenticate(username, password, client, now).await?;
        Self::check_status(&account, now)?;
        if self.temporary_expired(&account, now).await? {
            return Err(Error::TemporaryExpired);
        }
        Ok(AccountContext {
            context: Self::context_for(&account)?,
            username: account.username,
            kind: account.kind,
        })
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
        Self::check_status(&account, now)?;
        // A chosen password the policy now refuses is re-issued (`weak`); one that is only
        // found in a breach corpus or leak report must be changed by its owner (`breached`).
        let failed = self.judged(&account, password, client, now).await?;
        let upgrade = if !failed.weak && self.hasher.needs_upgrade(&account.password_hash) {
            // An upgrade waits for a quieter moment rather than failing a correct login.
            match self.hasher.hash(password).await {
                Ok(hash) => Some(hash),
                Err(HashError::Busy) => None,
                Err(e) => return Err(e.into()),
            }
        } else {
            None
        };
        let enrolled = self.confirmed_otp(account.id).await?.is_some();
        if enrolled
            && !self.org_inactive(&account, now).await?
            && !self.temporary_expired(&account, now).await?
        {
            // The code step finishes this login (a re-issue included: only after the code).
            return self
                .issue_ticket(&account, failed, upgrade.as_deref(), client, now)
                .await;
        }
        self.finish_login(account, failed, upgrade, enrolled, client, now)
            .await
    }

    /// The rest of a login once every factor is proven: the forced-change reasons, the
    /// inactivity lock, a re-issue of a weak password, the hash upgrade, the record.
    pub(super) async fn finish_login(
        &self,
        account: Account,
        failed: super::Failed,
        upgrade: Option<String>,
        enrolled: bool,
        client: &Client,
        now: i64,
    ) -> Result<LoginAnswer, Error> {
        let username = account.username.as_str();
        let key = account.username_key.clone();
        // Everything slow happens before the transaction: the policy calls and any hashing.
        let inactive = self.org_inactive(&account, now).await?;
        let temporary_expired = self.temporary_expired(&account, now).await?;
        let (mut reasons, expiring) = self.forced_reasons(&account, now).await?;
        if failed.breached {
            reasons.push(MustChange::Breached);
        }
        if !enrolled && self.otp_required(account.kind) {
            reasons.push(MustChange::OtpEnrol);
        }
        let reissue = if failed.weak && !inactive {
            Some(self.prepare_temporary(now).await?)
        } else {
            None
        };

        let mut tx = self.store.begin().await?;
        // A failure recorded meanwhile (another replica) may have locked the account.
        let throttle = self.store.lock_throttle(&mut tx, &key).await?;
        if let Some(until) = throttle.lock(now) {
            return Err(Error::locked(LockReason::Failures, until, now));
        }
        let Some(current) = self.store.account_for_update(&mut tx, username).await? else {
            return Err(Error::LoginFailed);
        };
        if current.version != account.version {
            return Err(Error::LoginConflict);
        }
        Self::check_status(&current, now)?;
        if inactive {
            let detail = json!({"reason": StatusReason::Inactivity});
            self.lock_for_inactivity(
                &mut tx,
                &current,
                Actor::User,
                Some(&client.address),
                detail,
                now,
                now,
            )
            .await?;
            tx.commit().await?;
            self.mail_queued.notify_one();
            return Err(Error::locked(LockReason::Inactivity, None, now));
        }
        if temporary_expired {
            return Err(Error::TemporaryExpired);
        }
        let mut sent = None;
        if let Some(prepared) = reissue {
            reasons.push(MustChange::Weak);
            // The mail is queued with the change and sent after the commit: the user's new
            // password works the moment it can arrive.
            let key = self
                .apply_temporary(&mut tx, &current, &prepared, IssueReason::Weak, client, now)
                .await?;
            tx.commit().await?;
            self.counters.reissued.inc();
            sent = Some(self.send_temporary(&key, now).await);
        } else {
            if upgrade.is_some() {
                self.counters.rehashed.inc();
            }
            self.store
                .record_login(&mut tx, current.id, upgrade.as_deref(), now)
                .await?;
            self.store.reset_failures(&mut tx, &key, now).await?;
            let event = Event {
                actor: Actor::User,
                action: Action::LoginSucceeded,
                username: Some(&current.username),
                address: Some(&client.address),
                detail: json!({"must_change": reasons, "rehashed": upgrade.is_some()}),
                at: now,
            };
            self.store.audit(&mut tx, &event).await?;
            tx.commit().await?;
        }

        let policy = self.policy();
        let mut messages: Vec<Note> = reasons
            .iter()
            .map(|r| match (r, sent) {
                (MustChange::Weak, Some(false)) => {
                    Note::new(NoteCode::WeakNotSent, client.locale, &policy, 0)
                }
                _ => Note::must_change(*r, client.locale, &policy),
            })
            .collect();
        if let Some(d) = expiring {
            messages.push(Note::expiring(d, client.locale, &policy));
        }
        let context = if reasons.is_empty() {
            None
        } else {
            Some(Self::context_for(&current)?)
        };
        Ok(LoginAnswer {
            context,
            mail_to: sent.map(|_| super::mask_email(&current.email)),
            status: if reasons.is_empty() {
                LoginStatus::Ok
            } else {
                LoginStatus::MustChange
            },
            username: current.username.clone(),
            kind: current.kind,
            reasons,
            password_expires_in_days: expiring,
            temporary_password_sent: sent,
            messages,
            ticket: None,
            ticket_expires_in: None,
        })
    }
}
