//! One report entry at a time: found before, unknown user, or an account whose reported password
//! is verified, then reset (and locked when it still worked), with the password blocklisted,
//! the entry recorded and everything audited in one transaction.

use super::parse::Entry;
use super::report::EntryOutcome;
use super::Options;
use crate::accounts::{Client, Error, Service};
use crate::clock::day_of;
use crate::mail::templates::IssueReason;
use crate::states::{AccountStatus, LeakOutcome, StatusReason};
use crate::storage::accounts::{username_key, Account};
use crate::storage::audit::{Action, Event};
use crate::storage::Tx;
use serde_json::json;
use std::collections::HashSet;

/// What one run of the intake remembers: entries it handled (a dry run records nothing, so it
/// remembers them here), and accounts it reset (one reset, one mail per account).
#[derive(Default)]
pub(super) struct Run {
    seen: HashSet<String>,
    reset: HashSet<String>,
}

/// One entry being handled, the keys it is known by, and the import it belongs to.
struct Job<'a> {
    entry: &'a Entry,
    /// The login key of its username.
    username_key: String,
    /// The keyed hash of the whole entry.
    entry_key: String,
    /// The blocklist key of its password, if one was reported.
    password_key: Option<String>,
    options: &'a Options,
    client: &'a Client,
    now: i64,
}

impl Job<'_> {
    /// The audit entry of this entry (`leaked_password_valid` only for a known account).
    fn event<'e>(&'e self, username: &'e str, out: &EntryOutcome) -> Event<'e> {
        let mut detail = json!({
            "source": self.options.source,
            "line": self.entry.line,
            "outcome": out.outcome,
        });
        if out.outcome != LeakOutcome::UnknownUser {
            detail["leaked_password_valid"] = json!(out.leaked_password_valid);
        }
        Event {
            actor: self.client.actor,
            action: Action::AccountLeakReported,
            username: Some(username),
            address: Some(&self.client.address),
            detail,
            at: self.now,
        }
    }
}

/// Whether an outcome resets the account.
fn resets(outcome: LeakOutcome) -> bool {
    matches!(
        outcome,
        LeakOutcome::LockedReset | LeakOutcome::Reset | LeakOutcome::ResetUnverified
    )
}

impl Service {
    /// Handles one entry (see the module's documentation).
    pub(super) async fn import_entry(
        &self,
        entry: &Entry,
        options: &Options,
        client: &Client,
        now: i64,
        run: &mut Run,
    ) -> Result<EntryOutcome, Error> {
        let username_key = username_key(&entry.username);
        let job = Job {
            entry,
            entry_key: self.leak_entry_key(&username_key, entry.password.as_ref()),
            password_key: entry.password.as_ref().map(|p| self.leak_key(p)),
            username_key,
            options,
            client,
            now,
        };
        let out = EntryOutcome::new(entry.line, &entry.username, LeakOutcome::AlreadyHandled);
        if let Some(before) = self.store.leak_entry(&job.entry_key).await? {
            let when = day_of(before.reported_at);
            return Ok(out.with_detail(format!("{} ({}, {when})", before.outcome, before.source)));
        }
        if !run.seen.insert(job.entry_key.clone()) {
            return Ok(out.with_detail("repeated in this report"));
        }
        let Some(account) = self.store.account(&entry.username).await? else {
            let out = EntryOutcome {
                outcome: LeakOutcome::UnknownUser,
                ..out
            };
            if !options.dry_run {
                self.record_unknown(&job, &out).await?;
            }
            return Ok(out);
        };
        let valid = match &entry.password {
            Some(p) => Some(
                self.hasher
                    .verify_patiently(p, Some(&account.password_hash))
                    .await?,
            ),
            None => None,
        };
        let mut out = EntryOutcome {
            leaked_password_valid: valid,
            outcome: match (account.status, valid) {
                (AccountStatus::Revoked, _) => LeakOutcome::Revoked,
                _ if run.reset.contains(&job.username_key) => LeakOutcome::AlreadyHandled,
                (_, Some(true)) => LeakOutcome::LockedReset,
                (_, Some(false)) => LeakOutcome::Reset,
                (_, None) => LeakOutcome::ResetUnverified,
            },
            ..out
        };
        if out.outcome == LeakOutcome::AlreadyHandled {
            out.detail = Some("the account was reset earlier in this report".into());
        }
        if options.dry_run {
            return Ok(out);
        }
        let out = self.handle(&job, &account, out).await?;
        // Handled to the end (not rolled back): a later line for this account is not again.
        if resets(out.outcome) || out.outcome == LeakOutcome::Revoked {
            run.reset.insert(job.username_key);
        }
        Ok(out)
    }

