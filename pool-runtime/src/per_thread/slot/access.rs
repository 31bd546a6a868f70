//! Who may touch a slot's stash, and when: the owner's fast span, the
//! owner's section, and a reclaimer's claim. Every access to a stash goes
//! through one of the functions here, and the owner's through [`Mine`],
//! its handle, which a guard's [`Home`] turns back into on the thread that
//! took the value. The fast get and return (`Mine::pop`, `Mine::push`,
//! `Home::claim`) are read here, with the argument they rest on.
//!
//! # The protocol
//!
//! A slot has a request word, `fast_until`, two span words, `get_span` and
//! `put_span`, and a mutex, `section`. The owner's `reused` and `returned`
//! counters, which only go up, take part too.
//!
//! - **Fast span** (the owner's get and return): store in the span word
//!   of its kind the counter this operation will bump, as it is now
//!   (`reused` in `get_span`, `returned` in `put_span`), a light barrier, load
//!   `fast_until`; if it admits the operation (not 0; above `reused` for a
//!   get), touch the stash. The span ends with the counter's store (now
//!   Release), which the operation makes anyway; a span that bumps no
//!   counter (declined, an empty stash, a full one) ends by storing
//!   [`IDLE`] in its span word (Release). One plain store more than a pool
//!   without reclaiming: the owner's whole cost.
//! - **Section** (the owner's slow paths: refills, overflows, maintenance,
//!   exit): hold `section`. Only a section holder writes `fast_until`.
//! - **Claim** (a reclaimer, for `trim()` or `clear()`, on any thread):
//!   hold `section`, store `fast_until = 0`, a heavy barrier, then wait
//!   until the spans read from both span words (Acquire) have ended: each
//!   is `IDLE`, or its counter (Acquire) has moved past the value it holds.
//!   Then touch the stash, leaving `fast_until` at 0, and release
//!   `section`.
//!
//! # Why two threads never touch a stash at once
//!
//! Sections exclude each other and claims by the mutex. What is left is a
//! fast span against a claim. The light barrier (after the span's store)
//! and the heavy one (after the claim's store of 0) pair up like two full
//! fences in a store-buffering test. A span that opens after the heavy
//! barrier reads 0 (nobody else writes `fast_until` while the claim holds
//! the section), touches nothing, ends with `IDLE` and goes to a section,
//! which waits for the claim. A span that opened before it is the one the
//! claim reads in its span word, or an earlier one (which has ended): the claim
//! waits for its end, whose Release store (the counter's, or `IDLE`) was
//! made after everything the span did to the stash, and whose Acquire read
//! makes that visible. Nothing else moves the counter between a span's
//! start and its end (the owner does one thing at a time), so a counter
//! past the span's value means the span is over. A span cannot block (no
//! allocation, no user code), so the wait ends.
//!
//! The heavy barrier is `membarrier` on Linux, where the light one is
//! only a compiler fence; elsewhere, and under loom and miri, both are
//! full fences (`barrier.rs`). When no heavy barrier is to be had, the
//! claim only asks: `fast_until` stays 0 and the owner carries the
//! request out itself at its next operation or exit.
//!
//! A request stored while the owner carries out an earlier one is never
//! lost: both happen under `section`, so the owner's new `fast_until`
//! either comes after the request (and it read the request's counts) or
//! before (and the 0 stays).

use super::{Local, Slot};
use crate::barrier;
use crate::per_thread::thread::{self, Owner};
use crate::stash::Entry;
use crate::stats::Event;
use crate::sync::{yield_now, Ordering};
use core::ptr::NonNull;

/// A span word when no fast span of its kind is open (or the last one ended
/// without moving its counter). No counter reaches it.
pub(super) const IDLE: u64 = u64::MAX;

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

/// What the return path passes for "no home" where it passes a home's
/// thread id: above every thread id and every ticket's.
pub(crate) const NO_HOME: usize = usize::MAX;

impl<T> Home<T> {
    /// The bit that marks a ticket's `tid`. Thread ids are below
    /// `MAX_THREADS`, far below it, so no thread ever holds a ticket's id.
    const TICKET: usize = 1 << (usize::BITS - 1);
    /// The ids a ticket can carry: one bit short of the rest, so that a
    /// ticket's `tid + 1` (what `owner_if` compares) is neither 0 (no id
    /// yet) nor wraps to the exiting thread's mark.
    pub(crate) const TICKETS: usize = (1 << (usize::BITS - 2)) - 1;

    /// A home that stands for a sampled checkout of `track_outstanding`
    /// (`outstanding.rs`): no thread can claim it, so its guard's return
    /// takes the slow path, which hands the ticket in. Its slot pointer is
    /// never followed.
    pub(crate) fn ticket(id: usize) -> Self {
        Home {
            tid: Self::TICKET | (id & Self::TICKETS),
            slot: NonNull::dangling(),
        }
    }

