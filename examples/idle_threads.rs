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
