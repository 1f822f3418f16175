//! The plug-in's allocator: the system allocator, but every freed block is zeroed first, so a
//! password from one call does not linger in the heap of a warm instance that serves the next.

use std::alloc::{GlobalAlloc, Layout, System};

/// `System`, zeroing on free.
pub struct Zeroing;

// SAFETY: delegates to `System`; zeroing a block the caller is giving up is always sound.
unsafe impl GlobalAlloc for Zeroing {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is a live block of `layout.size()` bytes owned by the caller.
        unsafe {
            std::ptr::write_bytes(ptr, 0, layout.size());
            System.dealloc(ptr, layout)
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Not `System.realloc`: it may move the block and leave the old copy behind unzeroed.
        // SAFETY: the new layout is valid per the `GlobalAlloc::realloc` contract.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: same contract as ours.
        let new = unsafe { System.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live and at least `min` bytes long; they do not overlap.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}
