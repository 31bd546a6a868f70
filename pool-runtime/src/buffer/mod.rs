//! [`BufferPool`]: byte buffers of many sizes, one pool per size class.
//!
//! A class is a `Pool<Vec<u8>>` whose buffers all have a capacity in one
//! power-of-two band, `[size, 2·size)`; a get takes from the smallest class
//! whose size covers the request, so any of its buffers will do. What keeps
//! the bands true is the return: the guard looks at the capacity the
//! buffer has *now* and, when it left its band while out (it grew, or was
//! shrunk), moves it to the class it fits, or drops it when it fits none.
//! The classes are ordinary pools, so a buffer that stays in its band
//! takes the ordinary guard's return path, stash and all.

mod builder;
mod guard;

pub use builder::BufferPoolBuilder;
pub use guard::{Buffer, OwnedBuffer};

use crate::pool::Pool;
use crate::stats::Stats;
use crate::sync::Arc;
use core::fmt;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::OnceLock;

/// A pool of byte buffers (`Vec<u8>`) sorted by capacity: a get asks for a
/// least capacity and gets an empty buffer from the smallest class that
/// covers it; the buffer goes back to the class its capacity fits when it
/// returns, so one large request never makes every later small one hold a
/// large buffer (Go's "the buffer that grew" trap), and small requests
/// never take the large buffers.
///
/// The classes are powers of two, from 256 bytes to 1 MiB by default
/// ([`BufferPool::builder`] sets both ends and what each class keeps). A
/// request above the largest class gets a fresh buffer of its own, which
/// is dropped when it comes back: it is counted, never pooled.
///
/// ```
/// use pool_runtime::BufferPool;
///
/// let pool = BufferPool::new();
/// let mut reply = pool.get(3000);            // from the 4 KiB class
/// assert!(reply.is_empty() && reply.capacity() >= 3000);
/// reply.extend_from_slice(b"HTTP/1.1 200 OK\r\n");
/// drop(reply);                               // cleared, back to the 4 KiB class
///
/// let small = pool.get(100);                 // the 256-byte class: not that buffer
/// assert!(small.capacity() < 3000);
/// assert_eq!(pool.get(2500).capacity(), 4096); // the 4 KiB one again
/// ```
///
/// When one size dominates (every request needs about 4 KiB), one
/// [`Pool<Vec<u8>>`](crate::Pool) with a cap is as good and a little
/// faster: a `BufferPool` is for sizes that vary.
///
/// A `BufferPool` is a handle: clones share the classes, so it can be
/// cloned into tasks and threads.
#[derive(Clone)]
pub struct BufferPool {
    classes: Arc<Classes>,
}

/// The classes of a [`BufferPool`], shared by its handles and its guards.
struct Classes {
    /// One pool per class, smallest first: class `k` keeps capacities in
    /// `[1 << (lo + k), 1 << (lo + k + 1))`, the last one only `1 << hi`.
    pools: Box<[Arc<Pool<Vec<u8>>>]>,
    /// What fits no class: buffers for requests above the largest, and
    /// buffers that left every band while out. It keeps nothing (its
    /// limits are zero), so all it does is count them.
    outside: Arc<Pool<Vec<u8>>>,
    /// log2 of the smallest class's size.
    lo: u32,
    /// log2 of the largest class's size.
    hi: u32,
    /// Whether buffers are wiped (all their capacity) on their way back.
    zeroize: bool,
    /// Buffers moved to another class on their way back; each was counted
    /// as detached by the class it left and as put by the one it joined.
    moved: AtomicU64,
}

