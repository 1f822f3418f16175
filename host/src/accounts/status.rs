//! What the service says about itself: the policy it enforces (for the pages and the widget),
//! its health, plug-in reloads, and the gauges of `/metrics`.

use super::{Error, Service};
use crate::breach::Sha1Hash;
use crate::code::Coded;
use crate::plugin::{LoadError, Source};
use crate::storage::audit::AuditEntry;
use crate::text_enum::text_enum;
use matkhau_abi::Policy;
use serde::Serialize;
use std::sync::atomic::Ordering;

/// `GET /v1/policy`: the plug-in's description, which plug-in it is, and what breach screening
/// the host offers the pages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublishedPolicy {
    /// The ABI version the plug-in speaks.
    pub abi: u32,
    /// The engine's version inside the plug-in.
    pub core_version: String,
    /// The policy, complete (what the browser enforces).
    #[schema(value_type = Object)]
    pub policy: Policy,
    /// SHA-256 of the policy's canonical JSON.
    pub policy_digest: String,
    /// Every code a verdict can hold.
    pub codes: Vec<String>,
    /// The plug-in.
    pub plugin: PluginSummary,
    /// Breach screening.
    pub breach: BreachSupport,
}

/// Which plug-in decides.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PluginSummary {
    /// SHA-256 of the module.
    pub sha256: String,
    /// Its ABI version.
    pub abi_version: u32,
    /// The engine's version inside.
    pub core_version: String,
}

/// What breach screening the host offers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BreachSupport {
    /// The host screens passwords against a corpus.
    pub corpus: bool,
    /// Pages can screen candidates by k-anonymity ranges (`GET /v1/breach/range/…`).
    pub range: bool,
}

text_enum! {
    /// Whether the service can answer.
    pub enum Readiness {
        /// Everything answers.
        Ok = "ok",
        /// The database does not answer or does not take writes.
        Degraded = "degraded",
    }
}

text_enum! {
    /// Whether the database answers and takes writes.
    pub enum DatabaseState {
        /// It answers and takes a write.
        Ok = "ok",
        /// It answers reads but refuses writes (a full disk, a read-only file or mount): no
        /// login can be recorded, so failed logins would not count.
        CannotWrite = "cannot_write",
        /// It does not answer.
        Unavailable = "unavailable",
    }
}

/// `GET /healthz`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `degraded` when the database does not answer or does not take writes.
    pub status: Readiness,
    /// The database.
    pub database: DatabaseState,
    /// The active plug-in's SHA-256.
    pub plugin_sha256: String,
    /// The active policy's id.
    pub policy_id: String,
    /// Plug-in reloads since start.
    pub reloads: u64,
}

impl Health {
    /// Whether everything answers.
    pub fn ok(&self) -> bool {
        self.status == Readiness::Ok
    }
}

/// The answer to a plug-in reload.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reloaded {
    /// Where the plug-in came from.
    pub source: String,
    /// Its SHA-256.
    pub sha256: String,
    /// The policy's id.
    pub policy_id: String,
    /// The policy's digest.
    pub policy_digest: String,
}

/// A page of the audit log.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// Entries, oldest first.
    pub entries: Vec<AuditEntry>,
    /// Pass as `after` for the next page (absent on the last page).
    pub next: Option<i64>,
}

impl Service {
    /// The policy the plug-in enforces, for pages and widgets (one plug-in for every half, so
    /// the policy and the SHA-256 always belong together).
    pub fn published_policy(&self) -> PublishedPolicy {
        let plugin = self.engine.plugin();
        let (d, info) = (plugin.description(), plugin.info());
        let corpus = self.breach.as_deref();
        PublishedPolicy {
            abi: d.abi,
            core_version: d.core_version.clone(),
            policy: d.policy.clone(),
            policy_digest: d.policy_digest.clone(),
            codes: d.codes.clone(),
            plugin: PluginSummary {
                sha256: info.sha256.clone(),
                abi_version: info.abi_version,
                core_version: info.core_version.clone(),
            },
            breach: BreachSupport {
                corpus: corpus.is_some(),
                range: corpus.is_some_and(|c| c.has_ranges()),
            },
        }
    }

