//! pool-runtime (user guide written with the runtime).
#![warn(missing_docs)]

mod capacity;
mod poolable;
// `mod global;` (the `GlobalPool` trait of `#[pool(global)]`) joins when the
// runtime's `Pool` and `Pooled` are merged: see global.rs.

pub use capacity::Capacity;
pub use poolable::Poolable;

#[cfg(feature = "derive")]
pub use pool_derive::Poolable;

#[doc(hidden)]
pub mod __private;
