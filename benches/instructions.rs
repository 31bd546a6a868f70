//! Instructions per operation of the pool's fast path against a hand-written
//! floor, counted under valgrind's callgrind: `bash benches/instructions.sh`
//! (optionally with a subset of workloads: `bash benches/instructions.sh tiny`).
//!
//! One operation is one get, one use and one return, on one thread, with the
//! object always found in the thread's stash (after a warm-up):
//!
//! - `floor`: a `thread_local!` `RefCell<Vec<T>>` stash: pop (or make), use,
//!   reset by hand, push;
//! - `pool`: `pool_runtime::Pool<T>`: `pool.get()`, use, drop the guard
//!   (which resets the value and puts it back).
//!
//! Each in two modes:
//!
//! - `inlined`: the operation is an `#[inline(always)]` method, inlined into
//!   a tight loop (a closure passed to a generic loop is inlined only where
//!   the optimizer judges it small enough, and the pool's was not);
//! - `outlined`: the loop calls each operation through a `&mut dyn FnMut(u64)`
//!   (hidden from the optimizer by `black_box`, so it stays an indirect call),
//!   as code that is not specialized for the pool would.
//!
//! In both, whether the guard's drop glue (`drop_in_place::<Pooled<T>>`) is
//! inlined is the optimizer's choice, as in user code; where it is not,
//! `callgrind_annotate` shows it as a function of its own. To see where the
//! instructions go: `INSTR_KEEP=DIR bash benches/instructions.sh tiny`, then
//! `callgrind_annotate --auto=yes DIR/callgrind.tiny.pool.outlined.400000`.
//!
//! The workloads are those of `benches/common`: `tiny` (`Box<u64>`, the use
//! writes one value), `buf4k` (a 4 KiB `Vec<u8>`, 512 bytes appended) and
//! `parse` (a struct of a `Vec`, a `Vec` of spans and a `HashMap`).
//!
//! Why instructions and not time: an instruction count of a single-threaded
//! loop is deterministic, the same from one run to the next even on a shared,
//! noisy machine where timings swing between runs, so a change of a few
//! instructions on the fast path shows up as such. It is not a time: it
//! ignores how the instructions overlap, wait on memory or mispredict, so a
//! ratio of instructions is not a ratio of speed.
//!
//! The binary runs `<workload> <contender> <mode> <ops>`: a warm-up of
//! [`WARM_UP`] operations, then `ops` measured ones. The script runs each cell
//! under callgrind with `N` and `2N` operations and reports
//! `(Ir(2N) - Ir(N)) / N`, which cancels the process's start-up, the pool's
//! construction and the warm-up. Without arguments (as under `cargo bench` or
//! `cargo test --benches`) it runs every cell briefly, as a smoke test.

// `tiny` pools `Box<u64>` on purpose (a small heap object): its stash is a
// `Vec<Box<u64>>`.
#![allow(clippy::vec_box)]

mod common;

use common::*;
use pool_runtime::{Pool, Poolable};
use std::cell::RefCell;
use std::hint::black_box;
use std::process::ExitCode;
use std::thread::LocalKey;

/// Operations run before the measured ones: the stash holds the object (and
/// the pool has adopted the thread) before the count that matters starts.
const WARM_UP: u64 = 1000;

/// Operations per cell of the smoke test run without arguments.
const SMOKE_OPS: u64 = 10_000;

const WORKLOADS: [&str; 3] = ["tiny", "buf4k", "parse"];
const CONTENDERS: [&str; 2] = ["floor", "pool"];
const MODES: [&str; 2] = ["inlined", "outlined"];

thread_local! {
    static FLOOR_TINY: RefCell<Vec<Box<u64>>> = const { RefCell::new(Vec::new()) };
    static FLOOR_BUF: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    static FLOOR_PARSE: RefCell<Vec<Parse>> = const { RefCell::new(Vec::new()) };
}

/// One operation, `#[inline(always)]` in every implementation: a closure's
/// body is inlined only when the optimizer judges it small enough, and the
/// pool's fast path (get, reset, put back) is not, by its judgement.
trait Op {
    fn op(&mut self, i: u64);
}

/// The floor: pop (or make), use, reset, push.
struct Floor<T: 'static, M, U, R> {
    stash: &'static LocalKey<RefCell<Vec<T>>>,
    make: M,
    use_: U,
    reset: R,
}

impl<T, M, U, R> Op for Floor<T, M, U, R>
where
    M: Fn() -> T + Copy,
    U: Fn(&mut T, u64),
    R: Fn(&mut T),
{
    #[inline(always)]
    fn op(&mut self, i: u64) {
        let mut v = self
            .stash
            .with(|s| s.borrow_mut().pop())
            .unwrap_or_else(self.make);
        (self.use_)(&mut v, i);
        (self.reset)(&mut v);
        self.stash.with(|s| s.borrow_mut().push(v));
    }
}

