//! `cargo bench --bench compare [-- --quick] [-- --svg PATH] [-- --only SUBSTR]
//! [-- --rounds N]`: every workload x contender in one process, interleaved in
//! rounds, measured two ways (below).
//!
//! Each round runs every cell once, in order (the starting cell rotates from
//! round to round); a cell's figure is the median of its per-round ns/op. The
//! ratio is to `floor` of the same workload and thread count, so an outlined
//! cell is compared with the outlined floor. Allocations are counted by the
//! global `CountingAlloc` (plus the counter of the mimalloc contender's own
//! allocator) over the measured loops only, after a warm-up.
//!
//! Two threads: both run their own loop on one shared pool, released together
//! by a barrier; the figure is the slower thread's time per operation (each
//! thread does the stated number of operations).
//!
//! ## Two modes: inlined and outlined
//!
//! **Inlined** (workloads `tiny`, `buf4k`, `parse`, `grow64k`, `handoff`):
//! the operation is a closure inlined into the measuring loop, so the
//! compiler sees get, use and return of every iteration together and can
//! optimize across them and across iterations (hoist loads out of the loop,
//! keep values in registers); the one-thread cells run on the main thread,
//! the same thread every round. This is the best case a pool can have, and
//! the mode in which its fast path is tuned and its instructions counted.
//!
//! **Outlined** (`tiny-outlined`, `buf4k-outlined`, `parse-outlined`, at 1
//! and 2 threads, every contender of those workloads, the floor included):
//! as a real program calls a pool. A program's request handler is not
//! inlined into a loop around the pool: each operation (get, use, drop) is
//! its own call, and the threads that make them come and go (a pool of
//! workers restarted, a thread per connection or per job). So here the whole
//! operation is a `Box<dyn FnMut(u64)>` called once per operation from the
//! loop of an `#[inline(never)]` function ([`run_outlined`]) that cannot see
//! through it, and every round runs on freshly spawned threads (one fresh
//! thread for one-thread cells too), each warmed by [`OUTLINED_WARM`]
//! operations before the clock starts. The pool, like a program's, is made
//! once for the whole run and shared by every round's threads, so a fresh
//! thread meets a pool that earlier threads used and left. What the inlined
//! loop can hide (work hoisted out of the loop, the call itself, a thread
//! long settled in the pool) it cannot hide here. Both modes stay: the
//! outlined figures are the ones a program sees, the inlined ones the floor
//! of what the pool's own code costs.
//!
//! `--only SUBSTR` (repeatable, or comma-separated) keeps the cells whose
//! workload or contender contains one of the substrings (`--only outlined`,
//! `--only tiny --quick`); `--contender NAME` keeps one contender by its exact
//! name; `--rounds N` sets the rounds (default 5 with `--quick`, else 11).
//!
//! ## Allocators side by side
//!
//! A process has one global allocator, so `alloc-system` (the global one:
//! glibc's malloc, or mimalloc under `--features mimalloc`, when the row is
//! named `alloc-global-mimalloc`) and `alloc-mimalloc` cannot both go
//! through it. `alloc-mimalloc` therefore builds the very same objects with
//! `allocator_api2`'s `Vec`/`Box` and `hashbrown`'s `HashMap` (the table std's
//! `HashMap` is made of, same hasher) over `Mi`, an `Allocator` that calls
//! `mimalloc::MiMalloc` through `GlobalAlloc` (including `realloc` for growth,
//! as std's `Vec` does on the global allocator). Same layouts, same growth
//! sequence, same writes, measured in the same rounds as everything else;
//! its allocations are counted by its own `CountingAlloc`.

// `tiny` pools `Box<u64>` on purpose, the smallest object with a heap
// allocation behind it: its stashes are `Vec<Box<u64>>`.
#![allow(clippy::vec_box)]

#[path = "../common/mod.rs"]
mod common;

use allocator_api2::alloc::{AllocError, Allocator};
use common::*;
use crossbeam_queue::ArrayQueue;
use mimalloc::MiMalloc;
use pool_runtime::{GlobalPool, Pool, Poolable};
use pool_suite::CountingAlloc;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::RefCell;
use std::hint::black_box;
use std::ptr::NonNull;
use std::sync::Barrier;
use std::thread::LocalKey;
use std::time::Instant;

#[cfg(not(feature = "mimalloc"))]
#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: CountingAlloc<MiMalloc> = CountingAlloc::new(MiMalloc);

/// The name of the contender that allocates through the global allocator.
#[cfg(not(feature = "mimalloc"))]
const ALLOC_GLOBAL: &str = "alloc-system";
#[cfg(feature = "mimalloc")]
const ALLOC_GLOBAL: &str = "alloc-global-mimalloc";

// ---------------------------------------------------------------------------
// mimalloc, side by side

