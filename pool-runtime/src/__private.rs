//! What `#[derive(Poolable)]` expands to refers to; not a public API.

pub use crate::capacity::Capacity;
pub use crate::global::DefaultForGlobal;
pub use crate::poolable::Poolable;
pub use crate::{GlobalPool, Pool};
pub use core::{
    clone::Clone, default::Default, ops::FnOnce, option::Option, primitive::bool, primitive::usize,
};
pub use once_cell::sync::Lazy;
pub use zeroize::Zeroize;
