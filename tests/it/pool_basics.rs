//! The pool's return path, counters and limits, on one thread.

use pool_runtime::{Pool, Poolable, Pooled, DEFAULT_MAX_PER_THREAD};
use pool_suite::assert_conserved;

#[test]
fn a_returned_value_comes_back_reset_with_its_capacity() {
    let pool = Pool::new(Vec::<u8>::new);
    let mut a = pool.get();
    a.extend_from_slice(&[7; 300]);
    let ptr = a.as_ptr();
    drop(a);
    let b = pool.get();
    assert!(b.is_empty());
    assert!(b.capacity() >= 300);
    assert_eq!(b.as_ptr(), ptr, "the same buffer is reused");
    let s = pool.stats();
    assert_eq!((s.created, s.reused, s.returned), (1, 1, 1));
    assert_conserved("with the reused value held", &s, 0, 1);
}

#[test]
fn every_counter_adds_up() {
    let pool = Pool::builder(Vec::<u8>::new)
        .max_per_thread(4)
        .max_shared(4)
        .build();
    let guards: Vec<_> = (0..12).map(|_| pool.get()).collect();
    drop(guards); // 4 stash + 4 shared + 4 dropped
    let s = pool.stats();
    assert_eq!(
        (s.created, s.returned, s.retained, s.dropped),
        (12, 12, 8, 4)
    );
    let g = pool.get();
    let _kept = Pooled::detach(g);
    pool.put(vec![1, 2, 3]);
    let s = pool.stats();
    assert_eq!(s.detached, 1);
    assert_conserved("after a detach and a put", &s, 1, 0);
}

struct Capped(Vec<u8>);
impl Poolable for Capped {
    fn reset(&mut self) {
        self.0.clear();
    }
    fn within_caps(&self) -> bool {
        self.0.capacity() <= 1024
    }
    fn retained_bytes(&self) -> usize {
        self.0.capacity()
    }
}

#[test]
fn a_value_over_its_cap_is_rejected_not_kept() {
    let pool = Pool::new(|| Capped(Vec::new()));
    let mut big = pool.get();
    big.0.reserve_exact(64 << 20);
    drop(big);
    let s = pool.stats();
    assert_eq!((s.rejected, s.retained, s.retained_bytes), (1, 0, 0));
    for _ in 0..1000 {
        let mut small = pool.get();
        small.0.extend_from_slice(&[1; 100]);
    }
    let s = pool.stats();
    assert!(s.retained_bytes <= 1024, "{s:?}");
    assert_conserved("after a thousand small values", &s, 0, 0);
}

#[test]
fn the_byte_budget_is_never_exceeded() {
    let pool = Pool::builder(|| Vec::<u8>::with_capacity(1000))
        .max_bytes(4500)
        .build();
    let guards: Vec<_> = (0..10).map(|_| pool.get()).collect();
    drop(guards);
    let s = pool.stats();
    assert_eq!(s.retained, 4);
    assert!(s.retained_bytes <= 4500);
    assert_eq!(s.dropped, 6);
}

#[test]
fn trim_twice_frees_what_was_idle_and_clear_frees_everything() {
    let pool = Pool::new(String::new);
    let guards: Vec<_> = (0..10).map(|_| pool.get()).collect();
    drop(guards);
    pool.trim();
    assert_eq!(pool.stats().retained, 10);
    // Use three of them between trims: seven sat idle.
    let three: Vec<_> = (0..3).map(|_| pool.get()).collect();
    drop(three);
    pool.trim();
    let s = pool.stats();
    assert_eq!((s.retained, s.evicted), (3, 7), "{s:?}");
    pool.clear();
    let s = pool.stats();
    assert_eq!((s.retained, s.evicted), (0, 10));
    assert_conserved("after clear", &s, 0, 0);
}

#[test]
fn a_burst_does_not_pin_its_peak() {
    let pool = Pool::new(|| Vec::<u8>::with_capacity(4096));
    let burst: Vec<_> = (0..500).map(|_| pool.get()).collect();
    drop(burst);
    assert!(pool.stats().retained >= 500);
    // Steady use of one value at a time: the automatic trim frees the rest,
    // but for a cushion of one stash's worth in the shared tier.
    for _ in 0..100_000 {
        let mut v = pool.get();
        v.push(1);
    }
    let s = pool.stats();
    assert!(s.retained <= DEFAULT_MAX_PER_THREAD + 2, "{s:?}");
    assert_conserved("after steady use", &s, 0, 0);
}

/// The 64 MiB lesson of Go's `sync.Pool`, with the derive's cap.
#[derive(Poolable, Default)]
struct Request {
    #[pool(cap = 1 << 20)]
    body: Vec<u8>,
    path: String,
}

#[test]
fn one_huge_request_then_thousands_of_small_ones_keep_retention_under_the_cap() {
    let pool = Pool::new(Request::default);
    let mut huge = pool.get();
    huge.body.resize(64 << 20, 0);
    drop(huge);
    assert_eq!(pool.stats().rejected, 1);
    for i in 0..5_000 {
        let mut r = pool.get();
        r.body.resize(100 + i % 1000, 1);
        r.path.push_str("/small");
        assert!(pool.stats().retained_bytes < 1 << 20);
    }
    let s = pool.stats();
    assert!(s.retained_bytes < 1 << 20, "{s:?}");
    assert_conserved("after thousands of small requests", &s, 0, 0);
}
