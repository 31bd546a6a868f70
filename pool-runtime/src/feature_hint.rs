//! What a user meets who calls `into_bytes` with the `bytes` feature off:
//! a message that names the feature and the line to add, where there would
//! otherwise be a bare "no function or associated item named `into_bytes`"
//! (E0599). Compiled only without the feature.

use crate::guard::{OwnedPooled, Pooled};
use crate::poolable::Poolable;
use core::convert::Infallible;

/// Implemented for nothing: the bound of the stand-ins below, so that a
/// call to one fails with this message. Not for users.
///
/// Without the feature, a call is this trait's error (E0277, which names
/// the feature), not a missing function's (E0599):
///
/// ```compile_fail,E0277
/// use pool_runtime::{OwnedPooled, Pool};
/// let pool = std::sync::Arc::new(Pool::new(Vec::<u8>::new));
/// let _ = OwnedPooled::into_bytes(pool.get_owned());
/// ```
#[diagnostic::on_unimplemented(
    message = "`into_bytes` needs pool-runtime's `bytes` feature",
    label = "the `bytes` feature of pool-runtime is off",
    note = "turn it on in Cargo.toml: `pool-runtime = {{ version = \"0.1\", features = [\"bytes\"] }}`"
)]
pub trait NeedsBytesFeature {
    /// Never called: nothing implements the trait.
    fn unreachable(self) -> Infallible;
}

impl<T: Poolable + 'static> OwnedPooled<T> {
    /// Needs the `bytes` feature: with it on, the pooled buffer as a
    /// `bytes::Bytes`, without a copy. Without it, a call does not compile,
    /// and the error names the feature.
    #[doc(hidden)]
    pub fn into_bytes(guard: Self) -> Infallible
    where
        Self: NeedsBytesFeature,
    {
        guard.unreachable()
    }
}

impl<T: Poolable + 'static> Pooled<'static, T> {
    /// Needs the `bytes` feature, as [`OwnedPooled::into_bytes`] does.
    #[doc(hidden)]
    pub fn into_bytes(guard: Self) -> Infallible
    where
        Self: NeedsBytesFeature,
    {
        guard.unreachable()
    }
}
