//! The sweep: locks organisation accounts idle for the policy's period, queues expiry warnings
//! inside the warning window, prunes old failed-login records and sends queued mail. Safe from
//! several replicas at once: rows are claimed with `FOR UPDATE SKIP LOCKED` (PostgreSQL), every
//! update re-checks the state it changes, and each mail has a unique dedupe key.

use super::{Error, Service};
use crate::mail::templates;
use crate::states::{AccountKind, AccountStatus, Actor, StatusReason};
use crate::storage::accounts::Account;
use crate::storage::audit::{Action, Event};
use crate::storage::Tx;
use matkhau_abi::lifecycle::{AgeStatus, InactivityStatus, OrgInactivity, PasswordAge};
use serde::Serialize;
use serde_json::json;

const DAY: i64 = 86_400;
/// Accounts claimed per transaction.
const BATCH: i64 = 200;
/// How long failed-login records are kept (reports of abnormal logins read them).
pub const FAILURE_RETENTION: i64 = 30 * DAY;

/// One account a sweep acted on.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SweepItem {
    /// The username.
    pub username: String,
    /// Days idle (locks) or days left before expiry (warnings).
    pub days: i64,
}

/// What a sweep did, or with `dry_run`, would do.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SweepReport {
    /// The moment the rules were applied at (Unix seconds).
    pub as_of: i64,
    /// Nothing was changed or sent.
    pub dry_run: bool,
    /// Organisation accounts locked for inactivity.
    pub locked: Vec<SweepItem>,
    /// Accounts warned that their password expires soon.
    pub warned: Vec<SweepItem>,
    /// Accounts revoked because their term ended (`days`: since the end).
    pub revoked: Vec<SweepItem>,
    /// Queued mails delivered by this sweep.
    pub mail_sent: u64,
    /// Queued mails that failed (retried later).
    pub mail_failed: u64,
    /// Old failed-login records deleted.
    pub failures_pruned: u64,
    /// Throttle rows of keys with no failures left and no lock, deleted.
    pub throttles_pruned: u64,
}

impl Service {
    /// Runs the sweep: the rules are applied as of `as_of`, what it does is recorded at `now`;
    /// `dry_run` reports without changing anything.
    pub async fn sweep(&self, as_of: i64, dry_run: bool, now: i64) -> Result<SweepReport, Error> {
        let policy = self.policy();
        let mut report = SweepReport {
            as_of,
            dry_run,
            locked: Vec::new(),
            warned: Vec::new(),
            revoked: Vec::new(),
            mail_sent: 0,
            mail_failed: 0,
            failures_pruned: 0,
            throttles_pruned: 0,
        };
        self.sweep_ended(as_of, dry_run, now, &mut report).await?;
        if policy.org_inactivity_lock_days > 0 {
            self.sweep_inactive(
                as_of,
                i64::from(policy.org_inactivity_lock_days),
                dry_run,
                now,
                &mut report,
            )
            .await?;
        }
        if policy.max_age_days > 0 && policy.expiry_warning_days > 0 {
            self.sweep_expiring(
                as_of,
                policy.max_age_days,
                i64::from(policy.expiry_warning_days),
                dry_run,
                now,
                &mut report,
            )
            .await?;
        }
        if !dry_run {
            report.failures_pruned = self.store.prune_failures(now - FAILURE_RETENTION).await?;
            report.throttles_pruned = self.store.prune_throttles(now).await?;
            self.limits.forget_idle();
            let (sent, failed) = self.dispatch_mail(now).await?;
            report.mail_sent = sent;
            report.mail_failed = failed;
        }
        Ok(report)
    }

