//! What a pool keeps of the process's heap, measured by a counting global
//! allocator: the byte budget must see all of it (a value's inline size, a
//! `reset_with` field's capacity, the stash storage), and a pool that is
//! dropped, or a `get` whose factory panics, must leave nothing behind.
//!
//! The live-bytes figure is process-wide, so the tests of this binary run
//! one at a time (`SERIAL`), each on a fresh thread of its own so that no
//! thread-local state carries over from another test.

use pool_runtime::{Pool, Poolable, Pooled};
use pool_suite::{assert_conserved, CountingAlloc};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, Once};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

static SERIAL: Mutex<()> = Mutex::new(());

const KIB: usize = 1 << 10;

/// Runs `body` alone, on a thread of its own.
fn isolated(body: impl FnOnce() + Send + 'static) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    if let Err(panic) = std::thread::spawn(body).join() {
        panic::resume_unwind(panic);
    }
}

/// The heap bytes live now, less `baseline`, as a signed figure.
fn live_since(baseline: usize) -> i64 {
    ALLOC.live_bytes().wrapping_sub(baseline) as i64
}

const ARRAY: usize = 16 << 10;
const BUDGET: usize = 64 << 10;
/// Allowance for the pool's own bookkeeping next to its values.
const SLACK: i64 = 32 << 10;

/// A 16 KiB array holds no heap of its own, but every one the pool keeps
/// costs its 16 KiB of the pool's storage: `max_bytes` must count that, and
/// the stash must not reserve room for `max_per_thread` of them up front.
#[test]
fn a_budget_of_64k_keeps_a_pool_of_16k_arrays_within_64k() {
    isolated(|| {
        let baseline = ALLOC.live_bytes();
        let pool: Pool<[u8; ARRAY]> = Pool::builder(|| [0u8; ARRAY]).max_bytes(BUDGET).build();

        drop(pool.get());
        let one = live_since(baseline);
        let s1 = pool.stats();

        {
            let mut held = Vec::with_capacity(100);
            for _ in 0..100 {
                held.push(pool.get());
            }
        }
        let burst = live_since(baseline);
        let s2 = pool.stats();

        pool.clear();
        let cleared = live_since(baseline);
        let s3 = pool.stats();
        println!(
            "16 KiB arrays, max_bytes 64 KiB: live {one} B after one get/drop ({s1:?}), \
             {burst} B after a burst of 100 ({s2:?}), {cleared} B after clear ({s3:?})"
        );
        assert!(
            one <= BUDGET as i64 + SLACK,
            "one value: {one} bytes live, {s1:?}"
        );
        assert!(
            burst <= BUDGET as i64 + SLACK,
            "after the burst: {burst} bytes live, {s2:?}"
        );
        assert!(s2.retained_bytes <= BUDGET, "{s2:?}");
        assert!(
            s2.retained_bytes >= s2.retained * ARRAY,
            "each retained array counts its inline size: {s2:?}"
        );
        assert!(
            cleared <= 16 * KIB as i64,
            "after clear: {cleared} bytes live"
        );
        assert_conserved("after the burst and clear", &s3, 0, 0);
    });
}

fn clear_vec(v: &mut Vec<u8>) {
    v.clear();
}

#[derive(Poolable)]
struct Custom {
    #[pool(reset_with = clear_vec)]
    v: Vec<u8>,
}

/// A `reset_with` field is reset by the user's function, but its capacity is
/// still held by the pool and must count against the budget.
#[test]
fn a_reset_with_field_counts_its_capacity() {
    isolated(|| {
        let c = Custom {
            v: Vec::with_capacity(1 << 20),
        };
        let bytes = c.retained_bytes();
        let pool = Pool::builder(|| Custom { v: Vec::new() })
            .max_bytes(4096)
            .build();
        pool.put(c);
        for _ in 1..10 {
            pool.put(Custom {
                v: Vec::with_capacity(1 << 20),
            });
        }
        let s = pool.stats();
        println!("reset_with field of 1 MiB: retained_bytes() = {bytes}; 10 put: {s:?}");
        assert!(bytes >= 1 << 20, "retained_bytes() = {bytes}");
        assert_eq!(
            s.retained, 0,
            "1 MiB values kept under a 4 KiB budget: {s:?}"
        );
        assert!(s.retained_bytes <= 4096, "{s:?}");
        assert_conserved("after ten puts of 1 MiB values", &s, 10, 0);
    });
}

