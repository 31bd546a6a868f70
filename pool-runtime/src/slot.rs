//! A thread's slot in one pool: its stash, and [`Mine`], the handle through
//! which its owner, and only its owner, works on it.
//!
//! Only the thread whose id indexes a [`Slot`] touches its stash, so a hit is
//! a `Vec` pop or push with no atomic read-modify-write and no lock. Other
//! threads read only the slot's published atomics (counters, bytes, the
//! length correction), and write only one: `due`, to ask the owner to
//! look at a `trim()` or `clear()` at its next operation.
//!
//! # The one rule
//!
//! The stash is borrowed exclusively inside [`Mine`]'s methods and nowhere
//! else, for the length of one method, and no method runs user code
//! (factory, reset, cap check, `retained_bytes`, a `T`'s drop) or anything
//! that can panic while it holds the borrow: values only move in and out,
//! and anything to be dropped is handed back to the caller, who drops it
//! after the borrow ends. So a user's code that re-enters the pool (a drop
//! that gets, a reset that puts) makes a second `Mine` for the same slot,
//! but never while the first one holds a borrow.

use crate::shared::SharedTier;
use crate::stash::{Entry, Stash};
use crate::stats::{Counters, Event, Stats};
use crate::sync::{AtomicU64, AtomicUsize, Ordering, UnsafeCell};
use crate::thread::Owner;
use core::ptr::NonNull;

/// Gets of a thread between two automatic trims of its stash.
pub(crate) const INTERVAL: u64 = 4096;

/// The owner-only half of a slot.
struct Local<T> {
    stash: Stash<T, false>,
    /// `reused + created` of this slot when the current interval began.
    interval_start: u64,
    /// The pool's trim and clear counts as this owner last acted on them.
    seen_trims: u64,
    seen_clears: u64,
    /// Whether the thread holding the id asked to be told of its exit.
    registered: bool,
}

/// One thread's stash and counters in one pool. Aligned to its own cache
/// lines so that two threads' slots never share one.
#[repr(align(128))]
pub(crate) struct Slot<T> {
    local: UnsafeCell<Local<T>>,
    counters: Counters,
    /// The fast get path declines once `reused` reaches this: at the end of
    /// the interval, and at once when another thread stores 0 here to ask
    /// for a trim or clear. Folding both into one comparison with a counter
    /// the get bumps anyway is what keeps maintenance off the fast path.
    due: AtomicU64,
    /// The stash's bytes, published for `stats()`.
    bytes: AtomicUsize,
    /// Chosen so that `stash.len() == returned - reused + adjust` (wrapping)
    /// whenever the owner is between operations. A fast get or return moves
    /// the length by one together with one of those two counters; every
    /// other change of the length adds its delta here, in the same step. So
    /// `stats()` knows every stash's length without the fast path
    /// publishing it.
    adjust: AtomicU64,
}

// SAFETY: `local` is only reached through `Mine`, which only the slot's
// owning thread can hold (see `Mine::local`), or through `&mut Slot`; the
// rest is atomics. Values of `T` do cross threads (a stash outlives its
// thread's hold on the id), hence `T: Send`.
unsafe impl<T: Send> Sync for Slot<T> {}
// SAFETY: as above; a `Slot` moving to another thread moves its values, which
// `T: Send` allows.
unsafe impl<T: Send> Send for Slot<T> {}

impl<T> Slot<T> {
    /// A slot whose owner has seen `trims` and `clears` already (it was made
    /// after them, and holds nothing they could have freed).
    pub(crate) fn new(limit: usize, trims: u64, clears: u64) -> Self {
        Slot {
            local: UnsafeCell::new(Local {
                stash: Stash::new(limit),
                interval_start: 0,
                seen_trims: trims,
                seen_clears: clears,
                registered: false,
            }),
            counters: Counters::default(),
            due: AtomicU64::new(INTERVAL),
            bytes: AtomicUsize::new(0),
            adjust: AtomicU64::new(0),
        }
    }

    /// Another thread asks the owner to carry out a trim or clear at its
    /// next operation. Release: the owner's Acquire load of `due` in
    /// `maintain` then sees the request's counts.
    pub(crate) fn ask_for_maintenance(&self) {
        self.due.store(0, Ordering::Release);
    }

    /// Adds this slot's counters and stash to `stats`. Read while the owner
    /// works, the loads may straddle one of its operations; the length is
    /// clamped to what the stash can hold, and exact when it rests.
    pub(crate) fn add_to(&self, stats: &mut Stats, limit: usize) {
        self.counters.add_to(stats);
        let len = self
            .counters
            .get(Event::Returned)
            .wrapping_sub(self.counters.get(Event::Reused))
            .wrapping_add(self.adjust.load(Ordering::Relaxed)) as i64;
        stats.retained += (len.max(0) as u64).min(limit as u64) as usize;
        stats.retained_bytes = stats
            .retained_bytes
            .saturating_add(self.bytes.load(Ordering::Relaxed));
    }

