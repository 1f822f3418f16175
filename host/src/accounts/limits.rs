//! How many password attempts (each costs an argon2 verification or hash) a client address and a
//! login key may make, enforced before any hashing and exact under concurrency:
//!
//! - token buckets per address (every login, change and registration) and per login key (every
//!   login and change, successful or not), refused with `429 request.throttled`;
//! - one attempt per login key at a time (per replica), so the lockout decision of one attempt
//!   always sees the failures of those before it;
//! - the failed-login limit per address counts the failures committed in the database and the
//!   attempts under way (reserved before hashing), so a burst cannot outrun it.

use super::{Config, Error};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::num::NonZeroU32;
use std::sync::Mutex;

/// Stripes of the per-key serialisation (keys share a stripe by hash; a collision only makes two
/// keys wait for each other).
const STRIPES: usize = 1024;

/// The limits and the state they keep.
pub struct Limits {
    address_rate: Option<DefaultKeyedRateLimiter<String>>,
    key_rate: Option<DefaultKeyedRateLimiter<String>>,
    stripes: Box<[tokio::sync::Mutex<()>]>,
    /// Keyed per process, so no one can choose names that share a stripe with another's.
    stripe_hash: std::collections::hash_map::RandomState,
    in_flight: Mutex<InFlight>,
}

/// The attempts under way per address, and how many ended per stripe of addresses.
#[derive(Default)]
struct InFlight {
    running: HashMap<String, i64>,
    /// Reservations given back, per stripe (by address hash). An attempt gives its reservation
    /// back after its failure is committed: a count of committed failures read before that may
    /// miss it, so the reservations given back since the read are counted as committed too.
    ended: Vec<u64>,
}

/// Where an attempt stood before the address's committed failures were read (see
/// [`Limits::before_count`]).
pub struct Ticket {
    stripe: usize,
    ended: u64,
}

/// One attempt from an address under way; given back when dropped.
pub struct Reserved<'a> {
    limits: &'a Limits,
    address: String,
}

impl Drop for Reserved<'_> {
    fn drop(&mut self) {
        let mut in_flight = self.limits.lock_in_flight();
        if let Some(n) = in_flight.running.get_mut(&self.address) {
            *n -= 1;
            if *n <= 0 {
                in_flight.running.remove(&self.address);
            }
        }
        in_flight.ended[self.limits.stripe_of(&self.address)] += 1;
    }
}

fn bucket(per_minute: u32, burst: u32) -> Option<DefaultKeyedRateLimiter<String>> {
    let rate = NonZeroU32::new(per_minute)?;
    let burst = NonZeroU32::new(burst).unwrap_or(rate);
    Some(RateLimiter::keyed(
        Quota::per_minute(rate).allow_burst(burst),
    ))
}

impl Limits {
    /// The limits of `config` (a rate of 0 turns its bucket off).
    pub fn new(config: &Config) -> Limits {
        Limits {
            address_rate: bucket(config.address_rate_per_minute, config.address_burst),
            key_rate: bucket(config.account_rate_per_minute, config.account_burst),
            stripes: (0..STRIPES).map(|_| tokio::sync::Mutex::new(())).collect(),
            stripe_hash: std::collections::hash_map::RandomState::new(),
            in_flight: Mutex::new(InFlight {
                running: HashMap::new(),
                ended: vec![0; STRIPES],
            }),
        }
    }

    fn stripe_of(&self, key: &str) -> usize {
        (self.stripe_hash.hash_one(key) as usize) % STRIPES
    }

