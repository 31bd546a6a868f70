//! The escape lesson: a pooled buffer saves an allocation only if the bytes
//! never have to leave it.
//!
//! One record is encoded as JSON, over and over, six ways:
//!
//! - `fresh Vec`: a new `Vec<u8>` per call, grown from empty (the baseline);
//! - `fresh Vec, presized`: a new `Vec::with_capacity(512)` per call;
//! - `pooled, to_vec()`: encoded into a pooled buffer, then copied out with
//!   `to_vec()` so the caller can own it (the buffer escapes as a copy);
//! - `pooled, detach`: the pooled buffer itself is handed out with
//!   `Pooled::detach` (it never comes back: the pool makes a new one each time);
//! - `pooled, into_bytes`: the pooled buffer itself is handed out as `Bytes`
//!   with `OwnedPooled::into_bytes` (no copy; the `Bytes`' shared owner is
//!   the one allocation); when the caller drops it the buffer goes back;
//! - `pooled, io::Write`: encoded into a pooled buffer, which is then written
//!   straight into an `io::Write` sink (a stand-in for a socket); the buffer
//!   goes back to the pool and nothing escapes.
//!
//! It prints allocator calls, bytes and time per call for each, and the pool's
//! stats, and checks the claims the figures make: writing in place makes no
//! allocator call, `into_bytes` makes one per call and copies nothing (it
//! allocates fewer bytes than `to_vec()`), and every buffer the pool made is
//! either detached or back in it.
//!
//! ```text
//! cargo run --release --example encode
//! cargo run --release --example encode -- --calls 100000
//! ```
//!
//! # One run
//!
//! `cargo run --release --example encode`, 2026-12-06, on the development
//! machine (2 cores of a shared VM, glibc's malloc), 2.1 s: one 291-byte JSON
//! record, six ways, every way ending with the bytes on the same cheap
//! `io::Write` sink, 1,000,000 calls each:
//!
//! ```text
//! way                     allocs/call   bytes/call ns/call (median)
//! fresh Vec                      7.00         1014            394.9
//! fresh Vec, presized            1.00          512            286.1
//! pooled, to_vec()               1.00          288            316.8
//! pooled, detach                 1.00          512            319.6
//! pooled, into_bytes             1.00           56            346.3
//! pooled, io::Write              0.00            0            282.9
//! ```
//!
//! A pooled buffer copied out with `to_vec()` is no better than a presized
//! `Vec` (one allocation, plus a copy); a `detach`ed one never comes back, so
//! the pool makes a new one each time. Handed out as `Bytes` with `into_bytes`,
//! it costs one 56-byte allocation (the `Bytes`'s owner), copies nothing, and
//! comes back when the `Bytes` drops. Written out from where it is, it makes no
//! allocator call at all. The time column is mostly serde_json's own work.

#[path = "common/args.rs"]
mod args;

use bytes::Bytes;
use pool_runtime::{OwnedPooled, Pool, Pooled};
use pool_suite::CountingAlloc;
use serde::Serialize;
use std::hint::black_box;
use std::io::{self, Write};
use std::sync::Arc;
use std::time::Instant;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

#[derive(Serialize)]
struct Record<'a> {
    id: u64,
    name: &'a str,
    email: &'a str,
    roles: [&'a str; 3],
    score: f64,
    active: bool,
    history: [u32; 16],
}

fn record(i: u64) -> Record<'static> {
    Record {
        id: 10_000 + i,
        name: "Ada Lovelace",
        email: "ada@example.invalid",
        roles: ["admin", "analyst", "engine-programmer"],
        score: 97.25 + (i % 7) as f64,
        active: i % 3 != 0,
        history: core::array::from_fn(|k| (i as u32).wrapping_mul(2_654_435_761) >> (k % 20)),
    }
}

fn encode(rec: &Record<'_>, out: &mut Vec<u8>) {
    serde_json::to_writer(out, rec).expect("a record always encodes");
}

