//! Self-service reset ("Quên mật khẩu?"): a request by username or registered e-mail gets the
//! same answer whether or not an account has it; a single-use, short-lived code goes to the
//! account's registered address only (the mail queued sealed, the code stored as its SHA-256);
//! the new password then goes through the whole policy with the account's own data, history and
//! breach screening, exactly as a change does, and the owner is told by mail.
//!
//! The forced change's "did not get the mail?" is the same request: a fresh code to the same
//! address, under the same limits.

use super::{check_size, check_username_input, Client, Error, Secret, Service};
use crate::mail::templates;
use crate::states::{AccountKind, AccountStatus, Actor, LockReason, StatusReason};
use crate::storage::accounts::{username_key, Account};
use crate::storage::audit::{Action, Event};
use crate::storage::resets::{NewReset, Reset};
use matkhau_abi::Context;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Random bytes in a reset code (128 bits: guessing is hopeless, so no slow hash is needed).
const CODE_BYTES: usize = 16;

/// The answer to a reset request: the same for every login, known or not.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResetRequested {
    /// Always `requested`.
    pub status: &'static str,
    /// How long a mailed code works, in minutes.
    pub valid_minutes: i64,
}

/// What a valid reset code opens: the account it is for and its data, so the page judges the
/// new password exactly as the host will.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResetTarget {
    /// The account's username.
    pub username: String,
    /// Who the account is for.
    pub kind: AccountKind,
    /// The account's data for the personal-data rules (name, birth date, e-mail, phone…).
    #[schema(value_type = Object)]
    pub context: Context,
    /// Until when the code works (Unix seconds).
    pub expires_at: i64,
}