/// The pool: get, use, drop the guard.
struct PoolOp<'a, T: Poolable + 'static, U> {
    pool: &'a Pool<T>,
    use_: U,
}

impl<T: Poolable + 'static, U: Fn(&mut T, u64)> Op for PoolOp<'_, T, U> {
    #[inline(always)]
    fn op(&mut self, i: u64) {
        let mut g = self.pool.get();
        (self.use_)(&mut g, i);
    }
}

/// `inlined`: `O::op` is inlined into this loop.
#[inline(never)]
fn run_inlined<O: Op>(ops: u64, o: &mut O) {
    for i in 0..ops {
        o.op(i);
    }
}

/// `outlined`: every operation is an indirect call; `black_box` keeps the
/// compiler from seeing which closure it is.
#[inline(never)]
fn run_outlined(ops: u64, op: &mut dyn FnMut(u64)) {
    let op = black_box(op);
    for i in 0..ops {
        op(i);
    }
}

/// Warms up, then runs `ops` operations of `o` in `mode`.
fn run<O: Op>(mode: &str, ops: u64, mut o: O) {
    match mode {
        "inlined" => {
            run_inlined(WARM_UP, &mut o);
            run_inlined(ops, &mut o);
        }
        _ => {
            let mut op = |i| o.op(i);
            run_outlined(WARM_UP, &mut op);
            run_outlined(ops, &mut op);
        }
    }
}

/// Runs one cell: `contender` on `T`, made by `make`, used by `use_`, reset
/// by hand (floor only) by `reset`. They are the workload's named functions,
/// passed as generic `Fn` values (zero-sized, not `fn` pointers), so that
/// both contenders inline them alike.
fn cell<T, M, U, R>(
    contender: &str,
    mode: &str,
    ops: u64,
    stash: &'static LocalKey<RefCell<Vec<T>>>,
    make: M,
    use_: U,
    reset: R,
) where
    T: Poolable + 'static,
    M: Fn() -> T + Copy + Send + Sync + 'static,
    U: Fn(&mut T, u64),
    R: Fn(&mut T),
{
    match contender {
        "floor" => run(
            mode,
            ops,
            Floor {
                stash,
                make,
                use_,
                reset,
            },
        ),
        _ => {
            let pool = Pool::new(make);
            run(mode, ops, PoolOp { pool: &pool, use_ });
        }
    }
}

#[inline(always)]
fn tiny_use(b: &mut Box<u64>, i: u64) {
    use_tiny(b, i);
}
#[inline(always)]
fn tiny_reset(b: &mut Box<u64>) {
    reset_tiny(b);
}
#[inline(always)]
fn buf_use(b: &mut Vec<u8>, _: u64) {
    use_buf4k(b);
}
#[inline(always)]
fn parse_use(p: &mut Parse, i: u64) {
    use_parse(p, i);
}

fn run_cell(workload: &str, contender: &str, mode: &str, ops: u64) {
    match workload {
        "tiny" => cell(
            contender,
            mode,
            ops,
            &FLOOR_TINY,
            new_tiny,
            tiny_use,
            tiny_reset,
        ),
        "buf4k" => cell(
            contender, mode, ops, &FLOOR_BUF, new_buf4k, buf_use, reset_vec,
        ),
        _ => cell(
            contender,
            mode,
            ops,
            &FLOOR_PARSE,
            new_parse,
            parse_use,
            reset_parse,
        ),
    }
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; nothing else is ours to ignore.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.is_empty() {
        for w in WORKLOADS {
            for c in CONTENDERS {
                for m in MODES {
                    run_cell(w, c, m, SMOKE_OPS);
                }
            }
        }
        eprintln!(
            "instructions: every cell ran {SMOKE_OPS} ops; \
             `bash benches/instructions.sh` counts their instructions"
        );
        return ExitCode::SUCCESS;
    }
    let usage = || {
        eprintln!(
            "usage: instructions <{}> <{}> <{}> <ops>",
            WORKLOADS.join("|"),
            CONTENDERS.join("|"),
            MODES.join("|")
        );
        ExitCode::from(2)
    };
    let [w, c, m, n] = args.as_slice() else {
        return usage();
    };
    let Ok(ops) = n.parse::<u64>() else {
        return usage();
    };
    if !WORKLOADS.contains(&w.as_str())
        || !CONTENDERS.contains(&c.as_str())
        || !MODES.contains(&m.as_str())
    {
        return usage();
    }
    run_cell(w, c, m, ops);
    ExitCode::SUCCESS
}
