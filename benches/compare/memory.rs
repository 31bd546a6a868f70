//! The report's "Memory over threads" section: the measurement of
//! `examples/idle_threads.rs` (`examples/common/idle_threads.rs`, included
//! by `main.rs`), at 1, 2, 8, 64 and 256 threads, with Go's `sync.Pool`
//! beside it when `go` is on the PATH.
//!
//! The timing table says what a pool costs per operation; this says what
//! it costs in memory once the threads that used it go idle, and whether
//! `trim_all()`, a trimmer and `clear()` give that memory back. It runs
//! after the rounds, so that a GiB of buffers made and freed does not move
//! the timings, and takes a few seconds. Its workload is `memory` and its
//! contenders `pool-runtime` and `go-syncpool`, for `--only` and
//! `--contender` as for any cell: `--only memory` runs it alone, `--only
//! tiny` leaves it out, `--contender go-syncpool` keeps it (Go's side
//! needs the pool's beside it, so the pool's side always runs with it).
//! Its claims are those of the example: it prints how many held and
//! each that failed (`FAILED: …`), and the report goes on.

use crate::cli::Args;
use crate::go::CONTENDER as GO;
use crate::idle;
use std::time::Instant;

/// The section's workload name, for `--only`.
pub const WORKLOAD: &str = "memory";
/// Its contender on this side, for `--only` and `--contender`.
const POOL: &str = "pool-runtime";

/// Whether `--only` and `--contender` keep the section.
pub fn selected(args: &Args) -> bool {
    args.keeps(WORKLOAD, POOL) || args.keeps(WORKLOAD, GO)
}

/// Measures and prints the section.
pub fn section(args: &Args) {
    // Live bytes are counted only while counting is on (the timings ran
    // with it off): on for the whole section, whose every case reads them
    // from its own start.
    crate::alloc::set_counting(true);
    let started = Instant::now();
    let meter = idle::Meter::new(crate::alloc::live_bytes);
    let burst = idle::Burst {
        buffers: idle::BUFFERS,
        kib: idle::KIB,
    };
    let (cases, high) = idle::measure_all(&meter, &idle::THREADS, burst);
    let go = if args.keeps(WORKLOAD, GO) {
        match idle::go_run(&idle::THREADS, burst) {
            Ok(run) => {
                eprintln!(
                    "{GO} (memory): {}, GOMAXPROCS {}",
                    run.version, run.gomaxprocs
                );
                run.cases
            }
            Err(why) => {
                eprintln!("{GO} (memory): skipped, {why}");
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    let low = cases
        .iter()
        .find(|c| c.threads == idle::HIGH_ID_THREADS && c.held_ids == 0)
        .expect("measure_all runs the low-id case");
    println!(
        "\n## Memory over threads\n\n\
         N threads each take {} buffers of {} KiB at once from a fresh Pool<Vec<u8>> \
         (Go: N goroutines, a sync.Pool of *[]byte), drop them and stay idle. Live heap \
         (the counting allocator; Go: HeapAlloc, HeapInuse) above each case's start, RSS \
         above the section's start (Go: its program's). `cargo run --release --example \
         idle_threads` prints every point of every case.\n\n{}\n{}",
        burst.buffers,
        burst.kib,
        idle::side_by_side(&cases, &go),
        idle::high_id_table(low, &high)
    );
    // The example lists every claim; here, how many held, and each that
    // did not.
    let claims = idle::claims(&cases, &high);
    let failed: Vec<&String> = claims
        .iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, what)| what)
        .collect();
    println!(
        "claims of the example: {} of {} held",
        claims.len() - failed.len(),
        claims.len()
    );
    for what in failed {
        println!("FAILED: {what}");
    }
    eprintln!(
        "memory over threads: done ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
}