/// What one class of a [`BufferPool`] did and keeps, from
/// [`BufferPool::class_stats`].
///
/// ```
/// let pool = pool_runtime::BufferPool::new();
/// drop(pool.get(1000));
/// let kb = pool.class_stats().into_iter().find(|c| c.capacity == 1024).unwrap();
/// assert_eq!((kb.stats.created, kb.stats.retained), (1, 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClassStats {
    /// The class's size: a get of up to this many bytes (and more than the
    /// class below) is served here, and every buffer it keeps has at
    /// least this capacity and less than twice it.
    pub capacity: usize,
    /// The class's own counters. A buffer that moved here from another
    /// class on its way back counts as `detached` there and as a value
    /// given to `put` here.
    pub stats: Stats,
}

impl BufferPool {
    /// A pool with the default classes (256 bytes to 1 MiB) and retention;
    /// [`BufferPool::builder`] says what they are.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::new();
    /// assert_eq!(pool.get(0).capacity(), 256);
    /// assert_eq!(pool.get(1 << 20).capacity(), 1 << 20);
    /// assert_eq!(pool.get(4 << 20).capacity(), 4 << 20); // made for it, not pooled
    /// ```
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// One process-wide pool with the defaults, made on first use, for code
    /// that does not pass a handle around (.NET's `ArrayPool.Shared`). Its
    /// guards are `Buffer<'static>`, which can be sent to other threads.
    ///
    /// ```
    /// use pool_runtime::BufferPool;
    ///
    /// let line = std::thread::spawn(|| {
    ///     let mut line = BufferPool::global().get(80);
    ///     line.extend_from_slice(b"made on another thread");
    ///     line.len()
    /// });
    /// assert_eq!(line.join().unwrap(), 22);
    /// assert_eq!(BufferPool::global().name(), Some("pool_runtime::BufferPool::global"));
    /// ```
    pub fn global() -> &'static BufferPool {
        static GLOBAL: OnceLock<BufferPool> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            Self::builder()
                .name("pool_runtime::BufferPool::global")
                .build()
        })
    }

    /// An empty buffer with a capacity of at least `min_capacity`, from the
    /// smallest class that covers it (made there if the class has none),
    /// or, above the largest class, made for this request alone and
    /// dropped when it comes back (unless it was shrunk into a class's
    /// range while out: then that class keeps it).
    ///
    /// # Panics
    ///
    /// As `Vec::with_capacity` does, when `min_capacity` is above
    /// `isize::MAX` (or the allocator fails).
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().max_capacity(1 << 20).build();
    /// let mut big = pool.get(3 << 20);       // above the largest class
    /// big.resize(3 << 20, 1);
    /// drop(big);                             // dropped, not kept
    /// assert_eq!(pool.stats().retained, 0);
    /// ```
    #[inline]
    pub fn get(&self, min_capacity: usize) -> Buffer<'_> {
        let class = self.classes.class_for(min_capacity);
        match self.classes.pools.get(class) {
            Some(pool) => Buffer::new(pool.get(), &self.classes, class),
            None => Buffer::new(self.classes.outside_get(min_capacity), &self.classes, class),
        }
    }

    /// [`get`](BufferPool::get), with a guard that owns a handle on the
    /// pool: `'static` and `Send`, for spawned tasks and threads.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::new();
    /// let mut buf = pool.get_owned(512);
    /// let len = std::thread::spawn(move || {
    ///     buf.extend_from_slice(b"filled by a task");
    ///     buf.len()
    /// });
    /// assert_eq!(len.join().unwrap(), 16);
    /// assert_eq!(pool.stats().retained, 1);
    /// ```
    #[inline]
    pub fn get_owned(&self, min_capacity: usize) -> OwnedBuffer {
        let class = self.classes.class_for(min_capacity);
        let guard = match self.classes.pools.get(class) {
            Some(pool) => pool.get_owned(),
            None => {
                let mut guard = self.classes.outside.get_owned();
                guard.reserve_exact(min_capacity);
                guard
            }
        };
        OwnedBuffer::new(guard, Arc::clone(&self.classes), class)
    }

    /// The sizes of the classes, smallest first.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder()
    ///     .min_capacity(1000)
    ///     .max_capacity(5000)
    ///     .build();
    /// assert_eq!(pool.class_sizes().collect::<Vec<_>>(), [1024, 2048, 4096, 8192]);
    /// ```
    pub fn class_sizes(&self) -> impl Iterator<Item = usize> + '_ {
        (self.classes.lo..=self.classes.hi).map(|log| 1usize << log)
    }

    /// The pool's totals: every class's counters added up, and the
    /// buffers that fit no class (made for a request above the largest
    /// class, or grown past it while out), which are counted as created and
    /// dropped (`dropped_full`). A buffer that moved between classes on its
    /// way back is one return, not a `detached` one.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::new();
    /// let mut b = pool.get(100);
    /// b.resize(10_000, 0);                   // grew while out: 256 B class -> 8 KiB class
    /// drop(b);
    /// let s = pool.stats();
    /// assert_eq!((s.created, s.returned, s.retained, s.detached), (1, 1, 1, 0));
    /// assert!(s.retained_bytes >= 10_000);
    /// ```
    pub fn stats(&self) -> Stats {
        let mut total = self.classes.outside.stats();
        for pool in self.classes.pools.iter() {
            total.add(&pool.stats());
        }
        let moved = self.classes.moved.load(Relaxed);
        total.detached = total.detached.saturating_sub(moved);
        total
    }

    /// Each class's own counters, smallest class first.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::new();
    /// drop(pool.get(5000));
    /// for class in pool.class_stats() {
    ///     let kept = class.stats.retained;
    ///     assert_eq!(kept, usize::from(class.capacity == 8192));
    /// }
    /// ```
    pub fn class_stats(&self) -> Vec<ClassStats> {
        self.class_sizes()
            .zip(self.classes.pools.iter())
            .map(|(capacity, pool)| ClassStats {
                capacity,
                stats: pool.stats(),
            })
            .collect()
    }

    /// [`Pool::trim`](crate::Pool::trim) on every class: frees the buffers
    /// not used since the previous `trim()`. [`trim_all`](crate::trim_all)
    /// and a [`spawn_trimmer`](crate::spawn_trimmer) trim the classes too,
    /// as they do every pool.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::new();
    /// drop((pool.get(100), pool.get(100_000)));
    /// pool.trim();
    /// pool.trim();                           // unused since the last trim: freed
    /// assert_eq!(pool.stats().retained, 0);
    /// ```
    pub fn trim(&self) {
        for pool in self.classes.pools.iter() {
            pool.trim();
        }
    }

    /// [`Pool::clear`](crate::Pool::clear) on every class: frees every
    /// buffer kept.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::new();
    /// drop((pool.get(100), pool.get(100_000)));
    /// pool.clear();
    /// assert_eq!(pool.stats().retained, 0);
    /// ```
    pub fn clear(&self) {
        for pool in self.classes.pools.iter() {
            pool.clear();
        }
    }

    /// The name given by [`BufferPoolBuilder::name`]. Each class is a pool
    /// of its own name, this one with the class's size after a colon
    /// (`"replies:4096"`), which is the `pool` label its metrics carry.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().name("replies").build();
    /// assert_eq!(pool.name(), Some("replies"));
    /// ```
    pub fn name(&self) -> Option<&'static str> {
        let first = self.classes.pools.first()?.name()?;
        first.rsplit_once(':').map(|(name, _)| name)
    }
}

