//! [`Pool`], its [`PoolBuilder`], and the machinery the guards return through.

use crate::guard::{OwnedPooled, Pooled};
use crate::local::{Local, Slot, INTERVAL};
use crate::poolable::Poolable;
use crate::shared::{Entry, Shared, SharedTier};
use crate::stats::{Counters, Event, Stats};
use crate::sync::{Arc, AtomicPtr, AtomicU64, AtomicUsize, CachePadded, Ordering, Weak};
use crate::thread::{self, ThreadExit, BUCKETS};
use core::fmt;
use core::marker::PhantomData;
use core::panic::AssertUnwindSafe;
use core::ptr;
use std::panic::{catch_unwind, resume_unwind};

/// Values a thread keeps for itself when the builder does not say.
pub const DEFAULT_MAX_PER_THREAD: usize = 64;
/// Values the shared tier keeps when the builder does not say.
pub const DEFAULT_MAX_SHARED: usize = 512;

type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;

/// The thread id and slot a value was taken from: its guard's drop reuses
/// the slot when it runs on that same thread, and looks it up otherwise.
pub(crate) type Home<'a, T> = Option<(usize, &'a Slot<T>)>;

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
pub(crate) struct Inner<T> {
    /// Bucket `b` points at `bucket_len(b)` slots, indexed by thread id; null until a
    /// thread with an id in that range first uses the pool.
    buckets: [AtomicPtr<Slot<T>>; BUCKETS],
    factory: Factory<T>,
    max_per_thread: usize,
    /// Values moved between a stash and the shared tier at once.
    batch: usize,
    max_bytes: Option<usize>,
    /// Bytes reserved by retained values; kept only when `max_bytes` is set.
    budget_used: CachePadded<AtomicUsize>,
    shared: SharedTier<T>,
    /// Bumped by every `trim()` and `clear()`: the one load the fast path
    /// makes to learn that its owner has work to do.
    epoch: AtomicU64,
    trims: AtomicU64,
    clears: AtomicU64,
    /// Events that happen where no stash is at hand (trims, thread teardown).
    counters: CachePadded<Counters>,
    this: Weak<Inner<T>>,
    _owns: PhantomData<Box<[Slot<T>]>>,
}

/// Builds a [`Pool`] with its limits. From [`Pool::builder`].
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
    max_per_thread: usize,
    max_shared: usize,
    max_bytes: Option<usize>,
    prefill: usize,
}

impl<T: Poolable + 'static> PoolBuilder<T> {
    /// How many values each thread keeps for itself (default
    /// [`DEFAULT_MAX_PER_THREAD`]). `0` sends every value through the shared tier.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).max_per_thread(0).build();
    /// drop(pool.get());
    /// assert_eq!(pool.stats().retained, 1);
    /// ```
    pub fn max_per_thread(mut self, n: usize) -> Self {
        self.max_per_thread = n;
        self
    }

    /// How many values the shared tier keeps (default [`DEFAULT_MAX_SHARED`]).
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).max_shared(8).prefill(100).build();
    /// assert_eq!(pool.stats().retained, 8);
    /// ```
    pub fn max_shared(mut self, n: usize) -> Self {
        self.max_shared = n;
        self
    }

    /// A budget over the sum of [`Poolable::retained_bytes`] of everything the
    /// pool keeps. A value that would exceed it is dropped (counted as `dropped`).
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(|| Vec::<u8>::with_capacity(1000))
    ///     .max_bytes(2500)
    ///     .build();
    /// let (a, b, c) = (pool.get(), pool.get(), pool.get());
    /// drop((a, b, c));
    /// assert_eq!(pool.stats().retained, 2);
    /// assert!(pool.stats().retained_bytes <= 2500);
    /// ```
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = Some(bytes);
        self
    }

    /// Makes `n` values up front, into the shared tier (at most `max_shared`
    /// of them, and within `max_bytes`).
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
        let inner = Arc::new_cyclic(|this| Inner {
            buckets: core::array::from_fn(|_| AtomicPtr::new(ptr::null_mut())),
            factory: self.factory,
            max_per_thread: self.max_per_thread,
            batch: (self.max_per_thread / 2).max(1),
            max_bytes: self.max_bytes,
            budget_used: CachePadded(AtomicUsize::new(0)),
            shared: SharedTier::new(self.max_shared),
            epoch: AtomicU64::new(0),
            trims: AtomicU64::new(0),
            clears: AtomicU64::new(0),
            counters: CachePadded::default(),
            this: this.clone(),
            _owns: PhantomData,
        });
        inner.prefill(self.prefill);
        Pool { inner }
    }
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
        PoolBuilder {
            factory: Box::new(factory),
            max_per_thread: DEFAULT_MAX_PER_THREAD,
            max_shared: DEFAULT_MAX_SHARED,
            max_bytes: None,
            prefill: 0,
        }
    }

    /// A value from this thread's stash, else the shared tier, else the
    /// factory; reset either way. The guard puts it back when dropped.
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
        OwnedPooled::new(self.inner.take().0, Arc::clone(self))
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

    #[inline(always)]
    pub(crate) fn inner(&self) -> &Inner<T> {
        &self.inner
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("max_per_thread", &self.inner.max_per_thread)
            .field("max_shared", &self.inner.shared.lock().cap())
            .field("max_bytes", &self.inner.max_bytes)
            .field("stats", &self.stats())
            .finish()
    }
}

