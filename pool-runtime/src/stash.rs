//! [`Stash`]: a stack of resting values, the one container of both tiers.
//!
//! A thread's stash and the shared tier are each one of these. It keeps its
//! own invariants: the sum of its entries' bytes, its low-water mark, its
//! limit. Its storage grows with what it holds (never reserved up front for
//! the whole limit) and is given back when trimming empties it.
//!
//! Nothing here runs user code or can panic: no value of `T` is dropped or
//! made (entries only move in and out), growth uses `try_reserve`, and the
//! arithmetic cannot overflow. That is what lets a thread's stash be
//! borrowed exclusively for the length of each method.

/// A value resting in a pool, with the bytes it was counted at when it came
/// in (its inline size plus its `retained_bytes()`), which is what leaves the
/// byte budget when it goes.
pub(crate) struct Entry<T> {
    pub(crate) value: T,
    pub(crate) bytes: usize,
}

/// What a value counts for while it rests in a pool: its inline size plus
/// the heap it reports. User code (`retained_bytes`): call it with nothing
/// borrowed.
#[inline(always)]
pub(crate) fn entry_bytes<T: crate::poolable::Poolable>(value: &T) -> usize {
    core::mem::size_of::<T>().saturating_add(value.retained_bytes())
}

/// A stack of resting values. `BYTES`: whether it keeps the sum of its
/// entries' bytes itself. A thread's stash does not: its owner publishes
/// the sum for `stats()` in an atomic beside it, and one sum per get is all
/// the fast path can afford.
pub(crate) struct Stash<T, const BYTES: bool = true> {
    entries: Vec<Entry<T>>,
    /// The sum of the entries' `bytes` (0 unless `BYTES`).
    bytes: usize,
    /// The low-water mark: entries at the bottom that no pop has reached
    /// since the mark was last reset.
    low: usize,
    /// The most entries it may hold.
    limit: usize,
}

/// Storage is first made for this many entries (or the limit, if smaller).
const FIRST_GROWTH: usize = 4;

impl<T, const BYTES: bool> Stash<T, BYTES> {
    pub(crate) const fn new(limit: usize) -> Self {
        Stash {
            entries: Vec::new(),
            bytes: 0,
            low: 0,
            limit,
        }
    }

    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Entries its storage has room for.
    pub(crate) fn capacity(&self) -> usize {
        self.entries.capacity()
    }

    /// The sum of the entries' bytes, for a stash that keeps it.
    #[inline(always)]
    pub(crate) fn bytes(&self) -> usize {
        debug_assert!(BYTES);
        self.bytes
    }

    /// Entries it may still take.
    pub(crate) fn room(&self) -> usize {
        self.limit.saturating_sub(self.entries.len())
    }

    /// The fast push: only into storage already made, so it never allocates.
    #[inline(always)]
    pub(crate) fn push(&mut self, entry: Entry<T>) -> Result<(), Entry<T>> {
        if self.entries.len() == self.entries.capacity() {
            return Err(entry);
        }
        if BYTES {
            self.bytes = self.bytes.wrapping_add(entry.bytes);
        }
        self.entries.push(entry);
        Ok(())
    }

    /// A push that grows the storage if it has to and the limit allows.
    pub(crate) fn push_growing(&mut self, entry: Entry<T>) -> Result<(), Entry<T>> {
        if self.entries.len() == self.entries.capacity() && !self.grow(1) {
            return Err(entry);
        }
        self.push(entry)
    }

    #[inline(always)]
    pub(crate) fn pop(&mut self) -> Option<Entry<T>> {
        let entry = self.entries.pop()?;
        if BYTES {
            self.bytes = self.bytes.wrapping_sub(entry.bytes);
        }
        // Rarely true once warm: a branch and no store, where a `min` would
        // store the mark on every pop.
        if self.entries.len() < self.low {
            self.low = self.entries.len();
        }
        Some(entry)
    }

    /// Puts the entry at `i` on top, for the next pop (chaos mode's random
    /// order). The entry moved down to `i` was the warmest, so the
    /// low-water mark comes down to `i`.
    pub(crate) fn swap_to_top(&mut self, i: usize) {
        if let Some(top) = self.entries.len().checked_sub(1) {
            self.entries.swap(i.min(top), top);
            self.low = self.low.min(i);
        }
    }

