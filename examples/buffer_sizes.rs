//! Buffers of many sizes: one `BufferPool` against one `Pool<Vec<u8>>`
//! (no cap, fixed caps, a learned cap) and plain allocation.
//!
//! Each request fills a buffer of its size, from a fixed-seed distribution:
//! 199 in 200 are 64 B to 1 MiB, one is 1 to 8 MiB (both log-uniform).
//! Every thread keeps 8 requests in flight. For each way, on 1 and 2
//! threads, it prints the bytes kept at the end and on average (samples
//! every 8 batches, taken while every thread has all its requests back),
//! the allocator calls (`alloc`, `realloc`) per request, and the time per
//! request, beside the best single pool's time.
//!
//! Then it checks its claims for each thread count, and panics (exit
//! status 101) naming every one that failed:
//!
//! - the `BufferPool` keeps at most a quarter of what one pool with no cap
//!   keeps, on average;
//! - it makes at most 0.05 allocator calls per request (the classes serve
//!   the rest; the requests above its largest class, 1 in 200, allocate).
//!
//! The times are printed, not checked: on a shared 2-core machine they
//! move by more than the differences between the pools. The compare
//! report's `sizes` workload times the same ways side by side
//! (`docs/BENCH.md`).
//!
//! ```text
//! cargo run --release --example buffer_sizes
//! cargo run --release --example buffer_sizes -- --requests 2000
//! ```
//!
//! # Why
//!
//! A service whose buffers come in every size (a body of 100 bytes, the next of
//! 300 KiB) has two bad choices with one `Pool<Vec<u8>>`: no cap, and every
//! buffer in every stash grows to the largest request seen; a cap, and every
//! request above it allocates. `BufferPool` keeps buffers by power-of-two size
//! class (256 B to 1 MiB by default): `get(n)` takes from the smallest class
//! that covers `n`, and a buffer goes back to the class its capacity fits when
//! it returns.
//!
//! # One run
//!
//! `cargo run --release --example buffer_sizes`, 2026-12-06, on the development
//! machine (2 cores of a shared VM, glibc's malloc), about a second: 40,000
//! requests per way (199 in 200 are 64 B to 1 MiB, one is 1 to 8 MiB, both
//! log-uniform), 8 in flight per thread, each filling its buffer. Kept: what
//! the pool holds at the end, and the mean of samples taken every 8 batches
//! while every thread has all its requests back:
//!
//! 1 thread(s):
//!
//! | way | kept at the end | kept on average | allocator calls per request | ns per request | time / best single pool |
//! |---|---:|---:|---:|---:|---:|
//! | BufferPool | 4.0 MiB | 6.9 MiB | 0.0080 | 2159 | 1.11 |
//! | one pool, no cap | 94 MiB | 76 MiB | 0.0017 | 3289 | 1.69 |
//! | one pool, cap 64 KiB | 113 KiB | 117 KiB | 0.6496 | 1985 | 1.02 |
//! | one pool, cap 256 KiB | 816 KiB | 647 KiB | 0.4445 | 1951 | 1.00 |
//! | one pool, cap 1 MiB | 5.2 MiB | 5.8 MiB | 0.0835 | 2412 | 1.24 |
//! | one pool, learned cap | 12 MiB | 11 MiB | 0.0238 | 2290 | 1.17 |
//! | allocation | 0 KiB | 0 KiB | 1.0002 | 1622 | 0.83 |
//!
//! 2 thread(s):
//!
//! | way | kept at the end | kept on average | allocator calls per request | ns per request | time / best single pool |
//! |---|---:|---:|---:|---:|---:|
//! | BufferPool | 5.0 MiB | 12 MiB | 0.0108 | 1812 | 1.04 |
//! | one pool, no cap | 160 MiB | 115 MiB | 0.0031 | 4113 | 2.36 |
//! | one pool, cap 64 KiB | 200 KiB | 225 KiB | 0.6521 | 1789 | 1.02 |
//! | one pool, cap 256 KiB | 585 KiB | 1.3 MiB | 0.4475 | 1745 | 1.00 |
//! | one pool, cap 1 MiB | 13 MiB | 12 MiB | 0.0824 | 2671 | 1.53 |
//! | one pool, learned cap | 25 MiB | 22 MiB | 0.0248 | 2790 | 1.60 |
//! | allocation | 0 KiB | 0 KiB | 1.0003 | 1317 | 0.75 |
//!
//! CI runs it at `--requests 8000`. The times are printed, not checked: they
//! move by a quarter from run to run here, more than the pools differ; `cargo
//! bench --bench compare -- --only sizes` times the same ways side by side,
//! with Go's hand-written classes of `sync.Pool`s (`docs/BENCH.md`). glibc's
//! malloc is the fastest way on this workload: it hands back the chunk just
//! freed, pages already faulted in, and the pools' buffers are spread over more
//! memory.

