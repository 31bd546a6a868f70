//! The return path of guards and `put`, top to bottom: the guard dropped
//! on its own thread first (inline), then everything it declines. The
//! user's cap check and reset run here, between the guard's drop and the
//! stash, with nothing borrowed and no lock held.

use super::Inner;
use crate::per_thread::thread;
use crate::per_thread::{Home, Mine, NO_HOME};
use crate::poolable::Poolable;
use crate::stash::{entry_bytes, Entry};
use crate::stats::Event;
use core::any::Any;
use core::mem::ManuallyDrop;
use core::panic::AssertUnwindSafe;
use std::panic::{catch_unwind, resume_unwind};

impl<T: Poolable + 'static> Inner<T> {
    /// The return path of guards and `put`: cap check, reset, then this
    /// thread's stash, else the shared tier, else drop; each counted. The
    /// common case (a guard dropped on the thread that got it, no byte
    /// budget nor per-value cap, the stash with room) is inline, and everything
    /// else leaves it through as few calls as can be: the compiler keeps a
    /// guard's drop inline only while it stays small.
    #[inline(always)]
    pub(crate) fn give_back(&self, value: T, home: Option<Home<T>>) {
        // SAFETY: `home` came from this pool's table (the guard that held it
        // was made by this pool), and `&self` keeps the pool alive.
        let mine = home.and_then(|home| unsafe { home.claim() });
        let Some(mine) = mine.filter(|_| !self.slow_return) else {
            return self.give_back_slow(value, mine, home.map_or(NO_HOME, Home::tid));
        };
        let mut value = value;
        match ready_for_return(&mut value) {
            Readied::Keep(bytes) => {
                if let Err(entry) = mine.push(Entry { value, bytes }) {
                    self.push_slow(mine, entry);
                }
            }
            Readied::OverCap => self.reject(Some(&mine), value),
            Readied::Panicked(panic) => self.reset_panicked(value, Some(&mine), panic),
        }
    }

    /// What the inline return declined: bytes to check (a budget or a
    /// per-value cap), a sampled guard (its home a ticket), or no slot of
    /// this thread's at hand. `tid`: the thread id of the guard's home, or
    /// `NO_HOME` (one word, not the home: the inline return stays smaller);
    /// a guard with a home that is not this thread's travelled.
    #[cold]
    #[inline(never)]
    fn give_back_slow(&self, value: T, mine: Option<Mine<'_, T>>, tid: usize) {
        if let Some(mine) = mine {
            return self.give_back_to(&mine, value);
        }
        if thread::is_inside() {
            // A global allocator that uses this pool, called from inside
            // the pool's machinery: no stash or lock may be touched here,
            // so the value goes (a sampled guard's ticket stays out).
            self.count_returned(None, Event::DroppedFull);
            return self.discard_value(value);
        }
        let Some(ticket) = Home::<T>::ticket_of(tid) else {
            return self.give_back_elsewhere(value, tid != NO_HOME);
        };
        let home = self.end_sample(ticket);
        // SAFETY: as in `give_back`: the sample kept a home from this
        // pool's table, and `&self` keeps the pool alive.
        match home.and_then(|home| unsafe { home.claim() }) {
            Some(mine) => self.give_back_to(&mine, value),
            None => self.give_back_elsewhere(value, home.is_some()),
        }
    }

    /// A sampled guard came back or was detached: its sample ends, and the
    /// home it stood for is returned.
    #[cold]
    pub(crate) fn end_sample(&self, ticket: usize) -> Option<Home<T>> {
        self.checks.track.as_ref()?.end_sample(ticket)
    }

    /// The return path for a guard dropped on another thread (`remote`), or
    /// for `put`.
    #[cold]
    #[inline(never)]
    fn give_back_elsewhere(&self, value: T, remote: bool) {
        let mine = self.mine_or_make();
        if remote {
            self.count(mine.as_ref(), Event::ReturnedRemote, 1);
        }
        if let Some(mine) = mine {
            return self.give_back_to(&mine, value);
        }
        let Some(entry) = self.admit(value, None) else {
            return;
        };
        let refused = { self.lock_shared().push_growing(entry) };
        match refused {
            Ok(()) => self.counters.bump_shared(Event::Returned, 1),
            Err(entry) => self.refuse(None, entry, Event::DroppedFull),
        }
    }

    /// The return path into the calling thread's own slot.
    fn give_back_to(&self, mine: &Mine<'_, T>, value: T) {
        if let Some(entry) = self.admit(value, Some(mine)) {
            if let Err(entry) = mine.push(entry) {
                self.push_slow(*mine, entry);
            }
        }
        // Refused values count too: a cap that only saw what it kept could
        // never rise.
        if self.value_cap.learns() && mine.sizes_due() {
            self.maintain(mine);
        }
    }

    /// The stash had no storage free: maintenance if it is due (a full
    /// stash is where a put-only consumer thread passes), the exit hook on
    /// first use, then the stash grows, or overflows to the shared tier.
    #[cold]
    #[inline(never)]
    fn push_slow(&self, mine: Mine<'_, T>, entry: Entry<T>) {
        let mine = &mine;
        if mine.maintenance_due() {
            // What maintenance frees is dropped here, and a drop may panic:
            // the value on its way in is then accounted for, not lost.
            let flight = InFlight::new(entry.value, entry.bytes, self, *mine);
            self.maintain(mine);
            let (value, bytes) = flight.land();
            // The maintenance may have lowered a learned cap under this
            // value, which passed the one before: it is refused now, as it
            // would be a moment later.
            if self.value_cap.learns() && !self.value_cap.admits::<T>(bytes) {
                return self.refuse(Some(mine), Entry { value, bytes }, Event::Rejected);
            }
            return self.push_after_maintenance(mine, Entry { value, bytes });
        }
        self.push_after_maintenance(mine, entry);
    }

    fn push_after_maintenance(&self, mine: &Mine<'_, T>, entry: Entry<T>) {
        self.register_once(mine);
        if let Err(entry) = mine.push_or_spill(entry, &self.shared, self.batch) {
            self.refuse(Some(mine), entry, Event::DroppedFull);
        }
    }

    /// Cap check and reset (user code), the size recorded for a learned
    /// cap, the per-value cap, the opt-in checks (user code too) and the byte budget, in that order, with
    /// nothing borrowed: the value as an entry ready to keep, or `None` once
    /// it was dropped (and counted).
    fn admit(&self, mut value: T, mine: Option<&Mine<'_, T>>) -> Option<Entry<T>> {
        // What the use needed, for a learned cap: read before the reset
        // clears it, and recorded even for a value over its caps.
        let learner = mine.filter(|_| self.value_cap.learns());
        let readied = ready_for_return_noting(&mut value, |value| {
            if let Some(mine) = learner {
                mine.record_size(value.used_bytes());
            }
        });
        let bytes = match readied {
            Readied::Keep(bytes) => bytes,
            Readied::OverCap => {
                self.reject(mine, value);
                return None;
            }
            Readied::Panicked(panic) => {
                self.reset_panicked(value, mine, panic);
                return None;
            }
        };
        if !self.value_cap.admits::<T>(bytes) {
            self.reject(mine, value);
            return None;
        }
        let value = if self.checks.any() {
            self.opt_in_checks(value, mine)?
        } else {
            value
        };
        if !self.budget.reserve(bytes) {
            // Nothing was reserved, so nothing is given back.
            self.refuse(mine, Entry { value, bytes: 0 }, Event::DroppedBudget);
            return None;
        }
        Some(Entry { value, bytes })
    }

    /// The opt-in checks (`checks.rs`), on a value just reset: the audit against
    /// a fresh value, then chaos's random drop and poisoning. `None` once
    /// the value was dropped (and counted); a failed audit then panics.
    #[cold]
    #[inline(never)]
    fn opt_in_checks(&self, mut value: T, mine: Option<&Mine<'_, T>>) -> Option<T> {
        if let Some(audit) = &self.checks.audit {
            // The factory, `eq` and `Debug` are user code: under the same
            // catch as the reset, with nothing borrowed.
            let verdict = catch_unwind(AssertUnwindSafe(|| audit(&value, &self.make())));
            match verdict {
                Ok(None) => {}
                Ok(Some(difference)) => {
                    self.count_returned(mine, Event::DroppedPanicked);
                    self.discard_value(value);
                    if !std::thread::panicking() {
                        panic!("{difference}");
                    }
                    return None;
                }
                Err(panic) => {
                    self.reset_panicked(value, mine, panic);
                    return None;
                }
            }
        }
        if let Some(chaos) = &self.checks.chaos {
            if chaos.drops_return() {
                self.count_returned(mine, Event::DroppedFull);
                self.discard_value(value);
                return None;
            }
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| value.poison_spare())) {
                self.reset_panicked(value, mine, panic);
                return None;
            }
        }
        Some(value)
    }

    /// One of the user's methods panicked: the value may be half-reset, so
    /// it is dropped (counted as `dropped`), and the panic goes on to the
    /// caller, unless the thread is already unwinding (a guard dropped by a
    /// panic), where a second panic would abort.
    #[cold]
    #[inline(never)]
    fn reset_panicked(&self, value: T, mine: Option<&Mine<'_, T>>, panic: Box<dyn Any + Send>) {
        self.count_returned(mine, Event::DroppedPanicked);
        self.discard_value(value);
        if !std::thread::panicking() {
            resume_unwind(panic);
        }
    }

    /// A value over its caps is dropped, never pooled.
    #[cold]
    #[inline(never)]
    fn reject(&self, mine: Option<&Mine<'_, T>>, value: T) {
        self.count_returned(mine, Event::Rejected);
        self.discard_value(value);
    }

    /// A value the pool has no room for (`cause`: count or bytes) is
    /// dropped. `entry.bytes` is what it holds of the byte budget, given
    /// back here.
    #[cold]
    #[inline(never)]
    pub(crate) fn refuse(&self, mine: Option<&Mine<'_, T>>, entry: Entry<T>, cause: Event) {
        self.budget.release(entry.bytes);
        self.count_returned(mine, cause);
        self.discard_value(entry.value);
    }

    /// Counts a return and what became of the value, together.
    fn count_returned(&self, mine: Option<&Mine<'_, T>>, event: Event) {
        match mine {
            Some(mine) => mine.returned_not_kept(event),
            None => {
                self.counters.bump_shared(Event::Returned, 1);
                self.counters.bump_shared(event, 1);
            }
        }
    }
}

