//! Learning a per-value cap from a pool's own returns
//! ([`PoolBuilder::calibrate`](crate::PoolBuilder::calibrate),
//! `#[pool(max_value_bytes = auto)]`): the histogram of returned sizes and the
//! rule that turns a window of it into a cap. Pure arithmetic, no clock,
//! no threads, so a sequence of returns gives one sequence of caps.
//!
//! Sizes (`used_bytes()`, what each use needed, read before the reset)
//! fall into power-of-two
//! classes: class 0 holds 0 and 1 byte, class `k` the sizes in
//! `(2^(k-1), 2^k]`. Every calibration looks at the returns of one window
//! (the first [`FIRST_CALIBRATION_WINDOW`], then [`CALIBRATION_WINDOW`] each), finds the smallest
//! class that covers the chosen percentile of them, and sets the cap at
//! that class's top times [`CAP_HEADROOM`]: every size the percentile covers
//! fits, with one class to spare, so a common size that grows a little
//! is not refused before the next calibration sees it.

use std::time::Instant;

/// Power-of-two classes: 0 and 1 byte, then one per bit of `usize`.
pub(crate) const CLASSES: usize = usize::BITS as usize + 1;

/// Returns the first calibration reads: small, so that a pool that sees a
/// heavy tail early does not keep its large values for a whole window.
pub const FIRST_CALIBRATION_WINDOW: u64 = 64;

/// Returns every later calibration reads. On one thread, a change of the
/// workload's sizes reaches the cap within two windows: the window in
/// progress when the sizes changed may still be mostly old ones; the next
/// is all new. Other threads may hand in up to 31 old sizes each after the
/// change, which can hold a fall back for a few more windows
/// ([`PoolBuilder::calibrate`](crate::PoolBuilder::calibrate) gives the
/// bound).
pub const CALIBRATION_WINDOW: u64 = 1024;

/// The cap is the covering class's top times this.
pub const CAP_HEADROOM: usize = 2;

/// The percentile of returns the cap covers unless the builder says.
pub const DEFAULT_CAP_PERCENTILE: u8 = 95;

/// The class of a size.
#[inline]
pub(crate) fn class_of(bytes: usize) -> usize {
    match bytes {
        0 => 0,
        _ => (usize::BITS - (bytes - 1).leading_zeros()) as usize,
    }
}

/// The largest size in `class`.
pub(crate) fn class_top(class: usize) -> usize {
    1usize.checked_shl(class as u32).unwrap_or(usize::MAX)
}

/// A thread's sizes since it last handed them in: plain counts, written
/// only by the thread that owns them.
pub(crate) struct Sizes {
    counts: [u32; CLASSES],
    len: u32,
}

/// A thread hands its sizes in after this many returns (and at every
/// maintenance): the window is at most this many returns a thread behind.
pub(crate) const HAND_IN_EVERY: u32 = 32;

impl Sizes {
    pub(crate) const fn new() -> Self {
        Sizes {
            counts: [0; CLASSES],
            len: 0,
        }
    }

    #[inline]
    pub(crate) fn record(&mut self, bytes: usize) {
        let class = &mut self.counts[class_of(bytes)];
        *class = class.saturating_add(1);
        self.len = self.len.saturating_add(1);
    }

    pub(crate) fn is_due(&self) -> bool {
        self.len >= HAND_IN_EVERY
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The counts so far; this one starts again from none.
    pub(crate) fn take(&mut self) -> Sizes {
        core::mem::replace(self, Sizes::new())
    }
}

/// The pool's window of returns and what it learned.
pub(crate) struct Calibrator {
    window: [u64; CLASSES],
    in_window: u64,
    percentile: u8,
    state: LearnedCap,
}

/// What a calibrator has learned so far, for [`Pool::learned_cap`].
///
/// [`Pool::learned_cap`]: crate::Pool::learned_cap
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LearnedCap {
    /// The cap in bytes of `retained_bytes()`; `None` until the first
    /// calibration, when every value is kept. Never below what a value
    /// fresh from the factory keeps: a factory that makes its values with
    /// room to spare says what the pool must at least admit.
    pub bytes: Option<usize>,
    /// The percentile of returns it covers.
    pub percentile: u8,
    /// Returns the calibrations have read so far (each thread hands its
    /// sizes in every 32 returns and at its maintenance).
    pub returns: u64,
    /// Calibrations so far.
    pub calibrations: u64,
    /// How many of them changed the cap (the first always does).
    pub changes: u64,
    /// Returns the last calibration read: its window is the `window`
    /// returns that end at `returns`, as of that calibration.
    pub window: u64,
    /// When the cap last changed.
    pub changed_at: Option<Instant>,
}

/// What the cap did at a hand-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    None,
    Raised,
    Lowered,
}

impl Calibrator {
    pub(crate) fn new(percentile: u8) -> Self {
        let percentile = percentile.clamp(1, 100);
        Calibrator {
            window: [0; CLASSES],
            in_window: 0,
            percentile,
            state: LearnedCap {
                bytes: None,
                percentile,
                returns: 0,
                calibrations: 0,
                changes: 0,
                window: 0,
                changed_at: None,
            },
        }
    }