#[path = "common/args.rs"]
mod args;
#[path = "common/sizes.rs"]
mod sizes;

use pool_runtime::{BufferPool, Pool};
use pool_suite::CountingAlloc;
use sizes::Sizes;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::time::Instant;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

/// Requests each thread keeps in flight.
const DEPTH: usize = 8;
/// Batches (of `DEPTH` requests) between samples of the retained bytes.
const SAMPLE_EVERY: usize = 8;
const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

/// One way to get the requests' buffers.
#[derive(Clone, Copy, PartialEq)]
enum Way {
    Buffers,
    NoCap,
    Fixed(usize),
    Learned,
    Alloc,
}

impl Way {
    fn label(self) -> String {
        match self {
            Way::Buffers => "BufferPool".into(),
            Way::NoCap => "one pool, no cap".into(),
            Way::Fixed(bytes) if bytes >= MIB => format!("one pool, cap {} MiB", bytes / MIB),
            Way::Fixed(bytes) => format!("one pool, cap {} KiB", bytes / KIB),
            Way::Learned => "one pool, learned cap".into(),
            Way::Alloc => "allocation".into(),
        }
    }

    fn is_single_pool(self) -> bool {
        matches!(self, Way::NoCap | Way::Fixed(_) | Way::Learned)
    }
}

/// The pool of a way, if it has one.
enum Source {
    Buffers(BufferPool),
    One(Pool<Vec<u8>>),
    Alloc,
}

impl Source {
    fn new(way: Way) -> Self {
        let one = || Pool::builder(Vec::<u8>::new);
        match way {
            Way::Buffers => Source::Buffers(BufferPool::new()),
            Way::NoCap => Source::One(one().build()),
            Way::Fixed(bytes) => Source::One(one().max_value_bytes(bytes).build()),
            Way::Learned => Source::One(one().calibrate().build()),
            Way::Alloc => Source::Alloc,
        }
    }

    fn retained(&self) -> usize {
        match self {
            Source::Buffers(p) => p.stats().retained_bytes,
            Source::One(p) => p.stats().retained_bytes,
            Source::Alloc => 0,
        }
    }

    /// Fills one request's buffer and holds it in `held`.
    fn serve<'p>(&'p self, n: usize, held: &mut Held<'p>) {
        match self {
            Source::Buffers(p) => {
                let mut b = p.get(n);
                b.resize(n, 1);
                held.buffers.push(b);
            }
            Source::One(p) => {
                let mut b = p.get();
                b.resize(n, 1);
                held.pooled.push(b);
            }
            Source::Alloc => {
                let mut b = Vec::with_capacity(n);
                b.resize(n, 1);
                held.plain.push(b);
            }
        }
    }
}

/// A thread's requests in flight, whichever way they were served.
struct Held<'p> {
    buffers: Vec<pool_runtime::Buffer<'p>>,
    pooled: Vec<pool_runtime::Pooled<'p, Vec<u8>>>,
    plain: Vec<Vec<u8>>,
}

impl Held<'_> {
    fn clear(&mut self) {
        self.buffers.clear();
        self.pooled.clear();
        self.plain.clear();
    }
}

/// 199 in 200: 64 B to 1 MiB; one in 200: 1 to 8 MiB (log-uniform).
fn request(sizes: &mut Sizes) -> usize {
    if sizes.next_u64() % 200 == 0 {
        sizes.between(MIB, 8 * MIB)
    } else {
        sizes.between(64, MIB)
    }
}

/// What one way did with the workload.
struct Row {
    way: Way,
    retained: usize,
    /// Over samples taken every `SAMPLE_EVERY` batches, all requests back.
    mean: usize,
    allocs_per_request: f64,
    ns_per_request: f64,
}

