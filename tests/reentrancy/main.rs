//! Re-entrancy: a value whose `Drop` or `reset` uses a pool (its own or
//! another) while that pool is in the middle of returning, evicting or
//! dropping values; and the other findings of the outside review of the
//! return path: `Debug` of a pool, unbounded limits, automatic trimming after
//! re-entrant drops, a pooled tree, values handed out before any reset, and a
//! panicking `reset` met re-entrantly.
//!
//! Everything here goes through the public API. Each test runs on a thread
//! of its own under a deadline, so that a re-entrant call that deadlocks
//! fails its test instead of hanging the suite; values are checked reset on
//! every checkout, and the counters must add up exactly at every quiet
//! moment:
//!
//! `created + values given to put == live guards + retained + rejected + dropped + evicted + detached`
//!
//! Loops are scaled down under `cfg(miri)`.

use pool_runtime::{GlobalPool, OwnedPooled, Pool, PoolBuilder, Poolable, Pooled};
use pool_suite::assert_conserved;
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::SeqCst};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::thread;
use std::time::Duration;

// ---------------------------------------------------------------------------
// Helpers

/// How long a test may run before it counts as deadlocked.
const DEADLINE: Duration = Duration::from_secs(10);

/// `full`, or `miri` under miri.
const fn scaled(full: usize, miri: usize) -> usize {
    if cfg!(miri) {
        miri
    } else {
        full
    }
}

/// Runs `f` on a thread of its own and waits at most [`DEADLINE`] for it.
/// The thread is then joined with `JoinHandle::join`, which waits for its
/// thread-local destructors too (its stashes are handed over by then), and
/// a panic in it becomes the caller's. Under miri, which reports deadlocks
/// itself, it is just joined.
fn within_deadline(f: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel::<()>();
    let worker = thread::spawn(move || {
        f();
        let _ = done.send(());
    });
    if !cfg!(miri) {
        if let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(DEADLINE) {
            panic!("still running after {DEADLINE:?}: deadlocked?");
        }
    }
    if let Err(panic) = worker.join() {
        panic::resume_unwind(panic);
    }
}

fn message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a payload that is not a string".to_owned()
    }
}

/// Runs `case`, turning a panic into its message.
fn attempt(case: impl FnOnce()) -> Result<(), String> {
    panic::catch_unwind(AssertUnwindSafe(case)).map_err(|p| message(&*p))
}

/// Fails with every failed case listed, not only the first.
fn assert_no_failures(what: &str, cases: usize, failed: &[String]) {
    assert!(
        failed.is_empty(),
        "{what}: {} of {cases} cases failed:\n  {}",
        failed.len(),
        failed.join("\n  ")
    );
}

/// Drops `guards` front to back, as dropping the `Vec` would, but each under
/// `catch_unwind`: a panic in one does not make the others drop while
/// unwinding, where a second panic would abort the whole test binary. The
/// first panic goes on once all are dropped; after a second one the rest
/// are leaked instead.
fn drop_all<G>(guards: Vec<G>) {
    let mut first = None;
    let mut rest = guards.into_iter();
    while let Some(guard) = rest.next() {
        if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(|| drop(guard))) {
            if first.is_some() {
                std::mem::forget(rest);
                break;
            }
            first = Some(panic);
        }
    }
    if let Some(panic) = first {
        panic::resume_unwind(panic);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ---------------------------------------------------------------------------
// Values with hooks: what a value's `reset` or `Drop` does to a pool.

/// Where a value's hook runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hook {
    /// In `reset`, on the value's way back into its pool.
    Reset,
    /// In `Drop`: rejected, refused, evicted, dropped with its pool or its
    /// thread, or detached and then dropped.
    Drop,
}

/// Which pool the hook acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// The pool the value belongs to (pool `A`).
    Same,
    /// Another pool (pool `B`, whose values have no hook).
    Other,
}

/// What the hook does to its target pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// Gets a value (checked reset, then dirtied) and drops its guard.
    Get,
    /// Puts a value made on the spot.
    Put,
    Trim,
    Clear,
    Stats,
    /// Drops the guards parked in the case beforehand: more than a stash
    /// holds, so their returns overflow it.
    DropGuards,
    /// Like `Get`, but arms the value so that its own `reset` panics (once
    /// per case).
    GetArmed,
}

const HOOKS: [Hook; 2] = [Hook::Reset, Hook::Drop];
const TARGETS: [Target; 2] = [Target::Same, Target::Other];
const OPS: [Op; 6] = [
    Op::Get,
    Op::Put,
    Op::Trim,
    Op::Clear,
    Op::Stats,
    Op::DropGuards,
];

