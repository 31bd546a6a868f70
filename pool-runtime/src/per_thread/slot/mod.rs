//! A thread's slot in one pool: its stash, and [`Mine`], the handle through
//! which its owner works on it.
//!
//! The owner pops and pushes its stash with plain loads and stores: no
//! atomic read-modify-write, no lock. Other threads read the slot's
//! published atomics (counters, bytes, the length correction) for
//! `stats()`, and one of them may reclaim the stash for a `trim()` or
//! `clear()` while the owner is idle: `access.rs` holds that protocol and
//! the argument for why a stash is never touched by two threads at once.
//!
//! # The one rule
//!
//! The stash is borrowed exclusively inside [`Mine`]'s methods (and a
//! reclaimer's claim) and nowhere else, for the length of one method, and
//! no method runs user code (factory, reset, cap check, `retained_bytes`,
//! a `T`'s drop) or anything that can panic while it holds the borrow:
//! values only move in and out, and anything to be dropped is handed back
//! to the caller, who drops it after the borrow ends. So a user's code that
//! re-enters the pool (a drop that gets, a reset that puts) makes a second
//! `Mine` for the same slot, but never while the first one holds a borrow.
//! What can still run under a borrow is the global allocator (a stash's
//! storage grows and shrinks): a thread is marked while it is inside the
//! pool's machinery (`thread.rs`), and a pool used from inside its own
//! allocations makes and drops values without touching any stash or lock.

use crate::calibrate::Sizes;
use crate::per_thread::thread::Owner;
use crate::stash::{Entry, Stash};
use crate::stats::{Counters, Event, Stats};
use crate::sync::{AtomicU64, AtomicUsize, Mutex, Ordering, UnsafeCell};
use core::ptr::NonNull;

mod access;
mod moves;
mod sizes;
pub(crate) use moves::Requests;

/// Gets served from the pool (pops and refills, counted as `reused`) by a
/// thread between two automatic trims of its stash. A factory call does not
/// count: it happens only when both tiers are empty, with nothing to trim.
pub(crate) const INTERVAL: u64 = 4096;

/// The owner-only half of a slot.
struct Local<T> {
    stash: Stash<T, false>,
    /// `reused` of this slot when the current interval began.
    interval_start: u64,
    /// The pool's trim and clear counts as this owner last acted on them.
    seen_trims: u64,
    seen_clears: u64,
    /// Whether the thread holding the id asked to be told of its exit.
    registered: bool,
    /// The sizes of this thread's returns, while the pool learns its cap
    /// (`calibrate.rs`): made at the first size recorded, so that a slot
    /// whose thread never returns a value, and every slot of a pool that
    /// does not learn, costs one word for them (the table's first bucket
    /// makes its eight slots at once).
    sizes: Option<Box<Sizes>>,
    /// The learned cap's `lowered` count as this owner last acted on it.
    seen_lowered: u64,
}

/// One thread's stash and counters in one pool. Aligned to its own cache
/// lines so that two threads' slots never share one.
#[repr(align(128))]
pub(crate) struct Slot<T> {
    local: UnsafeCell<Local<T>>,
    counters: Counters,
    /// The fast get declines once `reused` reaches this: at the end of the
    /// interval, or at once when it is 0, which the fast return declines
    /// too. 0 means another thread claimed the stash or asked for a trim
    /// (`access.rs`). Folding all of it into one comparison with a counter
    /// the get bumps anyway keeps maintenance off the fast path.
    fast_until: AtomicU64,
    /// The owner's last fast get and return: the count each will move, as
    /// it was when it began (`access.rs`), or `IDLE`. A reclaimer waits
    /// for their end.
    get_span: AtomicU64,
    put_span: AtomicU64,
    /// Held by whoever touches the stash off the fast path: its owner's
    /// slow paths, or a reclaimer.
    section: Mutex<()>,
    /// The stash's storage, in entries, as of the last section: 0 means
    /// it holds nothing (a fast push needs storage), so a reclaimer can
    /// pass it by without a lock or barrier.
    storage: AtomicUsize,
    /// The stash's bytes, published for `stats()`.
    bytes: AtomicUsize,
    /// Chosen so that `stash.len() == returned - reused + adjust` (wrapping)
    /// whenever the owner is between operations. A fast get or return moves
    /// the length by one together with one of those two counters; every
    /// other change of the length adds its delta here, in the same step. So
    /// `stats()` knows every stash's length without the fast path
    /// publishing it.
    adjust: AtomicU64,
    /// Entries reclaimers took out of the stash: subtracted from the
    /// length as `adjust` adds (a separate word, since the owner updates
    /// `adjust` with a plain load and store outside its sections too).
    reclaimed: AtomicU64,
}

