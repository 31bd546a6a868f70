//! The timing harness of the inlined and outlined cells: [`measure`] runs
//! an inlined operation on persistent threads, [`measure_outlined`] an
//! outlined one on fresh threads (both modes are described in `main.rs`).

use crate::alloc::allocs_now;
use std::hint::black_box;
use std::sync::Barrier;
use std::time::Instant;

#[derive(Clone, Copy)]
pub struct Sample {
    pub ns_per_op: f64,
    pub allocs: u64,
    pub ops: u64,
}

/// Runs `op` `ops` times on each of `threads` threads (after a warm-up on
/// each), all released together; time of the slowest thread per op.
pub fn measure<F: Fn(u64) + Sync>(threads: usize, ops: u64, op: F) -> Sample {
    let warm = (ops / 8).max(256);
    if threads == 1 {
        for i in 0..warm {
            op(i);
        }
        let a0 = allocs_now();
        let t = Instant::now();
        for i in 0..ops {
            op(i);
        }
        let el = t.elapsed();
        let a1 = allocs_now();
        return Sample {
            ns_per_op: el.as_nanos() as f64 / ops as f64,
            allocs: a1 - a0,
            ops,
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
                    barrier.wait(); // go: the count has started
                    let t = Instant::now();
                    for i in 0..ops {
                        op(i);
                    }
                    let el = t.elapsed();
                    barrier.wait(); // all done
                    el
                })
            })
            .collect();
        barrier.wait();
        let a0 = allocs_now();
        barrier.wait();
        barrier.wait();
        let a1 = allocs_now();
        let slowest = handles
            .into_iter()
            .map(|h| h.join().expect("bench thread panicked"))
            .max()
            .unwrap_or_default();
        Sample {
            ns_per_op: slowest.as_nanos() as f64 / ops as f64,
            allocs: a1 - a0,
            ops: ops * threads as u64,
        }
    })
}

/// Operations each fresh thread of an outlined round does before the clock
/// starts: its first operations set up what a new thread needs (its thread
/// id, its stash in the pool) and bring code and objects into cache; the
/// timed loop then measures a thread that has settled, not its first calls.
pub const OUTLINED_WARM: u64 = 1000;

/// One whole outlined operation (get, use, drop), made on the thread that
/// calls it; it borrows the cell's pool.
pub type OutlinedOp<'p> = Box<dyn FnMut(u64) + 'p>;

/// The outlined loop: `op` called `ops` times through its vtable. Not
/// inlined, and `op` laundered through `black_box`, so that the compiler
/// knows nothing of the operation here and cannot devirtualize the call:
/// each get and return happens inside its own call, as in a program.
#[inline(never)]
fn run_outlined(op: &mut dyn FnMut(u64), ops: u64) {
    let op = black_box(op);
    for i in 0..ops {
        op(i);
    }
}

/// Outlined: spawns `threads` fresh threads (one for one thread); each makes
/// its operation with `make_op`, runs [`OUTLINED_WARM`] operations, then,
/// released together with the others by a barrier, `ops` timed ones through
/// [`run_outlined`]. Time of the slowest thread per op. The threads exit
/// only after the allocation count is read, so that what a thread's exit
/// gives back to the pool (or allocates) is not counted.
pub fn measure_outlined<'p, M>(threads: usize, ops: u64, make_op: M) -> Sample
where
    M: Fn() -> OutlinedOp<'p> + Sync,
{
    let barrier = Barrier::new(threads + 1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut op = make_op();
                    run_outlined(&mut *op, OUTLINED_WARM);
                    barrier.wait(); // warm
                    barrier.wait(); // go: the count has started
                    let t = Instant::now();
                    run_outlined(&mut *op, ops);
                    let el = t.elapsed();
                    barrier.wait(); // all done
                    barrier.wait(); // counted: the thread may now exit
                    el
                })
            })
            .collect();
        barrier.wait();
        let a0 = allocs_now();
        barrier.wait();
        barrier.wait();
        let a1 = allocs_now();
        barrier.wait();
        let slowest = handles
            .into_iter()
            .map(|h| h.join().expect("bench thread panicked"))
            .max()
            .unwrap_or_default();
        Sample {
            ns_per_op: slowest.as_nanos() as f64 / ops as f64,
            allocs: a1 - a0,
            ops: ops * threads as u64,
        }
    })
}