/// The panic message of `factory_fails`, which the hook below keeps quiet
/// (libtest would capture 100k of them, and that grows the heap too).
const FACTORY_FAILS: &str = "factory fails (expected by the test)";

fn quiet_factory_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&FACTORY_FAILS) {
                previous(info);
            }
        }));
    });
}

fn factory_fails() -> Vec<u8> {
    panic::panic_any(FACTORY_FAILS)
}

/// Operations per heap-growth test.
const REPEATS: usize = if cfg!(miri) { 100 } else { 100_000 };

/// How much more the process's heap holds after `op` ran `n` times than
/// before, after 100 runs to warm what is made once (the thread's id, the
/// pool's stash table, the panic machinery).
fn heap_growth_over(n: usize, op: impl Fn()) -> i64 {
    for _ in 0..100 {
        op();
    }
    let baseline = ALLOC.live_bytes();
    for _ in 0..n {
        op();
    }
    live_since(baseline)
}

/// A `get` whose factory panics leaves the pool as it was: nothing of it
/// (an exit-hook registration, a stash) may pile up per failed call.
#[test]
fn a_panicking_factory_does_not_grow_the_heap() {
    isolated(|| {
        quiet_factory_panics();
        let pool = Pool::new(factory_fails);
        let attempt = || {
            let r = panic::catch_unwind(AssertUnwindSafe(|| drop(pool.get())));
            assert!(r.is_err());
        };
        let grown = heap_growth_over(REPEATS, attempt);
        let s = pool.stats();
        println!("{REPEATS} failed gets: heap grew by {grown} bytes; {s:?}");
        assert!(
            grown < 64 * KIB as i64,
            "{REPEATS} failed gets kept {grown} bytes"
        );
        assert_conserved("after the failed gets", &s, 0, 0);
    });
}

/// A thread asks to be told of its exit once per pool, not once per slow
/// path: a stash of one, overflowing on every second return, takes the slow
/// return path half the time for as long as the thread lives.
#[test]
fn a_long_lived_thread_registers_its_exit_hook_once() {
    isolated(|| {
        let pool = Pool::builder(|| 0u64).max_per_thread(1).build();
        let round = || {
            let (a, b) = (pool.get(), pool.get());
            drop((a, b)); // the second overflows: the slow return path
        };
        let grown = heap_growth_over(REPEATS, round);
        println!("{REPEATS} overflowing returns: heap grew by {grown} bytes");
        assert!(
            grown < 64 * KIB as i64,
            "{REPEATS} slow returns kept {grown} bytes"
        );
        assert_conserved("after the overflowing returns", &pool.stats(), 0, 0);
    });
}

/// The same after the pool has had values: the gets that fail find the
/// stash and shared tier empty (everything held).
#[test]
fn a_panicking_factory_after_use_does_not_grow_the_heap() {
    use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
    static FAIL: AtomicBool = AtomicBool::new(false);
    isolated(|| {
        quiet_factory_panics();
        FAIL.store(false, Relaxed);
        let pool = Pool::new(|| {
            if FAIL.load(Relaxed) {
                factory_fails()
            } else {
                Vec::<u8>::with_capacity(64)
            }
        });
        let held: Vec<_> = (0..100).map(|_| pool.get()).collect();
        drop(held);
        let held: Vec<_> = (0..100).map(|_| pool.get()).collect();
        FAIL.store(true, Relaxed);
        let attempt = || {
            let r = panic::catch_unwind(AssertUnwindSafe(|| drop(pool.get())));
            assert!(r.is_err());
        };
        let grown = heap_growth_over(REPEATS, attempt);
        FAIL.store(false, Relaxed);
        drop(held);
        let s = pool.stats();
        println!("{REPEATS} failed gets after use: heap grew by {grown} bytes; {s:?}");
        assert!(
            grown < 64 * KIB as i64,
            "{REPEATS} failed gets kept {grown} bytes"
        );
        assert_conserved(
            "after the failed gets and the return of the held value",
            &s,
            0,
            0,
        );
    });
}