// SAFETY: `local` is only reached by the owner inside its fast span or
// section, by a reclaimer that holds the section and saw the owner out of
// its fast span (`access.rs`), or through `&mut Slot`; the rest is atomics
// and a mutex. Values of `T` do cross threads (a stash outlives its
// thread's hold on the id), hence `T: Send`.
unsafe impl<T: Send> Sync for Slot<T> {}
// SAFETY: as above; a `Slot` moving to another thread moves its values, which
// `T: Send` allows.
unsafe impl<T: Send> Send for Slot<T> {}

impl<T> Slot<T> {
    /// A slot whose owner has seen `trims` and `clears` already (it was made
    /// after them, and holds nothing they could have freed). While
    /// checkouts are sampled one in `sample_every`, its first sample comes
    /// after that many gets less one (the get making it is the first).
    pub(crate) fn new(limit: usize, trims: u64, clears: u64, sample_every: Option<u64>) -> Self {
        Slot {
            local: UnsafeCell::new(Local {
                stash: Stash::new(limit),
                interval_start: 0,
                seen_trims: trims,
                seen_clears: clears,
                registered: false,
                sizes: None,
                seen_lowered: 0,
            }),
            counters: Counters::default(),
            fast_until: AtomicU64::new(match sample_every {
                Some(every) => INTERVAL.min(every.saturating_sub(1)),
                None => INTERVAL,
            }),
            get_span: AtomicU64::new(access::IDLE),
            put_span: AtomicU64::new(access::IDLE),
            section: Mutex::new(()),
            storage: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            adjust: AtomicU64::new(0),
            reclaimed: AtomicU64::new(0),
        }
    }

    /// Adds this slot's counters and stash to `stats`. Read while the owner
    /// works, the loads may straddle one of its operations; the length is
    /// clamped to what the stash can hold, and exact when it rests.
    pub(crate) fn add_to(&self, stats: &mut Stats, limit: usize) {
        self.counters.add_to(stats);
        let len = self
            .counters
            .get(Event::Returned)
            .wrapping_sub(self.counters.get(Event::Reused))
            .wrapping_add(self.adjust.load(Ordering::Relaxed))
            .wrapping_sub(self.reclaimed.load(Ordering::Relaxed)) as i64;
        stats.retained += (len.max(0) as u64).min(limit as u64) as usize;
        stats.retained_bytes = stats
            .retained_bytes
            .saturating_add(self.bytes.load(Ordering::Relaxed));
    }

    /// Empties the stash of a slot nobody else can reach (its pool is
    /// being dropped).
    pub(crate) fn take_all(&mut self) -> Vec<Entry<T>> {
        self.local.with_mut(|local| {
            // SAFETY: `&mut self`: no other reference to the slot exists.
            unsafe { &mut *local }.stash.take_all()
        })
    }
}

/// Where a guard's value was taken: the thread id and its slot, so that a
/// guard dropped on that same thread goes back without a table lookup.
pub(crate) struct Home<T> {
    tid: usize,
    slot: NonNull<Slot<T>>,
}

impl<T> Clone for Home<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Home<T> {}

// SAFETY: a `Home` is an id and a pointer to a `Slot`, which is `Sync` for
// `T: Send`; it gives access only through `claim`, which checks the id.
unsafe impl<T: Send> Send for Home<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Home<T> {}

/// What the return path passes for "no home" where it passes a home's
/// thread id: above every thread id and every ticket's.
pub(crate) const NO_HOME: usize = usize::MAX;

impl<T> Home<T> {
    /// The bit that marks a ticket's `tid`. Thread ids are below
    /// `MAX_THREADS`, far below it, so no thread ever holds a ticket's id.
    const TICKET: usize = 1 << (usize::BITS - 1);
    /// The ids a ticket can carry: one bit short of the rest, so that a
    /// ticket's `tid + 1` (what `owner_if` compares) is neither 0 (no id
    /// yet) nor wraps to the exiting thread's mark.
    pub(crate) const TICKETS: usize = (1 << (usize::BITS - 2)) - 1;

    /// A home that stands for a sampled checkout of `track_outstanding`
    /// (`outstanding.rs`): no thread can claim it, so its guard's return
    /// takes the slow path, which hands the ticket in. Its slot pointer is
    /// never followed.
    pub(crate) fn ticket(id: usize) -> Self {
        Home {
            tid: Self::TICKET | (id & Self::TICKETS),
            slot: NonNull::dangling(),
        }
    }

