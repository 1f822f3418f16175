//! The matkhau policy plug-in: `matkhau-core` behind a small WebAssembly ABI (ABI.md), so that the
//! host decides with exactly the code the browser runs, and a new policy build can be swapped in
//! without redeploying the server.
//!
//! [`handle`] is the whole behaviour (JSON request → JSON response) and is plain safe Rust, tested
//! natively; the `extern "C"` functions below only move bytes across the module boundary.

#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod request;

pub use request::{handle, ABI_VERSION};

#[cfg(target_arch = "wasm32")]
mod zeroing;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: zeroing::Zeroing = zeroing::Zeroing;

use std::alloc::{alloc, dealloc, Layout};

/// ABI version of this module; the host refuses any other.
#[no_mangle]
pub extern "C" fn matkhau_abi_version() -> u32 {
    ABI_VERSION
}

/// Allocates `len` bytes for the host to write a request into; 0 when `len` is 0 or memory is
/// exhausted.
#[no_mangle]
pub extern "C" fn matkhau_alloc(len: usize) -> *mut u8 {
    match Layout::array::<u8>(len) {
        // SAFETY: the layout has a non-zero size.
        Ok(layout) if len > 0 => unsafe { alloc(layout) },
        _ => std::ptr::null_mut(),
    }
}

/// Frees a buffer from [`matkhau_alloc`] or a response from [`matkhau_call`].
///
/// # Safety
/// `ptr` and `len` must describe a live buffer returned by this module and not freed since.
#[no_mangle]
pub unsafe extern "C" fn matkhau_free(ptr: *mut u8, len: usize) {
    if ptr.is_null() || len == 0 {
        return;
    }
    // SAFETY: per the contract, this buffer was allocated with exactly this layout.
    unsafe {
        dealloc(
            ptr,
            Layout::array::<u8>(len).expect("layout of a live buffer"),
        )
    }
}

/// Handles one JSON request of `len` bytes at `ptr` and returns the response as
/// `(address << 32) | length`; the host frees it with [`matkhau_free`]. 0 means the response
/// could not be allocated.
///
/// # Safety
/// `ptr` and `len` must describe readable memory (normally a buffer from [`matkhau_alloc`]).
#[no_mangle]
pub unsafe extern "C" fn matkhau_call(ptr: *const u8, len: usize) -> u64 {
    let request: &[u8] = if len == 0 {
        &[]
    } else {
        // SAFETY: per the contract, the host wrote `len` bytes at `ptr`.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    };
    let response = handle(request).into_bytes().into_boxed_slice();
    let len = response.len();
    let ptr = Box::into_raw(response) as *mut u8;
    ((ptr as usize as u64) << 32) | len as u64
}

/// Builds every lazily initialised table (zxcvbn's dictionaries, our word lists, the regexes), so
/// that a snapshot taken after this call (the host pre-initialises the module with Wizer) serves
/// its first request as fast as its thousandth. It never reads the clock: the inputs hold no year
/// or date, so zxcvbn's reference year stays uninitialised until a request supplies `now`.
#[no_mangle]
pub extern "C" fn matkhau_init() {
    request::warm_up();
}
