//! A `#[pool(zeroize)]` field is wiped on every path by which a value ends
//! inside the pool, not only on the reset of a successful return.
//!
//! The global allocator of this binary looks into every block freed (or
//! moved by `realloc`) while a test has it armed, and counts the blocks that
//! still hold `MARKER`. Each test writes the marker into a secret's key, makes
//! the value leave the pool by one path, and checks that no freed block held
//! it. The count is process-wide, so the tests run one at a time (`SERIAL`).
//! A value taken out with `detach` is the user's, and is not covered.

use pool_runtime::{Pool, Poolable};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, MutexGuard};

const MARKER: &[u8; 16] = b"SECRET-SECRET-42";

/// Forwards to the system allocator; while `ARMED`, counts in `HITS` the
/// freed blocks that hold `MARKER`.
struct Scanning;

static ARMED: AtomicBool = AtomicBool::new(false);
static HITS: AtomicUsize = AtomicUsize::new(0);

impl Scanning {
    /// Looks for the marker in a block about to be freed or moved.
    ///
    /// # Safety
    ///
    /// `ptr` points at `size` initialized-or-not bytes the caller owns; they
    /// are only read, as bytes.
    unsafe fn scan(ptr: *const u8, size: usize) {
        if !ARMED.load(SeqCst) || size < MARKER.len() {
            return;
        }
        // SAFETY: the block is live and `size` bytes long (the caller's
        // layout); reading it as bytes is what a wipe check needs, and
        // allocators hand out readable memory.
        let block = unsafe { std::slice::from_raw_parts(ptr, size) };
        if block.windows(MARKER.len()).any(|w| w == MARKER) {
            HITS.fetch_add(1, SeqCst);
        }
    }
}

// SAFETY: every call is forwarded unchanged to `System`; the scan only reads
// a block the caller still owns, before it is handed back.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is a live block of `layout.size()` bytes.
        unsafe { Self::scan(ptr, layout.size()) };
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as in `dealloc`: the old block, before it may move.
        unsafe { Self::scan(ptr, layout.size()) };
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Scanning = Scanning;

static SERIAL: Mutex<()> = Mutex::new(());

/// Holds the lock and the scan armed for one test.
struct Armed {
    _serial: MutexGuard<'static, ()>,
}

impl Armed {
    fn new() -> Armed {
        let serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        ARMED.store(true, SeqCst);
        Armed { _serial: serial }
    }

    fn hits(&self) -> usize {
        HITS.load(SeqCst)
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        ARMED.store(false, SeqCst);
    }
}

const KEY_CAP: usize = 64;
const OTHER_CAP: usize = 64;

#[derive(Poolable)]
struct Secret {
    #[pool(zeroize)]
    key: Vec<u8>,
    #[pool(cap = OTHER_CAP)]
    other: Vec<u8>,
}

/// The same secret, rejected by the container's byte cap instead of a
/// field's.
#[derive(Poolable)]
#[pool(max_value_bytes = 4096)]
struct Bounded {
    #[pool(zeroize)]
    key: Vec<u8>,
    other: Vec<u8>,
}

fn secret() -> Secret {
    Secret {
        key: Vec::with_capacity(KEY_CAP),
        other: Vec::new(),
    }
}

/// Writes the marker into a key with room for it (no reallocation, so no
/// copy of the marker is freed on the way) and keeps the write from being
/// optimized out.
fn mark(key: &mut Vec<u8>) {
    assert!(key.capacity() - key.len() >= MARKER.len());
    let ptr = key.as_ptr();
    key.extend_from_slice(MARKER);
    assert_eq!(key.as_ptr(), ptr);
    std::hint::black_box(&mut *key);
}

fn assert_no_leak(armed: &Armed, before: usize, path: &str) {
    let hits = armed.hits() - before;
    assert_eq!(
        hits, 0,
        "{path}: {hits} freed block(s) still held the secret"
    );
}

/// The detector itself: an unwiped key that is freed is seen.
#[test]
fn the_detector_sees_an_unwiped_key() {
    let armed = Armed::new();
    let before = armed.hits();
    let mut s = secret();
    mark(&mut s.key);
    drop(std::hint::black_box(s));
    assert_eq!(armed.hits() - before, 1, "the scan missed a freed secret");
}

/// The detector sees nothing after the ordinary return: reset wipes.
#[test]
fn an_ordinary_return_wipes() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::new(secret);
    let mut g = pool.get();
    mark(&mut g.key);
    drop(g);
    drop(pool);
    assert_no_leak(&armed, before, "returned, then the pool dropped");
}