    /// The ticket's id, if this home is one.
    #[inline]
    pub(crate) fn ticket_id(self) -> Option<usize> {
        Self::ticket_of(self.tid)
    }

    /// The ticket's id, if `tid` (a home's, or `NO_HOME`) is a ticket's.
    #[inline]
    pub(crate) fn ticket_of(tid: usize) -> Option<usize> {
        (tid != NO_HOME && tid & Self::TICKET != 0).then_some(tid & Self::TICKETS)
    }

    /// The thread id this home names (a ticket's is no thread's).
    #[inline(always)]
    pub(crate) fn tid(self) -> usize {
        self.tid
    }

    /// The slot, if the calling thread is still the one that holds its id.
    ///
    /// # Safety
    ///
    /// The pool whose table the home came from is alive, so the slot is
    /// (slots are freed only with their pool): a guard holds its pool.
    #[inline(always)]
    pub(crate) unsafe fn claim<'a>(self) -> Option<Mine<'a, T>> {
        let owner = crate::per_thread::thread::owner_if(self.tid)?;
        // SAFETY: the caller guarantees the slot is alive; `Mine::home`
        // made this home from the slot of id `tid`, which `owner` proves
        // this thread holds (a ticket's id is held by no thread, so its
        // dangling pointer never gets here).
        Some(unsafe { Mine::new(self.slot.as_ref(), owner) })
    }
}

/// The owner's handle to its own slot: only made by the table, from an
/// [`Owner`] token for the slot's id. `!Send`, like the token; `Copy`, as
/// it holds no borrow of the stash, only the right to take one.
pub(crate) struct Mine<'a, T> {
    slot: &'a Slot<T>,
    owner: Owner,
}

impl<T> Clone for Mine<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Mine<'_, T> {}

impl<'a, T> Mine<'a, T> {
    /// Pairs a slot with the token of its owner.
    ///
    /// # Safety
    ///
    /// `slot` is the slot at `owner.tid()` of a live pool's table: every
    /// access to its stash (`access.rs`) rests on the thread holding the
    /// `Mine` being the only one that may open a fast span or an owner's
    /// section on it. Only the table and `Home::claim` call this.
    #[inline(always)]
    pub(in crate::per_thread) unsafe fn new(slot: &'a Slot<T>, owner: Owner) -> Self {
        Mine { slot, owner }
    }

    pub(crate) fn owner(&self) -> Owner {
        self.owner
    }

    /// The slot itself, for the table's tests to compare.
    #[cfg(test)]
    pub(crate) fn slot(&self) -> &'a Slot<T> {
        self.slot
    }

    pub(crate) fn home(&self) -> Home<T> {
        Home {
            tid: self.owner.tid(),
            slot: NonNull::from(self.slot),
        }
    }

    #[inline(always)]
    pub(crate) fn count(&self, event: Event, n: u64) {
        self.slot.counters.bump_owned(event, n);
    }

    /// A value came back and did not stay (`event`: rejected or dropped):
    /// both counted, and the stash's length, which did not move, corrected.
    pub(crate) fn returned_not_kept(&self, event: Event) {
        self.count(Event::Returned, 1);
        self.count(event, 1);
        self.slot.adjust_len(-1);
    }

    /// A value went from the shared tier straight to the caller (chaos
    /// mode's gets): counted as reused, and the stash's length, which did
    /// not move, corrected.
    pub(crate) fn reused_elsewhere(&self) {
        self.count(Event::Reused, 1);
        self.slot.adjust_len(1);
    }

    /// Whether the owner has a trim or clear to carry out, or its interval
    /// has ended.
    #[inline]
    pub(crate) fn maintenance_due(&self) -> bool {
        self.slot.counters.get(Event::Reused) >= self.slot.fast_until.load(Ordering::Relaxed)
    }
}

impl<T> Slot<T> {
    /// Owner only: entries worth `n` bytes entered the stash (a plain load
    /// and store: only the owner writes it).
    #[inline(always)]
    fn add_bytes(&self, n: usize) {
        self.bytes.store(
            self.bytes.load(Ordering::Relaxed).wrapping_add(n),
            Ordering::Relaxed,
        );
    }

    /// Owner only: entries worth `n` bytes left the stash.
    #[inline(always)]
    fn sub_bytes(&self, n: usize) {
        self.add_bytes(n.wrapping_neg());
    }

    /// Owner only: the stash's length changed by `delta` with no counter
    /// moving.
    #[inline]
    fn adjust_len(&self, delta: i64) {
        self.adjust.store(
            self.adjust
                .load(Ordering::Relaxed)
                .wrapping_add(delta as u64),
            Ordering::Relaxed,
        );
    }
}
