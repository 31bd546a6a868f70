//! [`ReuseMap`]: a string-keyed map whose `clear` keeps its keys' and
//! values' buffers for the next inserts.
//!
//! The entries live in a [`ReuseVec`], in insertion order. Up to
//! [`LINEAR`] of them are found by comparing keys one by one, with no
//! hashing (a parse's maps are mostly that small, and hashing a short key
//! costs more than a few comparisons); past that, each entry gets its key's
//! hash and an open-addressing table of entry numbers (`index.rs`) finds
//! them. `clear` resets the entries into spares and empties the table,
//! keeping both allocations, and goes back to comparing.

use super::index::Index;
use super::ReuseVec;
use crate::capacity::Capacity;
use crate::poolable::Poolable;
use core::fmt;
use core::hash::BuildHasher;
use std::collections::hash_map::RandomState;

/// A map from strings to `V` whose [`clear`](ReuseMap::clear) keeps every
/// entry, its key's buffer and its value reset, as a spare for the next
/// insert: a pooled `ReuseMap<i64>` filled with the same kind of keys use
/// after use allocates nothing once warm, where a pooled
/// `HashMap<String, i64>` keeps its table but drops every key string on
/// `clear`.
///
/// It iterates in insertion order, looks keys up by `&str` ([`get`],
/// indexing), and its `Poolable` reset is its `clear`. It has no
/// `remove`: it is made for filling (a parse), reading, and clearing.
/// `#[pool(cap = N)]` on a field of this type bounds the entries it keeps,
/// live and spare ([`Capacity`]); a value over its own caps is dropped on
/// reset, but a key is kept with whatever capacity it grew to (a spare
/// goes only when a cap with `shrink` drops it). Up to 8 entries are found
/// by comparing keys; past that, keys are hashed with `S`, std's
/// `RandomState` by default, as `HashMap`'s are.
///
/// [`get`]: ReuseMap::get
///
/// ```
/// use pool_runtime::ReuseMap;
///
/// let mut attrs: ReuseMap<i64> = ReuseMap::new();
/// *attrs.get_or_insert_reused("retries") = 3;
/// attrs.insert("timeout_ms", 250);
/// assert_eq!(attrs["retries"], 3);
/// assert_eq!(attrs.get("timeout_ms"), Some(&250));
///
/// attrs.clear();                             // both entries kept, reset
/// assert_eq!((attrs.len(), attrs.spares()), (0, 2));
/// *attrs.get_or_insert_reused("retries") += 1; // a spare's key buffer, value 0
/// assert_eq!(attrs.iter().collect::<Vec<_>>(), [("retries", &1)]);
/// ```
pub struct ReuseMap<V, S = RandomState> {
    entries: ReuseVec<Entry<V>>,
    /// The entries by hash; used only while `hashed`.
    index: Index,
    /// Whether the map has had more than [`LINEAR`] entries since it was
    /// last cleared: then every live entry has its hash, and `index`
    /// finds them.
    hashed: bool,
    hasher: S,
}

/// Entries a map finds by comparing keys, before it hashes them.
const LINEAR: usize = 8;

/// One key and its value, with the key's hash once the map hashes (kept
/// so that growing the table does not hash every key again).
#[derive(Default)]
struct Entry<V> {
    hash: u64,
    key: String,
    value: V,
}

impl<V: Poolable> Poolable for Entry<V> {
    fn reset(&mut self) {
        self.hash = 0;
        self.key.clear();
        self.value.reset();
    }

    fn within_caps(&self) -> bool {
        self.value.within_caps()
    }

    fn retained_bytes(&self) -> usize {
        self.key
            .capacity()
            .saturating_add(self.value.retained_bytes())
    }

    fn used_bytes(&self) -> usize {
        self.key.len().saturating_add(self.value.used_bytes())
    }

    fn wipe(&mut self) {
        self.key.wipe();
        self.value.wipe();
    }

    fn poison_spare(&mut self) {
        self.key.poison_spare();
        self.value.poison_spare();
    }
}

