//! What a pool has done and what it holds: [`Stats`], and the counters behind it.

use crate::sync::{
    AtomicU64,
    Ordering::{Acquire, Relaxed, Release},
};

/// A snapshot of a pool's counters, from [`Pool::stats`](crate::Pool::stats).
///
/// The counters only grow. At any quiet moment (no guard being dropped on
/// another thread) they add up:
///
/// `created + values given to put = out + retained + rejected + dropped + evicted + detached`
///
/// ```
/// use pool_runtime::{Pool, Pooled};
///
/// let pool: Pool<Vec<u8>> = Pool::default();
/// let a = pool.get();                 // created
/// drop(a);                            // returned, retained
/// let b = pool.get();                 // reused
/// let kept: Vec<u8> = Pooled::detach(b); // detached
/// let s = pool.stats();
/// assert_eq!((s.created, s.reused, s.returned, s.detached, s.retained), (1, 1, 1, 1, 0));
/// assert_eq!((s.out, s.high_water), (0, 1));
/// # drop(kept);
/// ```
///
/// It may grow fields (`#[non_exhaustive]`): read it, and build one with
/// `Stats::default()` if you need one. `Display` prints it for a person,
/// on one line:
///
/// ```
/// let pool = pool_runtime::Pool::new(|| Vec::<u8>::with_capacity(1000));
/// for _ in 0..4 {
///     drop(pool.get());
/// }
/// assert_eq!(
///     pool.stats().to_string(),
///     "gets 4 (3 from the pool, 75.0%), returned 4, keeps 1 (1.0 KiB), out 0; \
///      refused 0 (0 over a cap, 0 full, 0 over max_bytes, 0 after a panic), \
///      evicted 0, detached 0, peak 1"
/// );
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Values made by the factory (on a miss, or by `prefill`).
    pub created: u64,
    /// Gets served from the pool instead of the factory.
    pub reused: u64,
    /// Values that came back, by a guard's drop or by `put`, whatever became of them.
    pub returned: u64,
    /// Of `returned`, the guards dropped on a thread other than the one
    /// whose `get` took the value (a buffer filled by one task and
    /// released by another): each such return takes the slower path, with
    /// a table lookup, and a high share of them says the values travel.
    /// `put` and guards taken while their thread was exiting are not
    /// counted, as they have no thread of origin.
    pub returned_remote: u64,
    /// Values dropped on the way back because they had grown past a cap
    /// (`within_caps()` was false).
    pub rejected: u64,
    /// Values dropped on the way back because the pool was full (its count
    /// or byte budget), or because user code panicked on the way: the sum of
    /// `dropped_full`, `dropped_budget` and `dropped_panicked`.
    pub dropped: u64,
    /// Of `dropped`: no room in the calling thread's stash nor in the shared
    /// tier (`max_per_thread`, `max_shared`), including what an exiting
    /// thread's stash could not hand to the shared tier.
    pub dropped_full: u64,
    /// Of `dropped`: the value's bytes did not fit in `max_bytes`.
    pub dropped_budget: u64,
    /// Of `dropped`: the value's `reset`, `within_caps` or `retained_bytes`
    /// panicked (the value may be half reset, so it is not kept), or the
    /// drop of a value trimmed at that moment did.
    pub dropped_panicked: u64,
    /// Values freed by trimming (automatic or `trim()`) or by `clear()`.
    pub evicted: u64,
    /// Values taken out of the pool for good with `detach`.
    pub detached: u64,
    /// Values the pool holds now, in thread stashes and the shared tier.
    pub retained: usize,
    /// The memory those values hold, as the byte budget counts it: each
    /// one's inline size (`size_of::<T>()`) plus its `retained_bytes()`.
    pub retained_bytes: usize,
    /// Values checked out now: guards alive, those leaked with
    /// `mem::forget` included. A count that keeps growing under a steady
    /// load is a leak; [`PoolBuilder::track_outstanding`](crate::PoolBuilder::track_outstanding)
    /// says where the guards were taken.
    pub out: usize,
    /// The most values that existed at once, out and retained together: the
    /// pool's peak size. It grows only as a value arrives (a factory call,
    /// a `put`, `prefill`), and a get calls the factory only when the
    /// calling thread's stash and the shared tier are empty: so on one
    /// thread, without `put`, `prefill` or chaos, it is exactly the most
    /// values that were out at once, and otherwise an upper bound of that,
    /// above it by what was kept at the peak. Kept exactly, on the slow
    /// paths only.
    pub high_water: usize,
}

impl Stats {
    /// Adds `other`'s counts to these, field by field (a
    /// `BufferPool`'s totals over its classes): sums, so `high_water` is
    /// an upper bound of the peak of the whole.
    pub(crate) fn add(&mut self, other: &Stats) {
        let Stats {
            created,
            reused,
            returned,
            returned_remote,
            rejected,
            dropped,
            dropped_full,
            dropped_budget,
            dropped_panicked,
            evicted,
            detached,
            retained,
            retained_bytes,
            out,
            high_water,
        } = *other;
        self.created = self.created.saturating_add(created);
        self.reused = self.reused.saturating_add(reused);
        self.returned = self.returned.saturating_add(returned);
        self.returned_remote = self.returned_remote.saturating_add(returned_remote);
        self.rejected = self.rejected.saturating_add(rejected);
        self.dropped = self.dropped.saturating_add(dropped);
        self.dropped_full = self.dropped_full.saturating_add(dropped_full);
        self.dropped_budget = self.dropped_budget.saturating_add(dropped_budget);
        self.dropped_panicked = self.dropped_panicked.saturating_add(dropped_panicked);
        self.evicted = self.evicted.saturating_add(evicted);
        self.detached = self.detached.saturating_add(detached);
        self.retained = self.retained.saturating_add(retained);
        self.retained_bytes = self.retained_bytes.saturating_add(retained_bytes);
        self.out = self.out.saturating_add(out);
        self.high_water = self.high_water.saturating_add(high_water);
    }
}

