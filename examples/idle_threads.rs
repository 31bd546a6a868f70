//! Memory over threads: what a pool keeps for threads that used it in a
//! burst and then went idle, and how it comes back, at 1 to 256 threads.
//!
//! A program's threads rarely all stay busy: a burst of requests wakes a
//! pool of workers, each fills its stash, and then most of them sleep. A
//! stash only its own thread touches keeps what it holds for as long as
//! that thread sleeps, unless someone else can take it: `trim()`, `clear()`
//! and `trim_all()` claim an idle thread's stash from the thread that calls
//! them, and `spawn_trimmer` does that on a timer. This example measures
//! it (`examples/common/idle_threads.rs` has the measurement, shared with
//! the compare report's "Memory over threads" section).
//!
//! For each thread count `N` (1, 2, 8, 64, 256 by default; oversubscribed
//! on a small machine: this measures memory and correctness, not speed),
//! `N` threads each take 64 buffers of 64 KiB at once from one fresh
//! `Pool<Vec<u8>>`, drop them and park. It prints, per `N`, the values
//! and bytes the pool retains, the live heap (the counting global
//! allocator) and the resident set after the burst, after two
//! `trim_all()` from the main thread, after a second burst and a trimmer
//! of 20 ms, and after a third burst, a `clear()` and the threads' exit.
//! Then it runs 8 threads again while as many threads as the largest `N`
//! park holding the low thread ids, so that the 8 get ids past them, and
//! compares their heap per thread with the low-id run's. Go's `sync.Pool`
//! does the same (`benches/go/cmd/idlethreads`) when `go` is on the PATH,
//! and the two are printed side by side.
//!
//! Then it checks its claims, and panics (exit status 101) naming every
//! one that failed:
//!
//! - after two `trim_all()`, and after the exit, nothing is retained and
//!   the live heap is back within 2 MiB + 64 KiB per thread of where it
//!   was before the threads were spawned (the heap, not the resident set:
//!   the allocator may keep freed pages, so the resident set is printed,
//!   not checked);
//! - the trimmer empties the pool within a second;
//! - the live heap per thread with high ids is within 1.25x of the low
//!   ids' (either way).
//!
//! Where Linux refuses `membarrier` (some sandboxes), a trim can only ask
//! an idle thread to free its stash, and a parked thread never hears it:
//! the claims of the two trims and of the trimmer fail there, which is
//! what they are for. (A `clear()` asked of a thread is still carried out
//! at its exit.)
//!
//! ```text
//! cargo run --release --example idle_threads
//! cargo run --release --example idle_threads -- --threads 1,8,64 --buffers 16
//! ```
//!
//! # One run
//!
//! `cargo run --release --example idle_threads`, 2026-12-06, on the development
//! machine (2 cores of a shared VM, glibc's malloc; go1.19.8 for Go's side),
//! 1.9 s with Go's side: N threads (goroutines) each take 64 buffers of 64 KiB
//! at once from one fresh `Pool<Vec<u8>>` (a `sync.Pool` of `*[]byte`), write
//! them whole, hold them until all do, drop them and park. Retained: the pool's
//! `retained_bytes`; live heap: the counting allocator's bytes above the case's
//! start (Go: `HeapAlloc` and `HeapInuse` of `runtime.ReadMemStats`); RSS above
//! the run's start. The last row of each follows one more burst: then a
//! `clear()` and the threads' exit here; the goroutines' exit and two
//! collections in Go.
//!
//! | threads | point | pool-runtime retained | live heap | RSS | Go sync.Pool HeapAlloc | HeapInuse | RSS |
//! |---:|---|---:|---:|---:|---:|---:|---:|
//! | 1 | after the burst | 4.0 MiB | 4.0 MiB | 4.0 MiB | 4.0 MiB | 4.0 MiB | 4.6 MiB |
//! | 1 | two trim_all() / two runtime.GC() | 0 B | 3.9 KiB | 4.1 MiB | 1.4 KiB | 8.0 KiB | 4.8 MiB |
//! | 1 | threads exited (clear() / two runtime.GC()) | 0 B | 3.4 KiB | 328 KiB | 872 B | 8.0 KiB | 2.6 MiB |
//! | 2 | after the burst | 8.0 MiB | 8.0 MiB | 8.2 MiB | 8.0 MiB | 8.0 MiB | 8.9 MiB |
//! | 2 | two trim_all() / two runtime.GC() | 0 B | 4.0 KiB | 4.3 MiB | 1.9 KiB | 16.0 KiB | 8.9 MiB |
//! | 2 | threads exited (clear() / two runtime.GC()) | 0 B | 3.3 KiB | 4.3 MiB | 736 B | 8.0 KiB | 9.0 MiB |
//! | 8 | after the burst | 32.0 MiB | 32.0 MiB | 32.3 MiB | 32.0 MiB | 32.1 MiB | 33.8 MiB |
//! | 8 | two trim_all() / two runtime.GC() | 0 B | 5.6 KiB | 28.5 MiB | 8.6 KiB | 16.0 KiB | 33.8 MiB |
//! | 8 | threads exited (clear() / two runtime.GC()) | 0 B | 3.3 KiB | 24.6 MiB | 3.8 KiB | 0 B | 33.9 MiB |
//! | 64 | after the burst | 256 MiB | 256 MiB | 257 MiB | 256 MiB | 256 MiB | 266 MiB |
//! | 64 | two trim_all() / two runtime.GC() | 0 B | 39.8 KiB | 229 MiB | 70.8 KiB | 64.0 KiB | 266 MiB |
//! | 64 | threads exited (clear() / two runtime.GC()) | 0 B | 18.2 KiB | 179 MiB | 32.6 KiB | 24.0 KiB | 266 MiB |
//! | 256 | after the burst | 1.00 GiB | 1.00 GiB | 1.00 GiB | 1.00 GiB | 1.00 GiB | 1.04 GiB |
//! | 256 | two trim_all() / two runtime.GC() | 0 B | 157 KiB | 972 MiB | 268 KiB | 272 KiB | 1.04 GiB |
//! | 256 | threads exited (clear() / two runtime.GC()) | 0 B | 69.3 KiB | 726 MiB | 95.8 KiB | 112 KiB | 1.04 GiB |
//!
//! - A burst costs both pools the same: 4.0 MiB per thread, whatever the thread
//!   count (64 buffers per thread; at 8 threads 4,195,840 bytes each: 64 x (64
//!   KiB + 24)).
//! - Two `trim_all()` from the main thread, every worker asleep, free all of
//!   it, on every thread, as two collections empty `sync.Pool`. What stays is
//!   bookkeeping: 157 KiB of live heap at 256 threads, about 0.6 KiB a thread
//!   (their spawn, their slots), against Go's 268 KiB. A trimmer of 20 ms, with
//!   no call from the program, emptied the pool after a burst in 40 to 41 ms at
//!   every thread count: two periods.
//! - RSS moves much less than the heap, on both sides: glibc keeps freed 64 KiB
//!   chunks in its arenas for the next `malloc` (at 256 threads, 1.00 GiB after
//!   the burst, 972 MiB after the trims, 726 MiB after the exit), and Go's
//!   stays at its peak. The pool frees the memory; when the allocator hands
//!   pages back to the system is its own business, so the example prints RSS
//!   and checks the live heap.
//! - A thread's id does not change what it costs: 8 threads spawned while 256
//!   others held the low ids had 4,197,263 bytes of live heap each, against
//!   4,197,067 with low ids (1,423 and 1,227 bytes beyond their buffers).
//!
//! CI runs it at `--threads 1,8,64`. `cargo bench --bench compare -- --only
//! memory` prints the same table as a section of the compare report.