/// What [`ready_for_return`] found.
enum Readied {
    /// Reset, and within its caps: kept at these bytes.
    Keep(usize),
    /// Over its caps (`within_caps` said so): not reset, to be dropped.
    OverCap,
    /// One of the user's methods panicked: the value may be half-reset.
    Panicked(Box<dyn Any + Send>),
}

/// The user's cap check, reset and `retained_bytes` (and, for a learned
/// cap, `used_bytes`), under one
/// `catch_unwind`: whichever panics, the value is accounted for and the pool
/// stays usable, and a guard dropped by a panic does not abort the process
/// with a second one. For a reset that cannot unwind (most: clearing
/// containers, zeroing scalars), the compiler removes the catch entirely.
#[inline(always)]
fn ready_for_return<T: Poolable>(value: &mut T) -> Readied {
    ready_for_return_noting(value, |_| {})
}

/// [`ready_for_return`], with `note` shown the value first, as it came
/// back.
#[inline(always)]
fn ready_for_return_noting<T: Poolable>(value: &mut T, note: impl FnOnce(&T)) -> Readied {
    let kept = catch_unwind(AssertUnwindSafe(|| {
        note(value);
        if !value.within_caps() {
            return None;
        }
        value.reset();
        Some(entry_bytes(value))
    }));
    match kept {
        Ok(Some(bytes)) => Readied::Keep(bytes),
        Ok(None) => Readied::OverCap,
        Err(panic) => Readied::Panicked(panic),
    }
}