/// mimalloc, counted, for the `alloc-mimalloc` contender only.
static MI: CountingAlloc<MiMalloc> = CountingAlloc::new(MiMalloc);

/// An `allocator_api2` allocator over [`MI`].
#[derive(Clone, Copy, Default)]
struct Mi;

// SAFETY: every block comes from `MI.alloc`/`MI.realloc` (mimalloc, through
// the counting wrapper) and is given back to `MI.dealloc` with its layout;
// zero-sized requests get a dangling, aligned pointer and are never freed.
unsafe impl Allocator for Mi {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        if layout.size() == 0 {
            let dangling = std::ptr::null_mut::<u8>().wrapping_add(layout.align());
            let ptr = NonNull::new(dangling).ok_or(AllocError)?;
            return Ok(NonNull::slice_from_raw_parts(ptr, 0));
        }
        // SAFETY: the size is not zero.
        let ptr = unsafe { MI.alloc(layout) };
        NonNull::new(ptr)
            .map(|p| NonNull::slice_from_raw_parts(p, layout.size()))
            .ok_or(AllocError)
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` came from `MI` with this layout (the caller's contract).
            unsafe { MI.dealloc(ptr.as_ptr(), layout) }
        }
    }

    #[inline]
    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if old.size() == 0 || old.align() != new.align() {
            let fresh = self.allocate(new)?;
            // SAFETY: both blocks are valid for `old.size()` bytes and distinct;
            // `ptr` is then freed with its own layout.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr.as_ptr(), fresh.as_ptr().cast(), old.size());
                self.deallocate(ptr, old);
            }
            return Ok(fresh);
        }
        // SAFETY: `ptr` came from `MI` with `old`; `new.size()` is not zero.
        let p = unsafe { MI.realloc(ptr.as_ptr(), old, new.size()) };
        NonNull::new(p)
            .map(|p| NonNull::slice_from_raw_parts(p, new.size()))
            .ok_or(AllocError)
    }
}

type MiVec<T> = allocator_api2::vec::Vec<T, Mi>;
type MiBox<T> = allocator_api2::boxed::Box<T, Mi>;

/// `Parse` with every field on mimalloc.
struct MiParse {
    body: MiVec<u8>,
    spans: MiVec<(u32, u32)>,
    fields: hashbrown::HashMap<u64, u32, std::collections::hash_map::RandomState, Mi>,
    valid: bool,
}

impl MiParse {
    fn new() -> Self {
        MiParse {
            body: MiVec::new_in(Mi),
            spans: MiVec::new_in(Mi),
            fields: hashbrown::HashMap::with_hasher_in(Default::default(), Mi),
            valid: false,
        }
    }
}

impl ParseFields for MiParse {
    fn body(&mut self) -> &mut impl Bytes {
        &mut self.body
    }
    #[inline(always)]
    fn push_span(&mut self, span: (u32, u32)) {
        self.spans.push(span);
    }
    #[inline(always)]
    fn insert_field(&mut self, k: u64, v: u32) {
        self.fields.insert(k, v);
    }
    #[inline(always)]
    fn set_valid(&mut self) {
        self.valid = true;
    }
}

fn allocs_now() -> u64 {
    ALLOC.snapshot().allocs + MI.snapshot().allocs
}

// ---------------------------------------------------------------------------
// floor: a hand-written thread-local stash per type

thread_local! {
    static FLOOR_TINY: RefCell<Vec<Box<u64>>> = const { RefCell::new(Vec::new()) };
    static FLOOR_BUF: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    static FLOOR_PARSE: RefCell<Vec<Parse>> = const { RefCell::new(Vec::new()) };
    static FLOOR_GROW: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    static FLOOR_HANDOFF: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Pop (or make), use, reset, push.
#[inline(always)]
fn floor_op<T: 'static>(
    stash: &'static LocalKey<RefCell<Vec<T>>>,
    make: impl FnOnce() -> T,
    use_: impl FnOnce(&mut T),
    reset: impl FnOnce(&mut T),
) {
    let mut v = stash.with(|s| s.borrow_mut().pop()).unwrap_or_else(make);
    use_(&mut v);
    reset(&mut v);
    stash.with(|s| s.borrow_mut().push(v));
}

/// The `handoff` floor: the value is reset and pushed onto the stash of the
/// thread that drops it, at most 64 kept there (the pool's default per thread).
struct FloorBuf(Vec<u8>);

impl Drop for FloorBuf {
    fn drop(&mut self) {
        let mut v = std::mem::take(&mut self.0);
        reset_vec(&mut v);
        FLOOR_HANDOFF.with(|s| {
            let mut s = s.borrow_mut();
            if s.len() < 64 {
                s.push(v);
            }
        });
    }
}

// ---------------------------------------------------------------------------
// peers' adapters

/// opool's allocator: makes the object; the reset is done by hand before the
/// guard drops (opool 0.2 calls no reset on return).
struct OpoolMake<F>(F);
impl<T, F: Fn() -> T> opool::PoolAllocator<T> for OpoolMake<F> {
    #[inline]
    fn allocate(&self) -> T {
        (self.0)()
    }
}

/// sharded-slab pools need `Default + Clear`: newtypes with the workload's
/// factory and reset.
#[derive(Debug)]
struct SlabBuf(Vec<u8>);
impl Default for SlabBuf {
    fn default() -> Self {
        SlabBuf(new_buf4k())
    }
}
impl sharded_slab::Clear for SlabBuf {
    fn clear(&mut self) {
        reset_vec(&mut self.0);
    }
}
#[derive(Debug, Default)]
struct SlabGrow(Vec<u8>);
impl sharded_slab::Clear for SlabGrow {
    fn clear(&mut self) {
        reset_vec(&mut self.0);
    }
}
#[derive(Debug, Default)]
struct SlabParse(Parse);
impl sharded_slab::Clear for SlabParse {
    fn clear(&mut self) {
        reset_parse(&mut self.0);
    }
}

// ---------------------------------------------------------------------------
// `#[pool(global)]` types, one per workload so that the cells stay apart.
// (Their pools live for the whole process, as a global pool does: made on
// first use, warm from the previous rounds.)

/// `#[pool(global)]` newtypes over a workload's object, each made by its
/// workload's factory.
macro_rules! global_types {
    ($($name:ident($t:ty) = $make:path;)*) => {$(
        #[derive(Poolable)]
        #[pool(global, new = $name::make)]
        struct $name($t);
        impl $name {
            fn make() -> Self {
                $name($make())
            }
        }
    )*};
}

global_types! {
    GTiny(Box<u64>) = new_tiny;
    GBuf(Vec<u8>) = new_buf4k;
    GParse(Parse) = new_parse;
    GGrow(Vec<u8>) = new_grow;
    GHand(Vec<u8>) = new_buf4k;
    // The outlined cells' own, so that they stay apart from the inlined
    // cells' pools too.
    GTinyOut(Box<u64>) = new_tiny;
    GBufOut(Vec<u8>) = new_buf4k;
    GParseOut(Parse) = new_parse;
}

/// `pool-runtime-global`: `T::checkout()`, use the inside, drop; with a
/// second type `$og`, also the outlined cell, on `$og`'s pool.
macro_rules! global_cell {
    ($cells:ident, $w:expr, $th:expr, $g:ty, $use:path) => {{
        contender!($cells, $w, "pool-runtime-global", $th, inlined, |i| {
            let mut g = <$g>::checkout();
            $use(&mut g.0, i);
        });
    }};
    ($cells:ident, $w:expr, $th:expr, $g:ty, $og:ty, $use:path) => {{
        global_cell!($cells, $w, $th, $g, $use);
        contender!($cells, $w, "pool-runtime-global", $th, outlined, |i| {
            let mut g = <$og>::checkout();
            $use(&mut g.0, i);
        });
    }};
}

// ---------------------------------------------------------------------------
// measurement

#[derive(Clone, Copy)]
struct Sample {
    ns_per_op: f64,
    allocs: u64,
    ops: u64,
}

/// Runs `op` `ops` times on each of `threads` threads (after a warm-up on
/// each), all released together; time of the slowest thread per op.
fn measure<F: Fn(u64) + Sync>(threads: usize, ops: u64, op: F) -> Sample {
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
const OUTLINED_WARM: u64 = 1000;

/// One whole outlined operation (get, use, drop), made on the thread that
/// calls it; it borrows the cell's pool.
type OutlinedOp<'p> = Box<dyn FnMut(u64) + 'p>;

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
fn measure_outlined<'p, M>(threads: usize, ops: u64, make_op: M) -> Sample
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
///
/// The queue is lock-free and both ends spin (yielding now and then) rather
/// than sleep: with a blocking channel, putting threads to sleep and waking
/// them cost more than any contender's own work here (an empty `Vec` sent
/// the same way took 544 ns per object against the pool's 502), so the row
/// measured the OS scheduler. The `queue-only` row is that queue alone.
fn measure_handoff<G, Get, Put>(batches: u64, get: Get, put: Put) -> Sample
where
    G: Send,
    Get: Fn() -> G + Sync,
    Put: Fn(G) + Sync,
{
    let warm = (batches / 8).max(16);
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
            barrier.wait();
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
            barrier.wait();
            el
        });
        barrier.wait();
        let a0 = allocs_now();
        barrier.wait();
        barrier.wait();
        let a1 = allocs_now();
        let ta = a.join().expect("sender panicked");
        let tb = b.join().expect("receiver panicked");
        let objects = batches * BATCH as u64;
        Sample {
            ns_per_op: ta.max(tb).as_nanos() as f64 / objects as f64,
            allocs: a1 - a0,
            ops: objects,
        }
    })
}

