//! The allocators: the counting global one, and mimalloc beside it for the
//! `alloc-mimalloc` contender (see "Allocators side by side" in `main.rs`).
//! Both count only while [`set_counting`] has them on: the harness times
//! every cell with counting off and counts in a pass of its own (see
//! "Allocations" in `main.rs`).

use crate::common::{Bytes, ParseFields};
use allocator_api2::alloc::{AllocError, Allocator};
use mimalloc::MiMalloc;
use pool_suite::CountingAlloc;
use std::alloc::{GlobalAlloc, Layout};
use std::ptr::NonNull;

#[cfg(not(feature = "mimalloc"))]
#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: CountingAlloc<MiMalloc> = CountingAlloc::new(MiMalloc);

/// The allocator inside the global `CountingAlloc`: what the global
/// contender's cells measure, and what [`check`](crate::check) times
/// directly, with no wrapper at all.
#[cfg(not(feature = "mimalloc"))]
pub const GLOBAL_INNER: std::alloc::System = std::alloc::System;
#[cfg(feature = "mimalloc")]
pub const GLOBAL_INNER: MiMalloc = MiMalloc;

/// The name of the contender that allocates through the global allocator.
#[cfg(not(feature = "mimalloc"))]
pub const ALLOC_GLOBAL: &str = "alloc-system";
#[cfg(feature = "mimalloc")]
pub const ALLOC_GLOBAL: &str = "alloc-global-mimalloc";

/// Switches the counting of both counted allocators (the global one and
/// [`MI`]) on or off. Off, each of their calls reads one flag that nobody
/// writes meanwhile and goes straight to the allocator: the cells are timed
/// so, the count passes and the memory section run with it on.
pub fn set_counting(on: bool) {
    ALLOC.set_counting(on);
    MI.set_counting(on);
}

/// Allocations so far, by both counted allocators.
pub fn allocs_now() -> u64 {
    ALLOC.snapshot().allocs + MI.snapshot().allocs
}

/// The global allocator's live heap bytes, for the memory section.
pub fn live_bytes() -> usize {
    ALLOC.live_bytes()
}

// ---------------------------------------------------------------------------
// mimalloc, side by side

/// mimalloc, counted, for the `alloc-mimalloc` contender only.
static MI: CountingAlloc<MiMalloc> = CountingAlloc::new(MiMalloc);

/// An `allocator_api2` allocator over [`MI`].
#[derive(Clone, Copy, Default)]
pub struct Mi;

// SAFETY: every block comes from `MI.alloc`/`MI.realloc` (mimalloc, through
// the counting wrapper) and is given back to `MI.dealloc` with its layout;
// zero-sized requests get a dangling, aligned pointer and are never freed.
unsafe impl Allocator for Mi {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        if layout.size() == 0 {
            let dangling = std::ptr::null_mut::<u8>().wrapping_add(layout.align());
            let ptr = NonNull::new(dangling).ok_or(AllocError)?;
            return Ok(NonNull::slice_from_raw_parts(ptr, 0));
        }
        // SAFETY: the size is not zero.
        let ptr = unsafe { MI.alloc(layout) };
        NonNull::new(ptr)
            .map(|p| NonNull::slice_from_raw_parts(p, layout.size()))
            .ok_or(AllocError)
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` came from `MI` with this layout (the caller's contract).
            unsafe { MI.dealloc(ptr.as_ptr(), layout) }
        }
    }

    #[inline]
    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if old.size() == 0 || old.align() != new.align() {
            let fresh = self.allocate(new)?;
            // SAFETY: both blocks are valid for `old.size()` bytes and distinct;
            // `ptr` is then freed with its own layout.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr.as_ptr(), fresh.as_ptr().cast(), old.size());
                self.deallocate(ptr, old);
            }
            return Ok(fresh);
        }
        // SAFETY: `ptr` came from `MI` with `old`; `new.size()` is not zero.
        let p = unsafe { MI.realloc(ptr.as_ptr(), old, new.size()) };
        NonNull::new(p)
            .map(|p| NonNull::slice_from_raw_parts(p, new.size()))
            .ok_or(AllocError)
    }
}

pub type MiVec<T> = allocator_api2::vec::Vec<T, Mi>;
pub type MiBox<T> = allocator_api2::boxed::Box<T, Mi>;

/// `Parse` with every field on mimalloc.
pub struct MiParse {
    body: MiVec<u8>,
    spans: MiVec<(u32, u32)>,
    fields: hashbrown::HashMap<u64, u32, std::collections::hash_map::RandomState, Mi>,
    valid: bool,
}

impl MiParse {
    pub fn new() -> Self {
        MiParse {
            body: MiVec::new_in(Mi),
            spans: MiVec::new_in(Mi),
            fields: hashbrown::HashMap::with_hasher_in(Default::default(), Mi),
            valid: false,
        }
    }
}

impl ParseFields for MiParse {
    fn body(&mut self) -> &mut impl Bytes {
        &mut self.body
    }
    #[inline(always)]
    fn push_span(&mut self, span: (u32, u32)) {
        self.spans.push(span);
    }
    #[inline(always)]
    fn insert_field(&mut self, k: u64, v: u32) {
        self.fields.insert(k, v);
    }
    #[inline(always)]
    fn set_valid(&mut self) {
        self.valid = true;
    }
}
