//! [`PoolBuilder`]: the limits it sets and the pool it builds; the
//! switches for checking users' code are in `checking.rs`.

mod checking;

use crate::calibrate::DEFAULT_CAP_PERCENTILE;
use crate::checks::{chaos_from_env, Chaos, Checks};
use crate::inner::{Config, Enrol, Factory, Inner, Limits};
use crate::pool::Pool;
use crate::poolable::Poolable;
use crate::sync::{Arc, Weak};
use crate::watch::{enrol, Watched};

/// Values a thread keeps for itself when the builder does not say.
pub const DEFAULT_MAX_PER_THREAD: usize = 64;
/// Values the shared tier keeps when the builder does not say.
pub const DEFAULT_MAX_SHARED: usize = 512;

/// Builds a [`Pool`] with its limits. From [`Pool::builder`].
///
/// Every limit takes any `usize`: `usize::MAX` means unbounded and `0` means
/// that tier keeps nothing; see the crate docs' table of limits.
///
/// ```
/// use pool_runtime::Pool;
///
/// let pool = Pool::builder(|| Vec::<u8>::with_capacity(4096))
///     .max_per_thread(32)
///     .max_shared(256)
///     .max_bytes(8 << 20)
///     .prefill(16)
///     .build();
/// assert_eq!(pool.stats().retained, 16);
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct PoolBuilder<T> {
    factory: Factory<T>,
    limits: Limits,
    prefill: usize,
    checks: Checks<T>,
    name: Option<&'static str>,
    enrol: Option<Enrol>,
}

impl<T: Poolable + 'static> Pool<T> {
    /// A builder, to set the pool's limits before making it.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).max_per_thread(8).build();
    /// # drop(pool);
    /// ```
    pub fn builder(factory: impl Fn() -> T + Send + Sync + 'static) -> PoolBuilder<T> {
        PoolBuilder::new(Box::new(factory))
    }
}

