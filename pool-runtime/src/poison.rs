//! Chaos mode's poisoning of spare capacity: the pattern, and how each
//! buffer type has it written past its length.
//!
//! Under AddressSanitizer one would rather mark the spare capacity as
//! unaddressable (`__asan_poison_memory_region`) than fill it. That is not
//! done: detecting an ASan build needs `cfg(sanitize)`, which is
//! nightly-only, and a buffer's own `push` writes into its spare capacity,
//! so the marks would have to be lifted at every checkout, exactly when the
//! code under test starts reading. The pattern works the same with or
//! without a sanitizer.

use std::collections::VecDeque;

/// The byte [`Poolable::poison_spare`](crate::Poolable::poison_spare)
/// writes: `0xA5`, neither zero nor a printable character, easy to spot in
/// a dump.
///
/// ```
/// use pool_runtime::{Poolable, POISON};
/// let mut v: Vec<u8> = Vec::with_capacity(4);
/// v.poison_spare();
/// // SAFETY (of the example): the bytes were just written.
/// assert_eq!(unsafe { v.spare_capacity_mut()[0].assume_init() }, POISON);
/// ```
pub const POISON: u8 = 0xA5;

/// Writes [`POISON`] over a vector's spare capacity.
pub(crate) fn poison_vec<T>(v: &mut Vec<T>) {
    let spare = v.spare_capacity_mut();
    // SAFETY: `spare` is the vector's own allocation past its length, as
    // `MaybeUninit<T>`s, which may hold any bytes; the length is unchanged,
    // so no `T` is ever read from them.
    unsafe {
        core::ptr::write_bytes(
            spare.as_mut_ptr().cast::<u8>(),
            POISON,
            core::mem::size_of_val(spare),
        )
    }
}

/// Writes [`POISON`] over an empty deque's whole buffer (a deque has no
/// safe view of its spare capacity). The round trip through `Vec` keeps the
/// buffer: an empty deque converts without moving anything, and a `Vec`
/// becomes a deque in place. A deque a custom reset left non-empty is left
/// alone rather than rearranged.
pub(crate) fn poison_deque<T>(d: &mut VecDeque<T>) {
    if !d.is_empty() {
        return;
    }
    let mut v = Vec::from(core::mem::take(d));
    poison_vec(&mut v);
    *d = VecDeque::from(v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_deque_is_poisoned_in_place() {
        let mut d: VecDeque<u8> = VecDeque::with_capacity(32);
        d.extend(*b"previous tenant");
        d.clear();
        let cap = d.capacity();
        poison_deque(&mut d);
        assert_eq!(d.capacity(), cap);
        let mut v = Vec::from(d);
        assert!(v
            .spare_capacity_mut()
            .iter()
            // SAFETY: `poison_deque` wrote every byte of the buffer.
            .all(|b| unsafe { b.assume_init() } == POISON));
    }

    #[test]
    fn a_deque_with_values_is_left_as_it_is() {
        let mut d: VecDeque<u8> = VecDeque::with_capacity(8);
        d.extend([3, 1, 2]);
        d.rotate_left(1);
        poison_deque(&mut d);
        assert_eq!(d, [1, 2, 3]);
    }
}