impl<V> ReuseMap<V> {
    /// An empty map; it allocates nothing until the first insert.
    ///
    /// ```
    /// let m: pool_runtime::ReuseMap<u8> = pool_runtime::ReuseMap::new();
    /// assert!(m.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::with_hasher(RandomState::new())
    }
}

impl<V, S> ReuseMap<V, S> {
    /// An empty map hashing its keys with `hasher`.
    ///
    /// ```
    /// use std::hash::BuildHasherDefault;
    /// use std::collections::hash_map::DefaultHasher;
    /// let m: pool_runtime::ReuseMap<u8, BuildHasherDefault<DefaultHasher>> =
    ///     pool_runtime::ReuseMap::with_hasher(Default::default());
    /// assert!(m.is_empty());
    /// ```
    pub const fn with_hasher(hasher: S) -> Self {
        ReuseMap {
            entries: ReuseVec::new(),
            index: Index::new(),
            hashed: false,
            hasher,
        }
    }

    /// Live entries.
    ///
    /// ```
    /// let m: pool_runtime::ReuseMap<u8> = [("a", 1)].into_iter().collect();
    /// assert_eq!(m.len(), 1);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no live entries.
    ///
    /// ```
    /// assert!(pool_runtime::ReuseMap::<u8>::new().is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries kept reset for the next inserts.
    ///
    /// ```
    /// let mut m: pool_runtime::ReuseMap<u8> = [("a", 1)].into_iter().collect();
    /// m.clear();
    /// assert_eq!(m.spares(), 1);
    /// ```
    #[inline]
    pub fn spares(&self) -> usize {
        self.entries.spares()
    }

    /// The live entries, in insertion order.
    ///
    /// ```
    /// let m: pool_runtime::ReuseMap<u8> = [("b", 2), ("a", 1)].into_iter().collect();
    /// assert_eq!(m.iter().collect::<Vec<_>>(), [("b", &2), ("a", &1)]);
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &V)> + '_ {
        self.entries.iter().map(|e| (e.key.as_str(), &e.value))
    }

    /// The live entries, values mutable, in insertion order.
    ///
    /// ```
    /// let mut m: pool_runtime::ReuseMap<u8> = [("a", 1)].into_iter().collect();
    /// for (_, v) in m.iter_mut() { *v += 1; }
    /// assert_eq!(m["a"], 2);
    /// ```
    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = (&str, &mut V)> + '_ {
        self.entries
            .iter_mut()
            .map(|e| (e.key.as_str(), &mut e.value))
    }

    /// The live keys, in insertion order.
    ///
    /// ```
    /// let m: pool_runtime::ReuseMap<u8> = [("a", 1), ("b", 2)].into_iter().collect();
    /// assert_eq!(m.keys().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.entries.iter().map(|e| e.key.as_str())
    }

    /// The live values, in insertion order.
    ///
    /// ```
    /// let m: pool_runtime::ReuseMap<u8> = [("a", 1), ("b", 2)].into_iter().collect();
    /// assert_eq!(m.values().sum::<u8>(), 3);
    /// ```
    pub fn values(&self) -> impl ExactSizeIterator<Item = &V> + '_ {
        self.entries.iter().map(|e| &e.value)
    }
}

impl<V, S: BuildHasher> ReuseMap<V, S> {
    /// The value of `key`, if it is there.
    ///
    /// ```
    /// let m: pool_runtime::ReuseMap<u8> = [("a", 1)].into_iter().collect();
    /// assert_eq!((m.get("a"), m.get("b")), (Some(&1), None));
    /// ```
    pub fn get(&self, key: &str) -> Option<&V> {
        let at = self.lookup(key)?;
        Some(&self.entries[at].value)
    }

