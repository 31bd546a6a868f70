//! [`Pool`]: the handle users hold, and its methods. What a pool is, and
//! the paths through it, are `Inner`'s (`inner/`).

use crate::calibrate::LearnedCap;
use crate::inner::Inner;
use crate::outstanding::Outstanding;
use crate::poolable::Poolable;
use crate::stats::Stats;
use crate::sync::Arc;
use core::fmt;

/// A pool of reusable values of one type.
///
/// [`get`](Pool::get) hands out a [`Pooled`](crate::Pooled) guard; dropping the guard checks
/// the value's caps, resets it and keeps it for the next `get`. Each thread
/// has its own stash (the fast path: no lock, no atomic read-modify-write);
/// a shared tier behind it takes what a stash overflows and refills empty
/// stashes, a batch at a time; the factory makes a value only when both are
/// empty.
///
/// ```
/// use pool_runtime::{Pool, Poolable};
///
/// #[derive(Poolable, Default)]
/// struct Scratch {
///     #[pool(cap = 1 << 16)]
///     bytes: Vec<u8>,
///     lines: usize,
/// }
///
/// let pool: Pool<Scratch> = Pool::default();
/// {
///     let mut s = pool.get();
///     s.bytes.extend_from_slice(b"a\nb\n");
///     s.lines = 2;
/// } // reset and kept
/// let s = pool.get();
/// assert!(s.bytes.is_empty() && s.bytes.capacity() >= 4 && s.lines == 0);
/// assert_eq!(pool.stats().reused, 1);
/// ```
pub struct Pool<T: Poolable + 'static> {
    inner: Arc<Inner<T>>,
}