// ---------------------------------------------------------------------------
// the cells

type Runner = Box<dyn Fn(u64) -> Sample>;

struct Cell {
    workload: &'static str,
    contender: &'static str,
    threads: usize,
    /// Operations per thread per round.
    ops: u64,
    run: Runner,
    samples: Vec<Sample>,
}

fn cell(workload: &'static str, contender: &'static str, threads: usize, run: Runner) -> Cell {
    Cell {
        workload,
        contender,
        threads,
        ops: 0,
        run,
        samples: Vec::new(),
    }
}

/// One contender's cells of workload `$w` on `$th` threads. `$op` is the
/// whole operation (get, use, drop) on operation number `$i`; `$p = $setup`,
/// when given, is what it works on (the pool). `both` makes the inlined cell
/// and, for a workload measured outlined too ([`outlined_name`]), the
/// outlined one, from the very same `$op`; `inlined` or `outlined` makes
/// that one only.
macro_rules! contender {
    ($cells:ident, $w:expr, $c:expr, $th:expr, both, $($rest:tt)*) => {{
        contender!($cells, $w, $c, $th, inlined, $($rest)*);
        contender!($cells, $w, $c, $th, outlined, $($rest)*);
    }};
    ($cells:ident, $w:expr, $c:expr, $th:expr, inlined, |$i:ident| $op:expr) => {{
        let th: usize = $th;
        $cells.push(cell(
            $w,
            $c,
            th,
            Box::new(move |ops| measure(th, ops, |$i| $op)),
        ));
    }};
    ($cells:ident, $w:expr, $c:expr, $th:expr, inlined, $p:ident = $setup:expr, |$i:ident| $op:expr) => {{
        let th: usize = $th;
        $cells.push(cell(
            $w,
            $c,
            th,
            Box::new(move |ops| {
                // Made anew each round: an inlined cell's pool is warmed by
                // this round's warm-up only.
                let $p = $setup;
                measure(th, ops, |$i| $op)
            }),
        ));
    }};
    ($cells:ident, $w:expr, $c:expr, $th:expr, outlined, |$i:ident| $op:expr) => {{
        if let Some(w) = outlined_name($w) {
            let th: usize = $th;
            $cells.push(cell(
                w,
                $c,
                th,
                Box::new(move |ops| measure_outlined(th, ops, || Box::new(move |$i: u64| $op))),
            ));
        }
    }};
    ($cells:ident, $w:expr, $c:expr, $th:expr, outlined, $p:ident = $setup:expr, |$i:ident| $op:expr) => {{
        if let Some(w) = outlined_name($w) {
            let th: usize = $th;
            // Made once for the whole run, as a program makes its pool, and
            // kept by the runner: every round's fresh threads share it, and
            // find it as the previous round's threads left it.
            let $p = $setup;
            $cells.push(cell(
                w,
                $c,
                th,
                Box::new(move |ops| {
                    let $p = &$p;
                    measure_outlined(th, ops, || Box::new(move |$i: u64| $op))
                }),
            ));
        }
    }};
}

