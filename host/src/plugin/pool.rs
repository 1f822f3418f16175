//! Warm instances: made from the pre-initialised module, reused while they behave, bound to the
//! calendar year of their first call, and at most `Limits::max_instances` alive at once.

use super::limits::ticks;
use super::runtime::State;
use super::{CallError, Plugin};
use std::sync::atomic::Ordering;
use std::sync::MutexGuard;
use wasmtime::{Memory, Store, TypedFunc};

/// A warm instance.
pub(super) struct Warm {
    pub(super) store: Store<State>,
    pub(super) memory: Memory,
    pub(super) abi_version: TypedFunc<(), u32>,
    pub(super) alloc: TypedFunc<u32, u32>,
    pub(super) free: TypedFunc<(u32, u32), ()>,
    pub(super) call: TypedFunc<(u32, u32), u64>,
    pub(super) calls: u64,
    pub(super) baseline: usize,
    /// Calendar year of every `now` this instance has answered (ABI.md: zxcvbn freezes its
    /// reference year at first use, so an instance never serves two years).
    pub(super) year: Option<i32>,
}

/// The idle instances and how many are alive.
#[derive(Default)]
pub(super) struct Pool {
    idle: Vec<Warm>,
    live: usize,
}

impl Plugin {
    fn pool(&self) -> MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn instantiate(&self) -> Result<Warm, CallError> {
        let mut store = Store::new(&self.engine, State::new(self.limits.memory_bytes));
        store.limiter(|s| &mut s.limiter);
        store.set_epoch_deadline(ticks(self.limits.call_timeout));
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|e| CallError::Trap(format!("instantiation failed: {e}")))?;
        let memory = instance
            .get_export(&mut store, "memory")
            .and_then(|e| e.into_memory())
            .ok_or_else(|| CallError::BadResponse("`memory` is not an exported memory".into()))?;
        let typed = |e: wasmtime::Error| CallError::BadResponse(e.to_string());
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

    /// Counts an instance made outside `checkout` (the one the load checks) as alive.
    pub(super) fn adopt(&self, warm: Warm) {
        self.pool().live += 1;
        self.checkin(warm);
    }

    /// Takes an idle instance of the right year, or makes one, waiting while `max_instances` are
    /// busy.
    pub(super) fn checkout(&self, year: i32) -> Result<Warm, CallError> {
        let mut pool = self.pool();
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
                return Err(CallError::Busy);
            }
        }
    }

    /// Returns a healthy instance to the pool.
    pub(super) fn checkin(&self, warm: Warm) {
        self.pool().idle.push(warm);
        self.freed.notify_one();
    }

    /// Forgets an instance that was dropped.
    pub(super) fn retire(&self) {
        self.pool().live -= 1;
        self.freed.notify_one();
    }

    /// Whether the memory of any idle instance contains `needle`: an audit aid (after a call, no
    /// password should remain in a warm instance) used by the tests.
    pub fn idle_memory_contains(&self, needle: &[u8]) -> bool {
        self.pool().idle.iter().any(|w| {
            w.memory
                .data(&w.store)
                .windows(needle.len().max(1))
                .any(|window| window == needle)
        })
    }

    /// Instances alive now (idle or busy).
    pub fn live_instances(&self) -> usize {
        self.pool().live
    }
}
