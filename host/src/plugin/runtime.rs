//! The wasmtime engine (one per process), the one import the host provides, and the epoch timer
//! behind call deadlines.

use super::limits::{Limiter, TICK_MS};
use super::snapshot::Cache;
use std::sync::Arc;
use std::time::Duration;
use wasmtime::{Config, Linker};

/// Per-store data: the clock answer for the current call and the memory limiter.
pub struct State {
    pub(super) now_ms: i64,
    pub(super) limiter: Limiter,
}

impl State {
    pub(super) fn new(memory_bytes: usize) -> State {
        State {
            now_ms: 0,
            limiter: Limiter::new(memory_bytes),
        }
    }
}

/// The engine, its linker and the compiled-plug-in cache.
pub struct Runtime {
    pub(super) engine: wasmtime::Engine,
    pub(super) linker: Linker<State>,
    pub(super) cache: Option<Cache>,
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
                super::shape::CLOCK_IMPORT.0,
                super::shape::CLOCK_IMPORT.1,
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