    /// The database's state: a read and a small write, at most once a second (the answer is
    /// kept that long, so probes cannot be used to load the database).
    async fn database_state(&self) -> DatabaseState {
        const FRESH: std::time::Duration = std::time::Duration::from_secs(1);
        if let Some((at, state)) = *self.health_probe.lock().expect("health cache") {
            if at.elapsed() < FRESH {
                return state;
            }
        }
        // One probe at a time: a request that finds one under way answers with the last state.
        let Ok(_probing) = self.health_probing.try_lock() else {
            return (*self.health_probe.lock().expect("health cache"))
                .map_or(DatabaseState::Ok, |(_, state)| state);
        };
        let state = if !self.store.ping().await {
            DatabaseState::Unavailable
        } else {
            match self.store.probe_write().await {
                Ok(()) => DatabaseState::Ok,
                Err(e) => {
                    eprintln!("matkhau: health: {}", e.describe());
                    DatabaseState::CannotWrite
                }
            }
        };
        *self.health_probe.lock().expect("health cache") = Some((std::time::Instant::now(), state));
        state
    }

    /// Liveness and readiness: the database answers and takes writes, which plug-in is active.
    pub async fn health(&self) -> Health {
        let database = self.database_state().await;
        let plugin = self.engine.plugin();
        Health {
            status: match database {
                DatabaseState::Ok => Readiness::Ok,
                _ => Readiness::Degraded,
            },
            database,
            plugin_sha256: plugin.info().sha256.clone(),
            policy_id: plugin.info().policy_id.clone(),
            reloads: self.reloads.load(Ordering::Relaxed),
        }
    }

    /// Loads and checks the plug-in from `source` (pinned to `pin`), then swaps it in; calls in
    /// flight finish on the old one, and a refused plug-in leaves the active one in place.
    /// Blocking (it compiles): run it off the async workers.
    pub fn reload_plugin(
        &self,
        source: &Source,
        pin: Option<String>,
    ) -> Result<Reloaded, LoadError> {
        let plugin = self.engine.reload(source, pin)?;
        self.reloads.fetch_add(1, Ordering::Relaxed);
        let info = plugin.info();
        Ok(Reloaded {
            source: info.source.clone(),
            sha256: info.sha256.clone(),
            policy_id: info.policy_id.clone(),
            policy_digest: info.policy_digest.clone(),
        })
    }

    /// Every hash of the breach corpus in a 5-hex range, with its count (the k-anonymity range
    /// endpoint).
    pub async fn breach_range(&self, prefix: u32) -> Result<Vec<(Sha1Hash, u32)>, Error> {
        let corpus = match &self.breach {
            Some(c) if c.has_ranges() => c.clone(),
            Some(_) => {
                return Err(Error::BreachUnavailable(
                    "the corpus was imported without ranges",
                ))
            }
            None => return Err(Error::BreachUnavailable("no breach corpus is configured")),
        };
        tokio::task::spawn_blocking(move || corpus.range(prefix))
            .await
            .map_err(|_| Error::Internal("the range read was abandoned"))?
            .map_err(Error::from)
    }

    /// Forgets the attempt buckets of addresses and keys that are full again (run now and then:
    /// their memory stays bounded).
    pub fn forget_idle(&self) {
        self.limits.forget_idle();
    }

    /// Requests waiting for a hashing worker.
    pub fn hash_waiting(&self) -> i64 {
        self.hasher.waiting()
    }

    /// argon2id computations done.
    pub fn hash_counter(&self) -> prometheus_client::metrics::counter::Counter {
        self.hasher.computed()
    }

    /// Live plug-in instances.
    pub fn plugin_instances(&self) -> usize {
        self.engine.plugin().live_instances()
    }

    /// One line for the start-up banner: the plug-in, the database and where mail goes.
    pub fn describe(&self) -> String {
        let plugin = self.engine.plugin();
        let info = plugin.info();
        format!(
            "policy plug-in {} (sha256 {}, policy {}); database {:?}; mail to {}",
            info.source,
            info.sha256,
            info.policy_id,
            self.store.dialect(),
            self.mailer.describe(),
        )
    }

    /// The audit log after entry `after`, oldest first, at most `limit` (1–1000) entries,
    /// optionally of one account.
    pub async fn audit_page(
        &self,
        username: Option<&str>,
        after: i64,
        limit: i64,
    ) -> Result<AuditPage, Error> {
        if let Some(u) = username {
            super::check_username_input(u)?;
        }
        let limit = limit.clamp(1, 1000);
        let entries = self.store.audit_entries(username, after, limit).await?;
        let next = (entries.len() as i64 == limit)
            .then(|| entries.last().map(|e| e.id))
            .flatten();
        Ok(AuditPage { entries, next })
    }
}