impl<T: Poolable + 'static> PoolBuilder<T> {
    pub(crate) fn new(factory: Factory<T>) -> Self {
        PoolBuilder {
            factory,
            limits: Limits {
                max_per_thread: DEFAULT_MAX_PER_THREAD,
                max_shared: DEFAULT_MAX_SHARED,
                max_bytes: None,
                max_value_bytes: None,
                calibrate: T::calibrates().then_some(DEFAULT_CAP_PERCENTILE),
            },
            prefill: 0,
            checks: Checks::none(),
            name: None,
            enrol: None,
        }
    }

    /// How many values each thread keeps for itself (default
    /// [`DEFAULT_MAX_PER_THREAD`]). `0` sends every value through the shared
    /// tier; `usize::MAX` keeps all that come back. A thread's storage grows
    /// with what it holds, not with this limit.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).max_per_thread(0).build();
    /// drop(pool.get());
    /// assert_eq!(pool.stats().retained, 1); // in the shared tier
    /// ```
    pub fn max_per_thread(mut self, n: usize) -> Self {
        self.limits.max_per_thread = n;
        self
    }

    /// How many values the shared tier keeps (default [`DEFAULT_MAX_SHARED`]).
    /// `0` keeps none there; `usize::MAX` keeps all that come.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).max_shared(8).prefill(100).build();
    /// assert_eq!(pool.stats().retained, 8);
    /// ```
    pub fn max_shared(mut self, n: usize) -> Self {
        self.limits.max_shared = n;
        self
    }

    /// A budget over the memory the pool keeps: each retained value counts
    /// its inline size (`size_of::<T>()`) plus its
    /// [`Poolable::retained_bytes`]. A value that would exceed it is dropped
    /// (counted as `dropped`). `usize::MAX` is no budget at all; `0` keeps
    /// only values of zero bytes.
    ///
    /// ```
    /// // Each value counts 24 bytes of `Vec` plus its 1000 bytes of capacity.
    /// let pool = pool_runtime::Pool::builder(|| Vec::<u8>::with_capacity(1000))
    ///     .max_bytes(2500)
    ///     .build();
    /// let (a, b, c) = (pool.get(), pool.get(), pool.get());
    /// drop((a, b, c));
    /// assert_eq!(pool.stats().retained, 2);
    /// assert!(pool.stats().retained_bytes <= 2500);
    /// ```
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.limits.max_bytes = (bytes != usize::MAX).then_some(bytes);
        self
    }

    /// A cap on what one value may keep: a value whose
    /// [`Poolable::retained_bytes`] (after its reset) is over `bytes` is
    /// dropped on its way back, counted as `rejected`, like a value over a
    /// field cap of a derived struct (`#[pool(cap = …)]`). It caps a pool of
    /// a type with no caps of its own, such as `Pool<Vec<u8>>`, without a
    /// wrapper struct. `usize::MAX` is no cap; `0` keeps only values that
    /// hold no heap memory.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(Vec::<u8>::new)
    ///     .max_value_bytes(64 * 1024)
    ///     .build();
    /// let mut big = pool.get();
    /// big.reserve(1 << 20); // a request that grew it to 1 MiB
    /// drop(big);            // not kept: it would pin 1 MiB
    /// drop(pool.get());     // a small one is
    /// let s = pool.stats();
    /// assert_eq!((s.rejected, s.retained), (1, 1));
    /// ```
    pub fn max_value_bytes(mut self, bytes: usize) -> Self {
        self.limits.max_value_bytes = (bytes != usize::MAX).then_some(bytes);
        self
    }

    /// Learns the per-value cap from the pool's own returns, instead of a
    /// number guessed up front: the cap that covers the
    /// [`DEFAULT_CAP_PERCENTILE`] (95th) percentile of recent returns'
    /// sizes, with one power of two to spare. Values over it are dropped on
    /// their way back, counted as `rejected`, as a fixed
    /// [`max_value_bytes`](PoolBuilder::max_value_bytes) drops them; with
    /// both set, the smaller cap decides. `#[pool(max_value_bytes = auto)]` on a
    /// derived struct turns it on for every pool of the type.
    ///
    /// How it decides: each return's [`Poolable::used_bytes`] (what that use
    /// needed, read before the reset: a large buffer reused for small
    /// requests counts small) is counted in a power-of-two class by the
    /// returning thread; every
    /// 32 returns a thread hands its counts to the pool. The first
    /// calibration reads [`FIRST_CALIBRATION_WINDOW`] returns, every later
    /// one [`CALIBRATION_WINDOW`]; each sets the cap at the top of the
    /// smallest class covering the percentile, times [`CAP_HEADROOM`].
    /// Until the first, nothing is refused, and the cap never falls below
    /// the `retained_bytes()` of a value fresh from the factory (one made
    /// with `Vec::with_capacity(64 << 10)` keeps 64 KiB however little its
    /// uses need: refusing it would make every get allocate).
    ///
    /// How fast it follows: on one thread, within two windows of a change
    /// of sizes; with several threads returning, a fall in sizes can take a
    /// window or two more (each thread may hand in up to 31 old sizes late).
    ///
    /// When the cap goes down, the values kept above it are freed (counted as
    /// `evicted`): at once in the shared tier and the calibrating thread's
    /// stash; in another thread's stash at its next get, its next
    /// maintenance on the return path (within 32 returns), or its exit. A
    /// value an owner moves to the shared tier before it has seen the lower
    /// cap stays there until it is taken (and refused on its way back) or
    /// trimmed as idle.
    ///
    /// The cap is learned from what each use needed, so it falls when
    /// requests get smaller only if [`Poolable::used_bytes`] counts lengths:
    /// the std containers and derived structs do (a `reset = …` or
    /// `reset_with = …` field counts its capacity); a hand-written
    /// `Poolable` that keeps the default (its `retained_bytes()`, a
    /// capacity) should implement it, or a large buffer reused for small
    /// requests keeps reporting its full size.
    ///
    /// The pool refuses a value over the learned cap; it does not shrink
    /// it. Refusing makes at most as many allocations as shrinking:
    /// shrinking is one `realloc` now; refusing is one `free` now and,
    /// when the values kept do not cover the gets that follow, one
    /// allocation of the common size later (none when they do). What
    /// decides is the cap itself: it is a number of bytes for the whole
    /// value, and a pool cannot know which of a struct's buffers to shrink
    /// to meet it, or by how much each, while refusing is the same rule for
    /// every `Poolable`, and the same as a fixed cap's. A type that wants
    /// its large fields shrunk rather than refused says so per field with
    /// `#[pool(cap = …, shrink)]`, which runs before this cap is checked.
    ///
    /// [`Pool::learned_cap`] tells what the pool decided, and when.
    ///
    /// [`FIRST_CALIBRATION_WINDOW`]: crate::FIRST_CALIBRATION_WINDOW
    /// [`CALIBRATION_WINDOW`]: crate::CALIBRATION_WINDOW
    /// [`CAP_HEADROOM`]: crate::CAP_HEADROOM
    /// [`Pool::learned_cap`]: crate::Pool::learned_cap
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(Vec::<u8>::new).calibrate().build();
    /// // Request bodies: 99 of every 100 are 4 KiB, one is 16 MiB.
    /// for i in 0..2000 {
    ///     let mut body = pool.get();
    ///     body.resize(if i % 100 == 50 { 16 << 20 } else { 4096 }, 0);
    /// }
    /// let learned = pool.learned_cap().unwrap();
    /// assert_eq!(learned.bytes, Some(8 << 10)); // covers 4 KiB with room to grow
    /// let s = pool.stats();
    /// assert_eq!(s.rejected, 19);               // the 16 MiB bodies after the first window
    /// assert_eq!((s.retained, s.retained_bytes), (1, 24 + 4096));
    /// ```
    pub fn calibrate(self) -> Self {
        self.calibrate_percentile(DEFAULT_CAP_PERCENTILE)
    }

    /// Like [`calibrate`](PoolBuilder::calibrate), with the cap covering
    /// `percentile` percent of returns instead of 95: higher keeps more of
    /// the tail (fewer allocations, more memory held), lower keeps less.
    /// Taken within `1..=100`: `0` is read as 1, anything above 100 as 100.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(Vec::<u8>::new).calibrate_percentile(99).build();
    /// assert_eq!(pool.learned_cap().unwrap().percentile, 99);
    /// ```
    pub fn calibrate_percentile(mut self, percentile: u8) -> Self {
        self.limits.calibrate = Some(percentile.clamp(1, 100));
        self
    }

    /// Makes `n` values up front, reset, into the shared tier: at most
    /// `max_shared` of them, and within `max_bytes`; a value the factory
    /// makes over `max_value_bytes` is not kept.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).prefill(4).build();
    /// assert_eq!(pool.stats().created, 4);
    /// ```
    pub fn prefill(mut self, n: usize) -> Self {
        self.prefill = n;
        self
    }

    /// Makes the pool.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(|| 0u64).build();
    /// assert_eq!(*pool.get(), 0);
    /// ```
    pub fn build(self) -> Pool<T> {
        Pool::from_inner(Inner::new(self.into_config()))
    }

    /// The configuration as built: chaos mode from the environment
    /// (`POOL_RUNTIME_CHAOS`) where the builder did not ask for it, and, in
    /// chaos mode, no stashes (every get and return meets the chaos in the
    /// shared tier).
    fn into_config(self) -> Config<T> {
        let PoolBuilder {
            factory,
            mut limits,
            prefill,
            mut checks,
            name,
            enrol,
        } = self;
        if checks.chaos.is_none() {
            checks.chaos = chaos_from_env().map(Chaos::new);
        }
        if checks.chaos.is_some() {
            limits.max_per_thread = 0;
        }
        Config {
            factory,
            limits,
            checks,
            prefill,
            name,
            enrol,
        }
    }
}

impl<T: Poolable + Send + 'static> PoolBuilder<T> {
    /// Names the pool, for those who watch it: [`Pool::name`], and, with the
    /// `metrics` feature, the `pool` label of every metric
    /// `publish_metrics()` publishes for it (the crate docs' "Watching a
    /// pool"). A `#[pool(global)]` pool is named after its type. Names need
    /// not be unique, but two pools of one name are one series to a
    /// dashboard. For pools whose values are `Send`: their stats are read
    /// on whichever thread publishes them.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(Vec::<u8>::new).name("reply_buffers").build();
    /// assert_eq!(pool.name(), Some("reply_buffers"));
    /// ```
    pub fn name(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        // Made here, where `T: Send` makes the pool `Send + Sync`, so that
        // its stats may be read on the thread that publishes them.
        self.enrol = Some(|made: &dyn core::any::Any| {
            if let Some(inner) = made.downcast_ref::<Arc<Inner<T>>>() {
                let weak: Weak<Inner<T>> = Arc::downgrade(inner);
                let watched: Weak<dyn Watched> = weak;
                enrol(watched);
            }
        });
        self
    }
}
