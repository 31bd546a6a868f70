//! The unit test that rests on the runtime's insides: threads racing to
//! allocate the same bucket of the slot table, whose layout (ids below
//! `table::FIRST` share the first bucket) is private. Small enough for miri:
//! `MIRIFLAGS=-Zmiri-strict-provenance cargo +nightly miri test -p pool-runtime --lib`.
//!
//! The other paths threads meet on (the owner-only cell of each slot, the
//! guards' `ManuallyDrop` takes, the thread-exit hook, a pool dropped under
//! live stashes) go through the public API alone: they are
//! `tests/pool_threads/`, which `.ci/reliability` runs under miri too.

use crate::{Pool, Poolable};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Barrier};
use std::thread;

/// Rounds of the loop below: miri runs it a few hundred times slower.
const ROUNDS: usize = if cfg!(miri) { 4 } else { 200 };

/// A value that counts itself: the factory adds one to `live`, its drop
/// takes one away, so a value lost or dropped twice shows in the count.
struct Token {
    live: Arc<AtomicUsize>,
    /// Set while checked out; a reset clears it.
    used: bool,
}

impl Token {
    /// Checks the value was reset and marks it used.
    fn use_it(&mut self) {
        assert!(!self.used, "not reset");
        self.used = true;
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.live.fetch_sub(1, SeqCst);
    }
}

impl Poolable for Token {
    fn reset(&mut self) {
        self.used = false;
    }
}

#[test]
fn threads_racing_to_make_the_same_bucket_all_get_a_slot() {
    let live = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&live);
    let pool = Arc::new(
        Pool::builder(move || {
            count.fetch_add(1, SeqCst);
            Token {
                live: Arc::clone(&count),
                used: false,
            }
        })
        .max_per_thread(4)
        .build(),
    );
    // No thread has used the pool: all three race to allocate the bucket
    // of their ids (ids below 8 share the first one).
    let start = Arc::new(Barrier::new(3));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (pool, start) = (Arc::clone(&pool), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                for _ in 0..ROUNDS {
                    let mut a = pool.get();
                    a.use_it();
                    let mut b = pool.get();
                    b.use_it();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = pool.stats();
    assert_eq!(s.returned, 3 * 2 * ROUNDS as u64);
    // Conserved: with no puts and no guard held, every value made is
    // retained or gone one of the ways the counters name.
    assert_eq!(
        s.created,
        s.retained as u64 + s.rejected + s.dropped + s.evicted + s.detached,
        "{s:?}"
    );
    drop(pool);
    assert_eq!(live.load(SeqCst), 0, "every value dropped once");
}