/// The contenders of one workload whose object is made by `$make`, used by
/// `$use` (a `fn(&mut T, u64)`), reset by `$reset`; in both modes where the
/// workload has an outlined one.
macro_rules! pool_cells {
    ($cells:ident, $w:expr, $th:expr, $floor:ident, $make:path, $use:path, $reset:path) => {{
        // The workload's functions are named, not passed as `fn` pointers, so
        // that every contender can inline them alike.
        let th: usize = $th;
        contender!($cells, $w, "floor", th, both, |i| {
            floor_op(&$floor, $make, |v| $use(v, i), $reset)
        });
        contender!(
            $cells,
            $w,
            "pool-runtime",
            th,
            both,
            pool = Pool::new($make),
            |i| {
                let mut g = pool.get();
                $use(&mut g, i);
            }
        );
        contender!(
            $cells,
            $w,
            "lockfree-linear",
            th,
            both,
            pool = lockfree_object_pool::LinearObjectPool::new($make, $reset),
            |i| {
                let mut g = pool.pull();
                $use(&mut g, i);
            }
        );
        contender!(
            $cells,
            $w,
            "lockfree-spinlock",
            th,
            both,
            pool = lockfree_object_pool::SpinLockObjectPool::new($make, $reset),
            |i| {
                let mut g = pool.pull();
                $use(&mut g, i);
            }
        );
        contender!(
            $cells,
            $w,
            "object-pool",
            th,
            both,
            pool = object_pool::Pool::new(64, $make),
            |i| {
                let mut g = pool.pull($make);
                $use(&mut g, i);
                $reset(&mut g);
            }
        );
        contender!(
            $cells,
            $w,
            "opool",
            th,
            both,
            pool = opool::Pool::new(64, OpoolMake($make)),
            |i| {
                let mut g = pool.get();
                $use(&mut g, i);
                $reset(&mut g);
            }
        );
    }};
}

