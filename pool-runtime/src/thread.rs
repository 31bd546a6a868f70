//! Small per-thread ids, and what a thread owes the pools it used when it exits.
//!
//! Every pool keeps one stash per thread id. The ids are small and reused, so a
//! pool's table of stashes stays as small as the number of threads alive at
//! once, and finding this thread's stash is an index, not a hash lookup.

use crate::sync::{fast_thread_local, lazy_thread_local, Weak};
use core::cell::{Cell, RefCell};

/// What a pool does when a thread that used it exits: hand that thread's
/// stash to the shared tier.
pub(crate) trait ThreadExit {
    fn thread_exit(&self, tid: usize);
}

/// Stashes in a pool's first bucket: ids below this, the threads of almost
/// every program, find their stash without the bucket arithmetic.
const FIRST: usize = 8;
/// Buckets of a pool's stash table: bucket `b` holds `FIRST << b` stashes.
pub(crate) const BUCKETS: usize = 28;
/// Ids go up to `MAX_THREADS - 1` (about 2^31); a thread beyond that (never
/// seen in practice) simply works without a stash, through the shared tier.
pub(crate) const MAX_THREADS: usize = (FIRST << BUCKETS) - FIRST;

/// `TID` holds `id + 1`; these two values mean "no id".
const UNSET: usize = 0;
const GONE: usize = usize::MAX;

fast_thread_local! {
    /// This thread's id + 1, read on every fast-path operation. It has no
    /// destructor, so it stays readable while other thread-locals are torn
    /// down; `ThreadHandle::drop` sets it to `GONE` first thing.
    static TID: Cell<usize> = const { Cell::new(UNSET) };
}

lazy_thread_local! {
    /// Owns the id and the list of pools to tell at exit; its destructor is
    /// what runs at thread exit.
    static THREAD: ThreadHandle = ThreadHandle::new();
}

/// Free ids, smallest reused first so tables stay dense.
///
/// A std mutex even under loom: it is global, outside any one model. But
/// loom cannot see the order it gives (an id's last use by an exited thread
/// before its first use by the next one), so under loom an id is reused only
/// by a later execution of the model that freed it; see [`Generation`].
static IDS: std::sync::Mutex<IdAllocator> = std::sync::Mutex::new(IdAllocator {
    next: 0,
    free: Vec::new(),
});

struct IdAllocator {
    next: usize,
    /// Free ids, with the generation of the thread that freed them.
    free: Vec<(usize, Generation)>,
}

/// Under std there is one generation; under loom, one per model execution:
/// the OS thread that runs the model (loom runs all of a model's threads on
/// it) and the execution's number.
#[cfg(not(loom))]
#[derive(Clone, Copy)]
struct Generation;
#[cfg(loom)]
type Generation = (std::thread::ThreadId, u64);

#[cfg(not(loom))]
fn generation() -> Generation {
    Generation
}

