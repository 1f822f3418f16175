//! Account lifecycle rules as pure functions of stored data and a `now` passed in (Unix seconds,
//! UTC). The host stores the data and acts on the decisions.

use crate::Policy;
pub use matkhau_abi::lifecycle::{
    AgeStatus, Failure, InactivityStatus, LockoutDecision, Similarity,
};

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
const MINUTE: i64 = 60;

/// Password age status; `max_age_days = 0` means passwords never expire.
pub fn password_age(changed_at: i64, now: i64, policy: &Policy) -> AgeStatus {
    if policy.max_age_days == 0 {
        return AgeStatus::Ok {
            days_left: i64::MAX,
        };
    }
    let expires = changed_at.saturating_add(i64::from(policy.max_age_days) * DAY);
    if now >= expires {
        return AgeStatus::Expired {};
    }
    let days_left = (expires - now) / DAY;
    if days_left < i64::from(policy.expiry_warning_days) {
        AgeStatus::Expiring { days_left }
    } else {
        AgeStatus::Ok { days_left }
    }
}

/// Organisation inactivity rule (regulation: no dossier filed for 6 months ⇒ temporary lock);
/// `org_inactivity_lock_days = 0` turns it off.
pub fn org_inactivity(last_activity: i64, now: i64, policy: &Policy) -> InactivityStatus {
    if policy.org_inactivity_lock_days == 0 {
        return InactivityStatus::Active {
            days_left: i64::MAX,
        };
    }
    let lock_at = last_activity.saturating_add(i64::from(policy.org_inactivity_lock_days) * DAY);
    if now >= lock_at {
        InactivityStatus::Lock {}
    } else {
        InactivityStatus::Active {
            days_left: (lock_at - now) / DAY,
        }
    }
}

/// Whether a temporary (issued) password issued at `issued_at` may still be used.
pub fn temporary_password_valid(issued_at: i64, now: i64, policy: &Policy) -> bool {
    now >= issued_at
        && now < issued_at.saturating_add(i64::from(policy.temporary_password_hours) * HOUR)
}

/// Whether a user may change their password again (minimum age between changes, so the history
/// cannot be cycled through). Forced changes (expired, weak, temporary, leaked) skip this rule.
pub fn change_allowed(last_change: i64, now: i64, policy: &Policy) -> Result<(), i64> {
    let allowed_at = last_change.saturating_add(i64::from(policy.min_age_hours) * HOUR);
    if now >= allowed_at {
        Ok(())
    } else {
        Err(allowed_at - now)
    }
}

/// How many previous password hashes to keep for the no-reuse rule.
pub fn history_to_keep(policy: &Policy) -> u32 {
    policy.history_depth
}

/// Failed-login lockout: distinct wrong passwords within the window; the same wrong password
/// repeated counts once. The lock starts at the failure that reached the threshold. Linear in
/// the failures given (one pass with a sliding window), whatever their number.
pub fn lockout(failures: &[Failure], now: i64, policy: &Policy) -> LockoutDecision {
    use std::collections::HashMap;
    let l = &policy.lockout;
    let window = i64::from(l.window_minutes) * MINUTE;
    let mut recent: Vec<&Failure> = failures.iter().filter(|f| f.at <= now).collect();
    recent.sort_by_key(|f| f.at);
    // Slide a window (f.at - window, f.at] over the failures, counting each fingerprint in it;
    // the last moment `max_failures` distinct ones fit in one window whose lock has not yet
    // lifted decides.
    let mut in_window: HashMap<&str, u32> = HashMap::new();
    let mut oldest = 0;
    let mut lock_until: Option<Option<i64>> = None;
    for (newest, f) in recent.iter().enumerate() {
        *in_window.entry(f.fingerprint.as_str()).or_insert(0) += 1;
        while oldest <= newest && f.at - recent[oldest].at >= window {
            let gone = recent[oldest].fingerprint.as_str();
            if let Some(n) = in_window.get_mut(gone) {
                *n -= 1;
                if *n == 0 {
                    in_window.remove(gone);
                }
            }
            oldest += 1;
        }
        if in_window.len() as u32 >= l.max_failures {
            let until = (l.lock_minutes > 0).then(|| f.at + i64::from(l.lock_minutes) * MINUTE);
            if until.is_none_or(|u| u > now) {
                lock_until = Some(until);
            }
        }
    }
    if let Some(until) = lock_until {
        return LockoutDecision::Locked { until };
    }
    let distinct: std::collections::HashSet<&str> = recent
        .iter()
        .rev()
        .take_while(|f| now - f.at < window)
        .map(|f| f.fingerprint.as_str())
        .collect();
    LockoutDecision::Allowed {
        remaining: l.max_failures.saturating_sub(distinct.len() as u32),
    }
}

