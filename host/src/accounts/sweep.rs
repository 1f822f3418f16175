//! The sweep: locks organisation accounts idle for the policy's period, queues expiry warnings
//! inside the warning window, prunes old failed-login records and sends queued mail. Safe from
//! several replicas at once: rows are claimed with `FOR UPDATE SKIP LOCKED` (PostgreSQL), every
//! update re-checks the state it changes, and each mail has a unique dedupe key.

use super::{Error, Service};
use crate::mail::templates;
use crate::storage::accounts::Account;
use crate::storage::audit::Event;
use crate::storage::Tx;
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
    /// Queued mails delivered by this sweep.
    pub mail_sent: u64,
    /// Queued mails that failed (retried later).
    pub mail_failed: u64,
    /// Old failed-login records deleted.
    pub failures_pruned: u64,
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
            mail_sent: 0,
            mail_failed: 0,
            failures_pruned: 0,
        };
        if policy.org_inactivity_lock_days > 0 {
            self.sweep_inactive(
                as_of,
                policy.org_inactivity_lock_days,
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
                policy.expiry_warning_days,
                dry_run,
                now,
                &mut report,
            )
            .await?;
        }
        if !dry_run {
            report.failures_pruned = self.store.prune_failures(now - FAILURE_RETENTION).await?;
            let (sent, failed) = self.dispatch_mail(now).await?;
            report.mail_sent = sent;
            report.mail_failed = failed;
        }
        Ok(report)
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
                report.locked.push(super::sweep::SweepItem {
                    username: a.username.clone(),
                    days: idle,
                });
                if dry_run {
                    continue;
                }
                let detail = json!({"reason": "inactivity", "idle_days": idle, "as_of": as_of});
                self.lock_for_inactivity(&mut tx, a, "sweep", None, detail, as_of, now)
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
        max_age: i64,
        warning: i64,
        dry_run: bool,
        now: i64,
        report: &mut SweepReport,
    ) -> Result<(), Error> {
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
                let d = self
                    .decide(
                        json!({"kind": "password_age", "changed_at": a.password_set_at}),
                        as_of,
                    )
                    .await?;
                if d["status"] != "expiring" {
                    continue;
                }
                let days_left = d["days_left"].as_i64().unwrap_or(0);
                report.warned.push(SweepItem {
                    username: a.username.clone(),
                    days: days_left,
                });
                if dry_run {
                    continue;
                }
                let expires_at = a.password_set_at + max_age * DAY;
                let mail = templates::expiry_warning(&a.email, &a.username, days_left, expires_at);
                let queued = self
                    .store
                    .enqueue_mail(
                        &mut tx,
                        &format!("expiry:{}:{}", a.id, a.password_set_at),
                        &mail.to,
                        &mail.subject,
                        &mail.body,
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
                                actor: "sweep",
                                action: "password.expiry_warned",
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
        if a.kind != "organisation" {
            return Ok(false);
        }
        let d = self
            .decide(
                json!({"kind": "org_inactivity", "last_activity": a.last_activity_at}),
                at,
            )
            .await?;
        Ok(d["status"] == "lock")
    }

    /// Locks `a` for inactivity inside `tx`: status, audit entry (`detail`) and the notice mail
    /// (one per idle period, whoever notices it first: the sweep or a login).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn lock_for_inactivity(
        &self,
        tx: &mut Tx,
        a: &Account,
        actor: &str,
        address: Option<&str>,
        detail: serde_json::Value,
        as_of: i64,
        now: i64,
    ) -> Result<(), Error> {
        self.store
            .set_status(tx, a.id, "locked", Some("inactivity"), now)
            .await?;
        self.store
            .audit(
                tx,
                &Event {
                    actor,
                    action: "account.locked",
                    username: Some(&a.username),
                    address,
                    detail,
                    at: now,
                },
            )
            .await?;
        let idle = (as_of - a.last_activity_at) / DAY;
        let mail = templates::inactivity_lock(&a.email, &a.username, idle);
        self.store
            .enqueue_mail(
                tx,
                &format!("inactivity:{}:{}", a.id, a.last_activity_at),
                &mail.to,
                &mail.subject,
                &mail.body,
                now,
            )
            .await?;
        Ok(())
    }
}

/// A Unix time's day, `YYYY-MM-DD` (UTC).
pub fn day_of(at: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(at) {
        Ok(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        Err(_) => at.to_string(),
    }
}

/// The day a sweep applies the rules as of: `YYYY-MM-DD` (midnight UTC) or Unix seconds.
pub fn parse_as_of(s: &str) -> Result<i64, String> {
    if let Ok(t) = s.parse::<i64>() {
        return Ok(t);
    }
    let bad = || format!("{s:?}: expected YYYY-MM-DD or Unix seconds");
    let mut parts = s.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let (y, m, d) = (
        y.parse::<i32>().map_err(|_| bad())?,
        m.parse::<u8>().map_err(|_| bad())?,
        d.parse::<u8>().map_err(|_| bad())?,
    );
    let month = time::Month::try_from(m).map_err(|_| bad())?;
    let date = time::Date::from_calendar_date(y, month, d).map_err(|_| bad())?;
    Ok(date.midnight().assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::parse_as_of("1970-01-02"), Ok(86_400));
        assert_eq!(super::parse_as_of("1700000000"), Ok(1_700_000_000));
        assert!(super::parse_as_of("2026-02-30").is_err());
        assert!(super::parse_as_of("soon").is_err());
    }
}
