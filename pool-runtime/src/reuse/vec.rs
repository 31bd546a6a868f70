//! [`ReuseVec`]: a vector whose `clear` keeps its elements, reset, for the
//! next pushes.

use crate::capacity::Capacity;
use crate::poolable::Poolable;
use core::fmt;
use core::mem::size_of;
use core::ops::{Deref, DerefMut};

/// A vector whose [`clear`](ReuseVec::clear) resets its elements and keeps
/// them as *spares*: the next [`push_reused`](ReuseVec::push_reused) hands
/// one back instead of making a new one. So a pooled `ReuseVec<String>`
/// keeps its strings' buffers from one use to the next, where a pooled
/// `Vec<String>` keeps only its slots and drops every string on `clear`.
///
/// Use it for elements that own heap memory (`String`, `Vec<u8>`, a
/// derived struct of such); for elements that own none (`Vec<u64>`,
/// `Vec<(u32, u32)>`) a plain `Vec` already keeps everything there is.
///
/// It reads like a `Vec` (it dereferences to the slice of its live
/// elements: `len`, `iter`, `get`, indexing), and its `Poolable` reset is
/// its `clear`. As a field of a derived struct, `#[pool(cap = N)]` bounds
/// the elements it keeps, live and spare together ([`Capacity`]); with
/// `shrink`, the spares past `N` are dropped instead of the whole value.
///
/// ```
/// use pool_runtime::ReuseVec;
///
/// let mut tags: ReuseVec<String> = ReuseVec::new();
/// tags.push_reused().push_str("rust");
/// tags.push_reused().push_str("pools");
/// let first = tags[0].as_ptr();
/// assert_eq!(tags.len(), 2);
///
/// tags.clear();                               // both strings reset, kept as spares
/// assert!(tags.is_empty());
/// assert_eq!(tags.spares(), 2);
/// tags.push_reused().push_str("again");       // the first string's buffer
/// assert_eq!(tags[0].as_ptr(), first);
/// assert_eq!(tags.as_slice(), ["again"]);
/// ```
pub struct ReuseVec<T> {
    /// The live elements, then the spares (each reset).
    items: Vec<T>,
    /// How many of `items` are live.
    len: usize,
}

impl<T> ReuseVec<T> {
    /// An empty vector; it allocates nothing until the first push.
    ///
    /// ```
    /// let v: pool_runtime::ReuseVec<String> = pool_runtime::ReuseVec::new();
    /// assert!(v.is_empty());
    /// ```
    pub const fn new() -> Self {
        ReuseVec {
            items: Vec::new(),
            len: 0,
        }
    }

    /// An empty vector with slots for `n` elements (as
    /// `Vec::with_capacity`; it makes no elements).
    ///
    /// ```
    /// let v: pool_runtime::ReuseVec<String> = pool_runtime::ReuseVec::with_capacity(8);
    /// assert_eq!((v.len(), v.spares()), (0, 0));
    /// ```
    pub fn with_capacity(n: usize) -> Self {
        ReuseVec {
            items: Vec::with_capacity(n),
            len: 0,
        }
    }

    /// The live elements.
    ///
    /// ```
    /// let v: pool_runtime::ReuseVec<u8> = [1, 2].into_iter().collect();
    /// assert_eq!(v.as_slice(), [1, 2]);
    /// ```
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        &self.items[..self.len]
    }

    /// The live elements, mutably.
    ///
    /// ```
    /// let mut v: pool_runtime::ReuseVec<u8> = [1, 2].into_iter().collect();
    /// v.as_mut_slice()[0] = 7;
    /// assert_eq!(v.as_slice(), [7, 2]);
    /// ```
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.items[..self.len]
    }

    /// Elements kept reset for the next pushes.
    ///
    /// ```
    /// let mut v: pool_runtime::ReuseVec<String> = pool_runtime::ReuseVec::new();
    /// v.push_reused();
    /// v.clear();
    /// assert_eq!(v.spares(), 1);
    /// ```
    #[inline]
    pub fn spares(&self) -> usize {
        self.items.len() - self.len
    }

    /// Appends `value` as a live element. A spare in its place is dropped:
    /// to reuse spares, fill them with [`push_reused`](ReuseVec::push_reused).
    ///
    /// ```
    /// let mut v = pool_runtime::ReuseVec::new();
    /// v.push(String::from("made elsewhere"));
    /// assert_eq!(v.len(), 1);
    /// ```
    #[inline]
    pub fn push(&mut self, value: T) {
        if self.len < self.items.len() {
            self.items[self.len] = value;
        } else {
            self.items.push(value);
        }
        self.len += 1;
    }

    /// Removes the last live element and returns it (its place is no
    /// spare: the element leaves).
    ///
    /// ```
    /// let mut v: pool_runtime::ReuseVec<u8> = [1, 2].into_iter().collect();
    /// assert_eq!(v.pop(), Some(2));
    /// assert_eq!(v.as_slice(), [1]);
    /// ```
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // The last spare (if any) takes the popped element's place.
        Some(self.items.swap_remove(self.len))
    }

    /// Drops every spare, keeping the live elements.
    ///
    /// ```
    /// let mut v: pool_runtime::ReuseVec<String> = pool_runtime::ReuseVec::new();
    /// v.push_reused();
    /// v.clear();
    /// v.drop_spares();
    /// assert_eq!(v.spares(), 0);
    /// ```
    pub fn drop_spares(&mut self) {
        self.items.truncate(self.len);
    }
}

