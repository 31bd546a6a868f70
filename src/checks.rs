//! The invariants the tests check of every pool they drive: its counters
//! add up ([`assert_conserved`]).

use pool_runtime::Stats;

/// Checks the conservation law of a pool's counters, read at a quiet moment
/// (no guard being dropped on another thread):
///
/// `created + values given to put = live guards + retained + rejected + dropped + evicted + detached`
///
/// `puts` is how many values the test gave to `put`, `live` how many guards
/// it holds now. The error names `at`, the point the test had reached, both
/// sides of the law and the whole stats. This form returns instead of
/// panicking, for a caller that reports failures its own way (proptest);
/// [`assert_conserved`] is the one most tests want.
///
/// ```
/// use pool_runtime::{Pool, Pooled};
/// use pool_suite::check_conserved;
///
/// let pool = Pool::new(Vec::<u8>::new);
/// let held = pool.get();
/// assert_eq!(check_conserved("one held", &pool.stats(), 0, 1), Ok(()));
/// let _kept = Pooled::detach(held);
/// pool.put(Vec::new());
/// assert_eq!(check_conserved("detached, one put", &pool.stats(), 1, 0), Ok(()));
/// assert!(check_conserved("as if still held", &pool.stats(), 1, 1).is_err());
/// ```
pub fn check_conserved(at: &str, s: &Stats, puts: u64, live: u64) -> Result<(), String> {
    let made = s.created + puts;
    let accounted = live + s.retained as u64 + s.rejected + s.dropped + s.evicted + s.detached;
    if made == accounted {
        Ok(())
    } else {
        Err(format!(
            "{at}: created + puts = {made}, but live + retained + rejected + dropped + \
             evicted + detached = {accounted} ({puts} puts, {live} live): {s:?}"
        ))
    }
}

/// Panics unless the pool's counters are conserved: see [`check_conserved`]
/// for the law, the arguments and the message.
///
/// ```
/// use pool_runtime::Pool;
/// use pool_suite::assert_conserved;
///
/// let pool = Pool::new(String::new);
/// drop(pool.get());
/// pool.put(String::from("made elsewhere"));
/// assert_conserved("after a return and a put", &pool.stats(), 1, 0);
/// ```
#[track_caller]
pub fn assert_conserved(at: &str, s: &Stats, puts: u64, live: u64) {
    if let Err(failure) = check_conserved(at, s, puts, live) {
        panic!("{failure}");
    }
}