impl<T: Poolable + 'static> Pool<T> {
    /// A pool that makes values with `factory`, with the default limits.
    ///
    /// ```
    /// use pool_runtime::Pool;
    /// let pool = Pool::new(|| Vec::<u8>::with_capacity(4096));
    /// assert!(pool.get().capacity() >= 4096);
    /// ```
    ///
    /// A pool is made at run time, so `static POOL: Pool<T> = Pool::new(…)`
    /// does not compile (E0015). For one pool for the whole process, put
    /// `#[pool(global)]` on the type ([`GlobalPool`](crate::GlobalPool)), or
    /// keep the pool in a `LazyLock`:
    ///
    /// ```
    /// use pool_runtime::Pool;
    /// use std::sync::LazyLock;
    ///
    /// static BUFFERS: LazyLock<Pool<Vec<u8>>> = LazyLock::new(|| Pool::new(Vec::new));
    /// BUFFERS.get().extend_from_slice(b"made on first use");
    /// assert_eq!(BUFFERS.stats().returned, 1);
    /// ```
    pub fn new(factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Self::builder(factory).build()
    }

    /// The pool `inner` is: from [`PoolBuilder::build`](crate::PoolBuilder::build).
    pub(crate) fn from_inner(inner: Arc<Inner<T>>) -> Self {
        Pool { inner }
    }

    /// Gives the pool a value made elsewhere: it is cap-checked, reset and
    /// kept exactly as a guard's value would be.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::new(Vec::<u8>::new);
    /// pool.put(Vec::with_capacity(100));
    /// assert!(pool.get().capacity() >= 100);
    /// ```
    #[inline]
    pub fn put(&self, value: T) {
        self.inner.arrived();
        self.inner.give_back(value, None);
    }

    /// Frees the values that were not used since the previous `trim()`; so
    /// two calls with no use between free everything idle. Every thread's
    /// stash and the shared tier are trimmed before it returns, the stashes
    /// of idle threads included, and what it frees is dropped on the
    /// calling thread (the crate docs' "Retention and trimming" says how,
    /// and what it costs). [`trim_all`](crate::trim_all) trims every pool.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::new(String::new);
    /// drop((pool.get(), pool.get()));
    /// pool.trim(); // both were put back since the pool was made: kept
    /// assert_eq!(pool.stats().retained, 2);
    /// pool.trim(); // unused since the last trim: freed
    /// assert_eq!(pool.stats().retained, 0);
    /// assert_eq!(pool.stats().evicted, 2);
    /// ```
    pub fn trim(&self) {
        self.inner.trim();
    }

    /// Frees everything retained, in every thread's stash (idle threads'
    /// included) and the shared tier, before it returns; the values are
    /// dropped on the calling thread.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).prefill(3).build();
    /// pool.clear();
    /// assert_eq!(pool.stats().retained, 0);
    /// ```
    pub fn clear(&self) {
        self.inner.clear();
    }

    /// The seed of the pool's chaos mode, if it runs in it
    /// ([`PoolBuilder::chaos`](crate::PoolBuilder::chaos), or `POOL_RUNTIME_CHAOS`): print it with a
    /// failing test to replay the failure.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).chaos(42).build();
    /// assert_eq!(pool.chaos_seed(), Some(42));
    /// ```
    pub fn chaos_seed(&self) -> Option<u64> {
        self.inner.chaos_seed()
    }

    /// The sampled guards still out, oldest first, with where each was
    /// taken and how long ago ([`PoolBuilder::track_outstanding`](crate::PoolBuilder::track_outstanding)); empty
    /// when the pool does not sample.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(Vec::<u8>::new).track_outstanding(1).build();
    /// let buf = pool.get();
    /// assert_eq!(pool.outstanding().len(), 1);
    /// drop(buf);
    /// assert!(pool.outstanding().is_empty());
    /// ```
    pub fn outstanding(&self) -> Vec<Outstanding> {
        self.inner.outstanding()
    }

    /// What a pool that learns its per-value cap
    /// ([`PoolBuilder::calibrate`](crate::PoolBuilder::calibrate),
    /// `#[pool(max_value_bytes = auto)]`) has decided so far: the cap, the
    /// returns it read, and when the cap last changed. `None` for a pool
    /// whose cap is fixed or absent.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(Vec::<u8>::new).calibrate().build();
    /// assert_eq!(pool.learned_cap().unwrap().bytes, None); // nothing seen yet
    /// for _ in 0..64 {
    ///     pool.put(vec![0; 1000]); // 1000 bytes used
    /// }
    /// let learned = pool.learned_cap().unwrap();
    /// assert_eq!((learned.bytes, learned.calibrations), (Some(2048), 1));
    /// assert!(learned.changed_at.is_some());
    /// assert!(pool_runtime::Pool::new(String::new).learned_cap().is_none());
    /// ```
    pub fn learned_cap(&self) -> Option<LearnedCap> {
        self.inner.learned_cap()
    }

    /// The pool's name ([`PoolBuilder::name`](crate::PoolBuilder::name), or a
    /// `#[pool(global)]` pool's type), if it has one.
    ///
    /// ```
    /// assert_eq!(pool_runtime::Pool::new(String::new).name(), None);
    /// ```
    pub fn name(&self) -> Option<&'static str> {
        self.inner.name()
    }

    /// The pool's counters and what it retains, summed over every thread.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::new(|| 0u32);
    /// drop(pool.get());
    /// let s = pool.stats();
    /// assert_eq!((s.created, s.returned, s.retained), (1, 1, 1));
    /// ```
    pub fn stats(&self) -> Stats {
        self.inner.stats()
    }

    #[inline(always)]
    pub(crate) fn inner(&self) -> &Inner<T> {
        &self.inner
    }
}

impl<T: Poolable + Default + 'static> Default for Pool<T> {
    /// A pool that makes values with `T::default`.
    ///
    /// ```
    /// let pool: pool_runtime::Pool<Vec<u8>> = Default::default();
    /// assert!(pool.get().is_empty());
    /// ```
    fn default() -> Self {
        Pool::new(T::default)
    }
}

impl<T: Poolable + 'static> fmt::Debug for Pool<T> {
    /// The limits and a [`stats`](Pool::stats) snapshot.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::new(String::new);
    /// assert!(format!("{pool:?}").contains("retained: 0"));
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The snapshot first: no lock is held while the formatter (user
        // code) runs.
        let stats = self.stats();
        let limits = self.inner.limits();
        f.debug_struct("Pool")
            .field("name", &self.name())
            .field("max_per_thread", &limits.max_per_thread)
            .field("max_shared", &limits.max_shared)
            .field("max_bytes", &limits.max_bytes)
            .field("max_value_bytes", &limits.max_value_bytes)
            .field("learned_cap", &self.learned_cap().and_then(|l| l.bytes))
            .field("chaos_seed", &self.chaos_seed())
            .field("stats", &stats)
            .finish()
    }
}