    /// Empties the stash of a slot nobody else can reach (its pool is
    /// being dropped).
    pub(crate) fn take_all(&mut self) -> Vec<Entry<T>> {
        self.local.with_mut(|local| {
            // SAFETY: `&mut self`: no other reference to the slot exists.
            unsafe { &mut *local }.stash.take_all()
        })
    }
}

/// Where a guard's value was taken: the thread id and its slot, so that a
/// guard dropped on that same thread goes back without a table lookup.
pub(crate) struct Home<T> {
    tid: usize,
    slot: NonNull<Slot<T>>,
}

impl<T> Clone for Home<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Home<T> {}

// SAFETY: a `Home` is an id and a pointer to a `Slot`, which is `Sync` for
// `T: Send`; it gives access only through `claim`, which checks the id.
unsafe impl<T: Send> Send for Home<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Home<T> {}

impl<T> Home<T> {
    /// The slot, if the calling thread is still the one that holds its id.
    ///
    /// # Safety
    ///
    /// The pool whose table the home came from is alive, so the slot is
    /// (slots are freed only with their pool): a guard holds its pool.
    #[inline(always)]
    pub(crate) unsafe fn claim<'a>(self) -> Option<Mine<'a, T>> {
        let owner = crate::thread::owner_if(self.tid)?;
        // SAFETY: the caller guarantees the slot is alive; `Mine::home`
        // made this home from the slot of id `tid`, which `owner` proves
        // this thread holds.
        Some(Mine::new(unsafe { self.slot.as_ref() }, owner))
    }
}

/// The owner's handle to its own slot: only made by the table, from an
/// [`Owner`] token for the slot's id. `!Send`, like the token; `Copy`, as
/// it holds no borrow of the stash, only the right to take one.
pub(crate) struct Mine<'a, T> {
    slot: &'a Slot<T>,
    owner: Owner,
}

/// What `Mine::maintain` took out of the stash, for the caller to free.
pub(crate) struct Maintained<T> {
    pub(crate) evicted: Vec<Entry<T>>,
    pub(crate) interval_ended: bool,
}

/// What the pool's maintenance needs to know from the pool.
pub(crate) struct Requests {
    pub(crate) trims: u64,
    pub(crate) clears: u64,
}

impl<T> Clone for Mine<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Mine<'_, T> {}

impl<'a, T> Mine<'a, T> {
    /// Pairs a slot with the token of its owner: only the table (for the
    /// slot at the token's id) and `Home::claim` call it.
    #[inline(always)]
    pub(crate) fn new(slot: &'a Slot<T>, owner: Owner) -> Self {
        Mine { slot, owner }
    }

    /// The owner-only half, for the length of `f`.
    #[inline(always)]
    fn local<R>(&self, f: impl FnOnce(&mut Local<T>) -> R) -> R {
        self.slot.local.with_mut(|local| {
            // SAFETY: (1) only the owner gets here: a `Mine` is made only
            // for the slot of its `Owner`'s id, and neither can leave the
            // thread. (2) No other borrow of `local` is alive: this function
            // is private, and every closure given to it (all in this module)
            // runs no user code, cannot panic, and does not call `local`
            // again; so no borrow outlives its method, and none can start
            // inside another.
            f(unsafe { &mut *local })
        })
    }

    pub(crate) fn owner(&self) -> Owner {
        self.owner
    }

    pub(crate) fn home(&self) -> Home<T> {
        Home {
            tid: self.owner.tid(),
            slot: NonNull::from(self.slot),
        }
    }

    #[inline(always)]
    pub(crate) fn count(&self, event: Event, n: u64) {
        self.slot.counters.bump_owned(event, n);
    }

    /// A value came back and did not stay (`event`: rejected or dropped):
    /// both counted, and the stash's length, which did not move, corrected.
    pub(crate) fn returned_not_kept(&self, event: Event) {
        self.count(Event::Returned, 1);
        self.count(event, 1);
        self.slot.adjust_len(-1);
    }

    /// The fast get: a pop, unless the stash is empty or maintenance is due.
    #[inline(always)]
    pub(crate) fn pop(&self) -> Option<Entry<T>> {
        let reused = self.slot.counters.get(Event::Reused);
        if reused >= self.slot.due.load(Ordering::Relaxed) {
            return None;
        }
        let slot = self.slot;
        self.local(|l| {
            let entry = l.stash.pop()?;
            slot.counters.set(Event::Reused, reused + 1);
            slot.sub_bytes(entry.bytes);
            Some(entry)
        })
    }

