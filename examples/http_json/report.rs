//! What the run measured, printed: the table, the pools' stats, and what the
//! figures say.

use crate::server::MODES;
use pool_runtime::Stats;
use std::time::Duration;

/// One handler's timed rounds, added up.
#[derive(Default)]
pub struct Tally {
    pub requests: usize,
    pub elapsed: Duration,
    /// Requests per second of each round.
    pub rates: Vec<f64>,
    pub allocs: u64,
    pub bytes: u64,
    pub lat: Vec<u32>,
}

/// The median round's rate: one stall of a busy machine moves it less than the mean.
fn median_rate(t: &Tally) -> f64 {
    let mut r = t.rates.clone();
    r.sort_by(f64::total_cmp);
    match r.len() {
        0 => 0.0,
        n if n % 2 == 1 => r[n / 2],
        n => (r[n / 2 - 1] + r[n / 2]) / 2.0,
    }
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// The table: one row per handler.
pub fn print_table(tallies: &mut [Tally], rounds: usize) {
    println!();
    println!(
        "{:<16} {:>10} {:>9} {:>9} {:>13} {:>14}",
        "handler", "req/s*", "p50 µs", "p99 µs", "allocs/req", "bytes/req"
    );
    for (mode, t) in MODES.iter().zip(tallies.iter_mut()) {
        t.lat.sort_unstable();
        let n = t.requests.max(1) as f64;
        println!(
            "{:<16} {:>10.0} {:>9} {:>9} {:>13.2} {:>14.0}",
            mode.name(),
            median_rate(t),
            percentile(&t.lat, 0.50),
            percentile(&t.lat, 0.99),
            t.allocs as f64 / n,
            t.bytes as f64 / n,
        );
    }
    println!("* req/s of the median round ({rounds} rounds per handler, interleaved)");
}

/// The pools' stats after the warm-up and at the end, each as (scratch, reply).
pub fn print_pools(warm_stats: (Stats, Stats), (scratch, reply): (Stats, Stats)) {
    println!();
    println!("scratch pool after warm-up: {:?}", warm_stats.0);
    println!("scratch pool at the end:    {scratch:?}");
    println!("reply pool after warm-up:   {:?}", warm_stats.1);
    println!("reply pool at the end:      {reply:?}");
    let pooled_gets = (scratch.created + scratch.reused) as f64;
    println!(
        "scratch gets served from the pool: {:.2}% ({} made by the factory in all)",
        100.0 * scratch.reused as f64 / pooled_gets.max(1.0),
        scratch.created
    );
}

/// The lesson of the table, its figures filled in.
pub fn print_findings(tallies: &[Tally]) {
    let per_req = |t: &Tally| {
        let n = t.requests.max(1) as f64;
        (t.allocs as f64 / n, t.bytes as f64 / n, median_rate(t))
    };
    let (pooled, copy, unpooled) = (
        per_req(&tallies[0]),
        per_req(&tallies[1]),
        per_req(&tallies[2]),
    );
    println!();
    println!(
        "What the figures say (allocs/req counts every allocator call in the process during the"
    );
    println!("timed rounds, divided by the requests; the load generator's buffers were made beforehand):");
    println!(
        "- pooling the parse scratch and the reply buffer removed {:.1} allocator calls and {:.0} bytes",
        unpooled.0 - pooled.0,
        unpooled.1 - pooled.1
    );
    println!("  per request: the handler's own allocations, all of them;");
    println!(
        "- copying the pooled reply into `Bytes` puts {:.1} call ({:.0} bytes) back: the escape costs an allocation;",
        copy.0 - pooled.0,
        copy.1 - pooled.1
    );
    println!(
        "- what is left on the PooledBody row ({:.1} calls, {:.0} bytes) is not the handler's: it is hyper's",
        pooled.0, pooled.1
    );
    println!(
        "  per-request work: a fresh read buffer, the request's header map, and the response's"
    );
    println!("  header map (which the handler's content-type goes into, on every row alike);");
    println!(
        "- throughput: PooledBody {:+.1}% against unpooled. Over loopback, syscalls and hyper take most of",
        100.0 * (pooled.2 / unpooled.2 - 1.0)
    );
    println!(
        "  the time, so the allocations saved show more in the allocator's load than in req/s,"
    );
    println!("  and on a shared 2-core machine req/s swings by 10% or more between runs (more with a small");
    println!("  --requests); the allocation columns do not move.");
}
