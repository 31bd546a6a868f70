//! Unit tests of every unsafe path of the runtime, small enough for miri:
//! `MIRIFLAGS=-Zmiri-strict-provenance cargo +nightly miri test -p pool-runtime --lib`.
//!
//! The slot table (raw bucket pointers), the owner-only `UnsafeCell` of each
//! slot, the guards' `ManuallyDrop` takes and the thread-exit hook are each
//! driven from more than one thread here; miri checks the accesses, and the
//! drop counts check that no value is lost, leaked or dropped twice.

use crate::{OwnedPooled, Pool, Poolable, Pooled, Stats};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Barrier};
use std::thread;

/// Rounds of the loops below: miri runs them a few hundred times slower.
const ROUNDS: usize = if cfg!(miri) { 4 } else { 200 };

/// Counts live values, so that a lost or doubly dropped value shows.
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
    body: Vec<u8>,
    /// `reset` panics while this is set.
    explode: bool,
}

impl Tracked {
    fn pool(census: &Arc<Census>) -> Pool<Tracked> {
        Self::builder(census).build()
    }

    fn builder(census: &Arc<Census>) -> crate::PoolBuilder<Tracked> {
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

fn assert_conserved(s: &Stats, puts: u64, live: u64) {
    assert_eq!(
        s.created + puts,
        live + s.retained as u64 + s.rejected + s.dropped + s.evicted + s.detached,
        "{s:?}"
    );
}

/// Runs `f` on a new thread and waits for it to be gone, thread-local
/// destructors (the pool's exit hook) included: `thread::scope` does not
/// wait for those, `JoinHandle::join` does.
fn on_a_thread(f: impl FnOnce() + Send + 'static) {
    thread::spawn(f).join().unwrap();
}

#[test]
fn threads_racing_to_make_the_same_bucket_all_get_a_slot() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::builder(&census).max_per_thread(4).build());
    // No thread has used the pool: all three race to allocate the bucket
    // of their ids (ids below 8 share the first one).
    let start = Arc::new(Barrier::new(3));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (pool, start) = (Arc::clone(&pool), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                for _ in 0..ROUNDS {
                    let mut a = pool.get();
                    a.use_it();
                    let mut b = pool.get();
                    b.use_it();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = pool.stats();
    assert_eq!(s.returned, 3 * 2 * ROUNDS as u64);
    assert_conserved(&s, 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}

#[test]
fn an_exiting_thread_hands_its_stash_to_the_others() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::builder(&census).max_per_thread(8).build());
    let p = Arc::clone(&pool);
    on_a_thread(move || {
        let held: Vec<_> = (0..5).map(|_| p.get()).collect();
        drop(held); // five in this thread's stash until it exits
    });
    let s = pool.stats();
    assert_eq!((s.created, s.retained, s.dropped), (5, 5, 0));
    let held: Vec<_> = (0..5)
        .map(|_| {
            let mut g = pool.get();
            g.use_it();
            g
        })
        .collect();
    assert_eq!(
        pool.stats().created,
        5,
        "the exited thread's stash was lost"
    );
    assert_eq!(pool.stats().reused, 5);
    drop(held);
    assert_conserved(&pool.stats(), 0, 0);
}

#[test]
fn an_exiting_thread_drops_what_the_shared_tier_cannot_take() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(
        Tracked::builder(&census)
            .max_per_thread(8)
            .max_shared(2)
            .build(),
    );
    let p = Arc::clone(&pool);
    on_a_thread(move || drop((0..6).map(|_| p.get()).collect::<Vec<_>>()));
    let s = pool.stats();
    assert_eq!((s.retained, s.dropped), (2, 4), "{s:?}");
    assert_eq!(census.live(), 2);
    assert_conserved(&s, 0, 0);
}

#[test]
fn a_guard_dropped_on_another_thread_goes_to_that_threads_stash() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::pool(&census));
    for _ in 0..ROUNDS.min(20) {
        let mut owned = pool.get_owned();
        owned.use_it();
        let mut borrowed = pool.get();
        borrowed.use_it();
        thread::scope(|s| {
            s.spawn(move || drop(borrowed));
        });
        thread::spawn(move || drop(owned)).join().unwrap();
    }
    let s = pool.stats();
    assert_conserved(&s, 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}

#[test]
fn a_guard_outlives_the_thread_that_took_it() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::pool(&census));
    let p = Arc::clone(&pool);
    let guard = thread::spawn(move || {
        let mut g = p.get_owned();
        g.use_it();
        drop(p.get()); // this thread's stash holds one too
        g
    })
    .join()
    .unwrap();
    // The taker has exited: its stash went to the shared tier.
    let p = Arc::clone(&pool);
    thread::spawn(move || {
        drop(guard);
        let mut again = p.get();
        again.use_it();
    })
    .join()
    .unwrap();
    let s = pool.stats();
    assert_eq!(s.created, 2, "{s:?}");
    assert_conserved(&s, 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}

type LateGuard = core::cell::RefCell<Option<OwnedPooled<Tracked>>>;

thread_local! {
    // Thread-local destructors run in reverse order of first use: the one
    // touched before the pool outlives the thread's pool hook, the other not.
    static BEFORE_POOL: LateGuard = const { core::cell::RefCell::new(None) };
    static AFTER_POOL: LateGuard = const { core::cell::RefCell::new(None) };
}