    /// The fast return: a push into storage already made, counted as
    /// returned; the entry comes back when there is no room.
    #[inline(always)]
    pub(crate) fn push(&self, entry: Entry<T>) -> Result<(), Entry<T>> {
        let slot = self.slot;
        self.local(|l| {
            let bytes = entry.bytes;
            l.stash.push(entry)?;
            slot.counters.bump_owned(Event::Returned, 1);
            slot.add_bytes(bytes);
            Ok(())
        })
    }

    /// Whether the owner has a trim or clear to carry out, or its interval
    /// has ended.
    #[inline]
    pub(crate) fn maintenance_due(&self) -> bool {
        self.slot.counters.get(Event::Reused) >= self.slot.due.load(Ordering::Relaxed)
    }

    /// The factory made a value for this thread: counted, and the interval
    /// moves on by one get, as a pop moves it.
    pub(crate) fn made_one(&self) {
        self.count(Event::Created, 1);
        let start = self.local(|l| l.interval_start);
        // `fetch_min`: never raises `due`, so a trim's 0 is never lost.
        self.slot
            .due
            .fetch_min(self.due_from(start), Ordering::Relaxed);
    }

    /// `due` for an interval that began at `start`: the `reused` count at
    /// which `INTERVAL` gets (pops and factory calls) will have been made.
    fn due_from(&self, start: u64) -> u64 {
        start
            .wrapping_add(INTERVAL)
            .saturating_sub(self.slot.counters.get(Event::Created))
    }

    /// Pulls a batch of up to `batch` values from the shared tier into the
    /// stash (or one, if the stash holds none) and pops one, counted as
    /// reused.
    pub(crate) fn refill(&self, shared: &SharedTier<T>, batch: usize) -> Option<Entry<T>> {
        let slot = self.slot;
        self.local(|l| {
            let mut shared = shared.lock();
            let (moved, bytes) = shared.move_top_to(&mut l.stash, batch);
            let entry = if moved > 0 {
                slot.adjust_len(moved as i64);
                let entry = l.stash.pop();
                let out = entry.as_ref().map_or(0, |e| e.bytes);
                slot.add_bytes(bytes.wrapping_sub(out));
                entry
            } else {
                // Straight from the shared tier: counted as reused below,
                // but it never was in the stash.
                let entry = shared.pop();
                if entry.is_some() {
                    slot.adjust_len(1);
                }
                entry
            };
            if entry.is_some() {
                slot.counters.bump_owned(Event::Reused, 1);
            }
            // All under the lock, so that `stats()` never counts a value twice.
            drop(shared);
            entry
        })
    }

    /// The stash had no room: grow it if the limit allows, else move its
    /// coldest `batch` to the shared tier and keep the value here, else give
    /// the value to the shared tier. Counted as returned when kept; handed
    /// back when neither tier has room.
    pub(crate) fn push_slow(
        &self,
        entry: Entry<T>,
        shared: &SharedTier<T>,
        batch: usize,
    ) -> Result<(), Entry<T>> {
        let slot = self.slot;
        self.local(|l| {
            let bytes = entry.bytes;
            let entry = match l.stash.push_growing(entry) {
                Ok(()) => {
                    slot.counters.bump_owned(Event::Returned, 1);
                    slot.add_bytes(bytes);
                    return Ok(());
                }
                Err(entry) => entry,
            };
            let mut shared = shared.lock();
            let (moved, out) = l.stash.move_bottom_to(shared.receive(), batch);
            slot.adjust_len(-(moved as i64));
            slot.add_bytes(out.wrapping_neg());
            let kept = match l.stash.push_growing(entry) {
                Ok(()) => {
                    slot.add_bytes(bytes);
                    Ok(())
                }
                Err(entry) => {
                    let kept = shared.push_growing(entry);
                    if kept.is_ok() {
                        // Counted as returned below, but not in the stash.
                        slot.adjust_len(-1);
                    }
                    kept
                }
            };
            if kept.is_ok() {
                slot.counters.bump_owned(Event::Returned, 1);
            }
            drop(shared);
            kept
        })
    }

    /// Whether the thread still has to ask to be told of its exit.
    pub(crate) fn needs_registration(&self) -> bool {
        self.local(|l| !l.registered)
    }

    pub(crate) fn registered(&self) {
        self.local(|l| l.registered = true);
    }

