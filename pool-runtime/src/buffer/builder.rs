//! [`BufferPoolBuilder`]: a [`BufferPool`]'s classes and what each keeps.

use super::{BufferPool, Classes};
use crate::builder::{DEFAULT_MAX_PER_THREAD, DEFAULT_MAX_SHARED};
use crate::pool::Pool;
use crate::sync::Arc;
use std::collections::BTreeSet;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, PoisonError};

/// The smallest class when the builder does not say: below a few hundred
/// bytes an allocation costs about what a pool's get and return do.
const DEFAULT_MIN_CAPACITY: usize = 256;
/// The largest class when the builder does not say.
const DEFAULT_MAX_CAPACITY: usize = 1 << 20;
/// What each class keeps per thread, in bytes, when the builder does not say.
const DEFAULT_CLASS_BYTES_PER_THREAD: usize = 2 << 20;
/// What each class keeps in its shared tier, in bytes, when the builder
/// does not say.
const DEFAULT_CLASS_BYTES_SHARED: usize = 1 << 20;
/// The largest class there can be: 2^(usize::BITS - 2).
const LARGEST_LOG: u32 = usize::BITS - 2;

/// Builds a [`BufferPool`]. From [`BufferPool::builder`].
///
/// Each class keeps, per thread, as many buffers as fit in
/// `class_bytes_per_thread` (2 MiB) at the class's size, and at most
/// `max_per_thread` (64); in its shared tier, as many as fit in
/// `class_bytes_shared` (1 MiB), at least one unless that is 0, and at
/// most `max_shared` (512). So the small classes keep many buffers and the
/// large ones few (the 1 MiB class: two per thread, one shared). A class's
/// buffers hold up to twice its size (a buffer that grew while out joins
/// the class below its new capacity), so with the defaults (classes of
/// 256 bytes to 1 MiB) a thread's stashes hold at most 14 MiB (28 MiB if
/// every buffer grew to just under twice its class) and the shared tiers
/// 11 MiB (21 MiB); `trim()`, `trim_all()` or a trimmer give back what
/// sits idle. Why so much per thread: with fewer, on the compare report's
/// `sizes` workload (8 requests of 64 B to 8 MiB in flight per thread) two
/// threads took the large classes' buffers through the shared tier often
/// enough to run 1.2 to 1.6 times as long as with 2 MiB, for the same
/// bytes kept at the end.
///
/// ```
/// use pool_runtime::BufferPool;
///
/// let pool = BufferPool::builder()
///     .min_capacity(1024)
///     .max_capacity(64 << 10)
///     .class_bytes_per_thread(128 << 10)
///     .name("frames")
///     .build();
/// assert_eq!(pool.class_sizes().count(), 7); // 1 KiB, 2 KiB, … 64 KiB
/// ```
#[must_use = "a builder does nothing until `build` is called"]
#[derive(Debug, Clone)]
pub struct BufferPoolBuilder {
    min_capacity: usize,
    max_capacity: usize,
    max_per_thread: usize,
    max_shared: usize,
    class_bytes_per_thread: usize,
    class_bytes_shared: usize,
    calibrate: Option<u8>,
    zeroize: bool,
    name: Option<&'static str>,
}

impl BufferPool {
    /// A builder with the defaults of [`BufferPool::new`].
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().zeroize().build();
    /// drop(pool.get(10));
    /// ```
    pub fn builder() -> BufferPoolBuilder {
        BufferPoolBuilder {
            min_capacity: DEFAULT_MIN_CAPACITY,
            max_capacity: DEFAULT_MAX_CAPACITY,
            max_per_thread: DEFAULT_MAX_PER_THREAD,
            max_shared: DEFAULT_MAX_SHARED,
            class_bytes_per_thread: DEFAULT_CLASS_BYTES_PER_THREAD,
            class_bytes_shared: DEFAULT_CLASS_BYTES_SHARED,
            calibrate: None,
            zeroize: false,
            name: None,
        }
    }
}

impl BufferPoolBuilder {
    /// The smallest class: `n` rounded up to a power of two (default 256).
    /// Every get, however small, gets at least this capacity.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().min_capacity(1000).build();
    /// assert_eq!(pool.get(1).capacity(), 1024);
    /// ```
    pub fn min_capacity(mut self, n: usize) -> Self {
        self.min_capacity = n;
        self
    }

    /// The largest class: `n` rounded up to a power of two (default 1 MiB).
    /// A get above it gets a buffer made for it, never pooled, and a
    /// buffer that grew past it while out is dropped on its way back. One
    /// below [`min_capacity`](Self::min_capacity) leaves a single class, of
    /// that size.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().max_capacity(8 << 20).build();
    /// assert_eq!(pool.class_sizes().last(), Some(8 << 20));
    /// ```
    pub fn max_capacity(mut self, n: usize) -> Self {
        self.max_capacity = n;
        self
    }

    /// The most buffers each class keeps per thread (default 64), whatever
    /// their bytes. `0`: no class keeps any per thread.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().max_per_thread(0).build();
    /// drop(pool.get(100));
    /// assert_eq!(pool.stats().retained, 1); // in the class's shared tier
    /// ```
    pub fn max_per_thread(mut self, n: usize) -> Self {
        self.max_per_thread = n;
        self
    }

    /// The most buffers each class keeps in its shared tier (default 512).
    /// `0`: nothing is shared.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().max_per_thread(0).max_shared(0).build();
    /// drop(pool.get(100));
    /// assert_eq!(pool.stats().retained, 0);
    /// ```
    pub fn max_shared(mut self, n: usize) -> Self {
        self.max_shared = n;
        self
    }

