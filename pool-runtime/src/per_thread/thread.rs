//! Small per-thread ids, the owner token that proves one, and what a thread
//! owes the pools it used when it exits.
//!
//! Every pool keeps one stash per thread id. The ids are small and reused, so a
//! pool's table of stashes stays as small as the number of threads alive at
//! once, and finding this thread's stash is an index, not a hash lookup.

use crate::sync::{fast_thread_local, lazy_thread_local, Weak};
use core::cell::{Cell, RefCell};
use core::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// What a pool does when a thread that used it exits: hand that thread's
/// stash to the shared tier.
pub(crate) trait ThreadExit {
    fn thread_exit(&self, owner: Owner);
}

/// Proof that the calling thread holds thread id [`tid`](Owner::tid), and
/// so owns the stash at that index of every pool's table.
///
/// `!Send` and `!Sync` (the `PhantomData` of a raw pointer), so it cannot
/// leave the thread it was made on; it is only made by the functions of
/// this module, each of which checks the id, and it never outlives one pool
/// operation, so it cannot outlive the thread's hold on the id either (the
/// id is given back only after the exit hooks, which get their own token).
#[derive(Clone, Copy)]
pub(crate) struct Owner {
    tid: usize,
    _not_send: PhantomData<*const ()>,
}

impl Owner {
    #[inline(always)]
    fn new(tid: usize) -> Self {
        Owner {
            tid,
            _not_send: PhantomData,
        }
    }

    /// The id this thread holds.
    #[inline(always)]
    pub(crate) fn tid(self) -> usize {
        self.tid
    }

    /// A token for any id, unchecked: for the table's own tests, which use
    /// it only on a table no pool owns, each id on one thread at a time.
    #[cfg(test)]
    pub(crate) fn forged(tid: usize) -> Self {
        Owner::new(tid)
    }
}

/// Ids go up to `MAX_THREADS - 1`; a thread beyond that (never seen in
/// practice) simply works without a stash, through the shared tier. It is
/// the number of slots a pool's table can hold (8 + 64 + 64² + 64³ + 64⁴),
/// which the table checks at compile time: stated here so that ids need
/// nothing from the table, which needs their owners.
pub(crate) const MAX_THREADS: usize = 17_043_528;

/// Or'ed into `TID` while the thread is inside the pool's machinery (a
/// section of a stash, the shared tier's lock): every id test of the fast
/// path fails, and the slow paths see [`is_inside`]. Above every id.
const INSIDE: usize = 1 << (usize::BITS - 2);
/// `TID` holds `id + 1`; these two values mean "no id". `GONE` is above
/// every id and below `INSIDE`, so that an exiting thread can be marked
/// too (its stash's hand-over allocates).
const UNSET: usize = 0;
const GONE: usize = INSIDE - 1;

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
    free: FreeIds::new(),
});

struct IdAllocator {
    next: usize,
    free: FreeIds,
}

/// Under std, a min-heap of free ids: a thread's exit costs a logarithm, so
/// thousands of threads exiting at once do not queue behind a sort each.
#[cfg(not(loom))]
struct FreeIds(std::collections::BinaryHeap<core::cmp::Reverse<usize>>);

/// Which threads may reuse an id: under std, all of them.
#[cfg(not(loom))]
#[derive(Clone, Copy)]
struct Generation;

#[cfg(not(loom))]
fn generation() -> Generation {
    Generation
}

#[cfg(not(loom))]
impl FreeIds {
    const fn new() -> Self {
        FreeIds(std::collections::BinaryHeap::new())
    }
    fn take(&mut self, _now: Generation) -> Option<usize> {
        self.0.pop().map(|core::cmp::Reverse(id)| id)
    }
    fn give_back(&mut self, id: usize, _freed: Generation) {
        self.0.push(core::cmp::Reverse(id));
    }
}

