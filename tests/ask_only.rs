//! Trimming where the platform refuses the barrier that lets one thread
//! claim another's stash (an old kernel, a seccomp filter): each owner is
//! asked, and carries the request out itself at its next operation, get or
//! return, or at its exit. Nothing asked may be lost on the way.
//!
//! The whole binary runs in that mode (`refuse_heavy_barrier`).

use pool_runtime::Pool;
use std::sync::{mpsc, Arc, Barrier};
use std::thread;

fn ask_only() {
    pool_runtime::__private::refuse_heavy_barrier();
}

#[test]
fn a_clear_asked_before_threads_exit_leaves_nothing_after_they_exit() {
    ask_only();
    const THREADS: usize = 8;
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(1024)));
    let ready = Arc::new(Barrier::new(THREADS + 1));
    let go = Arc::new(Barrier::new(THREADS + 1));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (pool, ready, go) = (Arc::clone(&pool), Arc::clone(&ready), Arc::clone(&go));
            thread::spawn(move || {
                let held: Vec<_> = (0..16).map(|_| pool.get()).collect();
                drop(held);
                ready.wait();
                go.wait(); // exits without touching the pool again
            })
        })
        .collect();
    ready.wait();
    pool.clear();
    assert_eq!(pool.stats().retained, THREADS * 16, "only asked so far");
    go.wait();
    workers.into_iter().for_each(|w| w.join().unwrap());
    let s = pool.stats();
    assert_eq!(s.retained, 0, "{s:?}");
    assert_eq!(s.evicted as usize, THREADS * 16, "{s:?}");
}

#[test]
fn a_thread_that_only_returns_values_carries_a_clear_out_at_its_next_return() {
    ask_only();
    let pool = Arc::new(Pool::new(String::new));
    let (to_worker, puts) = mpsc::channel::<usize>();
    let (to_main, done) = mpsc::channel::<()>();
    let p = Arc::clone(&pool);
    let worker = thread::spawn(move || {
        for n in puts {
            for _ in 0..n {
                p.put(String::with_capacity(8));
            }
            to_main.send(()).unwrap();
        }
    });
    to_worker.send(10).unwrap();
    done.recv().unwrap();
    pool.clear();
    pool.clear(); // a second request while the first is pending
    to_worker.send(1).unwrap();
    done.recv().unwrap();
    assert_eq!(pool.stats().retained, 1, "{:?}", pool.stats());
    pool.trim();
    pool.trim();
    to_worker.send(1).unwrap();
    done.recv().unwrap();
    assert_eq!(pool.stats().retained, 1, "{:?}", pool.stats());
    drop(to_worker);
    worker.join().unwrap();
}
