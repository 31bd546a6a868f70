//! A thread's own stash in one pool: the fast path.
//!
//! Only the thread whose id indexes a [`Slot`] touches its `local` part, so a
//! hit is a `Vec` pop or push with no atomic read-modify-write and no lock.
//! Other threads only read the slot's published counters. Requests that need
//! the owner's cooperation (a `trim()` or `clear()` called on another thread)
//! are raised through the pool's epoch and carried out by the owner at its
//! next operation.

use crate::shared::Entry;
use crate::stats::{Counters, Event, Stats};
use crate::sync::{AtomicU64, AtomicUsize, Ordering::Relaxed, UnsafeCell};

/// Gets of a thread between two automatic trims of its stash.
pub(crate) const INTERVAL: u32 = 4096;

/// The owner-only half of a slot.
pub(crate) struct Local<T> {
    pub(crate) stash: Vec<Entry<T>>,
    /// The stash's low-water mark: entries at the bottom that no get has
    /// reached since the last trim or interval end. One mark serves both:
    /// at an interval's end the idle ones leave for the shared tier anyway.
    pub(crate) low: usize,
    /// Gets left before the next automatic trim.
    pub(crate) countdown: u32,
    /// The pool's epoch, trim count and clear count as this owner last acted on them.
    pub(crate) seen_epoch: u64,
    pub(crate) seen_trims: u64,
    pub(crate) seen_clears: u64,
}

/// One thread's stash and counters in one pool. Aligned to its own cache
/// lines so that two threads' stashes never share one.
#[repr(align(128))]
pub(crate) struct Slot<T> {
    local: UnsafeCell<Local<T>>,
    pub(crate) counters: Counters,
    /// The sum of the stash's entry bytes, kept by the owner.
    bytes: AtomicUsize,
    /// Chosen so that `stash.len() == returned - reused + adjust` (wrapping)
    /// whenever the owner is between operations. The fast paths change the
    /// length by one together with one of those two counters, so only the
    /// slow paths need to `settle` it; `stats()` then knows every stash's
    /// length without the fast path publishing it.
    adjust: AtomicU64,
}

// SAFETY: `local` is only reached through `Slot::local`, whose callers hold
// the slot's thread id (see there), so no two threads touch it at once; the
// rest is atomics. Values of `T` do cross threads (a stash outlives its
// thread's ownership of the id), hence `T: Send`.
unsafe impl<T: Send> Sync for Slot<T> {}
// SAFETY: as above; a `Slot` moving to another thread moves its values, which
// `T: Send` allows.
unsafe impl<T: Send> Send for Slot<T> {}

impl<T> Slot<T> {
    pub(crate) fn new() -> Self {
        Slot {
            local: UnsafeCell::new(Local {
                stash: Vec::new(),
                low: 0,
                countdown: INTERVAL,
                seen_epoch: 0,
                seen_trims: 0,
                seen_clears: 0,
            }),
            counters: Counters::default(),
            bytes: AtomicUsize::new(0),
            adjust: AtomicU64::new(0),
        }
    }

    /// Runs `f` on the owner-only half.
    ///
    /// # Safety
    ///
    /// The caller is the thread whose id indexes this slot (or holds the only
    /// reference to the pool, as in its `Drop`), and `f` runs no user code:
    /// no factory, reset, cap check or drop of a `T`, any of which could
    /// re-enter the pool and reach this slot again.
    #[inline(always)]
    pub(crate) unsafe fn local<R>(&self, f: impl FnOnce(&mut Local<T>) -> R) -> R {
        self.local.with_mut(|local| {
            // SAFETY: the caller guarantees exclusive access for the duration
            // of `f`, which cannot re-enter.
            f(unsafe { &mut *local })
        })
    }

    /// Owner only: entries worth `n` bytes entered the stash.
    #[inline(always)]
    pub(crate) fn add_bytes(&self, n: usize) {
        self.bytes
            .store(self.bytes.load(Relaxed).wrapping_add(n), Relaxed);
    }

    /// Owner only: entries worth `n` bytes left the stash.
    #[inline(always)]
    pub(crate) fn sub_bytes(&self, n: usize) {
        self.bytes
            .store(self.bytes.load(Relaxed).wrapping_sub(n), Relaxed);
    }

    /// Owner only: `len` entries worth `bytes` moved into the stash from the
    /// shared tier (negative: out to it), with no counter moving.
    pub(crate) fn moved(&self, len: i64, bytes: usize) {
        self.adjust
            .store(self.adjust.load(Relaxed).wrapping_add(len as u64), Relaxed);
        self.add_bytes(bytes);
    }

    /// Owner only, at the end of a slow path: re-establishes
    /// `len == returned - reused + adjust` for the stash's length `len`.
    pub(crate) fn settle(&self, len: usize) {
        let flow = self
            .counters
            .get(Event::Returned)
            .wrapping_sub(self.counters.get(Event::Reused));
        self.adjust.store((len as u64).wrapping_sub(flow), Relaxed);
    }

    /// Adds this slot's counters and stash to `stats`. Read while the owner
    /// works, the three loads may straddle one of its operations; the
    /// length is clamped to what a stash can hold, and exact when it rests.
    pub(crate) fn add_to(&self, stats: &mut Stats, max_len: usize) {
        self.counters.add_to(stats);
        let len = self
            .counters
            .get(Event::Returned)
            .wrapping_sub(self.counters.get(Event::Reused))
            .wrapping_add(self.adjust.load(Relaxed));
        stats.retained += (len as i64).clamp(0, max_len as i64) as usize;
        stats.retained_bytes += self.bytes.load(Relaxed);
    }

    /// Owner only: takes `n` entries from the bottom of the stash (the coldest).
    pub(crate) fn take_bottom(&self, l: &mut Local<T>, n: usize) -> Vec<Entry<T>> {
        let n = n.min(l.stash.len());
        if n == 0 {
            return Vec::new();
        }
        let taken: Vec<Entry<T>> = l.stash.drain(..n).collect();
        self.sub_bytes(taken.iter().map(|e| e.bytes).sum::<usize>());
        l.low = l.low.saturating_sub(n);
        taken
    }

    #[inline(always)]
    pub(crate) fn count(&self, event: Event, n: u64) {
        self.counters.bump_owned(event, n);
    }
}
