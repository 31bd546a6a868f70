//! What happens where threads meet: values crossing threads, thread exit,
//! a pool dropped while threads still hold stashes of it, panics, and guards
//! held across `.await` on a work-stealing runtime.
//!
//! These are the runtime's unsafe paths (the slot table, each slot's
//! owner-only cell, the guards' `ManuallyDrop` takes, the thread-exit hook)
//! driven from more than one thread, so `.ci/reliability` runs them under
//! miri too, scaled down under `cfg(miri)`; the drop counts of `Tracked`
//! check that no value is lost, leaked or dropped twice.

use pool_runtime::{OwnedPooled, Pool, PoolBuilder, Poolable, Pooled, Stats};
use pool_suite::{assert_conserved, Ledger};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;

/// Rounds of the loops below: miri runs them a few hundred times slower.
const ROUNDS: usize = if cfg!(miri) { 4 } else { 200 };

/// Counts one pool's live values, so that a lost or doubly dropped value shows.
#[derive(Default)]
struct Census {
    made: AtomicUsize,
    dropped: AtomicUsize,
}

impl Census {
    fn live(&self) -> usize {
        self.made.load(SeqCst) - self.dropped.load(SeqCst)
    }
}

/// A value that counts its drops and knows whether it was reset.
struct Tracked {
    census: Arc<Census>,
    dirty: bool,
    /// On the heap, so that miri sees a value freed twice or never.
    body: Vec<u8>,
    /// `reset` panics while this is set.
    explode: bool,
}

impl Tracked {
    fn pool(census: &Arc<Census>) -> Pool<Tracked> {
        Self::builder(census).build()
    }

    fn builder(census: &Arc<Census>) -> PoolBuilder<Tracked> {
        let census = Arc::clone(census);
        Pool::builder(move || {
            census.made.fetch_add(1, SeqCst);
            Tracked {
                census: Arc::clone(&census),
                dirty: false,
                body: Vec::new(),
                explode: false,
            }
        })
    }

    /// Checks the value is clean and marks it used.
    fn use_it(&mut self) {
        assert!(!self.dirty && self.body.is_empty(), "not reset");
        self.dirty = true;
        self.body.push(1);
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.census.dropped.fetch_add(1, SeqCst);
    }
}

impl Poolable for Tracked {
    fn reset(&mut self) {
        if self.explode {
            panic!("reset exploded");
        }
        self.dirty = false;
        self.body.clear();
    }
    fn within_caps(&self) -> bool {
        self.body.capacity() <= 64
    }
    fn retained_bytes(&self) -> usize {
        self.body.capacity()
    }
}

/// Runs `f` on a new thread and waits for it to be gone, thread-local
/// destructors (the pool's exit hook) included: `thread::scope` does not
/// wait for those, `JoinHandle::join` does.
fn on_a_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    thread::spawn(f).join().unwrap()
}

#[test]
fn an_exiting_thread_hands_its_stash_to_the_others() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::pool(&census));
    let p = Arc::clone(&pool);
    on_a_thread(move || {
        let held: Vec<_> = (0..10)
            .map(|_| {
                let mut g = p.get();
                g.use_it();
                g
            })
            .collect();
        drop(held); // into this thread's stash
    });
    let s = pool.stats();
    assert_eq!((s.created, s.retained, s.dropped), (10, 10, 0), "{s:?}");
    // This thread has no stash yet: it is served from what the other left,
    // reset.
    let again: Vec<_> = (0..10)
        .map(|_| {
            let mut g = pool.get();
            g.use_it();
            g
        })
        .collect();
    let s = pool.stats();
    assert_eq!(
        (s.created, s.reused),
        (10, 10),
        "the exited thread's stash was lost: {s:?}"
    );
    assert_conserved("with the ten held again", &s, 0, 10);
    drop(again);
    assert_conserved("after they came back", &pool.stats(), 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}

#[test]
fn what_does_not_fit_the_shared_tier_at_exit_is_dropped_and_counted() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(
        Tracked::builder(&census)
            .max_per_thread(16)
            .max_shared(4)
            .build(),
    );
    let p = Arc::clone(&pool);
    on_a_thread(move || drop((0..16).map(|_| p.get()).collect::<Vec<_>>()));
    let s = pool.stats();
    assert_eq!((s.retained, s.dropped), (4, 12), "{s:?}");
    assert_eq!(
        census.live(),
        4,
        "the twelve dropped are gone, the four kept are not"
    );
    assert_conserved("after the thread's exit", &s, 0, 0);
}

