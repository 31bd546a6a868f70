//! What `#[derive(Poolable)]` expands to refers to; not a public API.

pub use crate::capacity::Capacity;
pub use crate::global::DefaultForGlobal;
pub use crate::poolable::Poolable;
pub use crate::{GlobalPool, Pool};
pub use core::primitive::{bool, usize};
pub use once_cell::sync::Lazy;
pub use zeroize::Zeroize;

/// The bytes of a `reset = EXPR` or `reset_with = PATH` field, whose type
/// need not implement `Poolable`: the derive writes
/// `(&&&FieldBytes(&self.field)).__pool_bytes()` with [`FieldBytesKind`] in
/// scope, and method resolution (autoref specialization) picks the first
/// impl that applies, trying the receiver with the most references first:
///
/// 1. `&&FieldBytes<T>`, `T: Poolable`: its `retained_bytes`;
/// 2. `&FieldBytes<T>`, `T: Capacity`: its capacity, counted as bytes;
/// 3. `FieldBytes<T>`: 0.
///
/// Which applies is decided where the derive expands: for a type that
/// mentions a type parameter, only what the impl's bounds prove counts, so
/// a field of bare, unbounded type `T` gets the 0.
pub struct FieldBytes<'a, T: ?Sized>(pub &'a T);

/// The one method of [`FieldBytes`], implemented at three levels of
/// reference; prefixed so that it cannot clash with a method of the field's
/// own type.
pub trait FieldBytesKind {
    /// The heap bytes the field holds, as far as its traits tell.
    fn __pool_bytes(&self) -> usize;
}

impl<T: Poolable + ?Sized> FieldBytesKind for &&FieldBytes<'_, T> {
    #[inline]
    fn __pool_bytes(&self) -> usize {
        self.0.retained_bytes()
    }
}

impl<T: Capacity + ?Sized> FieldBytesKind for &FieldBytes<'_, T> {
    #[inline]
    fn __pool_bytes(&self) -> usize {
        // Elements counted as one byte each: a lower bound of the heap held,
        // for elements of at least a byte (`Capacity` says how many, not how
        // big).
        self.0.capacity()
    }
}

impl<T: ?Sized> FieldBytesKind for FieldBytes<'_, T> {
    #[inline]
    fn __pool_bytes(&self) -> usize {
        0
    }
}
