//! pool-runtime (user guide written with the runtime).
#![warn(missing_docs)]

mod capacity;
mod guard;
mod local;
mod pool;
mod poolable;
mod shared;
mod stats;
mod sync;
mod thread;

#[cfg(all(test, loom))]
mod loom_tests;
#[cfg(all(test, not(loom)))]
mod tests;

pub use capacity::Capacity;
pub use guard::{OwnedPooled, Pooled};
pub use pool::{Pool, PoolBuilder, DEFAULT_MAX_PER_THREAD, DEFAULT_MAX_SHARED};
pub use poolable::Poolable;
pub use stats::Stats;

#[cfg(feature = "derive")]
pub use pool_derive::Poolable;

#[doc(hidden)]
pub mod __private;
