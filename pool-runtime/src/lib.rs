//! pool-runtime (user guide written with the runtime).
#![warn(missing_docs)]

mod capacity;
mod poolable;

pub use capacity::Capacity;
pub use poolable::Poolable;

#[cfg(feature = "derive")]
pub use pool_derive::Poolable;

#[doc(hidden)]
pub mod __private;
