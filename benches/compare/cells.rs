//! The cells: every workload x contender x thread count of the report, and
//! how many operations each does per round.

use crate::alloc::{Mi, MiBox, MiParse, MiVec, ALLOC_GLOBAL};
use crate::common::*;
use crate::contenders::*;
use crate::harness::Sample;
use crate::macros::{contender, global_cell, handoff_cell, handoff_cells, pool_cells, slab_cell};
use pool_runtime::GlobalPool;
use std::hint::black_box;

pub type Runner = Box<dyn Fn(u64) -> Sample>;

pub struct Cell {
    pub workload: &'static str,
    pub contender: &'static str,
    pub threads: usize,
    /// Operations per thread per round.
    pub ops: u64,
    pub run: Runner,
    pub samples: Vec<Sample>,
}

pub fn cell(workload: &'static str, contender: &'static str, threads: usize, run: Runner) -> Cell {
    Cell {
        workload,
        contender,
        threads,
        ops: 0,
        run,
        samples: Vec::new(),
    }
}

// The use and reset steps as plain `fn`s of each workload's own type: the
// macros take them as paths, and a guard passed as `&mut g` derefs to the
// object only for a function that is not generic.
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

/// What the checks on users' code cost (`track_outstanding`, `chaos`,
/// `audit_reset`): the pool with each one on, one thread, inlined, beside
/// the plain `pool-runtime` cell of the same workload.
macro_rules! check_cells {
    ($cells:ident, $w:expr, $make:path, $use:path) => {{
        check_cells!(@one $cells, $w, "pool-runtime+track64", $make, $use, |b| b.track_outstanding(64));
        check_cells!(@one $cells, $w, "pool-runtime+chaos", $make, $use, |b| b.chaos(1));
        check_cells!(@one $cells, $w, "pool-runtime+audit", $make, $use, |b| b.audit_reset());
    }};
    (@one $cells:ident, $w:expr, $c:expr, $make:path, $use:path, |$b:ident| $mode:expr) => {
        contender!(
            $cells,
            $w,
            $c,
            1,
            inlined,
            pool = {
                let $b = ::pool_runtime::Pool::builder($make);
                $mode.build()
            },
            |i| {
                let mut g = pool.get();
                $use(&mut g, i);
            }
        );
    };
}

fn heavy_use(b: &mut Vec<u8>, i: u64) {
    use_heavy_tail(b, i);
}

/// `heavy-tail` through a pool made by `$builder` (a `PoolBuilder` of
/// `Vec<u8>`): no cap, fixed caps, the learned cap. Besides the time and
/// allocations, each round reports what the pool retains at its end (the
/// round's pool is made anew, so that is what this round's requests left).
macro_rules! heavy_tail_cell {
    ($cells:ident, $th:expr, $c:expr, |$b:ident| $builder:expr) => {{
        let th: usize = $th;
        $cells.push($crate::cells::cell(
            "heavy-tail",
            $c,
            th,
            Box::new(move |ops| {
                let pool = {
                    let $b = ::pool_runtime::Pool::builder(new_grow);
                    $builder.build()
                };
                let mut sample = $crate::harness::measure(th, ops, |i| {
                    let mut g = pool.get();
                    heavy_use(&mut g, i);
                });
                sample.retained_bytes = Some(pool.stats().retained_bytes);
                sample
            }),
        ));
    }};
}

/// A `sizes` cell of a pool made anew each round by `$make`: each op gets
/// [`SIZES_DEPTH`] buffers with `$get(&pool, n)` for the next request sizes
/// `n`, fills them, and drops them together (requests in flight at once, as
/// on a server); the round reports what the pool retains at its end.
macro_rules! sizes_cell {
    ($cells:ident, $th:expr, $c:expr, $make:expr, |$pool:ident, $n:ident| $get:expr) => {{
        let th: usize = $th;
        $cells.push($crate::cells::cell(
            "sizes",
            $c,
            th,
            Box::new(move |ops| {
                let $pool = $make;
                let mut sample = $crate::harness::measure(th, ops, |i| {
                    let mut held: [_; SIZES_DEPTH] = core::array::from_fn(|k| {
                        let $n = sizes_size(i * SIZES_DEPTH as u64 + k as u64);
                        let mut b = $get;
                        Fill::fill_to(&mut b, $n);
                        b
                    });
                    black_box(&mut held);
                });
                sample.retained_bytes = Retains::retained(&$pool);
                sample
            }),
        ));
    }};
}

/// What a `sizes` contender retains at the end of a round: a pool's
/// `retained_bytes`, nothing for the others (`()`).
trait Retains {
    fn retained(&self) -> Option<usize>;
}

