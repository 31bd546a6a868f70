//! Where threads meet at the ends of things: panics while a guard is held
//! or inside a reset, guards dropped during thread teardown or outliving
//! their thread, trims and clears asked from another thread, `detach`, and
//! a pool dropped under live stashes.

use super::*;

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
