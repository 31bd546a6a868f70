//! Caps, fixed or learned, on a heavy-tailed workload.
//!
//! Each request reads a body into a pooled buffer; its size comes from a
//! fixed-seed heavy-tailed distribution: 99 in 100 requests are 1-8 KiB,
//! one in 100 is 1-64 MiB (both log-uniform). Every thread keeps 8
//! requests in flight, so a stash holds 8 buffers. The same requests run
//! against a pool with no cap, with fixed caps from 8 KiB to 64 MiB
//! (`max_value_bytes`), and with a learned cap (`calibrate()`, what
//! `#[pool(max_value_bytes = auto)]` turns on), on 1 and 2 threads, and it
//! prints for each: the bytes the pool retains at the end, the largest and
//! the mean of samples taken every 8 batches, the allocator calls
//! (`alloc`, `realloc`) per request, and the time per request.
//!
//! Then it checks its claims for each thread count, and panics (exit
//! status 101) naming every one that failed:
//!
//! - the learned cap retains at most a tenth of what no cap retains, on
//!   average and at the end;
//! - it is within 1.25x of the best fixed cap on retained bytes (on
//!   average and at the end) and on
//!   allocator calls per request; the best fixed cap is the one with the
//!   lowest product of the two (memory held times allocator work: neither
//!   alone, since the smallest cap wins the first and no cap the second);
//! - no fixed cap is better than it on both at once (by more than 10%, for
//!   the allocator calls' small differences from run to run).
//!
//! Retained bytes on average are the mean of samples taken through the
//! run, every 8 batches, at a point where every thread has all its
//! requests back (a barrier): a sample taken while the other thread is
//! mid-batch depends on how far it has got. The best fixed cap is chosen
//! on the average, which does not hang on which 8 buffers a stash happens
//! to hold at the very end; the end is checked against that same cap.
//!
//! ```text
//! cargo run --release --example heavy_tail
//! cargo run --release --example heavy_tail -- --requests 2000
//! ```
//!
//! # How the learned cap works
//!
//! A fixed cap is a guess: too low and the common request is not pooled (every
//! one allocates), too high and the rare large request pins its buffer in every
//! stash. `Pool::builder(..).calibrate()`, or `#[pool(max_value_bytes = auto)]`
//! on the struct, learns it: each return records what the request used
//! (`used_bytes()`: lengths, not capacities) in power-of-two classes; every
//! window of returns (64 at first, then 1,024) sets the cap at the class that
//! covers 95% of them (`calibrate_percentile` to change it), times two. The cap
//! never falls below what a value fresh from the factory keeps. Values over it
//! are refused (`rejected`); when it goes down, values kept over it are freed
//! (at once where the calibrating thread can reach them, in other threads'
//! stashes at their next get, maintenance or exit). `pool.learned_cap()` says
//! what it decided and when.
//!
//! # One run
//!
//! `cargo run --release --example heavy_tail`, 2026-12-06, on the development
//! machine (2 cores of a shared VM, glibc's malloc), 11.3 s: 10,000 requests
//! per pool (99% of bodies 1-8 KiB, 1% 1-64 MiB), 8 in flight per thread.
//! Retained: what the pool keeps at the end of the run, and the mean and
//! largest of samples taken every 8 batches while every thread has all its
//! requests back. Allocator calls: `alloc` and `realloc` over the whole run,
//! the threads' own start-up included, alike in every row.
//!
//! 1 thread(s):
//!
//! | cap | retained at the end | sampled peak | mean | allocator calls per request | ns per request |
//! |---|---:|---:|---:|---:|---:|
//! | no cap | 402 MiB | 402 MiB | 297 MiB | 0.0054 | 23179 |
//! | fixed 8 KiB | 47 KiB | 60 KiB | 47 KiB | 0.2244 | 42394 |
//! | fixed 16 KiB | 76 KiB | 96 KiB | 86 KiB | 0.0403 | 26821 |
//! | fixed 32 KiB | 76 KiB | 96 KiB | 86 KiB | 0.0403 | 25962 |
//! | fixed 64 KiB | 76 KiB | 96 KiB | 86 KiB | 0.0403 | 28484 |
//! | fixed 128 KiB | 76 KiB | 96 KiB | 86 KiB | 0.0403 | 25372 |
//! | fixed 256 KiB | 76 KiB | 96 KiB | 86 KiB | 0.0403 | 25574 |
//! | fixed 512 KiB | 76 KiB | 96 KiB | 86 KiB | 0.0403 | 24683 |
//! | fixed 1 MiB | 76 KiB | 96 KiB | 86 KiB | 0.0403 | 27384 |
//! | fixed 2 MiB | 78 KiB | 6.7 MiB | 2.2 MiB | 0.0354 | 31529 |
//! | fixed 4 MiB | 12 MiB | 17 MiB | 7.9 MiB | 0.0281 | 39726 |
//! | fixed 8 MiB | 19 MiB | 31 MiB | 17 MiB | 0.0226 | 38319 |
//! | fixed 16 MiB | 50 MiB | 66 MiB | 43 MiB | 0.0167 | 46735 |
//! | fixed 32 MiB | 93 MiB | 130 MiB | 95 MiB | 0.0114 | 41653 |
//! | fixed 64 MiB | 259 MiB | 329 MiB | 232 MiB | 0.0066 | 36150 |
//! | learned (at 16 KiB) | 76 KiB | 96 KiB | 86 KiB | 0.0405 | 31832 |
//!
//! 2 thread(s):
//!
//! | cap | retained at the end | sampled peak | mean | allocator calls per request | ns per request |
//! |---|---:|---:|---:|---:|---:|
//! | no cap | 670 MiB | 670 MiB | 384 MiB | 0.0094 | 40927 |
//! | fixed 8 KiB | 100 KiB | 119 KiB | 96 KiB | 0.2119 | 40940 |
//! | fixed 16 KiB | 193 KiB | 196 KiB | 174 KiB | 0.0417 | 30686 |
//! | fixed 32 KiB | 193 KiB | 196 KiB | 174 KiB | 0.0417 | 30908 |
//! | fixed 64 KiB | 193 KiB | 196 KiB | 174 KiB | 0.0417 | 32968 |
//! | fixed 128 KiB | 193 KiB | 196 KiB | 174 KiB | 0.0417 | 32390 |
//! | fixed 256 KiB | 193 KiB | 196 KiB | 174 KiB | 0.0417 | 30701 |
//! | fixed 512 KiB | 193 KiB | 196 KiB | 174 KiB | 0.0417 | 29562 |
//! | fixed 1 MiB | 193 KiB | 196 KiB | 174 KiB | 0.0417 | 29573 |
//! | fixed 2 MiB | 1.5 MiB | 7.9 MiB | 3.7 MiB | 0.0380 | 32700 |
//! | fixed 4 MiB | 8.3 MiB | 21 MiB | 12 MiB | 0.0335 | 35752 |
//! | fixed 8 MiB | 42 MiB | 42 MiB | 24 MiB | 0.0286 | 37443 |
//! | fixed 16 MiB | 93 MiB | 118 MiB | 69 MiB | 0.0219 | 42433 |
//! | fixed 32 MiB | 229 MiB | 241 MiB | 172 MiB | 0.0156 | 53541 |
//! | fixed 64 MiB | 533 MiB | 533 MiB | 351 MiB | 0.0106 | 46256 |
//! | learned (at 16 KiB) | 193 KiB | 196 KiB | 174 KiB | 0.0419 | 39247 |
//!
//! The learned cap lands on 16 KiB, the smallest fixed cap that still pools
//! every common request, and keeps what the caps from 16 KiB to 1 MiB keep, at
//! the end and on average: under 1/2,000 of what no cap keeps, for under 1%
//! more allocator calls (its first 64 returns are not capped yet). Smaller
//! fixed caps allocate more, larger ones keep more. CI runs it at `--requests
//! 5000`. The time per request is mostly the page faults of the large bodies'
//! fresh memory and moves by a third or more from run to run; `cargo bench
//! --bench compare -- --only heavy-tail` times the same pools side by side
//! (`docs/BENCH.md`).

