//! The per-value byte cap: fixed (`PoolBuilder::max_value_bytes`, the cap
//! a derived struct's `#[pool(cap = …)]` gives one field, for a pool of
//! any type, a `Pool<Vec<u8>>` included) or learned from the pool's own
//! returns (`PoolBuilder::calibrate`, `#[pool(max_value_bytes = auto)]`, the rule
//! in `calibrate.rs`). It is checked on the return path, after the reset,
//! against what the value would keep (`retained_bytes()`); a value above it
//! is dropped as over a cap (`rejected`).
//!
//! One type for both, so that a learned cap decides in the same place, and
//! counts the same way, as a fixed one; with both set, the smaller decides.

use crate::calibrate::{Calibrator, Change, LearnedCap, Sizes};
use crate::poolable::Poolable;
use crate::sync::{AtomicU64, AtomicUsize, Mutex, Ordering};
use std::time::Instant;

pub(crate) struct ValueCap {
    /// `None`: no fixed cap.
    max: Option<usize>,
    learned: Option<Box<Learning>>,
}

/// A cap being learned: the calibrator behind a lock (taken once per
/// hand-in of a thread's sizes, never with user code running), and what it
/// decided, where the return path reads it without the lock.
struct Learning {
    /// `usize::MAX` until the first calibration.
    cap: AtomicUsize,
    /// The most `retained_bytes()` a value fresh from the factory had: the
    /// cap never goes below it. The window counts what uses needed, and a
    /// factory that makes its values with room to spare (`with_capacity`)
    /// would otherwise see every value it made refused on its first
    /// return, and the pool allocate anew for every get.
    fresh: AtomicUsize,
    /// Times the cap went down: a thread that last looked at a smaller
    /// count has values in its stash the new cap may refuse.
    lowered: AtomicU64,
    calibrator: Mutex<Calibrator>,
}

impl ValueCap {
    /// `percentile`: `Some` to learn a cap at that percentile of returns.
    pub(crate) fn new(max: Option<usize>, percentile: Option<u8>) -> Self {
        ValueCap {
            max,
            learned: percentile.map(|p| {
                Box::new(Learning {
                    cap: AtomicUsize::new(usize::MAX),
                    fresh: AtomicUsize::new(0),
                    lowered: AtomicU64::new(0),
                    calibrator: Mutex::new(Calibrator::new(p)),
                })
            }),
        }
    }

    /// Whether the return path has a cap to check.
    pub(crate) fn any(&self) -> bool {
        self.max.is_some() || self.learned.is_some()
    }

    /// Whether the cap is learned, so returns record their sizes.
    #[inline]
    pub(crate) fn learns(&self) -> bool {
        self.learned.is_some()
    }

    /// The most bytes of `retained_bytes()` a value may keep now.
    pub(crate) fn max(&self) -> usize {
        let learned = self.learned.as_ref().map_or(usize::MAX, |l| {
            let fresh = l.fresh.load(Ordering::Relaxed);
            l.cap.load(Ordering::Relaxed).max(fresh)
        });
        self.max.unwrap_or(usize::MAX).min(learned)
    }

    /// A value came fresh from the factory keeping `retained_bytes`: a
    /// learned cap admits at least that much from now on.
    pub(crate) fn saw_fresh(&self, retained_bytes: usize) {
        if let Some(learning) = &self.learned {
            // A load first: the factory's values are nearly always alike,
            // and a write would take the line every return reads.
            if retained_bytes > learning.fresh.load(Ordering::Relaxed) {
                learning.fresh.fetch_max(retained_bytes, Ordering::Relaxed);
            }
        }
    }

    /// Whether a value that counts `entry_bytes` (its inline size plus its
    /// `retained_bytes()`, as the byte budget counts it) may stay.
    pub(crate) fn admits<T: Poolable>(&self, entry_bytes: usize) -> bool {
        entry_bytes.saturating_sub(core::mem::size_of::<T>()) <= self.max()
    }

    /// The largest entry (`entry_bytes`) the cap admits now.
    pub(crate) fn max_entry_bytes<T>(&self) -> usize {
        self.max().saturating_add(core::mem::size_of::<T>())
    }

    /// How many times the learned cap went down so far.
    pub(crate) fn lowered(&self) -> u64 {
        self.learned
            .as_ref()
            .map_or(0, |l| l.lowered.load(Ordering::Acquire))
    }

    /// Adds a thread's sizes to the calibrator's window; true when the cap
    /// went down (values kept under the old one may now be over it).
    pub(crate) fn hand_in(&self, sizes: &Sizes) -> bool {
        let Some(learning) = &self.learned else {
            return false;
        };
        if sizes.is_empty() {
            return false;
        }
        let floor = learning.fresh.load(Ordering::Relaxed);
        let mut calibrator = learning.calibrator.lock();
        let change = calibrator.hand_in(sizes, floor, Instant::now);
        if change != Change::None {
            let cap = calibrator.learned().bytes.unwrap_or(usize::MAX);
            learning.cap.store(cap, Ordering::Relaxed);
        }
        if change == Change::Lowered {
            // Release: a thread that sees the new count sees the new cap.
            learning.lowered.fetch_add(1, Ordering::Release);
        }
        change == Change::Lowered
    }

    /// What the calibrator has learned, if the cap is learned. Each
    /// calibration takes what a fresh value keeps as its floor; a floor
    /// that rose since the last one already applies (see
    /// [`max`](Self::max)), and is shown here too.
    pub(crate) fn learned(&self) -> Option<LearnedCap> {
        let learning = self.learned.as_ref()?;
        let mut learned = { learning.calibrator.lock().learned() };
        let fresh = learning.fresh.load(Ordering::Relaxed);
        learned.bytes = learned.bytes.map(|cap| cap.max(fresh));
        Some(learned)
    }
}
