//! A global allocator that itself uses a pool (a tracing allocator that
//! keeps a pooled record per call), while the program uses the same pool:
//! the pool's own allocations (a stash's storage growing or shrinking, the
//! shared tier's, what a trim takes out) then call back into the pool from
//! inside it. Such calls must not touch the stash or lock in use: they are
//! served by the factory and their values dropped, and nothing is handed
//! out twice. Run under miri too (`.ci/reliability`), which would see a
//! second borrow of a stash.

use pool_runtime::{Pool, Poolable};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use std::thread;

/// A record the allocator fills on each call: `used` while out, so a
/// record handed out twice at once shows.
#[derive(Default)]
struct Record {
    used: bool,
    calls: u64,
}

impl Poolable for Record {
    fn reset(&mut self) {
        self.used = false;
    }
}

static RECORDS: OnceLock<Pool<Record>> = OnceLock::new();
static ON: AtomicBool = AtomicBool::new(false);
static TWICE: AtomicU64 = AtomicU64::new(0);
static TRACED: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The allocator's own guard: what the pool allocates while serving
    /// the allocator goes straight to the system.
    static TRACING: Cell<bool> = const { Cell::new(false) };
}

struct TracingAlloc;

impl TracingAlloc {
    fn trace(&self) {
        if !ON.load(SeqCst) || TRACING.with(Cell::get) {
            return;
        }
        let Some(pool) = RECORDS.get() else { return };
        TRACING.with(|t| t.set(true));
        let mut record = pool.get();
        if record.used {
            TWICE.fetch_add(1, SeqCst);
        }
        record.used = true;
        record.calls += 1;
        drop(record);
        TRACED.fetch_add(1, SeqCst);
        TRACING.with(|t| t.set(false));
    }
}

// SAFETY: forwards every call to the system allocator unchanged; `trace`
// allocates only through this same allocator, guarded against recursion.
unsafe impl GlobalAlloc for TracingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.trace();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.trace();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: TracingAlloc = TracingAlloc;

const ROUNDS: usize = if cfg!(miri) { 2 } else { 50 };
const BURST: usize = if cfg!(miri) { 12 } else { 200 };

/// Runs `body` on a thread of its own and fails if it has not returned
/// within 60 s: a pool that takes its own lock again deadlocks.
fn within_deadline(body: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    let runner = thread::spawn(move || {
        body();
        let _ = done.send(());
    });
    match finished.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(()) => runner.join().unwrap(),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(runner.join().unwrap_err())
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("did not return within 60 s: deadlocked")
        }
    }
}

#[test]
fn a_pool_used_by_the_global_allocator_and_by_the_program_hands_nothing_out_twice() {
    within_deadline(uses_of_one_pool_from_the_allocator_and_the_program);
}

fn uses_of_one_pool_from_the_allocator_and_the_program() {
    let pool = RECORDS.get_or_init(|| {
        Pool::builder(Record::default)
            .max_per_thread(BURST)
            .max_shared(BURST)
            .build()
    });
    ON.store(true, SeqCst);
    let workers: Vec<_> = (0..2)
        .map(|_| {
            thread::spawn(move || {
                for round in 0..ROUNDS {
                    // Bursts grow the stash's storage (an allocation inside
                    // the pool), the overflow moves batches to the shared
                    // tier, trims and clears free storage.
                    let mut held: Vec<_> = (0..BURST).map(|_| pool.get()).collect();
                    for r in &mut held {
                        assert!(!r.used, "a record handed out while in use");
                        r.used = true;
                    }
                    drop(held);
                    match round % 3 {
                        0 => pool.trim(),
                        1 => pool.clear(),
                        _ => drop(Arc::new(round)),
                    }
                }
            })
        })
        .collect();
    workers.into_iter().for_each(|w| w.join().unwrap());
    ON.store(false, SeqCst);
    assert_eq!(TWICE.load(SeqCst), 0, "the allocator got a record in use");
    assert!(TRACED.load(SeqCst) > 0);
    let s = pool.stats();
    pool_suite::assert_conserved("after the workers", &s, 0, s.out as u64);
}