/// The two pools of a case: `A`, whose values run the hook, and `B`.
const A: usize = 0;
const B: usize = 1;
/// A hook's own get returns a value that runs the hook again; nesting stops
/// at this depth.
const MAX_DEPTH: u32 = 2;
/// Guards parked for `Op::DropGuards`.
const PARKED: usize = 5;
/// What an armed value's `reset` panics with.
const ARMED: &str = "an armed value's reset panics";

/// One case: its hook, and what both pools need to be checked exactly.
struct Ctx {
    hook: Hook,
    target: Target,
    op: Op,
    /// Weak, so that a pool can be dropped while its values still run hooks
    /// (which then find it gone).
    pools: [OnceLock<Weak<Pool<Item>>>; 2],
    /// Values given to each pool's `put`, by the test and by hooks.
    puts: [AtomicU64; 2],
    parked: Mutex<Vec<OwnedPooled<Item>>>,
    depth: AtomicU32,
    armed_left: AtomicU32,
    /// What hooks saw go wrong; a hook must not panic (a panic in a `Drop`
    /// during unwinding aborts), so it records instead.
    errors: Mutex<Vec<String>>,
}

/// A pooled value: `dirty` is set while it is checked out and cleared by
/// `reset`, so a value handed out unreset shows.
struct Item {
    ctx: Arc<Ctx>,
    /// `A` or `B`: only `A`'s values run the hook.
    pool: usize,
    dirty: bool,
    /// Makes `within_caps` false.
    oversize: bool,
    /// Makes `reset` panic.
    armed: bool,
    /// Its capacity is the value's `retained_bytes`.
    bytes: Vec<u8>,
}

impl Item {
    fn new(ctx: Arc<Ctx>, pool: usize) -> Self {
        Item {
            ctx,
            pool,
            dirty: false,
            oversize: false,
            armed: false,
            bytes: Vec::new(),
        }
    }
}

impl Poolable for Item {
    fn reset(&mut self) {
        if self.pool == A {
            self.ctx.fire(Hook::Reset);
        }
        if self.armed {
            panic!("{ARMED}");
        }
        self.dirty = false;
        self.oversize = false;
        self.bytes.clear();
    }

    fn within_caps(&self) -> bool {
        !self.oversize
    }

    fn retained_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

impl Drop for Item {
    fn drop(&mut self) {
        if self.pool == A {
            self.ctx.fire(Hook::Drop);
        }
    }
}

impl Ctx {
    fn new(hook: Hook, target: Target, op: Op) -> Arc<Ctx> {
        Arc::new(Ctx {
            hook,
            target,
            op,
            pools: [OnceLock::new(), OnceLock::new()],
            puts: [AtomicU64::new(0), AtomicU64::new(0)],
            parked: Mutex::new(Vec::new()),
            depth: AtomicU32::new(0),
            armed_left: AtomicU32::new(u32::from(op == Op::GetArmed)),
            errors: Mutex::new(Vec::new()),
        })
    }

    /// A builder for pool `pool` of this case, with its default limits.
    fn builder(self: &Arc<Self>, pool: usize) -> PoolBuilder<Item> {
        let ctx = Arc::clone(self);
        Pool::builder(move || Item::new(Arc::clone(&ctx), pool))
    }

    /// Makes pool `pool` from `builder` and lets the hooks find it.
    fn install(&self, pool: usize, builder: PoolBuilder<Item>) -> Arc<Pool<Item>> {
        let made = Arc::new(builder.build());
        assert!(self.pools[pool].set(Arc::downgrade(&made)).is_ok());
        made
    }

    fn pool(&self, pool: usize) -> Option<Arc<Pool<Item>>> {
        self.pools[pool].get().and_then(Weak::upgrade)
    }

    fn puts(&self, pool: usize) -> u64 {
        self.puts[pool].load(SeqCst)
    }

    fn error(&self, what: String) {
        lock(&self.errors).push(what);
    }

    /// The checkout check: what the pool hands out must be reset.
    fn checked(&self, item: &mut Item, who: &str) {
        if item.dirty || item.oversize || item.armed || !item.bytes.is_empty() {
            self.error(format!(
                "{who}: pool {} handed out a value that was not reset",
                item.pool
            ));
        }
        item.dirty = true;
        item.bytes.push(1);
    }

