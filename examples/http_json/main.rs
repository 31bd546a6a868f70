//! A JSON-over-HTTP service with pooled parse scratch and pooled response
//! buffers, measured against the same service allocating fresh ones.
//!
//! **The pool usage is all in `pooled.rs`**, beside this file: the pooled
//! types, the reply-buffer pool and the handlers that use them. The other
//! files are the demo around it: `reply.rs` (the JSON reply out of the
//! scratch), `server.rs`, `load.rs` (the load generator), `progress.rs` and
//! `report.rs`.
//!
//! Hyper 1 servers on a multi-thread tokio runtime listen on 127.0.0.1
//! (ephemeral ports): one whose response bodies are `pool_runtime::PooledBody`,
//! one whose bodies are `Full<Bytes>` (hyper serves one body type per
//! service). Each request carries an order as JSON; the handler reads the
//! body into a pooled `Scratch`, parses it *into the scratch's own buffers*
//! (one call, `pool_runtime::serde::from_slice_in_place`: the order's strings
//! are refilled in place, and its lists are `ReuseVec`s that keep each
//! element's buffer between requests), totals it, and encodes the reply as
//! JSON into a pooled `Vec<u8>`. The handlers do the same work:
//!
//! - `PooledBody`: the reply buffer's guard *is* the response body
//!   (`PooledBody::from(guard)`); hyper writes from it and dropping the body
//!   puts it back (nothing escapes, nothing is copied);
//! - `into_bytes`: the guard becomes a `Bytes` (`OwnedPooled::into_bytes`),
//!   served as `Full<Bytes>`, as a framework whose body type is fixed to
//!   `Bytes` (axum) would need: no copy, and the buffer goes back when hyper
//!   drops the `Bytes`; its shared owner is one small allocation per request;
//! - `copy_from_slice`: the reply is encoded into a pooled buffer and copied
//!   into `Bytes` for the response (the common shortcut: the copy is one
//!   allocation per request);
//! - `unpooled`: a fresh `Scratch` and a fresh `Vec<u8>` per request.
//!
//! An in-process load generator (raw HTTP/1.1 keep-alive over loopback, 8
//! connections, buffers allocated up front so it adds no allocations of its
//! own) sends the same orders to each, in alternating rounds, then prints
//! requests/s, p50/p99 latency, allocator calls and bytes per request (from
//! the counting global allocator: server, tokio and hyper together) and the
//! pools' stats.
//!
//! ```text
//! cargo run --release --example http_json
//! cargo run --release --example http_json -- --requests 2000  # a quick look
//! ```
//!
//! # One run
//!
//! `cargo run --release --example http_json`, 2026-12-06, on the development
//! machine (2 cores of a shared VM, glibc's malloc): 5.7 s once built. Before
//! timing, every order is sent through every handler and the replies must be
//! byte-for-byte the same JSON; the load generator reads replies with
//! `httparse` and checks first that reading one allocates nothing. 100,000
//! requests per handler; req/s is the median of 8 interleaved rounds. The
//! allocation columns are the same in every run; req/s and the latencies are
//! not (10% or more between runs here).
//!
//! ```text
//! handler              req/s*    p50 µs    p99 µs    allocs/req      bytes/req
//! PooledBody            75157        93       282          5.00           9112
//! into_bytes            68690        99       303          6.00           9168
//! copy_from_slice       80045        92       272          6.00           9747
//! unpooled              74919       102       257         34.40          13521
//! ```
//!
//! - Pooling removes the handler's own allocations: 29.4 allocator calls and
//!   4,409 bytes per request here, all of them (the unpooled handler parses
//!   into a fresh struct: a `String` for the customer, each line's SKU and each
//!   tag, and the lists).
//! - `into_bytes` adds one call of 56 bytes over `PooledBody`, and no copy;
//!   copying the reply out adds one call too, but of the reply's whole size
//!   (635 bytes, 579 more than `into_bytes`). Write from the pooled buffer
//!   where the server lets you, hand it out as `Bytes` where it does not, and
//!   copy only what must outlive the pool.
//! - The 5 calls and 9,112 bytes left on the `PooledBody` row are hyper's per-
//!   request work (a fresh 8 KiB read buffer, the request's header map, and the
//!   response's header map that every handler puts its content-type into), not
//!   the handler's.
//! - Throughput moves less than allocations (`PooledBody` level with `unpooled`
//!   in this run, 0.3% ahead): over loopback, syscalls and hyper take most of
//!   the time, and req/s swings by 10% or more between runs here. The
//!   allocation columns are the same in every run. The scratch parsed by hand
//!   into one text buffer and spans (this example before `ReuseVec`) served the
//!   same requests as fast: `PooledBody` 69,078 to 82,252 req/s over three runs
//!   of 30,000 requests, against 73,988 to 78,512 with the natural struct, both
//!   at 5.00 allocations a request.