    /// Makes room for at least `more` entries beyond the current length,
    /// within the limit, doubling as a `Vec` does. False when the limit is
    /// reached or the allocator said no.
    fn grow(&mut self, more: usize) -> bool {
        let len = self.entries.len();
        let want = len.saturating_add(more);
        if want > self.limit {
            return false;
        }
        let target = want
            .max(self.entries.capacity().saturating_mul(2))
            .max(FIRST_GROWTH)
            .min(self.limit);
        self.entries.try_reserve_exact(target - len).is_ok()
    }

    /// Moves up to `n` entries from the bottom of `self` (its coldest) onto
    /// `to`, as many as `to` takes. Returns how many moved and their bytes.
    pub(crate) fn move_bottom_to<const TO: bool>(
        &mut self,
        to: &mut Stash<T, TO>,
        n: usize,
    ) -> (usize, usize) {
        let n = self.fit(to, n);
        let bytes = self.move_range(to, 0..n);
        self.low = self.low.saturating_sub(n);
        (n, bytes)
    }

    /// Moves up to `n` entries from the top of `self` (the warmest) onto
    /// `to`, as many as `to` takes. Returns how many moved and their bytes.
    pub(crate) fn move_top_to<const TO: bool>(
        &mut self,
        to: &mut Stash<T, TO>,
        n: usize,
    ) -> (usize, usize) {
        let n = self.fit(to, n);
        let bytes = self.move_range(to, self.len() - n..self.len());
        self.low = self.low.min(self.len());
        (n, bytes)
    }

    /// Moves the entries in `range` onto `to`, which has the storage for
    /// them (see `fit`); returns their bytes.
    fn move_range<const TO: bool>(
        &mut self,
        to: &mut Stash<T, TO>,
        range: core::ops::Range<usize>,
    ) -> usize {
        let mut bytes = 0usize;
        for entry in self.entries.drain(range) {
            bytes = bytes.wrapping_add(entry.bytes);
            to.entries.push(entry);
        }
        if BYTES {
            self.bytes = self.bytes.wrapping_sub(bytes);
        }
        if TO {
            to.bytes = to.bytes.wrapping_add(bytes);
        }
        bytes
    }

    /// How many of `n` entries `to` can take from `self` now, growing its
    /// storage for them if it can.
    fn fit<const TO: bool>(&self, to: &mut Stash<T, TO>, n: usize) -> usize {
        let n = n.min(self.len()).min(to.room());
        let spare = to.entries.capacity() - to.len();
        if n > spare && !to.grow(n) {
            return spare.min(n);
        }
        n
    }

    /// Takes out `n` entries from the bottom (the coldest).
    pub(crate) fn take_bottom(&mut self, n: usize) -> Vec<Entry<T>> {
        let n = n.min(self.len());
        if n == self.len() {
            return self.take_all();
        }
        if n == 0 {
            // Nothing idle, but storage a burst left behind still goes.
            self.give_back_storage();
            return Vec::new();
        }
        let taken: Vec<Entry<T>> = self.entries.drain(..n).collect();
        let bytes = taken
            .iter()
            .fold(0usize, |sum, e| sum.wrapping_add(e.bytes));
        if BYTES {
            self.bytes = self.bytes.wrapping_sub(bytes);
        }
        self.low = self.low.saturating_sub(n);
        self.give_back_storage();
        taken
    }

    /// Takes out every entry counted at more than `max` bytes (a learned
    /// cap went down), keeping the others in their order.
    /// One pass: the entries kept slide down over the ones taken, so the
    /// scan is linear however many go (the shared tier may be unbounded).
    pub(crate) fn take_over(&mut self, max: usize) -> Vec<Entry<T>> {
        let (mut kept, mut below_low) = (0, 0);
        for i in 0..self.entries.len() {
            if self.entries[i].bytes <= max {
                self.entries.swap(kept, i);
                kept += 1;
            } else if i < self.low {
                below_low += 1;
            }
        }
        if kept == self.entries.len() {
            return Vec::new();
        }
        let taken = self.entries.split_off(kept);
        if BYTES {
            let bytes = taken
                .iter()
                .fold(0usize, |sum, e| sum.wrapping_add(e.bytes));
            self.bytes = self.bytes.wrapping_sub(bytes);
        }
        self.low -= below_low;
        self.give_back_storage();
        taken
    }