/// Drops a guard taken on another thread here, then gets again: a stash
/// hit on this thread (nothing made), and the value comes back reset.
fn return_here_and_get_again<G>(pool: &Pool<Tracked>, guard: G) {
    let before = pool.stats();
    drop(guard);
    pool.get().use_it();
    let after = pool.stats();
    assert_eq!(
        (after.created, after.reused),
        (before.created, before.reused + 1),
        "{after:?}"
    );
}

#[test]
fn a_guard_dropped_on_another_thread_lands_in_that_threads_stash() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::pool(&census));
    // A new thread each round, which may take the slot of the one before.
    for _ in 0..ROUNDS.min(20) {
        let mut guard = pool.get_owned();
        guard.use_it();
        let p = Arc::clone(&pool);
        on_a_thread(move || return_here_and_get_again(&p, guard));
    }
    assert_conserved("after the rounds", &pool.stats(), 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}

#[test]
fn a_borrowed_guard_dropped_on_another_thread_lands_in_that_threads_stash() {
    // A `Pooled` remembers the stash it came from; dropped elsewhere, it
    // must not go back there (that stash belongs to a thread still running).
    let census = Arc::new(Census::default());
    let pool = Tracked::pool(&census);
    let pool = &pool;
    for _ in 0..ROUNDS.min(20) {
        let mut guard = pool.get();
        guard.use_it();
        thread::scope(|s| {
            let returner = s.spawn(move || return_here_and_get_again(pool, guard));
            // Joined by its handle, which waits for the thread's exit hook
            // (the scope's end does not): the next round starts quiet.
            returner.join().unwrap();
        });
    }
    assert_conserved("after the rounds", &pool.stats(), 0, 0);
    assert_eq!(census.live(), pool.stats().retained);
}

#[test]
fn a_borrowed_guard_is_send_too() {
    let pool = Pool::new(|| vec![0u8; 0]);
    thread::scope(|s| {
        let mut g = pool.get();
        g.push(1);
        s.spawn(move || drop(g));
    });
    let s = pool.stats();
    assert_eq!((s.returned, s.retained), (1, 1));
    assert!(pool.get().is_empty());
}

#[test]
fn a_producer_reuses_what_a_consumer_returned() {
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(4096)));
    let (tx, rx) = mpsc::sync_channel::<Vec<OwnedPooled<Vec<u8>>>>(2);
    let consumer = thread::spawn(move || {
        for batch in rx {
            drop(batch); // the returns land on this thread
        }
    });
    let rounds = if cfg!(miri) { 8 } else { 200 };
    for _ in 0..rounds {
        let batch: Vec<_> = (0..64)
            .map(|_| {
                let mut b = pool.get_owned();
                b.extend_from_slice(&[1; 512]);
                b
            })
            .collect();
        tx.send(batch).unwrap();
    }
    drop(tx);
    consumer.join().unwrap();
    let s = pool.stats();
    // Without the shared tier the producer would make every value: 12,800.
    // With it, only what is in flight at once (a few batches) is ever made.
    assert!(s.created <= 64 * 8, "{s:?}");
    assert_eq!(s.created + s.reused, rounds * 64);
    assert_conserved("after the batches", &s, 0, 0);
}

/// A value that knows its identity, to catch any value handed to two guards.
#[derive(Poolable)]
struct Tagged {
    #[pool(skip)]
    id: u32,
    scribble: u64,
}

#[test]
fn no_value_is_ever_held_by_two_guards() {
    const THREADS: usize = 3;
    let iterations = if cfg!(miri) { 50 } else { 20_000 };
    // At most one value made per get.
    let ledger = Arc::new(Ledger::new(THREADS * iterations));
    let l = Arc::clone(&ledger);
    let pool = Arc::new(
        Pool::builder(move || Tagged {
            id: l.new_id(),
            scribble: 0,
        })
        .max_per_thread(4)
        .max_shared(8)
        .build(),
    );
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (pool, ledger) = (Arc::clone(&pool), Arc::clone(&ledger));
            thread::spawn(move || {
                let mut held = Vec::new();
                for i in 0..iterations {
                    let mut g = pool.get_owned();
                    assert_eq!(g.scribble, 0, "handed out without a reset");
                    ledger.check_out(g.id);
                    g.scribble = (t * 1_000_000 + i) as u64;
                    held.push(g);
                    if held.len() > (i * 7 + t) % 6 {
                        for g in held.drain(..) {
                            ledger.check_in(g.id);
                        }
                    }
                }
                for g in held {
                    ledger.check_in(g.id);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = pool.stats();
    assert_conserved("after the threads", &s, 0, 0);
    assert_eq!(s.created, ledger.issued());
}

// Panics, teardown, trims and clears asked from elsewhere, and the ends of
// a value's and a pool's life.
mod lifetimes;