const POOLS: usize = if cfg!(miri) { 50 } else { 10_000 };
/// What 10k dropped pools may leave behind, all told.
const DROPPED_POOLS_SLACK: i64 = 256 << 10;

fn used_pool() -> Pool<Vec<u8>> {
    let pool = Pool::new(|| Vec::<u8>::with_capacity(64));
    drop(pool.get());
    pool
}

/// A dropped pool frees everything it had, at once: not when the thread
/// that used it exits, nor when enough later pools come to prune it.
#[test]
fn ten_thousand_pools_used_and_dropped_one_by_one_leave_nothing() {
    isolated(|| {
        drop(used_pool());
        let baseline = ALLOC.live_bytes();
        for _ in 0..POOLS {
            drop(used_pool());
        }
        let left = live_since(baseline);
        println!("{POOLS} pools used and dropped one by one: {left} bytes still live");
        assert!(
            left < DROPPED_POOLS_SLACK,
            "{POOLS} dropped pools left {left} bytes live"
        );
    });
}

#[test]
fn ten_thousand_pools_alive_at_once_then_dropped_leave_nothing() {
    isolated(|| {
        drop(used_pool());
        let baseline = ALLOC.live_bytes();
        let pools: Vec<_> = (0..POOLS).map(|_| used_pool()).collect();
        let peak = live_since(baseline);
        drop(pools);
        let left = live_since(baseline);
        println!(
            "{POOLS} pools alive at once: {peak} bytes at the peak, {left} bytes live after dropping them"
        );
        assert!(
            left < DROPPED_POOLS_SLACK,
            "{POOLS} dropped pools left {left} bytes live"
        );
    });
}

/// A learning pool records its returns' sizes per thread; the slot table's
/// first bucket makes its eight slots at once, so the record waits for the
/// slot's first return, and the first get costs what it costs in a pool
/// with a fixed cap.
#[test]
fn a_learning_pool_records_sizes_only_for_threads_that_return() {
    isolated(|| {
        fn first_get_bytes(pool: &Pool<Vec<u8>>) -> i64 {
            let baseline = ALLOC.live_bytes();
            let guard = pool.get();
            let bytes = live_since(baseline);
            drop(guard);
            bytes
        }
        // The thread's own registration, once for every pool.
        drop(Pool::new(Vec::<u8>::new).get());
        // The live bytes are the whole process's: the test harness may
        // start a thread while one is measured, so a few tries, each with
        // two new pools; eight records made up front would show in all.
        let tries: Vec<(i64, i64)> = (0..5)
            .map(|_| {
                let fixed = Pool::builder(Vec::<u8>::new)
                    .max_value_bytes(1 << 20)
                    .build();
                let learning = Pool::builder(Vec::<u8>::new).calibrate().build();
                (first_get_bytes(&learning), first_get_bytes(&fixed))
            })
            .collect();
        assert!(
            tries.iter().any(|(learning, fixed)| learning == fixed),
            "(learning, fixed) bytes of a first get: {tries:?}"
        );
    });
}

/// Threads alive at once while the high-id thread is measured: each holds
/// a thread id, so the thread spawned after them gets one at least this high
/// (ids are reused smallest first).
const HELD: usize = if cfg!(miri) { 20 } else { 2_100 };
/// Fresh pools each measuring thread uses once.
const FRESH: usize = if cfg!(miri) { 10 } else { 100 };

/// The heap that `FRESH` new `Pool<u64>`, each used once on the calling
/// thread, hold per pool; the thread's own registration made beforehand.
fn bytes_per_fresh_pool() -> i64 {
    drop(Pool::new(|| 0u64).get());
    let baseline = ALLOC.live_bytes();
    let pools: Vec<Pool<u64>> = (0..FRESH)
        .map(|_| {
            let pool = Pool::new(|| 0u64);
            drop(pool.get());
            pool
        })
        .collect();
    let per_pool = live_since(baseline) / FRESH as i64;
    drop(pools);
    per_pool
}

