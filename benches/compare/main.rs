//! `cargo bench --bench compare [-- --quick] [-- --svg PATH] [-- --only SUBSTR]
//! [-- --rounds N] [-- --check-alloc]`: every workload x contender in one
//! process, interleaved in rounds, measured two ways (below).
//!
//! Each round runs every cell once, in order (the starting cell rotates from
//! round to round); a cell's figure is the median of its per-round ns/op. The
//! ratio is to `floor` of the same workload and thread count, so an outlined
//! cell is compared with the outlined floor.
//!
//! ## Allocations: counted apart from the timing
//!
//! Allocations are counted by the global `CountingAlloc` (plus the counter
//! of the mimalloc contender's own allocator), but never while a cell is
//! timed: a count is three atomic read-modify-writes on one cache line
//! shared by every thread, per allocation and per free, and on two threads
//! that line bouncing between the cores cost more than the allocation
//! (the two-thread `tiny` cell of mimalloc read 105 times the floor in
//! issue 26's runs and 9 to 12 times on a 2-core VM, against 0.5 to 1.2
//! times with counting off there: `--quick --only tiny,buf4k,parse`, three
//! runs each). So counting is off
//! for the whole run (each allocator call then reads one flag nobody
//! writes, and goes straight to the allocator), and each cell, right after
//! its timed loop, runs a count pass of its own: the same operation on the
//! same threads and pool, an eighth as many times (at least 10 000, or all
//! of them), untimed, with counting on ([`harness::counted_ops`]). The
//! allocations per op are that pass's. The memory section counts with it on.
//!
//! `--check-alloc` runs only the allocator cells of `tiny` and `buf4k`
//! (`alloc-system` or `alloc-global-mimalloc`, `alloc-mimalloc`) and their
//! floors, 1 and 2 threads, and after each round times the same
//! allocations in a plain loop over the same allocator called directly
//! ([`check`]); it prints the medians side by side, and
//! exits with status 1, naming the cell, where a two-thread cell takes more
//! than 1.5 times its loop (a one-thread cell gets a note). `.ci/run` runs
//! it with `--quick`.
//!
//! Two threads: both run their own loop on one shared pool, released together
//! by a barrier; the figure is the slower thread's time per operation (each
//! thread does the stated number of operations).
//!
//! ## Two modes: inlined and outlined
//!
//! **Inlined** (workloads `tiny`, `buf4k`, `parse`, `grow64k`, `heavy-tail`, `sizes`,
//! `handoff`):
//! the operation is a closure inlined into the measuring loop, so the
//! compiler sees get, use and return of every iteration together and can
//! optimize across them and across iterations (hoist loads out of the loop,
//! keep values in registers); the one-thread cells run on the main thread,
//! the same thread every round. This is the best case a pool can have, and
//! the mode in which its fast path is tuned and its instructions counted.
//!
//! **Outlined** (`tiny-outlined`, `buf4k-outlined`, `parse-outlined`, at 1
//! and 2 threads, every contender of those workloads, the floor included):
//! as a real program calls a pool, and as a harness written outside this
//! repository measures it (the *outside method*). A program's request
//! handler is not inlined into a loop around the pool: each operation
//! (get, use, drop) is its own call, and the threads that make them come
//! and go (a pool of workers restarted, a thread per connection or per
//! job). So here every round spawns fresh threads (one for one-thread
//! cells too); each builds its operation, a `Box<dyn FnMut()>`, from one
//! factory the threads share (a `Box<dyn Fn() -> Box<dyn FnMut()>>`), and
//! calls it from the loop of an `#[inline(never)]` function
//! ([`run_outlined`](harness::run_outlined)) that cannot see through it,
//! for one 15 ms slice ([`SLICE`](harness::SLICE)) from its first call: no
//! warm-up, so the thread's first use of the pool counts as in a program.
//! The pool, like a program's, is made once for the whole run and shared by
//! every round's threads, so a fresh thread meets a pool that earlier
//! threads used and left. What the inlined loop can hide (work hoisted out
//! of the loop, the call itself, a thread long settled in the pool) it
//! cannot hide here. Both modes stay: the outlined figures are the ones a
//! program sees, the inlined ones the floor of what the pool's own code
//! costs. `docs/BENCH.md` has what made the two methods disagree before
//! this one was adopted.
//!
//! `--only SUBSTR` (repeatable, or comma-separated) keeps the cells whose
//! workload or contender contains one of the substrings (`--only outlined`,
//! `--only tiny --quick`); `--contender NAME` (repeatable, or comma-separated)
//! keeps the contenders of those exact names (`--contender floor,pool-runtime`);
//! `--rounds N` sets the rounds (default 5 with `--quick`, else 11).
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
//!
//! ## Go's `sync.Pool` side by side
//!
//! When `go` is on the PATH, the report also runs the Go module in
//! `benches/go` (`go test -bench . -benchmem -cpu 1,2`, with `-bench`
//! narrowed by `--only` and `--contender`, a shorter `-benchtime` with
//! `--quick`) once, after the rounds, and shows its figures as the
//! `go-syncpool` contender of the inlined workloads, in the same table,
//! `RESULT` lines and chart. Go's aggregate ns/op of a parallel benchmark
//! is turned into time per thread first ([`go`]). Without Go it says so in
//! one line and carries on.
//!
//! ## Memory over threads
//!
//! After the timings, a section of its own ([`memory`]): what the pool
//! keeps for threads that used it in a burst and went idle, at 1 to 256
//! threads, and what `trim_all()`, a trimmer and `clear()` give back, with
//! Go's `sync.Pool` beside it when `go` is on the PATH. It is the
//! measurement of `examples/idle_threads.rs`, from the same file. It is
//! the workload `memory` for `--only` (`--only memory` runs it alone, in a
//! few seconds), with the contenders `pool-runtime` and `go-syncpool`.
//!
//! ## Where things are
//!
//! [`cells`] lists every cell, made by the macros of [`macros`] from the
//! contenders' adapters in [`contenders`] and the allocators of [`alloc`];
//! [`harness`] and [`handoff`] time them; [`report`] and [`svg`] print the
//! table, the `RESULT` lines and the chart; [`go`] adds Go's figures;
//! [`memory`] measures the memory section (with the example's code);
//! [`cli`] reads the arguments.
//! The workloads themselves are in `benches/common`, shared with the other
//! benches.