impl<T> Inner<T> {
    /// This thread's slot, if it has an id and the slot's bucket exists.
    #[inline(always)]
    fn slot(&self) -> Option<&Slot<T>> {
        self.slot_of(thread::current()?)
    }

    #[inline(always)]
    fn slot_of(&self, tid: usize) -> Option<&Slot<T>> {
        let (bucket, index) = thread::bucket_of(tid);
        let first = self.buckets.get(bucket)?.load(Ordering::Acquire);
        if first.is_null() {
            return None;
        }
        // SAFETY: a non-null bucket pointer was published (Release, in
        // `slot_slow`) to a live allocation of `bucket_len(bucket)` slots, freed
        // only in `Drop`, and `index < bucket_len(bucket)` by `bucket_of`.
        Some(unsafe { &*first.add(index) })
    }

    /// This thread's slot, making its id and its bucket if need be. `None`
    /// while the thread exits: then the shared tier serves it.
    #[cold]
    #[inline(never)]
    fn slot_slow(&self) -> Option<&Slot<T>> {
        let tid = thread::current_or_register()?;
        if let Some(slot) = self.slot_of(tid) {
            return Some(slot);
        }
        let (bucket, index) = thread::bucket_of(tid);
        let fresh: Box<[Slot<T>]> = (0..thread::bucket_len(bucket))
            .map(|_| Slot::new())
            .collect();
        let fresh = Box::into_raw(fresh) as *mut Slot<T>;
        let first = match self.buckets[bucket].compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(theirs) => {
                // SAFETY: `fresh` came from `Box::into_raw` just above with
                // this length and was never published.
                drop(unsafe {
                    Box::from_raw(ptr::slice_from_raw_parts_mut(
                        fresh,
                        thread::bucket_len(bucket),
                    ))
                });
                theirs
            }
        };
        // SAFETY: as in `slot_of`: published, live until `Drop`, in bounds.
        Some(unsafe { &*first.add(index) })
    }

    #[inline(always)]
    fn count(&self, slot: Option<&Slot<T>>, event: Event, n: u64) {
        match slot {
            Some(slot) => slot.count(event, n),
            None => self.counters.bump_shared(event, n),
        }
    }

    /// Counts `event` for the calling thread.
    #[inline]
    pub(crate) fn count_here(&self, event: Event) {
        self.count(self.slot(), event, 1);
    }

    #[inline(always)]
    fn reserve_budget(&self, bytes: usize) -> bool {
        let Some(max) = self.max_bytes else {
            return true;
        };
        let before = self.budget_used.fetch_add(bytes, Ordering::Relaxed);
        if before.saturating_add(bytes) <= max {
            return true;
        }
        self.budget_used.fetch_sub(bytes, Ordering::Relaxed);
        false
    }

    #[inline(always)]
    fn release_budget(&self, bytes: usize) {
        if self.max_bytes.is_some() {
            self.budget_used.fetch_sub(bytes, Ordering::Relaxed);
        }
    }

    /// Frees values taken out of the pool by a trim, counting them. Runs
    /// with no lock held and no slot borrowed: their drops are user code.
    fn evict(&self, slot: Option<&Slot<T>>, entries: Vec<Entry<T>>) {
        if entries.is_empty() {
            return;
        }
        for entry in &entries {
            self.release_budget(entry.bytes);
        }
        self.count(slot, Event::Evicted, entries.len() as u64);
        drop(entries);
    }

    /// Does this slot's owner have work first: a trim or clear asked by
    /// another thread, or the end of its interval?
    #[inline(always)]
    fn needs_maintenance(&self, slot: &Slot<T>) -> bool {
        let epoch = self.epoch.load(Ordering::Relaxed);
        // SAFETY: called by the slot's owner (its id found it), and the
        // closure runs no user code.
        unsafe { slot.local(|l| l.seen_epoch != epoch || l.countdown == 0) }
    }

    /// Carries out, for the calling thread's own slot, the trims and clears
    /// asked since it last looked, and the automatic trim at the end of an
    /// interval: values that sat in the stash through a whole interval go to
    /// the shared tier, whose own idle values are then freed.
    #[cold]
    #[inline(never)]
    fn maintain(&self, slot: &Slot<T>) {
        // SAFETY: `slot` is the calling thread's own; the closure moves
        // entries and takes the shared lock but runs no user code.
        let (evicted, interval_ended) = unsafe {
            slot.local(|l| {
                let mut evicted = Vec::new();
                let epoch = self.epoch.load(Ordering::Acquire);
                if epoch != l.seen_epoch {
                    let trims = self.trims.load(Ordering::Acquire);
                    let clears = self.clears.load(Ordering::Acquire);
                    let idle = if clears != l.seen_clears || trims.wrapping_sub(l.seen_trims) >= 2 {
                        l.stash.len()
                    } else if trims != l.seen_trims {
                        l.low
                    } else {
                        0
                    };
                    evicted = slot.take_bottom(l, idle);
                    l.low = l.stash.len();
                    (l.seen_epoch, l.seen_trims, l.seen_clears) = (epoch, trims, clears);
                }
                let interval_ended = l.countdown == 0;
                if interval_ended {
                    l.countdown = INTERVAL;
                    let idle = l.low.min(l.stash.len());
                    if idle > 0 {
                        let moved = self.move_to_shared(slot, l, idle);
                        evicted.append(&mut slot.take_bottom(l, idle - moved));
                    }
                    l.low = l.stash.len();
                }
                slot.settle(l.stash.len());
                (evicted, interval_ended)
            })
        };
        self.evict(Some(slot), evicted);
        if interval_ended {
            // Keep a stash's worth: what one consumer thread may be sitting on.
            let idle = self
                .shared
                .lock()
                .take_idle_since_interval(self.max_per_thread);
            self.evict(Some(slot), idle);
        }
    }

    /// Moves up to `n` of the stash's coldest values to the shared tier, as
    /// many as fit; returns how many moved.
    fn move_to_shared(&self, slot: &Slot<T>, l: &mut Local<T>, n: usize) -> usize {
        let mut shared = self.shared.lock();
        let (moved, bytes) = shared.push_batch(&mut l.stash, n);
        // Under the lock, so that `stats()` never counts them twice.
        slot.moved(-(moved as i64), bytes.wrapping_neg());
        drop(shared);
        l.low = l.low.saturating_sub(moved);
        moved
    }

    /// Gives this thread's stash its buffer and asks to be told when the
    /// thread exits. False when the pool keeps no per-thread values or the
    /// thread is already exiting.
    #[cold]
    fn adopt(&self, l: &mut Local<T>) -> bool
    where
        T: Poolable + 'static,
    {
        if self.max_per_thread == 0 {
            return false;
        }
        let this: Weak<dyn ThreadExit> = self.this.clone();
        if !thread::on_exit(this) {
            return false;
        }
        l.stash.reserve_exact(self.max_per_thread);
        true
    }

    fn stats(&self) -> Stats {
        let mut stats = Stats::default();
        // Values move between stashes and the shared tier under its lock:
        // holding it while reading the stashes sees each value once.
        let shared = self.shared.lock();
        self.counters.add_to(&mut stats);
        for (bucket, first) in self.buckets.iter().enumerate() {
            let first = first.load(Ordering::Acquire);
            if first.is_null() {
                continue;
            }
            for index in 0..thread::bucket_len(bucket) {
                // SAFETY: published, live until `Drop`, in bounds; and only
                // the slot's atomics are read.
                unsafe { &*first.add(index) }.add_to(&mut stats, self.max_per_thread);
            }
        }
        stats.retained += shared.len();
        stats.retained_bytes += shared.bytes();
        stats
    }
}