/// sharded-slab: create (a `Default` value, or a cleared one), use, clear.
macro_rules! slab_cell {
    ($cells:ident, $w:expr, $th:expr, $t:ty, $use:expr) => {{
        contender!(
            $cells,
            $w,
            "sharded-slab",
            $th,
            both,
            pool = sharded_slab::Pool::<$t>::new(),
            |i| {
                let mut r = pool.create().expect("slab full");
                ($use)(&mut r.0, i);
                let key = r.key();
                drop(r);
                pool.clear(key);
            }
        );
    }};
}

fn tiny_use(b: &mut Box<u64>, i: u64) {
    use_tiny(b, i);
}
fn tiny_reset(b: &mut Box<u64>) {
    reset_tiny(b);
}
fn buf_use(b: &mut Vec<u8>, _: u64) {
    use_buf4k(b);
}
fn parse_use(p: &mut Parse, i: u64) {
    use_parse(p, i);
}
fn grow_use(b: &mut Vec<u8>, _: u64) {
    use_grow64k(b);
}

fn cells() -> Vec<Cell> {
    let mut cells = Vec::new();
    for th in [1, 2] {
        // tiny
        pool_cells!(cells, "tiny", th, FLOOR_TINY, new_tiny, tiny_use, tiny_reset);
        global_cell!(cells, "tiny", th, GTiny, GTinyOut, tiny_use);
        contender!(cells, "tiny", ALLOC_GLOBAL, th, both, |i| {
            let mut b = Box::new(0u64);
            use_tiny(&mut b, i);
            drop(black_box(b));
        });
        contender!(cells, "tiny", "alloc-mimalloc", th, both, |i| {
            let mut b = MiBox::new_in(0u64, Mi);
            use_tiny(&mut b, i);
            drop(black_box(b));
        });

        // buf4k
        pool_cells!(cells, "buf4k", th, FLOOR_BUF, new_buf4k, buf_use, reset_vec);
        global_cell!(cells, "buf4k", th, GBuf, GBufOut, buf_use);
        slab_cell!(cells, "buf4k", th, SlabBuf, |b: &mut Vec<u8>, _| use_buf4k(
            b
        ));
        contender!(cells, "buf4k", ALLOC_GLOBAL, th, both, |_i| {
            let mut b = Vec::<u8>::with_capacity(4096);
            use_buf4k(&mut b);
            drop(black_box(b));
        });
        contender!(cells, "buf4k", "alloc-mimalloc", th, both, |_i| {
            let mut b = MiVec::<u8>::with_capacity_in(4096, Mi);
            use_buf4k(&mut b);
            drop(black_box(b));
        });

        // parse
        pool_cells!(
            cells,
            "parse",
            th,
            FLOOR_PARSE,
            new_parse,
            parse_use,
            reset_parse
        );
        global_cell!(cells, "parse", th, GParse, GParseOut, parse_use);
        slab_cell!(cells, "parse", th, SlabParse, |p: &mut Parse, i| use_parse(
            p, i
        ));
        contender!(cells, "parse", ALLOC_GLOBAL, th, both, |i| {
            let mut p = Parse::default();
            use_parse(&mut p, i);
            drop(black_box(p));
        });
        contender!(cells, "parse", "alloc-mimalloc", th, both, |i| {
            let mut p = MiParse::new();
            use_parse(&mut p, i);
            drop(black_box(p));
        });
    }

    // grow64k, one thread
    pool_cells!(cells, "grow64k", 1, FLOOR_GROW, new_grow, grow_use, reset_vec);
    global_cell!(cells, "grow64k", 1, GGrow, grow_use);
    slab_cell!(cells, "grow64k", 1, SlabGrow, |b: &mut Vec<u8>, _| {
        use_grow64k(b)
    });
    cells.push(cell(
        "grow64k",
        ALLOC_GLOBAL,
        1,
        Box::new(|ops| {
            measure(1, ops, |_| {
                let mut b = Vec::<u8>::new();
                use_grow64k(&mut b);
                drop(black_box(b));
            })
        }),
    ));
    cells.push(cell(
        "grow64k",
        "alloc-mimalloc",
        1,
        Box::new(|ops| {
            measure(1, ops, |_| {
                let mut b = MiVec::<u8>::new_in(Mi);
                use_grow64k(&mut b);
                drop(black_box(b));
            })
        }),
    ));

    // handoff: `ops` is the number of batches of 64
    let w = "handoff";
    cells.push(cell(
        w,
        "floor",
        2,
        Box::new(|batches| {
            measure_handoff(
                batches,
                || {
                    let v = FLOOR_HANDOFF
                        .with(|s| s.borrow_mut().pop())
                        .unwrap_or_else(new_buf4k);
                    let mut g = FloorBuf(v);
                    use_buf4k(&mut g.0);
                    g
                },
                drop,
            )
        }),
    ));
    cells.push(cell(
        w,
        "pool-runtime",
        2,
        Box::new(|batches| {
            let pool = Pool::new(new_buf4k);
            measure_handoff(
                batches,
                || {
                    let mut g = pool.get();
                    use_buf4k(&mut *g);
                    g
                },
                drop,
            )
        }),
    ));
    cells.push(cell(
        w,
        "pool-runtime-global",
        2,
        Box::new(|batches| {
            measure_handoff(
                batches,
                || {
                    let mut g = GHand::checkout();
                    use_buf4k(&mut g.0);
                    g
                },
                drop,
            )
        }),
    ));
    cells.push(cell(
        w,
        "lockfree-linear",
        2,
        Box::new(|batches| {
            let pool = lockfree_object_pool::LinearObjectPool::new(new_buf4k, reset_vec);
            measure_handoff(
                batches,
                || {
                    let mut g = pool.pull();
                    use_buf4k(&mut *g);
                    g
                },
                drop,
            )
        }),
    ));
    cells.push(cell(
        w,
        "lockfree-spinlock",
        2,
        Box::new(|batches| {
            let pool = lockfree_object_pool::SpinLockObjectPool::new(new_buf4k, reset_vec);
            measure_handoff(
                batches,
                || {
                    let mut g = pool.pull();
                    use_buf4k(&mut *g);
                    g
                },
                drop,
            )
        }),
    ));
    cells.push(cell(
        w,
        "object-pool",
        2,
        Box::new(|batches| {
            let pool = object_pool::Pool::new(64, new_buf4k);
            measure_handoff(
                batches,
                || {
                    let mut g = pool.pull(new_buf4k);
                    use_buf4k(&mut *g);
                    g
                },
                |mut g| reset_vec(&mut g),
            )
        }),
    ));
    cells.push(cell(
        w,
        "opool",
        2,
        Box::new(|batches| {
            let pool = opool::Pool::new(64, OpoolMake(new_buf4k));
            measure_handoff(
                batches,
                || {
                    let mut g = pool.get();
                    use_buf4k(&mut *g);
                    g
                },
                |mut g| reset_vec(&mut g),
            )
        }),
    ));
    cells.push(cell(
        w,
        "sharded-slab",
        2,
        Box::new(|batches| {
            let pool: sharded_slab::Pool<SlabBuf> = sharded_slab::Pool::new();
            measure_handoff(
                batches,
                || {
                    let mut r = pool.create().expect("slab full");
                    use_buf4k(&mut r.0);
                    r.key()
                },
                |key| {
                    pool.clear(key);
                },
            )
        }),
    ));
    cells.push(cell(
        w,
        ALLOC_GLOBAL,
        2,
        Box::new(|batches| {
            measure_handoff(
                batches,
                || {
                    let mut b = new_buf4k();
                    use_buf4k(&mut b);
                    b
                },
                |b| drop(black_box(b)),
            )
        }),
    ));
    cells.push(cell(
        w,
        "alloc-mimalloc",
        2,
        Box::new(|batches| {
            measure_handoff(
                batches,
                || {
                    let mut b = MiVec::<u8>::with_capacity_in(4096, Mi);
                    use_buf4k(&mut b);
                    b
                },
                |b| drop(black_box(b)),
            )
        }),
    ));
    // Not a contender: the harness alone. The same batches through the same
    // queue, of empty `Vec`s that own no memory (no get, use or return to
    // speak of): what every `handoff` row pays besides its own work.
    cells.push(cell(
        w,
        "queue-only",
        2,
        Box::new(|batches| measure_handoff(batches, Vec::<u8>::new, |b| drop(black_box(b)))),
    ));
    group(&mut cells);
    cells
}

