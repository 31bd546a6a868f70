//! One process-wide pool per type: what `#[derive(Poolable)]` with
//! `#[pool(global)]` implements.

use crate::{Pool, Poolable, Pooled};

/// A type with one pool for the whole process, made on first use.
///
/// Derive it with `#[pool(global)]` next to `#[derive(Poolable)]`; the pool's
/// factory is `Default::default`, or the function named by `new = PATH`.
/// Generic types cannot be global: each instantiation would need its own
/// `static`.
///
/// ```
/// use pool_runtime::{GlobalPool, Poolable};
///
/// #[derive(Poolable, Default)]
/// #[pool(global)]
/// struct Scratch {
///     #[pool(cap = 1 << 16)]
///     bytes: Vec<u8>,
/// }
///
/// let mut s = Scratch::checkout();
/// s.bytes.extend_from_slice(b"work");
/// drop(s); // reset, and back to the global pool
/// assert!(Scratch::checkout().bytes.is_empty());
/// ```
pub trait GlobalPool: Poolable + Sized + Send + 'static {
    /// The type's pool, made on the first call.
    fn pool() -> &'static Pool<Self>;

    /// A value from the type's pool: `Self::pool().get()`.
    #[track_caller]
    fn checkout() -> Pooled<'static, Self> {
        Self::pool().get()
    }
}

/// What `#[pool(global)]` without `new = …` makes values with: it is
/// `Default::default`, behind a trait whose error says what to do.
#[diagnostic::on_unimplemented(
    message = "`#[pool(global)]` makes `{Self}` with `Default::default`, and `{Self}` does not implement `Default`",
    note = "derive or implement `Default`, or name a factory: `#[pool(global, new = path::to::make)]`"
)]
pub trait DefaultForGlobal: Sized {
    /// `Default::default`, named so that a missing `Default` is reported
    /// once, with the message above.
    fn make() -> Self;
}

impl<T: Default> DefaultForGlobal for T {
    #[inline]
    fn make() -> Self {
        T::default()
    }
}