    /// The value of `key`, mutably, if it is there.
    ///
    /// ```
    /// let mut m: pool_runtime::ReuseMap<u8> = [("a", 1)].into_iter().collect();
    /// *m.get_mut("a").unwrap() = 5;
    /// assert_eq!(m["a"], 5);
    /// ```
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let at = self.lookup(key)?;
        Some(&mut self.entries[at].value)
    }

    /// Whether `key` is there.
    ///
    /// ```
    /// let m: pool_runtime::ReuseMap<u8> = [("a", 1)].into_iter().collect();
    /// assert!(m.contains_key("a") && !m.contains_key("b"));
    /// ```
    pub fn contains_key(&self, key: &str) -> bool {
        self.lookup(key).is_some()
    }

    /// The entry of `key`, if it is there.
    #[inline]
    fn lookup(&self, key: &str) -> Option<usize> {
        if self.hashed {
            self.find(self.hasher.hash_one(key), key)
        } else {
            self.entries.iter().position(|e| e.key == key)
        }
    }

    /// The entry of `key`, whose hash is `hash`, if it is there (the map
    /// hashes).
    fn find(&self, hash: u64, key: &str) -> Option<usize> {
        self.index.find(hash, |at| {
            let e = &self.entries[at];
            e.hash == hash && e.key == key
        })
    }

    /// Past [`LINEAR`] entries: each live entry gets its key's hash, and
    /// the table is built for them.
    #[cold]
    fn start_hashing(&mut self) {
        for e in self.entries.iter_mut() {
            e.hash = self.hasher.hash_one(e.key.as_str());
        }
        self.hashed = true;
        self.index.clear();
        self.index.reserve_one(self.entries.iter().map(|e| e.hash));
    }
}

impl<V: Poolable + Default, S: BuildHasher> ReuseMap<V, S> {
    /// The value of `key` to fill: the one there, or a new entry from a
    /// spare (its key buffer refilled with `key`, its value reset) or,
    /// without spares, a new key and `V::default()`.
    ///
    /// ```
    /// let mut counts: pool_runtime::ReuseMap<u32> = pool_runtime::ReuseMap::new();
    /// for word in ["a", "b", "a"] {
    ///     *counts.get_or_insert_reused(word) += 1;
    /// }
    /// assert_eq!((counts["a"], counts["b"]), (2, 1));
    /// ```
    pub fn get_or_insert_reused(&mut self, key: &str) -> &mut V {
        let at = self.entry_of(key);
        &mut self.entries[at].value
    }

    /// Sets `key` to `value`, returning the value it had. A new key takes a
    /// spare's key buffer; the spare's value is dropped for `value` (use
    /// [`get_or_insert_reused`](ReuseMap::get_or_insert_reused) to fill the
    /// spare's value instead).
    ///
    /// ```
    /// let mut m: pool_runtime::ReuseMap<String> = pool_runtime::ReuseMap::new();
    /// assert_eq!(m.insert("k", "one".into()), None);
    /// assert_eq!(m.insert("k", "two".into()), Some("one".into()));
    /// ```
    pub fn insert(&mut self, key: &str, value: V) -> Option<V> {
        let before = self.len();
        let at = self.entry_of(key);
        let old = core::mem::replace(&mut self.entries[at].value, value);
        (self.len() == before).then_some(old)
    }

    /// The value of entry number `at` (from `entry_of`).
    #[cfg(feature = "serde")]
    pub(super) fn value_at(&mut self, at: usize) -> &mut V {
        &mut self.entries[at].value
    }

    /// The entry number of `key`, made (from a spare if there is one) if
    /// it was not there.
    pub(super) fn entry_of(&mut self, key: &str) -> usize {
        if !self.hashed {
            if let Some(at) = self.entries.iter().position(|e| e.key == key) {
                return at;
            }
            if self.len() < LINEAR {
                let at = self.entries.len();
                self.entries.push_reused().key.push_str(key);
                return at;
            }
            self.start_hashing();
        }
        let hash = self.hasher.hash_one(key);
        if let Some(at) = self.find(hash, key) {
            return at;
        }
        self.index.reserve_one(self.entries.iter().map(|e| e.hash));
        let at = self.entries.len();
        let entry = self.entries.push_reused();
        entry.hash = hash;
        entry.key.push_str(key);
        self.index.insert(hash, at);
        at
    }
}

