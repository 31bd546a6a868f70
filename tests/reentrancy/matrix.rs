//! The matrix: every hook x target x op, driven through every path a value
//! can take.

use super::*;

/// Guards held at once to fill the stash, then the shared tier, and have
/// some refused.
const HELD: usize = STASH + SHARED + 4;
/// Guards held at once before a trim or clear: more than a stash.
const SOME: usize = STASH + 2;

/// The ways a value leaves a caller's hands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Path {
    /// Back into a stash with room.
    Normal,
    /// Back into a full stash (overflow to the shared tier), then a full
    /// shared tier (dropped).
    StashFull,
    /// `within_caps` false: rejected.
    Rejected,
    /// Over the byte budget: refused.
    OverBudget,
    /// Returned, then `trim()` twice.
    TrimTwice,
    /// Returned, then `clear()`.
    Clear,
    /// Returned, then the pool dropped while it holds them.
    PoolDropped,
    /// Returned on a thread that then exits with a full stash.
    ThreadExit,
    /// `Pooled::detach` and `OwnedPooled::detach`, then dropped.
    Detach,
    /// Returned into a full stash after another thread asked for a clear:
    /// the clear is carried out on that return.
    ClearedElsewhereThenReturn,
    /// Returned, then another thread asks for two trims: they are carried
    /// out on this thread's next get.
    TrimmedElsewhereThenGet,
}

fn small_pool(ctx: &Arc<Ctx>, pool: usize) -> Arc<Pool<Item>> {
    let builder = ctx
        .builder(pool)
        .max_per_thread(STASH)
        .max_shared(SHARED)
        .max_bytes(BUDGET);
    ctx.install(pool, builder)
}

/// Drives pool `A`'s values through `path`. Takes `a` out of its option
/// where the path drops the pool. Each step goes through `Ctx::step`, so
/// that an armed value's panic ends that step only (gets too: a pool may
/// reset the values its factory makes, and run the hook there).
fn drive(path: Path, ctx: &Arc<Ctx>, a: &mut Option<Arc<Pool<Item>>>) {
    let pool = a.as_ref().expect("pool A");
    match path {
        Path::Normal => {
            for _ in 0..3 {
                ctx.step(|| drop(ctx.get(pool, "the test's get")));
            }
        }
        Path::StashFull => ctx.step(|| hold(ctx, pool, HELD)),
        Path::Rejected => {
            for _ in 0..3 {
                ctx.step(|| {
                    let mut guard = ctx.get(pool, "the test's get");
                    guard.oversize = true;
                    drop(guard);
                });
            }
        }
        Path::OverBudget => {
            for _ in 0..3 {
                ctx.step(|| {
                    let mut guard = ctx.get(pool, "the test's get");
                    guard.bytes.reserve_exact(2 * BUDGET);
                    drop(guard);
                });
            }
        }
        Path::TrimTwice => {
            ctx.step(|| hold(ctx, pool, SOME));
            ctx.step(|| pool.trim());
            ctx.step(|| pool.trim());
        }
        Path::Clear => {
            ctx.step(|| hold(ctx, pool, SOME));
            ctx.step(|| pool.clear());
        }
        Path::PoolDropped => {
            ctx.step(|| hold(ctx, pool, HELD));
            if ctx.target == Target::Same {
                // Parked guards of `A` would keep it alive.
                ctx.step(|| ctx.drop_parked());
            }
            assert_conserved("pool A before it is dropped", &pool.stats(), ctx.puts(A), 0);
            let gone = a.take();
            ctx.step(|| drop(gone));
        }
        Path::ThreadExit => {
            let (ctx, pool) = (Arc::clone(ctx), Arc::clone(pool));
            on_another_thread(move || hold(&ctx, &pool, HELD));
        }
        Path::Detach => {
            ctx.step(|| drop(Pooled::detach(ctx.get(pool, "the test's get"))));
            ctx.step(|| drop(OwnedPooled::detach(ctx.get_owned(pool, "the test's get"))));
        }
        Path::ClearedElsewhereThenReturn => {
            let mut last = None;
            ctx.step(|| last = Some(ctx.get(pool, "the test's get")));
            ctx.step(|| hold(ctx, pool, STASH)); // the stash is full
                                                 // The clear frees the stash on that thread, hooks and all.
            let (other, c) = (Arc::clone(pool), Arc::clone(ctx));
            on_another_thread(move || c.step(|| other.clear()));
            ctx.step(|| drop(last));
        }
        Path::TrimmedElsewhereThenGet => {
            ctx.step(|| hold(ctx, pool, STASH));
            let (other, c) = (Arc::clone(pool), Arc::clone(ctx));
            on_another_thread(move || {
                c.step(|| other.trim());
                c.step(|| other.trim());
            });
            ctx.step(|| drop(ctx.get(pool, "the test's get")));
        }
    }
}

