//! `PoolBuilder::calibrate` and `#[pool(max_value_bytes = auto)]`: a per-value
//! cap learned from the pool's own returns.

use pool_runtime::{
    GlobalPool, Pool, Poolable, CALIBRATION_WINDOW, CAP_HEADROOM, FIRST_CALIBRATION_WINDOW,
};
use pool_suite::assert_conserved;
use std::sync::{Arc, Barrier};

/// One request: its body is filled to `len` bytes, then dropped.
fn serve(pool: &Pool<Vec<u8>>, len: usize) {
    let mut body = pool.get();
    body.resize(len, 7);
}

fn learned(pool: &Pool<Vec<u8>>) -> usize {
    pool.learned_cap()
        .and_then(|l| l.bytes)
        .expect("a cap was learned")
}

#[test]
fn nothing_is_refused_before_the_first_calibration_and_the_tail_after_it() {
    let pool = Pool::builder(Vec::<u8>::new).calibrate().build();
    // Every 20th request is 4 MiB: 5%, at the edge of the 95th percentile,
    // so one more makes the tail too much to cover.
    for i in 0..FIRST_CALIBRATION_WINDOW - 1 {
        serve(&pool, if i % 20 == 10 { 4 << 20 } else { 1500 });
    }
    assert_eq!(pool.learned_cap().unwrap().bytes, None);
    assert_eq!(pool.stats().rejected, 0);
    serve(&pool, 1500);
    assert_eq!(learned(&pool), 2048 * CAP_HEADROOM);
    // The 4 MiB buffer the first window kept was reused and is over the
    // cap now: freed at the calibration.
    let s = pool.stats();
    assert!(s.retained_bytes <= 24 + 2048 * CAP_HEADROOM, "{s:?}");
    for _ in 0..10 {
        serve(&pool, 4 << 20);
        serve(&pool, 1500);
    }
    let s = pool.stats();
    assert_eq!(s.rejected, 10, "{s:?}");
    assert_conserved("after the tail", &s, 0, 0);
}

#[test]
fn the_cap_follows_a_tenfold_growth_within_two_windows_and_comes_back_down() {
    let pool = Pool::builder(Vec::<u8>::new).calibrate().build();
    for _ in 0..3000 {
        serve(&pool, 4000);
    }
    assert_eq!(learned(&pool), 8192);
    // Until the cap follows, the grown bodies are refused; each refusal is
    // still counted in the window.
    let mut after = None;
    for i in 1..=2 * CALIBRATION_WINDOW + 32 {
        serve(&pool, 40_000);
        if learned(&pool) >= 40_000 {
            after = Some(i);
            break;
        }
    }
    let after = after.expect("the cap followed within two windows");
    assert_eq!(learned(&pool), 65_536 * CAP_HEADROOM);
    let rejected = pool.stats().rejected;
    assert_eq!(
        rejected, after,
        "refused up to the return that raised the cap, kept after"
    );
    for _ in 0..100 {
        serve(&pool, 40_000);
    }
    assert_eq!(pool.stats().rejected, rejected);
    // Back down: the 40 KB buffer is reused for 4 KB bodies, which count
    // as 4 KB (what they used), so the cap comes down, and the buffer over
    // it is freed.
    let changes = pool.learned_cap().unwrap().changes;
    for _ in 0..2 * CALIBRATION_WINDOW + 32 {
        serve(&pool, 4000);
    }
    let l = pool.learned_cap().unwrap();
    assert_eq!((l.bytes, l.changes), (Some(8192), changes + 1), "{l:?}");
    let s = pool.stats();
    assert!(s.evicted >= 1 && s.retained_bytes <= 24 + 8192, "{s:?}");
    assert_conserved("after both shifts", &s, 0, 0);
}

#[test]
fn a_lower_cap_reaches_the_other_threads_stashes_at_their_next_use() {
    let pool = Arc::new(Pool::builder(Vec::<u8>::new).calibrate().build());
    let ready = Arc::new(Barrier::new(2));
    let done = Arc::new(Barrier::new(2));
    let other = {
        let (pool, ready, done) = (Arc::clone(&pool), Arc::clone(&ready), Arc::clone(&done));
        std::thread::spawn(move || {
            // This thread keeps a 1 MiB buffer in its stash before any cap.
            let held: Vec<_> = (0..2)
                .map(|_| {
                    let mut b = pool.get();
                    b.resize(1 << 20, 0);
                    b
                })
                .collect();
            drop(held);
            ready.wait();
            done.wait();
            // Its next use carries out the lower cap.
            drop(pool.get());
            pool.stats()
        })
    };
    ready.wait();
    assert_eq!(pool.stats().retained, 2);
    for _ in 0..FIRST_CALIBRATION_WINDOW {
        serve(&pool, 100);
    }
    assert_eq!(learned(&pool), 128 * CAP_HEADROOM);
    let before = pool.stats();
    assert!(before.retained_bytes >= 2 << 20, "{before:?}");
    done.wait();
    let after = other.join().unwrap();
    assert!(after.retained_bytes < 1 << 20, "{after:?}");
    assert_eq!(after.evicted, 2, "{after:?}");
    assert_conserved("after the other thread's use", &after, 0, 0);
}