// `tiny` pools `Box<u64>` on purpose, the smallest object with a heap
// allocation behind it: its stashes are `Vec<Box<u64>>`.
#![allow(clippy::vec_box)]

#[path = "../common/mod.rs"]
mod common;
// The example prints each case's table too; the report only the side by
// side one.
#[allow(dead_code)]
#[path = "../../examples/common/idle_threads.rs"]
mod idle;

mod alloc;
mod cells;
mod check;
mod cli;
mod contenders;
mod go;
mod handoff;
mod harness;
mod macros;
mod memory;
mod report;
mod svg;

use std::time::Instant;

fn main() {
    let args = cli::Args::parse();
    // Timing runs uncounted: the harness counts in passes of their own.
    alloc::set_counting(false);
    let started = Instant::now();
    let mut cells = cells::cells();
    cells.retain(|c| args.keeps(c.workload, c.contender));
    let go_workloads = go::selected(&args);
    let memory = memory::selected(&args);
    if cells.is_empty() && go_workloads.is_empty() && !memory {
        eprintln!("no cell left by the --only and --contender filters");
        std::process::exit(2);
    }
    for c in &mut cells {
        c.ops = cells::ops_for(c.workload, args.quick);
    }
    let n = cells.len();
    let rounds = args.rounds;
    // With only Go's cells left (`--only go-syncpool`), no Rust rounds.
    let rust_rounds = if n == 0 { 0 } else { rounds };
    let mut plain_loops = args.check_alloc.then(|| check::PlainLoops::new(&cells));
    for round in 0..rust_rounds {
        for k in 0..n {
            let i = (k + round) % n;
            let c = &mut cells[i];
            let sample = (c.run)(c.ops);
            if let Some(p) = &mut plain_loops {
                p.after(i, sample.ns_per_op);
            }
            c.samples.push(sample);
        }
        eprintln!(
            "round {}/{rust_rounds} done ({:.1} s)",
            round + 1,
            started.elapsed().as_secs_f64()
        );
    }
    let mut rows = report::rows(&cells);
    if !go_workloads.is_empty() {
        report::insert(&mut rows, go::rows(&go_workloads, args.quick));
    }
    // With only the memory section left (`--only memory`), no table and
    // no chart of timings.
    if !rows.is_empty() {
        print_timings(&args, &rows);
    }
    let failed = match &plain_loops {
        Some(p) => p.compare(&rows),
        None => Vec::new(),
    };
    if memory {
        memory::section(&args);
    }
    eprintln!("total {:.1} s", started.elapsed().as_secs_f64());
    if !failed.is_empty() {
        for f in &failed {
            println!("FAILED: {f}");
        }
        std::process::exit(1);
    }
    if args.check_alloc {
        println!(
            "check-alloc: every two-thread allocator cell within {}x its plain loop in at least one round",
            check::LIMIT
        );
    }
}

/// The timing table, its `RESULT` lines, and the chart.
fn print_timings(args: &cli::Args, rows: &[report::Row]) {
    println!(
        "Timed with allocation counting off; allocs/op from a separate, untimed count pass \
         of each cell (the same operation on the same threads, counted by a counting \
         wrapper around the allocator).\n"
    );
    report::print_table(rows);
    report::print_retained(rows);
    let title = format!(
        "pool-runtime compare ({}{}, {} rounds)",
        if args.quick { "--quick" } else { "full" },
        if cfg!(feature = "mimalloc") {
            ", global allocator mimalloc"
        } else {
            ""
        },
        args.rounds
    );
    let svg_path = &args.svg_path;
    if let Some(dir) = std::path::Path::new(svg_path).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(svg_path, svg::svg(rows, &title)) {
        Ok(()) => eprintln!("chart: {svg_path}"),
        Err(e) => eprintln!("chart not written to {svg_path}: {e}"),
    }
}