/// Where encoded records go, in every way alike: counts the bytes and folds
/// in a few of them, like a socket that never blocks (and costs next to nothing).
#[derive(Default)]
struct Wire {
    bytes: u64,
    sum: u64,
}

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len() as u64;
        let (first, last) = (buf.first().copied(), buf.last().copied());
        self.sum = self
            .sum
            .wrapping_mul(31)
            .wrapping_add(u64::from(first.unwrap_or(0)))
            ^ u64::from(last.unwrap_or(0));
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

// The six ways. Each function is what a library would expose; the caller
// sends what it gets back (or passes its writer in).

/// Encodes into a buffer the caller made; returns it.
#[inline(never)]
fn encode_fresh(i: u64, mut out: Vec<u8>) -> Vec<u8> {
    encode(&record(i), &mut out);
    out
}

/// Encodes into a pooled buffer and returns a copy: the buffer goes back, the
/// copy escapes.
#[inline(never)]
fn encode_to_vec(pool: &Pool<Vec<u8>>, i: u64) -> Vec<u8> {
    let mut buf = pool.get();
    encode(&record(i), &mut buf);
    buf.to_vec()
}

/// Encodes into a pooled buffer and hands the buffer itself out: it never
/// comes back, so the pool makes a new one for the next call.
#[inline(never)]
fn encode_detached(pool: &Pool<Vec<u8>>, i: u64) -> Vec<u8> {
    let mut buf = pool.get();
    encode(&record(i), &mut buf);
    Pooled::detach(buf)
}

/// Encodes into a pooled buffer and hands the buffer itself out as `Bytes`:
/// nothing is copied, and when the caller drops the last clone the buffer
/// goes back to the pool. The `Bytes`' shared owner is one small allocation.
#[inline(never)]
fn encode_shared(pool: &Arc<Pool<Vec<u8>>>, i: u64) -> Bytes {
    let mut buf = pool.get_owned();
    encode(&record(i), &mut buf);
    OwnedPooled::into_bytes(buf)
}

/// Encodes into a pooled buffer and writes it out from there: nothing escapes.
#[inline(never)]
fn encode_into(pool: &Pool<Vec<u8>>, i: u64, w: &mut impl Write) -> io::Result<()> {
    let mut buf = pool.get();
    encode(&record(i), &mut buf);
    w.write_all(&buf)
}

fn send(wire: &mut Wire, bytes: &[u8]) {
    wire.write_all(black_box(bytes))
        .expect("the wire takes everything");
}

/// One way of encoding and sending a record.
type Way<'p> = (&'static str, Box<dyn FnMut(u64, &mut Wire) + 'p>);

#[derive(Default)]
struct Row {
    allocs: u64,
    bytes: u64,
    calls: u64,
    /// ns per call, one figure per round.
    rounds: Vec<f64>,
}

const ROUNDS: u64 = 7;