#[test]
fn the_percentile_is_the_builders_and_both_caps_apply_the_smaller_deciding() {
    let tail = |i: u64| if i % 50 == 0 { 32 << 20 } else { 2000 };
    let p95 = Pool::builder(Vec::<u8>::new).calibrate().build();
    let p99 = Pool::builder(Vec::<u8>::new)
        .calibrate_percentile(99)
        .build();
    let both = Pool::builder(Vec::<u8>::new)
        .calibrate_percentile(99)
        .max_value_bytes(1 << 20)
        .build();
    for i in 0..FIRST_CALIBRATION_WINDOW {
        for pool in [&p95, &p99, &both] {
            pool.put(vec![0; tail(i)]);
        }
    }
    assert_eq!(learned(&p95), 2048 * CAP_HEADROOM);
    assert_eq!(learned(&p99), (32 << 20) * CAP_HEADROOM);
    both.put(vec![0; 4 << 20]);
    assert!(
        both.stats().retained_bytes < 2 << 20,
        "the fixed cap still applies"
    );
}

#[test]
fn a_used_bytes_that_panics_drops_the_value_and_the_pool_goes_on() {
    #[derive(Default)]
    struct Odd(Vec<u8>);
    impl Poolable for Odd {
        fn reset(&mut self) {
            self.0.clear();
        }
        fn retained_bytes(&self) -> usize {
            self.0.capacity()
        }
        fn used_bytes(&self) -> usize {
            assert!(self.0.len() != 13, "unlucky length");
            self.0.len()
        }
    }
    let pool = Pool::<Odd>::builder(Odd::default).calibrate().build();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut odd = pool.get();
        odd.0.resize(13, 0);
    }));
    assert!(caught.is_err());
    assert_eq!(pool.stats().dropped_panicked, 1);
    for _ in 0..FIRST_CALIBRATION_WINDOW {
        pool.get().0.resize(100, 0);
    }
    assert_eq!(pool.learned_cap().unwrap().bytes, Some(128 * CAP_HEADROOM));
    assert_conserved("after the panic", &pool.stats(), 0, 0);
}

/// A derived struct that learns: every pool of the type does.
#[derive(Poolable, Default)]
#[pool(max_value_bytes = auto, global)]
struct Request {
    body: Vec<u8>,
    #[pool(cap = 64)]
    headers: Vec<(u16, u16)>,
}

#[test]
fn max_value_bytes_auto_makes_every_pool_of_the_type_learn() {
    assert!(Request::calibrates());
    let default: Pool<Request> = Pool::default();
    let built = Pool::builder(Request::default)
        .calibrate_percentile(50)
        .build();
    for pool in [&default, &built, Request::pool()] {
        for i in 0..FIRST_CALIBRATION_WINDOW {
            let mut r = pool.get();
            r.body.resize(if i % 4 == 0 { 60_000 } else { 500 }, 0);
        }
    }
    let cap = |pool: &Pool<Request>| pool.learned_cap().unwrap();
    assert_eq!(cap(&default).bytes, Some(65_536 * CAP_HEADROOM));
    assert_eq!(cap(&built).bytes, Some(512 * CAP_HEADROOM));
    assert_eq!(cap(&built).percentile, 50);
    assert_eq!(cap(Request::pool()).bytes, Some(65_536 * CAP_HEADROOM));
    // The field cap still refuses on its own.
    let mut r = built.get();
    r.headers.reserve(1000);
    drop(r);
    assert!(built.stats().rejected >= 1);
}

/// One return of the property test: a reused buffer filled to `n`
/// bytes, or a fresh one of `n` bytes handed in with `put`.
#[derive(Clone, Debug)]
enum Return {
    Serve(usize),
    Put(usize),
}

