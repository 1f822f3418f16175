//! Pre-initialisation: the plug-in's `matkhau_init` builds every lazy table once, Wizer turns the
//! instance's memory into the data segments of a new module, and that module is compiled and cached
//! on disk, so neither a request nor a restart pays the ~25 ms of table building or the Cranelift
//! compile again.

use super::{LoadError, State};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fs;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use wasmtime::{Engine, Instance, Linker, Module, Store, Val};
use wasmtime_wizer::{InstanceState, SnapshotVal, ValType, Wizer};

/// The clock answer while `matkhau_init` runs: far outside any calendar, so an init function that
/// makes zxcvbn compute its reference year traps instead of freezing a wrong year into the
/// snapshot (ABI.md, "Imports").
pub const INIT_CLOCK: i64 = -1;

/// How long `matkhau_init` may run, in epoch ticks (see `super::TICK`).
const INIT_DEADLINE_TICKS: u64 = 20_000 / super::limits::TICK_MS;

/// Runs the plug-in's init function and returns the pre-initialised module's bytes.
pub fn preinitialize(
    engine: &Engine,
    linker: &Linker<State>,
    raw: &[u8],
) -> Result<Vec<u8>, LoadError> {
    let wizer = {
        let mut w = Wizer::new();
        w.init_func("matkhau_init");
        w
    };
    let (cx, instrumented) = wizer.instrument(raw).map_err(|e| {
        LoadError::Init(format!(
            "cannot prepare the plug-in for initialisation: {e}"
        ))
    })?;
    let module = Module::new(engine, &instrumented)
        .map_err(|e| LoadError::InvalidWasm(format!("the plug-in does not compile: {e}")))?;
    let mut store = Store::new(engine, State::new(super::Limits::default().memory_bytes));
    store.data_mut().now_ms = INIT_CLOCK;
    store.limiter(|s| &mut s.limiter);
    store.set_epoch_deadline(INIT_DEADLINE_TICKS);
    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(|e| LoadError::Init(format!("the plug-in cannot be instantiated: {e}")))?;
    let init = instance
        .get_typed_func::<(), ()>(&mut store, "matkhau_init")
        .map_err(|e| LoadError::Exports(e.to_string()))?;
    init.call(&mut store, ()).map_err(|e| {
        LoadError::Init(format!(
            "the plug-in's matkhau_init failed (it must not read the clock or trap): {e}"
        ))
    })?;
    let mut state = Snapshotting { store, instance };
    let snapshot = block_on(wizer.snapshot(&cx, &mut state))
        .ok_or_else(|| LoadError::Init("the snapshot did not complete".into()))?
        .map_err(|e| LoadError::Init(format!("cannot snapshot the initialised plug-in: {e}")))?;
    Ok(snapshot)
}

/// Wizer reads globals and memory through this.
struct Snapshotting {
    store: Store<State>,
    instance: Instance,
}

impl InstanceState for Snapshotting {
    async fn global_get(&mut self, name: &str, _type_hint: ValType) -> SnapshotVal {
        let global = self
            .instance
            .get_global(&mut self.store, name)
            .expect("Wizer asks only for globals its instrumentation exported");
        match global.get(&mut self.store) {
            Val::I32(x) => SnapshotVal::I32(x),
            Val::I64(x) => SnapshotVal::I64(x),
            Val::F32(x) => SnapshotVal::F32(x),
            Val::F64(x) => SnapshotVal::F64(x),
            Val::V128(x) => SnapshotVal::V128(x.as_u128()),
            _ => panic!("Wizer refuses modules with reference-typed mutable globals"),
        }
    }

    async fn memory_contents(&mut self, name: &str, contents: impl FnOnce(&[u8]) + Send) {
        let memory = self
            .instance
            .get_memory(&mut self.store, name)
            .expect("Wizer asks only for memories its instrumentation exported");
        contents(memory.data(&self.store));
    }
}

/// Polls a future that never waits (everything above is synchronous) to completion.
fn block_on<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

/// A directory of compiled, pre-initialised plug-ins, keyed by the plug-in's SHA-256 and the
/// engine's compatibility hash (wasmtime version and settings). A compiled module is native code:
/// the directory must be the service user's and writable by no one else, and every entry carries
/// a MAC under a key from the service's secrets that is checked before wasmtime reads it, so an
/// entry written by anyone else (or damaged) is discarded and compiled again.
pub struct Cache {
    dir: PathBuf,
    key: Vec<u8>,
}