fn run_case(path: Path, hook: Hook, target: Target, op: Op) {
    let ctx = Ctx::new(hook, target, op);
    let a = small_pool(&ctx, A);
    let b = small_pool(&ctx, B);
    if op == Op::DropGuards {
        let from = if target == Target::Same { &a } else { &b };
        let parked: Vec<_> = (0..PARKED)
            .map(|_| ctx.get_owned(from, "parking"))
            .collect();
        *lock(&ctx.parked) = parked;
    }
    let a_before = Arc::downgrade(&a);
    let mut a = Some(a);
    drive(path, &ctx, &mut a);
    // A path whose values never ran the hook leaves guards parked.
    ctx.drop_parked();
    // Only the path may arm a value: not the checks, nor the pools' drops.
    let armed = ctx.armed_left.swap(0, SeqCst) == 0 && op == Op::GetArmed;
    if armed {
        let target = if target == Target::Same { A } else { B };
        if let Some(pool) = [a.as_ref(), Some(&b)][target] {
            let s = pool.stats();
            assert!(
                s.dropped >= 1,
                "the value whose reset panicked is not counted as dropped: {s:?}"
            );
        }
    }
    if path == Path::PoolDropped {
        assert!(a_before.upgrade().is_none(), "pool A was not dropped");
    }
    check(&ctx, &[(A, a.as_ref()), (B, Some(&b))]);
}

/// Every hook, target and op through `path`; fails with every case that did.
fn matrix(path: Path, ops: &[Op]) {
    let ops = ops.to_vec();
    within_deadline(move || {
        let mut failed = Vec::new();
        let mut cases = 0;
        for hook in HOOKS {
            for target in TARGETS {
                for &op in &ops {
                    cases += 1;
                    if let Err(why) = attempt(|| run_case(path, hook, target, op)) {
                        failed.push(format!("{hook:?} hook, {target:?} pool, {op:?}: {why}"));
                    }
                }
            }
        }
        assert_no_failures(&format!("{path:?}"), cases, &failed);
    });
}

/// Under miri, fewer ops: those that reach the pool's slow paths.
fn ops() -> &'static [Op] {
    if cfg!(miri) {
        &[Op::Get, Op::Clear, Op::DropGuards]
    } else {
        &OPS
    }
}

#[test]
fn hooks_that_use_a_pool_on_a_normal_return() {
    matrix(Path::Normal, ops());
}

#[test]
fn hooks_that_use_a_pool_on_a_return_into_a_full_stash() {
    matrix(Path::StashFull, ops());
}

#[test]
fn hooks_that_use_a_pool_on_a_rejection_over_a_cap() {
    matrix(Path::Rejected, ops());
}

#[test]
fn hooks_that_use_a_pool_on_a_refusal_over_the_byte_budget() {
    matrix(Path::OverBudget, ops());
}

#[test]
fn hooks_that_use_a_pool_on_trim_twice() {
    matrix(Path::TrimTwice, ops());
}

#[test]
fn hooks_that_use_a_pool_on_clear() {
    matrix(Path::Clear, ops());
}

#[test]
fn hooks_that_use_a_pool_while_it_is_dropped_holding_values() {
    matrix(Path::PoolDropped, ops());
}

#[test]
fn hooks_that_use_a_pool_on_thread_exit_with_a_full_stash() {
    matrix(Path::ThreadExit, ops());
}

#[test]
fn hooks_that_use_a_pool_on_detach() {
    matrix(Path::Detach, ops());
}

#[test]
fn hooks_that_use_a_pool_on_a_return_that_carries_out_a_clear_asked_elsewhere() {
    matrix(Path::ClearedElsewhereThenReturn, ops());
}

#[test]
fn hooks_that_use_a_pool_on_a_get_that_carries_out_trims_asked_elsewhere() {
    matrix(Path::TrimmedElsewhereThenGet, ops());
}

/// Finding 7: a value's hook gets a value, arms it so that its `reset`
/// panics, and drops it, on every path but thread exit (a panic out of a
/// thread-local destructor aborts the process). Both pools stay usable, the
/// counters add up, and the panicking value counts as dropped.
#[test]
fn a_panicking_reset_met_reentrantly_leaves_both_pools_usable_and_conserved() {
    within_deadline(|| {
        let paths = [
            Path::Normal,
            Path::StashFull,
            Path::Rejected,
            Path::OverBudget,
            Path::TrimTwice,
            Path::Clear,
            Path::PoolDropped,
            Path::Detach,
            Path::ClearedElsewhereThenReturn,
            Path::TrimmedElsewhereThenGet,
        ];
        let paths = if cfg!(miri) { &paths[..3] } else { &paths[..] };
        let mut failed = Vec::new();
        let mut cases = 0;
        for &path in paths {
            for hook in HOOKS {
                for target in TARGETS {
                    cases += 1;
                    if let Err(why) = attempt(|| run_case(path, hook, target, Op::GetArmed)) {
                        failed.push(format!("{path:?}, {hook:?} hook, {target:?} pool: {why}"));
                    }
                }
            }
        }
        assert_no_failures("a panicking reset", cases, &failed);
    });
}
