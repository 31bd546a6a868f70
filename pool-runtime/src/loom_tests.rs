//! loom models of every place two threads meet in a pool.
//!
//! Run with
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p pool-runtime --lib loom`.
//!
//! Each model checks, on every interleaving loom explores: no value is handed
//! out twice, every value handed out is fresh or reset, and the counters are
//! conserved (`created + puts = live + retained + rejected + dropped +
//! evicted + detached`) once every thread is joined. The slot table's own
//! models check that threads racing to make their slots each get one.

use crate::{Pool, Poolable, Stats};
use loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use loom::thread;
use std::collections::HashSet;
use std::sync::atomic::AtomicU32;
use std::sync::{Arc, Mutex};

/// A value with an identity: `used` is set while checked out and must be
/// clear again at the next checkout.
struct Item {
    id: u32,
    used: bool,
}

impl Poolable for Item {
    fn reset(&mut self) {
        self.used = false;
    }
}

/// The model's bookkeeping: which ids exist and which are checked out now.
/// A std mutex (no loom operation inside it), so it adds no interleavings.
#[derive(Clone, Default)]
struct Ledger {
    next_id: Arc<AtomicU32>,
    in_use: Arc<Mutex<HashSet<u32>>>,
}

impl Ledger {
    fn pool(&self, max_per_thread: usize, max_shared: usize, prefill: usize) -> Arc<Pool<Item>> {
        let next = Arc::clone(&self.next_id);
        Arc::new(
            Pool::builder(move || Item {
                id: next.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                used: false,
            })
            .max_per_thread(max_per_thread)
            .max_shared(max_shared)
            .prefill(prefill)
            .build(),
        )
    }

    /// Marks a fresh checkout; panics on a double hand-out or a dirty value.
    fn check_out(&self, item: &mut Item) {
        assert!(!item.used, "value {} handed out without a reset", item.id);
        assert!(
            self.in_use.lock().unwrap().insert(item.id),
            "value {} handed out twice",
            item.id
        );
        item.used = true;
    }

    fn check_in(&self, item: &Item) {
        assert!(self.in_use.lock().unwrap().remove(&item.id));
    }
}

/// `loom::model` with room for `stats()`: it reads every slot made, and with
/// parallel tests holding the small ids a model's threads can land past the
/// slot table's first bucket, in a tree whose 64-link nodes it reads too,
/// past loom's default of 1000 branches an execution.
fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.max_branches = builder.max_branches.max(20_000);
    builder.check(f);
}

/// `thread::spawn`, with the thread's exit hooks run before `join` returns,
/// as std's `join` guarantees and loom's does not (see `thread::exit_now`).
fn spawn<T: 'static>(f: impl FnOnce() -> T + 'static) -> thread::JoinHandle<T> {
    thread::spawn(move || {
        let out = f();
        crate::per_thread::thread::exit_now();
        out
    })
}

fn assert_conserved(s: &Stats, puts: u64, live: u64) {
    assert_eq!(
        s.created + puts,
        live + s.retained as u64 + s.rejected + s.dropped + s.evicted + s.detached,
        "{s:?}"
    );
}

/// A value got on one thread is returned on another while a third trims.
#[test]
fn loom_return_on_another_thread_while_trimming() {
    model(|| {
        let ledger = Ledger::default();
        // Two in the shared tier; the main thread's refill takes one (a
        // batch is half a stash), leaving the other for the trims to find.
        let pool = ledger.pool(2, 4, 2);
        let mut g = pool.get_owned();
        ledger.check_out(&mut g);

        let l = ledger.clone();
        let returner = spawn(move || {
            l.check_in(&g);
            drop(g); // lands in this thread's stash
        });
        let p = Arc::clone(&pool);
        let trimmer = spawn(move || {
            p.trim();
            p.trim();
        });
        returner.join().unwrap();
        trimmer.join().unwrap();

        let s = pool.stats();
        assert_eq!((s.created, s.returned), (2, 1));
        assert_conserved(&s, 0, 0);
        // Whatever survived comes out clean and once.
        let mut a = pool.get();
        ledger.check_out(&mut a);
        let mut b = pool.get();
        ledger.check_out(&mut b);
    });
}

