//! The per-value byte cap of `PoolBuilder::max_value_bytes`: the field cap
//! of a derived struct (`#[pool(cap = …)]`), for a pool of any type, a
//! `Pool<Vec<u8>>` included. It is checked on the return path, after the
//! reset, against what the value would keep (`retained_bytes()`); a value
//! above it is dropped as over a cap (`rejected`).
//!
//! One type for the cap, so that a cap learned from a pool's own traffic
//! decides in the same place as a fixed one.

use crate::poolable::Poolable;

pub(crate) struct ValueCap {
    /// `None`: no cap (the return path then skips this check).
    max: Option<usize>,
}

impl ValueCap {
    pub(crate) fn new(max: Option<usize>) -> Self {
        ValueCap { max }
    }

    /// Whether a value that counts `entry_bytes` (its inline size plus its
    /// `retained_bytes()`, as the byte budget counts it) may stay.
    pub(crate) fn admits<T: Poolable>(&self, entry_bytes: usize) -> bool {
        match self.max {
            None => true,
            Some(max) => entry_bytes.saturating_sub(core::mem::size_of::<T>()) <= max,
        }
    }
}
