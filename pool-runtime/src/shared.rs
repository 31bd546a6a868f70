//! The shared tier: what threads overflow into and refill from, in batches.
//!
//! It is a LIFO stack behind one mutex. Values move in and out a batch at a
//! time (half a thread stash), so a producer/consumer pair pays one lock per
//! batch, not per value. Both ends are a stack's top, so the entries at the
//! bottom are the ones nobody touched lately: trimming frees from there.

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
    pub(crate) fn new(cap: usize) -> Self {
        SharedTier {
            stack: Mutex::new(Shared::new(cap)),
            len_hint: AtomicUsize::new(0),
        }
    }

    #[inline]
    pub(crate) fn lock(&self) -> SharedGuard<'_, T> {
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
        self.len_hint.store(self.stack.len(), Relaxed);
    }
}

/// A value resting in a pool, with the bytes it was counted at when it came in.
pub(crate) struct Entry<T> {
    pub(crate) value: T,
    pub(crate) bytes: usize,
}

/// The low-water marks of a stack of entries: how many stayed at the bottom,
/// untouched, since the mark was last reset.
#[derive(Default, Clone, Copy)]
pub(crate) struct LowWater {
    /// Since the last `trim()` the stack saw.
    pub(crate) trim: usize,
    /// Since the last automatic interval.
    pub(crate) auto: usize,
}

impl LowWater {
    /// The top shrank to `len`.
    #[inline(always)]
    pub(crate) fn popped_to(&mut self, len: usize) {
        self.trim = self.trim.min(len);
        self.auto = self.auto.min(len);
    }

    /// `n` entries left from the bottom.
    #[inline]
    pub(crate) fn removed_bottom(&mut self, n: usize) {
        self.trim = self.trim.saturating_sub(n);
        self.auto = self.auto.saturating_sub(n);
    }
}

pub(crate) struct Shared<T> {
    entries: Vec<Entry<T>>,
    bytes: usize,
    low: LowWater,
    cap: usize,
}

impl<T> Shared<T> {
    pub(crate) fn new(cap: usize) -> Self {
        Shared {
            entries: Vec::new(),
            bytes: 0,
            low: LowWater::default(),
            cap,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    pub(crate) fn cap(&self) -> usize {
        self.cap
    }

    pub(crate) fn room(&self) -> usize {
        self.cap - self.entries.len()
    }

    /// Takes one entry if there is room; gives it back otherwise.
    pub(crate) fn push(&mut self, entry: Entry<T>) -> Result<(), Entry<T>> {
        if self.room() == 0 {
            return Err(entry);
        }
        self.reserve();
        self.bytes += entry.bytes;
        self.entries.push(entry);
        Ok(())
    }

    pub(crate) fn pop(&mut self) -> Option<Entry<T>> {
        let entry = self.entries.pop()?;
        self.bytes -= entry.bytes;
        self.low.popped_to(self.entries.len());
        Some(entry)
    }

    /// Moves up to `n` entries from the bottom of `from` (its coldest) onto
    /// this stack, as many as fit. Returns how many moved and their bytes.
    pub(crate) fn push_batch(&mut self, from: &mut Vec<Entry<T>>, n: usize) -> (usize, usize) {
        let n = n.min(self.room()).min(from.len());
        if n == 0 {
            return (0, 0);
        }
        self.reserve();
        let before = self.bytes;
        for entry in from.drain(..n) {
            self.bytes += entry.bytes;
            self.entries.push(entry);
        }
        (n, self.bytes - before)
    }

    /// Moves up to `n` entries from the top (the warmest) onto `into`, which
    /// must have room for them. Returns how many moved and their bytes.
    pub(crate) fn pop_batch(&mut self, into: &mut Vec<Entry<T>>, n: usize) -> (usize, usize) {
        let n = n.min(self.entries.len());
        let start = self.entries.len() - n;
        let mut bytes = 0;
        for entry in self.entries.drain(start..) {
            bytes += entry.bytes;
            into.push(entry);
        }
        self.bytes -= bytes;
        self.low.popped_to(self.entries.len());
        (n, bytes)
    }

    /// Takes out the entries that stayed at the bottom since the previous
    /// `trim()`, and starts a new interval.
    pub(crate) fn take_idle_since_trim(&mut self) -> Vec<Entry<T>> {
        let idle = self.take_bottom(self.low.trim);
        self.low.trim = self.entries.len();
        idle
    }

    /// Takes out the entries that stayed at the bottom through the last
    /// automatic interval, and starts a new one.
    pub(crate) fn take_idle_since_interval(&mut self) -> Vec<Entry<T>> {
        let idle = self.take_bottom(self.low.auto);
        self.low.auto = self.entries.len();
        idle
    }

    /// Takes out everything.
    pub(crate) fn take_all(&mut self) -> Vec<Entry<T>> {
        self.bytes = 0;
        self.low = LowWater::default();
        core::mem::take(&mut self.entries)
    }

    fn take_bottom(&mut self, n: usize) -> Vec<Entry<T>> {
        let n = n.min(self.entries.len());
        if n == 0 {
            return Vec::new();
        }
        let taken: Vec<Entry<T>> = self.entries.drain(..n).collect();
        self.bytes -= taken.iter().map(|e| e.bytes).sum::<usize>();
        self.low.removed_bottom(n);
        taken
    }

    /// The stack's buffer is made once, full size, so that steady traffic
    /// through the shared tier never allocates.
    fn reserve(&mut self) {
        if self.entries.capacity() == 0 {
            self.entries.reserve_exact(self.cap);
        }
    }
}