impl Retains for () {
    fn retained(&self) -> Option<usize> {
        None
    }
}

impl Retains for pool_runtime::Pool<Vec<u8>> {
    fn retained(&self) -> Option<usize> {
        Some(self.stats().retained_bytes)
    }
}

impl Retains for pool_runtime::BufferPool {
    fn retained(&self) -> Option<usize> {
        Some(self.stats().retained_bytes)
    }
}

/// `sizes`: fill a request's buffer with its `n` bytes (the buffer has
/// room for them, or grows), whichever contender holds it.
trait Fill {
    fn fill_to(&mut self, n: usize);
}

impl Fill for Vec<u8> {
    #[inline(always)]
    fn fill_to(&mut self, n: usize) {
        use_sizes(self, n);
    }
}

impl Fill for pool_runtime::Pooled<'_, Vec<u8>> {
    #[inline(always)]
    fn fill_to(&mut self, n: usize) {
        use_sizes(self, n);
    }
}

impl Fill for pool_runtime::Buffer<'_> {
    #[inline(always)]
    fn fill_to(&mut self, n: usize) {
        use_sizes(self, n);
    }
}

impl Fill for FloorSized {
    #[inline(always)]
    fn fill_to(&mut self, n: usize) {
        use_sizes(&mut self.0, n);
    }
}

impl Fill for MiVec<u8> {
    /// `allocator_api2`'s `resize` writes byte by byte (as its
    /// `extend_from_slice` does, see `Bytes`): one `write_bytes` instead.
    #[inline(always)]
    fn fill_to(&mut self, n: usize) {
        self.clear();
        self.reserve(n);
        // SAFETY: `reserve` made room for `n` bytes, all written here
        // before the length covers them.
        unsafe {
            std::ptr::write_bytes(self.as_mut_ptr(), 1, n);
            self.set_len(n);
        }
        black_box(self);
    }
}

/// Requests in flight at once per thread in `sizes`: one op's batch.
const SIZES_DEPTH: usize = 8;

/// `sizes`' fixed caps for one `Pool<Vec<u8>>`.
const SIZES_CAPS: &[(&str, usize)] = &[
    ("pool-runtime+cap64k", 64 << 10),
    ("pool-runtime+cap256k", 256 << 10),
    ("pool-runtime+cap1m", 1 << 20),
];

/// `heavy-tail`'s fixed caps: the sweep of `examples/heavy_tail.rs`, 8 KiB
/// to 64 MiB by powers of two.
const HEAVY_TAIL_CAPS: &[(&str, usize)] = &[
    ("pool-runtime+cap8k", 8 << 10),
    ("pool-runtime+cap16k", 16 << 10),
    ("pool-runtime+cap32k", 32 << 10),
    ("pool-runtime+cap64k", 64 << 10),
    ("pool-runtime+cap128k", 128 << 10),
    ("pool-runtime+cap256k", 256 << 10),
    ("pool-runtime+cap512k", 512 << 10),
    ("pool-runtime+cap1m", 1 << 20),
    ("pool-runtime+cap2m", 2 << 20),
    ("pool-runtime+cap4m", 4 << 20),
    ("pool-runtime+cap8m", 8 << 20),
    ("pool-runtime+cap16m", 16 << 20),
    ("pool-runtime+cap32m", 32 << 20),
    ("pool-runtime+cap64m", 64 << 20),
];

