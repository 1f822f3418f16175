//! The policy plug-in runtime: `matkhau-plugin` (or an operator's replacement) loaded into wasmtime.
//!
//! - **Load** ([`Plugin::load`]): size cap and optional SHA-256 pin; imports and exports checked
//!   against the ABI (`shape`); the module pre-initialised with Wizer and compiled once (`snapshot`,
//!   with an on-disk cache of the compiled result); then a self-check through the real call path.
//! - **Call** ([`Plugin::call`]): a warm instance from a pool runs one JSON request under an epoch
//!   deadline and a memory limit. Instances are created from the pre-initialised module (tens of
//!   microseconds, no table building), reused while they behave, and dropped after any trap,
//!   timeout or malformed answer, so one bad call never affects the next.
//! - **Swap** ([`Engine`]): the active plug-in sits behind an atomic pointer; a reload loads and
//!   checks the new one first, then swaps, and calls in flight finish on the old one.
//!
//! The contract with the module is `plugin/ABI.md`.

mod engine;
mod shape;
mod snapshot;

pub use engine::{unix_now, Answer, Engine, Refusal, Source};
pub use shape::Item;
pub use snapshot::Cache;

use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use wasmtime::{
    Config, InstancePre, Linker, Memory, Module, ResourceLimiter, Store, Trap, TypedFunc,
};

/// The ABI version this host speaks.
pub const ABI_VERSION: u32 = 1;

/// The plug-in built from `plugin/` by `build.rs` and embedded in this binary.
pub const EMBEDDED: &[u8] = include_bytes!(env!("MATKHAU_PLUGIN_WASM"));

/// Epoch tick of the deadline timer.
const TICK_MS: u64 = 5;

/// Largest plug-in file accepted.
pub const MAX_PLUGIN_BYTES: usize = 64 << 20;

/// Limits applied to every call.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Linear memory one instance may grow to.
    pub memory_bytes: usize,
    /// Wall-clock budget of one call (checked at epoch ticks of 5 ms).
    pub call_timeout: Duration,
    /// Largest request accepted, in bytes.
    pub max_request: usize,
    /// Largest response accepted, in bytes.
    pub max_response: usize,
    /// Most instances alive at once (each holds the plug-in's memory, ~20 MiB for ours).
    pub max_instances: usize,
    /// An instance is retired after this many calls, and when its memory has grown this much
    /// past the snapshot, so fragmentation or a leak cannot build up.
    pub recycle_after_calls: u64,
    /// See `recycle_after_calls`.
    pub recycle_growth_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            memory_bytes: 256 << 20,
            call_timeout: Duration::from_millis(1000),
            max_request: 1 << 20,
            max_response: 4 << 20,
            max_instances: 2 * cores,
            recycle_after_calls: 100_000,
            recycle_growth_bytes: 32 << 20,
        }
    }
}

/// Why a plug-in was refused. `code` is stable; `message` is for operators.
#[derive(Debug, Clone)]
pub struct LoadError {
    /// Stable code: `plugin.read`, `plugin.too_large`, `plugin.digest_mismatch`,
    /// `plugin.invalid_wasm`, `plugin.imports`, `plugin.exports`, `plugin.abi_version`,
    /// `plugin.init`, `plugin.self_check`, `policy.invalid`.
    pub code: &'static str,
    /// What is wrong, for people.
    pub message: String,
}

impl LoadError {
    fn new(code: &'static str, message: impl Into<String>) -> LoadError {
        LoadError {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "plug-in refused ({}): {}", self.code, self.message)
    }
}

/// Why one call failed. The host keeps serving: the instance involved is discarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// Stable code: `plugin.request_too_large`, `plugin.timeout`, `plugin.memory`, `plugin.trap`,
    /// `plugin.bad_response`, `plugin.busy`.
    pub code: &'static str,
    /// What happened (never includes the request).
    pub message: String,
}

impl CallError {
    fn new(code: &'static str, message: impl Into<String>) -> CallError {
        CallError {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "policy plug-in call failed ({}): {}",
            self.code, self.message
        )
    }
}

/// Per-store data: the clock answer for the current call and the memory limiter.
pub struct State {
    now_ms: i64,
    limiter: Limiter,
}