/// The workloads measured outlined too, by the name of their outlined cells.
fn outlined_name(workload: &str) -> Option<&'static str> {
    match workload {
        "tiny" => Some("tiny-outlined"),
        "buf4k" => Some("buf4k-outlined"),
        "parse" => Some("parse-outlined"),
        _ => None,
    }
}

/// Puts each (workload, threads) group's cells together, in the order the
/// groups first appear: the macros push a contender's inlined and outlined
/// cells one after the other, and the table and chart read better with
/// `tiny-outlined` right after `tiny` of the same thread count.
fn group(cells: &mut [Cell]) {
    let mut order: Vec<(&str, usize)> = Vec::new();
    for c in cells.iter() {
        if !order.contains(&(c.workload, c.threads)) {
            order.push((c.workload, c.threads));
        }
    }
    cells.sort_by_key(|c| order.iter().position(|g| *g == (c.workload, c.threads)));
}

/// Operations per thread per round, by workload (`handoff`: batches of 64).
/// Sized for some 5 to 40 ms per cell per round (on a loaded 2-core machine).
/// An outlined cell does as many as its inlined twin, so that the two modes
/// differ only in how the operations are called; on top it spawns its
/// threads and warms each with [`OUTLINED_WARM`] operations, well under a
/// millisecond. With the outlined cells, `--quick` takes some 35 s on an
/// otherwise idle 2-core machine, more when other work shares it.
fn ops_for(workload: &str, quick: bool) -> u64 {
    let quick_ops = match workload {
        "tiny" => 1_000_000,
        "buf4k" => 300_000,
        "parse" => 40_000,
        "grow64k" => 8_000,
        "handoff" => 3_000,
        "tiny-outlined" => 1_000_000,
        "buf4k-outlined" => 300_000,
        "parse-outlined" => 40_000,
        _ => unreachable!("unknown workload {workload}"),
    };
    if quick {
        quick_ops
    } else {
        quick_ops * 2
    }
}

