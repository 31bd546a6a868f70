//! [`Pool`], and the get path, top to bottom: the fast path first, then
//! what it declines.
//!
//! Where each step lives: the return path in `give_back.rs`; a thread's
//! stash, its slot in the pool's table, and the protocol of who may touch
//! it in `per_thread/` (on top of the container of both tiers,
//! `stash.rs`); the shared tier in `shared.rs`; trimming, the interval and
//! thread exit in `maintain.rs`; the byte budget in `budget.rs`.

use crate::budget::Budget;
use crate::builder::{Limits, PoolBuilder};
use crate::calibrate::LearnedCap;
use crate::checks::{self, Chaos, Checks};
use crate::guard::{OwnedPooled, Pooled};
use crate::outstanding::Outstanding;
use crate::per_thread::thread;
use crate::per_thread::Table;
use crate::per_thread::{Home, Mine, Slot};
use crate::poolable::Poolable;
use crate::population::Population;
use crate::registry::{Registration, Trim};
use crate::shared::SharedTier;
use crate::stash::{entry_bytes, Entry};
use crate::stats::{Counters, Event, Stats};
use crate::sync::{Arc, AtomicU64, CachePadded, Ordering, Weak};
use crate::value_cap::ValueCap;
use core::fmt;
use core::panic::Location;

pub(crate) type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;

/// A pool of reusable values of one type.
///
/// [`get`](Pool::get) hands out a [`Pooled`] guard; dropping the guard checks
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

/// Everything a pool is; guards and thread-exit hooks point here.
pub(crate) struct Inner<T: Poolable + 'static> {
    /// First: the fast path reads its first bucket pointer on every operation.
    pub(crate) table: Table<T>,
    pub(crate) budget: Budget,
    pub(crate) value_cap: ValueCap,
    pub(crate) checks: Checks<T>,
    /// A budget, a per-value cap or a check of `checks.rs` is on: the
    /// return path has more to do, so the inline return steps aside.
    pub(crate) slow_return: bool,
    pub(crate) limits: Limits,
    pub(crate) batch: usize,
    pub(crate) factory: Factory<T>,
    pub(crate) shared: SharedTier<T>,
    /// `trim()` and `clear()` calls so far: what each stash owner compares
    /// with what it last carried out.
    pub(crate) trims: AtomicU64,
    pub(crate) clears: AtomicU64,
    /// Events that happen where no stash is at hand (trims, thread teardown).
    pub(crate) counters: CachePadded<Counters>,
    /// The values that exist, out or kept, and their peak.
    pub(crate) population: Population,
    /// The pool's entry in the process's list for `trim_all`.
    pub(crate) registration: Registration,
    pub(crate) this: Weak<Inner<T>>,
}

impl<T: Poolable + 'static> Pool<T> {
    /// A pool that makes values with `factory`, with the default limits.
    ///
    /// ```
    /// use pool_runtime::Pool;
    /// let pool = Pool::new(|| Vec::<u8>::with_capacity(4096));
    /// assert!(pool.get().capacity() >= 4096);
    /// ```
    pub fn new(factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Self::builder(factory).build()
    }

    /// A builder, to set the pool's limits before making it.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).max_per_thread(8).build();
    /// # drop(pool);
    /// ```
    pub fn builder(factory: impl Fn() -> T + Send + Sync + 'static) -> PoolBuilder<T> {
        PoolBuilder::new(Box::new(factory))
    }

    pub(crate) fn from_builder(mut b: PoolBuilder<T>) -> Self {
        if b.checks.chaos.is_none() {
            b.checks.chaos = checks::chaos_from_env().map(Chaos::new);
        }
        if b.checks.chaos.is_some() {
            // No stash: every get and return meets the chaos in the shared tier.
            b.limits.max_per_thread = 0;
        }
        let value_cap = ValueCap::new(b.limits.max_value_bytes, b.limits.calibrate);
        let slow_return = b.limits.max_bytes.is_some() || value_cap.any() || b.checks.any();
        let inner = Arc::new_cyclic(|this: &Weak<Inner<T>>| Inner {
            table: Table::new(),
            budget: Budget::new(b.limits.max_bytes),
            value_cap,
            checks: b.checks,
            slow_return,
            limits: b.limits,
            batch: b.limits.batch(),
            factory: b.factory,
            shared: SharedTier::new(b.limits.max_shared),
            trims: AtomicU64::new(0),
            clears: AtomicU64::new(0),
            counters: CachePadded::default(),
            population: Population::default(),
            registration: Registration::new(this.clone() as Weak<dyn Trim>),
            this: this.clone(),
        });
        inner.prefill(b.prefill);
        Pool { inner }
    }

    /// A value from this thread's stash, else the shared tier, else the
    /// factory; in its reset state either way (a value from the factory is
    /// reset once when made). The guard puts it back when dropped.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::new(String::new);
    /// let mut s = pool.get();
    /// s.push_str("scratch");
    /// drop(s);
    /// assert_eq!(*pool.get(), "");
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn get(&self) -> Pooled<'_, T> {
        let (value, home) = self.inner.take(Location::caller());
        Pooled::new(value, home, &self.inner)
    }

    /// Like [`get`](Pool::get), for a pool in an `Arc`: the guard holds the
    /// `Arc` and is `'static` (and `Send` when `T` is), so it can live in a
    /// spawned task or thread.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let pool = Arc::new(pool_runtime::Pool::new(Vec::<u8>::new));
    /// let mut buf = pool.get_owned();
    /// std::thread::spawn(move || buf.push(1)).join().unwrap();
    /// assert_eq!(pool.stats().returned, 1);
    /// ```
    #[inline]
    #[track_caller]
    pub fn get_owned(self: &Arc<Self>) -> OwnedPooled<T> {
        let (value, home) = self.inner.take(Location::caller());
        OwnedPooled::new(value, home, Arc::clone(self))
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
        self.inner.population.arrived();
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
    /// ([`PoolBuilder::chaos`], or `POOL_RUNTIME_CHAOS`): print it with a
    /// failing test to replay the failure.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).chaos(42).build();
    /// assert_eq!(pool.chaos_seed(), Some(42));
    /// ```
    pub fn chaos_seed(&self) -> Option<u64> {
        self.inner.checks.chaos.as_ref().map(Chaos::seed)
    }

    /// The sampled guards still out, oldest first, with where each was
    /// taken and how long ago ([`PoolBuilder::track_outstanding`]); empty
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
        match &self.inner.checks.track {
            Some(track) => track.outstanding(),
            None => Vec::new(),
        }
    }

    /// What a pool that learns its per-value cap
    /// ([`PoolBuilder::calibrate`](crate::PoolBuilder::calibrate),
    /// `#[pool(max_bytes = auto)]`) has decided so far: the cap, the
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
        self.inner.value_cap.learned()
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
        let limits = self.inner.limits;
        f.debug_struct("Pool")
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

