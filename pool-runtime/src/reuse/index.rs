//! The hashed lookup of a [`ReuseMap`](super::ReuseMap) past its first few
//! entries: entry numbers in an open-addressing table (linear probing, a
//! power of two long, at most half full), found by a hash and a key
//! comparison the map supplies. The map keeps each entry's hash, so that
//! the table can be rebuilt larger without hashing a key again.

use core::mem::size_of;

/// Entry numbers by hash: entry `at` is stored as `at + 1`, and 0 marks a
/// free slot.
pub(super) struct Index {
    slots: Vec<usize>,
}

impl Index {
    /// An empty table: it allocates nothing until the first `reserve_one`.
    pub(super) const fn new() -> Self {
        Index { slots: Vec::new() }
    }

    /// The entry of hash `hash` that `is_it` accepts, if there is one.
    /// Only while the table has had a `reserve_one` since its last `clear`
    /// or `free`: it is then neither empty nor full.
    pub(super) fn find(&self, hash: u64, is_it: impl Fn(usize) -> bool) -> Option<usize> {
        debug_assert!(!self.slots.is_empty());
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let at = self.slots[i].checked_sub(1)?;
            if is_it(at) {
                return Some(at);
            }
            i = (i + 1) & mask;
        }
    }

    /// Room for one entry more than `hashes` (the hashes of every entry
    /// now, in entry order) holds, the table at most half full after it:
    /// rebuilt larger from `hashes` when it has not.
    pub(super) fn reserve_one(&mut self, hashes: impl ExactSizeIterator<Item = u64>) {
        let wanted = (hashes.len() + 1).saturating_mul(2);
        if wanted <= self.slots.len() {
            return;
        }
        self.slots.clear();
        self.slots.resize(wanted.next_power_of_two().max(8), 0);
        for (at, hash) in hashes.enumerate() {
            self.insert(hash, at);
        }
    }

    /// Enters entry `at` of hash `hash`: at most one `insert` after each
    /// `reserve_one`, which made room for it (so the table is never full).
    pub(super) fn insert(&mut self, hash: u64, at: usize) {
        debug_assert!(!self.slots.is_empty());
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = at + 1;
    }

    /// Empties the table and keeps its allocation; the next `reserve_one`
    /// sizes it for the entries then (an earlier, larger table's length
    /// is not kept, so clearing it is not paid for again).
    pub(super) fn clear(&mut self) {
        self.slots.clear();
    }

    /// Empties the table and frees its allocation.
    pub(super) fn free(&mut self) {
        self.slots = Vec::new();
    }

    /// The bytes the table's allocation holds.
    pub(super) fn reserved_bytes(&self) -> usize {
        self.slots.capacity().saturating_mul(size_of::<usize>())
    }

    /// The bytes of the table in use (its length).
    pub(super) fn used_bytes(&self) -> usize {
        self.slots.len().saturating_mul(size_of::<usize>())
    }
}

#[cfg(test)]
mod tests {
    use super::Index;
    use core::mem::size_of;

    /// Builds the table for `hashes` one entry at a time, as the map does.
    fn filled(hashes: &[u64]) -> Index {
        let mut index = Index::new();
        for (at, &hash) in hashes.iter().enumerate() {
            index.reserve_one(hashes[..at].iter().copied());
            index.insert(hash, at);
        }
        index
    }

    #[test]
    fn colliding_hashes_each_find_their_entry_across_the_end_and_growth() {
        // Every hash lands on the last slot of a table of 8, 16 or 32: the
        // probes wrap to the start, and each growth rebuilds from them.
        let hashes = vec![u64::MAX; 12];
        let index = filled(&hashes);
        for at in 0..hashes.len() {
            assert_eq!(index.find(u64::MAX, |e| e == at), Some(at), "entry {at}");
        }
        assert_eq!(index.find(u64::MAX, |_| false), None);
        // 12 entries in 32 slots: the last and 0 to 10 used, 20 free.
        assert_eq!(index.find(20, |_| true), None, "a free slot ends the probe");
    }

    #[test]
    fn spread_hashes_are_found_in_a_table_at_most_half_full_whose_clear_keeps_its_allocation() {
        let hashes: Vec<u64> = (0..100).map(|h| h * 7919).collect();
        let mut index = filled(&hashes);
        for (at, &hash) in hashes.iter().enumerate() {
            assert_eq!(index.find(hash, |e| e == at), Some(at), "entry {at}");
        }
        let len = index.used_bytes() / size_of::<usize>();
        assert!(len.is_power_of_two() && len >= 2 * hashes.len(), "{len}");
        let reserved = index.reserved_bytes();
        index.clear();
        assert_eq!((index.used_bytes(), index.reserved_bytes()), (0, reserved));
        index.free();
        assert_eq!(index.reserved_bytes(), 0);
    }
}
