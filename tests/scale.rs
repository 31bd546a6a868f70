//! Many threads over one pool's life: ten thousand short-lived ones, one
//! wave after another, must leave the counters exact and the heap flat; two
//! thousand exiting at once must all get through their exit hooks.
//!
//! Sized for a 2-core machine (a few seconds in debug), and tiny under miri.

use pool_runtime::Pool;
use pool_suite::{assert_conserved, CountingAlloc};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

/// The heap figure is process-wide: one test at a time.
static SERIAL: Mutex<()> = Mutex::new(());

const THREADS: usize = if cfg!(miri) { 16 } else { 10_000 };
const WAVE: usize = 8;
const GETS_PER_THREAD: usize = 4;
/// What the pool may keep of the heap, its values cleared, after all those
/// threads: its stash table and the like, not anything per thread.
const FLAT: i64 = 512 << 10;
const STACK: usize = 64 << 10;

fn work(pool: &Pool<Vec<u8>>, seed: usize) {
    let mut held = Vec::with_capacity(GETS_PER_THREAD);
    for i in 0..GETS_PER_THREAD {
        let mut v = pool.get();
        v.extend_from_slice(&[seed as u8; 100][..10 + i]);
        if i % 2 == 0 {
            held.push(v); // some held across the next gets, some not
        }
    }
}

#[test]
fn ten_thousand_short_lived_threads_leave_exact_counters_and_a_flat_heap() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    // Warm: the id allocator's table and whatever std keeps for threads.
    let spawn_wave = |pool: &Arc<Pool<Vec<u8>>>, wave: usize| {
        let handles: Vec<_> = (0..WAVE)
            .map(|i| {
                let pool = Arc::clone(pool);
                thread::Builder::new()
                    .stack_size(STACK)
                    .spawn(move || work(&pool, wave * WAVE + i))
                    .expect("spawn")
            })
            .collect();
        for h in handles {
            h.join().expect("a worker panicked");
        }
    };
    let warm = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(128)));
    spawn_wave(&warm, 0);
    drop(warm);

    let baseline = ALLOC.live_bytes();
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(128)));
    for wave in 0..THREADS / WAVE {
        spawn_wave(&pool, wave);
    }
    let s = pool.stats();
    assert_conserved("after the waves", &s, 0, 0);
    assert_eq!(s.returned, (THREADS * GETS_PER_THREAD) as u64, "{s:?}");
    assert!(s.retained <= pool_runtime::DEFAULT_MAX_SHARED + pool_runtime::DEFAULT_MAX_PER_THREAD);
    let with_values = ALLOC.live_bytes().wrapping_sub(baseline) as i64;
    pool.clear();
    let s = pool.stats();
    assert_conserved("after clear", &s, 0, 0);
    assert_eq!(s.retained, 0, "{s:?}");
    let flat = ALLOC.live_bytes().wrapping_sub(baseline) as i64;
    println!(
        "{THREADS} threads in waves of {WAVE}: {with_values} bytes live with the pool's values, \
         {flat} after clear(); {s:?}"
    );
    assert!(
        flat < FLAT,
        "{THREADS} threads left {flat} bytes live (pool values cleared)"
    );
    drop(pool);
    let after_drop = ALLOC.live_bytes().wrapping_sub(baseline) as i64;
    assert!(
        after_drop < FLAT,
        "{after_drop} bytes live after the pool was dropped"
    );
}

const AT_ONCE: usize = if cfg!(miri) { 8 } else { 2_000 };

#[test]
fn two_thousand_threads_exiting_at_once_all_finish() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(64)));
    let start = Arc::new(Barrier::new(AT_ONCE + 1));
    let handles: Vec<_> = (0..AT_ONCE)
        .map(|i| {
            let (pool, start) = (Arc::clone(&pool), Arc::clone(&start));
            thread::Builder::new()
                .stack_size(STACK)
                .spawn(move || {
                    // Each thread has a stash (and an exit hook) before the
                    // barrier, and returns a value right as it exits.
                    drop(pool.get());
                    let mut v = pool.get();
                    v.push(i as u8);
                    start.wait();
                    drop(v);
                })
                .expect("spawn")
        })
        .collect();
    start.wait();
    for h in handles {
        h.join().expect("a worker panicked");
    }
    let s = pool.stats();
    println!("{AT_ONCE} threads exited at once: {s:?}");
    assert_eq!(s.returned, 2 * AT_ONCE as u64, "{s:?}");
    assert_conserved("after the threads exited at once", &s, 0, 0);
    assert!(
        s.retained <= pool_runtime::DEFAULT_MAX_SHARED + pool_runtime::DEFAULT_MAX_PER_THREAD,
        "{s:?}"
    );
    // The pool still works, from this thread.
    drop(pool.get());
    assert_conserved("after one more get", &pool.stats(), 0, 0);
}