impl<T: Poolable + 'static> Trim for Inner<T> {
    fn trim(&self) {
        Inner::trim(self);
    }
}

impl<T: Poolable + 'static> Inner<T> {
    /// The pool's values are `Send`: any thread's `trim_all` may trim it.
    pub(crate) fn shared_across_threads(&self) {
        let this: Weak<dyn Trim> = self.this.clone();
        self.registration.lift(&this);
    }

    /// This thread's slot, made (and its id) if need be. `None`
    /// while the thread exits: then the shared tier serves it.
    #[inline]
    pub(crate) fn mine_or_make(&self) -> Option<Mine<'_, T>> {
        let owner = thread::owner_or_register()?;
        Some(self.table.mine_or_make(owner, || {
            Slot::new(
                self.limits.max_per_thread,
                self.trims.load(Ordering::Acquire),
                self.clears.load(Ordering::Acquire),
                self.checks.sample_every(),
            )
        }))
    }

    /// The calling thread's slot, if it has one already.
    #[inline]
    pub(crate) fn mine(&self) -> Option<Mine<'_, T>> {
        self.table.mine(thread::owner()?)
    }

    #[inline]
    pub(crate) fn count(&self, mine: Option<&Mine<'_, T>>, event: Event, n: u64) {
        match mine {
            Some(mine) => mine.count(event, n),
            None => self.counters.bump_shared(event, n),
        }
    }

    /// A guard's value was taken out of the pool for good.
    #[inline]
    pub(crate) fn detached(&self, home: Option<Home<T>>) {
        if let Some(ticket) = home.and_then(Home::ticket_id) {
            self.hand_in(ticket);
        }
        self.population.left(1);
        self.count(self.mine().as_ref(), Event::Detached, 1);
    }

    /// Every value the pool drops for good ends here: wiped, then dropped.
    pub(crate) fn discard_value(&self, value: T) {
        self.population.left(1);
        Self::wipe_and_drop(value);
    }

    /// For values already counted as gone from the population: a drop
    /// that panics must not leave the ones after it counted.
    pub(crate) fn wipe_and_drop(mut value: T) {
        value.wipe();
        drop(value);
    }

    fn prefill(&self, n: usize) {
        for _ in 0..n {
            if self.shared.lock().receive().room() == 0 {
                break;
            }
            let value = self.make();
            self.counters.bump_shared(Event::Created, 1);
            self.population.arrived();
            let bytes = entry_bytes(&value);
            if !self.value_cap.admits::<T>(bytes) {
                self.counters.bump_shared(Event::Rejected, 1);
                self.discard_value(value);
                break;
            }
            if !self.budget.reserve(bytes) {
                self.counters.bump_shared(Event::DroppedBudget, 1);
                self.discard_value(value);
                break;
            }
            let refused = { self.shared.lock().push_growing(Entry { value, bytes }) };
            if let Err(entry) = refused {
                self.budget.release(entry.bytes);
                self.counters.bump_shared(Event::DroppedFull, 1);
                self.discard_value(entry.value);
                break;
            }
        }
    }

    pub(crate) fn stats(&self) -> Stats {
        let mut stats = Stats::default();
        // Values move between stashes and the shared tier under its lock:
        // holding it while reading the stashes sees each value once. Only
        // atomics are read under it.
        let shared = self.shared.lock();
        self.counters.add_to(&mut stats);
        self.table
            .for_each(|slot| slot.add_to(&mut stats, self.limits.max_per_thread));
        stats.retained += shared.len();
        stats.retained_bytes = stats.retained_bytes.saturating_add(shared.bytes());
        drop(shared);
        // Read after the stashes: a value counted as retained there has
        // arrived already, so `out` cannot come out below what is out.
        stats.out = (self.population.alive() as usize).saturating_sub(stats.retained);
        stats.high_water = self.population.peak() as usize;
        stats
    }
}