impl<T: Poolable + Default> ReuseVec<T> {
    /// Appends an element and returns it to fill: a spare (reset by the
    /// `clear` that kept it) when there is one, else `T::default()`.
    ///
    /// ```
    /// let mut lines: pool_runtime::ReuseVec<Vec<u8>> = pool_runtime::ReuseVec::new();
    /// lines.push_reused().extend_from_slice(b"first");
    /// assert_eq!(lines[0], b"first");
    /// ```
    #[inline]
    pub fn push_reused(&mut self) -> &mut T {
        if self.len == self.items.len() {
            self.items.push(T::default());
        }
        self.len += 1;
        &mut self.items[self.len - 1]
    }

    /// Undoes the last `push_reused` whose element was left untouched: it
    /// is a spare again.
    #[cfg(feature = "serde")]
    pub(super) fn unpush(&mut self) {
        self.len -= 1;
    }
}

impl<T: Poolable> ReuseVec<T> {
    /// Resets every live element and keeps it as a spare: the vector is
    /// empty, its elements' capacity kept.
    ///
    /// ```
    /// let mut v: pool_runtime::ReuseVec<String> = pool_runtime::ReuseVec::new();
    /// v.push_reused().push_str("x");
    /// v.clear();
    /// assert!(v.is_empty() && v.spares() == 1);
    /// ```
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Keeps the first `n` live elements; the others are reset and kept as
    /// spares.
    ///
    /// ```
    /// let mut v: pool_runtime::ReuseVec<String> = ["a", "b", "c"].map(String::from).into_iter().collect();
    /// v.truncate(1);
    /// assert_eq!((v.len(), v.spares()), (1, 2));
    /// ```
    pub fn truncate(&mut self, n: usize) {
        if n >= self.len {
            return;
        }
        // The resets first, `len` after: if one panics, the elements past
        // `n` are still live (some reset), never spares that were not.
        for item in &mut self.items[n..self.len] {
            item.reset();
        }
        self.len = n;
    }
}

impl<T> Default for ReuseVec<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Deref for ReuseVec<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> DerefMut for ReuseVec<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T: fmt::Debug> fmt::Debug for ReuseVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

/// Two vectors are equal when their live elements are: spares are not
/// part of the value.
impl<T: PartialEq, U: PartialEq<T>> PartialEq<ReuseVec<T>> for ReuseVec<U> {
    fn eq(&self, other: &ReuseVec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for ReuseVec<T> {}

/// A copy of the live elements, with no spares.
impl<T: Clone> Clone for ReuseVec<T> {
    fn clone(&self) -> Self {
        self.as_slice().iter().cloned().collect()
    }
}

impl<T> FromIterator<T> for ReuseVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let items: Vec<T> = iter.into_iter().collect();
        ReuseVec {
            len: items.len(),
            items,
        }
    }
}

/// Appends each value with [`push`](ReuseVec::push).
impl<T> Extend<T> for ReuseVec<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for value in iter {
            self.push(value);
        }
    }
}

impl<'a, T> IntoIterator for &'a ReuseVec<T> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<'a, T> IntoIterator for &'a mut ReuseVec<T> {
    type Item = &'a mut T;
    type IntoIter = core::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_mut_slice().iter_mut()
    }
}

/// The live elements, in order; the spares are dropped.
impl<T> IntoIterator for ReuseVec<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(mut self) -> Self::IntoIter {
        self.items.truncate(self.len);
        self.items.into_iter()
    }
}

impl<T: Poolable> Poolable for ReuseVec<T> {
    /// [`clear`](ReuseVec::clear), after dropping every element over its
    /// own caps, live or spare (so one grown string is not kept, and the
    /// rest are); each one dropped is wiped first, as a pool wipes a value
    /// it refuses.
    fn reset(&mut self) {
        if self.items.iter().all(Poolable::within_caps) {
            return self.clear();
        }
        self.len = 0;
        let mut kept = 0;
        for i in 0..self.items.len() {
            if self.items[i].within_caps() {
                self.items.swap(kept, i);
                kept += 1;
            }
        }
        for refused in &mut self.items[kept..] {
            refused.wipe();
        }
        self.items.truncate(kept);
        for item in &mut self.items {
            item.reset();
        }
    }

    /// Its slots, and every element's own bytes, spares included.
    fn retained_bytes(&self) -> usize {
        let own = self.items.capacity().saturating_mul(size_of::<T>());
        self.items
            .iter()
            .fold(own, |sum, item| sum.saturating_add(item.retained_bytes()))
    }

    /// The live elements' slots and what each used.
    fn used_bytes(&self) -> usize {
        let own = self.len.saturating_mul(size_of::<T>());
        self.as_slice()
            .iter()
            .fold(own, |sum, item| sum.saturating_add(item.used_bytes()))
    }

    fn wipe(&mut self) {
        for item in &mut self.items {
            item.wipe();
        }
    }

    fn poison_spare(&mut self) {
        for item in &mut self.items {
            item.poison_spare();
        }
    }
}

/// What `#[pool(cap = N)]` measures: the elements kept, live and spare.
/// `shrink_to(n)` drops spares until at most `n` are kept (never a live
/// element) and gives back the slots past them.
impl<T> Capacity for ReuseVec<T> {
    fn capacity(&self) -> usize {
        self.items.len()
    }

    fn shrink_to(&mut self, n: usize) {
        self.items.truncate(n.max(self.len));
        self.items.shrink_to(n.max(self.len));
    }
}