fn run(way: Way, threads: usize, requests: usize) -> Row {
    let source = Source::new(way);
    let (sum, samples) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let all_back = Barrier::new(threads);
    let per_thread = requests / threads;
    let before = ALLOC.snapshot();
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (source, sum, samples, all_back) = (&source, &sum, &samples, &all_back);
            s.spawn(move || {
                let mut sizes = Sizes(2026 + t as u64);
                let mut held = Held {
                    buffers: Vec::with_capacity(DEPTH),
                    pooled: Vec::with_capacity(DEPTH),
                    plain: Vec::with_capacity(DEPTH),
                };
                for batch in 0..per_thread / DEPTH {
                    for _ in 0..DEPTH {
                        source.serve(request(&mut sizes), &mut held);
                    }
                    held.clear();
                    if batch % SAMPLE_EVERY != 0 {
                        continue;
                    }
                    all_back.wait();
                    if t == 0 {
                        sum.fetch_add(source.retained(), Ordering::Relaxed);
                        samples.fetch_add(1, Ordering::Relaxed);
                    }
                    all_back.wait();
                }
            });
        }
    });
    let elapsed = start.elapsed();
    let used = ALLOC.snapshot() - before;
    let served = (per_thread / DEPTH * DEPTH * threads) as f64;
    Row {
        way,
        retained: source.retained(),
        mean: sum.load(Ordering::Relaxed) / samples.load(Ordering::Relaxed).max(1),
        allocs_per_request: used.allocs as f64 / served,
        ns_per_request: elapsed.as_nanos() as f64 / served,
    }
}

fn size(bytes: usize) -> String {
    match bytes {
        b if b >= 10 * MIB => format!("{:.0} MiB", b as f64 / MIB as f64),
        b if b >= MIB => format!("{:.1} MiB", b as f64 / MIB as f64),
        b => format!("{:.0} KiB", b as f64 / KIB as f64),
    }
}

fn print(threads: usize, rows: &[Row]) {
    let best = rows
        .iter()
        .filter(|r| r.way.is_single_pool())
        .map(|r| r.ns_per_request)
        .fold(f64::INFINITY, f64::min);
    println!("\n{threads} thread(s):\n");
    println!(
        "| way | kept at the end | kept on average | allocator calls per request | ns per request | time / best single pool |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for row in rows {
        println!(
            "| {} | {} | {} | {:.4} | {:.0} | {:.2} |",
            row.way.label(),
            size(row.retained),
            size(row.mean),
            row.allocs_per_request,
            row.ns_per_request,
            row.ns_per_request / best
        );
    }
}

/// The claims of the module docs, for one thread count; each failure said.
fn check(threads: usize, rows: &[Row]) -> Vec<String> {
    let find = |way: Way| rows.iter().find(|r| r.way == way).expect("row");
    let (buffers, none) = (find(Way::Buffers), find(Way::NoCap));
    let mut failed = Vec::new();
    let mut claim = |ok: bool, what: String| {
        println!("  {} {what}", if ok { "ok:    " } else { "FAILED:" });
        if !ok {
            failed.push(format!("{threads} thread(s): {what}"));
        }
    };
    println!("\nclaims, {threads} thread(s):");
    claim(
        buffers.mean * 4 <= none.mean,
        format!(
            "BufferPool keeps {} on average, at most a quarter of one uncapped pool's {}",
            size(buffers.mean),
            size(none.mean)
        ),
    );
    claim(
        buffers.allocs_per_request <= 0.05,
        format!(
            "BufferPool makes {:.4} allocator calls per request, at most 0.05",
            buffers.allocs_per_request
        ),
    );
    failed
}

fn main() {
    let mut requests: usize = 40_000;
    args::Args::new(
        "buffer_sizes",
        "requests of many sizes: a BufferPool against one pool (no cap, fixed caps, learned) and allocation",
    )
    .count(
        "requests",
        Some('n'),
        "requests per way and thread count",
        &mut requests,
    )
    .parse();
    println!(
        "buffer_sizes: {requests} requests per way (199 in 200 64 B-1 MiB, 1 in 200 1-8 MiB), \
         {DEPTH} in flight per thread"
    );
    let ways = [
        Way::Buffers,
        Way::NoCap,
        Way::Fixed(64 * KIB),
        Way::Fixed(256 * KIB),
        Way::Fixed(MIB),
        Way::Learned,
        Way::Alloc,
    ];
    let mut failed = Vec::new();
    for threads in [1, 2] {
        let rows: Vec<Row> = ways.iter().map(|&w| run(w, threads, requests)).collect();
        print(threads, &rows);
        failed.extend(check(threads, &rows));
    }
    // A panic, as in every example: exit status 101.
    assert!(
        failed.is_empty(),
        "buffer_sizes: claims that failed:\n  {}",
        failed.join("\n  ")
    );
    println!("\nevery claim held");
}