/// Under loom, free ids with the generation of the thread that freed them:
/// one per model execution (the OS thread that runs the model, loom runs all
/// of a model's threads on it, and the execution's number). An id is reused
/// only by the same model in a later execution: an id used by two models
/// running at once (parallel tests) and handed back and forth between them
/// would otherwise return to the first within one execution.
#[cfg(loom)]
struct FreeIds(Vec<(usize, Generation)>);

#[cfg(loom)]
type Generation = (std::thread::ThreadId, u64);

/// Read when a thread starts (a loom lazy static cannot be read while the
/// model's thread-locals are torn down).
#[cfg(loom)]
fn generation() -> Generation {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loom::lazy_static! {
        // A loom lazy static is made anew for each execution.
        static ref THIS: u64 = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    (std::thread::current().id(), *THIS)
}

#[cfg(loom)]
impl FreeIds {
    const fn new() -> Self {
        FreeIds(Vec::new())
    }
    fn take(&mut self, now: Generation) -> Option<usize> {
        let at = self
            .0
            .iter()
            .rposition(|&(_, g)| g.0 == now.0 && g.1 != now.1)?;
        Some(self.0.remove(at).0)
    }
    fn give_back(&mut self, id: usize, freed: Generation) {
        self.0.push((id, freed));
        self.0
            .sort_unstable_by_key(|&(id, _)| core::cmp::Reverse(id));
    }
}

impl IdAllocator {
    fn take(now: Generation) -> Option<usize> {
        let mut ids = IDS.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(id) = ids.free.take(now) {
            return Some(id);
        }
        if ids.next >= MAX_THREADS {
            return None;
        }
        ids.next += 1;
        Some(ids.next - 1)
    }

    fn give_back(id: usize, freed: Generation) {
        IDS.lock()
            .unwrap_or_else(|p| p.into_inner())
            .free
            .give_back(id, freed);
    }
}

/// Pools dropped in the whole process so far: a thread's exit list prunes
/// itself when enough pools died since it last looked.
static POOLS_DROPPED: AtomicU64 = AtomicU64::new(0);

struct ThreadHandle {
    /// Taken when the thread's exit hooks run.
    id: Cell<Option<usize>>,
    generation: Generation,
    exits: RefCell<ExitList>,
}

/// The pools to tell when this thread exits.
struct ExitList {
    pools: Vec<Weak<dyn ThreadExit>>,
    /// `POOLS_DROPPED` when the list was last pruned.
    seen_dropped: u64,
}

impl ExitList {
    /// Drops the entries of pools that are gone, when enough may be: each
    /// holds its pool's allocation (not its values) until then. Amortized
    /// O(1): it only scans when at least half the list may be dead.
    fn prune(&mut self) {
        let dropped = POOLS_DROPPED.load(Relaxed);
        let dead_at_most = dropped.wrapping_sub(self.seen_dropped);
        if dead_at_most == 0 || (dead_at_most as usize) < self.pools.len().div_ceil(2) {
            return;
        }
        self.seen_dropped = dropped;
        self.pools.retain(|p| p.strong_count() > 0);
        if self.pools.capacity() > 4 * self.pools.len().max(4) {
            self.pools.shrink_to(2 * self.pools.len());
        }
    }
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
            exits: RefCell::new(ExitList {
                pools: Vec::new(),
                seen_dropped: POOLS_DROPPED.load(Relaxed),
            }),
        }
    }

    /// Tells the pools this thread used that it is exiting, then frees its id.
    fn exit(&self) {
        // From here on this thread has no stash: anything dropped below (a
        // user's value, a guard in another thread-local) takes the slow path.
        let _ = TID.try_with(|t| t.set(GONE));
        let Some(id) = self.id.take() else { return };
        let pools = match self.exits.try_borrow_mut() {
            Ok(mut exits) => core::mem::take(&mut exits.pools),
            Err(_) => Vec::new(),
        };
        for pool in pools {
            if let Some(pool) = pool.upgrade() {
                // The thread still holds `id` until it is given back below.
                pool.thread_exit(Owner::new(id));
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

/// The token of this thread, when it has an id (and is not inside the
/// pool's machinery).
#[inline(always)]
pub(crate) fn owner() -> Option<Owner> {
    // Every id is below `MAX_THREADS`; "no id" (`UNSET`, `GONE`) and a
    // marked id (`INSIDE`) are not.
    owner_below(MAX_THREADS)
}

/// The calling thread is inside the pool's machinery: it holds a stash's
/// section or the shared tier's lock. Only the global allocator can call
/// into a pool from there (the pool runs no user code inside), and that
/// call must touch no stash and take no lock.
#[inline]
pub(crate) fn is_inside() -> bool {
    TID.try_with(|t| t.get() & INSIDE != 0).unwrap_or(false)
}

/// The mark of [`is_inside`], for as long as this guard lives. Guards nest
/// (a section, then the shared tier's lock inside it), each restoring what
/// it found.
pub(crate) struct Inside {
    saved: usize,
}

impl Inside {
    #[inline]
    pub(crate) fn enter() -> Self {
        let saved = TID.try_with(Cell::get).unwrap_or(GONE);
        let _ = TID.try_with(|t| t.set(saved | INSIDE));
        Inside { saved }
    }
}

impl Drop for Inside {
    #[inline]
    fn drop(&mut self) {
        let _ = TID.try_with(|t| t.set(self.saved));
    }
}

/// The token of this thread if its id is below `limit`: one comparison
/// covers "no id" too (`UNSET - 1` and `GONE - 1` are the largest values).
/// The fast path's test, for the ids whose slot the table finds inline.
#[inline(always)]
pub(crate) fn owner_below(limit: usize) -> Option<Owner> {
    let tid = TID.try_with(Cell::get).ok()?.wrapping_sub(1);
    (tid < limit).then(|| Owner::new(tid))
}

/// The token of this thread if its id is `tid`, an id some thread was given:
/// the return path's check that a guard is dropped where it was got. One
/// comparison: `tid + 1` is never `UNSET` or `GONE`.
#[inline(always)]
pub(crate) fn owner_if(tid: usize) -> Option<Owner> {
    match TID.try_with(Cell::get) {
        Ok(v) if v == tid.wrapping_add(1) => Some(Owner::new(tid)),
        _ => None,
    }
}

/// The token of this thread, giving it an id if it has none yet; `None` once
/// the thread is exiting (or in the unheard-of case that ids ran out).
#[cold]
pub(crate) fn owner_or_register() -> Option<Owner> {
    if let Some(owner) = owner() {
        return Some(owner);
    }
    let tid = TID.try_with(Cell::get).unwrap_or(GONE);
    if tid == GONE || tid & INSIDE != 0 {
        return None;
    }
    THREAD
        .try_with(|h| h.id.get())
        .ok()
        .flatten()
        .map(Owner::new)
}

/// Asks to be told when this thread exits. False when it is already exiting.
#[cold]
pub(crate) fn on_exit(_owner: Owner, pool: Weak<dyn ThreadExit>) -> bool {
    THREAD
        .try_with(|h| {
            let Ok(mut exits) = h.exits.try_borrow_mut() else {
                return false;
            };
            exits.prune();
            exits.pools.push(pool);
            true
        })
        .unwrap_or(false)
}

/// A pool is gone: lets this thread's exit list drop the dead entries it
/// holds, before it grows again.
pub(crate) fn pool_dropped() {
    POOLS_DROPPED.fetch_add(1, Relaxed);
    // A thread that never used a pool has no list (and needs no id for one).
    if owner().is_none() {
        return;
    }
    let _ = THREAD.try_with(|h| {
        if let Ok(mut exits) = h.exits.try_borrow_mut() {
            exits.prune();
        }
    });
}