#[path = "common/args.rs"]
mod args;
#[path = "common/sizes.rs"]
mod sizes;

use pool_runtime::{Pool, Poolable};
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

/// The pooled request: its body, grown to whatever the request needs.
#[derive(Poolable, Default)]
struct Request {
    body: Vec<u8>,
}

/// What the pool was told about the body's size.
#[derive(Clone, Copy, PartialEq)]
enum Cap {
    None,
    Fixed(usize),
    Learned,
}

impl Cap {
    fn pool(self) -> Pool<Request> {
        let builder = Pool::builder(Request::default);
        match self {
            Cap::None => builder.build(),
            Cap::Fixed(bytes) => builder.max_value_bytes(bytes).build(),
            Cap::Learned => builder.calibrate().build(),
        }
    }

    fn label(self) -> String {
        match self {
            Cap::None => "no cap".into(),
            Cap::Fixed(bytes) if bytes >= MIB => format!("fixed {} MiB", bytes / MIB),
            Cap::Fixed(bytes) => format!("fixed {} KiB", bytes / KIB),
            Cap::Learned => "learned".into(),
        }
    }
}

/// 99 in 100: 1 to 8 KiB; one in 100: 1 to 64 MiB (log-uniform).
fn request(sizes: &mut Sizes) -> usize {
    if sizes.next_u64() % 100 == 0 {
        sizes.between(MIB, 64 * MIB)
    } else {
        sizes.between(KIB, 8 * KIB)
    }
}

