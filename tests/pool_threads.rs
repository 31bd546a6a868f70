//! What happens where threads meet: values crossing threads, thread exit,
//! panics, and guards held across `.await` on a work-stealing runtime.

use pool_runtime::{OwnedPooled, Pool, Poolable};
use pool_suite::{assert_conserved, Ledger};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;

#[test]
fn an_exiting_thread_hands_its_stash_to_the_others() {
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(64)));
    let p = Arc::clone(&pool);
    thread::spawn(move || {
        let held: Vec<_> = (0..10).map(|_| p.get()).collect();
        drop(held); // into this thread's stash
    })
    .join()
    .unwrap();
    let s = pool.stats();
    assert_eq!((s.created, s.retained, s.dropped), (10, 10, 0), "{s:?}");
    // This thread has no stash yet: it is served from what the other left.
    let again: Vec<_> = (0..10).map(|_| pool.get()).collect();
    assert_eq!(pool.stats().created, 10);
    assert_eq!(pool.stats().reused, 10);
    drop(again);
}

#[test]
fn what_does_not_fit_the_shared_tier_at_exit_is_dropped_and_counted() {
    let pool = Arc::new(
        Pool::builder(String::new)
            .max_per_thread(16)
            .max_shared(4)
            .build(),
    );
    let p = Arc::clone(&pool);
    thread::spawn(move || drop((0..16).map(|_| p.get()).collect::<Vec<_>>()))
        .join()
        .unwrap();
    let s = pool.stats();
    assert_eq!(s.retained, 4, "{s:?}");
    assert_eq!(s.dropped, 12, "{s:?}");
    assert_conserved("after the thread's exit", &s, 0, 0);
}

#[test]
fn a_guard_dropped_on_another_thread_lands_in_that_threads_stash() {
    let pool = Arc::new(Pool::new(Vec::<u32>::new));
    let guard = pool.get_owned();
    let p = Arc::clone(&pool);
    thread::spawn(move || {
        drop(guard);
        let created = p.stats().created;
        let again = p.get(); // a stash hit on this thread
        assert_eq!(p.stats().created, created);
        assert_eq!(p.stats().reused, 1);
        drop(again);
    })
    .join()
    .unwrap();
}

#[test]
fn a_borrowed_guard_dropped_on_another_thread_lands_in_that_threads_stash() {
    // A `Pooled` remembers the stash it came from; dropped elsewhere, it
    // must not go back there (that stash belongs to a thread still running).
    let pool = Pool::new(Vec::<u32>::new);
    let pool = &pool;
    let guard = pool.get();
    thread::scope(|s| {
        s.spawn(move || {
            drop(guard);
            let again = pool.get();
            let stats = pool.stats();
            assert_eq!((stats.created, stats.reused), (1, 1), "{stats:?}");
            drop(again);
        });
    });
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
    let rounds = 200;
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
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
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

static RESET_PANICS: AtomicBool = AtomicBool::new(false);

struct Fragile(Vec<u8>);
impl Poolable for Fragile {
    fn reset(&mut self) {
        if RESET_PANICS.load(Ordering::Relaxed) {
            panic!("reset failed");
        }
        self.0.clear();
    }
}

#[test]
fn a_panic_inside_reset_drops_that_value_and_the_pool_goes_on() {
    let pool = Pool::new(|| Fragile(Vec::new()));
    // After the get: a value from the factory is reset once when made.
    let mut g = pool.get();
    RESET_PANICS.store(true, Ordering::Relaxed);
    g.0.push(1);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(g)));
    RESET_PANICS.store(false, Ordering::Relaxed);
    assert!(result.is_err(), "the panic reaches the guard's owner");
    let s = pool.stats();
    assert_eq!((s.returned, s.dropped, s.retained), (1, 1, 0), "{s:?}");
    // Still usable, and the half-reset value never comes back.
    let mut g = pool.get();
    assert!(g.0.is_empty());
    g.0.push(2);
    drop(g);
    assert_eq!(pool.stats().retained, 1);
}

thread_local! {
    static LATE: RefCell<Option<OwnedPooled<Vec<u8>>>> = const { RefCell::new(None) };
}

#[test]
fn a_guard_dropped_during_thread_teardown_lands_safely() {
    let pool = Arc::new(Pool::new(Vec::<u8>::new));
    let p = Arc::clone(&pool);
    thread::spawn(move || {
        // Touch the pool first, so the thread's own pool bookkeeping exists
        // and may be torn down before `LATE` is.
        drop(p.get());
        let mut g = p.get_owned();
        g.push(9);
        LATE.with(|late| *late.borrow_mut() = Some(g));
    })
    .join()
    .unwrap();
    let s = pool.stats();
    assert_eq!(s.returned, 2, "{s:?}");
    assert_conserved("after the thread's teardown", &s, 0, 0);
    assert!(pool.get().is_empty());
}

#[test]
fn clear_from_another_thread_reaches_an_idle_stash_at_its_next_use() {
    let pool = Arc::new(Pool::new(String::new));
    let (go, wait) = mpsc::channel::<()>();
    let (done, cleared) = mpsc::channel::<()>();
    let p = Arc::clone(&pool);
    let worker = thread::spawn(move || {
        drop((0..5).map(|_| p.get()).collect::<Vec<_>>());
        done.send(()).unwrap();
        wait.recv().unwrap();
        drop(p.get()); // its next use carries out the clear first
    });
    cleared.recv().unwrap();
    pool.clear();
    go.send(()).unwrap();
    worker.join().unwrap();
    let s = pool.stats();
    assert_eq!(s.evicted, 5, "{s:?}");
    assert_conserved("after the clear was carried out", &s, 0, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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