impl Default for BufferPool {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for BufferPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferPool")
            .field("name", &self.name())
            .field("smallest_class", &(1usize << self.classes.lo))
            .field("largest_class", &(1usize << self.classes.hi))
            .field("zeroize", &self.classes.zeroize)
            .field("stats", &self.stats())
            .finish()
    }
}

impl Classes {
    /// The class a request for `min_capacity` bytes is served from: the
    /// smallest whose size covers it, or `pools.len()` above the largest.
    #[inline(always)]
    fn class_for(&self, min_capacity: usize) -> usize {
        if min_capacity <= 1 << self.lo {
            return 0;
        }
        // ⌈log2(min_capacity)⌉, for min_capacity ≥ 2.
        let log = usize::BITS - (min_capacity - 1).leading_zeros();
        ((log - self.lo) as usize).min(self.pools.len())
    }

    /// The class a buffer of `capacity` belongs to on its way back: the
    /// largest whose size it reaches, or `pools.len()` below the smallest
    /// and above the largest.
    #[inline(always)]
    fn class_of(&self, capacity: usize) -> usize {
        if capacity < 1 << self.lo || capacity > 1 << self.hi {
            return self.pools.len();
        }
        // ⌊log2(capacity)⌋, for capacity ≥ 1.
        let log = usize::BITS - 1 - capacity.leading_zeros();
        (log - self.lo) as usize
    }