impl<T: Poolable + 'static> Inner<T> {
    /// The get path: a pop from this thread's stash, else `take_slow`. Also
    /// says where the value was taken, so that its guard can skip the slot
    /// lookup when it is dropped on the same thread.
    #[inline(always)]
    pub(crate) fn take(&self) -> (T, Home<'_, T>) {
        if let Some(tid) = thread::current() {
            if let Some(slot) = self.slot_of(tid) {
                if let Some(value) = self.pop_local(slot, false) {
                    return (value, Some((tid, slot)));
                }
            }
        }
        self.take_slow()
    }

    /// Pops from the calling thread's own stash. Declines (so the caller
    /// takes the slow path) when the stash is empty or the owner has
    /// maintenance to do first, unless `maintained` says it just did it.
    #[inline(always)]
    fn pop_local(&self, slot: &Slot<T>, maintained: bool) -> Option<T> {
        let epoch = self.epoch.load(Ordering::Relaxed);
        // SAFETY: our own slot; the closure runs no user code.
        let entry = unsafe {
            slot.local(|l| {
                if !maintained && (l.seen_epoch != epoch || l.countdown == 0) {
                    return None;
                }
                let entry = l.stash.pop()?;
                // Not zero: checked above, or just reset by `maintain`.
                l.countdown -= 1;
                // Rarely true once warm: a branch and no store, where a
                // `min` would store the mark on every get.
                if l.stash.len() < l.low {
                    l.low = l.stash.len();
                }
                slot.sub_bytes(entry.bytes);
                Some(entry)
            })
        }?;
        slot.count(Event::Reused, 1);
        self.release_budget(entry.bytes);
        Some(entry.value)
    }

    /// Everything `take` declined: maintenance first, then the stash again,
    /// then a batch from the shared tier, then the factory.
    #[cold]
    #[inline(never)]
    fn take_slow(&self) -> (T, Home<'_, T>) {
        let home = match thread::current_or_register() {
            Some(tid) => self
                .slot_of(tid)
                .or_else(|| self.slot_slow())
                .map(|s| (tid, s)),
            None => None,
        };
        let slot = home.map(|(_, slot)| slot);
        if let Some(slot) = slot {
            if self.needs_maintenance(slot) {
                self.maintain(slot);
            }
            if let Some(value) = self.pop_local(slot, true) {
                return (value, home);
            }
        }
        if self.shared.may_have_values() {
            let entry = match slot {
                // SAFETY: our own slot; the closure moves entries under the
                // shared lock and runs no user code.
                Some(slot) => unsafe { slot.local(|l| self.refill(slot, l)) },
                None => {
                    let entry = self.shared.lock().pop();
                    if entry.is_some() {
                        self.counters.bump_shared(Event::Reused, 1);
                    }
                    entry
                }
            };
            if let Some(entry) = entry {
                self.release_budget(entry.bytes);
                return (entry.value, home);
            }
        }
        let value = (self.factory)();
        self.count(slot, Event::Created, 1);
        (value, home)
    }

    /// Pulls a batch from the shared tier into an empty stash and pops one
    /// (counted as reused).
    fn refill(&self, slot: &Slot<T>, l: &mut Local<T>) -> Option<Entry<T>> {
        let entry = if l.stash.capacity() == 0 && !self.adopt(l) {
            self.shared.lock().pop()
        } else {
            let room = l.stash.capacity() - l.stash.len();
            let mut shared = self.shared.lock();
            let (moved, bytes) = shared.pop_batch(&mut l.stash, self.batch.min(room));
            // Under the lock, so that `stats()` never misses them.
            slot.moved(moved as i64, bytes);
            drop(shared);
            let entry = l.stash.pop();
            slot.sub_bytes(entry.as_ref().map_or(0, |e| e.bytes));
            l.low = l.low.min(l.stash.len());
            entry
        };
        if entry.is_some() {
            slot.count(Event::Reused, 1);
        }
        slot.settle(l.stash.len());
        entry
    }

    /// The return path of guards and `put`: cap check, reset, then this
    /// thread's stash, else the shared tier, else drop; each counted. The
    /// common case, a guard dropped on the thread that got it, is inline.
    #[inline(always)]
    pub(crate) fn give_back(&self, value: T, home: Home<'_, T>) {
        match home {
            Some((tid, slot)) if thread::is_current(tid) => self.give_back_to(slot, value),
            _ => self.give_back_elsewhere(value),
        }
    }

    /// The return path for a guard dropped on another thread, or for `put`.
    #[cold]
    #[inline(never)]
    fn give_back_elsewhere(&self, value: T) {
        match self.slot().or_else(|| self.slot_slow()) {
            Some(slot) => self.give_back_to(slot, value),
            None => {
                self.counters.bump_shared(Event::Returned, 1);
                let Some(entry) = self.check(None, value) else {
                    return;
                };
                if let Err(entry) = self.push_shared(entry) {
                    self.refuse(None, entry);
                }
            }
        }
    }

    /// The return path into the calling thread's own slot.
    #[inline(always)]
    fn give_back_to(&self, slot: &Slot<T>, value: T) {
        slot.count(Event::Returned, 1);
        let Some(entry) = self.check(Some(slot), value) else {
            return;
        };
        if let Err(entry) = self.push_local(slot, entry) {
            self.refuse(Some(slot), entry);
        }
    }

    /// Cap check, reset and byte budget: the value as an entry ready to
    /// keep, or `None` once it was dropped (and counted).
    #[inline(always)]
    fn check(&self, slot: Option<&Slot<T>>, mut value: T) -> Option<Entry<T>> {
        // The user's three methods run under one `catch_unwind`: whichever
        // panics, the value is accounted for and the pool stays usable.
        let checked = catch_unwind(AssertUnwindSafe(|| {
            if !value.within_caps() {
                return None;
            }
            value.reset();
            Some(value.retained_bytes())
        }));
        match checked {
            Ok(Some(bytes)) => {
                if self.reserve_budget(bytes) {
                    return Some(Entry { value, bytes });
                }
                // Nothing was reserved, so nothing is given back.
                self.refuse(slot, Entry { value, bytes: 0 });
                None
            }
            Ok(None) => {
                self.reject(slot, value);
                None
            }
            Err(panic) => {
                self.reset_panicked(slot, value, panic);
                None
            }
        }
    }

    /// After a return that left the stash as it was: see `Slot::settle`.
    fn settle(&self, slot: Option<&Slot<T>>) {
        if let Some(slot) = slot {
            // SAFETY: `slot` is the calling thread's own (every caller got
            // it from `give_back_to`); the closure runs no user code.
            unsafe { slot.local(|l| slot.settle(l.stash.len())) }
        }
    }

    /// A value over its caps is dropped, never pooled.
    #[cold]
    #[inline(never)]
    fn reject(&self, slot: Option<&Slot<T>>, value: T) {
        self.count(slot, Event::Rejected, 1);
        self.settle(slot);
        drop(value);
    }

    /// A value the pool has no room for (count or bytes) is dropped.
    /// `entry.bytes` is what it holds of the byte budget, given back here.
    #[cold]
    #[inline(never)]
    fn refuse(&self, slot: Option<&Slot<T>>, entry: Entry<T>) {
        self.release_budget(entry.bytes);
        self.count(slot, Event::Dropped, 1);
        self.settle(slot);
        drop(entry);
    }

    /// A value whose `reset` (or cap check) panicked may be half-reset: it is
    /// dropped, never pooled. The panic goes on to the caller, unless the thread is already
    /// unwinding (a guard dropped by a panic), where a second panic would abort.
    #[cold]
    #[inline(never)]
    fn reset_panicked(
        &self,
        slot: Option<&Slot<T>>,
        value: T,
        panic: Box<dyn std::any::Any + Send>,
    ) {
        self.count(slot, Event::Dropped, 1);
        self.settle(slot);
        drop(value);
        if !std::thread::panicking() {
            resume_unwind(panic);
        }
    }

    /// The fast return: a push onto a stash with room. Anything else (a full
    /// stash, no buffer yet, maintenance due) goes to `push_local_slow`.
    #[inline(always)]
    fn push_local(&self, slot: &Slot<T>, entry: Entry<T>) -> Result<(), Entry<T>> {
        // SAFETY: our own slot; the closure runs no user code.
        let full = unsafe {
            slot.local(|l| {
                if l.stash.len() < l.stash.capacity() {
                    slot.add_bytes(entry.bytes);
                    l.stash.push(entry);
                    None
                } else {
                    Some(entry)
                }
            })
        };
        match full {
            None => Ok(()),
            Some(entry) => self.push_local_slow(slot, entry),
        }
    }

    /// The stash is full (or has no buffer yet). A full stash is where a
    /// put-only thread (a consumer) passes, so pending trims are carried out
    /// here too; then the stash's colder half moves to the shared tier and
    /// the value stays here, or goes there if the stash has no room at all.
    #[cold]
    #[inline(never)]
    fn push_local_slow(&self, slot: &Slot<T>, entry: Entry<T>) -> Result<(), Entry<T>> {
        if self.needs_maintenance(slot) {
            self.maintain(slot);
        }
        // SAFETY: our own slot; the closure moves entries under the shared
        // lock and runs no user code (a refused entry is handed back).
        unsafe {
            slot.local(|l| {
                if l.stash.capacity() == 0 && !self.adopt(l) {
                    return self.push_shared(entry);
                }
                if l.stash.len() == l.stash.capacity() {
                    self.move_to_shared(slot, l, self.batch);
                }
                let kept = if l.stash.len() < l.stash.capacity() {
                    slot.add_bytes(entry.bytes);
                    l.stash.push(entry);
                    Ok(())
                } else {
                    self.push_shared(entry)
                };
                slot.settle(l.stash.len());
                kept
            })
        }
    }

    fn push_shared(&self, entry: Entry<T>) -> Result<(), Entry<T>> {
        self.shared.lock().push(entry)
    }

    fn prefill(&self, n: usize) {
        for _ in 0..n {
            if self.shared.lock().room() == 0 {
                break;
            }
            let value = (self.factory)();
            self.counters.bump_shared(Event::Created, 1);
            let bytes = value.retained_bytes();
            if !self.reserve_budget(bytes) {
                self.counters.bump_shared(Event::Dropped, 1);
                break;
            }
            if let Err(entry) = self.push_shared(Entry { value, bytes }) {
                self.release_budget(entry.bytes);
                self.counters.bump_shared(Event::Dropped, 1);
                break;
            }
        }
    }

    fn trim(&self) {
        self.request(&self.trims, |shared| shared.take_idle_since_trim());
    }

    fn clear(&self) {
        self.request(&self.clears, |shared| shared.take_all());
    }

    /// A `trim()` or `clear()`: counted in `requests` and announced through
    /// the epoch, so every stash owner carries it out at its next operation;
    /// the caller's own stash at once, and the shared tier with `take`.
    fn request(&self, requests: &AtomicU64, take: impl FnOnce(&mut Shared<T>) -> Vec<Entry<T>>) {
        requests.fetch_add(1, Ordering::AcqRel);
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let slot = self.slot();
        if let Some(slot) = slot {
            self.maintain(slot);
        }
        let taken = take(&mut self.shared.lock());
        self.evict(slot, taken);
    }
}