#[path = "../common/args.rs"]
mod args;
mod load;
mod pooled;
mod progress;
mod reply;
mod report;
mod server;

use load::{check_replies, connections, load, make_requests, Conn};
use pool_suite::CountingAlloc;
use pooled::Pools;
use progress::progress_bar;
use report::Tally;
use server::{Servers, MODES};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Counts every allocator call in the process, the load generator's included.
#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

fn main() {
    let mut per_mode: usize = 100_000;
    args::Args::new(
        "http_json",
        "a JSON service over HTTP, pooled against unpooled, under load",
    )
    .count(
        "requests",
        Some('n'),
        "requests per handler, spread over 8 alternating rounds",
        &mut per_mode,
    )
    .parse();
    let conns = 8;
    let rounds = 8;

    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let pools = Arc::new(Pools::new());
    let servers = server_rt
        .block_on(Servers::start(Arc::clone(&pools)))
        .expect("bind 127.0.0.1");
    let addrs: Vec<SocketAddr> = MODES.iter().map(|&m| servers.addr(m)).collect();

    // The load generator runs on its own thread and runtime.
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let requests: Vec<Arc<Vec<Vec<u8>>>> =
        MODES.iter().map(|&m| Arc::new(make_requests(m))).collect();
    let sizes: Vec<usize> = requests[0].iter().map(Vec::len).collect();
    println!(
        "http_json: servers on http://{} (PooledBody) and http://{} (Full<Bytes>), {conns} keep-alive \
         connections and {per_mode} requests per handler in {rounds} alternating rounds, request bodies {}..{} bytes",
        servers.pooled_body,
        servers.bytes,
        sizes.iter().min().unwrap_or(&0),
        sizes.iter().max().unwrap_or(&0)
    );

    // Every handler must give the same replies before any is timed.
    let checked = client_rt.block_on(check_replies(&addrs, &requests));
    println!(
        "checked: {checked} replies, identical JSON from every handler; \
         the load generator parses one with no allocation"
    );

    // Open every handler's connections, then warm them up (hyper's
    // buffers, the pools).
    let room = per_mode.max(2000);
    let mut pools_of_conns: Vec<Vec<Conn>> = addrs
        .iter()
        .map(|&addr| client_rt.block_on(connections(addr, conns, room)))
        .collect();
    for (reqs, conns_of_mode) in requests.iter().zip(&mut pools_of_conns) {
        let warm = (per_mode / 20).clamp(conns, 2000);
        let ready = std::mem::take(conns_of_mode);
        *conns_of_mode = client_rt.block_on(load(Arc::clone(reqs), ready, warm));
        for c in conns_of_mode.iter_mut() {
            c.lat.clear();
        }
    }
    let warm_stats = pools.stats();

    let bar = progress_bar(per_mode * MODES.len());
    let mut tallies = MODES.map(|_| Tally::default());
    for t in &mut tallies {
        t.lat.reserve(per_mode);
        t.rates.reserve(rounds);
    }
    for round in 0..rounds {
        for (i, reqs) in requests.iter().enumerate() {
            let n = per_mode / rounds + usize::from(round < per_mode % rounds);
            if n == 0 {
                continue;
            }
            let ready = std::mem::take(&mut pools_of_conns[i]);
            let before = ALLOC.snapshot();
            let start = Instant::now();
            let ready = client_rt.block_on(load(Arc::clone(reqs), ready, n));
            let elapsed = start.elapsed();
            let used = ALLOC.snapshot() - before;
            let t = &mut tallies[i];
            t.requests += n;
            t.elapsed += elapsed;
            t.rates.push(n as f64 / elapsed.as_secs_f64());
            t.allocs += used.allocs;
            t.bytes += used.bytes;
            pools_of_conns[i] = ready;
            for conn in &mut pools_of_conns[i] {
                t.lat.extend_from_slice(&conn.lat);
                conn.lat.clear();
            }
            bar.inc(n as u64); // outside the counted window: drawing allocates
        }
    }
    bar.finish_and_clear();

    report::print_table(&mut tallies, rounds);
    report::print_pools(warm_stats, pools.stats());
    report::print_findings(&tallies);
    report::check_claims(&tallies);

    drop(pools_of_conns); // closes the connections: the server's tasks end
    drop(servers);
    drop(client_rt);
    server_rt.shutdown_timeout(Duration::from_secs(1));
}