    /// The ticket's id, if this home is one.
    #[inline]
    pub(crate) fn ticket_id(self) -> Option<usize> {
        Self::ticket_of(self.tid)
    }

    /// The ticket's id, if `tid` (a home's, or `NO_HOME`) is a ticket's.
    #[inline]
    pub(crate) fn ticket_of(tid: usize) -> Option<usize> {
        (tid != NO_HOME && tid & Self::TICKET != 0).then_some(tid & Self::TICKETS)
    }

    /// The thread id this home names (a ticket's is no thread's).
    #[inline(always)]
    pub(crate) fn tid(self) -> usize {
        self.tid
    }

    /// The slot, if the calling thread is still the one that holds its id.
    ///
    /// # Safety
    ///
    /// The pool whose table the home came from is alive, so the slot is
    /// (slots are freed only with their pool): a guard holds its pool.
    #[inline(always)]
    pub(crate) unsafe fn claim<'a>(self) -> Option<Mine<'a, T>> {
        let owner = crate::per_thread::thread::owner_if(self.tid)?;
        // SAFETY: the caller guarantees the slot is alive; `Mine::home`
        // made this home from the slot of id `tid`, which `owner` proves
        // this thread holds (a ticket's id is held by no thread, so its
        // dangling pointer never gets here).
        Some(unsafe { Mine::new(self.slot.as_ref(), owner) })
    }
}

/// The owner's handle to its own slot: only made by the table, from an
/// [`Owner`] token for the slot's id. `!Send`, like the token; `Copy`, as
/// it holds no borrow of the stash, only the right to take one.
pub(crate) struct Mine<'a, T> {
    pub(super) slot: &'a Slot<T>,
    owner: Owner,
}

impl<T> Clone for Mine<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Mine<'_, T> {}

impl<'a, T> Mine<'a, T> {
    /// Pairs a slot with the token of its owner.
    ///
    /// # Safety
    ///
    /// `slot` is the slot at `owner.tid()` of a live pool's table: every
    /// access to its stash (`access.rs`) rests on the thread holding the
    /// `Mine` being the only one that may open a fast span or an owner's
    /// section on it. Only the table and `Home::claim` call this.
    #[inline(always)]
    pub(in crate::per_thread) unsafe fn new(slot: &'a Slot<T>, owner: Owner) -> Self {
        Mine { slot, owner }
    }

    pub(crate) fn owner(&self) -> Owner {
        self.owner
    }

    /// The slot itself, for the table's tests to compare.
    #[cfg(test)]
    pub(crate) fn slot(&self) -> &'a Slot<T> {
        self.slot
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

    /// A value went from the shared tier straight to the caller (chaos
    /// mode's gets): counted as reused, and the stash's length, which did
    /// not move, corrected.
    pub(crate) fn reused_elsewhere(&self) {
        self.count(Event::Reused, 1);
        self.slot.adjust_len(1);
    }

    /// Whether the owner has a trim or clear to carry out, or its interval
    /// has ended.
    #[inline]
    pub(crate) fn maintenance_due(&self) -> bool {
        self.slot.counters.get(Event::Reused) >= self.slot.fast_until.load(Ordering::Relaxed)
    }
}

impl<T> Slot<T> {
    /// Owner only: entries worth `n` bytes entered the stash (a plain load
    /// and store: only the owner writes it).
    #[inline(always)]
    pub(super) fn add_bytes(&self, n: usize) {
        self.bytes.store(
            self.bytes.load(Ordering::Relaxed).wrapping_add(n),
            Ordering::Relaxed,
        );
    }

    /// Owner only: entries worth `n` bytes left the stash.
    #[inline(always)]
    pub(super) fn sub_bytes(&self, n: usize) {
        self.add_bytes(n.wrapping_neg());
    }

    /// Owner only: the stash's length changed by `delta` with no counter
    /// moving.
    #[inline]
    pub(super) fn adjust_len(&self, delta: i64) {
        self.adjust.store(
            self.adjust
                .load(Ordering::Relaxed)
                .wrapping_add(delta as u64),
            Ordering::Relaxed,
        );
    }
}