/// Two threads push to and pop from the shared tier (stashes of one value,
/// so every second return overflows into it).
#[test]
fn loom_shared_tier_push_and_pop() {
    model(|| {
        let ledger = Ledger::default();
        let pool = ledger.pool(1, 2, 0);
        // Neither worker finds its slot in the table: they race to allocate
        // the first bucket (ids below 8 share it) when this model runs
        // alone, or the first tree's leaf (ids 8 to 71) after other models,
        // whose ids it does not reuse (`thread::Generation`); `race_to_make`
        // races for each for sure.
        let work = |pool: Arc<Pool<Item>>, ledger: Ledger| {
            move || {
                let mut a = pool.get();
                ledger.check_out(&mut a);
                let mut b = pool.get();
                ledger.check_out(&mut b);
                ledger.check_in(&a);
                drop(a);
                ledger.check_in(&b);
                drop(b); // stash full: one goes to the shared tier
                let mut c = pool.get();
                ledger.check_out(&mut c);
                ledger.check_in(&c);
            }
        };
        let t1 = spawn(work(Arc::clone(&pool), ledger.clone()));
        let t2 = spawn(work(Arc::clone(&pool), ledger.clone()));
        t1.join().unwrap();
        t2.join().unwrap();
        let s = pool.stats();
        assert_eq!(s.created + s.reused, 6);
        assert_eq!(s.returned, 6);
        assert_conserved(&s, 0, 0);
        // Both workers' stashes went to a shared tier of 2.
        assert!(s.retained <= 2, "{s:?}");
    });
}

/// Two threads with ids `a` and `b` race to make their slots in a table of
/// their own, with forged ids: a pool's threads get theirs from the
/// process's id allocator, which a model cannot place (the models above
/// land past the first bucket when run after others). Each gets a slot of its own, the loser's allocation is freed, and
/// the table finds both slots afterwards.
fn race_to_make(a: usize, b: usize) {
    use crate::per_thread::Owner;
    use crate::per_thread::Slot;
    use crate::per_thread::Table;
    model(move || {
        let table = loom::sync::Arc::new(Table::<u64>::new());
        let make_at = |tid: usize| {
            let table = table.clone();
            thread::spawn(move || {
                let mine = table.mine_or_make(Owner::forged(tid), || Slot::new(1, 0, 0, None));
                // Reads the slot's atomics, which the race's winner may
                // have made.
                assert!(!mine.maintenance_due());
                core::ptr::from_ref(mine.slot()).addr()
            })
        };
        let (ta, tb) = (make_at(a), make_at(b));
        let (sa, sb) = (ta.join().unwrap(), tb.join().unwrap());
        assert_ne!(sa, sb);
        let mut seen = Vec::new();
        table.for_each(|slot| seen.push(core::ptr::from_ref(slot).addr()));
        assert!(seen.contains(&sa) && seen.contains(&sb), "{seen:?}");
    });
}

/// Ids 1 and 2 share the slot table's first bucket: both race to make it.
#[test]
fn loom_two_threads_make_the_first_bucket() {
    race_to_make(1, 2);
}

/// Ids 72 and 73 (past the first bucket's 8 and the first tree's 64) share
/// the second tree's root and leaf: both race to make each.
#[test]
fn loom_two_threads_make_the_same_tree_nodes() {
    race_to_make(72, 73);
}

/// A thread exits with values in its stash: they go to the shared tier and
/// the main thread, which was using the pool meanwhile, reuses them.
#[test]
fn loom_thread_exit_hands_its_stash_over() {
    model(|| {
        let ledger = Ledger::default();
        // One value in the shared tier, so that both threads take its lock
        // and the exit hand-over races the main thread's refill.
        let pool = ledger.pool(4, 4, 1);
        let p = Arc::clone(&pool);
        let l = ledger.clone();
        let worker = spawn(move || {
            let mut a = p.get();
            l.check_out(&mut a);
            let mut b = p.get();
            l.check_out(&mut b);
            l.check_in(&a);
            l.check_in(&b);
            drop((a, b)); // both in this thread's stash until it exits
        });
        {
            let mut m = pool.get();
            ledger.check_out(&mut m);
            ledger.check_in(&m);
        }
        worker.join().unwrap();

        let s = pool.stats();
        assert_eq!(s.dropped + s.evicted + s.rejected, 0, "{s:?}");
        assert_eq!(s.retained as u64, s.created, "{s:?}");
        // Every value made is in the main stash or the shared tier now:
        // taking them all makes nothing new.
        let created = s.created;
        let mut held = Vec::new();
        for _ in 0..s.retained {
            let mut g = pool.get();
            ledger.check_out(&mut g);
            held.push(g);
        }
        assert_eq!(pool.stats().created, created, "the exited stash was lost");
    });
}

