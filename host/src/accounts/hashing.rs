//! argon2id password hashing on a fixed pool of worker threads: a burst of logins queues for a
//! worker instead of allocating argon2's memory all at once, and the queue is bounded (when it is
//! full the answer is `503 hash.busy` at once, rather than one client's burst delaying everyone's
//! login). Dedicated threads (not the async
//! runtime's growing blocking pool) also bound what the allocator keeps: each worker reuses its
//! own block of argon2 memory.

use super::Secret;
use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version, ARGON2ID_IDENT};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

type Job = Box<dyn FnOnce(&mut Worker) + Send>;

/// Salt and output lengths of new hashes, in bytes.
const SALT_LEN: usize = 16;
const OUTPUT_LEN: usize = 32;

/// One hashing thread's state: argon2's working memory, allocated once and reused.
pub struct Worker {
    params: Params,
    memory: Vec<Block>,
}

impl Worker {
    fn new(params: Params) -> Worker {
        let memory = vec![Block::default(); params.block_count()];
        Worker { params, memory }
    }

    /// argon2id of `password` with `params` into `out` (memory grows only for a stored hash made
    /// with more memory than today's parameters).
    fn compute(
        &mut self,
        params: Params,
        password: &[u8],
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<(), argon2::Error> {
        let blocks = params.block_count();
        if self.memory.len() < blocks {
            self.memory.resize(blocks, Block::default());
        }
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params).hash_password_into_with_memory(
            password,
            salt,
            out,
            &mut self.memory[..blocks],
        )
    }

    /// A PHC string for `password` with a fresh random salt.
    fn hash(&mut self, password: &[u8]) -> Result<String, HashError> {
        let fail = |_| HashError::Failed;
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut salt).map_err(|_| HashError::Failed)?;
        let mut out = [0u8; OUTPUT_LEN];
        let params = self.params.clone();
        self.compute(params.clone(), password, &salt, &mut out)
            .map_err(|_| HashError::Failed)?;
        let phc = PasswordHash {
            algorithm: ARGON2ID_IDENT,
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(|_| HashError::Failed)?,
            salt: Some(Salt::new(&salt).map_err(fail)?),
            hash: Some(Output::new(&out).map_err(fail)?),
        };
        Ok(phc.to_string())
    }

    /// Whether `password` matches a stored argon2id PHC string (constant-time comparison).
    fn verify(&mut self, password: &[u8], phc: &str) -> bool {
        let Ok(h) = PasswordHash::new(phc) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (&h.salt, &h.hash) else {
            return false;
        };
        if h.algorithm != ARGON2ID_IDENT {
            return false;
        }
        let Ok(params) = Params::try_from(&h) else {
            return false;
        };
        let mut out = vec![0u8; expected.len()];
        if self
            .compute(params, password, salt.as_ref(), &mut out)
            .is_err()
        {
            return false;
        }
        // `Output`'s equality is constant-time.
        Output::new(&out).is_ok_and(|o| &o == expected)
    }
}

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

    fn argon2_params(&self) -> Result<Params, String> {
        Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| format!("argon2 parameters: {e}"))
    }
}

/// A hashing failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// The queue is full (or no worker takes jobs).
    #[error("every password-hashing worker is busy; try again in a moment")]
    Busy,
    /// argon2 or the randomness for a salt failed.
    #[error("password hashing failed")]
    Failed,
}

impl crate::code::Coded for HashError {
    fn code(&self) -> crate::code::Code {
        match self {
            HashError::Busy => crate::code::Code::HashBusy,
            HashError::Failed => crate::code::Code::HashFailed,
        }
    }
}

/// What a full queue does to a job.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Queue {
    Refuse,
    Wait,
}

/// The hashing pool.
pub struct Hasher {
    params: HashParams,
    jobs: mpsc::SyncSender<Job>,
    dummy: String,
    waiting: Arc<AtomicI64>,
    computed: prometheus_client::metrics::counter::Counter,
}

impl Hasher {
    /// A pool of `workers` hashing threads with `params`, and room for `queue` jobs waiting.
    pub fn new(params: HashParams, workers: usize, queue: usize) -> Result<Hasher, String> {
        params.check()?;
        let argon2_params = params.argon2_params()?;
        // What unknown usernames are verified against, so they cost what known ones cost.
        let mut random = [0u8; 32];
        getrandom::fill(&mut random).map_err(|e| format!("no OS randomness: {e}"))?;
        let dummy = Worker::new(argon2_params.clone())
            .hash(&random)
            .map_err(|e| format!("argon2: {e}"))?;
        let (jobs, receiver) = mpsc::sync_channel::<Job>(queue);
        let queue = Arc::new(Mutex::new(receiver));
        let waiting = Arc::new(AtomicI64::new(0));
        let computed = prometheus_client::metrics::counter::Counter::default();
        for n in 0..workers.max(1) {
            let queue = queue.clone();
            let argon2_params = argon2_params.clone();
            let waiting = waiting.clone();
            let computed = computed.clone();
            std::thread::Builder::new()
                .name(format!("matkhau-hash-{n}"))
                .spawn(move || {
                    let mut worker = Worker::new(argon2_params);
                    loop {
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else { return };
                        waiting.fetch_sub(1, Ordering::Relaxed);
                        job(&mut worker);
                        computed.inc();
                    }
                })
                .map_err(|e| format!("cannot start a hashing worker: {e}"))?;
        }
        Ok(Hasher {
            params,
            jobs,
            dummy,
            waiting,
            computed,
        })
    }