#[cfg(loom)]
fn generation() -> Generation {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loom::lazy_static! {
        // A loom lazy static is made anew for each execution.
        static ref THIS: u64 = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    (std::thread::current().id(), *THIS)
}

#[cfg(not(loom))]
fn reusable(_freed: Generation, _now: Generation) -> bool {
    true
}

/// Only by the same model (its OS thread) in a later execution: an id used
/// by two models running at once (parallel tests) and handed back and forth
/// between them would otherwise return to the first within one execution.
#[cfg(loom)]
fn reusable(freed: Generation, now: Generation) -> bool {
    freed.0 == now.0 && freed.1 != now.1
}

impl IdAllocator {
    fn take(generation: Generation) -> Option<usize> {
        let mut ids = IDS.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(at) = ids.free.iter().rposition(|&(_, g)| reusable(g, generation)) {
            return Some(ids.free.remove(at).0);
        }
        if ids.next >= MAX_THREADS {
            return None;
        }
        ids.next += 1;
        Some(ids.next - 1)
    }

    fn give_back(id: usize, generation: Generation) {
        let mut ids = IDS.lock().unwrap_or_else(|p| p.into_inner());
        ids.free.push((id, generation));
        // Smallest on top: a new thread takes the lowest free id.
        ids.free
            .sort_unstable_by_key(|&(id, _)| core::cmp::Reverse(id));
    }
}

struct ThreadHandle {
    /// Taken when the thread's exit hooks run.
    id: Cell<Option<usize>>,
    generation: Generation,
    pools: RefCell<Vec<Weak<dyn ThreadExit>>>,
}

impl ThreadHandle {
    fn new() -> Self {
        let generation = generation();
        let id = IdAllocator::take(generation);
        if let Some(id) = id {
            TID.with(|t| t.set(id + 1));
        }
        ThreadHandle {
            id: Cell::new(id),
            generation,
            pools: RefCell::new(Vec::new()),
        }
    }

    /// Tells the pools this thread used that it is exiting, then frees its id.
    fn exit(&self) {
        // From here on this thread has no stash: anything dropped below (a
        // user's value, a guard in another thread-local) takes the slow path.
        let _ = TID.try_with(|t| t.set(GONE));
        let Some(id) = self.id.take() else { return };
        let pools = match self.pools.try_borrow_mut() {
            Ok(mut pools) => core::mem::take(&mut *pools),
            Err(_) => Vec::new(),
        };
        for pool in pools {
            if let Some(pool) = pool.upgrade() {
                pool.thread_exit(id);
            }
        }
        // Only now may another thread take the id, and with it the stashes;
        // the allocator's lock orders our last use before its first.
        IdAllocator::give_back(id, self.generation);
    }
}

impl Drop for ThreadHandle {
    fn drop(&mut self) {
        // After a failed loom model, loom drops the model's thread-locals
        // while unwinding, outside the model, where touching `TID` panics
        // again and aborts the whole test binary: skip the hook then.
        #[cfg(loom)]
        if std::thread::panicking() {
            return;
        }
        self.exit();
    }
}

/// Runs this thread's exit hooks now, as its thread-local destructor would.
///
/// loom's `join` returns once the thread's closure has, before its
/// thread-locals are destroyed (std's waits for both), so a model that checks
/// the pool after a join calls this last thing in each thread.
#[cfg(all(test, loom))]
pub(crate) fn exit_now() {
    let _ = THREAD.try_with(ThreadHandle::exit);
}

/// This thread's id, when it has one: the fast path.
#[inline(always)]
pub(crate) fn current() -> Option<usize> {
    match TID.try_with(Cell::get) {
        Ok(v) if v != UNSET && v != GONE => Some(v - 1),
        _ => None,
    }
}

/// Whether this thread's id is `tid`, an id some thread was given: the
/// return path's check that a guard is dropped where it was got. One
/// comparison: `tid + 1` is never `UNSET` or `GONE`.
#[inline(always)]
pub(crate) fn is_current(tid: usize) -> bool {
    TID.try_with(Cell::get).is_ok_and(|v| v == tid + 1)
}

/// This thread's id, giving it one if it has none yet; `None` once the thread
/// is exiting (or in the unheard-of case that ids ran out).
#[cold]
pub(crate) fn current_or_register() -> Option<usize> {
    if let Some(id) = current() {
        return Some(id);
    }
    if TID.try_with(Cell::get).unwrap_or(GONE) == GONE {
        return None;
    }
    THREAD.try_with(|h| h.id.get()).ok().flatten()
}

/// Asks to be told when this thread exits. False when it is already exiting.
#[cold]
pub(crate) fn on_exit(pool: Weak<dyn ThreadExit>) -> bool {
    THREAD
        .try_with(|h| {
            let Ok(mut pools) = h.pools.try_borrow_mut() else {
                return false;
            };
            // Pools dropped since are pruned when the list would grow, so a
            // thread that makes many short-lived pools keeps a short list.
            if pools.len() == pools.capacity() {
                pools.retain(|p| p.strong_count() > 0);
            }
            pools.push(pool);
            true
        })
        .unwrap_or(false)
}

/// Where id `tid` lives in a bucketed table: bucket `b` holds
/// [`bucket_len(b)`](bucket_len) ids, from `FIRST * (2^b - 1)` on.
#[inline(always)]
pub(crate) fn bucket_of(tid: usize) -> (usize, usize) {
    if tid < FIRST {
        return (0, tid);
    }
    bucket_of_large(tid)
}

#[inline(never)]
fn bucket_of_large(tid: usize) -> (usize, usize) {
    let n = tid + FIRST;
    let top = (usize::BITS - 1 - n.leading_zeros()) as usize;
    (top - FIRST.trailing_zeros() as usize, n - (1 << top))
}

/// How many stashes bucket `bucket` holds.
#[inline]
pub(crate) fn bucket_len(bucket: usize) -> usize {
    FIRST << bucket
}

#[cfg(test)]
mod tests {
    use super::{bucket_len, bucket_of};

    #[test]
    fn buckets_double_and_cover_every_id_once() {
        let mut expected = (0, 0);
        for tid in 0..super::FIRST * 64 {
            assert_eq!(bucket_of(tid), expected, "id {tid}");
            expected.1 += 1;
            if expected.1 == bucket_len(expected.0) {
                expected = (expected.0 + 1, 0);
            }
        }
        let (last, index) = bucket_of(super::MAX_THREADS - 1);
        assert_eq!((last, index + 1), (super::BUCKETS - 1, bucket_len(last)));
    }
}