// ---------------------------------------------------------------------------
// report

struct Row {
    workload: &'static str,
    contender: &'static str,
    threads: usize,
    median_ns: f64,
    ratio: Option<f64>,
    allocs_per_op: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn rows(cells: &[Cell]) -> Vec<Row> {
    let med = |c: &Cell| median(c.samples.iter().map(|s| s.ns_per_op).collect());
    cells
        .iter()
        .map(|c| {
            let m = med(c);
            let floor = cells
                .iter()
                .find(|f| {
                    f.workload == c.workload && f.threads == c.threads && f.contender == "floor"
                })
                .map(med);
            let (allocs, ops) = c
                .samples
                .iter()
                .fold((0, 0), |(a, o), s| (a + s.allocs, o + s.ops));
            Row {
                workload: c.workload,
                contender: c.contender,
                threads: c.threads,
                median_ns: m,
                ratio: floor.map(|f| m / f),
                allocs_per_op: allocs as f64 / ops.max(1) as f64,
            }
        })
        .collect()
}

fn fmt_allocs(a: f64) -> String {
    if a == 0.0 {
        "0".into()
    } else if a >= 0.01 {
        format!("{a:.2}")
    } else {
        // a few allocations over millions of operations: keep them visible
        format!("{a:.1e}")
    }
}

fn print_table(rows: &[Row]) {
    println!("| workload | threads | contender | median ns/op | ratio to floor | allocs/op |");
    println!("|---|---:|---|---:|---:|---:|");
    for r in rows {
        let ratio = r.ratio.map_or("—".into(), |x| format!("{x:.2}"));
        println!(
            "| {} | {} | {} | {:.1} | {} | {} |",
            r.workload,
            r.threads,
            r.contender,
            r.median_ns,
            ratio,
            fmt_allocs(r.allocs_per_op)
        );
    }
    println!();
    for r in rows {
        println!(
            "RESULT {} {} {} {:.2} {}",
            r.workload,
            r.contender,
            r.threads,
            r.median_ns,
            fmt_allocs(r.allocs_per_op)
        );
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A horizontal bar chart of the ratio to floor, one group per workload and
/// thread count, on a log2 axis (1 = floor).
fn svg(rows: &[Row], title: &str) -> String {
    use std::fmt::Write;
    let contenders: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for r in rows {
            if !v.contains(&r.contender) {
                v.push(r.contender);
            }
        }
        v
    };
    let palette = [
        "#444444", "#d62728", "#1f77b4", "#17becf", "#ff7f0e", "#9467bd", "#8c564b", "#2ca02c",
        "#bcbd22", "#e377c2", "#7f7f7f",
    ];
    let color =
        |c: &str| palette[contenders.iter().position(|x| *x == c).unwrap_or(0) % palette.len()];
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for r in rows {
        if !groups.contains(&(r.workload, r.threads)) {
            groups.push((r.workload, r.threads));
        }
    }
    let (bar_h, gap, left, top, plot_w) = (11.0, 14.0, 300.0, 60.0, 560.0);
    let (lo, hi) = (-4.0f64, 5.0f64); // log2 of 1/16x ..= 32x
    let x = |ratio: f64| left + (ratio.log2().clamp(lo, hi) - lo) / (hi - lo) * plot_w;
    let mut y = top;
    let mut body = String::new();
    for (w, th) in &groups {
        let members: Vec<&Row> = rows
            .iter()
            .filter(|r| r.workload == *w && r.threads == *th)
            .collect();
        let h = members.len() as f64 * bar_h;
        let _ = writeln!(
            body,
            r#"<text x="10" y="{:.1}" font-weight="bold">{} ({} thr)</text>"#,
            y + h / 2.0 + 4.0,
            w,
            th
        );
        for r in members {
            let Some(ratio) = r.ratio else { continue };
            let x0 = x(1.0);
            let x1 = x(ratio);
            let (a, b) = if x1 >= x0 { (x0, x1) } else { (x1, x0) };
            let _ = writeln!(
                body,
                r#"<rect x="{a:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} {}: {:.2}x floor, {:.1} ns</title></rect>"#,
                (b - a).max(1.0),
                bar_h - 2.0,
                color(r.contender),
                xml_escape(r.contender),
                w,
                ratio,
                r.median_ns
            );
            let _ = writeln!(
                body,
                r#"<text x="{:.1}" y="{:.1}" font-size="9">{} {:.2}</text>"#,
                left - 4.0 - 0.0,
                y + bar_h - 3.0,
                xml_escape(r.contender),
                ratio
            );
            y += bar_h;
        }
        y += gap;
    }
    let height = y + 30.0;
    let width = left + plot_w + 30.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="10" y="20" font-size="14" font-weight="bold">{}</text>"#,
        xml_escape(title)
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="38" font-size="10">median ns/op as a ratio to floor (log scale, 1 = floor; lower is better; bars clipped at 1/16x and 32x)</text>"#
    );
    for k in -4..=5 {
        let r = 2f64.powi(k);
        let gx = x(r);
        let _ = writeln!(
            out,
            r##"<line x1="{gx:.1}" y1="{:.1}" x2="{gx:.1}" y2="{:.1}" stroke="{}" stroke-width="{}"/><text x="{gx:.1}" y="{:.1}" text-anchor="middle" font-size="9">{}x</text>"##,
            top - 8.0,
            y,
            if k == 0 { "#000" } else { "#ddd" },
            if k == 0 { 1.5 } else { 1.0 },
            top - 10.0,
            r
        );
    }
    out.push_str(&body.replace(r#"font-size="9">"#, r#"font-size="9" text-anchor="end">"#));
    out.push_str("</svg>\n");
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let svg_path = args
        .iter()
        .position(|a| a == "--svg")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| {
            let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
            format!("{target}/compare.svg")
        });
    // `--rounds N`: more rounds for steadier medians, fewer for a glance.
    let rounds = match args.iter().position(|a| a == "--rounds") {
        Some(i) => match args.get(i + 1).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n > 0 => n,
            _ => {
                eprintln!("--rounds takes a number of rounds, at least 1");
                std::process::exit(2);
            }
        },
        None if quick => 5,
        None => 11,
    };
    // `--only SUBSTR` (repeatable, or `a,b`): the cells whose workload or
    // contender contains one of the substrings, for a run of seconds while
    // working on one path (`--only tiny`, `--only outlined`).
    let only: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(_, a)| *a == "--only")
        .filter_map(|(i, _)| args.get(i + 1))
        .flat_map(|v| v.split(','))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();

