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
    println!("scratch pool after warm-up: {}", warm_stats.0);
    println!("scratch pool at the end:    {scratch}");
    println!("reply pool after warm-up:   {}", warm_stats.1);
    println!("reply pool at the end:      {reply}");
    let pooled_gets = (scratch.created + scratch.reused) as f64;
    println!(
        "scratch gets served from the pool: {:.2}% ({} made by the factory in all)",
        100.0 * scratch.reused as f64 / pooled_gets.max(1.0),
        scratch.created
    );
}

/// One handler's figures per request, and its median rate.
struct PerRequest {
    allocs: f64,
    bytes: f64,
    rate: f64,
}

fn per_request(t: &Tally) -> PerRequest {
    let n = t.requests.max(1) as f64;
    PerRequest {
        allocs: t.allocs as f64 / n,
        bytes: t.bytes as f64 / n,
        rate: median_rate(t),
    }
}

/// The lesson of the table, its figures filled in.
pub fn print_findings(tallies: &[Tally; MODES.len()]) {
    let [pooled_body, into_bytes, copy, unpooled] = tallies.each_ref().map(per_request);
    println!();
    println!(
        "What the figures say (allocs/req counts every allocator call in the process during the"
    );
    println!("timed rounds, divided by the requests; the load generator's buffers were made beforehand):");
    println!(
        "- pooling the parse scratch and the reply buffer removed {:.1} allocator calls and {:.0} bytes",
        unpooled.allocs - pooled_body.allocs,
        unpooled.bytes - pooled_body.bytes
    );
    println!("  per request: the handler's own allocations, all of them;");
    println!(
        "- `into_bytes` hands the pooled reply to a `Bytes` body without a copy: {:.1} call ({:.0} bytes)",
        into_bytes.allocs - pooled_body.allocs,
        into_bytes.bytes - pooled_body.bytes
    );
    println!("  more than `PooledBody`, the `Bytes`' shared owner, whatever the reply's length;");
    println!(
        "- copying the pooled reply into `Bytes` puts {:.1} call ({:.0} bytes) back: the escape costs",
        copy.allocs - pooled_body.allocs,
        copy.bytes - pooled_body.bytes
    );
    println!(
        "  an allocation of the whole reply, {:.0} bytes more than `into_bytes` per request;",
        copy.bytes - into_bytes.bytes
    );
    println!(
        "- what is left on the PooledBody row ({:.1} calls, {:.0} bytes) is not the handler's: it is hyper's",
        pooled_body.allocs, pooled_body.bytes
    );
    println!(
        "  per-request work: a fresh read buffer, the request's header map, and the response's"
    );
    println!("  header map (which the handler's content-type goes into, on every row alike);");
    println!(
        "- throughput: PooledBody {:+.1}% against unpooled. Over loopback, syscalls and hyper take most of",
        100.0 * (pooled_body.rate / unpooled.rate - 1.0)
    );
    println!(
        "  the time, so the allocations saved show more in the allocator's load than in req/s,"
    );
    println!("  and on a shared 2-core machine req/s swings by 10% or more between runs (more with a small");
    println!("  --requests); the allocation columns do not move.");
}

/// The findings' claims that hold whatever the versions of hyper and tokio
/// (whose own allocations make the absolute counts), checked: they compare
/// rows, which differ only in the handler. A run that breaks one panics.
pub fn check_claims(tallies: &[Tally; MODES.len()]) {
    let [pooled_body, into_bytes, copy, unpooled] = tallies.each_ref().map(per_request);
    let about_one = |more: f64| (0.5..1.5).contains(&more);
    assert!(
        about_one(into_bytes.allocs - pooled_body.allocs),
        "into_bytes makes about one allocation per request more than PooledBody: {:.2} against {:.2}",
        into_bytes.allocs,
        pooled_body.allocs
    );
    assert!(
        about_one(copy.allocs - pooled_body.allocs),
        "the copy makes about one allocation per request more than PooledBody: {:.2} against {:.2}",
        copy.allocs,
        pooled_body.allocs
    );
    assert!(
        copy.bytes > into_bytes.bytes,
        "the copy allocates more bytes per request than into_bytes: {:.0} against {:.0}",
        copy.bytes,
        into_bytes.bytes
    );
    assert!(
        unpooled.allocs > copy.allocs,
        "pooling saves allocations even with the copy: unpooled {:.2} against {:.2}",
        unpooled.allocs,
        copy.allocs
    );
}
