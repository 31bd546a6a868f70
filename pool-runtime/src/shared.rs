//! The shared tier: what threads overflow into and refill from, in batches.
//!
//! It is a [`Stash`] behind one mutex. Values move in and out a batch at a
//! time (half a thread stash), so a producer/consumer pair pays one lock per
//! batch, not per value. Both ends are the stack's top, so the entries at the
//! bottom are the ones nobody touched lately: trimming frees from there.
//!
//! The lock is never held while user code runs: everything done under it
//! moves entries, and what is taken out is dropped after the unlock.

use crate::stash::{Entry, Stash};
use crate::sync::{AtomicUsize, Mutex, MutexGuard, Ordering::Relaxed};
use core::ops::{Deref, DerefMut};

/// The shared stack and a hint of its length, on cache lines of their own:
/// they are written by batch moves, and must not slow down the read-only
/// fields of the pool that every fast-path operation reads.
#[repr(align(128))]
pub(crate) struct SharedTier<T> {
    stack: Mutex<Shared<T>>,
    /// The stack's length as of its last unlock. Lets an empty tier be
    /// skipped without taking its lock; a stale read costs a lock or a
    /// factory call, never correctness.
    len_hint: AtomicUsize,
}

impl<T> SharedTier<T> {
    pub(crate) fn new(limit: usize) -> Self {
        SharedTier {
            stack: Mutex::new(Shared {
                stash: Stash::new(limit),
                trim_low: 0,
            }),
            len_hint: AtomicUsize::new(0),
        }
    }

    /// The stack, locked, for a thread that its caller has marked as inside
    /// the pool's machinery, for as long as the lock is held: a thread's
    /// section does (`per_thread/slot/`), `Inner::lock_shared` does. The
    /// stack's storage may grow or shrink under the lock, and a global
    /// allocator that uses a pool must not come back for it.
    #[inline]
    pub(crate) fn lock_inside(&self) -> SharedGuard<'_, T> {
        SharedGuard {
            stack: self.stack.lock(),
            len_hint: &self.len_hint,
        }
    }

    /// False when the tier was empty at its last unlock.
    #[inline]
    pub(crate) fn may_have_values(&self) -> bool {
        self.len_hint.load(Relaxed) > 0
    }

    /// Empties a tier nobody else can reach (its pool is being dropped).
    pub(crate) fn take_all(&mut self) -> Vec<Entry<T>> {
        self.lock_inside().stash.take_all()
    }
}

/// The locked stack; publishes its length hint when unlocked.
pub(crate) struct SharedGuard<'a, T> {
    stack: MutexGuard<'a, Shared<T>>,
    len_hint: &'a AtomicUsize,
}

impl<T> Deref for SharedGuard<'_, T> {
    type Target = Shared<T>;
    fn deref(&self) -> &Shared<T> {
        &self.stack
    }
}

impl<T> DerefMut for SharedGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut Shared<T> {
        &mut self.stack
    }
}

impl<T> Drop for SharedGuard<'_, T> {
    fn drop(&mut self) {
        self.len_hint.store(self.stack.stash.len(), Relaxed);
    }
}

/// The shared stash, with a second low-water mark: the stash's own mark
/// serves the automatic interval, this one `trim()`, which runs on its own
/// schedule.
pub(crate) struct Shared<T> {
    stash: Stash<T>,
    /// Entries at the bottom untouched since the last `trim()`.
    trim_low: usize,
}

impl<T> Shared<T> {
    pub(crate) fn len(&self) -> usize {
        self.stash.len()
    }

    pub(crate) fn bytes(&self) -> usize {
        self.stash.bytes()
    }

    /// The stash to move entries into (pushes touch no low-water mark).
    pub(crate) fn receive(&mut self) -> &mut Stash<T> {
        &mut self.stash
    }

    pub(crate) fn push_growing(&mut self, entry: Entry<T>) -> Result<(), Entry<T>> {
        self.stash.push_growing(entry)
    }

    /// Takes the entry at `i` (from the bottom), for chaos mode's random
    /// order.
    pub(crate) fn pop_at(&mut self, i: usize) -> Option<Entry<T>> {
        self.stash.swap_to_top(i);
        self.trim_low = self.trim_low.min(i);
        self.pop()
    }

    pub(crate) fn pop(&mut self) -> Option<Entry<T>> {
        let entry = self.stash.pop();
        self.trim_low = self.trim_low.min(self.stash.len());
        entry
    }

    /// Moves up to `n` of the warmest entries onto `to`; returns how many
    /// moved and their bytes.
    pub(crate) fn move_top_to<const TO: bool>(
        &mut self,
        to: &mut Stash<T, TO>,
        n: usize,
    ) -> (usize, usize) {
        let moved = self.stash.move_top_to(to, n);
        self.trim_low = self.trim_low.min(self.stash.len());
        moved
    }

    /// Takes out the entries that stayed at the bottom since the previous
    /// `trim()`, and starts a new trim interval.
    pub(crate) fn take_idle_since_trim(&mut self) -> Vec<Entry<T>> {
        let idle = self.stash.take_bottom(self.trim_low);
        self.trim_low = self.stash.len();
        idle
    }

    /// Takes out half of the entries that stayed at the bottom through the
    /// last automatic interval, beyond `keep` of them, and starts a new one.
    /// Halving makes the retained surplus decay (as jemalloc decays its dirty
    /// pages) rather than fall off a cliff, and the few kept absorb the
    /// jitter of a producer/consumer pair: freeing what the next interval
    /// needs would only have the producer make it again.
    pub(crate) fn take_idle_since_interval(&mut self, keep: usize) -> Vec<Entry<T>> {
        let surplus = self.stash.idle().saturating_sub(keep);
        let idle = self.stash.take_bottom(surplus.div_ceil(2));
        self.trim_low = self.trim_low.saturating_sub(idle.len());
        self.stash.mark();
        idle
    }

    /// Takes out every entry over `max` bytes (a learned cap went down).
    /// The trim mark may then count an entry it did not before as idle:
    /// one `trim()` early for it, never a value lost.
    pub(crate) fn take_over(&mut self, max: usize) -> Vec<Entry<T>> {
        let taken = self.stash.take_over(max);
        self.trim_low = self.trim_low.min(self.stash.len());
        taken
    }

    /// Takes out everything, storage and all.
    pub(crate) fn take_all(&mut self) -> Vec<Entry<T>> {
        self.trim_low = 0;
        self.stash.take_all()
    }
}