    pub(crate) fn learned(&self) -> LearnedCap {
        self.state
    }

    /// Adds a thread's sizes to the window; calibrates when the window is
    /// full, to a cap of at least `floor` (what a fresh value keeps). `now`
    /// is asked only when the cap changes.
    pub(crate) fn hand_in(
        &mut self,
        sizes: &Sizes,
        floor: usize,
        now: impl FnOnce() -> Instant,
    ) -> Change {
        // Saturating: nothing under the calibrator's lock may panic, not
        // even a debug build's overflow check.
        for (window, &count) in self.window.iter_mut().zip(&sizes.counts) {
            *window = window.saturating_add(u64::from(count));
        }
        self.in_window = self.in_window.saturating_add(u64::from(sizes.len));
        self.state.returns = self.state.returns.saturating_add(u64::from(sizes.len));
        let full = match self.state.calibrations {
            0 => FIRST_CALIBRATION_WINDOW,
            _ => CALIBRATION_WINDOW,
        };
        if self.in_window < full {
            return Change::None;
        }
        let cap = cap_for(&self.window, self.percentile).max(floor);
        self.state.calibrations = self.state.calibrations.saturating_add(1);
        self.state.window = self.in_window;
        self.window = [0; CLASSES];
        self.in_window = 0;
        let change = match self.state.bytes {
            Some(old) if old == cap => return Change::None,
            Some(old) if old < cap => Change::Raised,
            None => Change::Lowered,
            Some(_) => Change::Lowered,
        };
        self.state.bytes = Some(cap);
        self.state.changes = self.state.changes.saturating_add(1);
        self.state.changed_at = Some(now());
        change
    }
}

