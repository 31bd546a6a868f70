//! [`Pool`], and the get and return paths its guards go through, top to
//! bottom: the fast path first, then what it declines.
//!
//! Where each step lives: a thread's stash and the handle that owns it in
//! `slot.rs` (on top of the container of both tiers, `stash.rs`); the table
//! of slots in `table.rs`; the shared tier in `shared.rs`; trimming, the
//! interval and thread exit in `maintain.rs`; the byte budget in
//! `budget.rs`.

use crate::budget::Budget;
use crate::builder::{Limits, PoolBuilder};
use crate::guard::{OwnedPooled, Pooled};
use crate::poolable::Poolable;
use crate::shared::SharedTier;
use crate::slot::{Home, Mine, Slot};
use crate::stash::Entry;
use crate::stats::{Counters, Event, Stats};
use crate::sync::{Arc, AtomicU64, CachePadded, Ordering, Weak};
use crate::table::Table;
use crate::thread;
use core::fmt;
use core::mem::{size_of, ManuallyDrop};
use core::panic::AssertUnwindSafe;
use std::panic::catch_unwind;

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
    pub(crate) limits: Limits,
    pub(crate) batch: usize,
    factory: Factory<T>,
    pub(crate) shared: SharedTier<T>,
    /// `trim()` and `clear()` calls so far: what each stash owner compares
    /// with what it last carried out.
    pub(crate) trims: AtomicU64,
    pub(crate) clears: AtomicU64,
    /// Events that happen where no stash is at hand (trims, thread teardown).
    pub(crate) counters: CachePadded<Counters>,
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

    pub(crate) fn from_builder(b: PoolBuilder<T>) -> Self {
        let inner = Arc::new_cyclic(|this| Inner {
            table: Table::new(),
            budget: Budget::new(b.limits.max_bytes),
            limits: b.limits,
            batch: b.limits.batch(),
            factory: b.factory,
            shared: SharedTier::new(b.limits.max_shared),
            trims: AtomicU64::new(0),
            clears: AtomicU64::new(0),
            counters: CachePadded::default(),
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
    pub fn get(&self) -> Pooled<'_, T> {
        let (value, home) = self.inner.take();
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
    pub fn get_owned(self: &Arc<Self>) -> OwnedPooled<T> {
        let (value, home) = self.inner.take();
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
        self.inner.give_back(value, None);
    }

    /// Frees the values that were not used since the previous `trim()`; so
    /// two calls with no use between free everything idle. The caller's own
    /// stash and the shared tier are trimmed at once, every other thread's
    /// stash at that thread's next use of the pool (or its exit).
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

    /// Frees everything retained: the caller's stash and the shared tier at
    /// once, other threads' stashes at their next use of the pool.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).prefill(3).build();
    /// pool.clear();
    /// assert_eq!(pool.stats().retained, 0);
    /// ```
    pub fn clear(&self) {
        self.inner.clear();
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
            .field("stats", &stats)
            .finish()
    }
}

impl<T: Poolable + 'static> Inner<T> {
    // ---- get ----

    /// The get path: a pop from this thread's stash, else `take_slow`. Also
    /// says where the value was taken, so that its guard can skip the slot
    /// lookup when it is dropped on the same thread.
    #[inline(always)]
    pub(crate) fn take(&self) -> (T, Option<Home<T>>) {
        if let Some(owner) = thread::owner() {
            if let Some(mine) = self.table.mine(owner) {
                if let Some(entry) = mine.pop() {
                    self.budget.release(entry.bytes);
                    return (entry.value, Some(mine.home()));
                }
            }
        }
        self.take_slow()
    }

    /// Everything `take` declined: maintenance first, then the stash again,
    /// then a batch from the shared tier, then the factory.
    #[cold]
    #[inline(never)]
    fn take_slow(&self) -> (T, Option<Home<T>>) {
        let Some(mine) = self.mine_or_make() else {
            return (self.take_without_slot(), None);
        };
        if mine.maintenance_due() {
            self.maintain(&mine);
        }
        let entry = match mine.pop() {
            Some(entry) => Some(entry),
            None if self.shared.may_have_values() => {
                // A refill gives the stash storage: it must be handed over
                // when the thread exits.
                self.register_once(&mine);
                mine.refill(&self.shared, self.batch)
            }
            None => None,
        };
        if let Some(entry) = entry {
            self.budget.release(entry.bytes);
            return (entry.value, Some(mine.home()));
        }
        let value = self.make();
        mine.made_one();
        (value, Some(mine.home()))
    }

    /// A get on a thread with no slot (it is exiting): the shared tier or
    /// the factory, counted in the pool's own counters.
    fn take_without_slot(&self) -> T {
        let entry = { self.shared.lock().pop() };
        if let Some(entry) = entry {
            self.counters.bump_shared(Event::Reused, 1);
            self.budget.release(entry.bytes);
            return entry.value;
        }
        let value = self.make();
        self.counters.bump_shared(Event::Created, 1);
        value
    }

    /// A value from the factory, reset once so that it is in the state every
    /// later checkout sees (a `#[pool(reset = …)]` field holds its value).
    pub(crate) fn make(&self) -> T {
        let mut value = (self.factory)();
        value.reset();
        value
    }

    /// This thread's slot, making its id and its bucket if need be. `None`
    /// while the thread exits: then the shared tier serves it.
    #[inline]
    pub(crate) fn mine_or_make(&self) -> Option<Mine<'_, T>> {
        let owner = thread::owner_or_register()?;
        Some(self.table.mine_or_make(owner, || {
            Slot::new(
                self.limits.max_per_thread,
                self.trims.load(Ordering::Acquire),
                self.clears.load(Ordering::Acquire),
            )
        }))
    }

    /// The calling thread's slot, if it has one already.
    #[inline]
    pub(crate) fn mine(&self) -> Option<Mine<'_, T>> {
        self.table.mine(thread::owner()?)
    }

    // ---- return ----

    /// The return path of guards and `put`: cap check, reset, then this
    /// thread's stash, else the shared tier, else drop; each counted. The
    /// common case, a guard dropped on the thread that got it, is inline.
    #[inline(always)]
    pub(crate) fn give_back(&self, value: T, home: Option<Home<T>>) {
        // SAFETY: `home` came from this pool's table (the guard that held it
        // was made by this pool), and `&self` keeps the pool alive.
        match home.and_then(|home| unsafe { home.claim() }) {
            Some(mine) => self.give_back_to(&mine, value),
            None => self.give_back_elsewhere(value),
        }
    }

    /// The return path for a guard dropped on another thread, or for `put`.
    #[cold]
    #[inline(never)]
    fn give_back_elsewhere(&self, value: T) {
        if let Some(mine) = self.mine_or_make() {
            return self.give_back_to(&mine, value);
        }
        let Some(entry) = self.check(value, None) else {
            return;
        };
        let refused = { self.shared.lock().push_growing(entry) };
        match refused {
            Ok(()) => self.counters.bump_shared(Event::Returned, 1),
            Err(entry) => self.refuse(None, entry),
        }
    }

    /// The return path into the calling thread's own slot.
    #[inline(always)]
    fn give_back_to(&self, mine: &Mine<'_, T>, value: T) {
        let Some(entry) = self.check(value, Some(mine)) else {
            return;
        };
        if let Err(entry) = mine.push(entry) {
            self.push_slow(mine, entry);
        }
    }

    /// The stash had no storage free: maintenance if it is due (a full
    /// stash is where a put-only consumer thread passes), the exit hook on
    /// first use, then the stash grows, or overflows to the shared tier.
    #[cold]
    #[inline(never)]
    fn push_slow(&self, mine: &Mine<'_, T>, entry: Entry<T>) {
        if mine.maintenance_due() {
            // What maintenance frees is dropped here, and a drop may panic:
            // the value on its way in is then accounted for, not lost.
            let flight = InFlight::new(entry.value, entry.bytes, self, Some(*mine));
            self.maintain(mine);
            let (value, bytes) = flight.land();
            return self.push_after_maintenance(mine, Entry { value, bytes });
        }
        self.push_after_maintenance(mine, entry);
    }

    fn push_after_maintenance(&self, mine: &Mine<'_, T>, entry: Entry<T>) {
        self.register_once(mine);
        if let Err(entry) = mine.push_slow(entry, &self.shared, self.batch) {
            self.refuse(Some(mine), entry);
        }
    }

    /// Cap check, reset and byte budget, all user code but the budget, run
    /// with nothing borrowed: the value as an entry ready to keep, or `None`
    /// once it was dropped (and counted).
    #[inline(always)]
    fn check(&self, value: T, mine: Option<&Mine<'_, T>>) -> Option<Entry<T>> {
        if std::thread::panicking() {
            return self.check_while_unwinding(value, mine);
        }
        // Armed while the user's methods run: if one panics, its drop counts
        // the value and drops it, and the panic goes on to the caller.
        let mut armed = InFlight::new(value, 0, self, mine.copied());
        if !armed.value.within_caps() {
            let (value, _) = armed.land();
            self.reject(mine, value);
            return None;
        }
        armed.value.reset();
        let bytes = size_of::<T>().saturating_add(armed.value.retained_bytes());
        let (value, _) = armed.land();
        if !self.budget.reserve(bytes) {
            // Nothing was reserved, so nothing is given back.
            self.refuse(mine, Entry { value, bytes: 0 });
            return None;
        }
        Some(Entry { value, bytes })
    }

    /// `check` for a guard dropped by a panic: a second panic there would
    /// abort, so the user's methods run under `catch_unwind`, and a value
    /// whose reset panicked is dropped without passing the panic on.
    #[cold]
    #[inline(never)]
    fn check_while_unwinding(&self, mut value: T, mine: Option<&Mine<'_, T>>) -> Option<Entry<T>> {
        let checked = catch_unwind(AssertUnwindSafe(|| {
            if !value.within_caps() {
                return None;
            }
            value.reset();
            Some(size_of::<T>().saturating_add(value.retained_bytes()))
        }));
        match checked {
            Ok(Some(bytes)) if self.budget.reserve(bytes) => Some(Entry { value, bytes }),
            Ok(Some(_)) => {
                self.refuse(mine, Entry { value, bytes: 0 });
                None
            }
            Ok(None) => {
                self.reject(mine, value);
                None
            }
            Err(_) => {
                self.count_returned(mine, Event::Dropped);
                self.discard_value(value);
                None
            }
        }
    }

    /// A value over its caps is dropped, never pooled.
    #[cold]
    #[inline(never)]
    fn reject(&self, mine: Option<&Mine<'_, T>>, value: T) {
        self.count_returned(mine, Event::Rejected);
        self.discard_value(value);
    }

    /// A value the pool has no room for (count or bytes) is dropped.
    /// `entry.bytes` is what it holds of the byte budget, given back here.
    #[cold]
    #[inline(never)]
    pub(crate) fn refuse(&self, mine: Option<&Mine<'_, T>>, entry: Entry<T>) {
        self.budget.release(entry.bytes);
        self.count_returned(mine, Event::Dropped);
        self.discard_value(entry.value);
    }

    /// Counts a return and what became of the value, together.
    fn count_returned(&self, mine: Option<&Mine<'_, T>>, event: Event) {
        match mine {
            Some(mine) => mine.returned_not_kept(event),
            None => {
                self.counters.bump_shared(Event::Returned, 1);
                self.counters.bump_shared(event, 1);
            }
        }
    }

    #[inline]
    pub(crate) fn count(&self, mine: Option<&Mine<'_, T>>, event: Event, n: u64) {
        match mine {
            Some(mine) => mine.count(event, n),
            None => self.counters.bump_shared(event, n),
        }
    }

    /// Counts `event` for the calling thread.
    #[inline]
    pub(crate) fn count_here(&self, event: Event) {
        self.count(self.mine().as_ref(), event, 1);
    }

    /// Every value the pool drops for good ends here: wiped, then dropped.
    pub(crate) fn discard_value(&self, mut value: T) {
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
            let bytes = size_of::<T>().saturating_add(value.retained_bytes());
            if !self.budget.reserve(bytes) {
                self.counters.bump_shared(Event::Dropped, 1);
                self.discard_value(value);
                break;
            }
            let refused = { self.shared.lock().push_growing(Entry { value, bytes }) };
            if let Err(entry) = refused {
                self.budget.release(entry.bytes);
                self.counters.bump_shared(Event::Dropped, 1);
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
        stats
    }
}

