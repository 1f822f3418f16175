//! `matkhau report` and `GET /v1/admin/report`: the abnormal-account signals over a period.

use super::{Error, Service};
use crate::storage::signals::{Ending, LoginAfterLeak, ManyAddresses, NeverUsed};
use serde::Serialize;

const DAY: i64 = 86_400;
/// How far ahead the report lists accounts whose term ends.
const ENDING_DAYS: i64 = 30;

/// What to look for.
#[derive(Clone, Debug)]
pub struct Thresholds {
    /// The period, in days back from now.
    pub days: i64,
    /// Distinct addresses that make a key's failures abnormal.
    pub min_addresses: i64,
    /// Days after creation an account without any login is reported.
    pub never_used_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            days: 30,
            min_addresses: 5,
            never_used_days: 30,
        }
    }
}

/// The signals.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Signals {
    /// Start of the period (Unix seconds).
    pub since: i64,
    /// When the report was made.
    pub at: i64,
    /// Failed logins on one key from at least `min_addresses` addresses (credential stuffing,
    /// a leaked password being tried).
    pub failed_from_many_addresses: Vec<ManyAddresses>,
    /// Successful logins after the account was named in a leak report.
    pub logins_after_leak_report: Vec<LoginAfterLeak>,
    /// Accounts never logged in to, `never_used_days` after creation.
    pub never_used: Vec<NeverUsed>,
    /// Accounts whose term ends in the next 30 days (`valid_until`).
    pub ending_soon: Vec<Ending>,
}

impl Service {
    /// Collects the signals as of `now`.
    pub async fn signals(&self, t: &Thresholds, now: i64) -> Result<Signals, Error> {
        if t.days < 1 || t.min_addresses < 1 || t.never_used_days < 0 {
            return Err(Error::Invalid(
                "days and min_addresses must be at least 1, never_used_days at least 0".into(),
            ));
        }
        let since = now.saturating_sub(t.days.saturating_mul(DAY));
        Ok(Signals {
            since,
            at: now,
            failed_from_many_addresses: self
                .store
                .failures_from_many_addresses(since, t.min_addresses)
                .await?,
            logins_after_leak_report: self.store.logins_after_leak(since).await?,
            never_used: self
                .store
                .never_used(now.saturating_sub(t.never_used_days.saturating_mul(DAY)))
                .await?,
            ending_soon: self.store.ending(now, now + ENDING_DAYS * DAY).await?,
        })
    }
}
