//! The two invariants the tests check of every pool they drive: its counters
//! add up ([`assert_conserved`]), and no value is ever held by two guards at
//! once ([`Ledger`]).

use pool_runtime::Stats;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::SeqCst};

/// Checks the conservation law of a pool's counters, read at a quiet moment
/// (no guard being dropped on another thread):
///
/// `created + values given to put = live guards + retained + rejected + dropped + evicted + detached`
///
/// `puts` is how many values the test gave to `put`, `live` how many guards
/// it holds now, which `Stats::out` must equal; and the high-water mark
/// cannot be below what exists now (`out + retained`). The error names `at`, the point the test had reached, both
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
    if made != accounted {
        return Err(format!(
            "{at}: created + puts = {made}, but live + retained + rejected + dropped + \
             evicted + detached = {accounted} ({puts} puts, {live} live): {s:?}"
        ));
    }
    if s.out as u64 != live || s.high_water < s.out + s.retained {
        return Err(format!(
            "{at}: {live} guards live, but stats say {} out and a high-water mark of {} \
             (below out + retained = {}): {s:?}",
            s.out,
            s.high_water,
            s.out + s.retained
        ));
    }
    Ok(())
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

/// Which values of a test exist, and which are checked out now, by an id
/// each value carries: a value handed to a second guard while the first
/// still holds it fails at the second checkout.
///
/// One flag per id, fixed at [`Ledger::new`], set and cleared atomically:
/// threads hammering a pool meet in the pool, not behind a lock of the
/// ledger's that would space their operations out.
///
/// ```
/// use pool_suite::Ledger;
///
/// let ledger = Ledger::new(8);
/// let id = ledger.new_id(); // given to a value the factory makes
/// ledger.check_out(id); // at its checkout
/// ledger.check_in(id); // just before its guard is dropped
/// ledger.check_out(id); // handed out again: fine, it was back
/// assert_eq!((ledger.issued(), ledger.checked_out()), (1, 1));
/// ```
pub struct Ledger {
    next: AtomicU32,
    out: Box<[AtomicBool]>,
}

impl Ledger {
    /// A ledger with room for `ids` values over its whole life.
    pub fn new(ids: usize) -> Ledger {
        Ledger {
            next: AtomicU32::new(0),
            out: (0..ids).map(|_| AtomicBool::new(false)).collect(),
        }
    }

    /// A fresh id, for a value the factory makes or the test gives to `put`.
    #[track_caller]
    pub fn new_id(&self) -> u32 {
        let id = self.next.fetch_add(1, SeqCst);
        assert!(
            (id as usize) < self.out.len(),
            "more values than the ledger's {} ids",
            self.out.len()
        );
        id
    }

    /// How many ids [`Ledger::new_id`] has given: with the puts taken off,
    /// what the pool's `created` must be.
    pub fn issued(&self) -> u64 {
        u64::from(self.next.load(SeqCst))
    }

    /// Marks value `id` checked out; panics if it already is (handed out
    /// twice) or was never made.
    #[track_caller]
    pub fn check_out(&self, id: u32) {
        assert!(
            !self.flag(id).swap(true, SeqCst),
            "value {id} handed out twice"
        );
    }

    /// Marks value `id` back. Call it before the guard goes (dropped, or
    /// detached and dropped): from that drop on, another thread may be
    /// handed the value and check it out.
    #[track_caller]
    pub fn check_in(&self, id: u32) {
        assert!(
            self.flag(id).swap(false, SeqCst),
            "value {id} checked in but not out"
        );
    }

    /// How many values are checked out now.
    pub fn checked_out(&self) -> usize {
        self.out.iter().filter(|f| f.load(SeqCst)).count()
    }

    #[track_caller]
    fn flag(&self, id: u32) -> &AtomicBool {
        assert!(
            u64::from(id) < self.issued(),
            "value {id} was not made by this ledger"
        );
        &self.out[id as usize]
    }
}
