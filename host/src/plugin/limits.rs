//! What one call and one instance may use, and the memory limiter that enforces it.

use std::time::Duration;

/// Limits applied to every call.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Linear memory one instance may grow to.
    pub memory_bytes: usize,
    /// Wall-clock budget of one call (checked at epoch ticks of [`TICK_MS`] ms).
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

/// Epoch tick of the deadline timer, in milliseconds.
pub const TICK_MS: u64 = 5;

/// Epoch ticks for a duration (at least one).
pub fn ticks(d: Duration) -> u64 {
    (d.as_millis() as u64).div_ceil(TICK_MS).max(1)
}

/// Caps linear memory and remembers a refusal, so the resulting trap is reported as a memory
/// fault rather than a crash.
pub(super) struct Limiter {
    max_memory: usize,
    /// Whether a growth was refused since the store was made.
    pub(super) denied: bool,
}

impl Limiter {
    pub(super) fn new(max_memory: usize) -> Limiter {
        Limiter {
            max_memory,
            denied: false,
        }
    }
}

impl wasmtime::ResourceLimiter for Limiter {
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
