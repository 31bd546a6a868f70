//! Every limit of the builder takes its whole range: `0` keeps nothing at
//! that tier, `usize::MAX` keeps without bound, and nothing in between (or
//! past `i64::MAX`) panics, overflows or turns a feature off.
//!
//! Each case builds a pool with one limit set, gets a burst of values held
//! at once, drops them, reads the stats, trims twice, does it again and
//! clears; after every step the counters add up exactly and what is
//! retained is within what the limits allow. Guards are dropped one at a
//! time out of a `ManuallyDrop`, so that a panicking return fails the case
//! instead of panicking again while unwinding (which would abort the binary).

use pool_runtime::{Pool, PoolBuilder, Pooled, Stats, DEFAULT_MAX_PER_THREAD, DEFAULT_MAX_SHARED};
use pool_suite::assert_conserved;
use std::mem::ManuallyDrop;

/// Values held at once in a burst.
const BURST: usize = 200;
/// Capacity of each value: what one value counts against `max_bytes` (its
/// `retained_bytes`; with the inline size as well after the fix).
const VALUE_CAP: usize = 100;
/// Past the largest `i64`: where a signed conversion goes wrong.
const PAST_I64: usize = i64::MAX as usize + 1;

/// The limits one case sets; `None` is the builder's default.
#[derive(Clone, Copy, Debug, Default)]
struct Limits {
    max_per_thread: Option<usize>,
    max_shared: Option<usize>,
    max_bytes: Option<usize>,
    prefill: Option<usize>,
}

impl Limits {
    fn builder(self) -> PoolBuilder<Vec<u8>> {
        let mut b = Pool::builder(|| Vec::<u8>::with_capacity(VALUE_CAP));
        if let Some(n) = self.max_per_thread {
            b = b.max_per_thread(n);
        }
        if let Some(n) = self.max_shared {
            b = b.max_shared(n);
        }
        if let Some(n) = self.max_bytes {
            b = b.max_bytes(n);
        }
        if let Some(n) = self.prefill {
            b = b.prefill(n);
        }
        b
    }

    /// The most values one thread's use can leave retained: its stash and
    /// the shared tier.
    fn max_retained(self) -> usize {
        self.max_per_thread
            .unwrap_or(DEFAULT_MAX_PER_THREAD)
            .saturating_add(self.max_shared.unwrap_or(DEFAULT_MAX_SHARED))
    }
}

/// What `retained` may be: within the count limits and, with a budget, within
/// the bytes.
fn assert_within(s: &Stats, limits: Limits, at: &str) {
    assert!(
        s.retained <= limits.max_retained(),
        "{at}: retained {} over {} allowed by {limits:?}: {s:?}",
        s.retained,
        limits.max_retained()
    );
    if let Some(max) = limits.max_bytes {
        assert!(
            s.retained_bytes <= max,
            "{at}: retained_bytes {} over max_bytes {max}: {s:?}",
            s.retained_bytes
        );
        // Each value counts at least its capacity.
        assert!(
            s.retained.saturating_mul(VALUE_CAP) <= max,
            "{at}: {} values of {VALUE_CAP} bytes each under max_bytes {max}: {s:?}",
            s.retained
        );
    }
}

/// Gets `BURST` values held at once, then drops them one by one.
fn burst(pool: &Pool<Vec<u8>>) {
    // A panicking get or return leaks the guards held so far, instead of
    // returning them while unwinding.
    let mut guards: ManuallyDrop<Vec<Pooled<'_, Vec<u8>>>> =
        ManuallyDrop::new(Vec::with_capacity(BURST));
    for _ in 0..BURST {
        let mut g = pool.get();
        g.extend_from_slice(&[7; 10]);
        guards.push(g);
    }
    while let Some(g) = guards.pop() {
        drop(g);
    }
    drop(ManuallyDrop::into_inner(guards));
}

fn exercise(limits: Limits) {
    let pool = limits.builder().build();
    let s = pool.stats();
    assert_conserved("after build", &s, 0, 0);
    assert_within(&s, limits, "after build");
    if let Some(n) = limits.prefill {
        // Prefill fills the shared tier up to `max_shared`, or `n`.
        let expected = n.min(limits.max_shared.unwrap_or(DEFAULT_MAX_SHARED));
        if limits.max_bytes.is_none() {
            assert_eq!(s.retained, expected, "prefill({n}): {s:?}");
        } else {
            assert!(s.retained <= expected, "prefill({n}): {s:?}");
        }
    }

    let prefilled = s.retained;

    burst(&pool);
    let s = pool.stats();
    assert_conserved("after a burst", &s, 0, 0);
    assert_within(&s, limits, "after a burst");
    if limits.max_bytes.is_none() {
        // Stash, then shared tier, then dropped: a count limit keeps as many
        // as it allows, and `usize::MAX` keeps the whole burst.
        let expected = BURST.max(prefilled).min(limits.max_retained());
        assert_eq!(s.retained, expected, "after a burst, {limits:?}: {s:?}");
    }

    // Nothing was used since the first trim: the second frees everything.
    pool.trim();
    let s = pool.stats();
    assert_conserved("after one trim", &s, 0, 0);
    assert_within(&s, limits, "after one trim");
    pool.trim();
    let s = pool.stats();
    assert_conserved("after two trims", &s, 0, 0);
    assert_eq!(s.retained, 0, "two trims free what sat idle: {s:?}");

    burst(&pool);
    // Leaked if a check panics (see `burst`).
    let held = ManuallyDrop::new(pool.get());
    let s = pool.stats();
    assert_conserved("with one guard held", &s, 0, 1);
    assert_within(&s, limits, "with one guard held");
    pool.clear();
    let s = pool.stats();
    assert_conserved("after clear", &s, 0, 1);
    assert_eq!((s.retained, s.retained_bytes), (0, 0), "clear: {s:?}");
    drop(ManuallyDrop::into_inner(held));
    let _kept = Pooled::detach(pool.get());
    pool.put(Vec::with_capacity(VALUE_CAP));
    let s = pool.stats();
    assert_conserved("after detach and put", &s, 1, 0);
    assert_within(&s, limits, "after detach and put");
    drop(pool);
}

