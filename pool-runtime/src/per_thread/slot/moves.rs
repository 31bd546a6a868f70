//! The owner's batch moves between its stash and the shared tier, its
//! share of trimming, and its stash's hand-over at thread exit: the slow
//! paths of [`Mine`]. They keep the rule of the parent module: the stash is
//! borrowed for the length of one method, and nothing that runs under the
//! borrow (or the shared tier's lock) runs user code or can panic.

use super::{Local, Mine, Slot, INTERVAL};
use crate::shared::SharedTier;
use crate::stash::Entry;
use crate::stats::Event;
use crate::sync::Ordering;

/// What `Mine::maintain` took out of the stash, for the caller to free.
pub(crate) struct Maintained<T> {
    pub(crate) evicted: Vec<Entry<T>>,
    pub(crate) interval_ended: bool,
}

/// What the pool's maintenance needs to know from the pool.
pub(crate) struct Requests {
    pub(crate) trims: u64,
    pub(crate) clears: u64,
    /// Times the learned cap went down, and the largest entry it admits.
    pub(crate) lowered: u64,
    pub(crate) max_entry_bytes: usize,
}

impl<T> Mine<'_, T> {
    /// Pulls a batch of up to `batch` values from the shared tier into the
    /// stash (or one, if the stash holds none) and pops one, counted as
    /// reused.
    pub(crate) fn refill(&self, shared: &SharedTier<T>, batch: usize) -> Option<Entry<T>> {
        let slot = self.slot;
        self.local(|l| {
            let mut shared = shared.lock_inside();
            let (moved, bytes) = shared.move_top_to(&mut l.stash, batch);
            let entry = if moved > 0 {
                slot.adjust_len(moved as i64);
                let entry = l.stash.pop();
                let out = entry.as_ref().map_or(0, |e| e.bytes);
                slot.add_bytes(bytes);
                slot.sub_bytes(out);
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
    pub(crate) fn push_or_spill(
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
            let mut shared = shared.lock_inside();
            let (moved, out) = l.stash.move_bottom_to(shared.receive(), batch);
            slot.adjust_len(-(moved as i64));
            slot.sub_bytes(out);
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
    pub(crate) fn maintain_stash(
        &self,
        requests: impl FnOnce() -> Requests,
        shared: &SharedTier<T>,
        sample_every: Option<u64>,
    ) -> Maintained<T> {
        let slot = self.slot;
        self.local(|l| {
            // Read under the section: see the store of `fast_until` below.
            let now = requests();
            let gets = slot.counters.get(Event::Reused);
            let ended = gets.wrapping_sub(l.interval_start) >= INTERVAL;
            let (mut evicted, idle) = carry_out(l, slot, &now);
            if ended {
                // Idle through the whole interval and not evicted above:
                // to the shared tier, as far as it has room.
                if idle > 0 {
                    let mut shared = shared.lock_inside();
                    let (moved, out) = l.stash.move_bottom_to(shared.receive(), idle);
                    slot.adjust_len(-(moved as i64));
                    slot.sub_bytes(out);
                    drop(shared);
                    let mut idle = l.stash.take_bottom(idle - moved);
                    slot.sub_bytes(sum_bytes(&idle));
                    evicted.append(&mut idle);
                }
                l.interval_start = gets;
                l.stash.mark();
            }
            slot.adjust_len(-(evicted.len() as i64));
            // Under the section, so a request stored meanwhile either came
            // before (its counts were read above) or comes after (its 0
            // overwrites this): none is lost.
            slot.fast_until.store(
                next_fast_until(l.interval_start, gets, sample_every),
                Ordering::Relaxed,
            );
            Maintained {
                evicted,
                interval_ended: ended,
            }
        })
    }

    /// The thread is exiting: its stash goes to the shared tier; what does
    /// not fit comes back, counted as dropped, for the caller to free.
    pub(crate) fn hand_over(&self, shared: &SharedTier<T>) -> Vec<Entry<T>> {
        let slot = self.slot;
        self.local(|l| {
            l.registered = false;
            // Nothing on this thread will look at the slot again: the next
            // owner of the id starts with a maintenance.
            slot.fast_until.store(0, Ordering::Relaxed);
            let mut shared = shared.lock_inside();
            let (moved, _) = l.stash.move_bottom_to(shared.receive(), l.stash.len());
            slot.adjust_len(-(moved as i64));
            let leftover = l.stash.take_all();
            slot.adjust_len(-(leftover.len() as i64));
            // All under the lock, so that `stats()` sees each value once:
            // in the stash before, in the shared tier or dropped after.
            slot.counters
                .bump_owned(Event::DroppedFull, leftover.len() as u64);
            slot.bytes.store(0, Ordering::Relaxed);
            drop(shared);
            leftover
        })
    }
}

impl<T> Slot<T> {
    /// Carries out `now` on this slot's stash from any thread, the owner's
    /// included, without the owner's help (`access.rs`): what it frees
    /// comes back, for the caller to drop. `None` when the stash held
    /// nothing, or the owner could only be asked.
    pub(crate) fn reclaim(&self, now: &Requests) -> Option<Vec<Entry<T>>> {
        self.claim(|l| {
            let (evicted, _) = carry_out(l, self, now);
            // Not `adjust`: the owner writes that outside its sections.
            self.reclaimed
                .fetch_add(evicted.len() as u64, Ordering::Relaxed);
            evicted
        })
    }
}

/// The requests of `now` that the stash has not seen: what a lowered cap
/// refuses, then what the trims and clears free, from the bottom. Returns
/// what it took out (their bytes already subtracted, the length not yet
/// corrected) and how many idle entries are left.
fn carry_out<T>(l: &mut Local<T>, slot: &Slot<T>, now: &Requests) -> (Vec<Entry<T>>, usize) {
    // First what a lowered cap refuses now, so that the idle counts below
    // are of what stays.
    // A reclaimer read `now` before it claimed the stash, so it may be
    // older than what the stash has seen: the counts only go up, and what
    // was seen stays seen.
    let mut taken = Vec::new();
    if now.lowered > l.seen_lowered {
        taken = l.stash.take_over(now.max_entry_bytes);
        slot.sub_bytes(sum_bytes(&taken));
        l.seen_lowered = now.lowered;
    }
    let trims = now.trims.saturating_sub(l.seen_trims);
    let cleared = now.clears > l.seen_clears;
    let idle = l.stash.idle();
    let evict = if cleared || trims >= 2 {
        l.stash.len()
    } else if trims == 1 {
        idle
    } else {
        0
    };
    if cleared || trims > 0 {
        let mut trimmed = l.stash.take_bottom(evict);
        slot.sub_bytes(sum_bytes(&trimmed));
        taken.append(&mut trimmed);
        l.stash.mark();
    }
    l.seen_trims = l.seen_trims.max(now.trims);
    l.seen_clears = l.seen_clears.max(now.clears);
    (taken, idle.saturating_sub(evict))
}

/// The bytes a batch of entries was counted at.
fn sum_bytes<T>(entries: &[Entry<T>]) -> usize {
    entries
        .iter()
        .fold(0usize, |sum, e| sum.wrapping_add(e.bytes))
}

/// Where the fast get next steps aside (`fast_until`): at the end of the interval
/// that began at `start`, or, while checkouts are sampled
/// (`track_outstanding`), at the next sample if that comes first: `gets`
/// is `reused` before the get now in progress, so `every - 1` pops pass
/// before the next get comes to the slow path.
pub(crate) fn next_fast_until(start: u64, gets: u64, sample_every: Option<u64>) -> u64 {
    let end = start.saturating_add(INTERVAL);
    match sample_every {
        Some(every) => end.min(gets.saturating_add(every)),
        None => end,
    }
}