/// A value on its way back while user code runs (the drops of what
/// maintenance frees, in `push_slow`). If that code
/// panics, the drop of this guard accounts for the value: its `bytes` leave
/// the budget, it is counted as returned and dropped, wiped and dropped.
struct InFlight<'p, T: Poolable + 'static> {
    value: ManuallyDrop<T>,
    bytes: usize,
    pool: &'p Inner<T>,
    mine: Mine<'p, T>,
}

impl<'p, T: Poolable + 'static> InFlight<'p, T> {
    fn new(value: T, bytes: usize, pool: &'p Inner<T>, mine: Mine<'p, T>) -> Self {
        InFlight {
            value: ManuallyDrop::new(value),
            bytes,
            pool,
            mine,
        }
    }

    /// The user code is done: the value and its bytes, guard disarmed.
    fn land(self) -> (T, usize) {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is taken once.
        (unsafe { ManuallyDrop::take(&mut this.value) }, this.bytes)
    }
}

impl<T: Poolable + 'static> Drop for InFlight<'_, T> {
    #[cold]
    fn drop(&mut self) {
        // SAFETY: only reached by unwinding (`land` forgets the guard), so
        // the value is taken once.
        let value = unsafe { ManuallyDrop::take(&mut self.value) };
        self.pool.budget.release(self.bytes);
        self.pool
            .count_returned(Some(&self.mine), Event::DroppedPanicked);
        self.pool.discard_value(value);
    }
}
