//! Trimming: `trim()`, `clear()`, the automatic interval, and what a pool
//! does when a thread exits or the pool itself is dropped.
//!
//! A `trim()` or `clear()` reaches every thread's stash when it is called:
//! the caller claims each stash in turn and frees what the request frees,
//! while its owner is idle or between two operations (`per_thread/slot/access.rs`).
//! Where the platform refuses the barrier that needs, the owner is asked
//! instead and carries the request out at its next operation or exit.
//! Everything freed here is taken out first and dropped after, with no
//! stash borrowed and no lock held, wiped on the way.

use super::Inner;
use crate::per_thread::{thread, Owner, ThreadExit};
use crate::per_thread::{Mine, Requests};
use crate::poolable::Poolable;
use crate::registry::Trim;
use crate::shared::Shared;
use crate::stash::Entry;
use crate::stats::Event;
use crate::sync::{AtomicU64, Ordering, Weak};
use core::panic::AssertUnwindSafe;
use std::panic::{catch_unwind, resume_unwind};

impl<T: Poolable + 'static> Inner<T> {
    /// Carries out, for the calling thread's own slot, the trims and clears
    /// asked since it last looked, and the end of an interval: values that
    /// sat in the stash through a whole interval go to the shared tier,
    /// whose own idle values are then freed.
    #[cold]
    #[inline(never)]
    pub(crate) fn maintain(&self, mine: &Mine<'_, T>) {
        if self.value_cap.learns() {
            self.hand_in_sizes(mine);
        }
        let done =
            mine.maintain_stash(|| self.requests(), &self.shared, self.checks.sample_every());
        self.discard(Some(mine), Some(Event::Evicted), done.evicted);
        if done.interval_ended {
            // Keep a stash's worth: what one consumer thread may be sitting on.
            let idle = {
                self.lock_shared()
                    .take_idle_since_interval(self.limits.max_per_thread)
            };
            self.discard(Some(mine), Some(Event::Evicted), idle);
        }
    }

    /// Hands this thread's recorded sizes to the calibrator. When the cap
    /// went down, every stash is asked to drop what it no longer admits
    /// (this one in the maintenance that follows), and the shared tier
    /// does so at once.
    fn hand_in_sizes(&self, mine: &Mine<'_, T>) {
        if !self.value_cap.hand_in(&mine.take_sizes()) {
            return;
        }
        self.table.for_each(|slot| slot.ask());
        let max = self.value_cap.max_entry_bytes::<T>();
        let over = { self.lock_shared().take_over(max) };
        self.discard(Some(mine), Some(Event::Evicted), over);
    }

    pub(crate) fn trim(&self) {
        self.request(&self.trims, Shared::take_idle_since_trim);
    }

    pub(crate) fn clear(&self) {
        self.request(&self.clears, Shared::take_all);
    }

    /// The pool's requests as of now, for a stash to compare with what it
    /// has seen.
    fn requests(&self) -> Requests {
        Requests {
            trims: self.trims.load(Ordering::Acquire),
            clears: self.clears.load(Ordering::Acquire),
            // The count first (Acquire): the cap read after it is at least
            // as new.
            lowered: self.value_cap.lowered(),
            max_entry_bytes: self.value_cap.max_entry_bytes::<T>(),
        }
    }

    /// A `trim()` or `clear()`: counted in `requests`, then carried out on
    /// every stash that holds anything (the caller's own too), and on the
    /// shared tier with `take`.
    fn request(&self, requests: &AtomicU64, take: impl FnOnce(&mut Shared<T>) -> Vec<Entry<T>>) {
        if thread::is_inside() {
            // Called by a global allocator from inside this pool's own
            // machinery: every stash and lock may be in use right here.
            return;
        }
        requests.fetch_add(1, Ordering::AcqRel);
        let now = self.requests();
        let mut freed = Vec::new();
        self.table.for_each(|slot| {
            if let Some(mut taken) = slot.reclaim(&now) {
                freed.append(&mut taken);
            }
        });
        // Where claims could only ask, the caller's own stash is still
        // done at once (elsewhere this finds nothing left to do).
        if let Some(mine) = self.mine() {
            self.maintain(&mine);
        }
        {
            let mut shared = self.lock_shared();
            freed.append(&mut take(&mut shared));
        }
        self.discard(None, Some(Event::Evicted), freed);
    }

    /// Frees entries the pool took out, counting them as `event` (unless
    /// already counted): their bytes leave the budget, and each is wiped and
    /// dropped, with nothing borrowed or locked.
    pub(crate) fn discard(
        &self,
        mine: Option<&Mine<'_, T>>,
        event: Option<Event>,
        entries: Vec<Entry<T>>,
    ) {
        if entries.is_empty() {
            return;
        }
        for entry in &entries {
            self.budget.release(entry.bytes);
        }
        // Counted before the drops: a drop that reads `stats()` sees them
        // gone, and one that panics leaves the rest counted too.
        if let Some(event) = event {
            self.count(mine, event, entries.len() as u64);
        }
        self.population.left(entries.len() as u64);
        Self::wipe_and_drop_all(entries.into_iter().map(|e| e.value));
    }

    /// Wipes and drops every value, even when one's drop (or wipe)
    /// panics: the others are still wiped, then the first panic goes on.
    pub(crate) fn wipe_and_drop_all(values: impl Iterator<Item = T>) {
        let mut first_panic = None;
        for value in values {
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| Self::wipe_and_drop(value))) {
                first_panic.get_or_insert(panic);
            }
        }
        if let Some(panic) = first_panic {
            resume_unwind(panic);
        }
    }

    /// Asks to be told when this thread exits, so that its stash is handed
    /// over then. If the thread is already past that point, its values
    /// simply stay in the slot for the next owner of the id (or the pool's
    /// drop).
    pub(crate) fn register_once(&self, mine: &Mine<'_, T>) {
        if self.limits.max_per_thread == 0 || !mine.needs_registration() {
            return;
        }
        // Values kept by a thread other than the creator: the pool is
        // shared, so any thread's `trim_all` may trim it.
        let this: Weak<dyn Trim> = self.this.clone();
        self.registration.used_here(&this);
        let this: Weak<dyn ThreadExit> = self.this.clone();
        if thread::on_exit(mine.owner(), this) {
            mine.registered();
        }
    }
}

impl<T: Poolable + 'static> ThreadExit for Inner<T> {
    /// The exiting thread's stash goes to the shared tier; what does not fit
    /// is dropped and counted. Runs on the exiting thread, which still holds
    /// its id (so it still owns the slot) but already takes the slow path.
    fn thread_exit(&self, owner: Owner) {
        let Some(mine) = self.table.mine(owner) else {
            return;
        };
        // What was asked before the exit is carried out first (a clear
        // the owner was only asked to do, where there is no barrier to
        // claim its stash with), and, for a learned cap, its last sizes
        // go in and what a lowered cap refuses goes out: not into the
        // shared tier, where nothing would look at it again.
        self.maintain(&mine);
        let leftover = mine.hand_over(&self.shared);
        self.discard(Some(&mine), None, leftover);
    }
}
