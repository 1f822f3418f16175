//! argon2id password hashing on a bounded pool of blocking workers: a burst of logins waits for a
//! worker instead of allocating argon2's memory all at once.

use super::Secret;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for HashParams {
    /// OWASP's first recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
    fn default() -> Self {
        HashParams {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl HashParams {
    /// Refuses parameters below OWASP's minimum (19 MiB × 2 passes, or 46 MiB × 1 pass, or an
    /// equivalent memory × passes product).
    pub fn check(&self) -> Result<(), String> {
        let work = u64::from(self.memory_kib) * u64::from(self.iterations);
        if self.memory_kib < 7 * 1024 || work < 19 * 1024 * 2 || self.parallelism == 0 {
            return Err(format!(
                "argon2id parameters m={} KiB t={} p={} are weaker than OWASP's minimum \
                 (m=19456 KiB t=2 p=1 or an equivalent m×t)",
                self.memory_kib, self.iterations, self.parallelism
            ));
        }
        Ok(())
    }

    fn argon2(&self) -> Result<Argon2<'static>, String> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| format!("argon2 parameters: {e}"))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// A hashing failure (`hash.busy` when the pool is shut, `hash.failed` otherwise).
#[derive(Debug)]
pub struct HashError(pub &'static str);

/// The hashing pool.
pub struct Hasher {
    params: HashParams,
    argon2: Argon2<'static>,
    workers: Arc<Semaphore>,
    dummy: String,
    waiting: AtomicI64,
}

impl Hasher {
    /// A pool of `workers` hashing threads with `params`.
    pub fn new(params: HashParams, workers: usize) -> Result<Hasher, String> {
        params.check()?;
        let argon2 = params.argon2()?;
        // What unknown usernames are verified against, so they cost what known ones cost.
        let mut random = [0u8; 32];
        getrandom::fill(&mut random).map_err(|e| format!("no OS randomness: {e}"))?;
        let dummy = argon2
            .hash_password(&random)
            .map_err(|e| format!("argon2: {e}"))?
            .to_string();
        Ok(Hasher {
            params,
            argon2,
            workers: Arc::new(Semaphore::new(workers.max(1))),
            dummy,
            waiting: AtomicI64::new(0),
        })
    }

    /// The parameters new hashes get.
    pub fn params(&self) -> HashParams {
        self.params
    }

    /// Requests waiting for a worker.
    pub fn waiting(&self) -> i64 {
        self.waiting.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Argon2<'static>) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let permit = self.workers.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        let permit = permit.map_err(|_| HashError("hash.busy"))?;
        let argon2 = self.argon2.clone();
        let out = tokio::task::spawn_blocking(move || {
            let out = work(argon2);
            drop(permit);
            out
        })
        .await
        .map_err(|_| HashError("hash.failed"))?;
        Ok(out)
    }

    /// A PHC string for `password` with a fresh salt.
    pub async fn hash(&self, password: &Secret) -> Result<String, HashError> {
        let password = password.clone();
        self.run(move |a| {
            a.hash_password(password.expose().as_bytes())
                .map(|h| h.to_string())
                .map_err(|_| HashError("hash.failed"))
        })
        .await?
    }

    /// Whether `password` matches `phc`; with `None` (unknown user) it verifies against a dummy
    /// hash so the answer takes the same time, and is always false.
    pub async fn verify(&self, password: &Secret, phc: Option<&str>) -> Result<bool, HashError> {
        let known = phc.is_some();
        let phc = phc.unwrap_or(&self.dummy).to_string();
        let password = password.clone();
        let matched = self
            .run(move |a| match PasswordHash::new(&phc) {
                Ok(h) => a.verify_password(password.expose().as_bytes(), &h).is_ok(),
                Err(_) => false,
            })
            .await?;
        Ok(known && matched)
    }

    /// Verifies `password` against several hashes (the history); true when any matches.
    pub async fn matches_any(
        &self,
        password: &Secret,
        hashes: &[String],
    ) -> Result<bool, HashError> {
        // One at a time: the pool's workers stay shared fairly with concurrent logins.
        for h in hashes {
            if self.verify(password, Some(h)).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether a stored hash was made with weaker parameters than the configured ones (it is
    /// re-hashed at the next successful login).
    pub fn needs_upgrade(&self, phc: &str) -> bool {
        let Ok(h) = PasswordHash::new(phc) else {
            return true;
        };
        if h.algorithm.as_str() != "argon2id" {
            return true;
        }
        match Params::try_from(&h) {
            Ok(p) => {
                p.m_cost() < self.params.memory_kib
                    || p.t_cost() < self.params.iterations
                    || p.p_cost() != self.params.parallelism
            }
            Err(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verify_upgrade() {
        let weak = HashParams {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        };
        let h = Hasher::new(weak, 2).unwrap();
        let pw = Secret::new("Matkhau@123".into());
        let phc = h.hash(&pw).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify(&pw, Some(&phc)).await.unwrap());
        assert!(!h
            .verify(&Secret::new("matkhau@123".into()), Some(&phc))
            .await
            .unwrap());
        assert!(!h.verify(&pw, None).await.unwrap());
        assert!(!h.needs_upgrade(&phc));
        let stronger = Hasher::new(
            HashParams {
                memory_kib: 19 * 1024,
                iterations: 3,
                parallelism: 1,
            },
            1,
        )
        .unwrap();
        assert!(stronger.needs_upgrade(&phc));
        assert!(HashParams {
            memory_kib: 4096,
            iterations: 1,
            parallelism: 1
        }
        .check()
        .is_err());
    }
}
