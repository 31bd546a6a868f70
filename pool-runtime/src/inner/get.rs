//! The get path, top to bottom: a pop from the calling thread's stash
//! (inline), then everything it declines: maintenance, a refill from the
//! shared tier, chaos mode's gets, the factory.

use super::Inner;
use crate::checks::Chaos;
use crate::per_thread::thread;
use crate::per_thread::{Home, Mine};
use crate::poolable::Poolable;
use crate::stash::Entry;
use crate::stats::Event;
use core::panic::Location;

impl<T: Poolable + 'static> Inner<T> {
    /// The get path: a pop from this thread's stash, else `take_slow`. Also
    /// says where the value was taken, so that its guard can skip the slot
    /// lookup when it is dropped on the same thread.
    /// `at`: the caller of `get`, for `track_outstanding`'s samples; a
    /// constant where `get` is inlined, and passed on only off the fast path.
    #[inline(always)]
    pub(crate) fn take(&self, at: &'static Location<'static>) -> (T, Option<Home<T>>) {
        if let Some(mine) = self.table.mine_near() {
            if let Some(entry) = mine.pop() {
                return self.hand_out(entry, mine);
            }
        }
        self.take_general(at)
    }

    /// A thread whose id is past what the inline lookup reaches takes the
    /// same pop after a longer lookup; everything else goes on to `take_slow`.
    /// Cold, so that the caller's inline pop keeps its registers (measured:
    /// without it, passing `at` here cost the inline get+drop of `tiny`
    /// four instructions); the pop inside is inline all the same.
    #[cold]
    #[inline(never)]
    fn take_general(&self, at: &'static Location<'static>) -> (T, Option<Home<T>>) {
        if let Some(mine) = self.mine() {
            if let Some(entry) = mine.pop() {
                return self.hand_out(entry, mine);
            }
        }
        self.take_slow(at)
    }

    /// A value leaves the pool, with its home.
    #[inline(always)]
    fn hand_out(&self, entry: Entry<T>, mine: Mine<'_, T>) -> (T, Option<Home<T>>) {
        self.budget.release(entry.bytes);
        (entry.value, Some(mine.home()))
    }

    /// Everything `take` declined: maintenance first, then the stash again,
    /// then a batch from the shared tier, then the factory; and, while
    /// checkouts are sampled, the sample.
    #[cold]
    #[inline(never)]
    fn take_slow(&self, at: &'static Location<'static>) -> (T, Option<Home<T>>) {
        if thread::is_inside() {
            return (self.take_inside(), None);
        }
        let Some(mine) = self.mine_or_make() else {
            return (self.take_without_slot(), None);
        };
        let stepped_aside = mine.maintenance_due();
        if stepped_aside {
            self.maintain(&mine);
        }
        let (value, home) = self.take_here(mine);
        match &self.checks.track {
            Some(track) if track.samples(stepped_aside) => (value, Some(track.sample(at, home))),
            _ => (value, home),
        }
    }

    /// The get on the calling thread's slot, maintenance done.
    fn take_here(&self, mine: Mine<'_, T>) -> (T, Option<Home<T>>) {
        if let Some(chaos) = &self.checks.chaos {
            return self.take_chaotic(mine, chaos);
        }
        let entry = match mine.pop() {
            Some(entry) => Some(entry),
            None if self.shared.may_have_values() => {
                // A refill gives the stash storage: it must be handed over
                // when the thread exits.
                self.register_once(&mine);
                mine.refill(&self.shared, self.batch)
            }
            None => None,
        };
        if let Some(entry) = entry {
            return self.hand_out(entry, mine);
        }
        let value = self.make_counted();
        mine.count(Event::Created, 1);
        (value, Some(mine.home()))
    }

    /// A get in chaos mode: now and then the factory although a value was
    /// there, else a value from anywhere in the shared tier.
    #[cold]
    fn take_chaotic(&self, mine: Mine<'_, T>, chaos: &Chaos) -> (T, Option<Home<T>>) {
        let entry = if chaos.misses_get() {
            None
        } else {
            let mut shared = self.lock_shared();
            let len = shared.len() as u64;
            (len > 0)
                .then(|| shared.pop_at((chaos.next() % len) as usize))
                .flatten()
        };
        if let Some(entry) = entry {
            self.budget.release(entry.bytes);
            mine.reused_elsewhere();
            return (entry.value, Some(mine.home()));
        }
        let value = self.make_counted();
        mine.count(Event::Created, 1);
        (value, Some(mine.home()))
    }

    /// A get on a thread with no slot (it is exiting): the shared tier or
    /// the factory, counted in the pool's own counters.
    fn take_without_slot(&self) -> T {
        let entry = { self.lock_shared().pop() };
        if let Some(entry) = entry {
            self.counters.bump_shared(Event::Reused, 1);
            self.budget.release(entry.bytes);
            return entry.value;
        }
        let value = self.make_counted();
        self.counters.bump_shared(Event::Created, 1);
        value
    }

    /// A get from inside the pool's own machinery (a global allocator that
    /// uses this pool, called while a stash's section or the shared tier's
    /// lock is held): the factory, touching no stash and no lock.
    #[cold]
    fn take_inside(&self) -> T {
        let value = self.make_counted();
        self.counters.bump_shared(Event::Created, 1);
        value
    }

    /// A value from the factory for a checkout: it starts to count in the
    /// pool's population.
    fn make_counted(&self) -> T {
        let value = self.make();
        self.population.arrived();
        value
    }

    /// A value from the factory, reset once so that it is in the state every
    /// later checkout sees (a `#[pool(reset = …)]` field holds its value).
    /// A learned cap never falls below what it keeps (`value_cap.rs`).
    pub(crate) fn make(&self) -> T {
        let mut value = (self.factory)();
        value.reset();
        if self.value_cap.learns() {
            self.value_cap.saw_fresh(value.retained_bytes());
        }
        value
    }
}