impl State {
    fn new(memory_bytes: usize) -> State {
        State {
            now_ms: 0,
            limiter: Limiter {
                max_memory: memory_bytes,
                denied: false,
            },
        }
    }
}

/// Caps linear memory and remembers a refusal, so the resulting trap is reported as a memory
/// fault rather than a crash.
struct Limiter {
    max_memory: usize,
    denied: bool,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let ok = desired <= self.max_memory;
        self.denied |= !ok;
        Ok(ok)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }

    fn instances(&self) -> usize {
        1
    }
    fn tables(&self) -> usize {
        4
    }
    fn memories(&self) -> usize {
        1
    }
}

/// The wasmtime engine (one per process) and the epoch timer behind call deadlines.
pub struct Runtime {
    engine: wasmtime::Engine,
    linker: Linker<State>,
    cache: Option<Cache>,
}

impl Runtime {
    /// A runtime; compiled plug-ins are cached in `cache` when given.
    pub fn new(cache: Option<Cache>) -> Result<Arc<Runtime>, String> {
        let mut config = Config::new();
        config.epoch_interruption(true);
        config.cranelift_opt_level(wasmtime::OptLevel::Speed);
        let engine = wasmtime::Engine::new(&config).map_err(|e| e.to_string())?;
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap(
                shape::CLOCK_IMPORT.0,
                shape::CLOCK_IMPORT.1,
                |caller: wasmtime::Caller<'_, State>| caller.data().now_ms,
            )
            .map_err(|e| e.to_string())?;
        // The timer holds only a weak handle: it stops when the engine is gone.
        let weak = engine.weak();
        std::thread::Builder::new()
            .name("matkhau-epoch".into())
            .spawn(move || loop {
                std::thread::sleep(Duration::from_millis(TICK_MS));
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Arc::new(Runtime {
            engine,
            linker,
            cache,
        }))
    }
}

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

/// A warm instance.
struct Warm {
    store: Store<State>,
    memory: Memory,
    abi_version: TypedFunc<(), u32>,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
    call: TypedFunc<(u32, u32), u64>,
    calls: u64,
    baseline: usize,
    /// Calendar year of every `now` this instance has answered (ABI.md: zxcvbn freezes its
    /// reference year at first use, so an instance never serves two years).
    year: Option<i32>,
}

/// A loaded, checked plug-in with its pool of warm instances.
pub struct Plugin {
    info: Info,
    pre: InstancePre<State>,
    engine: wasmtime::Engine,
    limits: Limits,
    policy: Option<Box<RawValue>>,
    /// The `describe` answer, taken once by the self-check (it depends only on this module and
    /// its policy).
    description: serde_json::Value,
    idle: Mutex<Pool>,
    freed: Condvar,
    /// Counters.
    pub stats: Stats,
}

struct Pool {
    idle: Vec<Warm>,
    live: usize,
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn abi_mismatch(version: u32) -> LoadError {
    LoadError::new(
        "plugin.abi_version",
        format!("the plug-in speaks ABI version {version}; this host speaks {ABI_VERSION}"),
    )
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

impl Plugin {
    /// Loads, pre-initialises, compiles (or takes from the cache) and self-checks a plug-in.
    pub fn load(
        runtime: &Runtime,
        wasm: &[u8],
        source: &str,
        options: &LoadOptions,
    ) -> Result<Plugin, LoadError> {
        if wasm.len() > MAX_PLUGIN_BYTES {
            return Err(LoadError::new(
                "plugin.too_large",
                format!("{} bytes; the limit is {MAX_PLUGIN_BYTES}", wasm.len()),
            ));
        }
        let sha256 = sha256_hex(wasm);
        if let Some(expected) = &options.expected_sha256 {
            if !expected.eq_ignore_ascii_case(sha256.as_str()) {
                return Err(LoadError::new(
                    "plugin.digest_mismatch",
                    format!("{source} has SHA-256 {sha256}, not the pinned {expected}"),
                ));
            }
        }
        let policy = match &options.policy {
            None => None,
            Some(text) => Some(
                RawValue::from_string(text.clone())
                    .map_err(|_| LoadError::new("policy.invalid", "the policy file is not JSON"))?,
            ),
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
                    LoadError::new(
                        "plugin.init",
                        format!("the pre-initialised module does not compile: {e}"),
                    )
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
            .map_err(|e| LoadError::new("plugin.imports", e.to_string()))?;
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
            pre,
            engine: engine.clone(),
            limits: options.limits,
            policy,
            description: serde_json::Value::Null,
            idle: Mutex::new(Pool {
                idle: Vec::new(),
                live: 0,
            }),
            freed: Condvar::new(),
            stats: Stats::default(),
        };
        {
            let mut warm = plugin
                .instantiate()
                .map_err(|e| LoadError::new("plugin.init", e.message))?;
            let version = warm.abi_version.call(&mut warm.store, ()).map_err(|e| {
                LoadError::new(
                    "plugin.abi_version",
                    format!("matkhau_abi_version trapped: {e}"),
                )
            })?;
            if version != ABI_VERSION {
                return Err(abi_mismatch(version));
            }
            plugin.idle.lock().unwrap_or_else(|p| p.into_inner()).live += 1;
            plugin.checkin(warm);
        }
        plugin.self_check()?;
        Ok(plugin)
    }

    /// Its description.
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// The plug-in's `describe` answer (ABI version, core version, policy, its digest, codes),
    /// as checked at load.
    pub fn description(&self) -> &serde_json::Value {
        &self.description
    }

    fn instantiate(&self) -> Result<Warm, CallError> {
        let mut store = Store::new(&self.engine, State::new(self.limits.memory_bytes));
        store.limiter(|s| &mut s.limiter);
        store.set_epoch_deadline(ticks(self.limits.call_timeout));
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|e| CallError::new("plugin.trap", format!("instantiation failed: {e}")))?;
        let get = |store: &mut Store<State>, name: &str| {
            instance
                .get_export(&mut *store, name)
                .ok_or_else(|| CallError::new("plugin.bad_response", format!("no export {name}")))
        };
        let memory = get(&mut store, "memory")?
            .into_memory()
            .ok_or_else(|| CallError::new("plugin.bad_response", "`memory` is not a memory"))?;
        let typed = |e: wasmtime::Error| CallError::new("plugin.bad_response", e.to_string());
        let abi_version = instance
            .get_typed_func(&mut store, "matkhau_abi_version")
            .map_err(typed)?;
        let alloc = instance
            .get_typed_func(&mut store, "matkhau_alloc")
            .map_err(typed)?;
        let free = instance
            .get_typed_func(&mut store, "matkhau_free")
            .map_err(typed)?;
        let call = instance
            .get_typed_func(&mut store, "matkhau_call")
            .map_err(typed)?;
        let baseline = memory.data_size(&store);
        self.stats.instances.fetch_add(1, Ordering::Relaxed);
        Ok(Warm {
            store,
            memory,
            abi_version,
            alloc,
            free,
            call,
            calls: 0,
            baseline,
            year: None,
        })
    }

    /// Takes an idle instance of the right year, or makes one, waiting while `max_instances` are
    /// busy.
    fn checkout(&self, year: i32) -> Result<Warm, CallError> {
        let mut pool = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(i) = pool
                .idle
                .iter()
                .rposition(|w| w.year.is_none_or(|y| y == year))
            {
                return Ok(pool.idle.swap_remove(i));
            }
            if let Some(stale) = pool.idle.pop() {
                // Only other-year instances are idle: retire one to make room.
                drop(stale);
                pool.live -= 1;
            }
            if pool.live < self.limits.max_instances {
                pool.live += 1;
                drop(pool);
                let made = self.instantiate();
                if made.is_err() {
                    self.retire();
                }
                return made;
            }
            let (guard, timeout) = self
                .freed
                .wait_timeout(pool, self.limits.call_timeout)
                .unwrap_or_else(|p| p.into_inner());
            pool = guard;
            if timeout.timed_out() {
                return Err(CallError::new(
                    "plugin.busy",
                    "every plug-in instance stayed busy for the whole call timeout",
                ));
            }
        }
    }

