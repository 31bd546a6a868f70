//! The [`Capacity`] trait: what a `#[pool(cap = …)]` attribute measures.

use core::hash::{BuildHasher, Hash};
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};

/// A growable container whose capacity a `#[pool(cap = N)]` field attribute
/// checks on every return to the pool, and which `#[pool(cap = N, shrink)]`
/// brings back down.
///
/// The cap is counted in the container's own unit: elements for `Vec`,
/// `VecDeque`, `BinaryHeap`, `HashMap` and `HashSet`, bytes for `String`.
///
/// ```
/// use pool_runtime::Capacity;
///
/// let mut v: Vec<u8> = Vec::with_capacity(4096);
/// assert!(Capacity::capacity(&v) >= 4096);
/// Capacity::shrink_to(&mut v, 512);
/// assert!(Capacity::capacity(&v) < 4096);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no capacity for `#[pool(cap = …)]` to check",
    label = "`{Self}` does not implement `Capacity`",
    note = "`cap` works on growable containers (Vec, String, VecDeque, BinaryHeap, HashMap, \
            HashSet, ReuseVec, ReuseMap, and BytesMut with the `bytes` feature); implement \
            `Capacity` for your own type, or use `#[pool(max_value_bytes = …)]`"
)]
pub trait Capacity {
    /// How many elements (bytes for `String`) the container can hold without
    /// growing.
    ///
    /// ```
    /// use pool_runtime::Capacity;
    /// assert!(Capacity::capacity(&String::with_capacity(10)) >= 10);
    /// ```
    fn capacity(&self) -> usize;

    /// Gives memory back until the capacity is at most about `n` (never below
    /// the current length). The allocator may keep a little more.
    ///
    /// ```
    /// use pool_runtime::Capacity;
    /// let mut v: Vec<u64> = Vec::with_capacity(1000);
    /// Capacity::shrink_to(&mut v, 10);
    /// assert!(Capacity::capacity(&v) <= 100);
    /// ```
    fn shrink_to(&mut self, n: usize);
}

macro_rules! capacity_impl {
    ($(impl[$($gen:tt)*] for $t:ty $(where [$($bound:tt)*])?;)*) => {$(
        impl<$($gen)*> Capacity for $t $(where $($bound)*)? {
            #[inline]
            fn capacity(&self) -> usize {
                <$t>::capacity(self)
            }
            #[inline]
            fn shrink_to(&mut self, n: usize) {
                <$t>::shrink_to(self, n)
            }
        }
    )*};
}

capacity_impl! {
    impl[T] for Vec<T>;
    impl[] for String;
    impl[T] for VecDeque<T>;
    impl[T] for BinaryHeap<T>;
    impl[K, V, S] for HashMap<K, V, S> where [K: Eq + Hash, S: BuildHasher];
    impl[T, S] for HashSet<T, S> where [T: Eq + Hash, S: BuildHasher];
}

#[cfg(test)]
mod tests {
    use super::Capacity;
    use std::collections::HashMap;

    #[test]
    fn shrink_brings_capacity_down_but_not_below_length() {
        let mut m: HashMap<u32, u32> = HashMap::with_capacity(10_000);
        m.insert(1, 1);
        Capacity::shrink_to(&mut m, 8);
        assert!(Capacity::capacity(&m) < 10_000 && Capacity::capacity(&m) >= 1);
        let mut v = vec![0u8; 100];
        Capacity::shrink_to(&mut v, 4);
        assert_eq!(Capacity::capacity(&v), 100);
    }
}