#[path = "common/args.rs"]
mod args;
#[path = "common/idle_threads.rs"]
mod idle;

use pool_suite::CountingAlloc;
use std::time::Instant;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

fn live_bytes() -> usize {
    ALLOC.live_bytes()
}

fn main() {
    let mut threads = idle::THREADS.to_vec();
    let (mut buffers, mut kib) = (idle::BUFFERS, idle::KIB);
    args::Args::new(
        "idle_threads",
        "memory a pool keeps for idle threads, and how trim_all, a trimmer and clear give it back",
    )
    .list(
        "threads",
        Some('t'),
        "thread counts, each a case",
        &mut threads,
    )
    .count(
        "buffers",
        Some('b'),
        "buffers each thread takes at once",
        &mut buffers,
    )
    .count("kib", None, "KiB per buffer", &mut kib)
    .parse();
    let burst = idle::Burst { buffers, kib };
    let started = Instant::now();
    // Before any thread or buffer: the resident set's zero.
    let meter = idle::Meter::new(live_bytes);
    println!(
        "idle_threads: {buffers} buffers of {kib} KiB per thread, at {threads:?} threads; \
         heap above each case's start, RSS above the run's start{}",
        if idle::rss().is_some() {
            ""
        } else {
            " (RSS n/a: no /proc here)"
        }
    );

    let (cases, high) = idle::measure_all(&meter, &threads, burst);
    let measured = started.elapsed();
    for case in cases.iter().chain([&high]) {
        println!("\n{}", idle::case_table(case));
    }
    let low = cases
        .iter()
        .find(|c| c.threads == idle::HIGH_ID_THREADS)
        .expect("measure_all runs the low-id case");
    println!("{}", idle::high_id_table(low, &high));

    let go_started = Instant::now();
    let go = match idle::go_run(&threads, burst) {
        Ok(run) => {
            println!(
                "Go's sync.Pool, the same bursts (benches/go/cmd/idlethreads, {:.1} s with \
                 the build), {}",
                go_started.elapsed().as_secs_f64(),
                idle::go_table(&run)
            );
            run.cases
        }
        Err(why) => {
            println!("Go's sync.Pool: skipped, {why}\n");
            Vec::new()
        }
    };
    println!(
        "side by side (heap above each case's start, RSS above each run's start):\n\n{}",
        idle::side_by_side(&cases, &go)
    );

    println!("claims:");
    let mut failed = Vec::new();
    for (ok, what) in idle::claims(&cases, &high) {
        println!("  {} {what}", if ok { "ok:    " } else { "FAILED:" });
        if !ok {
            failed.push(what);
        }
    }
    println!(
        "\nmeasured in {:.1} s (Go: {:.1} s more)",
        measured.as_secs_f64(),
        go_started.elapsed().as_secs_f64()
    );
    // A panic, as in every example: exit status 101.
    assert!(
        failed.is_empty(),
        "idle_threads: claims that failed:\n  {}",
        failed.join("\n  ")
    );
    println!("every claim held");
}