    fn checkin(&self, warm: Warm) {
        let mut pool = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        pool.idle.push(warm);
        drop(pool);
        self.freed.notify_one();
    }

    fn retire(&self) {
        let mut pool = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        pool.live -= 1;
        drop(pool);
        self.freed.notify_one();
    }

    /// Sends one request (JSON, built by the caller) and returns the plug-in's response JSON.
    /// `now_ms` is what the clock import answers during the call (the request's `now`). The
    /// request buffer is zeroed before returning, in the host and in the instance.
    pub fn call(&self, mut request: Vec<u8>, now_ms: i64) -> Result<Answer, CallError> {
        let result = self.call_inner(&request, now_ms);
        request.fill(0);
        self.stats.calls.fetch_add(1, Ordering::Relaxed);
        if result.is_err() {
            self.stats.failures.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    fn call_inner(&self, request: &[u8], now_ms: i64) -> Result<Answer, CallError> {
        if request.len() > self.limits.max_request {
            return Err(CallError::new(
                "plugin.request_too_large",
                format!(
                    "{} bytes; the limit is {}",
                    request.len(),
                    self.limits.max_request
                ),
            ));
        }
        let year = year_of(now_ms);
        let mut warm = self.checkout(year)?;
        match self.run(&mut warm, request, now_ms) {
            Ok(response) => {
                warm.calls += 1;
                warm.year = Some(year);
                let grown = warm
                    .memory
                    .data_size(&warm.store)
                    .saturating_sub(warm.baseline);
                if warm.calls >= self.limits.recycle_after_calls
                    || grown > self.limits.recycle_growth_bytes
                {
                    drop(warm);
                    self.retire();
                } else {
                    self.checkin(warm);
                }
                Ok(response)
            }
            Err(e) => {
                // Whatever state the instance is in, it is not reused.
                drop(warm);
                self.retire();
                Err(e)
            }
        }
    }

    fn run(&self, warm: &mut Warm, request: &[u8], now_ms: i64) -> Result<Answer, CallError> {
        let store = &mut warm.store;
        store.data_mut().now_ms = now_ms;
        store.set_epoch_deadline(ticks(self.limits.call_timeout));
        let len = u32::try_from(request.len())
            .map_err(|_| CallError::new("plugin.request_too_large", "over 4 GiB"))?;
        let classify = |store: &Store<State>, e: wasmtime::Error| -> CallError {
            if store.data().limiter.denied {
                CallError::new(
                    "plugin.memory",
                    format!(
                        "the plug-in needed more than {} bytes of memory",
                        self.limits.memory_bytes
                    ),
                )
            } else if e.downcast_ref::<Trap>() == Some(&Trap::Interrupt) {
                CallError::new(
                    "plugin.timeout",
                    format!(
                        "the call ran past {} ms",
                        self.limits.call_timeout.as_millis()
                    ),
                )
            } else {
                CallError::new(
                    "plugin.trap",
                    format!("the plug-in trapped: {}", trap_summary(&e)),
                )
            }
        };
        let ptr = warm
            .alloc
            .call(&mut *store, len)
            .map_err(|e| classify(store, e))?;
        if ptr == 0 && len > 0 {
            return Err(CallError::new(
                "plugin.memory",
                "the plug-in could not allocate the request",
            ));
        }
        warm.memory
            .write(&mut *store, ptr as usize, request)
            .map_err(|_| {
                CallError::new(
                    "plugin.bad_response",
                    "matkhau_alloc returned memory out of bounds",
                )
            })?;
        let packed = warm
            .call
            .call(&mut *store, (ptr, len))
            .map_err(|e| classify(store, e))?;
        // Zero the request inside the instance, then free it.
        if let Some(buf) = warm
            .memory
            .data_mut(&mut *store)
            .get_mut(ptr as usize..ptr as usize + request.len())
        {
            buf.fill(0);
        }
        warm.free
            .call(&mut *store, (ptr, len))
            .map_err(|e| classify(store, e))?;
        let (rptr, rlen) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
        if rlen > self.limits.max_response {
            return Err(CallError::new(
                "plugin.bad_response",
                format!(
                    "a {rlen}-byte response; the limit is {}",
                    self.limits.max_response
                ),
            ));
        }
        // Parse in place, then zero the response and free it.
        let answer = {
            let data = warm.memory.data_mut(&mut *store);
            let Some(response) = data.get_mut(rptr..rptr + rlen) else {
                return Err(CallError::new(
                    "plugin.bad_response",
                    "the response lies outside the plug-in's memory",
                ));
            };
            let answer = engine::parse_envelope(response);
            response.fill(0);
            answer?
        };
        warm.free
            .call(&mut *store, (rptr as u32, rlen as u32))
            .map_err(|e| classify(store, e))?;
        Ok(answer)
    }

    /// Whether the memory of any idle instance contains `needle`: an audit aid (after a call, no
    /// password should remain in a warm instance) used by the tests.
    pub fn idle_memory_contains(&self, needle: &[u8]) -> bool {
        let pool = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        pool.idle.iter().any(|w| {
            w.memory
                .data(&w.store)
                .windows(needle.len().max(1))
                .any(|window| window == needle)
        })
    }

    /// Instances alive now (idle or busy).
    pub fn live_instances(&self) -> usize {
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).live
    }

    /// Sends a typed request with the active policy (the host's `--policy`, else the plug-in's
    /// default); `now` (Unix seconds) also answers the clock import.
    fn ask<'a>(&'a self, mut request: engine::Request<'a>) -> Result<Answer, CallError> {
        request.policy = self.policy.as_deref();
        let now_ms = request.now.saturating_mul(1000);
        let bytes = serde_json::to_vec(&request)
            .map_err(|e| CallError::new("plugin.request_too_large", e.to_string()))?;
        self.call(bytes, now_ms)
    }

