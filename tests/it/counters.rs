//! The counters a service owner reads: returns from another thread, and
//! `dropped` split by its cause.

use pool_runtime::{Pool, Poolable, Stats};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// `dropped` is the sum of its causes, whatever the test did.
fn causes(s: &Stats) -> (u64, u64, u64) {
    assert_eq!(
        s.dropped,
        s.dropped_full + s.dropped_budget + s.dropped_panicked,
        "{s:?}"
    );
    (s.dropped_full, s.dropped_budget, s.dropped_panicked)
}

#[test]
fn a_guard_dropped_on_another_thread_counts_as_a_remote_return() {
    let pool = Arc::new(Pool::new(Vec::<u8>::new));
    drop(pool.get()); // on its own thread: not remote
    pool.put(Vec::new()); // no thread of origin: not remote
    let owned = pool.get_owned();
    let borrowed_pool = Arc::clone(&pool);
    std::thread::spawn(move || {
        drop(owned);
        let g = borrowed_pool.get();
        drop(g); // taken and dropped here: not remote
    })
    .join()
    .unwrap();
    std::thread::scope(|s| {
        let g = pool.get();
        s.spawn(move || drop(g));
    });
    let s = pool.stats();
    assert_eq!(s.returned, 5, "{s:?}");
    assert_eq!(s.returned_remote, 2, "{s:?}");
}

#[test]
fn a_remote_return_into_a_budgeted_pool_is_counted_once() {
    let pool = Arc::new(Pool::builder(Vec::<u8>::new).max_bytes(1 << 20).build());
    let g = pool.get_owned();
    std::thread::spawn(move || drop(g)).join().unwrap();
    let g = pool.get_owned();
    drop(g);
    let s = pool.stats();
    assert_eq!((s.returned, s.returned_remote), (2, 1), "{s:?}");
}

#[test]
fn no_room_in_either_tier_counts_as_dropped_full() {
    let pool = Pool::builder(Vec::<u8>::new)
        .max_per_thread(1)
        .max_shared(1)
        .build();
    let guards: Vec<_> = (0..5).map(|_| pool.get()).collect();
    drop(guards);
    let s = pool.stats();
    assert_eq!(causes(&s), (3, 0, 0), "{s:?}");
    pool.put(Vec::new()); // the shared tier is full too
    let s = pool.stats();
    assert_eq!(causes(&s), (4, 0, 0), "{s:?}");
}

#[test]
fn an_exiting_thread_whose_stash_does_not_fit_counts_as_dropped_full() {
    let pool = Arc::new(
        Pool::builder(Vec::<u8>::new)
            .max_per_thread(8)
            .max_shared(2)
            .build(),
    );
    let theirs = Arc::clone(&pool);
    // `join` (unlike the end of a scope) waits for the thread's locals to be
    // torn down, which is when its stash is handed over.
    std::thread::spawn(move || drop((0..8).map(|_| theirs.get()).collect::<Vec<_>>()))
        .join()
        .unwrap();
    let s = pool.stats();
    // The thread exited: its stash of 8 went to the shared tier, which took 2.
    assert_eq!((s.retained, causes(&s)), (2, (6, 0, 0)), "{s:?}");
}

#[test]
fn a_value_over_the_byte_budget_counts_as_dropped_budget() {
    let pool = Pool::builder(|| Vec::<u8>::with_capacity(1000))
        .max_bytes(1500)
        .build();
    let (a, b) = (pool.get(), pool.get());
    drop(a); // about 1000 bytes: fits
    drop(b); // 2000 would not
    let s = pool.stats();
    assert_eq!((s.retained, causes(&s)), (1, (0, 1, 0)), "{s:?}");
}

struct PanicsOnReset(bool);

impl Poolable for PanicsOnReset {
    fn reset(&mut self) {
        if self.0 {
            panic!("reset refused");
        }
    }
}

#[test]
fn a_panicking_reset_counts_as_dropped_panicked() {
    let pool = Pool::new(|| PanicsOnReset(false));
    let mut g = pool.get();
    g.0 = true;
    let unwound = catch_unwind(AssertUnwindSafe(|| drop(g)));
    assert!(unwound.is_err(), "the reset's panic reaches the caller");
    drop(pool.get()); // the pool still works, and this one is kept
    let s = pool.stats();
    assert_eq!((s.retained, causes(&s)), (1, (0, 0, 1)), "{s:?}");
}

#[test]
fn out_counts_the_guards_alive_and_forgotten_ones_stay_out() {
    let pool = Pool::new(Vec::<u8>::new);
    let (a, b, c) = (pool.get(), pool.get(), pool.get());
    assert_eq!((pool.stats().out, pool.stats().high_water), (3, 3));
    drop(a);
    std::mem::forget(b); // the leak `out` exists to show
    let kept = pool_runtime::Pooled::detach(c);
    let s = pool.stats();
    assert_eq!((s.out, s.retained, s.high_water), (1, 1, 3), "{s:?}");
    // Served from the stash: out grows back, no new value, no new peak.
    let again = pool.get();
    assert_eq!((pool.stats().out, pool.stats().high_water), (2, 3));
    drop((again, kept));
    assert_eq!(pool.stats().out, 1, "only the forgotten guard is still out");
}

#[test]
fn the_high_water_mark_is_the_most_out_at_once_on_one_thread() {
    let pool = Pool::new(String::new);
    for burst in [4, 9, 2, 7] {
        let held: Vec<_> = (0..burst).map(|_| pool.get()).collect();
        assert_eq!(pool.stats().out, burst);
        drop(held);
    }
    let s = pool.stats();
    assert_eq!((s.out, s.high_water, s.created), (0, 9, 9), "{s:?}");
    // Values the pool drops leave the count; the peak stays.
    pool.clear();
    let s = pool.stats();
    assert_eq!((s.retained, s.out, s.high_water), (0, 0, 9), "{s:?}");
    drop(pool.get());
    assert_eq!(
        pool.stats().high_water,
        9,
        "one value now, nine at the peak"
    );
}

#[test]
fn out_is_exact_across_threads_and_the_peak_bounds_it() {
    let pool = Arc::new(Pool::new(Vec::<u64>::new));
    std::thread::scope(|s| {
        for _ in 0..2 {
            let pool = Arc::clone(&pool);
            s.spawn(move || {
                for round in 0..500 {
                    let held: Vec<_> = (0..round % 5).map(|_| pool.get_owned()).collect();
                    drop(held);
                }
            });
        }
    });
    let held: Vec<_> = (0..3).map(|_| pool.get()).collect();
    let s = pool.stats();
    assert_eq!(s.out, 3, "{s:?}");
    assert!(
        s.high_water >= 4 && s.high_water <= s.created as usize,
        "{s:?}"
    );
    assert_eq!(s.high_water as u64, s.created, "nothing was dropped: {s:?}");
    drop(held);
}
