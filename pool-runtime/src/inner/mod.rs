//! [`Inner`]: everything a pool is, and the paths through it. The struct,
//! how it is made from a finished [`Config`], what every path shares and its
//! `Drop` are here; the paths are its children, each in reading order from
//! the inline fast path down to what it declines:
//!
//! - `get.rs`: a pop from the calling thread's stash, then a refill from
//!   the shared tier, chaos mode's gets, the factory;
//! - `put.rs`: the return of a guard's value or of `Pool::put`: the checks,
//!   the reset, this thread's stash, the shared tier, else a drop;
//! - `maintain.rs`: `trim()`, `clear()`, the end of an interval, and a
//!   thread's exit.
//!
//! The fields are private to this module and its children: a [`Pool`] and
//! its guards reach the pool through the methods here.
//!
//! [`Pool`]: crate::Pool

mod get;
mod maintain;
mod put;

use crate::budget::Budget;
use crate::calibrate::LearnedCap;
use crate::checks::{Chaos, Checks};
use crate::outstanding::Outstanding;
use crate::per_thread::thread;
use crate::per_thread::Table;
use crate::per_thread::{Home, Mine, Slot};
use crate::poolable::Poolable;
use crate::population::Population;
use crate::registry::{Registration, Trim};
use crate::shared::{SharedGuard, SharedTier};
use crate::stash::{entry_bytes, Entry};
use crate::stats::{Counters, Event, Stats};
use crate::sync::{Arc, AtomicU64, CachePadded, Ordering, Weak};
use crate::value_cap::ValueCap;
use crate::watch::Watched;
use core::any::Any;

pub(crate) type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;

/// The most values moved between a stash and the shared tier at once: half
/// a stash, up to this (an unbounded stash would otherwise take the whole
/// shared tier in one go).
const MAX_BATCH: usize = 1 << 12;

/// What a pool may keep.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) max_per_thread: usize,
    pub(crate) max_shared: usize,
    pub(crate) max_bytes: Option<usize>,
    pub(crate) max_value_bytes: Option<usize>,
    /// `Some(percentile)`: the per-value cap is learned (`calibrate.rs`).
    pub(crate) calibrate: Option<u8>,
}

impl Limits {
    /// Values moved between a stash and the shared tier at once.
    pub(crate) fn batch(&self) -> usize {
        (self.max_per_thread / 2).clamp(1, MAX_BATCH)
    }
}

/// A pool's finished configuration: what [`PoolBuilder::build`] hands to
/// [`Inner::new`], as the builder left it (chaos mode from the environment
/// already applied).
///
/// [`PoolBuilder::build`]: crate::PoolBuilder::build
pub(crate) struct Config<T> {
    pub(crate) factory: Factory<T>,
    pub(crate) limits: Limits,
    pub(crate) checks: Checks<T>,
    /// Values to make and keep in the shared tier at once.
    pub(crate) prefill: usize,
    /// The pool's name, for those who watch it.
    pub(crate) name: Option<&'static str>,
    /// Puts the made pool in the list of named pools (`watch.rs`): set,
    /// with the name, only where `T: Send` lets its stats be read there.
    pub(crate) enrol: Option<Enrol>,
}

/// How a named pool joins the list of named pools: given the made pool, an
/// `Arc<Inner<T>>` seen as `Any` (a builder, which holds this, may not name
/// `Inner<T>`: it has no `T: Poolable` bound).
pub(crate) type Enrol = fn(&dyn Any);

/// The shared tier's guard with the thread's mark: fields drop in order, so
/// the lock is released before the mark.
pub(crate) struct SharedLocked<'a, T> {
    guard: SharedGuard<'a, T>,
    _inside: thread::Inside,
}

impl<'a, T> core::ops::Deref for SharedLocked<'a, T> {
    type Target = SharedGuard<'a, T>;
    fn deref(&self) -> &SharedGuard<'a, T> {
        &self.guard
    }
}

impl<'a, T> core::ops::DerefMut for SharedLocked<'a, T> {
    fn deref_mut(&mut self) -> &mut SharedGuard<'a, T> {
        &mut self.guard
    }
}