/// Runs every way `calls` times in all, in `ROUNDS` interleaved rounds (so a
/// noisy neighbour hurts them alike), after a short warm-up; counts
/// allocations and times each round. Every way ends with the bytes on `wire`.
fn measure(ways: &mut [Way<'_>], calls: u64, wire: &mut Wire) -> Vec<Row> {
    for (_, f) in ways.iter_mut() {
        for i in 0..1000 {
            f(i, wire);
        }
    }
    let mut rows: Vec<Row> = ways.iter().map(|_| Row::default()).collect();
    for row in &mut rows {
        row.rounds.reserve(ROUNDS as usize);
    }
    for round in 0..ROUNDS {
        let n = calls / ROUNDS + u64::from(round < calls % ROUNDS);
        for ((_, f), row) in ways.iter_mut().zip(&mut rows) {
            let before = ALLOC.snapshot();
            let start = Instant::now();
            for i in 0..n {
                f(i, wire);
            }
            let elapsed = start.elapsed().as_nanos() as f64;
            let used = ALLOC.snapshot() - before;
            row.allocs += used.allocs;
            row.bytes += used.bytes;
            row.calls += n;
            if n > 0 {
                row.rounds.push(elapsed / n as f64);
            }
        }
    }
    rows
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

fn main() {
    let mut calls: u64 = 1_000_000;
    args::Args::new(
        "encode",
        "one JSON record encoded six ways: what a pooled buffer saves",
    )
    .count(
        "calls",
        Some('n'),
        "calls of each way, timed in interleaved rounds",
        &mut calls,
    )
    .parse();
    // An `Arc` for `get_owned`, which `into_bytes` needs: the `Bytes` may
    // outlive any borrow of the pool.
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(512)));
    let mut wire = Wire::default();
    let mut sample = Vec::new();
    encode(&record(1), &mut sample);
    println!(
        "encode: one {}-byte JSON record, {calls} calls each way\n",
        sample.len()
    );

    let mut ways: Vec<Way<'_>> = vec![
        (
            "fresh Vec",
            Box::new(|i, wire| send(wire, &encode_fresh(i, Vec::new()))),
        ),
        (
            "fresh Vec, presized",
            Box::new(|i, wire| send(wire, &encode_fresh(i, Vec::with_capacity(512)))),
        ),
        (
            "pooled, to_vec()",
            Box::new(|i, wire| send(wire, &encode_to_vec(&pool, i))),
        ),
        (
            "pooled, detach",
            Box::new(|i, wire| send(wire, &encode_detached(&pool, i))),
        ),
        (
            "pooled, into_bytes",
            Box::new(|i, wire| send(wire, &encode_shared(&pool, i))),
        ),
        (
            "pooled, io::Write",
            Box::new(|i, wire| encode_into(&pool, i, wire).expect("the wire takes everything")),
        ),
    ];
    let mut rows = measure(&mut ways, calls, &mut wire);

    println!(
        "{:<22} {:>12} {:>12} {:>16}",
        "way", "allocs/call", "bytes/call", "ns/call (median)"
    );
    let names: Vec<&str> = ways.iter().map(|(name, _)| *name).collect();
    for (name, r) in names.iter().zip(&mut rows) {
        println!(
            "{:<22} {:>12.2} {:>12.0} {:>16.1}",
            name,
            r.allocs as f64 / r.calls as f64,
            r.bytes as f64 / r.calls as f64,
            median(&mut r.rounds)
        );
    }
    drop(ways);
    let s = pool.stats();
    println!("\npool: {s:?}");
    println!(
        "wire: {} bytes written (checksum {:016x})",
        wire.bytes, wire.sum
    );
    println!();
    println!("A fresh Vec grows by doubling: several allocator calls per record. Presizing it");
    println!("leaves one. The pool with `to_vec()` also leaves one (the copy) and adds a memcpy:");
    println!(
        "it saves little. `detach` saves nothing: the pool has to make a new buffer each time."
    );
    println!("`into_bytes` hands the pooled buffer itself out as `Bytes`: one allocator call (its");
    println!(
        "shared owner, a few dozen bytes whatever the record's length), no copy, and the buffer"
    );
    println!("comes back when the caller drops the `Bytes`. Writing from the pooled buffer and");
    println!("letting it go back makes no allocator call at all.");
    println!("The time column is mostly serde_json's own work (number formatting above all): an");
    println!(
        "allocator call costs tens of ns next to it, and on a shared machine a few % is noise."
    );

    let row = |name: &str| {
        let at = names.iter().position(|n| *n == name);
        &rows[at.expect("a way of that name")]
    };
    let direct = row("pooled, io::Write");
    assert!(
        direct.allocs * 100 < direct.calls,
        "a warm pool written from in place must not allocate"
    );
    let (shared, copied) = (row("pooled, into_bytes"), row("pooled, to_vec()"));
    assert!(
        shared.allocs.abs_diff(shared.calls) * 100 < shared.calls,
        "into_bytes from a warm pool makes one allocation per call, the Bytes' owner: {} in {} calls",
        shared.allocs,
        shared.calls
    );
    assert!(
        shared.bytes < copied.bytes,
        "into_bytes copies nothing: it allocates fewer bytes than to_vec(), {} against {}",
        shared.bytes,
        copied.bytes
    );
    let expect_writes = calls + 1000;
    assert_eq!(s.detached, expect_writes, "one detach per call of that way");
    assert_eq!(
        s.created,
        s.detached + s.retained as u64,
        "every buffer the pool made is either detached or back in it (into_bytes' included)"
    );
}
