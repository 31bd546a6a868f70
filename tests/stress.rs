//! Several threads hammer one pool with every operation at random, then the
//! counters must add up exactly and no value may ever have been handed out
//! twice or dirty.
//!
//! Each value carries an id; a table of flags marks it in use from its
//! checkout to its return, so a value held by two guards at once panics at
//! the second checkout. Sized for a 2-core machine: about a second in
//! release, less in debug, a few hundred operations under miri.

use pool_runtime::{OwnedPooled, Pool, Poolable, Pooled, Stats};
use pool_suite::assert_conserved;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;

const THREADS: usize = 4;
const OPS: usize = if cfg!(miri) {
    150
} else if cfg!(debug_assertions) {
    20_000
} else {
    400_000
};
/// A body grown past this is over its cap.
const CAP: usize = 256;
/// Ids the table can mark: more than the values any run makes.
const IDS: usize = THREADS * OPS + 64;

/// A small seeded xorshift: reproducible runs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Val {
    id: u32,
    body: Vec<u8>,
    /// Set on use; zero again at every checkout.
    stamp: u64,
}

impl Poolable for Val {
    fn reset(&mut self) {
        self.body.clear();
        self.stamp = 0;
    }
    fn within_caps(&self) -> bool {
        self.body.capacity() <= CAP
    }
    fn retained_bytes(&self) -> usize {
        self.body.capacity()
    }
}

/// Which values exist and which are checked out now (by the id each one
/// carries), and how many the threads gave to `put`.
struct Ledger {
    ids: pool_suite::Ledger,
    puts: AtomicU64,
}

impl Ledger {
    fn new() -> Arc<Ledger> {
        Arc::new(Ledger {
            ids: pool_suite::Ledger::new(IDS),
            puts: AtomicU64::new(0),
        })
    }

    fn make(&self) -> Val {
        Val {
            id: self.ids.new_id(),
            body: Vec::new(),
            stamp: 0,
        }
    }

    /// A checkout: the value must be free and clean; it is then used.
    fn check_out(&self, v: &mut Val, rng: &mut Rng) {
        self.ids.check_out(v.id);
        assert!(
            v.body.is_empty() && v.stamp == 0,
            "value {} handed out without a reset",
            v.id
        );
        v.stamp = rng.next() | 1;
        v.body.extend((0..rng.below(CAP / 2)).map(|i| i as u8));
    }

    /// Just before a value goes back (or away): from here another thread may have it.
    fn check_in(&self, v: &Val) {
        self.ids.check_in(v.id);
    }
}

enum Held<'a> {
    Borrowed(Pooled<'a, Val>),
    Owned(OwnedPooled<Val>),
}

impl Held<'_> {
    fn val(&mut self) -> &mut Val {
        match self {
            Held::Borrowed(g) => g,
            Held::Owned(g) => g,
        }
    }
}

