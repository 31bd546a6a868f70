//! `Poolable` for the std types: containers clear and keep their capacity,
//! scalars go to zero, `Box`, arrays and tuples forward to what they hold.

use crate::poison::{poison_deque, poison_vec};
use crate::poolable::Poolable;
use core::hash::{BuildHasher, Hash};
use core::marker::PhantomData;
use core::mem::size_of;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};

macro_rules! zero_reset {
    ($zero:expr => $($t:ty),* $(,)?) => {$(
        impl Poolable for $t {
            #[inline]
            fn reset(&mut self) {
                *self = $zero;
            }
        }
    )*};
}

zero_reset!(0 => u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);
zero_reset!(0.0 => f32, f64);
zero_reset!(false => bool);
zero_reset!('\0' => char);

impl Poolable for () {
    #[inline]
    fn reset(&mut self) {}
}

impl<T: ?Sized> Poolable for PhantomData<T> {
    #[inline]
    fn reset(&mut self) {}
}

/// Bytes of the elements a container has room for; saturating so that a
/// zero-sized element or an absurd capacity cannot overflow the sum.
#[inline]
fn slots<T>(capacity: usize) -> usize {
    capacity.saturating_mul(size_of::<T>())
}

/// The growable containers: `reset` clears and keeps the capacity, and what
/// they retain is their capacity in elements (plus, for hash tables, one
/// control byte per bucket); what they use, the same of their length.
macro_rules! clear_keeps_capacity {
    ($(impl[$($gen:tt)*] for $t:ty $(where [$($bound:tt)*])? => |$c:ident| $bytes:expr
        $(, poison: |$p:ident| $poison:expr)?;)*) => {$(
        impl<$($gen)*> Poolable for $t $(where $($bound)*)? {
            #[inline]
            fn reset(&mut self) {
                self.clear();
            }
            #[inline]
            fn retained_bytes(&self) -> usize {
                let $c = self.capacity();
                $bytes
            }
            #[inline]
            fn used_bytes(&self) -> usize {
                let $c = self.len();
                $bytes
            }
            $(
                fn poison_spare(&mut self) {
                    let $p = self;
                    $poison
                }
            )?
        }
    )*};
}

clear_keeps_capacity! {
    impl[T] for Vec<T> => |c| slots::<T>(c), poison: |v| poison_vec(v);
    // SAFETY: only the spare capacity is written; the string's bytes, up
    // to its length, stay the UTF-8 they were.
    impl[] for String => |c| c, poison: |s| poison_vec(unsafe { s.as_mut_vec() });
    impl[T] for VecDeque<T> => |c| slots::<T>(c), poison: |d| poison_deque(d);
    impl[T: Ord] for BinaryHeap<T> => |c| slots::<T>(c);
    impl[K, V, S] for HashMap<K, V, S> where [K: Eq + Hash, S: BuildHasher]
        => |c| slots::<(K, V)>(c).saturating_add(c);
    impl[T, S] for HashSet<T, S> where [T: Eq + Hash, S: BuildHasher]
        => |c| slots::<T>(c).saturating_add(c);
}

// B-trees free their nodes on `clear`: there is no capacity to keep, so they
// retain nothing once reset.
impl<K: Ord, V> Poolable for BTreeMap<K, V> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
    #[inline]
    fn retained_bytes(&self) -> usize {
        slots::<(K, V)>(self.len())
    }
}

impl<T: Ord> Poolable for BTreeSet<T> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
    #[inline]
    fn retained_bytes(&self) -> usize {
        slots::<T>(self.len())
    }
}

// `T` has no `Poolable` bound, so `wipe` cannot reach inside: it stays the
// default no-op.
impl<T> Poolable for Option<T> {
    #[inline]
    fn reset(&mut self) {
        *self = None;
    }
    #[inline]
    fn retained_bytes(&self) -> usize {
        // A value still inside is dropped by `reset`; before that it is held.
        0
    }
}

impl<T: Poolable + ?Sized> Poolable for Box<T> {
    #[inline]
    fn reset(&mut self) {
        (**self).reset();
    }
    #[inline]
    fn within_caps(&self) -> bool {
        (**self).within_caps()
    }
    #[inline]
    fn retained_bytes(&self) -> usize {
        core::mem::size_of_val::<T>(self).saturating_add((**self).retained_bytes())
    }
    #[inline]
    fn used_bytes(&self) -> usize {
        core::mem::size_of_val::<T>(self).saturating_add((**self).used_bytes())
    }
    #[inline]
    fn wipe(&mut self) {
        (**self).wipe();
    }
    fn poison_spare(&mut self) {
        (**self).poison_spare();
    }
}