    /// Requests waiting for a worker.
    pub fn waiting(&self) -> i64 {
        self.waiting.load(Ordering::Relaxed)
    }

    /// argon2 computations done (hashes and verifications), for `/metrics`.
    pub fn computed(&self) -> prometheus_client::metrics::counter::Counter {
        self.computed.clone()
    }

    /// Queues `work`: refused at once when the queue is full (`Queue::Refuse`), or retried until
    /// there is room (`Queue::Wait`, for the service's own work: re-issues, leak intake).
    async fn run<T: Send + 'static>(
        &self,
        queue: Queue,
        work: impl FnOnce(&mut Worker) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let (done, answer) = tokio::sync::oneshot::channel();
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let mut job: Job = Box::new(move |worker| {
            let _ = done.send(work(worker));
        });
        loop {
            match self.jobs.try_send(job) {
                Ok(()) => break,
                Err(mpsc::TrySendError::Full(back)) if queue == Queue::Wait => {
                    job = back;
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
                Err(_) => {
                    self.waiting.fetch_sub(1, Ordering::Relaxed);
                    return Err(HashError::Busy);
                }
            }
        }
        answer.await.map_err(|_| HashError::Failed)
    }

    /// A PHC string for `password` with a fresh salt.
    pub async fn hash(&self, password: &Secret) -> Result<String, HashError> {
        self.hash_in(Queue::Refuse, password).await
    }

    /// [`Hasher::hash`], waiting for room in the queue instead of `hash.busy`.
    pub async fn hash_patiently(&self, password: &Secret) -> Result<String, HashError> {
        self.hash_in(Queue::Wait, password).await
    }

    async fn hash_in(&self, queue: Queue, password: &Secret) -> Result<String, HashError> {
        let password = password.clone();
        self.run(queue, move |w| w.hash(password.expose().as_bytes()))
            .await?
    }

    /// Whether `password` matches `phc`; with `None` (unknown user) it verifies against a dummy
    /// hash so the answer takes the same time, and is always false.
    pub async fn verify(&self, password: &Secret, phc: Option<&str>) -> Result<bool, HashError> {
        self.verify_in(Queue::Refuse, password, phc).await
    }

    /// [`Hasher::verify`], waiting for room in the queue instead of `hash.busy`.
    pub async fn verify_patiently(
        &self,
        password: &Secret,
        phc: Option<&str>,
    ) -> Result<bool, HashError> {
        self.verify_in(Queue::Wait, password, phc).await
    }

    async fn verify_in(
        &self,
        queue: Queue,
        password: &Secret,
        phc: Option<&str>,
    ) -> Result<bool, HashError> {
        let known = phc.is_some();
        let phc = phc.unwrap_or(&self.dummy).to_string();
        let password = password.clone();
        let matched = self
            .run(queue, move |w| w.verify(password.expose().as_bytes(), &phc))
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
        if h.algorithm != ARGON2ID_IDENT {
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

    #[test]
    fn compatible_with_the_argon2_crate() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let params = Params::new(19456, 2, 1, None).unwrap();
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let theirs = reference.hash_password(b"Matkhau@123").unwrap().to_string();
        let mut worker = Worker::new(params);
        assert!(worker.verify(b"Matkhau@123", &theirs));
        assert!(!worker.verify(b"matkhau@123", &theirs));
        let ours = worker.hash(b"Matkhau@123").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(reference.verify_password(b"Matkhau@123", &parsed).is_ok());
        assert!(reference.verify_password(b"Matkhau@124", &parsed).is_err());
        // A stored hash made with more memory still verifies (the buffer grows for it).
        let bigger = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(32768, 2, 1, None).unwrap(),
        );
        let old = bigger.hash_password(b"x-y-z").unwrap().to_string();
        assert!(worker.verify(b"x-y-z", &old));
    }

    #[tokio::test]
    async fn hash_verify_upgrade() {
        let weak = HashParams {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        };
        let h = Hasher::new(weak, 2, 8).unwrap();
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
            8,
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