pub fn cells() -> Vec<Cell> {
    let mut cells = Vec::new();
    for th in [1, 2] {
        // tiny
        pool_cells!(cells, "tiny", th, FLOOR_TINY, new_tiny, tiny_use, tiny_reset);
        global_cell!(cells, "tiny", th, GTiny, GTinyOut, tiny_use);
        if th == 1 {
            check_cells!(cells, "tiny", new_tiny, tiny_use);
        }
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
        if th == 1 {
            check_cells!(cells, "buf4k", new_buf4k, buf_use);
        }
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
    contender!(cells, "grow64k", ALLOC_GLOBAL, 1, inlined, |_i| {
        let mut b = Vec::<u8>::new();
        use_grow64k(&mut b);
        drop(black_box(b));
    });
    contender!(cells, "grow64k", "alloc-mimalloc", 1, inlined, |_i| {
        let mut b = MiVec::<u8>::new_in(Mi);
        use_grow64k(&mut b);
        drop(black_box(b));
    });

    // heavy-tail: no cap, fixed caps, the learned cap
    for th in [1, 2] {
        contender!(cells, "heavy-tail", "floor", th, inlined, |i| {
            floor_op(&FLOOR_HEAVY, new_grow, |v| heavy_use(v, i), reset_vec)
        });
        heavy_tail_cell!(cells, th, "pool-runtime", |b| b);
        for &(name, bytes) in HEAVY_TAIL_CAPS {
            heavy_tail_cell!(cells, th, name, |b| b.max_value_bytes(bytes));
        }
        heavy_tail_cell!(cells, th, "pool-runtime+learned", |b| b.calibrate());
        contender!(cells, "heavy-tail", ALLOC_GLOBAL, th, inlined, |i| {
            let mut b = Vec::<u8>::new();
            heavy_use(&mut b, i);
            drop(black_box(b));
        });
    }

    // sizes: one BufferPool against one Pool<Vec<u8>> (no cap, fixed
    // caps, learned) and the allocators; an op is a batch of SIZES_DEPTH
    // requests
    for th in [1, 2] {
        sizes_cell!(cells, th, "floor", (), |_pool, n| FloorSized::get());
        sizes_cell!(
            cells,
            th,
            "buffer-pool",
            pool_runtime::BufferPool::new(),
            |pool, n| { pool.get(n) }
        );
        sizes_cell!(
            cells,
            th,
            "pool-runtime",
            pool_runtime::Pool::new(new_grow),
            |pool, n| { pool.get() }
        );
        for &(name, bytes) in SIZES_CAPS {
            sizes_cell!(
                cells,
                th,
                name,
                pool_runtime::Pool::builder(new_grow)
                    .max_value_bytes(bytes)
                    .build(),
                |pool, n| pool.get()
            );
        }
        sizes_cell!(
            cells,
            th,
            "pool-runtime+learned",
            pool_runtime::Pool::builder(new_grow).calibrate().build(),
            |pool, n| pool.get()
        );
        sizes_cell!(cells, th, ALLOC_GLOBAL, (), |_pool, n| {
            Vec::<u8>::with_capacity(n)
        });
        sizes_cell!(cells, th, "alloc-mimalloc", (), |_pool, n| {
            MiVec::<u8>::with_capacity_in(n, Mi)
        });
    }

    // handoff, two threads; `ops` is the number of batches of 64
    handoff_cell!(
        cells,
        "floor",
        get: || {
            let mut g = FloorBuf::get();
            use_buf4k(&mut g.0);
            g
        },
        put: drop,
    );
    handoff_cells!(cells, new_buf4k, buf_use, reset_vec);
    handoff_cell!(
        cells,
        "pool-runtime-global",
        get: || {
            let mut g = GHand::checkout();
            use_buf4k(&mut g.0);
            g
        },
        put: drop,
    );
    handoff_cell!(
        cells,
        "sharded-slab",
        setup: pool = sharded_slab::Pool::<SlabBuf>::new(),
        get: || {
            let mut r = pool.create().expect("slab full");
            use_buf4k(&mut r.0);
            r.key()
        },
        put: |key| {
            pool.clear(key);
        },
    );
    handoff_cell!(
        cells,
        ALLOC_GLOBAL,
        get: || {
            let mut b = new_buf4k();
            use_buf4k(&mut b);
            b
        },
        put: |b| drop(black_box(b)),
    );
    handoff_cell!(
        cells,
        "alloc-mimalloc",
        get: || {
            let mut b = MiVec::<u8>::with_capacity_in(4096, Mi);
            use_buf4k(&mut b);
            b
        },
        put: |b| drop(black_box(b)),
    );
    // Not a contender: the harness alone. The same batches through the same
    // queue, of empty `Vec`s that own no memory (no get, use or return to
    // speak of): what every `handoff` row pays besides its own work.
    handoff_cell!(
        cells,
        "queue-only",
        get: Vec::<u8>::new,
        put: |b| drop(black_box(b)),
    );
    group(&mut cells);
    cells
}

/// The workloads measured outlined too, by the name of their outlined cells.
pub fn outlined_name(workload: &str) -> Option<&'static str> {
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
/// An outlined cell is timed for a slice instead
/// ([`SLICE`](crate::harness::SLICE)); its figure here sizes its count pass
/// only ([`counted_ops`](crate::harness::counted_ops)). With the outlined
/// cells, `--quick` takes some 35 s on an otherwise idle 2-core machine,
/// more when other work shares it.
pub fn ops_for(workload: &str, quick: bool) -> u64 {
    let quick_ops = match workload {
        "tiny" => 1_000_000,
        "buf4k" => 300_000,
        "parse" => 40_000,
        "grow64k" => 8_000,
        "heavy-tail" => 400,
        "sizes" => 400,
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
