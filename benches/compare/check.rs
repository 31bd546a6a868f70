//! `--check-alloc`: do the report's allocator cells time the allocator?
//!
//! The same allocations as the `tiny` and `buf4k` cells of
//! `alloc-system` (`alloc-global-mimalloc`) and `alloc-mimalloc`, in a
//! plain loop outside the report's machinery: no cell, no harness, no
//! `CountingAlloc` (the global allocator's inner one, [`GLOBAL_INNER`],
//! and `MiMalloc`, called directly through `GlobalAlloc`), on 1 and 2
//! threads (2: both released by a barrier, the slower one's time, as the
//! report does), once at the end of each of the report's rounds, median.
//! Each of the report's inlined cells of those contenders is then compared
//! with its plain loop. At 2 threads, a cell above [`LIMIT`] times its loop
//! fails the check, by name: that is where the counting allocator's cache
//! line, when it was in the cells' timed path, made them many times slower
//! than the allocator they are named after (some 10 times the floor for
//! `tiny` on a 2-core VM, against about once the floor without it). At 1
//! thread it only prints a note: there the counter cost about twice the
//! allocation, and on a quiet 2-core VM cells and loops of the same
//! allocator already differ by up to 1.36x from noise alone, too close to
//! the limit to fail a CI run on.

use crate::alloc::{ALLOC_GLOBAL, GLOBAL_INNER};
use crate::cells::Cell;
use crate::common::SRC;
use crate::report::{median, Row};
use mimalloc::MiMalloc;
use std::alloc::{handle_alloc_error, GlobalAlloc, Layout};
use std::hint::black_box;
use std::sync::Barrier;
use std::time::Instant;

/// The most a report cell may take per op, as a multiple of its plain loop.
pub const LIMIT: f64 = 1.5;

/// The workloads the check covers, and the contenders.
pub const WORKLOADS: [&str; 2] = ["tiny", "buf4k"];
pub const CONTENDERS: [&str; 2] = [ALLOC_GLOBAL, "alloc-mimalloc"];

/// Whether `--check-alloc` keeps the cell: the floor and the allocators of
/// the workloads above (inlined; the outlined cells add a call through a
/// vtable and fresh threads, and have no plain loop of their own).
pub fn keeps(workload: &str, contender: &str) -> bool {
    WORKLOADS.contains(&workload) && (contender == "floor" || CONTENDERS.contains(&contender))
}

/// `tiny`: a `Box<u64>` made, written, dropped.
#[inline(never)]
fn tiny_loop<A: GlobalAlloc>(a: &A, ops: u64) {
    let layout = Layout::new::<u64>();
    for i in 0..ops {
        // SAFETY: the layout is not zero-sized; the block is checked for
        // null, written within its 8 bytes, and freed once with its layout.
        unsafe {
            let p = a.alloc(layout).cast::<u64>();
            if p.is_null() {
                handle_alloc_error(layout);
            }
            p.write(i);
            black_box(p);
            a.dealloc(p.cast(), layout);
        }
    }
}

/// `buf4k`: a 4 KiB buffer made, 512 bytes written into it, dropped.
#[inline(never)]
fn buf4k_loop<A: GlobalAlloc>(a: &A, ops: u64) {
    let layout = Layout::from_size_align(4096, 1).expect("4 KiB layout");
    let used = crate::common::BUF4K_USE;
    for _ in 0..ops {
        // SAFETY: as in `tiny_loop`; `used` (512) bytes fit in the block's
        // 4096 and do not overlap the static source.
        unsafe {
            let p = a.alloc(layout);
            if p.is_null() {
                handle_alloc_error(layout);
            }
            std::ptr::copy_nonoverlapping(SRC.as_ptr(), p, used);
            black_box(p);
            a.dealloc(p, layout);
        }
    }
}

/// One plain loop's time per op on `threads` threads (after a warm-up on
/// each): the slower thread's. One thread is the calling one, as in the
/// report's one-thread cells.
fn time(threads: usize, ops: u64, run: &(dyn Fn(u64) + Sync)) -> f64 {
    let warm = (ops / 8).max(256);
    if threads == 1 {
        run(warm);
        let t = Instant::now();
        run(ops);
        return t.elapsed().as_nanos() as f64 / ops as f64;
    }
    let barrier = Barrier::new(threads);
    let slowest = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    run(warm);
                    barrier.wait();
                    let t = Instant::now();
                    run(ops);
                    t.elapsed()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("check thread panicked"))
            .max()
            .unwrap_or_default()
    });
    slowest.as_nanos() as f64 / ops as f64
}