/// The code as mailed: 32 hex digits in groups of four.
fn format_code(bytes: &[u8]) -> String {
    let hex = hex::encode(bytes);
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stored key of a code as typed (spaces, dashes and case ignored); `None` when it cannot be
/// a code at all.
fn code_hash(typed: &str) -> Option<String> {
    if typed.len() > 128 {
        return None;
    }
    let digits: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (digits.len() == CODE_BYTES * 2 && digits.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| hex::encode(Sha256::digest(digits.as_bytes())))
}

impl Service {
    /// `POST /v1/password-reset`: mails a code to the registered address of the account named
    /// `login` (a username, or an e-mail address some accounts are registered with). Nothing in
    /// the answer says whether one exists; an account gets at most the configured number of codes
    /// per hour (more requests are answered alike and mail nothing).
    pub async fn request_reset(
        &self,
        login: &str,
        client: &Client,
        now: i64,
    ) -> Result<ResetRequested, Error> {
        let login = login.trim();
        check_username_input(login)?;
        let key = username_key(login);
        self.limits
            .take(&client.address, Some(&format!("reset:{key}")))?;
        let mut accounts = self
            .store
            .account(login)
            .await?
            .into_iter()
            .collect::<Vec<_>>();
        if accounts.is_empty() && login.contains('@') {
            accounts = self.store.accounts_by_email(login).await?;
        }
        let mut queued = false;
        for account in accounts {
            queued |= self.mail_reset_code(&account, client, now).await?;
        }
        if queued {
            // Sent by the dispatcher, not awaited: the answer's timing says nothing either.
            self.mail_queued.notify_one();
        }
        Ok(ResetRequested {
            status: "requested",
            valid_minutes: self.config.reset_minutes,
        })
    }

    /// Records a reset of `account` and queues its code; `false` when the account may not
    /// have one now (revoked, or its hourly allowance used).
    async fn mail_reset_code(
        &self,
        account: &Account,
        client: &Client,
        now: i64,
    ) -> Result<bool, Error> {
        if account.status == AccountStatus::Revoked {
            return Ok(false);
        }
        let mut bytes = [0u8; CODE_BYTES];
        getrandom::fill(&mut bytes).map_err(|_| Error::Internal("no OS randomness"))?;
        let code = Secret::new(format_code(&bytes));
        let Some(hash) = code_hash(code.expose()) else {
            return Err(Error::Internal("a reset code does not read back"));
        };
        let expires_at = now + self.config.reset_minutes * 60;
        let mut tx = self.store.begin().await?;
        // The row lock orders concurrent requests for one account, so the allowance is exact.
        let Some(row) = self
            .store
            .account_by_id_for_update(&mut tx, account.id)
            .await?
        else {
            return Ok(false);
        };
        let asked = self.store.resets_since(&mut tx, row.id, now - 3600).await?;
        if asked >= self.config.resets_per_hour {
            return Ok(false);
        }
        let reset = NewReset {
            account_id: row.id,
            code_hash: &hash,
            now,
            expires_at,
        };
        self.store.insert_reset(&mut tx, &reset).await?;
        let event = Event {
            actor: Actor::User,
            action: Action::PasswordResetRequested,
            username: Some(&row.username),
            address: Some(&client.address),
            detail: json!({"expires_at": expires_at}),
            at: now,
        };
        self.store.audit(&mut tx, &event).await?;
        let link = self.config.public_url.as_deref().map(|base| {
            format!(
                "{}/dat-lai-mat-khau#ma={}",
                base.trim_end_matches('/'),
                code.expose()
            )
        });
        let mail = templates::password_reset_code(
            &row.email,
            &row.username,
            code.expose(),
            link.as_deref(),
            expires_at,
        );
        self.queue_sealed(
            &mut tx,
            &format!("reset:{}:{}", row.id, &hash[..16]),
            &mail,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The reset a typed code names and its account, when the code may still be used: not
    /// used, not expired, not older than the account's password, and the account not revoked
    /// or locked by an administrator or for inactivity (a leak's lock is what a reset ends).
    async fn open_reset(
        &self,
        typed: &str,
        client: &Client,
        now: i64,
    ) -> Result<(Reset, Account), Error> {
        self.limits.take(&client.address, None)?;
        let hash = code_hash(typed).ok_or(Error::ResetInvalid)?;
        let reset = self.store.reset(&hash).await?.ok_or(Error::ResetInvalid)?;
        if reset.used_at.is_some() || reset.expires_at <= now {
            return Err(Error::ResetInvalid);
        }
        let account = self
            .store
            .account_by_id(reset.account_id)
            .await?
            .ok_or(Error::ResetInvalid)?;
        if account.password_set_at > reset.created_at {
            return Err(Error::ResetInvalid);
        }
        match (account.status, account.status_reason) {
            (AccountStatus::Active, _) => {}
            (AccountStatus::Locked, Some(StatusReason::Leaked)) => {}
            (AccountStatus::Revoked, _) => {
                return Err(Error::locked(LockReason::Revoked, None, now))
            }
            (AccountStatus::Locked, reason) => {
                return Err(Error::locked(
                    reason.map_or(LockReason::Admin, LockReason::from),
                    None,
                    now,
                ))
            }
        }
        Ok((reset, account))
    }

    /// `POST /v1/password-reset/verify`: the account a code is for and its data.
    pub async fn reset_target(
        &self,
        typed: &str,
        client: &Client,
        now: i64,
    ) -> Result<ResetTarget, Error> {
        let (reset, account) = self.open_reset(typed, client, now).await?;
        Ok(ResetTarget {
            context: Self::context_for(&account)?,
            username: account.username,
            kind: account.kind,
            expires_at: reset.expires_at,
        })
    }

    /// `POST /v1/password-reset/complete`: sets the new password with a valid code. The policy
    /// judges it with the account's data, it may not be the current password or one of the
    /// history, and the code is used up (with every other open code of the account).
    pub async fn reset_password(
        &self,
        typed: &str,
        new: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<super::change::ChangeAnswer, Error> {
        check_size("new_password", new)?;
        let (reset, account) = self.open_reset(typed, client, now).await?;
        let ctx = Self::context_for(&account)?;
        // The current password is not typed here: its stored hash joins the history check.
        let current = Some(account.password_hash.as_str());
        let (verdict, keep) = self
            .judge_new(new, &ctx, &account, current, client, now)
            .await?;
        let (satisfied, _) = self.forced_reasons(&account, now).await?;
        let hash = self.hasher.hash(new).await?;

        let mut tx = self.store.begin().await?;
        self.store
            .lock_throttle(&mut tx, &account.username_key)
            .await?;
        let Some(row) = self
            .store
            .account_by_id_for_update(&mut tx, account.id)
            .await?
        else {
            return Err(Error::ResetInvalid);
        };
        if row.version != account.version {
            return Err(Error::PasswordConflict);
        }
        if !self.store.use_reset(&mut tx, reset.id, row.id, now).await? {
            return Err(Error::ResetInvalid);
        }
        // The owner proved the mailbox: failed logins (perhaps someone else's guesses) stop
        // counting, and the lock a leak report set ends.
        self.set_chosen(&mut tx, &row, &hash, keep, now).await?;
        let event = Event {
            actor: Actor::User,
            action: Action::PasswordReset,
            username: Some(&row.username),
            address: Some(&client.address),
            detail: json!({"satisfied": satisfied}),
            at: now,
        };
        self.store.audit(&mut tx, &event).await?;
        let mail = templates::password_reset_done(&row.email, &row.username, now);
        self.queue_notice(
            &mut tx,
            &format!("reset-done:{}:{}", row.id, row.version + 1),
            &mail,
            now,
        )
        .await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(super::change::ChangeAnswer {
            status: "changed",
            username: row.username.clone(),
            changed_at: now,
            satisfied,
            verdict,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_however_typed() {
        let code = format_code(&[0xab; CODE_BYTES]);
        assert_eq!(code.len(), 32 + 7);
        let hash = code_hash(&code).unwrap();
        assert_eq!(code_hash(&code.to_uppercase()), Some(hash.clone()));
        assert_eq!(code_hash(&code.replace('-', " ")), Some(hash.clone()));
        assert_eq!(code_hash(&code.replace('-', "")), Some(hash));
        for bad in [
            "",
            "abcd",
            &code[..30],
            &format!("{code}a"),
            &code.replace('a', "g"),
        ] {
            assert_eq!(code_hash(bad), None, "{bad}");
        }
    }
}
