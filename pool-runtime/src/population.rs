//! How many values of a pool exist (checked out, or kept), and the most
//! that ever did at once: the `out` and `high_water` of [`Stats`].
//!
//! A value starts to count when the factory makes it for the pool or `put`
//! hands it in, and stops when the pool drops it or `detach` takes it away.
//! Every one of those events is on a slow path (a factory call, a `put`, a
//! drop the pool decides, a detach), so the count is one shared atomic that
//! the fast get and return never touch. The peak can only be reached as a
//! value starts to count, so it is kept exactly at those moments.
//!
//! [`Stats`]: crate::Stats

use crate::sync::{AtomicU64, CachePadded, Ordering::Relaxed};

#[derive(Default)]
pub(crate) struct Population {
    /// Values that exist now. All changes are read-modify-writes of this one
    /// atomic, so they are totally ordered: a value's arrival is always
    /// counted before its departure, and the count never goes below zero.
    alive: CachePadded<AtomicU64>,
    /// The most `alive` has been.
    peak: AtomicU64,
}

impl Population {
    /// A value started to count: made by the factory, or given to `put`.
    #[inline]
    pub(crate) fn arrived(&self) {
        let now = self.alive.fetch_add(1, Relaxed) + 1;
        // Only a new high writes: the peak's line stays shared otherwise.
        if now > self.peak.load(Relaxed) {
            self.peak.fetch_max(now, Relaxed);
        }
    }

    /// `n` values stopped counting: dropped by the pool, or detached.
    #[inline]
    pub(crate) fn left(&self, n: u64) {
        self.alive.fetch_sub(n, Relaxed);
    }

    pub(crate) fn alive(&self) -> u64 {
        self.alive.load(Relaxed)
    }

    pub(crate) fn peak(&self) -> u64 {
        self.peak.load(Relaxed)
    }
}