/// Sizes with a heavy tail: mostly up to 8 KiB, now and then up to 256 KiB.
fn size() -> impl proptest::strategy::Strategy<Value = usize> {
    use proptest::prelude::*;
    prop_oneof![
        20 => 0usize..8192,
        1 => 8192usize..(256 << 10),
    ]
}

fn ret() -> impl proptest::strategy::Strategy<Value = Return> {
    use proptest::prelude::*;
    prop_oneof![
        3 => size().prop_map(Return::Serve),
        1 => size().prop_map(Return::Put),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: if cfg!(debug_assertions) { 16 } else { 64 },
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// After every calibration the cap covers at least the percentile of
    /// the window it read, and what the thread keeps never exceeds
    /// `max_per_thread` values at the cap.
    #[test]
    fn the_cap_covers_its_percentile_and_bounds_what_a_thread_keeps(
        returns in proptest::collection::vec(ret(), 1..2500),
        percentile in 50u8..=100,
        max_per_thread in 1usize..16,
    ) {
        let pool = Pool::builder(Vec::<u8>::new)
            .calibrate_percentile(percentile)
            .max_per_thread(max_per_thread)
            .max_shared(0)
            .build();
        let zeros = vec![0u8; 256 << 10];
        let mut sizes = Vec::new();
        let mut calibrations = 0;
        for (i, r) in returns.iter().enumerate() {
            match *r {
                Return::Serve(n) => pool.get().extend_from_slice(&zeros[..n]),
                Return::Put(n) => pool.put(vec![0; n]),
            }
            sizes.push(match *r { Return::Serve(n) | Return::Put(n) => n });
            let learned = pool.learned_cap().unwrap();
            let Some(cap) = learned.bytes else {
                proptest::prop_assert_eq!(pool.stats().rejected, 0);
                continue;
            };
            if learned.calibrations != calibrations {
                calibrations = learned.calibrations;
                let end = learned.returns as usize;
                let window = &sizes[end - learned.window as usize..end];
                let covered = window.iter().filter(|&&n| n <= cap).count();
                proptest::prop_assert!(
                    covered * 100 >= usize::from(percentile) * window.len(),
                    "return {}: cap {} covers {} of {} returns, under {}%",
                    i, cap, covered, window.len(), percentile
                );
            }
            let s = pool.stats();
            let most = max_per_thread * (cap + core::mem::size_of::<Vec<u8>>());
            proptest::prop_assert!(
                s.retained_bytes <= most,
                "return {}: {} bytes kept, over {} values at the cap {}", i, s.retained_bytes,
                max_per_thread, cap
            );
        }
        assert_conserved("after the sequence", &pool.stats(), returns.len() as u64
            - returns.iter().filter(|r| matches!(r, Return::Serve(_))).count() as u64, 0);
    }
}

#[test]
fn a_thread_that_exits_before_acting_on_a_lower_cap_hands_over_only_what_it_admits() {
    let pool = Arc::new(Pool::builder(Vec::<u8>::new).calibrate().build());
    let (kept, exit) = (Arc::new(Barrier::new(2)), Arc::new(Barrier::new(2)));
    let other = {
        let (pool, kept, exit) = (Arc::clone(&pool), Arc::clone(&kept), Arc::clone(&exit));
        std::thread::spawn(move || {
            serve(&pool, 1 << 20);
            kept.wait();
            // Exits without another use of the pool.
            exit.wait();
        })
    };
    kept.wait();
    for _ in 0..FIRST_CALIBRATION_WINDOW {
        serve(&pool, 100);
    }
    assert_eq!(learned(&pool), 128 * CAP_HEADROOM);
    exit.wait();
    other.join().unwrap();
    let s = pool.stats();
    assert!(
        s.retained_bytes < 1 << 20,
        "the 1 MiB buffer was handed over: {s:?}"
    );
    assert_eq!(s.evicted, 1, "{s:?}");
    assert_conserved("after the exit", &s, 0, 0);
}

#[test]
fn a_value_admitted_just_before_its_own_return_lowers_the_cap_is_refused() {
    // One value per stash: the return below finds it full and takes the
    // slow path, where a trim asked from another thread makes it run the
    // maintenance that hands in this thread's sizes and lowers the cap.
    let pool = Arc::new(
        Pool::builder(Vec::<u8>::new)
            .calibrate()
            .max_per_thread(1)
            .build(),
    );
    let mut large = pool.get();
    large.resize(1 << 20, 0);
    for _ in 0..FIRST_CALIBRATION_WINDOW - 1 {
        serve(&pool, 100);
    }
    assert_eq!(pool.learned_cap().unwrap().bytes, None);
    let asker = Arc::clone(&pool);
    std::thread::spawn(move || asker.trim()).join().unwrap();
    // The 64th return: admitted (no cap yet), then the cap it completes
    // is 256 bytes.
    drop(large);
    assert_eq!(learned(&pool), 128 * CAP_HEADROOM);
    let s = pool.stats();
    assert!(s.retained_bytes < 1 << 20, "kept over the new cap: {s:?}");
    assert_eq!(s.rejected, 1, "{s:?}");
    assert_conserved("after the return", &s, 0, 0);
}

#[test]
fn a_factory_that_makes_room_up_front_is_never_refused_its_own_values() {
    // The uses need 1000 bytes, so the window alone would learn 2 KiB; the
    // factory's values keep 64 KiB each, and refusing them would make every
    // get call the factory again.
    let pool = Pool::builder(|| Vec::<u8>::with_capacity(64 << 10))
        .calibrate()
        .build();
    for _ in 0..2 * CALIBRATION_WINDOW {
        serve(&pool, 1000);
    }
    assert_eq!(learned(&pool), 64 << 10);
    let s = pool.stats();
    assert_eq!((s.created, s.rejected), (1, 0), "{s:?}");
    // Uses of 20,000 bytes would learn 64 KiB on their own: the cap the
    // pool applies is unchanged, and so is what it reports.
    for _ in 0..2 * CALIBRATION_WINDOW {
        serve(&pool, 20_000);
    }
    let l = pool.learned_cap().unwrap();
    assert_eq!((l.bytes, l.changes), (Some(64 << 10), 1), "{l:?}");
    // A value grown past what the factory gives is still refused.
    serve(&pool, 200 << 10);
    assert_eq!(pool.stats().rejected, 1);
    assert_conserved("after the large one", &pool.stats(), 0, 0);
}

/// Bodies shrink tenfold while `late` other threads each hold 31 sizes
/// from before, not handed in yet (a thread hands its sizes in every 32
/// returns); they hand them in after this thread's first 32 small
/// returns. Returns how many small returns this thread made before the
/// cap fell.
fn returns_until_the_fall(late: usize) -> u64 {
    let pool = Arc::new(Pool::builder(Vec::<u8>::new).calibrate().build());
    // Ends at a window's boundary: a window of small returns lowers the
    // cap, unless late sizes land in it.
    for _ in 0..FIRST_CALIBRATION_WINDOW + CALIBRATION_WINDOW {
        serve(&pool, 40_000);
    }
    assert_eq!(learned(&pool), 65_536 * CAP_HEADROOM);
    let step = Arc::new(Barrier::new(late + 1));
    let others: Vec<_> = (0..late)
        .map(|_| {
            let (pool, step) = (Arc::clone(&pool), Arc::clone(&step));
            std::thread::spawn(move || {
                (0..31).for_each(|_| serve(&pool, 40_000));
                step.wait();
                step.wait();
                // One small return, then the thread's exit hands in what
                // it holds.
                serve(&pool, 4000);
            })
        })
        .collect();
    step.wait();
    let mut others = Some(others);
    let mut small = 0;
    while learned(&pool) > 8192 {
        serve(&pool, 4000);
        small += 1;
        if small == 32 {
            step.wait();
            let others = others.take().into_iter().flatten();
            others.for_each(|t| t.join().unwrap());
        }
        assert!(small <= 10 * CALIBRATION_WINDOW, "the cap never fell");
    }
    small
}

#[test]
fn other_threads_late_sizes_hold_a_fall_back_within_the_stated_bound() {
    // One thread alone: one window of small returns.
    assert_eq!(returns_until_the_fall(0), CALIBRATION_WINDOW);
    // Two more threads' 62 late sizes, over 5% of the window they land in,
    // keep the old cap for that window: this thread's first 32, their 64
    // (62 old, 2 new) and this thread's next 928 fill it. The next 1,024
    // lower the cap: 1,984 in all.
    let late = returns_until_the_fall(2);
    assert_eq!(late, 2 * CALIBRATION_WINDOW - 64);
    // Within the bound `PoolBuilder::calibrate` states for three threads:
    // 2 + floor(31 x 3 / 52) = 3 windows of returns, and up to 31 per
    // thread not handed in yet.
    assert!(late + 2 <= 3 * CALIBRATION_WINDOW + 3 * 31, "{late}");
}