/// One test per limit and value, so that each shows on its own.
macro_rules! cases {
    ($($name:ident: $field:ident = $value:expr;)*) => {$(
        #[test]
        fn $name() {
            exercise(Limits { $field: Some($value), ..Limits::default() });
        }
    )*};
}

cases! {
    max_per_thread_0: max_per_thread = 0;
    max_per_thread_1: max_per_thread = 1;
    max_per_thread_middle: max_per_thread = 37;
    max_per_thread_past_i64_max: max_per_thread = PAST_I64;
    max_per_thread_usize_max: max_per_thread = usize::MAX;

    max_shared_0: max_shared = 0;
    max_shared_1: max_shared = 1;
    max_shared_middle: max_shared = 37;
    max_shared_past_i64_max: max_shared = PAST_I64;
    max_shared_usize_max: max_shared = usize::MAX;

    max_bytes_0: max_bytes = 0;
    max_bytes_1: max_bytes = 1;
    max_bytes_middle: max_bytes = 37 * VALUE_CAP;
    max_bytes_past_i64_max: max_bytes = PAST_I64;
    max_bytes_usize_max: max_bytes = usize::MAX;

    prefill_0: prefill = 0;
    prefill_1: prefill = 1;
    prefill_middle: prefill = 37;
    prefill_past_i64_max: prefill = PAST_I64;
    prefill_usize_max: prefill = usize::MAX;
}

/// Two limits at their extremes together (but never `prefill` with an
/// unbounded `max_shared`: a builder may clamp that, and need not finish).
#[test]
fn both_counts_unbounded() {
    exercise(Limits {
        max_per_thread: Some(usize::MAX),
        max_shared: Some(usize::MAX),
        ..Limits::default()
    });
}

#[test]
fn both_counts_zero_retain_nothing() {
    let limits = Limits {
        max_per_thread: Some(0),
        max_shared: Some(0),
        ..Limits::default()
    };
    exercise(limits);
    let pool = limits.builder().build();
    burst(&pool);
    let s = pool.stats();
    assert_eq!((s.retained, s.dropped), (0, BURST as u64), "{s:?}");
}

#[test]
fn prefill_usize_max_stops_at_the_byte_budget() {
    let limits = Limits {
        max_shared: Some(100_000),
        max_bytes: Some(50 * VALUE_CAP),
        prefill: Some(usize::MAX),
        ..Limits::default()
    };
    exercise(limits);
    let s = limits.builder().build().stats();
    assert!(
        s.created <= 51,
        "prefill made values past its budget: {s:?}"
    );
}

#[test]
fn prefill_usize_max_with_an_unbounded_stash_stops_at_max_shared() {
    exercise(Limits {
        max_per_thread: Some(usize::MAX),
        max_shared: Some(300),
        prefill: Some(usize::MAX),
        ..Limits::default()
    });
}

/// `max_per_thread(0)` sends every value through the shared tier; that must
/// not switch off the automatic trim, which today hangs off the stash.
#[test]
fn max_per_thread_0_still_trims_a_burst_away() {
    let pool = Pool::builder(|| Vec::<u8>::with_capacity(VALUE_CAP))
        .max_per_thread(0)
        .build();
    let peak: Vec<_> = (0..600).map(|_| pool.get()).collect();
    drop(peak);
    let after_burst = pool.stats();
    for _ in 0..200_000 {
        let mut v = pool.get();
        v.push(1);
    }
    let s = pool.stats();
    println!(
        "max_per_thread(0): retained {} after the burst, {} after steady use, evicted {}",
        after_burst.retained, s.retained, s.evicted
    );
    assert!(
        s.retained <= DEFAULT_MAX_PER_THREAD && s.evicted > 0,
        "a burst's surplus stays pinned: {s:?}"
    );
    assert_conserved("after steady use", &s, 0, 0);
}

/// `stats()` reads a stash's length against `max_per_thread`; a limit past
/// `i64::MAX` must not break that (nor a first return into such a stash).
#[test]
fn stats_with_a_stash_under_a_huge_max_per_thread() {
    for n in [PAST_I64, usize::MAX] {
        let pool = Pool::builder(|| Vec::<u8>::with_capacity(VALUE_CAP))
            .max_per_thread(n)
            .build();
        // Leaked if `stats` panics: its return would panic again while
        // unwinding, and abort.
        let held = ManuallyDrop::new(pool.get());
        let s = pool.stats();
        assert_conserved("one value held", &s, 0, 1);
        assert_eq!(s.retained, 0, "max_per_thread({n}): {s:?}");
        drop(ManuallyDrop::into_inner(held));
        let s = pool.stats();
        assert_eq!(s.retained, 1, "max_per_thread({n}): {s:?}");
        assert_conserved("one value returned", &s, 0, 0);
    }
}