/// Compares a candidate with the password it replaces (both given in clear by the user changing
/// it), so a forced change cannot be met by bumping a digit.
pub fn similarity(previous: &str, candidate: &str) -> Similarity {
    use crate::normalize::{fold, nfc};
    if nfc(previous) == nfc(candidate) {
        return Similarity::Same {};
    }
    let (p, c) = (fold(previous), fold(candidate));
    if p == c {
        return Similarity::Variant {};
    }
    let letters = |s: &str| {
        s.chars()
            .filter(|ch| ch.is_alphabetic())
            .collect::<String>()
    };
    let (lp, lc) = (letters(&p), letters(&c));
    if lp == lc && lp.chars().count() >= 4 {
        return Similarity::Variant {};
    }
    if edit_distance_at_most(&p, &c, 2) {
        return Similarity::Variant {};
    }
    Similarity::Different {}
}

/// Whether two strings are at most `k` single-character edits apart (banded Levenshtein).
fn edit_distance_at_most(a: &str, b: &str, k: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|m| *m > k) {
            return false;
        }
        prev = cur;
    }
    prev.last().is_some_and(|d| *d <= k)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_750_000_000;

    #[test]
    fn similar_passwords() {
        use Similarity::*;
        assert_eq!(similarity("Matkhau@1", "Matkhau@1"), Same {});
        assert_eq!(similarity("Matkhau@1", "Matkhau@2"), Variant {});
        assert_eq!(similarity("Matkhau@2025", "Matkhau#2026!"), Variant {});
        assert_eq!(similarity("Mật Khẩu 9!x", "mat khau 9!x"), Variant {});
        assert_eq!(
            similarity("Tr0ng-Dong#Xanh", "Tr0ng-Dong#Xanh12"),
            Variant {}
        );
        assert_eq!(similarity("Matkhau@1", "Bien-Xanh-Ca-Voi#7"), Different {});
        assert_eq!(similarity("q8#Lm2!v", "w4$Rt9&z"), Different {});
    }

    #[test]
    fn age() {
        let p = Policy::default();
        assert_eq!(password_age(T0, T0, &p), AgeStatus::Ok { days_left: 180 });
        assert_eq!(
            password_age(T0, T0 + 170 * DAY, &p),
            AgeStatus::Expiring { days_left: 10 }
        );
        assert_eq!(password_age(T0, T0 + 180 * DAY, &p), AgeStatus::Expired {});
        assert_eq!(
            password_age(T0, T0 + 166 * DAY, &p),
            AgeStatus::Ok { days_left: 14 }
        );
        assert_eq!(
            password_age(T0, T0 + 167 * DAY, &p),
            AgeStatus::Expiring { days_left: 13 }
        );
    }

    #[test]
    fn inactivity() {
        let p = Policy::default();
        assert_eq!(
            org_inactivity(T0, T0 + 179 * DAY, &p),
            InactivityStatus::Active { days_left: 1 }
        );
        assert_eq!(
            org_inactivity(T0, T0 + 180 * DAY, &p),
            InactivityStatus::Lock {}
        );
    }

    #[test]
    fn temporary() {
        let p = Policy::default();
        assert!(temporary_password_valid(T0, T0 + 71 * HOUR, &p));
        assert!(!temporary_password_valid(T0, T0 + 72 * HOUR, &p));
        assert!(!temporary_password_valid(T0, T0 - 1, &p));
    }

    #[test]
    fn min_age() {
        let p = Policy::default();
        assert_eq!(change_allowed(T0, T0 + HOUR, &p), Err(23 * HOUR));
        assert_eq!(change_allowed(T0, T0 + 24 * HOUR, &p), Ok(()));
    }

    fn f(at: i64, fp: &str) -> Failure {
        Failure {
            at,
            fingerprint: fp.into(),
        }
    }

    /// The quadratic algorithm `lockout` replaced: the linear one must agree with it.
    fn lockout_reference(failures: &[Failure], now: i64, policy: &Policy) -> LockoutDecision {
        let l = &policy.lockout;
        let window = i64::from(l.window_minutes) * MINUTE;
        let mut recent: Vec<&Failure> = failures.iter().filter(|f| f.at <= now).collect();
        recent.sort_by_key(|f| f.at);
        // Slide over the failures; the first moment `max_failures` distinct ones fit in one window
        // whose lock has not yet lifted decides.
        let mut lock_until: Option<Option<i64>> = None;
        for (k, f) in recent.iter().enumerate() {
            let mut seen: Vec<&str> = Vec::new();
            for g in recent[..=k]
                .iter()
                .rev()
                .take_while(|g| f.at - g.at < window)
            {
                if !seen.contains(&g.fingerprint.as_str()) {
                    seen.push(&g.fingerprint);
                }
            }
            if seen.len() as u32 >= l.max_failures {
                let until = (l.lock_minutes > 0).then(|| f.at + i64::from(l.lock_minutes) * MINUTE);
                if until.is_none_or(|u| u > now) {
                    lock_until = Some(until);
                }
            }
        }
        if let Some(until) = lock_until {
            return LockoutDecision::Locked { until };
        }
        let mut seen: Vec<&str> = Vec::new();
        for f in recent.iter().rev().take_while(|f| now - f.at < window) {
            if !seen.contains(&f.fingerprint.as_str()) {
                seen.push(&f.fingerprint);
            }
        }
        LockoutDecision::Allowed {
            remaining: l.max_failures.saturating_sub(seen.len() as u32),
        }
    }

    #[test]
    fn the_linear_lockout_agrees_with_the_quadratic_one() {
        // A deterministic stream of failures: few fingerprints, bursts and gaps, ties in time.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for round in 0..400 {
            let mut p = Policy::default();
            p.lockout.max_failures = 1 + next(6) as u32;
            // 0 too: `lockout` is public, whatever a policy file may say.
            p.lockout.window_minutes = next(20) as u32;
            p.lockout.lock_minutes = next(40) as u32;
            let mut at = T0;
            let failures: Vec<Failure> = (0..next(40))
                .map(|_| {
                    at += [0, 1, 30, 400, 2000][next(5) as usize];
                    f(at, &next(4 + round % 5).to_string())
                })
                .collect();
            for now in [at, at + 60, at + 900, at + 3600] {
                assert_eq!(
                    lockout(&failures, now, &p),
                    lockout_reference(&failures, now, &p),
                    "round {round}, now {now}"
                );
            }
        }
    }

    #[test]
    fn lockout_counts_distinct_passwords() {
        let p = Policy::default();
        let same: Vec<Failure> = (0..10).map(|i| f(T0 + i, "x")).collect();
        assert_eq!(
            lockout(&same, T0 + 20, &p),
            LockoutDecision::Allowed { remaining: 4 }
        );
        let distinct: Vec<Failure> = (0..5).map(|i| f(T0 + i, &i.to_string())).collect();
        assert_eq!(
            lockout(&distinct, T0 + 10, &p),
            LockoutDecision::Locked {
                until: Some(T0 + 4 + 30 * MINUTE)
            }
        );
        assert_eq!(
            lockout(&distinct, T0 + 4 + 30 * MINUTE, &p),
            LockoutDecision::Allowed { remaining: 5 }
        );
        let spread: Vec<Failure> = (0..5)
            .map(|i| f(T0 + i * 10 * MINUTE, &i.to_string()))
            .collect();
        assert!(matches!(
            lockout(&spread, T0 + 41 * MINUTE, &p),
            LockoutDecision::Allowed { .. }
        ));
        let mut admin = p.clone();
        admin.lockout.lock_minutes = 0;
        assert_eq!(
            lockout(&distinct, T0 + 999 * DAY, &admin),
            LockoutDecision::Locked { until: None }
        );
    }
}
