//! Shared helpers of the workspace's tests, examples and benchmarks.
//!
//! The one thing they all need is a count of allocator calls: the pool's
//! promise is that a warm get/put loop allocates nothing, and the examples and
//! the `compare` report print allocations per operation.
//!
//! The tests also share the checks of a pool's two invariants (its counters
//! add up, no value is held twice): [`assert_conserved`] and [`Ledger`].

mod checks;

pub use checks::{assert_conserved, check_conserved, Ledger};

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// A global allocator that counts allocations and allocated bytes, then
/// forwards to the inner allocator (the system allocator by default).
///
/// ```
/// use pool_suite::CountingAlloc;
///
/// #[global_allocator]
/// static ALLOC: CountingAlloc = CountingAlloc::system();
///
/// let before = ALLOC.snapshot();
/// let v = vec![0u8; 100];
/// let used = ALLOC.snapshot() - before;
/// assert!(used.allocs >= 1 && used.bytes >= 100);
/// drop(v);
/// ```
///
/// It also keeps the bytes live now (allocated and not yet freed), for tests
/// that check memory is given back: see [`CountingAlloc::live_bytes`].
pub struct CountingAlloc<A = System> {
    inner: A,
    allocs: AtomicU64,
    bytes: AtomicU64,
    /// Bytes handed out and not freed yet (wrapping: see `live_bytes`).
    live: AtomicUsize,
}

/// The counts at one moment; subtract two to get what happened in between.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllocCount {
    /// Calls to `alloc`, `alloc_zeroed` and `realloc`.
    pub allocs: u64,
    /// Bytes asked for by those calls.
    pub bytes: u64,
}

impl core::ops::Sub for AllocCount {
    type Output = AllocCount;
    fn sub(self, rhs: AllocCount) -> AllocCount {
        AllocCount {
            allocs: self.allocs.wrapping_sub(rhs.allocs),
            bytes: self.bytes.wrapping_sub(rhs.bytes),
        }
    }
}

impl CountingAlloc<System> {
    /// Counts over the system allocator.
    pub const fn system() -> Self {
        Self::new(System)
    }
}

impl<A> CountingAlloc<A> {
    /// Counts over `inner`.
    pub const fn new(inner: A) -> Self {
        CountingAlloc {
            inner,
            allocs: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            live: AtomicUsize::new(0),
        }
    }

    /// The counts so far, over all threads.
    pub fn snapshot(&self) -> AllocCount {
        AllocCount {
            allocs: self.allocs.load(Relaxed),
            bytes: self.bytes.load(Relaxed),
        }
    }

    /// The heap bytes live now, over all threads: bytes of the blocks this
    /// allocator handed out (by `alloc`, `alloc_zeroed`, `realloc`) minus
    /// those of the blocks freed since (by `dealloc`, or the old block of a
    /// `realloc`), as the callers' layouts size them. A failed allocation
    /// counts nothing.
    ///
    /// Exact when this is the global allocator from the start of the
    /// process, and at a quiet moment: another thread in the middle of an
    /// allocation may be counted or not. The difference of two readings is
    /// what the code between them kept (use `wrapping_sub` or compare as
    /// `i64`, since that code may also free more than it allocates).
    ///
    /// ```
    /// use pool_suite::CountingAlloc;
    ///
    /// #[global_allocator]
    /// static ALLOC: CountingAlloc = CountingAlloc::system();
    ///
    /// let before = ALLOC.live_bytes();
    /// let mut v = vec![0u8; 100];
    /// v.reserve_exact(900); // a realloc: 100 bytes freed, 1000 live
    /// assert!(ALLOC.live_bytes() - before >= 1000);
    /// drop(v);
    /// assert_eq!(ALLOC.live_bytes(), before);
    /// ```
    pub fn live_bytes(&self) -> usize {
        self.live.load(Relaxed)
    }

    fn count(&self, size: usize) {
        self.allocs.fetch_add(1, Relaxed);
        self.bytes.fetch_add(size as u64, Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to `inner`, which upholds the
// `GlobalAlloc` contract; the counters are side effects that never touch the
// memory handed out.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAlloc<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.count(layout.size());
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        let ptr = unsafe { self.inner.alloc(layout) };
        if !ptr.is_null() {
            self.live.fetch_add(layout.size(), Relaxed);
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.count(layout.size());
        // SAFETY: as for `alloc`.
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        if !ptr.is_null() {
            self.live.fetch_add(layout.size(), Relaxed);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // Before the block goes back: another thread may get it at once,
        // and its `alloc` must not be counted before this `dealloc`.
        self.live.fetch_sub(layout.size(), Relaxed);
        // SAFETY: `ptr` came from `inner` with this layout, as the caller promises.
        unsafe { self.inner.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.count(new_size);
        // SAFETY: `ptr` came from `inner` with `layout`, as the caller promises.
        let new = unsafe { self.inner.realloc(ptr, layout, new_size) };
        // On failure the old block stays as it was, and so does the count.
        if !new.is_null() {
            self.live
                .fetch_add(new_size.wrapping_sub(layout.size()), Relaxed);
        }
        new
    }
}