impl<V: Poolable, S> ReuseMap<V, S> {
    /// Resets every live entry (its key cleared, its value reset) and keeps
    /// it as a spare; the table is emptied, its allocation kept.
    ///
    /// ```
    /// let mut m: pool_runtime::ReuseMap<String> = pool_runtime::ReuseMap::new();
    /// m.insert("k", "v".into());
    /// m.clear();
    /// assert!(m.is_empty() && m.get("k").is_none());
    /// ```
    pub fn clear(&mut self) {
        // The table first: if a value's reset panics, the map is left
        // comparing keys, which needs no table.
        self.forget_table();
        self.entries.clear();
    }

    /// Back to comparing keys: the table is emptied, its allocation kept.
    fn forget_table(&mut self) {
        self.index.clear();
        self.hashed = false;
    }
}

impl<V, S: Default> Default for ReuseMap<V, S> {
    fn default() -> Self {
        Self::with_hasher(S::default())
    }
}

impl<V: fmt::Debug, S> fmt::Debug for ReuseMap<V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal when both hold the same keys with equal values, in any order;
/// spares are not part of the value.
impl<V: PartialEq, S: BuildHasher> PartialEq for ReuseMap<V, S> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<V: Eq, S: BuildHasher> Eq for ReuseMap<V, S> {}

/// A copy of the live entries, with no spares.
impl<V: Poolable + Default + Clone, S: BuildHasher + Clone> Clone for ReuseMap<V, S> {
    fn clone(&self) -> Self {
        let mut copy = ReuseMap::with_hasher(self.hasher.clone());
        copy.extend(self.iter().map(|(k, v)| (k, v.clone())));
        copy
    }
}

impl<V, S: BuildHasher> core::ops::Index<&str> for ReuseMap<V, S> {
    type Output = V;

    /// # Panics
    ///
    /// If `key` is not there, as `HashMap`'s indexing does.
    fn index(&self, key: &str) -> &V {
        match self.get(key) {
            Some(v) => v,
            None => panic!("no entry for key {key:?} in the ReuseMap"),
        }
    }
}

/// Inserts each pair with [`insert`](ReuseMap::insert): a later value of a
/// key replaces an earlier one.
impl<K: AsRef<str>, V: Poolable + Default, S: BuildHasher> Extend<(K, V)> for ReuseMap<V, S> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k.as_ref(), v);
        }
    }
}

impl<K: AsRef<str>, V: Poolable + Default, S: BuildHasher + Default> FromIterator<(K, V)>
    for ReuseMap<V, S>
{
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Self::default();
        map.extend(iter);
        map
    }
}

impl<V: Poolable, S> Poolable for ReuseMap<V, S> {
    /// [`clear`](ReuseMap::clear), after dropping any entry whose value is
    /// over its own caps.
    fn reset(&mut self) {
        self.forget_table();
        self.entries.reset();
    }

    /// The table, the entries' slots, and every key's and value's own
    /// bytes, spares included.
    fn retained_bytes(&self) -> usize {
        let table = self.index.reserved_bytes();
        table.saturating_add(self.entries.retained_bytes())
    }

    fn used_bytes(&self) -> usize {
        let table = self.index.used_bytes();
        table.saturating_add(self.entries.used_bytes())
    }

    fn wipe(&mut self) {
        self.entries.wipe();
    }

    fn poison_spare(&mut self) {
        self.entries.poison_spare();
    }
}

/// What `#[pool(cap = N)]` measures: the entries kept, live and spare.
/// `shrink_to(n)` drops spares until at most `n` are kept (never a live
/// entry).
impl<V, S> Capacity for ReuseMap<V, S> {
    fn capacity(&self) -> usize {
        Capacity::capacity(&self.entries)
    }

    fn shrink_to(&mut self, n: usize) {
        // Only spares go, and they are past every live entry: the table's
        // entry numbers stay right.
        Capacity::shrink_to(&mut self.entries, n);
        if !self.hashed {
            self.index.free();
        }
    }
}
