//! A replica's in-memory snapshot of the leaked-password blocklist, for the advisory
//! `/v1/check`: one database query per request would cap it at the database's round trips (on
//! SQLite's single connection, 6,000 → 2,400 checks/s). Registration, change and login ask the
//! database itself, so the decisions that store something never rely on the snapshot.
//!
//! The snapshot catches up at most every [`REFRESH`]. Rows are never deleted and their keys are
//! unique, so the snapshot is complete exactly when it holds as many keys as the table has rows:
//! a refresh first counts them (nothing else is read when nothing was added), then reads the rows
//! reported since its newest row less [`SLACK`] (a report's transaction may commit a while after
//! the time it records), and when the count still differs (an import that ran longer than the
//! slack) reads them all. So a password reported through another replica is refused by this
//! one's `/v1/check` within about two seconds. Keys are held as their first 128 bits.

use crate::storage::{Store, StoreError};
use std::collections::HashSet;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How old the snapshot may get before a lookup refreshes it.
pub const REFRESH: Duration = Duration::from_secs(2);
/// How far before its newest row the snapshot re-reads (seconds).
pub const SLACK: i64 = 3600;

/// The snapshot (see the module's documentation).
#[derive(Default)]
pub struct Snapshot {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    keys: HashSet<u128>,
    /// Rows read: the keys held (distinct 256-bit keys sharing 128 bits is a 2^-64 chance at
    /// 2^32 rows, so the two counts are equal).
    rows: i64,
    newest: i64,
    refreshed: Option<Instant>,
}

impl State {
    fn add(&mut self, rows: Vec<(String, i64)>) {
        for (k, at) in rows {
            if let Some(k) = short(&k) {
                self.keys.insert(k);
            }
            self.newest = self.newest.max(at);
        }
        self.rows = self.keys.len() as i64;
    }
}

/// The first 128 bits of a hex key (the blocklist's keys are 256-bit HMACs).
fn short(key: &str) -> Option<u128> {
    u128::from_str_radix(key.get(..32)?, 16).ok()
}

impl Snapshot {
    /// Whether `key` is in the blocklist, as of at most [`REFRESH`] ago.
    pub async fn contains(&self, store: &Store, key: &str) -> Result<bool, StoreError> {
        let mut state = self.state.lock().await;
        if state.refreshed.is_none_or(|t| t.elapsed() >= REFRESH) {
            let count = store.reported_count().await?;
            if state.rows != count {
                let since = state.newest - SLACK;
                state.add(store.reported_since(since).await?);
                if state.rows != count {
                    state.add(store.reported_since(i64::MIN).await?);
                }
            }
            state.refreshed = Some(Instant::now());
        }
        Ok(short(key).is_some_and(|k| state.keys.contains(&k)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_shortened_or_refused() {
        let key = "00112233445566778899aabbccddeeff".repeat(2);
        assert_eq!(super::short(&key), Some(0x00112233445566778899aabbccddeeff));
        assert_eq!(super::short("abc"), None);
        assert_eq!(super::short(&"zz".repeat(32)), None);
    }
}