    /// An entry for a username no account has: its password is blocklisted and the entry
    /// recorded and audited (unless another import recorded it first).
    async fn record_unknown(&self, job: &Job<'_>, out: &EntryOutcome) -> Result<(), Error> {
        let mut tx = self.store.begin().await?;
        self.block(&mut tx, job).await?;
        let recorded = self.record(&mut tx, job, out.outcome).await?;
        if recorded {
            self.store
                .audit(&mut tx, &job.event(&job.entry.username, out))
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Applies `out` to a known account in one transaction: blocklist, lock, entry record,
    /// reset with its mail queued, audit; the mail leaves after the commit. The entry is
    /// recorded in that transaction: an import that got there first wins, and this one rolls
    /// back without queuing a second password.
    async fn handle(
        &self,
        job: &Job<'_>,
        account: &Account,
        mut out: EntryOutcome,
    ) -> Result<EntryOutcome, Error> {
        let now = job.now;
        let prepared = match resets(out.outcome) {
            true => Some(self.prepare_temporary(now).await?),
            false => None,
        };
        let mut tx = self.store.begin().await?;
        let Some(current) = self
            .store
            .account_for_update(&mut tx, &job.entry.username)
            .await?
        else {
            return Err(Error::LeakConflict);
        };
        if current.version != account.version {
            // The password changed since it was verified: the verification no longer holds.
            return Ok(conflict(out));
        }
        self.block(&mut tx, job).await?;
        let locks = out.outcome == LeakOutcome::LockedReset;
        // An account locked for another reason (an administrator, inactivity) keeps that lock:
        // the reset a leak forces must not become a way around it.
        let lock_now = locks && current.status == AccountStatus::Active;
        if locks && !lock_now {
            let reason = current.status_reason.unwrap_or(StatusReason::Admin);
            out.detail = Some(format!(
                "already {} ({reason}): that lock is kept",
                current.status
            ));
        }
        if lock_now {
            self.lock_leaked(&mut tx, &current, now).await?;
        }
        let recorded = self.record(&mut tx, job, out.outcome).await?;
        if !recorded {
            out.outcome = LeakOutcome::AlreadyHandled;
            out.detail = Some("another import handled it at the same time".into());
            return Ok(out);
        }
        let queued = match &prepared {
            Some(prepared) => {
                let reason = IssueReason::Leaked;
                let key = self
                    .apply_temporary(&mut tx, &current, prepared, reason, job.client, now)
                    .await?;
                Some(key)
            }
            None => None,
        };
        let mut out = self.audited(tx, job, &current.username, out).await?;
        if let Some(key) = queued {
            // Committed with its mail queued: the reset holds whether or not the mail server
            // takes the message now (the queue sends it later).
            self.counters.reissued.inc();
            if !self.send_temporary(&key, now).await {
                let queued = "the temporary password is queued for mail (the mail server did not take it yet)";
                out.detail = Some(match out.detail {
                    Some(d) => format!("{d}; {queued}"),
                    None => queued.to_string(),
                });
            }
        }
        Ok(out)
    }

    /// Records the entry as handled with `outcome`; `false` when another import did first.
    async fn record(
        &self,
        tx: &mut Tx,
        job: &Job<'_>,
        outcome: LeakOutcome,
    ) -> Result<bool, Error> {
        let (key, source) = (&job.entry_key, &job.options.source);
        Ok(self
            .store
            .record_leak_entry(tx, key, &job.username_key, source, outcome, job.now)
            .await?)
    }

    /// Adds the entry's password, if one was reported, to the blocklist.
    async fn block(&self, tx: &mut Tx, job: &Job<'_>) -> Result<(), Error> {
        if let Some(k) = &job.password_key {
            self.store.block_password(tx, k, job.now).await?;
        }
        Ok(())
    }

    /// Audits the entry's outcome for `username` and commits.
    async fn audited(
        &self,
        mut tx: Tx,
        job: &Job<'_>,
        username: &str,
        out: EntryOutcome,
    ) -> Result<EntryOutcome, Error> {
        self.store
            .audit(&mut tx, &job.event(username, &out))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Locks an account whose leaked password still works, until its reset.
    async fn lock_leaked(&self, tx: &mut Tx, account: &Account, now: i64) -> Result<(), Error> {
        let (locked, leaked) = (AccountStatus::Locked, Some(StatusReason::Leaked));
        self.store
            .set_status(tx, account.id, locked, leaked, now)
            .await?;
        Ok(())
    }
}

/// The answer when the password changed during the import.
fn conflict(out: EntryOutcome) -> EntryOutcome {
    EntryOutcome {
        outcome: LeakOutcome::Conflict,
        detail: Some("the password changed during the import; import again".into()),
        ..out
    }
}