impl<T: Poolable + 'static> ThreadExit for Inner<T> {
    /// The exiting thread's stash goes to the shared tier; what does not fit
    /// is dropped and counted. Runs on the exiting thread, which still holds
    /// its id (so it still owns the slot) but already takes the slow path.
    fn thread_exit(&self, tid: usize) {
        let Some(slot) = self.slot_of(tid) else {
            return;
        };
        // SAFETY: called by the exiting thread for its own id, before the id
        // is given back; the closure moves entries but runs no user code.
        let leftover = unsafe {
            slot.local(|l| {
                let mut stash = core::mem::take(&mut l.stash);
                let n = stash.len();
                // All under the lock, so that `stats()` sees each value
                // once: in the stash before, in the shared tier or dropped
                // after.
                let mut shared = self.shared.lock();
                let (_, bytes) = shared.push_batch(&mut stash, n);
                slot.sub_bytes(bytes + stash.iter().map(|e| e.bytes).sum::<usize>());
                slot.count(Event::Dropped, stash.len() as u64);
                slot.settle(0);
                drop(shared);
                l.low = 0;
                stash
            })
        };
        for entry in &leftover {
            self.release_budget(entry.bytes);
        }
    }
}

impl<T> Drop for Inner<T> {
    fn drop(&mut self) {
        for (bucket, first) in self.buckets.iter().enumerate() {
            let first = first.load(Ordering::Acquire);
            if !first.is_null() {
                // SAFETY: published from `Box::into_raw` of `bucket_len(bucket)` slots
                // in `slot_slow`; with `&mut self` nobody else can reach it.
                drop(unsafe {
                    Box::from_raw(ptr::slice_from_raw_parts_mut(
                        first,
                        thread::bucket_len(bucket),
                    ))
                });
            }
        }
    }
}
