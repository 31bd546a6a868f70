//! `PoolBuilder::max_value_bytes`: a per-value cap for a pool of any type.

use pool_runtime::Pool;
use std::sync::Arc;

fn grown_to(pool: &Pool<Vec<u8>>, bytes: usize) -> pool_runtime::Pooled<'_, Vec<u8>> {
    let mut v = pool.get();
    v.reserve_exact(bytes);
    v
}

#[test]
fn a_value_over_the_cap_is_rejected_and_one_at_the_cap_is_kept() {
    let pool = Pool::builder(Vec::<u8>::new).max_value_bytes(1024).build();
    let (at, over) = (grown_to(&pool, 1024), grown_to(&pool, 4096));
    assert_eq!(at.capacity(), 1024);
    drop((at, over));
    let s = pool.stats();
    assert_eq!((s.rejected, s.retained, s.returned), (1, 1, 2), "{s:?}");
    assert!(
        pool.get().capacity() <= 1024,
        "the kept one is the small one"
    );
}

#[test]
fn the_cap_holds_on_every_return_path() {
    let pool = Arc::new(Pool::builder(Vec::<u8>::new).max_value_bytes(100).build());
    pool.put(Vec::with_capacity(1000)); // `put`
    let mut far = pool.get_owned();
    far.reserve(1000);
    std::thread::spawn(move || drop(far)).join().unwrap(); // another thread
    let s = pool.stats();
    assert_eq!((s.rejected, s.retained), (2, 0), "{s:?}");
}

#[test]
fn the_cap_is_checked_after_the_reset_on_what_the_value_keeps() {
    // A `String` keeps its capacity through `clear`: 200 bytes stay 200.
    let pool = Pool::builder(String::new).max_value_bytes(199).build();
    let mut s = pool.get();
    s.reserve_exact(200);
    drop(s);
    assert_eq!(pool.stats().rejected, 1);
}

#[test]
fn usize_max_is_no_cap_and_zero_keeps_only_values_without_heap_memory() {
    let open = Pool::builder(Vec::<u8>::new)
        .max_value_bytes(usize::MAX)
        .build();
    drop(grown_to(&open, 1 << 20));
    assert_eq!((open.stats().rejected, open.stats().retained), (0, 1));

    let none = Pool::builder(Vec::<u8>::new).max_value_bytes(0).build();
    drop((none.get(), grown_to(&none, 1)));
    let s = none.stats();
    assert_eq!((s.rejected, s.retained), (1, 1), "{s:?}");
}

#[test]
fn prefill_keeps_no_value_the_factory_makes_over_the_cap() {
    let pool = Pool::builder(|| Vec::<u8>::with_capacity(4096))
        .max_value_bytes(1024)
        .prefill(8)
        .build();
    let s = pool.stats();
    assert_eq!((s.created, s.rejected, s.retained), (1, 1, 0), "{s:?}");
}

#[test]
fn the_cap_and_the_byte_budget_work_together() {
    let pool = Pool::builder(Vec::<u8>::new)
        .max_value_bytes(1024)
        .max_bytes(2 * (1024 + 24))
        .build();
    let vals: Vec<_> = (0..3).map(|_| grown_to(&pool, 1024)).collect();
    let over = grown_to(&pool, 2048);
    drop((vals, over));
    let s = pool.stats();
    assert_eq!(
        (s.rejected, s.dropped_budget, s.retained),
        (1, 1, 2),
        "{s:?}"
    );
    assert!(s.retained_bytes <= 2 * (1024 + 24));
}
