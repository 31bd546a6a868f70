//! The byte budget of `PoolBuilder::max_bytes`: bytes reserved by the values
//! a pool retains, shared by all its threads.

use crate::sync::{AtomicUsize, CachePadded, Ordering::Relaxed};

pub(crate) struct Budget {
    /// `None`: no budget, and nothing is kept.
    max: Option<usize>,
    /// Reserved now; on its own cache lines, as every return writes it.
    used: CachePadded<AtomicUsize>,
}

impl Budget {
    pub(crate) fn new(max: Option<usize>) -> Self {
        Budget {
            max,
            used: CachePadded(AtomicUsize::new(0)),
        }
    }

    /// Reserves `bytes`, or says no when they would not fit.
    #[inline(always)]
    pub(crate) fn reserve(&self, bytes: usize) -> bool {
        match self.max {
            None => true,
            Some(max) => self.reserve_within(max, bytes),
        }
    }

    /// A compare-and-swap loop rather than add-then-undo: two threads near
    /// the limit cannot both be refused for bytes that only one of them
    /// added, and the sum can never overflow.
    fn reserve_within(&self, max: usize, bytes: usize) -> bool {
        let mut used = self.used.load(Relaxed);
        loop {
            let Some(next) = used.checked_add(bytes).filter(|&next| next <= max) else {
                return false;
            };
            match self
                .used
                .compare_exchange_weak(used, next, Relaxed, Relaxed)
            {
                Ok(_) => return true,
                Err(now) => used = now,
            }
        }
    }

    /// Gives back what a value reserved when it came in.
    #[inline(always)]
    pub(crate) fn release(&self, bytes: usize) {
        if self.max.is_some() {
            self.used.fetch_sub(bytes, Relaxed);
        }
    }
}
