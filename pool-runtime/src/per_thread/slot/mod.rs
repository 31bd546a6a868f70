//! A thread's slot in one pool: its stash, its counters and the words by
//! which its owner and other threads take turns at it.
//!
//! The owner pops and pushes its stash with plain loads and stores: no
//! atomic read-modify-write, no lock. Other threads read the slot's
//! published atomics (counters, bytes, the length correction) for
//! `stats()`, and one of them may reclaim the stash for a `trim()` or
//! `clear()` while the owner is idle: `access.rs` holds that protocol, the
//! argument for why a stash is never touched by two threads at once, and
//! the handles it works through ([`Mine`], the owner's; [`Home`], a
//! guard's way back to it).
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
use crate::stash::{Entry, Stash};
use crate::stats::{Counters, Event, Stats};
use crate::sync::{AtomicU64, AtomicUsize, Mutex, Ordering, UnsafeCell};

mod access;
pub(crate) use access::{Home, Mine, NO_HOME};
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
