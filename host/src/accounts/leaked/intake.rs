//! One report entry at a time: found before, unknown user, or an account whose reported password
//! is verified, then reset (and locked when it still worked), with the password blocklisted,
//! the entry recorded and everything audited in one transaction.

use super::parse::Entry;
use super::report::EntryOutcome;
use super::Options;
use crate::accounts::{Client, Error, Service};
use crate::clock::day_of;
use crate::mail::templates::IssueReason;
use crate::states::{AccountStatus, LeakOutcome, MustChange, StatusReason};
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

/// The keys an entry is known by.
struct Keys {
    /// The login key of its username.
    username: String,
    /// The keyed hash of the whole entry.
    entry: String,
    /// The blocklist key of its password, if one was reported.
    password: Option<String>,
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
        let username = username_key(&entry.username);
        let keys = Keys {
            entry: self.leak_entry_key(&username, entry.password.as_ref()),
            password: entry.password.as_ref().map(|p| self.leak_key(p)),
            username,
        };
        let out = EntryOutcome::new(entry.line, &entry.username, LeakOutcome::AlreadyHandled);
        if let Some(before) = self.store.leak_entry(&keys.entry).await? {
            let when = day_of(before.reported_at);
            return Ok(out.with_detail(format!("{} ({}, {when})", before.outcome, before.source)));
        }
        if !run.seen.insert(keys.entry.clone()) {
            return Ok(out.with_detail("repeated in this report"));
        }
        let Some(account) = self.store.account(&entry.username).await? else {
            let out = EntryOutcome {
                outcome: LeakOutcome::UnknownUser,
                ..out
            };
            if !options.dry_run {
                self.record_unknown(entry, &keys, options, client, now)
                    .await?;
            }
            return Ok(out);
        };
        let valid = match &entry.password {
            Some(p) => Some(self.hasher.verify(p, Some(&account.password_hash)).await?),
            None => None,
        };
        let mut out = EntryOutcome {
            leaked_password_valid: valid,
            outcome: match (account.status, valid) {
                (AccountStatus::Revoked, _) => LeakOutcome::Revoked,
                _ if run.reset.contains(&keys.username) => LeakOutcome::AlreadyHandled,
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
        let out = self
            .handle(entry, &keys, &account, out, options, client, now)
            .await?;
        // Handled to the end (not rolled back): a later line for this account is not again.
        if matches!(
            out.outcome,
            LeakOutcome::LockedReset
                | LeakOutcome::Reset
                | LeakOutcome::ResetUnverified
                | LeakOutcome::Revoked
        ) {
            run.reset.insert(keys.username);
        }
        Ok(out)
    }

    /// An entry for a username no account has: its password is blocklisted and the entry
    /// recorded and audited (unless another import recorded it first).
    async fn record_unknown(
        &self,
        entry: &Entry,
        keys: &Keys,
        options: &Options,
        client: &Client,
        now: i64,
    ) -> Result<(), Error> {
        let mut tx = self.store.begin().await?;
        if let Some(k) = &keys.password {
            self.store.block_password(&mut tx, k, now).await?;
        }
        let outcome = LeakOutcome::UnknownUser;
        let recorded = self
            .store
            .record_leak_entry(
                &mut tx,
                &keys.entry,
                &keys.username,
                &options.source,
                outcome,
                now,
            )
            .await?;
        if recorded {
            let event = leak_event(client, &entry.username, entry, options, outcome, None, now);
            self.store.audit(&mut tx, &event).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Applies `out` to a known account in one transaction: blocklist, lock, entry record,
    /// reset with its mail, audit. The entry is recorded before any mail goes out: an import
    /// that got there first wins, and this one rolls back without mailing a second password.
    #[allow(clippy::too_many_arguments)]
    async fn handle(
        &self,
        entry: &Entry,
        keys: &Keys,
        account: &Account,
        mut out: EntryOutcome,
        options: &Options,
        client: &Client,
        now: i64,
    ) -> Result<EntryOutcome, Error> {
        let resetting = matches!(
            out.outcome,
            LeakOutcome::LockedReset | LeakOutcome::Reset | LeakOutcome::ResetUnverified
        );
        let prepared = match resetting {
            true => Some(self.prepare_temporary(now).await?),
            false => None,
        };
        let mut tx = self.store.begin().await?;
        let Some(current) = self
            .store
            .account_for_update(&mut tx, &entry.username)
            .await?
        else {
            return Err(Error::LeakConflict);
        };
        if current.version != account.version {
            // The password changed since it was verified: the verification no longer holds.
            return Ok(conflict(out));
        }
        if let Some(k) = &keys.password {
            self.store.block_password(&mut tx, k, now).await?;
        }
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
            self.store
                .set_status(
                    &mut tx,
                    current.id,
                    AccountStatus::Locked,
                    Some(StatusReason::Leaked),
                    now,
                )
                .await?;
        }
        let recorded = self
            .store
            .record_leak_entry(
                &mut tx,
                &keys.entry,
                &keys.username,
                &options.source,
                out.outcome,
                now,
            )
            .await?;
        if !recorded {
            out.outcome = LeakOutcome::AlreadyHandled;
            out.detail = Some("another import handled it at the same time".into());
            return Ok(out);
        }
        if let Some(prepared) = &prepared {
            let issued = self
                .apply_temporary(
                    &mut tx,
                    &current,
                    prepared,
                    IssueReason::Leaked,
                    client,
                    now,
                )
                .await;
            match issued {
                Ok(()) => {
                    self.counters.reissued.inc();
                }
                // Rolls back the reset and the entry's record: importing again retries.
                Err(Error::MailFailed(_)) if !locks => {
                    drop(tx);
                    out.outcome = LeakOutcome::MailFailed;
                    out.detail = Some("the temporary password could not be mailed".into());
                    return Ok(out);
                }
                Err(Error::MailFailed(_)) => {
                    drop(tx);
                    return self
                        .lock_without_mail(entry, keys, account, out, options, client, now)
                        .await;
                }
                Err(e) => return Err(e),
            }
        }
        let event = leak_event(
            client,
            &current.username,
            entry,
            options,
            out.outcome,
            out.leaked_password_valid,
            now,
        );
        self.store.audit(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The leaked password still works but its reset could not be mailed: lock now (not
    /// recorded, so importing the report again re-issues once mail works), and require a change.
    #[allow(clippy::too_many_arguments)]
    async fn lock_without_mail(
        &self,
        entry: &Entry,
        keys: &Keys,
        account: &Account,
        mut out: EntryOutcome,
        options: &Options,
        client: &Client,
        now: i64,
    ) -> Result<EntryOutcome, Error> {
        out.outcome = LeakOutcome::LockedMailFailed;
        let mut tx: Tx = self.store.begin().await?;
        let again = self
            .store
            .account_for_update(&mut tx, &entry.username)
            .await?
            .filter(|a| a.version == account.version);
        let Some(again) = again else {
            return Ok(conflict(out));
        };
        if again.status == AccountStatus::Active {
            self.store
                .set_status(
                    &mut tx,
                    again.id,
                    AccountStatus::Locked,
                    Some(StatusReason::Leaked),
                    now,
                )
                .await?;
        }
        self.store
            .force_change(&mut tx, again.id, MustChange::Leaked)
            .await?;
        if let Some(k) = &keys.password {
            self.store.block_password(&mut tx, k, now).await?;
        }
        let event = leak_event(
            client,
            &again.username,
            entry,
            options,
            out.outcome,
            out.leaked_password_valid,
            now,
        );
        self.store.audit(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(out)
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

/// The audit entry of a handled entry (`leaked_password_valid` only for a known account).
fn leak_event<'a>(
    client: &'a Client,
    username: &'a str,
    entry: &Entry,
    options: &Options,
    outcome: LeakOutcome,
    valid: Option<bool>,
    now: i64,
) -> Event<'a> {
    let mut detail = json!({"source": options.source, "line": entry.line, "outcome": outcome});
    if outcome != LeakOutcome::UnknownUser {
        detail["leaked_password_valid"] = json!(valid);
    }
    Event {
        actor: client.actor,
        action: Action::AccountLeakReported,
        username: Some(username),
        address: Some(&client.address),
        detail,
        at: now,
    }
}