    /// Carries out the trims and clears asked since the owner last looked,
    /// and the end of an interval: values that sat in the stash through the
    /// whole interval move to the shared tier (what does not fit is
    /// evicted). Returns what is to be freed.
    pub(crate) fn maintain(
        &self,
        requests: impl Fn() -> Requests,
        shared: &SharedTier<T>,
    ) -> Maintained<T> {
        let slot = self.slot;
        let mut evicted = Vec::new();
        let mut interval_ended = false;
        loop {
            // Acquire: pairs with `ask_for_maintenance`, so the counts
            // below include the request that stored this 0.
            let observed = slot.due.load(Ordering::Acquire);
            let now = requests();
            let start = self.local(|l| {
                let trims = now.trims.wrapping_sub(l.seen_trims);
                let cleared = now.clears != l.seen_clears;
                let gets = slot
                    .counters
                    .get(Event::Reused)
                    .wrapping_add(slot.counters.get(Event::Created));
                let ended = gets.wrapping_sub(l.interval_start) >= INTERVAL;
                let idle = l.stash.idle();
                let evict = if cleared || trims >= 2 {
                    l.stash.len()
                } else if trims == 1 {
                    idle
                } else {
                    0
                };
                let mut taken = l.stash.take_bottom(evict);
                slot.add_bytes(sum_bytes(&taken).wrapping_neg());
                if ended {
                    interval_ended = true;
                    // Idle through the whole interval and not evicted
                    // above: to the shared tier, as far as it has room.
                    let idle = idle.saturating_sub(evict);
                    if idle > 0 {
                        let mut shared = shared.lock();
                        let (moved, out) = l.stash.move_bottom_to(shared.receive(), idle);
                        slot.adjust_len(-(moved as i64));
                        slot.add_bytes(out.wrapping_neg());
                        drop(shared);
                        let mut idle = l.stash.take_bottom(idle - moved);
                        slot.add_bytes(sum_bytes(&idle).wrapping_neg());
                        taken.append(&mut idle);
                    }
                    l.interval_start = gets;
                }
                slot.adjust_len(-(taken.len() as i64));
                evicted.append(&mut taken);
                if ended || cleared || trims > 0 {
                    l.stash.mark();
                }
                (l.seen_trims, l.seen_clears) = (now.trims, now.clears);
                l.interval_start
            });
            // A trim asked meanwhile stored 0 over `observed`: go again.
            if slot
                .due
                .compare_exchange(
                    observed,
                    self.due_from(start),
                    Ordering::AcqRel,
                    Ordering::Relaxed,
                )
                .is_ok()
            {
                return Maintained {
                    evicted,
                    interval_ended,
                };
            }
        }
    }

    /// The thread is exiting: its stash goes to the shared tier; what does
    /// not fit comes back, counted as dropped, for the caller to free.
    pub(crate) fn hand_over(&self, shared: &SharedTier<T>) -> Vec<Entry<T>> {
        let slot = self.slot;
        let leftover = self.local(|l| {
            l.registered = false;
            let mut shared = shared.lock();
            let (moved, _) = l.stash.move_bottom_to(shared.receive(), l.stash.len());
            slot.adjust_len(-(moved as i64));
            let leftover = l.stash.take_all();
            slot.adjust_len(-(leftover.len() as i64));
            // All under the lock, so that `stats()` sees each value once:
            // in the stash before, in the shared tier or dropped after.
            slot.counters
                .bump_owned(Event::Dropped, leftover.len() as u64);
            slot.bytes.store(0, Ordering::Relaxed);
            drop(shared);
            leftover
        });
        leftover
    }
}

/// The bytes a batch of entries was counted at.
fn sum_bytes<T>(entries: &[Entry<T>]) -> usize {
    entries
        .iter()
        .fold(0usize, |sum, e| sum.wrapping_add(e.bytes))
}

impl<T> Slot<T> {
    /// Owner only: entries worth `n` bytes entered the stash (a plain load
    /// and store: only the owner writes it).
    #[inline(always)]
    fn add_bytes(&self, n: usize) {
        self.bytes.store(
            self.bytes.load(Ordering::Relaxed).wrapping_add(n),
            Ordering::Relaxed,
        );
    }

    /// Owner only: entries worth `n` bytes left the stash.
    #[inline(always)]
    fn sub_bytes(&self, n: usize) {
        self.add_bytes(n.wrapping_neg());
    }

    /// Owner only: the stash's length changed by `delta` with no counter
    /// moving.
    #[inline]
    fn adjust_len(&self, delta: i64) {
        self.adjust.store(
            self.adjust
                .load(Ordering::Relaxed)
                .wrapping_add(delta as u64),
            Ordering::Relaxed,
        );
    }
}