    /// Takes out everything, storage and all.
    pub(crate) fn take_all(&mut self) -> Vec<Entry<T>> {
        self.bytes = 0;
        self.low = 0;
        core::mem::take(&mut self.entries)
    }

    /// How many entries stayed at the bottom, untouched, since the last
    /// [`mark`](Stash::mark).
    pub(crate) fn idle(&self) -> usize {
        self.low.min(self.len())
    }

    /// Starts a new interval: everything held now counts as untouched.
    pub(crate) fn mark(&mut self) {
        self.low = self.len();
    }

    /// Storage four times larger than what it holds shrinks to twice, so a
    /// burst's storage goes with the burst, but steady traffic never
    /// reallocates it; an empty stash keeps none (a trim found it empty:
    /// nobody pushed since, so nobody is about to).
    fn give_back_storage(&mut self) {
        let len = self.len();
        if len == 0 {
            self.entries = Vec::new();
        } else if self.entries.capacity() > 4 * len.max(FIRST_GROWTH) {
            self.entries.shrink_to(2 * len.max(FIRST_GROWTH / 2));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Entry, Stash};

    fn entry(bytes: usize) -> Entry<u32> {
        Entry { value: 0, bytes }
    }

    #[test]
    fn entries_over_a_cap_come_out_and_the_rest_keep_their_order() {
        let mut s: Stash<u32> = Stash::new(8);
        for bytes in [10, 500, 20, 600, 30] {
            s.push_growing(entry(bytes)).ok().unwrap();
        }
        s.mark();
        let mut taken: Vec<usize> = s.take_over(100).iter().map(|e| e.bytes).collect();
        taken.sort();
        assert_eq!(taken, [500, 600]);
        assert_eq!((s.len(), s.bytes(), s.idle()), (3, 60, 3));
        let kept: Vec<usize> = s.take_all().iter().map(|e| e.bytes).collect();
        assert_eq!(kept, [10, 20, 30]);
    }

    #[test]
    fn storage_grows_with_use_up_to_the_limit_and_goes_with_a_trim() {
        let mut s: Stash<u32> = Stash::new(100);
        assert!(s.push(entry(1)).is_err(), "no storage until it grows");
        for _ in 0..100 {
            assert!(s.push_growing(entry(1)).is_ok());
        }
        assert!(s.push_growing(entry(1)).is_err(), "at the limit");
        assert_eq!((s.len(), s.bytes()), (100, 100));
        assert!(s.entries.capacity() <= 100);
        s.mark();
        drop(s.take_bottom(98));
        assert!(s.entries.capacity() <= 8, "{}", s.entries.capacity());
        assert_eq!((s.len(), s.bytes(), s.idle()), (2, 2, 2));
    }

    #[test]
    fn an_unbounded_limit_grows_without_overflow() {
        let mut s: Stash<u32> = Stash::new(usize::MAX);
        for i in 0..10 {
            assert!(s.push_growing(entry(i)).is_ok());
        }
        assert_eq!(s.room(), usize::MAX - 10);
        let mut t: Stash<u32> = Stash::new(usize::MAX);
        assert_eq!(s.move_top_to(&mut t, usize::MAX), (10, 45));
        assert_eq!((s.len(), t.len(), t.bytes()), (0, 10, 45));
    }

    #[test]
    fn the_low_water_mark_follows_pops_and_moves() {
        let mut s: Stash<u32> = Stash::new(8);
        for _ in 0..6 {
            s.push_growing(entry(1)).ok().unwrap();
        }
        s.mark();
        s.pop();
        s.pop();
        s.push_growing(entry(1)).ok().unwrap();
        assert_eq!(s.idle(), 4);
        let mut t: Stash<u32> = Stash::new(2);
        assert_eq!(s.move_bottom_to(&mut t, 3), (2, 2));
        assert_eq!(s.idle(), 2);
    }
}