impl<T: Poolable, const N: usize> Poolable for [T; N] {
    #[inline]
    fn reset(&mut self) {
        self.iter_mut().for_each(T::reset);
    }
    #[inline]
    fn within_caps(&self) -> bool {
        self.iter().all(T::within_caps)
    }
    #[inline]
    fn retained_bytes(&self) -> usize {
        self.iter().fold(0usize, |sum, item| {
            sum.saturating_add(item.retained_bytes())
        })
    }
    #[inline]
    fn used_bytes(&self) -> usize {
        self.iter()
            .fold(0usize, |sum, item| sum.saturating_add(item.used_bytes()))
    }
    #[inline]
    fn wipe(&mut self) {
        self.iter_mut().for_each(T::wipe);
    }
    fn poison_spare(&mut self) {
        self.iter_mut().for_each(T::poison_spare);
    }
}

macro_rules! tuple_poolable {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Poolable),+> Poolable for ($($name,)+) {
            #[inline]
            fn reset(&mut self) {
                $(self.$idx.reset();)+
            }
            #[inline]
            fn within_caps(&self) -> bool {
                true $(&& self.$idx.within_caps())+
            }
            #[inline]
            fn retained_bytes(&self) -> usize {
                0usize $(.saturating_add(self.$idx.retained_bytes()))+
            }
            #[inline]
            fn used_bytes(&self) -> usize {
                0usize $(.saturating_add(self.$idx.used_bytes()))+
            }
            #[inline]
            fn wipe(&mut self) {
                $(self.$idx.wipe();)+
            }
            fn poison_spare(&mut self) {
                $(self.$idx.poison_spare();)+
            }
        }
    };
}

tuple_poolable!(A 0);
tuple_poolable!(A 0, B 1);
tuple_poolable!(A 0, B 1, C 2);
tuple_poolable!(A 0, B 1, C 2, D 3);
tuple_poolable!(A 0, B 1, C 2, D 3, E 4);
tuple_poolable!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_poolable!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_poolable!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_clear_and_keep_capacity() {
        let mut v: Vec<u32> = Vec::with_capacity(10);
        v.extend([1, 2, 3]);
        let mut s = String::with_capacity(10);
        s.push_str("abc");
        let mut d: VecDeque<u8> = VecDeque::with_capacity(10);
        d.push_back(1);
        let mut h: HashMap<u32, u32> = HashMap::with_capacity(10);
        h.insert(1, 2);
        let caps = (v.capacity(), s.capacity(), d.capacity(), h.capacity());
        v.reset();
        s.reset();
        d.reset();
        h.reset();
        assert!(v.is_empty() && s.is_empty() && d.is_empty() && h.is_empty());
        assert_eq!(
            caps,
            (v.capacity(), s.capacity(), d.capacity(), h.capacity())
        );
    }

    #[test]
    fn scalars_options_and_tuples_go_to_zero() {
        let mut t = (5u8, -3i64, 2.5f64, true, 'x', Some(3u8));
        t.reset();
        assert_eq!(t, (0, 0, 0.0, false, '\0', None));
    }

    #[test]
    fn box_resets_inside_and_counts_itself() {
        let mut b = Box::new(vec![1u64; 4]);
        b.reset();
        assert!(b.is_empty());
        assert_eq!(b.retained_bytes(), size_of::<Vec<u64>>() + 4 * 8);
    }

    #[test]
    fn arrays_reset_every_element() {
        let mut a = [vec![1u8], vec![2, 3]];
        a.reset();
        assert!(a.iter().all(Vec::is_empty));
        assert_eq!(a.retained_bytes(), a[0].capacity() + a[1].capacity());
    }

    /// Counts its wipes; a reset does not count.
    #[derive(Default, Debug, PartialEq)]
    struct Wiped(u32);

    impl Poolable for Wiped {
        fn reset(&mut self) {}
        fn wipe(&mut self) {
            self.0 += 1;
        }
    }

    #[test]
    fn wipe_reaches_inside_boxes_arrays_and_tuples() {
        let mut b = Box::new(Wiped(0));
        b.wipe();
        assert_eq!(*b, Wiped(1));
        let mut a = [Wiped(0), Wiped(5)];
        a.wipe();
        assert_eq!(a, [Wiped(1), Wiped(6)]);
        let mut t = (Wiped(0), 7u8, Box::new([Wiped(2)]));
        t.wipe();
        assert_eq!(t, (Wiped(1), 7, Box::new([Wiped(3)])));
        // Scalars and containers keep what they hold: a wipe is no reset.
        let mut v = vec![1u8, 2];
        v.wipe();
        assert_eq!(v, [1, 2]);
    }
}