#[test]
fn rejected_over_a_field_cap() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::new(secret);
    let mut g = pool.get();
    mark(&mut g.key);
    g.other.reserve_exact(OTHER_CAP * 4);
    drop(g);
    let s = pool.stats();
    assert_eq!(s.rejected, 1, "{s:?}");
    assert_no_leak(&armed, before, "rejected over `cap`");
}

#[test]
fn rejected_over_the_container_max_bytes() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::new(|| Bounded {
        key: Vec::with_capacity(KEY_CAP),
        other: Vec::new(),
    });
    let mut g = pool.get();
    mark(&mut g.key);
    g.other.reserve_exact(8192);
    drop(g);
    let s = pool.stats();
    assert_eq!(s.rejected, 1, "{s:?}");
    assert_no_leak(&armed, before, "rejected over the container's `max_bytes`");
}

#[test]
fn dropped_for_the_pools_byte_budget() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::builder(secret).max_bytes(KEY_CAP / 2).build();
    let mut g = pool.get();
    mark(&mut g.key);
    drop(g);
    let s = pool.stats();
    assert_eq!((s.dropped, s.retained), (1, 0), "{s:?}");
    assert_no_leak(&armed, before, "dropped for `max_bytes`");
}

#[test]
fn dropped_because_the_pool_is_full() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::builder(secret)
        .max_per_thread(1)
        .max_shared(0)
        .build();
    let (mut a, mut b) = (pool.get(), pool.get());
    mark(&mut a.key);
    mark(&mut b.key);
    drop(a);
    drop(b);
    let s = pool.stats();
    assert_eq!((s.dropped, s.retained), (1, 1), "{s:?}");
    assert_no_leak(&armed, before, "dropped, the pool full");
    drop(pool);
    assert_no_leak(&armed, before, "dropped, the pool full, then the pool");
}

#[test]
fn put_into_a_full_pool() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::builder(secret)
        .max_per_thread(0)
        .max_shared(0)
        .build();
    let mut s = secret();
    mark(&mut s.key);
    pool.put(s);
    assert_eq!(pool.stats().dropped, 1);
    assert_no_leak(&armed, before, "put into a pool with no room");
}

/// Returns `n` marked values to `pool`, all held at once first.
fn return_marked(pool: &Pool<Secret>, n: usize) {
    let mut held: Vec<_> = (0..n).map(|_| pool.get()).collect();
    for g in &mut held {
        mark(&mut g.key);
    }
    drop(held);
}

#[test]
fn evicted_by_trim() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::new(secret);
    return_marked(&pool, 100); // 64 in the stash, 36 in the shared tier
    pool.trim();
    pool.trim();
    let s = pool.stats();
    assert_eq!((s.evicted, s.retained), (100, 0), "{s:?}");
    assert_no_leak(&armed, before, "evicted by `trim()`");
}

#[test]
fn freed_by_clear() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::new(secret);
    return_marked(&pool, 100);
    pool.clear();
    let s = pool.stats();
    assert_eq!((s.evicted, s.retained), (100, 0), "{s:?}");
    assert_no_leak(&armed, before, "freed by `clear()`");
}

#[test]
fn dropped_with_the_pool() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::new(secret);
    return_marked(&pool, 100);
    assert_eq!(pool.stats().retained, 100);
    drop(pool);
    assert_no_leak(&armed, before, "dropped with the pool");
}

/// A thread's stash at its exit goes to the shared tier; with none, it is
/// dropped there and then.
#[test]
fn dropped_at_thread_exit() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = std::sync::Arc::new(Pool::builder(secret).max_shared(0).build());
    let in_thread = std::sync::Arc::clone(&pool);
    std::thread::spawn(move || return_marked(&in_thread, 10))
        .join()
        .unwrap();
    let s = pool.stats();
    assert_eq!((s.dropped, s.retained), (10, 0), "{s:?}");
    assert_no_leak(&armed, before, "dropped at thread exit");
}

/// A burst's surplus, freed by the automatic trim during steady use.
#[test]
fn evicted_by_automatic_trimming() {
    let armed = Armed::new();
    let before = armed.hits();
    let pool = Pool::new(secret);
    return_marked(&pool, 300);
    const STEADY: usize = if cfg!(miri) { 10_000 } else { 100_000 };
    for _ in 0..STEADY {
        let mut g = pool.get();
        mark(&mut g.key);
    }
    let s = pool.stats();
    assert!(s.evicted > 0, "no automatic trim happened: {s:?}");
    assert_no_leak(&armed, before, "evicted by the automatic trim");
}