    /// The bytes each class keeps per thread (default 2 MiB): a class of
    /// size `s` keeps `bytes / s` buffers per thread (within
    /// `max_per_thread`), so a class larger than `bytes` keeps none there.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().class_bytes_per_thread(64 << 10).build();
    /// drop(pool.get(100_000));               // the 128 KiB class: shared tier only
    /// assert_eq!(pool.stats().retained, 1);
    /// ```
    pub fn class_bytes_per_thread(mut self, bytes: usize) -> Self {
        self.class_bytes_per_thread = bytes;
        self
    }

    /// The bytes each class keeps in its shared tier (default 1 MiB): a
    /// class of size `s` keeps `bytes / s` buffers there, at least one
    /// unless `bytes` is 0 (within `max_shared`).
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder()
    ///     .max_per_thread(0)
    ///     .class_bytes_shared(4096)
    ///     .build();
    /// drop((pool.get(1024), pool.get(1024), pool.get(1024), pool.get(1024), pool.get(1024)));
    /// assert_eq!(pool.stats().retained, 4);  // 4 KiB of the 1 KiB class
    /// ```
    pub fn class_bytes_shared(mut self, bytes: usize) -> Self {
        self.class_bytes_shared = bytes;
        self
    }

    /// Each class learns a cap from what its buffers' uses needed (their
    /// length on return), as
    /// [`PoolBuilder::calibrate`](crate::PoolBuilder::calibrate) does for
    /// one pool, and refuses (drops) a buffer above it. It never falls below
    /// the class's size, so a buffer of the class's own size is always kept. Off by default: within a class the capacities
    /// differ by less than twice, so it matters only where a class's
    /// buffers grow inside it and are rarely used so.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().calibrate().build();
    /// drop(pool.get(100));
    /// ```
    pub fn calibrate(mut self) -> Self {
        self.calibrate = Some(crate::calibrate::DEFAULT_CAP_PERCENTILE);
        self
    }

    /// Wipes every buffer's bytes, all its capacity, on its way back, as
    /// `#[pool(zeroize)]` does for a field: for buffers that held secrets.
    /// A detached buffer is not wiped: it is the caller's. Nor is the old
    /// allocation of a buffer that grew while out: `Vec` moved its bytes
    /// and freed it, unseen by the pool (reserve enough up front).
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().zeroize().build();
    /// let mut key = pool.get(32);
    /// key.extend_from_slice(b"secret");
    /// let at = key.as_ptr();
    /// drop(key);
    /// let again = pool.get(32);
    /// assert_eq!(again.as_ptr(), at);
    /// // SAFETY (of the test): the bytes are initialized, zeros.
    /// assert_eq!(unsafe { std::slice::from_raw_parts(again.as_ptr(), 6) }, [0; 6]);
    /// ```
    pub fn zeroize(mut self) -> Self {
        self.zeroize = true;
        self
    }

    /// Names the pool ([`BufferPool::name`]): each class is named after it,
    /// with its size after a colon (`"frames:4096"`), the `pool` label of
    /// its metrics (feature `metrics`).
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().name("frames").min_capacity(4096).build();
    /// assert_eq!(pool.class_stats()[0].capacity, 4096);
    /// assert_eq!(pool.name(), Some("frames"));
    /// ```
    pub fn name(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }

    /// Makes the pool: its classes are made now, their buffers on first use.
    ///
    /// ```
    /// let pool = pool_runtime::BufferPool::builder().build();
    /// assert_eq!(pool.stats().created, 0);
    /// ```
    pub fn build(self) -> BufferPool {
        let lo = log2_up(self.min_capacity.max(1));
        let hi = log2_up(self.max_capacity).max(lo);
        let pools = (lo..=hi)
            .map(|log| Arc::new(self.class(1 << log)))
            .collect();
        let outside = Pool::builder(Vec::new)
            .max_per_thread(0)
            .max_shared(0)
            .build();
        BufferPool {
            classes: Arc::new(Classes {
                pools,
                outside: Arc::new(outside),
                lo,
                hi,
                zeroize: self.zeroize,
                moved: AtomicU64::new(0),
            }),
        }
    }

    /// The pool of the class of buffers of `size` bytes.
    fn class(&self, size: usize) -> Pool<Vec<u8>> {
        let per_thread = (self.class_bytes_per_thread / size).min(self.max_per_thread);
        let shared = if self.class_bytes_shared == 0 {
            0
        } else {
            (self.class_bytes_shared / size).max(1)
        }
        .min(self.max_shared);
        let mut builder = Pool::builder(move || Vec::with_capacity(size))
            .max_per_thread(per_thread)
            .max_shared(shared);
        if let Some(percentile) = self.calibrate {
            builder = builder.calibrate_percentile(percentile);
        }
        if let Some(name) = self.name {
            builder = builder.name(class_name(name, size));
        }
        let pool = builder.build();
        // The learned cap's floor is what a fresh value keeps, seen when
        // the factory makes one; a class that only receives buffers moved
        // from other classes would never see one, and learn a cap under
        // its own size from buffers returned empty.
        pool.inner().admit_at_least(size);
        pool
    }
}

/// ⌈log2(n)⌉, at most [`LARGEST_LOG`].
fn log2_up(n: usize) -> u32 {
    n.checked_next_power_of_two()
        .map_or(LARGEST_LOG, |p| p.trailing_zeros())
        .min(LARGEST_LOG)
}

/// `"{name}:{size}"`, made once per name and size for the whole process:
/// a pool's name lives as long as the process (`&'static str`), and pools
/// built again and again under one name reuse the one string.
fn class_name(name: &str, size: usize) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let wanted = format!("{name}:{size}");
    // Nothing that can panic runs under the lock but the set's own
    // methods, which leave it whole.
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = names.get(wanted.as_str()) {
        return known;
    }
    let made: &'static str = Box::leak(wanted.into_boxed_str());
    names.insert(made);
    made
}