/// A guard outlives the thread that took it: dropped on a second thread
/// after the first exited, while the main thread uses the pool.
#[test]
fn loom_guard_outlives_its_thread() {
    model(|| {
        let ledger = Ledger::default();
        let pool = ledger.pool(2, 2, 0);
        let p = Arc::clone(&pool);
        let l = ledger.clone();
        let maker = spawn(move || {
            let mut g = p.get_owned();
            l.check_out(&mut g);
            g
        });
        let g = maker.join().unwrap();
        let l = ledger.clone();
        let dropper = spawn(move || {
            l.check_in(&g);
            drop(g);
        });
        {
            let mut m = pool.get();
            ledger.check_out(&mut m);
            ledger.check_in(&m);
        }
        pool.trim();
        dropper.join().unwrap();
        let s = pool.stats();
        assert_eq!(s.returned, 2);
        assert_conserved(&s, 0, 0);
    });
}

/// A guard handed to another thread through a channel-like slot; its maker
/// may exit before or after the drop, and the ids of both may be reused.
#[test]
fn loom_guard_sent_while_its_maker_exits() {
    model(|| {
        let ledger = Ledger::default();
        let pool = ledger.pool(2, 2, 0);
        let mailbox = loom::sync::Arc::new(loom::sync::Mutex::new(None));
        let ready = loom::sync::Arc::new(AtomicBool::new(false));
        let (p, l, m, r) = (
            Arc::clone(&pool),
            ledger.clone(),
            mailbox.clone(),
            ready.clone(),
        );
        let maker = spawn(move || {
            let mut g = p.get_owned();
            l.check_out(&mut g);
            *m.lock().unwrap() = Some(g);
            r.store(true, SeqCst);
        });
        let (l, m) = (ledger.clone(), mailbox.clone());
        let dropper = spawn(move || {
            while !ready.load(SeqCst) {
                thread::yield_now();
            }
            let g = m.lock().unwrap().take().unwrap();
            l.check_in(&g);
            drop(g);
        });
        maker.join().unwrap();
        dropper.join().unwrap();
        let s = pool.stats();
        assert_eq!((s.created, s.returned), (1, 1));
        assert_eq!(s.retained, 1, "{s:?}");
        assert_conserved(&s, 0, 0);
    });
}

/// A `clear()` on one thread claims the stash of another that keeps
/// getting and returning: the claim and the owner's fast spans never touch
/// the stash at once (loom's cell checks every access), no value is handed
/// out twice, and a clear with both quiet leaves nothing.
#[test]
fn loom_clear_claims_the_stash_of_an_owner_that_keeps_working() {
    model(|| {
        let ledger = Ledger::default();
        let pool = ledger.pool(2, 0, 0);
        let (p, l) = (Arc::clone(&pool), ledger.clone());
        let owner = spawn(move || {
            for _ in 0..2 {
                let mut g = p.get();
                l.check_out(&mut g);
                l.check_in(&g);
                drop(g);
            }
        });
        pool.clear();
        owner.join().unwrap();
        assert_conserved(&pool.stats(), 0, 0);
        pool.clear();
        assert_eq!(pool.stats().retained, 0, "{:?}", pool.stats());
    });
}

/// Two clears on two other threads claim the same idle stash (the main
/// thread's, which waits in `join`): one after the other, each value freed
/// once.
#[test]
fn loom_two_claims_of_one_idle_stash_take_turns() {
    model(|| {
        let ledger = Ledger::default();
        let pool = ledger.pool(2, 0, 0);
        drop((pool.get(), pool.get()));
        let clear = |pool: &Arc<Pool<Item>>| {
            let p = Arc::clone(pool);
            spawn(move || p.clear())
        };
        let (a, b) = (clear(&pool), clear(&pool));
        a.join().unwrap();
        b.join().unwrap();
        let s = pool.stats();
        assert_eq!((s.retained, s.evicted), (0, 2), "{s:?}");
        assert_conserved(&s, 0, 0);
    });
}