    /// Runs the known-answer checks: a plug-in that fails them is refused (ABI.md, "Self-check").
    fn self_check(&mut self) -> Result<(), LoadError> {
        let fail = |what: &str| LoadError::new("plugin.self_check", what.to_string());
        let now = 1_767_225_600; // 2026-01-01T00:00:00Z: a fixed, valid clock
        let ask = |request: engine::Request<'_>| -> Result<serde_json::Value, LoadError> {
            let answer = self
                .ask(request)
                .map_err(|e| LoadError::new("plugin.self_check", e.to_string()))?;
            match answer {
                Answer::Ok(text) => {
                    serde_json::from_str(&text).map_err(|_| fail("a result is not JSON"))
                }
                Answer::Refused(r) if r.code == "policy.invalid" => Err(LoadError::new(
                    "policy.invalid",
                    format!("{}: {}", r.field, r.message),
                )),
                Answer::Refused(r) => Err(fail(&format!(
                    "a request was refused ({}: {})",
                    r.code, r.message
                ))),
            }
        };
        let evaluate = |password: &str| {
            let mut r = engine::Request::new("evaluate", now);
            r.password = Some(password);
            ask(r)
        };
        let d = ask(engine::Request::new("describe", now))?;
        if d["abi"] != ABI_VERSION {
            return Err(fail("describe reports another ABI version"));
        }
        let policy_id = d["policy"]["id"]
            .as_str()
            .ok_or_else(|| fail("describe has no policy id"))?;
        let digest = d["policy_digest"].as_str().unwrap_or("");
        if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(fail("describe has no SHA-256 policy digest"));
        }
        for weak in ["", "password", "123456", "Matkhau@123"] {
            let v = evaluate(weak)?;
            if v["accepted"] != false {
                return Err(fail("a well-known weak password was accepted"));
            }
        }
        let mut g = engine::Request::new("generate", now);
        g.entropy = Some("5e1f".repeat(16));
        let g = ask(g)?;
        let generated = g["password"]
            .as_str()
            .ok_or_else(|| fail("generate returned no password"))?;
        let v = evaluate(generated)?;
        if v["accepted"] != true {
            return Err(fail(
                "a password from the plug-in's own generator was rejected",
            ));
        }
        self.info.abi_version = ABI_VERSION;
        self.info.core_version = d["core_version"].as_str().unwrap_or("").to_string();
        self.info.policy_id = policy_id.to_string();
        self.info.policy_digest = digest.to_string();
        self.description = d;
        Ok(())
    }
}

/// Epoch ticks for a duration (at least one).
fn ticks(d: Duration) -> u64 {
    (d.as_millis() as u64).div_ceil(TICK_MS).max(1)
}

/// Calendar year (UTC) of a Unix time in milliseconds; out-of-range times map to the extremes.
pub fn year_of(now_ms: i64) -> i32 {
    let secs = now_ms.div_euclid(1000);
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => t.year(),
        Err(_) if secs < 0 => i32::MIN,
        Err(_) => i32::MAX,
    }
}

/// The first line of a trap's description (no request data is ever in it).
fn trap_summary(e: &wasmtime::Error) -> String {
    let text = e.to_string();
    text.lines().next().unwrap_or("").to_string()
}