/// A value on its way back while user code runs (its cap check, reset or
/// `retained_bytes`, or the drops of what maintenance frees). If that code
/// panics, the drop of this guard accounts for the value: its `bytes` leave
/// the budget, it is counted as returned and dropped, wiped and dropped.
struct InFlight<'p, T: Poolable + 'static> {
    value: ManuallyDrop<T>,
    bytes: usize,
    pool: &'p Inner<T>,
    /// By value (it is `Copy`), so that it stays in registers.
    mine: Option<Mine<'p, T>>,
}

impl<'p, T: Poolable + 'static> InFlight<'p, T> {
    #[inline(always)]
    fn new(value: T, bytes: usize, pool: &'p Inner<T>, mine: Option<Mine<'p, T>>) -> Self {
        InFlight {
            value: ManuallyDrop::new(value),
            bytes,
            pool,
            mine,
        }
    }

    /// The user code is done: the value and its bytes, guard disarmed.
    #[inline(always)]
    fn land(self) -> (T, usize) {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is taken once.
        (unsafe { ManuallyDrop::take(&mut this.value) }, this.bytes)
    }
}

impl<T: Poolable + 'static> Drop for InFlight<'_, T> {
    #[cold]
    fn drop(&mut self) {
        // SAFETY: only reached by unwinding (`land` forgets the guard), so
        // the value is taken once.
        let value = unsafe { ManuallyDrop::take(&mut self.value) };
        self.pool.budget.release(self.bytes);
        self.pool.count_returned(self.mine.as_ref(), Event::Dropped);
        self.pool.discard_value(value);
    }
}