/// What a pool holds for a thread does not depend on the thread's id: a
/// long-lived thread that got a high id while thousands of threads were
/// alive costs each pool it uses what a thread with a small id does, not a
/// slot for every id up to its own.
#[test]
fn a_thread_with_a_high_id_costs_a_pool_what_a_low_id_thread_does() {
    use std::sync::{Arc, Barrier};
    isolated(|| {
        // This thread holds a small id: nothing else holds one now.
        let low = bytes_per_fresh_pool();

        // `HELD` threads take an id each and stay alive until released.
        let (ready, release) = (
            Arc::new(Barrier::new(HELD + 1)),
            Arc::new(Barrier::new(HELD + 1)),
        );
        let pool = Arc::new(Pool::new(|| 0u64));
        let held: Vec<_> = (0..HELD)
            .map(|_| {
                let (ready, release, pool) = (ready.clone(), release.clone(), pool.clone());
                std::thread::Builder::new()
                    .stack_size(64 << 10)
                    .spawn(move || {
                        drop(pool.get());
                        ready.wait();
                        release.wait();
                    })
                    .unwrap()
            })
            .collect();
        ready.wait();
        // They and this thread hold `HELD + 1` ids, the smallest there
        // were: a thread spawned now gets the next one.
        let high = std::thread::spawn(bytes_per_fresh_pool).join().unwrap();
        release.wait();
        for thread in held {
            thread.join().unwrap();
        }
        println!(
            "{FRESH} fresh Pool<u64> used once: {low} B per pool on a thread with a small id, \
             {high} B per pool on one with an id past {HELD}"
        );
        assert!(
            high <= 2 * low,
            "per pool: {high} B for a high id, {low} B for a low one"
        );
    });
}

/// What the stashes and the shared tier keep of the heap after a burst on
/// four threads that stay alive, once `clear()` and two trims have freed
/// every value: the values are gone, and so must be the storage that held
/// them (16 KiB per entry here), though `retained_bytes` cannot see it.
#[test]
fn storage_of_stashes_and_the_shared_tier_goes_when_trimming_empties_them() {
    isolated(|| {
        const THREADS: usize = 4;
        let baseline = ALLOC.live_bytes();
        let pool = std::sync::Arc::new(
            Pool::builder(|| [0u8; ARRAY])
                .max_bytes(1 << 20)
                .max_per_thread(64)
                .build(),
        );
        let (park, parked) = std::sync::mpsc::channel::<()>();
        let parked = std::sync::Arc::new(Mutex::new(parked));
        let ready = std::sync::Arc::new(std::sync::Barrier::new(THREADS + 1));
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                let (pool, ready, parked) = (pool.clone(), ready.clone(), parked.clone());
                std::thread::spawn(move || {
                    // The stash's storage grows with the burst, then the
                    // gets of a second one empty it; those values leave
                    // for good (held by the thread, like a long job).
                    let held: Vec<_> = (0..48).map(|_| pool.get()).collect();
                    drop(held);
                    let kept: Vec<_> = (0..48).map(|_| pool.get()).collect();
                    let kept: Vec<[u8; ARRAY]> = kept.into_iter().map(Pooled::detach).collect();
                    ready.wait();
                    let _ = parked.lock().unwrap().recv();
                    drop(kept);
                })
            })
            .collect();
        ready.wait();
        // The values the threads detached are theirs, not the pool's.
        let detached = (THREADS * 48 * ARRAY) as i64;
        let burst = live_since(baseline) - detached;
        pool.clear();
        pool.trim();
        pool.trim();
        let left = live_since(baseline) - detached;
        let s = pool.stats();
        println!("16 KiB arrays on {THREADS} idle threads: {burst} B live after the burst, {left} B after clear and two trims ({s:?})");
        assert_eq!((s.retained, s.retained_bytes), (0, 0), "{s:?}");
        assert!(
            left < SLACK,
            "{left} bytes still live with nothing retained (storage kept)"
        );
        drop(park);
        workers.into_iter().for_each(|w| w.join().unwrap());
    });
}