impl core::fmt::Display for Stats {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let gets = self.created.saturating_add(self.reused);
        write!(f, "gets {gets} ({} from the pool", self.reused)?;
        if gets > 0 {
            write!(f, ", {:.1}%", self.reused as f64 * 100.0 / gets as f64)?;
        }
        write!(f, "), returned {}", self.returned)?;
        if self.returned_remote > 0 {
            write!(f, " ({} from other threads)", self.returned_remote)?;
        }
        write!(
            f,
            ", keeps {} ({}), out {}; refused {} ({} over a cap, {} full, {} over max_bytes, \
             {} after a panic), evicted {}, detached {}, peak {}",
            self.retained,
            Bytes(self.retained_bytes),
            self.out,
            self.rejected.saturating_add(self.dropped),
            self.rejected,
            self.dropped_full,
            self.dropped_budget,
            self.dropped_panicked,
            self.evicted,
            self.detached,
            self.high_water,
        )
    }
}

/// A byte count for a person: B, KiB, MiB or GiB, one decimal past bytes.
struct Bytes(usize);

impl core::fmt::Display for Bytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
        if self.0 < 1024 {
            return write!(f, "{} B", self.0);
        }
        let mut value = self.0 as f64 / 1024.0;
        let mut unit = 0;
        while value >= 1024.0 && unit + 1 < UNITS.len() {
            value /= 1024.0;
            unit += 1;
        }
        write!(f, "{value:.1} {}", UNITS[unit])
    }
}

/// The events a pool counts.
#[derive(Clone, Copy)]
pub(crate) enum Event {
    Created,
    Reused,
    Returned,
    ReturnedRemote,
    Rejected,
    DroppedFull,
    DroppedBudget,
    DroppedPanicked,
    Evicted,
    Detached,
}

const EVENTS: usize = 10;

/// One set of event counters.
#[derive(Default)]
pub(crate) struct Counters([AtomicU64; EVENTS]);

impl Counters {
    /// Counts from the one thread that owns these counters: a plain load and
    /// store, so the fast path pays no atomic read-modify-write. Readers on
    /// other threads see a recent value, never a torn one.
    #[inline(always)]
    pub(crate) fn bump_owned(&self, event: Event, n: u64) {
        let c = &self.0[event as usize];
        c.store(c.load(Relaxed).wrapping_add(n), Relaxed);
    }

    /// Sets a counter from its owning thread as the end of a fast span
    /// (`per_thread/slot/access.rs`): Release, so a reclaimer that reads
    /// the new count with [`get_acquire`](Counters::get_acquire) sees what
    /// the span did. A plain store on x86 all the same.
    #[inline(always)]
    pub(crate) fn set_ending_span(&self, event: Event, value: u64) {
        self.0[event as usize].store(value, Release);
    }

    #[inline]
    pub(crate) fn get_acquire(&self, event: Event) -> u64 {
        self.0[event as usize].load(Acquire)
    }

    #[inline(always)]
    pub(crate) fn get(&self, event: Event) -> u64 {
        self.0[event as usize].load(Relaxed)
    }

    /// Counts from any thread, for the counters every thread shares.
    #[inline]
    pub(crate) fn bump_shared(&self, event: Event, n: u64) {
        self.0[event as usize].fetch_add(n, Relaxed);
    }

    pub(crate) fn add_to(&self, stats: &mut Stats) {
        let get = |e: Event| self.0[e as usize].load(Relaxed);
        stats.created += get(Event::Created);
        stats.reused += get(Event::Reused);
        stats.returned += get(Event::Returned);
        stats.returned_remote += get(Event::ReturnedRemote);
        stats.rejected += get(Event::Rejected);
        let (full, budget) = (get(Event::DroppedFull), get(Event::DroppedBudget));
        let panicked = get(Event::DroppedPanicked);
        stats.dropped_full += full;
        stats.dropped_budget += budget;
        stats.dropped_panicked += panicked;
        stats.dropped += full + budget + panicked;
        stats.evicted += get(Event::Evicted);
        stats.detached += get(Event::Detached);
    }
}

#[cfg(test)]
mod tests {
    use super::{Bytes, Stats};

    #[test]
    fn byte_counts_print_in_the_largest_unit_that_fits() {
        let shown: Vec<String> = [0, 1023, 1024, 1536, 5 << 20, 3 << 30, usize::MAX]
            .iter()
            .map(|&n| Bytes(n).to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "0 B",
                "1023 B",
                "1.0 KiB",
                "1.5 KiB",
                "5.0 MiB",
                "3.0 GiB",
                "17179869184.0 GiB"
            ]
        );
    }

    #[test]
    fn a_pool_that_never_handed_out_prints_no_share() {
        let line = Stats::default().to_string();
        assert!(
            line.starts_with("gets 0 (0 from the pool), returned 0,"),
            "{line}"
        );
        let remote = Stats {
            returned: 3,
            returned_remote: 2,
            ..Stats::default()
        };
        assert!(remote
            .to_string()
            .contains("returned 3 (2 from other threads)"));
    }
}