/// The cap for a window: the top of the smallest class that covers
/// `percentile` percent of its returns (rounded up), times the headroom.
pub(crate) fn cap_for(window: &[u64; CLASSES], percentile: u8) -> usize {
    let total = window.iter().fold(0u64, |sum, &n| sum.saturating_add(n));
    let need = (u128::from(total) * u128::from(percentile)).div_ceil(100);
    let mut covered = 0u128;
    for (class, &count) in window.iter().enumerate() {
        covered = covered.saturating_add(u128::from(count));
        if covered >= need {
            return class_top(class).saturating_mul(CAP_HEADROOM);
        }
    }
    usize::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(c: &mut Calibrator, sizes: impl IntoIterator<Item = usize>) -> Vec<Change> {
        let mut changes = Vec::new();
        for bytes in sizes {
            let mut one = Sizes::new();
            one.record(bytes);
            let change = c.hand_in(&one, 0, Instant::now);
            if change != Change::None {
                changes.push(change);
            }
        }
        changes
    }

    #[test]
    fn classes_are_powers_of_two() {
        assert_eq!((class_of(0), class_of(1), class_of(2)), (0, 0, 1));
        assert_eq!((class_of(3), class_of(4), class_of(5)), (2, 2, 3));
        assert_eq!((class_of(4096), class_of(4097)), (12, 13));
        assert_eq!(class_of(usize::MAX), CLASSES - 1);
        assert_eq!(class_top(12), 4096);
        assert_eq!(class_top(CLASSES - 1), usize::MAX);
        for bytes in [0, 1, 2, 3, 1000, 4096, 4097, usize::MAX / 2, usize::MAX] {
            assert!(bytes <= class_top(class_of(bytes)), "{bytes}");
        }
    }

    #[test]
    fn the_cap_covers_the_percentile_with_one_class_to_spare() {
        let mut window = [0u64; CLASSES];
        window[class_of(4096)] = 95;
        window[class_of(64 << 20)] = 5;
        assert_eq!(cap_for(&window, 95), 8192);
        // One more large one and 95% is no longer within 4 KiB.
        window[class_of(4096)] = 94;
        window[class_of(64 << 20)] = 6;
        assert_eq!(cap_for(&window, 95), 128 << 20);
        assert_eq!(cap_for(&window, 90), 8192);
        assert_eq!(
            cap_for(&[0; CLASSES], 95),
            2,
            "an empty window: the smallest cap"
        );
    }

    #[test]
    fn the_first_window_is_short_and_then_each_is_a_full_window() {
        let mut c = Calibrator::new(DEFAULT_CAP_PERCENTILE);
        feed(&mut c, (0..FIRST_CALIBRATION_WINDOW - 1).map(|_| 3000));
        assert_eq!(c.learned().bytes, None);
        assert_eq!(feed(&mut c, [3000]), [Change::Lowered]);
        assert_eq!(c.learned().bytes, Some(8192));
        assert_eq!(
            (c.learned().calibrations, c.learned().window),
            (1, FIRST_CALIBRATION_WINDOW)
        );
        // The same sizes: calibrated again, not changed.
        assert!(feed(&mut c, (0..CALIBRATION_WINDOW).map(|_| 3000)).is_empty());
        let learned = c.learned();
        assert_eq!((learned.calibrations, learned.changes), (2, 1));
        assert_eq!(
            learned.returns,
            FIRST_CALIBRATION_WINDOW + CALIBRATION_WINDOW
        );
    }

    #[test]
    fn a_tenfold_shift_is_followed_within_two_windows_both_ways() {
        let mut c = Calibrator::new(DEFAULT_CAP_PERCENTILE);
        feed(&mut c, (0..3000).map(|_| 4000));
        assert_eq!(c.learned().bytes, Some(8192));
        // Sizes grow tenfold: the cap rises within two windows.
        let returns = c.learned().returns;
        let mut followed = None;
        for i in 0..2 * CALIBRATION_WINDOW {
            if feed(&mut c, [40_000]) == [Change::Raised] {
                followed = Some(i + 1);
                break;
            }
        }
        let after = followed.expect("the cap followed the larger sizes");
        assert!(after <= 2 * CALIBRATION_WINDOW, "{after}");
        assert_eq!(c.learned().bytes, Some(131_072));
        assert_eq!(c.learned().returns, returns + after);
        // And back down.
        let lowered = feed(&mut c, (0..2 * CALIBRATION_WINDOW).map(|_| 4000));
        assert_eq!(lowered, [Change::Lowered]);
        assert_eq!(c.learned().bytes, Some(8192));
    }

    /// A batch a thread hands in: `old` sizes from before the change,
    /// then `new` ones after it.
    fn batch(old: u32, new: u32) -> Sizes {
        let mut sizes = Sizes::new();
        (0..old).for_each(|_| sizes.record(40_000));
        (0..new).for_each(|_| sizes.record(4000));
        sizes
    }

    /// Sizes shrink tenfold while each of `threads` threads holds 31 old
    /// sizes it has not handed in; they come in late, two batches to a
    /// window (62 old of 1,024: more than the 5% the 95th percentile
    /// leaves out), the order that holds the fall back longest. The
    /// change comes at a window's boundary, so a window of new sizes
    /// would lower the cap at once.
    #[test]
    fn late_sizes_of_other_threads_hold_a_fall_back_within_the_stated_bound() {
        for threads in [1u32, 2, 3, 4, 6, 8] {
            let mut c = Calibrator::new(DEFAULT_CAP_PERCENTILE);
            let primed = FIRST_CALIBRATION_WINDOW + CALIBRATION_WINDOW;
            for _ in 0..primed / u64::from(HAND_IN_EVERY) {
                c.hand_in(&batch(HAND_IN_EVERY, 0), 0, Instant::now);
            }
            assert_eq!((c.learned().bytes, c.in_window), (Some(131_072), 0));
            let mut late = threads;
            let mut windows = 0;
            let fell = loop {
                windows += 1;
                assert!(windows <= 100, "{threads} threads: the cap never fell");
                let calibrations = c.learned().calibrations;
                let mut change = Change::None;
                for _ in 0..late.min(2) {
                    change = c.hand_in(&batch(HAND_IN_EVERY - 1, 1), 0, Instant::now);
                    late -= 1;
                }
                while c.learned().calibrations == calibrations {
                    change = c.hand_in(&batch(0, HAND_IN_EVERY), 0, Instant::now);
                }
                if change == Change::Lowered {
                    break windows;
                }
            };
            assert_eq!(fell, threads / 2 + 1, "{threads} threads");
            // The bound `PoolBuilder::calibrate` states for the 95th
            // percentile: 2 + floor(31 T / 52) windows.
            let stated = 2 + 31 * threads / 52;
            assert!(
                fell <= stated,
                "{threads} threads: {fell} windows, over {stated}"
            );
            assert_eq!(c.learned().bytes, Some(8192));
        }
    }

    #[test]
    fn a_heavy_tail_is_left_out_and_the_percentile_is_settable() {
        // 2% of returns are 32 MiB: the 95th percentile leaves them out,
        // the 99th takes them in.
        let sizes = (0..CALIBRATION_WINDOW + FIRST_CALIBRATION_WINDOW).map(|i| {
            if i % 50 == 0 {
                32 << 20
            } else {
                2000
            }
        });
        let mut c95 = Calibrator::new(95);
        feed(&mut c95, sizes.clone());
        assert_eq!(c95.learned().bytes, Some(4096));
        let mut c99 = Calibrator::new(99);
        feed(&mut c99, sizes);
        assert_eq!(c99.learned().bytes, Some(64 << 20));
        assert_eq!(Calibrator::new(0).learned().percentile, 1);
        assert_eq!(Calibrator::new(200).learned().percentile, 100);
    }

    #[test]
    fn counts_saturate_instead_of_wrapping() {
        let mut sizes = Sizes::new();
        sizes.counts[3] = u32::MAX;
        sizes.len = u32::MAX;
        sizes.record(5);
        assert_eq!((sizes.counts[3], sizes.len), (u32::MAX, u32::MAX));
        let mut c = Calibrator::new(95);
        assert_eq!(c.hand_in(&sizes, 0, Instant::now), Change::Lowered);
        assert_eq!(c.learned().bytes, Some(16));
    }
}
