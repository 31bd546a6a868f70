//! The `handoff` harness: batches made on one thread, returned on another.

use crate::alloc::{allocs_now, set_counting};
use crate::harness::{counted_ops, Sample};
use crossbeam_queue::ArrayQueue;
use std::sync::Barrier;
use std::time::Instant;

/// Objects per `handoff` batch.
const BATCH: usize = 64;

/// A `handoff` thread's wait for the other: spin, and give the core away
/// now and then in case the other thread is not running (a shared VM).
fn wait(spins: &mut u32) {
    *spins += 1;
    if *spins % 4096 == 0 {
        std::thread::yield_now();
    } else {
        std::hint::spin_loop();
    }
}

/// Batches in flight between the two `handoff` threads.
const IN_FLIGHT: usize = 2;

/// `handoff`: thread A gets 64 objects, uses each (the `buf4k` use), sends
/// the batch through a bounded queue; thread B drops them. Per object: the
/// later of the two threads' end, from the common start, over the objects.
/// Timed with counting off; then, untimed, the count pass:
/// [`counted_ops`] batches more, counted.
///
/// The queue is lock-free and both ends spin (yielding now and then) rather
/// than sleep: with a blocking channel, putting threads to sleep and waking
/// them cost more than any contender's own work here (an empty `Vec` sent
/// the same way took 544 ns per object against the pool's 502), so the row
/// measured the OS scheduler. The `queue-only` row is that queue alone.
pub fn measure_handoff<G, Get, Put>(batches: u64, get: Get, put: Put) -> Sample
where
    G: Send,
    Get: Fn() -> G + Sync,
    Put: Fn(G) + Sync,
{
    let warm = (batches / 8).max(16);
    let counted = counted_ops(batches);
    let queue = ArrayQueue::<[G; BATCH]>::new(IN_FLIGHT);
    let barrier = Barrier::new(3);
    std::thread::scope(|s| {
        let (get, put, barrier, queue) = (&get, &put, &barrier, &queue);
        let a = s.spawn(move || {
            let send = |n: u64| {
                for _ in 0..n {
                    let mut batch: [G; BATCH] = std::array::from_fn(|_| get());
                    let mut spins = 0u32;
                    while let Err(back) = queue.push(batch) {
                        batch = back;
                        wait(&mut spins);
                    }
                }
            };
            send(warm);
            barrier.wait();
            barrier.wait();
            let t = Instant::now();
            send(batches);
            let el = t.elapsed();
            barrier.wait(); // done
            barrier.wait(); // the count has started
            send(counted);
            barrier.wait(); // all counted
            el
        });
        let b = s.spawn(move || {
            let recv = |n: u64| {
                for _ in 0..n {
                    let mut spins = 0u32;
                    let batch = loop {
                        match queue.pop() {
                            Some(batch) => break batch,
                            None => wait(&mut spins),
                        }
                    };
                    for g in batch {
                        put(g);
                    }
                }
            };
            recv(warm);
            barrier.wait();
            barrier.wait();
            let t = Instant::now();
            recv(batches);
            let el = t.elapsed();
            barrier.wait(); // done
            barrier.wait(); // the count has started
            recv(counted);
            barrier.wait(); // all counted
            el
        });
        barrier.wait();
        barrier.wait();
        barrier.wait();
        set_counting(true);
        let a0 = allocs_now();
        barrier.wait();
        barrier.wait();
        let a1 = allocs_now();
        set_counting(false);
        let ta = a.join().expect("sender panicked");
        let tb = b.join().expect("receiver panicked");
        let objects = batches * BATCH as u64;
        Sample {
            ns_per_op: ta.max(tb).as_nanos() as f64 / objects as f64,
            allocs: a1 - a0,
            counted_ops: counted * BATCH as u64,
            retained_bytes: None,
        }
    })
}
