//! One call: the request written into a warm instance, `matkhau_call` run under the deadline and
//! memory limit, the answer read in place and parsed into its ABI type, both buffers zeroed.

use super::limits::ticks;
use super::pool::Warm;
use super::{CallError, Plugin};
use crate::clock::year_of;
use matkhau_abi::{Request, Response};
use serde::de::DeserializeOwned;
use std::sync::atomic::Ordering;
use wasmtime::Trap;

impl Plugin {
    /// Sends a typed request with the active policy (the host's `--policy`, else the plug-in's
    /// default) and reads the answer as `T`; `now` also answers the clock import.
    pub(super) fn ask<T: DeserializeOwned>(&self, request: Request<'_>) -> Result<T, CallError> {
        let now_ms = request.now.unwrap_or(0).saturating_mul(1000);
        let request = request.with_policy(self.policy.as_deref());
        let bytes = serde_json::to_vec(&request)
            .map_err(|e| CallError::BadResponse(format!("the request cannot be written: {e}")))?;
        self.call(bytes, now_ms)
    }

    /// Sends one request (JSON) and reads the answer as `T` (a refusal is
    /// [`CallError::Refused`]). `now_ms` is what the clock import answers during the call. The
    /// request buffer is zeroed before returning, in the host and in the instance.
    pub fn call<T: DeserializeOwned>(
        &self,
        mut request: Vec<u8>,
        now_ms: i64,
    ) -> Result<T, CallError> {
        let result = self.call_inner(&request, now_ms);
        request.fill(0);
        self.stats.calls.fetch_add(1, Ordering::Relaxed);
        if result.is_err() {
            self.stats.failures.fetch_add(1, Ordering::Relaxed);
        }
        match result? {
            Response::Ok(answer) => Ok(answer),
            Response::Refused(refusal) => Err(CallError::Refused(refusal)),
        }
    }

    fn call_inner<T: DeserializeOwned>(
        &self,
        request: &[u8],
        now_ms: i64,
    ) -> Result<Response<T>, CallError> {
        if request.len() > self.limits.max_request {
            return Err(CallError::RequestTooLarge {
                size: request.len(),
                limit: self.limits.max_request,
            });
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

    /// What a failed wasm call was: a memory refusal, the deadline, or a trap.
    fn classify(&self, warm: &Warm, e: wasmtime::Error) -> CallError {
        if warm.store.data().limiter.denied {
            CallError::Memory(format!(
                "the plug-in needed more than {} bytes of memory",
                self.limits.memory_bytes
            ))
        } else if e.downcast_ref::<Trap>() == Some(&Trap::Interrupt) {
            CallError::Timeout(self.limits.call_timeout.as_millis())
        } else {
            // The first line of a trap's description (no request data is ever in it).
            let text = e.to_string();
            CallError::Trap(text.lines().next().unwrap_or("").to_string())
        }
    }

    fn run<T: DeserializeOwned>(
        &self,
        warm: &mut Warm,
        request: &[u8],
        now_ms: i64,
    ) -> Result<Response<T>, CallError> {
        warm.store.data_mut().now_ms = now_ms;
        warm.store
            .set_epoch_deadline(ticks(self.limits.call_timeout));
        let len = u32::try_from(request.len()).map_err(|_| CallError::RequestTooLarge {
            size: request.len(),
            limit: self.limits.max_request,
        })?;
        let ptr = match warm.alloc.call(&mut warm.store, len) {
            Ok(ptr) => ptr,
            Err(e) => return Err(self.classify(warm, e)),
        };
        if ptr == 0 && len > 0 {
            return Err(CallError::Memory(
                "the plug-in could not allocate the request".into(),
            ));
        }
        warm.memory
            .write(&mut warm.store, ptr as usize, request)
            .map_err(|_| {
                CallError::BadResponse("matkhau_alloc returned memory out of bounds".into())
            })?;
        let packed = match warm.call.call(&mut warm.store, (ptr, len)) {
            Ok(packed) => packed,
            Err(e) => return Err(self.classify(warm, e)),
        };
        // Zero the request inside the instance, then free it.
        if let Some(buf) = warm
            .memory
            .data_mut(&mut warm.store)
            .get_mut(ptr as usize..ptr as usize + request.len())
        {
            buf.fill(0);
        }
        if let Err(e) = warm.free.call(&mut warm.store, (ptr, len)) {
            return Err(self.classify(warm, e));
        }
        let (rptr, rlen) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
        if rlen > self.limits.max_response {
            return Err(CallError::BadResponse(format!(
                "a {rlen}-byte response; the limit is {}",
                self.limits.max_response
            )));
        }
        // Parse in place, then zero the response and free it.
        let answer = {
            let data = warm.memory.data_mut(&mut warm.store);
            let Some(response) = data.get_mut(rptr..rptr + rlen) else {
                return Err(CallError::BadResponse(
                    "the response lies outside the plug-in's memory".into(),
                ));
            };
            let answer = parse(response);
            response.fill(0);
            answer?
        };
        if let Err(e) = warm.free.call(&mut warm.store, (rptr as u32, rlen as u32)) {
            return Err(self.classify(warm, e));
        }
        Ok(answer)
    }
}

/// Reads an answer (ABI.md, "Responses") as its type: anything else, a missing or an unknown
/// field included, is a bad response. The message gives the position, never the text.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<Response<T>, CallError> {
    serde_json::from_slice(bytes).map_err(|e| {
        CallError::BadResponse(format!(
            "the answer is not the ABI's {} (line {}, column {})",
            std::any::type_name::<T>()
                .rsplit("::")
                .next()
                .unwrap_or("answer"),
            e.line(),
            e.column()
        ))
    })
}