impl<T> Mine<'_, T> {
    /// The fast get: a pop, unless the stash is empty, maintenance is due
    /// or another thread claimed the stash.
    #[inline(always)]
    pub(crate) fn pop(&self) -> Option<Entry<T>> {
        let slot = self.slot;
        let reused = slot.counters.get(Event::Reused);
        slot.get_span.store(reused, Ordering::Relaxed);
        barrier::light();
        if reused < slot.fast_until.load(Ordering::Relaxed) {
            let popped = slot.local.with_mut(|local| {
                // SAFETY: the owner's fast span (see the module's
                // argument): only the owner gets here (a `Mine` is made
                // only for its `Owner`'s slot, and neither leaves the
                // thread), `fast_until` admitted it after the span was
                // opened, and this closure neither runs user code nor
                // re-enters (a pop moves a value out, allocating nothing).
                let l = unsafe { &mut *local };
                let entry = l.stash.pop()?;
                slot.sub_bytes(entry.bytes);
                // The span's end (Release: after the pop and the bytes).
                slot.counters.set_ending_span(Event::Reused, reused + 1);
                Some(entry)
            });
            if popped.is_some() {
                return popped;
            }
        }
        slot.get_span.store(IDLE, Ordering::Release);
        None
    }

    /// The fast return: a push into storage already made, counted as
    /// returned; the entry comes back when there is no room, or another
    /// thread claimed the stash.
    #[inline(always)]
    pub(crate) fn push(&self, entry: Entry<T>) -> Result<(), Entry<T>> {
        let slot = self.slot;
        let returned = slot.counters.get(Event::Returned);
        slot.put_span.store(returned, Ordering::Relaxed);
        barrier::light();
        let refused = if slot.fast_until.load(Ordering::Relaxed) != 0 {
            let pushed = slot.local.with_mut(|local| {
                // SAFETY: as in `pop`; a fast push never grows the storage,
                // so it allocates nothing either.
                let l = unsafe { &mut *local };
                let bytes = entry.bytes;
                l.stash.push(entry)?;
                slot.add_bytes(bytes);
                // The span's end (Release: after the push and the bytes).
                slot.counters.set_ending_span(Event::Returned, returned + 1);
                Ok(())
            });
            match pushed {
                Ok(()) => return Ok(()),
                Err(entry) => entry,
            }
        } else {
            entry
        };
        slot.put_span.store(IDLE, Ordering::Release);
        Err(refused)
    }

    /// The owner's section: the owner-only half, for the length of `f`,
    /// with `section` held and the thread marked as inside the pool (a
    /// global allocator that uses this pool, called from `f`, then finds no
    /// stash and no lock: `thread.rs`).
    pub(super) fn local<R>(&self, f: impl FnOnce(&mut Local<T>) -> R) -> R {
        let _inside = thread::Inside::enter();
        let _section = self.slot.section.lock();
        self.slot.local.with_mut(|local| {
            // SAFETY: the section is held, which excludes claims, and the
            // owner is not in a fast span (its spans call nothing). Only
            // the owner gets here (as in `pop`), and every closure given
            // to this function (all in `slot/`: `moves.rs`, `sizes.rs`)
            // runs no user code, cannot panic and does not call it again.
            let l = unsafe { &mut *local };
            let r = f(l);
            self.slot
                .storage
                .store(l.stash.capacity(), Ordering::Release);
            r
        })
    }
}

impl<T> Slot<T> {
    /// Whether the owner's last fast spans have ended (for a claim, after
    /// its barrier): Acquire, so what they did is visible.
    fn span_ended(&self) -> bool {
        let ended = |span: &crate::sync::AtomicU64, counter| {
            let at = span.load(Ordering::Acquire);
            at == IDLE || self.counters.get_acquire(counter) > at
        };
        ended(&self.get_span, Event::Reused) && ended(&self.put_span, Event::Returned)
    }

    /// Asks the owner to look at the pool's requests at its next operation
    /// (or exit), without touching the stash.
    pub(crate) fn ask(&self) {
        let _inside = thread::Inside::enter();
        let _section = self.section.lock();
        self.fast_until.store(0, Ordering::Relaxed);
    }

    /// Claims the stash from whichever thread calls (its owner included)
    /// and runs `f` on it. `None` when the stash held nothing (nothing to
    /// do), or when there is no heavy barrier here, so that the owner was
    /// only asked.
    pub(super) fn claim<R>(&self, f: impl FnOnce(&mut Local<T>) -> R) -> Option<R> {
        if self.storage.load(Ordering::Acquire) == 0 {
            return None;
        }
        let _inside = thread::Inside::enter();
        let _section = self.section.lock();
        self.fast_until.store(0, Ordering::Relaxed);
        if !barrier::heavy() {
            return None;
        }
        while !self.span_ended() {
            yield_now();
        }
        let r = self.local.with_mut(|local| {
            // SAFETY: the claim (see the module's argument): the section
            // is held, the owner's last span was seen ended after the
            // barrier, and every later span of its reads 0 and touches
            // nothing until a section, which waits for this one. `f` runs
            // no user code and cannot panic (its callers are in this
            // module's parent).
            let l = unsafe { &mut *local };
            let r = f(l);
            self.storage.store(l.stash.capacity(), Ordering::Release);
            r
        });
        Some(r)
    }
}
