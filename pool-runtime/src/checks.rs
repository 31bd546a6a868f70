//! The opt-in checks a pool runs on its users' code: a verified reset
//! (`PoolBuilder::audit_reset`, `audit_fields`), a seeded chaos mode
//! (`PoolBuilder::chaos`, or `POOL_RUNTIME_CHAOS` for every pool), and the
//! sampling of guards still out (`PoolBuilder::track_outstanding`, whose
//! tracker lives in `outstanding.rs`).
//!
//! None costs the fast path a test of its own: a pool with the audit or
//! chaos on sends every return through the slow return path (the branch
//! the inline return already takes for a byte budget), and chaos keeps no
//! values in thread stashes, so every get takes the slow get path too,
//! where the chaos is dealt; tracking moves the stash's `fast_until` mark
//! to the next sample, a comparison the fast get makes anyway.

use crate::audit::AuditFields;
use crate::outstanding::Tracker;
use crate::poolable::Poolable;
use crate::sync::{AtomicU64, Ordering::Relaxed};
use std::sync::OnceLock;

/// Compares a reset value with a fresh one; says how they differ, if they do.
pub(crate) type Audit<T> = Box<dyn Fn(&T, &T) -> Option<String> + Send + Sync>;

/// The environment variable that turns chaos on for every pool built
/// without a seed of its own: `POOL_RUNTIME_CHAOS=<seed>`.
pub const CHAOS_ENV: &str = "POOL_RUNTIME_CHAOS";

/// What a pool checks, from its builder.
pub(crate) struct Checks<T> {
    pub(crate) audit: Option<Audit<T>>,
    pub(crate) chaos: Option<Chaos>,
    pub(crate) track: Option<Tracker<T>>,
}

impl<T> Checks<T> {
    pub(crate) fn none() -> Self {
        Checks {
            audit: None,
            chaos: None,
            track: None,
        }
    }

    /// Whether a check runs on every returned value (the audit, chaos):
    /// the returns must then take the slow path. Tracking does not: only
    /// its sampled guards, which find their own way there.
    pub(crate) fn any(&self) -> bool {
        self.audit.is_some() || self.chaos.is_some()
    }

    /// One checkout in how many is sampled, while `track_outstanding` is on.
    pub(crate) fn sample_every(&self) -> Option<u64> {
        self.track.as_ref().map(Tracker::every)
    }
}

/// The seed of `POOL_RUNTIME_CHAOS`, read once per process. A value that is
/// not a number is refused loudly: a typo must not quietly turn chaos off.
pub(crate) fn chaos_from_env() -> Option<u64> {
    static SEED: OnceLock<Option<u64>> = OnceLock::new();
    *SEED.get_or_init(|| {
        let text = std::env::var(CHAOS_ENV).ok()?;
        match text.trim().parse() {
            Ok(seed) => Some(seed),
            Err(_) => panic!("{CHAOS_ENV}={text:?}: the seed must be a whole number (u64)"),
        }
    })
}

/// A seeded random source, one per pool: a counter stepped by a fixed odd
/// constant and mixed (splitmix64), so one thread's sequence of decisions
/// is the same for the same seed, and threads never tear it.
pub(crate) struct Chaos {
    seed: u64,
    state: AtomicU64,
}

/// One return in `DROP_ONE_IN` is dropped, as Go's `sync.Pool` does under `-race`.
const DROP_ONE_IN: u64 = 4;
/// One get in `MISS_ONE_IN` calls the factory although the pool had a value.
const MISS_ONE_IN: u64 = 4;

impl Chaos {
    pub(crate) fn new(seed: u64) -> Self {
        Chaos {
            seed,
            state: AtomicU64::new(seed),
        }
    }

    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    pub(crate) fn next(&self) -> u64 {
        let step = 0x9e37_79b9_7f4a_7c15;
        let mut z = self.state.fetch_add(step, Relaxed).wrapping_add(step);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn drops_return(&self) -> bool {
        self.next() % DROP_ONE_IN == 0
    }

    pub(crate) fn misses_get(&self) -> bool {
        self.next() % MISS_ONE_IN == 0
    }
}

/// The audit of `audit_fields`: the first field of a reset value that
/// differs from a fresh one's, named from the type down.
pub(crate) fn audit_by_field<T: Poolable + AuditFields>() -> Audit<T> {
    Box::new(|reset: &T, fresh: &T| {
        reset.first_difference(fresh).map(|d| {
            format!(
                "pool audit: `{}` after reset is {}, a fresh value has {}",
                d.named(short_name::<T>()),
                d.after_reset(),
                d.fresh()
            )
        })
    })
}

/// A type's name without its module path or parameters: `Request` for
/// `my_app::http::Request<'_>`.
fn short_name<T>() -> &'static str {
    let full = core::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

/// The audit of `audit_reset`: a reset value must equal a fresh one.
pub(crate) fn audit_by_eq<T: Poolable + PartialEq + core::fmt::Debug>() -> Audit<T> {
    Box::new(|reset: &T, fresh: &T| {
        (reset != fresh).then(|| {
            format!(
                "pool audit: a value after its reset differs from a fresh one \
                 (`{}`: reset does not clear everything a use can change)\n  \
                 after reset: {reset:?}\n  fresh:       {fresh:?}",
                core::any::type_name::<T>()
            )
        })
    })
}