    fn get<'p>(&self, pool: &'p Pool<Item>, who: &str) -> Pooled<'p, Item> {
        let mut guard = pool.get();
        self.checked(&mut guard, who);
        guard
    }

    fn get_owned(&self, pool: &Arc<Pool<Item>>, who: &str) -> OwnedPooled<Item> {
        let mut guard = pool.get_owned();
        self.checked(&mut guard, who);
        guard
    }

    fn put(self: &Arc<Self>, pool: usize, to: &Pool<Item>) {
        self.puts[pool].fetch_add(1, SeqCst);
        to.put(Item::new(Arc::clone(self), pool));
    }

    /// Runs one step of a path. An armed value's panic ends the step, and
    /// is counted; any other panic goes on.
    fn step(&self, f: impl FnOnce()) {
        if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(f)) {
            if message(&*panic) != ARMED {
                panic::resume_unwind(panic);
            }
        }
    }

    /// Drops the parked guards, with no lock held while they return.
    fn drop_parked(&self) {
        let parked = std::mem::take(&mut *lock(&self.parked));
        drop_all(parked);
    }

    /// Runs by a value of pool `A` from its `reset` or its `Drop`. A panic
    /// of the pool in there is recorded, not passed on (out of a `Drop`
    /// during unwinding it would abort); only an armed value's panic goes on,
    /// to the value whose hook it is, unless that is already unwinding.
    fn fire(self: &Arc<Self>, hook: Hook) {
        if hook != self.hook {
            return;
        }
        let mut armed = None;
        if self.depth.fetch_add(1, SeqCst) < MAX_DEPTH {
            let target = match self.target {
                Target::Same => A,
                Target::Other => B,
            };
            // Gone while its own values are being dropped with it.
            if let Some(pool) = self.pool(target) {
                let acted = panic::catch_unwind(AssertUnwindSafe(|| self.act(target, &pool)));
                if let Err(panic) = acted {
                    let why = message(&*panic);
                    if why != ARMED {
                        let op = self.op;
                        self.error(format!("{op:?} from a {hook:?} hook panicked: {why}"));
                    } else if !thread::panicking() {
                        armed = Some(panic);
                    }
                }
            }
        }
        self.depth.fetch_sub(1, SeqCst);
        if let Some(panic) = armed {
            panic::resume_unwind(panic);
        }
    }

    fn act(self: &Arc<Self>, target: usize, pool: &Pool<Item>) {
        match self.op {
            Op::Get => drop(self.get(pool, "a hook's get")),
            Op::Put => self.put(target, pool),
            Op::Trim => pool.trim(),
            Op::Clear => pool.clear(),
            Op::Stats => {
                std::hint::black_box(pool.stats());
            }
            Op::DropGuards => self.drop_parked(),
            Op::GetArmed => {
                let mut guard = self.get(pool, "a hook's get");
                let arm = self
                    .armed_left
                    .fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                guard.armed = arm;
                drop(guard);
            }
        }
    }
}

// Shared by the matrix and the findings.

/// A case's pools: stashes of 4, a shared tier of 8, a byte budget.
const STASH: usize = 4;
const SHARED: usize = 8;
const BUDGET: usize = 4096;

fn hold(ctx: &Ctx, pool: &Pool<Item>, n: usize) {
    let held: Vec<_> = (0..n).map(|_| ctx.get(pool, "the test's get")).collect();
    drop_all(held);
}

fn on_another_thread(f: impl FnOnce() + Send + 'static) {
    thread::spawn(f).join().expect("the other thread panicked");
}

/// After a case: nothing a hook saw went wrong, the counters add up on the
/// pools still alive, and both pools still hand out reset values.
fn check(ctx: &Arc<Ctx>, pools: &[(usize, Option<&Arc<Pool<Item>>>)]) {
    let errors = std::mem::take(&mut *lock(&ctx.errors));
    assert!(errors.is_empty(), "{errors:?}");
    for &(index, pool) in pools {
        let Some(pool) = pool else { continue };
        let name = ["A", "B"][index];
        assert_conserved(&format!("pool {name}"), &pool.stats(), ctx.puts(index), 0);
        hold(ctx, pool, STASH + 2);
        assert_conserved(
            &format!("pool {name}, used once more"),
            &pool.stats(),
            ctx.puts(index),
            0,
        );
    }
    let errors = std::mem::take(&mut *lock(&ctx.errors));
    assert!(errors.is_empty(), "{errors:?}");
}

// The matrix of hooks, targets and ops; the findings of the outside review.
mod findings;
mod learned;
mod matrix;
