//! Who may touch a slot's stash, and when: the owner's fast span, the
//! owner's section, and a reclaimer's claim. Every access to a stash goes
//! through one of the three functions here.
//!
//! # The protocol
//!
//! A slot has a request word, `fast_until`, a span flag, `in_fast_span`,
//! and a mutex, `section`.
//!
//! - **Fast span** (the owner's get and return): store `in_fast_span =
//!   true`, a light barrier, load `fast_until`; if it admits the operation
//!   (not 0; above `reused` for a get), touch the stash; then store
//!   `in_fast_span = false` (Release). Two plain stores and no read-modify-
//!   write: the owner's only cost.
//! - **Section** (the owner's slow paths: refills, overflows, maintenance,
//!   exit): hold `section`. Only a section holder writes `fast_until`.
//! - **Claim** (a reclaimer, for `trim()` or `clear()`, on any thread):
//!   hold `section`, store `fast_until = 0`, a heavy barrier, then wait
//!   until `in_fast_span` reads false (Acquire); then touch the stash,
//!   leaving `fast_until` at 0, and release `section`.
//!
//! # Why two threads never touch a stash at once
//!
//! Sections exclude each other and claims by the mutex. What is left is a
//! fast span against a claim. The light barrier (after the span's flag
//! store) and the heavy one (after the claim's store of 0) pair up like two
//! full fences in a store-buffering test: either the owner's load sees the
//! 0, and the span touches nothing, or the reclaimer's load sees the span's
//! `true` (or a later value). In the second case the reclaimer waits for a
//! `false`, whose Release makes the span's writes visible before it
//! touches the stash. A span that starts after that reads 0: the claim's
//! store came before the barrier, and nobody else writes `fast_until`
//! while the claim holds the section. The owner reaches its stash again
//! only through a section (0 sends both fast operations there), which
//! waits for the claim to end. A span cannot block (no allocation, no user
//! code), so the reclaimer's wait ends.
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

use super::{Local, Mine, Slot};
use crate::barrier;
use crate::per_thread::thread;
use crate::stash::Entry;
use crate::stats::Event;
use crate::sync::{yield_now, Ordering};

impl<T> Mine<'_, T> {
    /// The fast get: a pop, unless the stash is empty, maintenance is due
    /// or another thread claimed the stash.
    #[inline(always)]
    pub(crate) fn pop(&self) -> Option<Entry<T>> {
        let slot = self.slot;
        let reused = slot.counters.get(Event::Reused);
        slot.in_fast_span.store(true, Ordering::Relaxed);
        barrier::light();
        let entry = if reused < slot.fast_until.load(Ordering::Relaxed) {
            slot.local.with_mut(|local| {
                // SAFETY: the owner's fast span (see the module's
                // argument): only the owner gets here (a `Mine` is made
                // only for its `Owner`'s slot, and neither leaves the
                // thread), `fast_until` admitted it after the span was
                // opened, and this closure neither runs user code nor
                // re-enters (a pop moves a value out, allocating nothing).
                let l = unsafe { &mut *local };
                let entry = l.stash.pop()?;
                slot.counters.set(Event::Reused, reused + 1);
                slot.sub_bytes(entry.bytes);
                Some(entry)
            })
        } else {
            None
        };
        slot.in_fast_span.store(false, Ordering::Release);
        entry
    }

    /// The fast return: a push into storage already made, counted as
    /// returned; the entry comes back when there is no room, or another
    /// thread claimed the stash.
    #[inline(always)]
    pub(crate) fn push(&self, entry: Entry<T>) -> Result<(), Entry<T>> {
        let slot = self.slot;
        slot.in_fast_span.store(true, Ordering::Relaxed);
        barrier::light();
        let pushed = if slot.fast_until.load(Ordering::Relaxed) != 0 {
            slot.local.with_mut(|local| {
                // SAFETY: as in `pop`; a fast push never grows the storage,
                // so it allocates nothing either.
                let l = unsafe { &mut *local };
                let bytes = entry.bytes;
                l.stash.push(entry)?;
                slot.counters.bump_owned(Event::Returned, 1);
                slot.add_bytes(bytes);
                Ok(())
            })
        } else {
            Err(entry)
        };
        slot.in_fast_span.store(false, Ordering::Release);
        pushed
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
            // to this function, all in this module's parent, runs no user
            // code, cannot panic and does not call it again.
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
        while self.in_fast_span.load(Ordering::Acquire) {
            yield_now();
        }
        let r = self.local.with_mut(|local| {
            // SAFETY: the claim (see the module's argument): the section
            // is held, the owner was seen out of its fast span after the
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