    /// Revokes the accounts whose term ended (the regulation: accounts no longer needed are
    /// revoked), telling the owner and the administrators' address.
    async fn sweep_ended(
        &self,
        as_of: i64,
        dry_run: bool,
        now: i64,
        report: &mut SweepReport,
    ) -> Result<(), Error> {
        let mut after = 0;
        loop {
            let mut tx = self.store.begin().await?;
            let batch = self.store.claim_ended(&mut tx, after, as_of, BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for a in &batch {
                let ended = a.valid_until.unwrap_or(as_of);
                report.revoked.push(SweepItem {
                    username: a.username.clone(),
                    days: (as_of - ended) / DAY,
                });
                if dry_run {
                    continue;
                }
                self.store
                    .set_status(
                        &mut tx,
                        a.id,
                        AccountStatus::Revoked,
                        Some(StatusReason::Ended),
                        now,
                    )
                    .await?;
                let event = Event {
                    actor: Actor::Sweep,
                    action: Action::AccountRevoked,
                    username: Some(&a.username),
                    address: None,
                    detail: json!({"reason": StatusReason::Ended, "valid_until": ended, "as_of": as_of}),
                    at: now,
                };
                self.store.audit(&mut tx, &event).await?;
                let mut to = vec![a.email.clone()];
                to.extend(self.config.admin_email.clone());
                for (i, address) in to.iter().enumerate() {
                    let mail = templates::account_ended(address, &a.username, ended);
                    self.queue_notice(&mut tx, &format!("ended:{}:{ended}:{i}", a.id), &mail, now)
                        .await?;
                }
            }
            if dry_run {
                drop(tx);
            } else {
                tx.commit().await?;
            }
            if (batch.len() as i64) < BATCH {
                break;
            }
        }
        Ok(())
    }

    async fn sweep_inactive(
        &self,
        as_of: i64,
        days: i64,
        dry_run: bool,
        now: i64,
        report: &mut SweepReport,
    ) -> Result<(), Error> {
        let cutoff = as_of - days * DAY;
        let mut after = 0;
        loop {
            let mut tx = self.store.begin().await?;
            let batch = self
                .store
                .claim_idle_organisations(&mut tx, after, cutoff, BATCH)
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for a in &batch {
                // The plug-in decides; the query only pre-selects.
                if !self.org_inactive(a, as_of).await? {
                    continue;
                }
                let idle = (as_of - a.last_activity_at) / DAY;
                report.locked.push(SweepItem {
                    username: a.username.clone(),
                    days: idle,
                });
                if dry_run {
                    continue;
                }
                let detail =
                    json!({"reason": StatusReason::Inactivity, "idle_days": idle, "as_of": as_of});
                self.lock_for_inactivity(&mut tx, a, Actor::Sweep, None, detail, as_of, now)
                    .await?;
                self.counters.sweep_locked.inc();
            }
            if dry_run {
                drop(tx);
            } else {
                tx.commit().await?;
            }
            if (batch.len() as i64) < BATCH {
                break;
            }
        }
        Ok(())
    }

    async fn sweep_expiring(
        &self,
        as_of: i64,
        max_age_days: u32,
        warning: i64,
        dry_run: bool,
        now: i64,
        report: &mut SweepReport,
    ) -> Result<(), Error> {
        let max_age = i64::from(max_age_days);
        let warn_from = as_of - (max_age - warning) * DAY;
        let expired_before = as_of - max_age * DAY;
        let mut after = 0;
        loop {
            let mut tx = self.store.begin().await?;
            let batch = self
                .store
                .claim_expiring(&mut tx, after, warn_from, expired_before, BATCH)
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for a in &batch {
                let question = PasswordAge {
                    changed_at: a.password_set_at,
                };
                let AgeStatus::Expiring { days_left } = self.decide(question, as_of).await? else {
                    continue;
                };
                report.warned.push(SweepItem {
                    username: a.username.clone(),
                    days: days_left,
                });
                if dry_run {
                    continue;
                }
                let expires_at = a.password_set_at + max_age * DAY;
                let mail = templates::expiry_warning(
                    &a.email,
                    &a.username,
                    days_left,
                    expires_at,
                    max_age_days,
                );
                let queued = self
                    .queue_notice(
                        &mut tx,
                        &format!("expiry:{}:{}", a.id, a.password_set_at),
                        &mail,
                        now,
                    )
                    .await?;
                self.store
                    .mark_expiry_warned(&mut tx, a.id, a.password_set_at)
                    .await?;
                if queued {
                    self.store
                        .audit(
                            &mut tx,
                            &Event {
                                actor: Actor::Sweep,
                                action: Action::PasswordExpiryWarned,
                                username: Some(&a.username),
                                address: None,
                                detail: json!({"days_left": days_left, "as_of": as_of}),
                                at: now,
                            },
                        )
                        .await?;
                    self.counters.sweep_warned.inc();
                }
            }
            if dry_run {
                drop(tx);
            } else {
                tx.commit().await?;
            }
            if (batch.len() as i64) < BATCH {
                break;
            }
        }
        Ok(())
    }
}

impl Service {
    /// Whether the plug-in locks this organisation account for inactivity as of `at`.
    pub(super) async fn org_inactive(&self, a: &Account, at: i64) -> Result<bool, Error> {
        if a.kind != AccountKind::Organisation {
            return Ok(false);
        }
        let question = OrgInactivity {
            last_activity: a.last_activity_at,
        };
        Ok(self.decide(question, at).await? == InactivityStatus::Lock {})
    }

    /// Locks `a` for inactivity inside `tx`: status, audit entry (`detail`) and the notice mail
    /// (one per idle period, whoever notices it first: the sweep or a login).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn lock_for_inactivity(
        &self,
        tx: &mut Tx,
        a: &Account,
        actor: Actor,
        address: Option<&str>,
        detail: serde_json::Value,
        as_of: i64,
        now: i64,
    ) -> Result<(), Error> {
        self.store
            .set_status(
                tx,
                a.id,
                AccountStatus::Locked,
                Some(StatusReason::Inactivity),
                now,
            )
            .await?;
        self.store
            .audit(
                tx,
                &Event {
                    actor,
                    action: Action::AccountLocked,
                    username: Some(&a.username),
                    address,
                    detail,
                    at: now,
                },
            )
            .await?;
        let idle = (as_of - a.last_activity_at) / DAY;
        let mail = templates::inactivity_lock(&a.email, &a.username, idle);
        self.queue_notice(
            tx,
            &format!("inactivity:{}:{}", a.id, a.last_activity_at),
            &mail,
            now,
        )
        .await?;
        Ok(())
    }
}