    /// A buffer for a request above the largest class, made for it.
    #[cold]
    fn outside_get(&self, min_capacity: usize) -> crate::Pooled<'_, Vec<u8>> {
        let mut guard = self.outside.get();
        guard.reserve_exact(min_capacity);
        guard
    }

    /// The last step of a guard's drop: the buffer is wiped if the pool
    /// zeroizes, then goes back through its class's own guard when it
    /// still fits that class, else moves to the class it fits now (or to
    /// `outside`, which drops it). `detach` takes the buffer out of a
    /// class's guard.
    #[inline(always)]
    fn give_back<G>(&self, mut guard: G, class: usize, detach: fn(G) -> Vec<u8>)
    where
        G: core::ops::DerefMut<Target = Vec<u8>>,
    {
        if self.zeroize {
            wipe_keeping_len(&mut guard);
        }
        let now = self.class_of(guard.capacity());
        if now == class {
            return drop(guard);
        }
        self.move_to(detach(guard), now);
    }

    /// A buffer that left its class's band while out joins the class it
    /// fits now.
    #[cold]
    #[inline(never)]
    fn move_to(&self, buffer: Vec<u8>, class: usize) {
        self.moved.fetch_add(1, Relaxed);
        self.pools.get(class).unwrap_or(&self.outside).put(buffer);
    }
}

/// Overwrites all of a buffer's capacity with zeros, and leaves its length
/// as it was (zeros now): the class's return path reads the length as what
/// the use needed (for a learned cap) before its reset clears it.
fn wipe_keeping_len(buffer: &mut Vec<u8>) {
    let len = buffer.len();
    // Clears, then zeroes every byte of the capacity with writes the
    // compiler keeps.
    zeroize::Zeroize::zeroize(buffer);
    debug_assert!(buffer.capacity() >= len);
    // SAFETY: the capacity is unchanged and covers `len`, and every byte of
    // it was just written (zero), so the first `len` are initialized.
    unsafe { buffer.set_len(len) };
}

#[cfg(test)]
mod tests {
    use super::{Buffer, BufferPool, OwnedBuffer};

    /// The guards' unsafe takes (drop, detach of both kinds) and a move
    /// between classes, on two threads: small enough for miri.
    #[test]
    fn guards_move_detach_and_travel() {
        let pool = BufferPool::builder()
            .min_capacity(8)
            .max_capacity(64)
            .build();
        let mut a = pool.get(8);
        a.extend_from_slice(&[1; 40]); // grows into the 32 or 64 class
        drop(a);
        let b = pool.get(8);
        let kept = Buffer::detach(b);
        let mut owned = pool.get_owned(100); // above the largest: not pooled
        let moved = std::thread::spawn(move || {
            owned.push(2);
            owned
        })
        .join()
        .unwrap();
        drop(moved);
        let detached = OwnedBuffer::detach(pool.get_owned(16));
        let s = pool.stats();
        assert_eq!((s.retained, s.detached, s.out), (1, 2, 0), "{s:?}");
        assert_eq!((kept.len(), detached.capacity()), (0, 16));
    }
}