/// A plain loop: runs its allocations the given number of times.
type PlainLoop = Box<dyn Fn(u64) + Sync>;

/// The plain loop of a cell, or `None` for a cell the check does not cover.
fn plain(workload: &str, contender: &str) -> Option<PlainLoop> {
    let global = contender == ALLOC_GLOBAL;
    if !global && contender != "alloc-mimalloc" {
        return None;
    }
    match workload {
        "tiny" if global => Some(Box::new(|n| tiny_loop(&GLOBAL_INNER, n))),
        "tiny" => Some(Box::new(|n| tiny_loop(&MiMalloc, n))),
        "buf4k" if global => Some(Box::new(|n| buf4k_loop(&GLOBAL_INNER, n))),
        "buf4k" => Some(Box::new(|n| buf4k_loop(&MiMalloc, n))),
        _ => None,
    }
}

/// The plain loops of a run's allocator cells, and their samples: one per
/// round, timed at the end of each of the report's rounds (so that a loop
/// and its cell meet the same machine, busy or quiet).
pub struct PlainLoops {
    loops: Vec<(&'static str, &'static str, usize, u64, PlainLoop)>,
    samples: Vec<Vec<f64>>,
}

impl PlainLoops {
    /// The loops of the allocator cells among `cells`.
    pub fn new(cells: &[Cell]) -> Self {
        let loops: Vec<_> = cells
            .iter()
            .filter_map(|c| {
                plain(c.workload, c.contender)
                    .map(|p| (c.workload, c.contender, c.threads, c.ops, p))
            })
            .collect();
        let samples = vec![Vec::new(); loops.len()];
        PlainLoops { loops, samples }
    }

    /// Times every loop once, with as many operations as its cell.
    pub fn round(&mut self) {
        for ((_, _, threads, ops, run), s) in self.loops.iter().zip(&mut self.samples) {
            s.push(time(*threads, *ops, &**run));
        }
    }

    /// Prints each allocator row of `rows` beside its loop's median, and
    /// returns the failures, one line each, naming the cell.
    pub fn compare(&self, rows: &[Row]) -> Vec<String> {
        if self.loops.is_empty() {
            return vec![format!(
                "no allocator cell ({ALLOC_GLOBAL} or alloc-mimalloc of tiny or buf4k) in this run to check"
            )];
        }
        let rounds = self.samples[0].len();
        println!(
            "\n## Allocator cells against a plain loop\n\n\
             Each allocator cell above beside the same allocations in a plain loop over the same \
             allocator, called directly (no counting wrapper, no harness), timed at the end of \
             each of the {rounds} rounds, median; the check fails where a two-thread cell takes \
             more than {LIMIT}x its loop.\n"
        );
        println!(
            "| workload | threads | contender | cell ns/op | plain loop ns/op | cell / loop | loop / floor |"
        );
        println!("|---|---:|---|---:|---:|---:|---:|");
        let mut failed = Vec::new();
        let mut notes = Vec::new();
        for ((w, c, th, _, _), s) in self.loops.iter().zip(&self.samples) {
            let Some(r) = rows
                .iter()
                .find(|r| r.workload == *w && r.contender == *c && r.threads == *th)
            else {
                continue;
            };
            let loop_ns = median(s.clone());
            let ratio = r.median_ns / loop_ns;
            let floor = rows
                .iter()
                .find(|f| f.contender == "floor" && f.workload == *w && f.threads == *th)
                .map_or("—".into(), |f| format!("{:.2}", loop_ns / f.median_ns));
            println!(
                "| {w} | {th} | {c} | {:.1} | {loop_ns:.1} | {ratio:.2} | {floor} |",
                r.median_ns
            );
            if ratio > LIMIT && *th == 1 {
                notes.push(format!(
                    "note: {w} {c} at 1 thread: {ratio:.2}x its plain loop, more than {LIMIT}x \
                     (not a failure at 1 thread)"
                ));
            } else if ratio > LIMIT {
                failed.push(format!(
                    "{w} {c} at {th} thread(s): {:.1} ns/op in the report, {loop_ns:.1} in a plain \
                     loop ({ratio:.2}x, more than {LIMIT}x)",
                    r.median_ns
                ));
            }
        }
        if !notes.is_empty() {
            println!();
        }
        for n in notes {
            println!("{n}");
        }
        failed
    }
}
