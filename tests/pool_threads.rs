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

#[test]
fn a_panic_while_a_guard_is_held_still_returns_the_value_reset() {
    let pool = Pool::new(Vec::<u8>::new);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut g = pool.get();
        g.extend_from_slice(b"half-written secret");
        panic!("handler failed");
    }));
    assert!(result.is_err());
    let s = pool.stats();
    assert_eq!((s.returned, s.retained), (1, 1));
    let g = pool.get();
    assert!(g.is_empty() && g.capacity() >= 19);
}

#[test]
fn a_panic_inside_reset_drops_that_value_and_the_pool_goes_on() {
    let census = Arc::new(Census::default());
    let pool = Tracked::pool(&census);
    // After the get: a value from the factory is reset once when made.
    let mut g = pool.get();
    g.use_it();
    g.explode = true;
    let result = catch_unwind(AssertUnwindSafe(|| drop(g)));
    assert!(result.is_err(), "the panic reaches the guard's owner");
    let s = pool.stats();
    assert_eq!((s.returned, s.dropped, s.retained), (1, 1, 0), "{s:?}");
    assert_eq!(
        census.live(),
        0,
        "the value whose reset panicked is dropped"
    );
    // Still usable, and the half-reset value never comes back.
    pool.get().use_it();
    assert_eq!(pool.stats().retained, 1);
    // A reset that panics while already unwinding does not abort.
    let both = catch_unwind(AssertUnwindSafe(|| {
        let mut g = pool.get();
        g.use_it();
        g.explode = true;
        panic!("user code panicked");
    }));
    assert!(both.is_err());
    let s = pool.stats();
    assert_eq!((s.returned, s.dropped, s.retained), (3, 2, 0), "{s:?}");
    assert_conserved("after both panics", &s, 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}

type LateGuard = RefCell<Option<OwnedPooled<Tracked>>>;

thread_local! {
    // Thread-local destructors run in reverse order of first use: the one
    // touched before the pool outlives the thread's pool hook, the other not.
    static BEFORE_POOL: LateGuard = const { RefCell::new(None) };
    static AFTER_POOL: LateGuard = const { RefCell::new(None) };
}

#[test]
fn a_guard_dropped_during_thread_teardown_lands_safely_and_reset() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::builder(&census).max_per_thread(4).build());
    let p = Arc::clone(&pool);
    on_a_thread(move || {
        BEFORE_POOL.with(|late| late.borrow_mut().take());
        let mut first = p.get_owned(); // registers the thread with the pool
        first.use_it();
        let mut second = p.get_owned();
        second.use_it();
        // Dropped by the thread-local destructors, one before and one after
        // the pool's thread-exit hook (when the thread has no stash left).
        BEFORE_POOL.with(|late| *late.borrow_mut() = Some(first));
        AFTER_POOL.with(|late| *late.borrow_mut() = Some(second));
    });
    let s = pool.stats();
    assert_eq!((s.returned, s.retained), (2, 2), "{s:?}");
    assert_conserved("after the thread's teardown", &s, 0, 0);
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

/// Leaves `idle` values in a worker thread's stash, runs `ask` on this
/// thread while that stash sits idle, then has the worker use the pool once
/// more: that use carries out what was asked. The stats once it has exited.
fn asked_elsewhere(
    pool: &Arc<Pool<Tracked>>,
    idle: usize,
    ask: impl FnOnce(&Pool<Tracked>),
) -> Stats {
    let (go, wait) = mpsc::channel::<()>();
    let (done, filled) = mpsc::channel::<()>();
    let p = Arc::clone(pool);
    let worker = thread::spawn(move || {
        drop((0..idle).map(|_| p.get()).collect::<Vec<_>>());
        done.send(()).unwrap();
        wait.recv().unwrap();
        p.get().use_it(); // its next use carries out what was asked first
    });
    filled.recv().unwrap();
    ask(pool);
    go.send(()).unwrap();
    worker.join().unwrap();
    pool.stats()
}

#[test]
fn clear_from_another_thread_reaches_an_idle_stash_at_its_next_use() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::pool(&census));
    let s = asked_elsewhere(&pool, 5, Pool::clear);
    assert_eq!(s.evicted, 5, "{s:?}");
    assert_conserved("after the clear was carried out", &s, 0, 0);
    assert_eq!(census.live(), s.retained);
}

#[test]
fn trims_from_another_thread_reach_an_idle_stash_at_its_next_use() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::builder(&census).max_per_thread(8).build());
    // Two trims: the stash sat idle through both.
    let s = asked_elsewhere(&pool, 6, |pool| {
        pool.trim();
        pool.trim();
    });
    assert!(s.evicted >= 5, "{s:?}");
    assert_conserved("after the trims were carried out", &s, 0, 0);
    assert_eq!(census.live(), s.retained);
}

#[test]
fn a_guard_outlives_the_thread_that_took_it() {
    let census = Arc::new(Census::default());
    let pool = Arc::new(Tracked::pool(&census));
    let p = Arc::clone(&pool);
    let guard = on_a_thread(move || {
        let mut g = p.get_owned();
        g.use_it();
        drop(p.get()); // this thread's stash holds one too
        g
    });
    // The taker has exited: its stash went to the shared tier.
    let p = Arc::clone(&pool);
    on_a_thread(move || {
        drop(guard);
        let mut again = p.get();
        again.use_it();
    });
    let s = pool.stats();
    assert_eq!(s.created, 2, "{s:?}");
    assert_conserved("after both threads", &s, 0, 0);
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
    // An owned guard, the kind that crosses threads, holds its pool.
    let mut o = pool.get_owned();
    o.use_it();
    assert_eq!(Arc::strong_count(&pool), 2);
    let kept_owned: Tracked = OwnedPooled::detach(o);
    assert_eq!(Arc::strong_count(&pool), 1, "detach released the pool");
    let s = pool.stats();
    assert_eq!((s.detached, s.returned, s.retained), (2, 0, 0));
    assert_conserved("after both detaches", &s, 0, 0);
    assert_eq!(census.live(), 2);
    drop((kept, kept_owned));
    assert_eq!(census.live(), 0);
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
    assert_eq!(census.live(), 0, "the pool's drop freed every stash");
    dropped.wait();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(census.dropped.load(SeqCst), 11);
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
    assert_conserved("after the threads", &s, 0, 0);
    drop(pool);
    assert_eq!(census.live(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    miri,
    ignore = "a tokio runtime under miri takes minutes; the guards' crossings run under miri in the tests above"
)]
async fn owned_guards_cross_await_points_on_a_work_stealing_runtime() {
    let pool = Arc::new(Pool::new(|| Vec::<u64>::with_capacity(16)));
    let tasks: Vec<_> = (0..64u64)
        .map(|t| {
            let pool = Arc::clone(&pool);
            tokio::spawn(async move {
                let mut total = 0;
                for i in 0..20 {
                    let mut v = pool.get_owned();
                    assert!(v.is_empty(), "reset before reuse");
                    v.push(t * 100 + i);
                    tokio::task::yield_now().await; // may resume on another worker
                    v.push(i);
                    total += v.iter().sum::<u64>();
                }
                total
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let s = pool.stats();
    assert_eq!(s.returned, 64 * 20);
    assert!(s.created < 64 * 20, "values are reused across tasks: {s:?}");
    assert_conserved("after the tasks", &s, 0, 0);
}