#[test]
fn a_guard_dropped_during_thread_teardown_lands_safely_and_reset() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::builder(&census).max_per_thread(4).build());
    let p = Arc::clone(&pool);
    thread::spawn(move || {
        BEFORE_POOL.with(|late| late.borrow_mut().take());
        let mut first = p.get_owned(); // registers the thread with the pool
        first.use_it();
        let mut second = p.get_owned();
        second.use_it();
        // Dropped by the thread-local destructors, one before and one after
        // the pool's thread-exit hook (when the thread has no stash left).
        BEFORE_POOL.with(|late| *late.borrow_mut() = Some(first));
        AFTER_POOL.with(|late| *late.borrow_mut() = Some(second));
    })
    .join()
    .unwrap();
    let s = pool.stats();
    assert_eq!((s.returned, s.retained), (2, 2), "{s:?}");
    assert_conserved(&s, 0, 0);
    // Both came back reset, whichever way they went.
    let mut a = pool.get();
    a.use_it();
    let mut b = pool.get();
    b.use_it();
    assert_eq!(pool.stats().created, 2);
    drop((a, b));
    drop(pool);
    assert_eq!(census.live(), 0);
}

#[test]
fn detach_takes_the_value_out_for_good() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::pool(&census));
    let mut g = pool.get();
    g.use_it();
    let kept: Tracked = Pooled::detach(g);
    assert!(kept.dirty, "detach does not reset");
    let mut o = pool.get_owned();
    o.use_it();
    assert_eq!(Arc::strong_count(&pool), 2);
    let kept_owned: Tracked = OwnedPooled::detach(o);
    assert_eq!(Arc::strong_count(&pool), 1, "detach released the pool");
    let s = pool.stats();
    assert_eq!((s.detached, s.returned, s.retained), (2, 0, 0));
    assert_conserved(&s, 0, 0);
    assert_eq!(census.live(), 2);
    drop((kept, kept_owned));
    assert_eq!(census.live(), 0);
}

#[test]
fn clear_and_trim_from_another_thread_reach_every_stash() {
    let census = Arc::new(Census::default());
    let pool = Tracked::builder(&census).max_per_thread(8).build();
    drop((0..6).map(|_| pool.get()).collect::<Vec<_>>());
    assert_eq!(pool.stats().retained, 6);
    // Two trims elsewhere: this stash sat idle through both.
    thread::scope(|s| {
        s.spawn(|| {
            pool.trim();
            pool.trim();
        });
    });
    // Carried out at this thread's next use.
    let mut g = pool.get();
    g.use_it();
    drop(g);
    let s = pool.stats();
    assert!(s.evicted >= 5, "{s:?}");
    assert_conserved(&s, 0, 0);
    drop((0..4).map(|_| pool.get()).collect::<Vec<_>>());
    thread::scope(|s| {
        s.spawn(|| pool.clear());
    });
    drop(pool.get());
    let s = pool.stats();
    assert!(s.retained <= 1, "{s:?}");
    assert_conserved(&s, 0, 0);
    assert_eq!(census.live(), s.retained);
}

#[test]
fn dropping_the_pool_frees_values_in_every_live_stash() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::builder(&census).max_per_thread(8).build());
    let filled = Arc::new(Barrier::new(4));
    let dropped = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (pool, filled, dropped) = (Arc::clone(&pool), filled.clone(), dropped.clone());
            thread::spawn(move || {
                drop((0..3).map(|_| pool.get()).collect::<Vec<_>>());
                drop(pool);
                filled.wait(); // three values in this live thread's stash
                dropped.wait(); // the pool is gone; exit finds nothing to do
            })
        })
        .collect();
    drop((0..2).map(|_| pool.get()).collect::<Vec<_>>());
    filled.wait();
    assert_eq!(census.live(), 11);
    drop(pool);
    assert_eq!(census.live(), 0, "Inner::drop freed every stash");
    dropped.wait();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(census.dropped.load(SeqCst), 11);
}

#[test]
fn a_panicking_reset_drops_that_value_and_the_pool_goes_on() {
    let census = Arc::new(Census::default());
    let pool = Tracked::pool(&census);
    let mut g = pool.get();
    g.explode = true;
    let panic = catch_unwind(AssertUnwindSafe(|| drop(g)));
    assert!(panic.is_err(), "the reset's panic reaches the caller");
    let s = pool.stats();
    assert_eq!((s.dropped, s.retained), (1, 0));
    assert_eq!(census.live(), 0);
    // A panic while a guard is held still returns (and resets) the value.
    let held = catch_unwind(AssertUnwindSafe(|| {
        let mut g = pool.get();
        g.use_it();
        panic!("user code panicked");
    }));
    assert!(held.is_err());
    assert_eq!(pool.stats().retained, 1);
    pool.get().use_it();
    // A reset that panics while already unwinding does not abort.
    let both = catch_unwind(AssertUnwindSafe(|| {
        let mut g = pool.get();
        g.explode = true;
        panic!("user code panicked");
    }));
    assert!(both.is_err());
    let s = pool.stats();
    assert_eq!(s.dropped, 2, "{s:?}");
    assert_conserved(&s, 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}

#[test]
fn over_cap_values_are_rejected_on_any_thread() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::builder(&census).max_bytes(256).build());
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let pool = Arc::clone(&pool);
            thread::spawn(move || {
                for i in 0..ROUNDS {
                    let mut g = pool.get();
                    g.use_it();
                    if (i + t) % 3 == 0 {
                        g.body.reserve(1000);
                    }
                }
            })
        })
        .collect();
    // Joined, not scoped: the threads' exit hand-over is done before `stats`.
    for t in threads {
        t.join().unwrap();
    }
    let s = pool.stats();
    assert!(s.rejected > 0);
    assert!(s.retained_bytes <= 256, "{s:?}");
    assert_conserved(&s, 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}
