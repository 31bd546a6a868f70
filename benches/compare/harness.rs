//! The timing harness of the inlined and outlined cells: [`measure`] runs
//! an inlined operation on persistent threads, [`measure_outlined`] an
//! outlined one on fresh threads for a time slice (both modes are
//! described in `main.rs`).
//!
//! Both time the operation with the allocators' counting off, then count
//! its allocations in a pass of their own, untimed, on the same threads
//! right after the timed loop ([`counted_ops`] operations per thread, with
//! counting on): the counters' shared cache line is never in a timed loop.

use crate::alloc::{allocs_now, set_counting};
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
pub struct Sample {
    /// From the timed loop, counting off.
    pub ns_per_op: f64,
    /// Allocations of the count pass, over all threads.
    pub allocs: u64,
    /// Operations of the count pass, over all threads.
    pub counted_ops: u64,
    /// What the cell's pool retains at the end of the round, in the pool's
    /// own count (`Stats::retained_bytes`), where the cell reports it.
    pub retained_bytes: Option<usize>,
}

/// Operations per thread of a cell's count pass, for `ops` timed ones: an
/// eighth of them, at least 10 000 (all of them below that), so that the
/// rare allocation of a warm pool still shows and the pass stays short.
pub fn counted_ops(ops: u64) -> u64 {
    ops.min((ops / 8).max(10_000))
}

/// Counts the allocations of `f`: counting on around it, off again after.
pub fn count_allocs(f: impl FnOnce()) -> u64 {
    set_counting(true);
    let a0 = allocs_now();
    f();
    let a1 = allocs_now();
    set_counting(false);
    a1 - a0
}

/// Runs `op` `ops` times on each of `threads` threads (after a warm-up on
/// each), all released together; time of the slowest thread per op. Then,
/// untimed, the count pass: [`counted_ops`] more on each thread, counted.
pub fn measure<F: Fn(u64) + Sync>(threads: usize, ops: u64, op: F) -> Sample {
    let warm = (ops / 8).max(256);
    let counted = counted_ops(ops);
    if threads == 1 {
        for i in 0..warm {
            op(i);
        }
        let t = Instant::now();
        for i in 0..ops {
            op(i);
        }
        let el = t.elapsed();
        let allocs = count_allocs(|| {
            for i in 0..counted {
                op(i);
            }
        });
        return Sample {
            ns_per_op: el.as_nanos() as f64 / ops as f64,
            allocs,
            counted_ops: counted,
            retained_bytes: None,
        };
    }
    let barrier = Barrier::new(threads + 1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    for i in 0..warm {
                        op(i);
                    }
                    barrier.wait(); // warm
                    barrier.wait(); // go
                    let t = Instant::now();
                    for i in 0..ops {
                        op(i);
                    }
                    let el = t.elapsed();
                    barrier.wait(); // all done
                    barrier.wait(); // the count has started
                    for i in 0..counted {
                        op(i);
                    }
                    barrier.wait(); // all counted
                    el
                })
            })
            .collect();
        barrier.wait();
        barrier.wait();
        barrier.wait();
        set_counting(true);
        let a0 = allocs_now();
        barrier.wait();
        barrier.wait();
        let a1 = allocs_now();
        set_counting(false);
        let slowest = handles
            .into_iter()
            .map(|h| h.join().expect("bench thread panicked"))
            .max()
            .unwrap_or_default();
        Sample {
            ns_per_op: slowest.as_nanos() as f64 / ops as f64,
            allocs: a1 - a0,
            counted_ops: counted * threads as u64,
            retained_bytes: None,
        }
    })
}

/// How long each thread of an outlined cell runs its operation in a round,
/// from its first call: the outside method's slice. Time-boxed rather than
/// counted, as an outside harness does it, so that every contender's
/// threads live equally long.
pub const SLICE: Duration = Duration::from_millis(15);

/// Calls between two readings of the clock in a slice: a reading (some
/// 20 ns) then costs each call well under a tenth of a nanosecond, the same
/// for every contender.
const CALLS_PER_READING: u64 = 1000;

/// One whole outlined operation (get, use, drop), made on the thread that
/// calls it; it borrows the cell's pool.
pub type OutlinedOp<'p> = Box<dyn FnMut() + 'p>;

/// What every thread of an outlined cell makes its operation with: one
/// factory, shared by the threads, called on each.
pub type MakeOp<'p> = Box<dyn Fn() -> OutlinedOp<'p> + Sync + 'p>;

/// The outlined loop: `op` called `calls` times through its vtable. Not
/// inlined, and `op` laundered through `black_box`, so that the compiler
/// knows nothing of the operation here and cannot devirtualize the call:
/// each get and return happens inside its own call, as in a program.
#[inline(never)]
fn run_outlined(op: &mut dyn FnMut(), calls: u64) {
    let op = black_box(op);
    for _ in 0..calls {
        op();
    }
}

/// Outlined, the outside method: spawns `threads` fresh threads (one for
/// one thread); each makes its operation with the shared `make_op`, and,
/// released together with the others by a barrier, calls it through
/// [`run_outlined`] for one [`SLICE`], from its very first call: no
/// warm-up, so a thread's first use of the pool (its id, its slot, its
/// first values) is in the slice as it is in a program. Then the count
/// pass: `counted` more calls on each thread, untimed. Time per op of the
/// slowest thread. The threads exit only after the allocation count is
/// read, so that what a thread's exit gives back to the pool (or
/// allocates) is not counted; each is joined before the next cell, so that
/// its exit (which gives back its thread id) is over.
pub fn measure_outlined(threads: usize, counted: u64, make_op: &MakeOp<'_>) -> Sample {
    let barrier = Barrier::new(threads + 1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut op = make_op();
                    barrier.wait(); // made
                    barrier.wait(); // go
                    let t = Instant::now();
                    let mut calls = 0;
                    while t.elapsed() < SLICE {
                        run_outlined(&mut *op, CALLS_PER_READING);
                        calls += CALLS_PER_READING;
                    }
                    let per_call = t.elapsed().as_nanos() as f64 / calls as f64;
                    barrier.wait(); // all done
                    barrier.wait(); // the count has started
                    run_outlined(&mut *op, counted);
                    barrier.wait(); // all counted
                    barrier.wait(); // the count is read: the thread may now exit
                    per_call
                })
            })
            .collect();
        barrier.wait();
        barrier.wait();
        barrier.wait();
        set_counting(true);
        let a0 = allocs_now();
        barrier.wait();
        barrier.wait();
        let a1 = allocs_now();
        set_counting(false);
        barrier.wait();
        let slowest = handles
            .into_iter()
            .map(|h| h.join().expect("bench thread panicked"))
            .fold(0.0, f64::max);
        Sample {
            ns_per_op: slowest,
            allocs: a1 - a0,
            counted_ops: counted * threads as u64,
            retained_bytes: None,
        }
    })
}
