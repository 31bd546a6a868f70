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
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};

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
///
/// Counting costs three atomic read-modify-writes on one cache line that
/// every thread shares, per allocation and per free: on one thread a few
/// nanoseconds, on two or more the line bouncing between cores, often more
/// than the allocator itself. So it can be switched off for a while
/// ([`CountingAlloc::set_counting`]): then each call only reads a flag
/// that nobody writes meanwhile, and goes straight to the inner allocator.
/// Counting is on from the start. The wrapper is aligned to 128 bytes
/// so that its counters and flag share their cache lines with nothing else.
#[repr(align(128))]
pub struct CountingAlloc<A = System> {
    inner: A,
    /// Whether the calls are counted now (see `set_counting`).
    counting: AtomicBool,
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
            counting: AtomicBool::new(true),
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
    /// process, counting all along, and at a quiet moment: another thread in
    /// the middle of an allocation may be counted or not. While counting is
    /// off ([`set_counting`](Self::set_counting)) blocks come and go
    /// unseen, so a block allocated then and freed while counting (or the
    /// other way round) moves this figure by its size: compare readings
    /// taken within one stretch of counting. The difference of two readings is
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

    /// Switches counting on or off, for every thread (on from the start).
    ///
    /// Off, `alloc`, `alloc_zeroed`, `realloc` and `dealloc` go straight to
    /// the inner allocator after one relaxed load of a flag: no counter is
    /// touched, so timing the inner allocator through this wrapper measures
    /// the allocator, not the counters' shared cache line. Nothing done
    /// while off shows in [`snapshot`](Self::snapshot) or
    /// [`live_bytes`](Self::live_bytes). A call that runs on another thread
    /// while the switch is made may be counted or not; switch at a quiet
    /// moment (the benches switch between barriers).
    ///
    /// ```
    /// use pool_suite::CountingAlloc;
    ///
    /// #[global_allocator]
    /// static ALLOC: CountingAlloc = CountingAlloc::system();
    ///
    /// ALLOC.set_counting(false);
    /// let before = ALLOC.snapshot();
    /// drop(vec![0u8; 100]); // not counted
    /// assert_eq!(ALLOC.snapshot(), before);
    /// assert!(!ALLOC.is_counting());
    ///
    /// ALLOC.set_counting(true);
    /// drop(vec![0u8; 100]); // counted
    /// assert!((ALLOC.snapshot() - before).allocs >= 1);
    /// ```
    pub fn set_counting(&self, on: bool) {
        self.counting.store(on, Relaxed);
    }

    /// Whether calls are counted now (see [`set_counting`](Self::set_counting)).
    pub fn is_counting(&self) -> bool {
        self.counting.load(Relaxed)
    }

    #[inline]
    fn count(&self, size: usize) {
        self.allocs.fetch_add(1, Relaxed);
        self.bytes.fetch_add(size as u64, Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to `inner`, which upholds the
// `GlobalAlloc` contract; the counters are side effects that never touch the
// memory handed out.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAlloc<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !self.is_counting() {
            // SAFETY: the caller's contract for `alloc` is passed on as is.
            return unsafe { self.inner.alloc(layout) };
        }
        self.count(layout.size());
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        let ptr = unsafe { self.inner.alloc(layout) };
        if !ptr.is_null() {
            self.live.fetch_add(layout.size(), Relaxed);
        }
        ptr
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !self.is_counting() {
            // SAFETY: as for `alloc`.
            return unsafe { self.inner.alloc_zeroed(layout) };
        }
        self.count(layout.size());
        // SAFETY: as for `alloc`.
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        if !ptr.is_null() {
            self.live.fetch_add(layout.size(), Relaxed);
        }
        ptr
    }
    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !self.is_counting() {
            // SAFETY: `ptr` came from `inner` with this layout, as the caller promises.
            return unsafe { self.inner.dealloc(ptr, layout) };
        }
        // Before the block goes back: another thread may get it at once,
        // and its `alloc` must not be counted before this `dealloc`.
        self.live.fetch_sub(layout.size(), Relaxed);
        // SAFETY: `ptr` came from `inner` with this layout, as the caller promises.
        unsafe { self.inner.dealloc(ptr, layout) }
    }
    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !self.is_counting() {
            // SAFETY: `ptr` came from `inner` with `layout`, as the caller promises.
            return unsafe { self.inner.realloc(ptr, layout, new_size) };
        }
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