/// Bytes of the MAC that ends every entry.
const MAC_LEN: usize = 32;

impl Cache {
    /// Uses `dir` (created with mode 0700 when missing), with entries authenticated by `key`.
    /// Refused when `dir` belongs to another user or others may write to it.
    pub fn new(dir: &Path, key: &str) -> Result<Cache, String> {
        crate::secrets::private_dir(dir)
            .map_err(|e| format!("cannot create the plug-in cache {}: {e}", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = fs::metadata(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            if meta.uid() != me || meta.mode() & 0o022 != 0 {
                return Err(format!(
                    "the plug-in cache {} must belong to the service's user and be writable by \
                     it only (chmod 700)",
                    dir.display()
                ));
            }
        }
        if key.is_empty() {
            return Err("no key to authenticate the plug-in cache".into());
        }
        Ok(Cache {
            dir: dir.to_path_buf(),
            key: key.as_bytes().to_vec(),
        })
    }

    /// The default location: `$XDG_CACHE_HOME/matkhau/plugins`, else `$HOME/.cache/matkhau/plugins`.
    pub fn default_dir() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("matkhau").join("plugins"))
    }

    /// The entry's file name: the plug-in's digest, the engine's compatibility hash and an
    /// identifier of the key (services with other secret files sharing the folder keep apart
    /// entries instead of discarding each other's).
    fn name(&self, engine: &Engine, digest: &str) -> String {
        let mut h = Sha256::new();
        h.update(digest.as_bytes());
        std::hash::Hash::hash(
            &engine.precompile_compatibility_hash(),
            &mut HashWriter(&mut h),
        );
        let entry = hex::encode(h.finalize());
        let mut id =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        id.update(b"matkhau plug-in cache key id");
        let id = hex::encode(id.finalize().into_bytes());
        format!("{}-{}.cwasm", &entry[..32], &id[..8])
    }

    /// The MAC of an entry: its name (so an entry cannot stand in for another plug-in's) and
    /// its bytes.
    fn mac(&self, name: &str) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(name.as_bytes());
        mac.update(&[0]);
        mac
    }

    /// The compiled module for this plug-in, if cached, authentic and loadable by this engine.
    /// An entry that fails its MAC is deleted (and logged) so it is compiled again.
    pub fn get(&self, engine: &Engine, digest: &str) -> Option<Module> {
        let name = self.name(engine, digest);
        let path = self.dir.join(&name);
        let bytes = fs::read(&path).ok()?;
        let authentic = bytes.len() > MAC_LEN && {
            let (module, tag) = bytes.split_at(bytes.len() - MAC_LEN);
            let mut mac = self.mac(&name);
            mac.update(module);
            mac.verify_slice(tag).is_ok()
        };
        if !authentic {
            eprintln!(
                "matkhau: plug-in cache entry {} is not authentic (written by someone else, or \
                 damaged): discarded, compiling again",
                path.display()
            );
            let _ = fs::remove_file(&path);
            return None;
        }
        // SAFETY: the bytes are authenticated with the service's key as bytes this service
        // wrote with `Module::serialize` for this engine configuration (the name includes its
        // compatibility hash); wasmtime also checks the header.
        unsafe { Module::deserialize(engine, &bytes[..bytes.len() - MAC_LEN]) }.ok()
    }

    /// Stores a compiled module with its MAC (atomically: a private temporary file renamed into
    /// place).
    pub fn put(&self, engine: &Engine, digest: &str, module: &Module) -> Result<(), String> {
        let bytes = module.serialize().map_err(|e| e.to_string())?;
        let name = self.name(engine, digest);
        let path = self.dir.join(&name);
        let mut mac = self.mac(&name);
        mac.update(&bytes);
        let tag = mac.finalize().into_bytes();
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let _ = fs::remove_file(&tmp);
        let write = || -> std::io::Result<()> {
            let mut f = crate::secrets::private_file(&tmp)?;
            f.write_all(&bytes)?;
            f.write_all(&tag)?;
            f.sync_all()?;
            fs::rename(&tmp, &path)
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            format!("cannot write {}: {e}", path.display())
        })
    }
}

/// Feeds `Hash` output into SHA-256.
struct HashWriter<'a>(&'a mut Sha256);

impl std::hash::Hasher for HashWriter<'_> {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}
