//! What `#[derive(Poolable)]` expands to refers to; not a public API.

pub use crate::audit::{AuditFields, Difference};
pub use crate::capacity::Capacity;
#[cfg(not(feature = "bytes"))]
pub use crate::feature_hint::NeedsBytesFeature;
pub use crate::global::DefaultForGlobal;
pub use crate::poolable::Poolable;
pub use crate::{GlobalPool, Pool};
pub use core::option::Option::{None, Some};
pub use core::primitive::{bool, usize};
pub use once_cell::sync::Lazy;

/// For the suite's tests of the fallback: from now on this process trims
/// other threads' stashes as a platform without `membarrier` does, by
/// asking their owners. Not for users.
pub fn refuse_heavy_barrier() {
    crate::barrier::refuse_for_tests();
}

/// A `#[pool(global)]` type's pool, made with `make`: named `name` (the
/// attribute's `name = …`), else after the type, and, its values being
/// `Send` (the trait's bound), trimmed by `trim_all` from any thread.
pub fn global_pool<T: GlobalPool>(make: fn() -> T, name: Option<&'static str>) -> Pool<T> {
    let name = name.unwrap_or_else(core::any::type_name::<T>);
    let pool = Pool::builder(make).name(name).build();
    pool.inner().shared_across_threads();
    pool
}

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

/// What `#[pool(zeroize)]` wipes whole, spare capacity included: the byte
/// buffers and the integers. The derive calls it through this trait, so the
/// compiler decides which types qualify, not the spelling of the field's
/// type: an alias of `Vec<u8>` or `core::primitive::u8` is the type it names.
#[diagnostic::on_unimplemented(
    message = "`#[pool(zeroize)]` cannot wipe `{Self}`: it works on byte buffers and integers only",
    label = "not a byte buffer or an integer",
    note = "`zeroize` takes `Vec<u8>`, `Vec<i8>`, `String`, an integer type (`u8`…`u128`, \
            `i8`…`i128`, `usize`, `isize`) or an array of one (`[u8; N]`); reset another type \
            with `#[pool(reset_with = PATH)]`"
)]
pub trait ZeroizeBytes {
    /// Overwrites every byte the value holds, spare capacity included, and
    /// leaves it empty (or zero).
    fn zeroize_bytes(&mut self);
}

macro_rules! zeroize_bytes {
    ($($t:ty),* $(,)?) => {$(
        impl ZeroizeBytes for $t {
            #[inline]
            fn zeroize_bytes(&mut self) {
                zeroize::Zeroize::zeroize(self);
            }
        }

        impl<const N: usize> ZeroizeBytes for [$t; N] {
            #[inline]
            fn zeroize_bytes(&mut self) {
                zeroize::Zeroize::zeroize(self);
            }
        }
    )*};
}

zeroize_bytes!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

impl ZeroizeBytes for Vec<u8> {
    #[inline]
    fn zeroize_bytes(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}

impl ZeroizeBytes for Vec<i8> {
    #[inline]
    fn zeroize_bytes(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}

impl ZeroizeBytes for String {
    #[inline]
    fn zeroize_bytes(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}