fn worker(
    pool: Arc<Pool<Val>>,
    ledger: Arc<Ledger>,
    seed: u64,
    to_next: mpsc::Sender<OwnedPooled<Val>>,
    from_prev: mpsc::Receiver<OwnedPooled<Val>>,
) -> mpsc::Receiver<OwnedPooled<Val>> {
    let mut rng = Rng(seed);
    let mut held: Vec<Held<'_>> = Vec::new();
    for _ in 0..OPS {
        // Guards other threads took and sent here are dropped here.
        while let Ok(g) = from_prev.try_recv() {
            ledger.check_in(&g);
            drop(g);
        }
        match rng.below(100) {
            0..=34 if held.len() < 8 => {
                let mut g = pool.get();
                ledger.check_out(&mut g, &mut rng);
                held.push(Held::Borrowed(g));
            }
            35..=44 if held.len() < 8 => {
                let mut g = pool.get_owned();
                ledger.check_out(&mut g, &mut rng);
                held.push(Held::Owned(g));
            }
            45..=74 if !held.is_empty() => {
                let mut g = held.swap_remove(rng.below(held.len()));
                ledger.check_in(g.val());
                drop(g);
            }
            75..=79 if !held.is_empty() => {
                // Over its cap: the pool must reject it.
                let mut g = held.swap_remove(rng.below(held.len()));
                g.val().body.reserve(CAP * 2);
                ledger.check_in(g.val());
                drop(g);
            }
            80..=83 if !held.is_empty() => {
                let g = held.swap_remove(rng.below(held.len()));
                let v = match g {
                    Held::Borrowed(g) => Pooled::detach(g),
                    Held::Owned(g) => OwnedPooled::detach(g),
                };
                ledger.check_in(&v);
                assert_ne!(v.stamp, 0, "detach hands over the value as used");
            }
            84..=88 => {
                // To another thread, which returns it there.
                let mut g = pool.get_owned();
                ledger.check_out(&mut g, &mut rng);
                if let Err(mpsc::SendError(g)) = to_next.send(g) {
                    ledger.check_in(&g);
                }
            }
            89..=93 => {
                let mut v = ledger.make();
                v.body.extend_from_slice(b"made elsewhere");
                v.stamp = 7;
                ledger.puts.fetch_add(1, SeqCst);
                pool.put(v);
            }
            94..=97 => pool.trim(),
            98 => pool.clear(),
            _ => {}
        }
    }
    for mut g in held {
        ledger.check_in(g.val());
    }
    // Kept open: a guard may still be on its way here.
    from_prev
}

fn run(pool: Pool<Val>, ledger: Arc<Ledger>, seed: u64) -> Stats {
    let pool = Arc::new(pool);
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..THREADS).map(|_| mpsc::channel()).unzip();
    let mut receivers: Vec<_> = receivers.into_iter().map(Some).collect();
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (pool, ledger) = (Arc::clone(&pool), Arc::clone(&ledger));
            let to_next = senders[(t + 1) % THREADS].clone();
            let from_prev = receivers[t].take().unwrap();
            thread::spawn(move || {
                worker(
                    pool,
                    ledger,
                    seed + t as u64 * 0x9E37_79B9,
                    to_next,
                    from_prev,
                )
            })
        })
        .collect();
    drop(senders);
    let receivers: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    // Guards sent to a thread after its last look are returned here.
    for g in receivers.iter().flat_map(|r| r.try_iter()) {
        ledger.check_in(&g);
        drop(g);
    }
    assert_eq!(ledger.ids.checked_out(), 0, "every guard was checked in");
    let s = pool.stats();
    let puts = ledger.puts.load(SeqCst);
    assert_conserved("after the threads", &s, puts, 0);
    assert_eq!(
        s.returned + s.detached,
        s.created + s.reused + puts,
        "every checkout came back or was detached: {s:?}, puts {puts}"
    );
    assert_eq!(s.created, ledger.ids.issued() - puts);
    assert!(s.rejected > 0 && s.evicted > 0 && s.detached > 0, "{s:?}");
    s
}

#[test]
fn threads_hammering_one_pool_never_share_a_value_and_the_counts_add_up() {
    let ledger = Ledger::new();
    let l = Arc::clone(&ledger);
    let pool = Pool::builder(move || l.make())
        .max_per_thread(8)
        .max_shared(16)
        .build();
    run(pool, ledger, 0x5EED_0001);
}

#[test]
fn a_byte_budget_holds_under_contention() {
    // Scaled with the run: miri's few operations, with trims and clears
    // that now empty every thread's stash, keep too little to reach 2 KiB.
    const BUDGET: usize = if cfg!(miri) { 512 } else { 2048 };
    let ledger = Ledger::new();
    let l = Arc::clone(&ledger);
    let pool = Pool::builder(move || l.make())
        .max_per_thread(4)
        .max_shared(8)
        .max_bytes(BUDGET)
        .build();
    let s = run(pool, ledger, 0x5EED_0002);
    assert!(s.retained_bytes <= BUDGET, "{s:?}");
    assert!(s.dropped > 0, "the budget never bit: {s:?}");
}
