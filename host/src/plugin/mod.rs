//! The policy plug-in runtime: `matkhau-plugin` (or an operator's replacement) loaded into wasmtime.
//!
//! - **Load** ([`Plugin::load`]): size cap and optional SHA-256 pin; imports and exports checked
//!   against the ABI (`shape`); the module pre-initialised with Wizer and compiled once (`snapshot`,
//!   with an on-disk cache of the compiled result); then the known-answer checks (`self_check`).
//! - **Call** (`call`, `pool`, `limits`): a warm instance from a pool runs one typed request
//!   (`matkhau_abi`) under an epoch deadline and a memory limit, and its answer is read as the
//!   ABI type of that operation. Instances are created from the pre-initialised module (tens of
//!   microseconds, no table building), reused while they behave, and dropped after any trap,
//!   timeout or malformed answer, so one bad call never affects the next.
//! - **Swap** ([`Engine`]): the active plug-in sits behind an atomic pointer; a reload loads and
//!   checks the new one first, then swaps, and calls in flight finish on the old one.
//!
//! The contract with the module is `plugin/ABI.md`, as types in `matkhau-abi`.

mod call;
mod engine;
mod error;
mod limits;
mod pool;
mod runtime;
mod self_check;
mod shape;
mod snapshot;

pub use engine::{Engine, Source};
pub use error::{CallError, LoadError};
pub use limits::Limits;
pub use runtime::{Runtime, State};
pub use shape::Item;
pub use snapshot::Cache;

use crate::digest::sha256_hex;
use matkhau_abi::Description;
use serde_json::value::RawValue;
use std::sync::atomic::AtomicU64;
use std::sync::{Condvar, Mutex};
use wasmtime::{InstancePre, Module};

/// The plug-in built from `plugin/` by `build.rs` and embedded in this binary.
pub const EMBEDDED: &[u8] = include_bytes!(env!("MATKHAU_PLUGIN_WASM"));

/// Largest plug-in file accepted.
pub const MAX_PLUGIN_BYTES: usize = 64 << 20;

/// What `matkhau plugin inspect` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Info {
    /// Where it came from: `embedded` or a file path.
    pub source: String,
    /// SHA-256 of the module file, hex.
    pub sha256: String,
    /// File size in bytes.
    pub size: usize,
    /// ABI version it reports.
    pub abi_version: u32,
    /// Version of matkhau-core inside.
    pub core_version: String,
    /// Id of the active policy (the plug-in's default or the host's policy file).
    pub policy_id: String,
    /// Digest of the active policy.
    pub policy_digest: String,
    /// Imports.
    pub imports: Vec<Item>,
    /// Exports.
    pub exports: Vec<Item>,
    /// Whether the compiled module came from the cache.
    pub from_cache: bool,
}

/// Counters for metrics.
#[derive(Debug, Default)]
pub struct Stats {
    /// Calls completed (any outcome).
    pub calls: AtomicU64,
    /// Calls that failed (trap, timeout, memory, bad response, busy).
    pub failures: AtomicU64,
    /// Instances created.
    pub instances: AtomicU64,
}

/// Options for loading a plug-in.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Refuse the module unless its SHA-256 (hex) is this.
    pub expected_sha256: Option<String>,
    /// Policy JSON sent with every request (the host's `--policy` file); `None` = the plug-in's
    /// default policy.
    pub policy: Option<String>,
    /// Call limits.
    pub limits: Limits,
}

/// A loaded, checked plug-in with its pool of warm instances.
pub struct Plugin {
    info: Info,
    description: Description,
    pre: InstancePre<State>,
    engine: wasmtime::Engine,
    limits: Limits,
    policy: Option<Box<RawValue>>,
    pool: Mutex<pool::Pool>,
    freed: Condvar,
    /// Counters.
    pub stats: Stats,
}

impl Plugin {
    /// Loads, pre-initialises, compiles (or takes from the cache) and self-checks a plug-in.
    pub fn load(
        runtime: &Runtime,
        wasm: &[u8],
        source: &str,
        options: &LoadOptions,
    ) -> Result<Plugin, LoadError> {
        if wasm.len() > MAX_PLUGIN_BYTES {
            return Err(LoadError::TooLarge {
                size: wasm.len(),
                limit: MAX_PLUGIN_BYTES,
            });
        }
        let sha256 = sha256_hex(wasm);
        if let Some(expected) = &options.expected_sha256 {
            if !expected.eq_ignore_ascii_case(sha256.as_str()) {
                return Err(LoadError::DigestMismatch {
                    expected: expected.clone(),
                    actual: sha256,
                });
            }
        }
        let policy =
            match &options.policy {
                None => None,
                Some(text) => Some(RawValue::from_string(text.clone()).map_err(|_| {
                    LoadError::PolicyInvalid {
                        field: String::new(),
                        reason: "the policy file is not JSON".into(),
                    }
                })?),
            };
        let shape = shape::check(wasm)?;
        let engine = &runtime.engine;
        let cached = runtime.cache.as_ref().and_then(|c| c.get(engine, &sha256));
        let from_cache = cached.is_some();
        let module = match cached {
            Some(m) => m,
            None => {
                let snapshot = snapshot::preinitialize(engine, &runtime.linker, wasm)?;
                let module = Module::new(engine, &snapshot).map_err(|e| {
                    LoadError::Init(format!("the pre-initialised module does not compile: {e}"))
                })?;
                if let Some(cache) = &runtime.cache {
                    if let Err(e) = cache.put(engine, &sha256, &module) {
                        eprintln!("matkhau: plug-in cache not written: {e}");
                    }
                }
                module
            }
        };
        let pre = runtime
            .linker
            .instantiate_pre(&module)
            .map_err(|e| LoadError::Imports(e.to_string()))?;
        let mut plugin = Plugin {
            info: Info {
                source: source.to_string(),
                sha256,
                size: wasm.len(),
                abi_version: 0,
                core_version: String::new(),
                policy_id: String::new(),
                policy_digest: String::new(),
                imports: shape.imports,
                exports: shape.exports,
                from_cache,
            },
            description: Description {
                abi: 0,
                core_version: String::new(),
                policy: matkhau_abi::Policy::default(),
                policy_digest: String::new(),
                codes: Vec::new(),
            },
            pre,
            engine: engine.clone(),
            limits: options.limits,
            policy,
            pool: Mutex::new(pool::Pool::default()),
            freed: Condvar::new(),
            stats: Stats::default(),
        };
        let mut warm = plugin
            .instantiate()
            .map_err(|e| LoadError::Init(e.to_string()))?;
        let version = warm
            .abi_version
            .call(&mut warm.store, ())
            .map_err(|e| LoadError::AbiVersion(format!("matkhau_abi_version trapped: {e}")))?;
        if version != matkhau_abi::ABI_VERSION {
            return Err(LoadError::AbiVersion(format!(
                "the plug-in speaks ABI version {version}; this host speaks {}",
                matkhau_abi::ABI_VERSION
            )));
        }
        plugin.adopt(warm);
        let d = plugin.self_check()?;
        plugin.info.abi_version = d.abi;
        plugin.info.core_version = d.core_version.clone();
        plugin.info.policy_id = d.policy.id.clone();
        plugin.info.policy_digest = d.policy_digest.clone();
        plugin.description = d;
        Ok(plugin)
    }

    /// Its description.
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// The plug-in's `describe` answer (ABI version, core version, policy, its digest, codes),
    /// as checked at load (it depends only on the module and its policy).
    pub fn description(&self) -> &Description {
        &self.description
    }
}