/// What one pool did with the workload.
struct Row {
    cap: Cap,
    retained: usize,
    peak: usize,
    /// Over samples taken every `SAMPLE_EVERY` batches, all requests back.
    mean: usize,
    allocs_per_request: f64,
    ns_per_request: f64,
    learned: Option<usize>,
}

fn run(cap: Cap, threads: usize, requests: usize) -> Row {
    let pool = cap.pool();
    let peak = AtomicUsize::new(0);
    let (sum, samples) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let all_back = Barrier::new(threads);
    let per_thread = requests / threads;
    let before = ALLOC.snapshot();
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (pool, peak, sum, samples, all_back) = (&pool, &peak, &sum, &samples, &all_back);
            s.spawn(move || {
                let mut sizes = Sizes(2024 + t as u64);
                // Made once per thread, not per batch. The count covers the
                // whole run (the threads' start-up and `stats()` too), alike
                // in every row.
                let mut held = Vec::with_capacity(DEPTH);
                for batch in 0..per_thread / DEPTH {
                    for _ in 0..DEPTH {
                        let mut req = pool.get();
                        req.body.resize(request(&mut sizes), 1);
                        held.push(req);
                    }
                    held.clear();
                    if batch % SAMPLE_EVERY != 0 {
                        continue;
                    }
                    // Sampled while every thread has all its requests back:
                    // sampled at any moment, what the pool holds would also
                    // depend on how far the other thread had got, and the
                    // caps from 16 KiB to 1 MiB (which keep the same buffers
                    // here) came out 30% apart on two threads.
                    all_back.wait();
                    if t == 0 {
                        let now = pool.stats().retained_bytes;
                        peak.fetch_max(now, Ordering::Relaxed);
                        sum.fetch_add(now, Ordering::Relaxed);
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
    let retained = pool.stats().retained_bytes;
    Row {
        cap,
        retained,
        peak: peak.load(Ordering::Relaxed).max(retained),
        mean: sum.load(Ordering::Relaxed) / samples.load(Ordering::Relaxed).max(1),
        allocs_per_request: used.allocs as f64 / served,
        ns_per_request: elapsed.as_nanos() as f64 / served,
        learned: pool.learned_cap().and_then(|l| l.bytes),
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
    println!("\n{threads} thread(s):\n");
    println!("| cap | retained at the end | sampled peak | mean | allocator calls per request | ns per request |");
    println!("|---|---:|---:|---:|---:|---:|");
    for row in rows {
        let label = match row.learned {
            Some(bytes) => format!("{} (at {})", row.cap.label(), size(bytes)),
            None => row.cap.label(),
        };
        println!(
            "| {label} | {} | {} | {} | {:.4} | {:.0} |",
            size(row.retained),
            size(row.peak),
            size(row.mean),
            row.allocs_per_request,
            row.ns_per_request
        );
    }
}

/// The claims of the module docs, for one thread count; each failure said.
fn check(threads: usize, rows: &[Row]) -> Vec<String> {
    let find = |cap: Cap| rows.iter().find(|r| r.cap == cap).expect("row");
    let (none, learned) = (find(Cap::None), find(Cap::Learned));
    let fixed: Vec<&Row> = rows
        .iter()
        .filter(|r| matches!(r.cap, Cap::Fixed(_)))
        .collect();
    // A row with no allocator calls at all would make every product 0.
    // The mean, not the end: a cap that let a large buffer in and happened
    // to lose it just before the end held it all the same.
    let cost = |r: &Row| r.mean as f64 * r.allocs_per_request.max(1e-6);
    let best = fixed
        .iter()
        .min_by(|a, b| cost(a).total_cmp(&cost(b)))
        .expect("a fixed cap");
    let mut failed = Vec::new();
    let mut claim = |ok: bool, what: String| {
        println!("  {} {what}", if ok { "ok:    " } else { "FAILED:" });
        if !ok {
            failed.push(format!("{threads} thread(s): {what}"));
        }
    };
    println!("\nclaims, {threads} thread(s):");
    claim(
        learned.mean * 10 <= none.mean,
        format!(
            "learned retains {} on average, at most a tenth of no cap's {}",
            size(learned.mean),
            size(none.mean)
        ),
    );
    claim(
        learned.mean as f64 <= 1.25 * best.mean as f64,
        format!(
            "learned retains {} on average, within 1.25x of the best fixed cap ({}: {})",
            size(learned.mean),
            best.cap.label(),
            size(best.mean)
        ),
    );
    claim(
        learned.retained * 10 <= none.retained
            && learned.retained as f64 <= 1.25 * best.retained as f64,
        format!(
            "at the end, learned retains {}: at most a tenth of no cap's {}, within 1.25x of \
             the best fixed cap's {}",
            size(learned.retained),
            size(none.retained),
            size(best.retained)
        ),
    );
    claim(
        learned.allocs_per_request <= 1.25 * best.allocs_per_request,
        format!(
            "learned makes {:.4} allocator calls per request, within 1.25x of the best \
             fixed cap's {:.4}",
            learned.allocs_per_request, best.allocs_per_request
        ),
    );
    let better = |a: f64, b: f64| a < b * 0.9;
    let dominating: Vec<String> = fixed
        .iter()
        .filter(|r| {
            better(r.mean as f64, learned.mean as f64)
                && better(r.allocs_per_request, learned.allocs_per_request)
        })
        .map(|r| r.cap.label())
        .collect();
    claim(
        dominating.is_empty(),
        format!("no fixed cap is better on both at once (those that are: {dominating:?})"),
    );
    failed
}

fn main() {
    let mut requests: usize = 10_000;
    args::Args::new(
        "heavy_tail",
        "a heavy-tailed workload against no cap, fixed caps from 8 KiB to 64 MiB, and a learned cap",
    )
    .count(
        "requests",
        Some('n'),
        "requests per pool and thread count",
        &mut requests,
    )
    .parse();
    println!(
        "heavy_tail: {requests} requests per pool (99% 1-8 KiB, 1% 1-64 MiB), {DEPTH} in flight per thread"
    );
    let mut caps = vec![Cap::None];
    caps.extend((13..=26).map(|bits| Cap::Fixed(1 << bits)));
    caps.push(Cap::Learned);
    let mut failed = Vec::new();
    for threads in [1, 2] {
        let rows: Vec<Row> = caps
            .iter()
            .map(|&cap| run(cap, threads, requests))
            .collect();
        print(threads, &rows);
        failed.extend(check(threads, &rows));
    }
    // A panic, as in every example: exit status 101.
    assert!(
        failed.is_empty(),
        "heavy_tail: claims that failed:\n  {}",
        failed.join("\n  ")
    );
    println!("\nevery claim held");
}