    fn lock_in_flight(&self) -> std::sync::MutexGuard<'_, InFlight> {
        self.in_flight.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes one attempt from the address's bucket and, for a login or change, from the key's.
    pub fn take(&self, address: &str, key: Option<&str>) -> Result<(), Error> {
        let refused = |limiter: &DefaultKeyedRateLimiter<String>, k: &str| {
            limiter.check_key(&k.to_string()).err().map(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Error::RateLimited {
                    retry_after: wait.as_secs() as i64 + 1,
                }
            })
        };
        if let Some(e) = self.address_rate.as_ref().and_then(|l| refused(l, address)) {
            return Err(e);
        }
        if let Some(e) = key.and_then(|k| self.key_rate.as_ref().and_then(|l| refused(l, k))) {
            return Err(e);
        }
        Ok(())
    }

    /// Waits until no other attempt for `key` is under way in this replica.
    pub async fn one_at_a_time(&self, key: &str) -> tokio::sync::MutexGuard<'_, ()> {
        self.stripes[self.stripe_of(key)].lock().await
    }

    /// To be taken just before the committed failures of `address` are read for [`reserve`].
    ///
    /// [`reserve`]: Limits::reserve
    pub fn before_count(&self, address: &str) -> Ticket {
        let stripe = self.stripe_of(address);
        Ticket {
            stripe,
            ended: self.lock_in_flight().ended[stripe],
        }
    }

    /// Reserves one attempt from `address`, refused when the failures it has committed (read
    /// after `ticket` was taken), the attempts that ended since, and those under way reach `max`.
    pub fn reserve(
        &self,
        address: &str,
        ticket: Ticket,
        committed: i64,
        max: i64,
    ) -> Option<Reserved<'_>> {
        let mut in_flight = self.lock_in_flight();
        let ended_since = (in_flight.ended[ticket.stripe] - ticket.ended) as i64;
        let n = in_flight.running.entry(address.to_string()).or_insert(0);
        if committed + ended_since + *n >= max {
            if *n == 0 {
                in_flight.running.remove(address);
            }
            return None;
        }
        *n += 1;
        Some(Reserved {
            limits: self,
            address: address.to_string(),
        })
    }

    /// Forgets the buckets of addresses and keys that are full again (bounded memory).
    pub fn forget_idle(&self) {
        for limiter in [&self.address_rate, &self.key_rate].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_count_until_given_back() {
        let limits = Limits::new(&Config::default());
        let reserve = |address, committed| {
            let ticket = limits.before_count(address);
            limits.reserve(address, ticket, committed, 50)
        };
        let a = reserve("10.0.0.1", 48).expect("room for one");
        let b = reserve("10.0.0.1", 48).expect("room for another");
        assert!(reserve("10.0.0.1", 48).is_none(), "two under way fill it");
        assert!(
            reserve("10.0.0.2", 48).is_some(),
            "other addresses are apart"
        );
        drop(a);
        assert!(reserve("10.0.0.1", 48).is_some());
        drop(b);
        assert!(!limits.lock_in_flight().running.contains_key("10.0.0.1"));
    }

    #[test]
    fn an_attempt_that_ends_during_the_count_is_not_missed() {
        let limits = Limits::new(&Config::default());
        let running = limits.before_count("10.0.0.1");
        let running = limits.reserve("10.0.0.1", running, 0, 2).unwrap();
        // Another attempt reads the committed failures (0) before the running one commits its
        // failure and gives its reservation back.
        let ticket = limits.before_count("10.0.0.1");
        drop(running);
        assert!(limits.reserve("10.0.0.1", ticket, 0, 1).is_none());
        let ticket = limits.before_count("10.0.0.1");
        assert!(limits.reserve("10.0.0.1", ticket, 1, 2).is_some());
    }

    #[test]
    fn buckets_refuse_past_their_burst() {
        let config = Config {
            account_rate_per_minute: 10,
            account_burst: 3,
            ..Config::default()
        };
        let limits = Limits::new(&config);
        for _ in 0..3 {
            limits.take("a", Some("annv")).unwrap();
        }
        let e = limits.take("b", Some("annv")).unwrap_err();
        assert!(matches!(e, Error::RateLimited { retry_after } if retry_after >= 1));
        assert!(limits.take("b", Some("other")).is_ok());
    }
}