/// Everything a pool is; guards and thread-exit hooks point here.
pub(crate) struct Inner<T: Poolable + 'static> {
    /// First: the fast path reads its first bucket pointer on every operation.
    table: Table<T>,
    budget: Budget,
    value_cap: ValueCap,
    checks: Checks<T>,
    /// A budget, a per-value cap or a check of `checks.rs` is on: the
    /// return path has more to do, so the inline return steps aside.
    slow_return: bool,
    limits: Limits,
    batch: usize,
    factory: Factory<T>,
    shared: SharedTier<T>,
    /// `trim()` and `clear()` calls so far: what each stash owner compares
    /// with what it last carried out.
    trims: AtomicU64,
    clears: AtomicU64,
    /// Events that happen where no stash is at hand (trims, thread teardown).
    counters: CachePadded<Counters>,
    /// The values that exist, out or kept, and their peak.
    population: Population,
    /// The pool's entry in the process's list for `trim_all`.
    registration: Registration,
    /// From `PoolBuilder::name`, or a global pool's type.
    name: Option<&'static str>,
    this: Weak<Inner<T>>,
}

impl<T: Poolable + 'static> Inner<T> {
    /// The pool `config` describes, prefilled.
    pub(crate) fn new(config: Config<T>) -> Arc<Self> {
        let Config {
            factory,
            limits,
            checks,
            prefill,
            name,
            enrol,
        } = config;
        let value_cap = ValueCap::new(limits.max_value_bytes, limits.calibrate);
        let slow_return = limits.max_bytes.is_some() || value_cap.any() || checks.any();
        let inner = Arc::new_cyclic(|this: &Weak<Inner<T>>| Inner {
            table: Table::new(),
            budget: Budget::new(limits.max_bytes),
            value_cap,
            checks,
            slow_return,
            limits,
            batch: limits.batch(),
            factory,
            shared: SharedTier::new(limits.max_shared),
            trims: AtomicU64::new(0),
            clears: AtomicU64::new(0),
            counters: CachePadded::default(),
            population: Population::default(),
            registration: Registration::new(this.clone() as Weak<dyn Trim>),
            name,
            this: this.clone(),
        });
        inner.prefill(prefill);
        if let Some(enrol) = enrol {
            enrol(&inner);
        }
        inner
    }

    pub(crate) fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// The shared tier, locked, with this thread marked as inside the
    /// pool's machinery until the unlock (a global allocator that uses a
    /// pool, called while the tier's storage grows or shrinks, must not come
    /// back for the lock).
    #[inline]
    pub(crate) fn lock_shared(&self) -> SharedLocked<'_, T> {
        SharedLocked {
            // Marked before the lock is taken, unmarked after it is released.
            _inside: thread::Inside::enter(),
            guard: self.shared.lock_inside(),
        }
    }

    /// The limits it was made with.
    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    /// A value made elsewhere joins the pool's population (`Pool::put`).
    #[inline]
    pub(crate) fn arrived(&self) {
        self.population.arrived();
    }

    pub(crate) fn chaos_seed(&self) -> Option<u64> {
        self.checks.chaos.as_ref().map(Chaos::seed)
    }

    pub(crate) fn outstanding(&self) -> Vec<Outstanding> {
        match &self.checks.track {
            Some(track) => track.outstanding(),
            None => Vec::new(),
        }
    }

    pub(crate) fn learned_cap(&self) -> Option<LearnedCap> {
        self.value_cap.learned()
    }

    /// A learned cap admits at least `retained_bytes` from now on, as if a
    /// value that keeps as much had come from the factory: for a pool
    /// whose values also arrive by `put` (a `BufferPool`'s class, which
    /// receives buffers from other classes), where the factory alone would
    /// leave the floor at zero.
    pub(crate) fn admit_at_least(&self, retained_bytes: usize) {
        self.value_cap.saw_fresh(retained_bytes);
    }
}

impl<T: Poolable + Send + 'static> Watched for Inner<T> {
    fn name(&self) -> &'static str {
        // Only a named pool joins the list.
        self.name.unwrap_or("")
    }

    fn stats(&self) -> Stats {
        Inner::stats(self)
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
            self.end_sample(ticket);
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
            if self.lock_shared().receive().room() == 0 {
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
            let refused = { self.lock_shared().push_growing(Entry { value, bytes }) };
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
        let shared = self.lock_shared();
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

impl<T: Poolable + 'static> Drop for Inner<T> {
    /// Frees every value still in the pool, wiped. With `&mut self` no
    /// stash can be in use.
    fn drop(&mut self) {
        // Marked inside for the tier's lock alone, not for the drops below
        // (user code, which may use pools).
        let mut entries = {
            let _inside = thread::Inside::enter();
            self.shared.take_all()
        };
        self.table
            .for_each_mut(|slot| entries.append(&mut slot.take_all()));
        self.population.left(entries.len() as u64);
        Self::wipe_and_drop_all(entries.into_iter().map(|e| e.value));
        self.registration.dropped();
        thread::pool_dropped();
    }
}