    let started = Instant::now();
    let mut cells = cells();
    if !only.is_empty() {
        cells.retain(|c| {
            only.iter()
                .any(|s| c.workload.contains(s.as_str()) || c.contender.contains(s.as_str()))
        });
    }
    // `--contender NAME`: one contender (with `--only`, one path for a profiler).
    if let Some(name) = args
        .iter()
        .position(|a| a == "--contender")
        .and_then(|i| args.get(i + 1))
    {
        cells.retain(|c| c.contender == name.as_str());
    }
    if cells.is_empty() {
        eprintln!("no cell left by the --only and --contender filters");
        std::process::exit(2);
    }
    for c in &mut cells {
        c.ops = ops_for(c.workload, quick);
    }
    let n = cells.len();
    for round in 0..rounds {
        for k in 0..n {
            let c = &mut cells[(k + round) % n];
            let sample = (c.run)(c.ops);
            c.samples.push(sample);
        }
        eprintln!(
            "round {}/{rounds} done ({:.1} s)",
            round + 1,
            started.elapsed().as_secs_f64()
        );
    }
    let rows = rows(&cells);
    print_table(&rows);
    let title = format!(
        "pool-runtime compare ({}{}, {} rounds)",
        if quick { "--quick" } else { "full" },
        if cfg!(feature = "mimalloc") {
            ", global allocator mimalloc"
        } else {
            ""
        },
        rounds
    );
    if let Some(dir) = std::path::Path::new(&svg_path).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(&svg_path, svg(&rows, &title)) {
        Ok(()) => eprintln!("chart: {svg_path}"),
        Err(e) => eprintln!("chart not written to {svg_path}: {e}"),
    }
    eprintln!("total {:.1} s", started.elapsed().as_secs_f64());
}
