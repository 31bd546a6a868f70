//! The escape lesson: a pooled buffer saves an allocation only if the bytes
//! never have to leave it.
//!
//! One record is encoded as JSON, over and over, five ways:
//!
//! - `fresh Vec`: a new `Vec<u8>` per call, grown from empty (the baseline);
//! - `fresh Vec, presized`: a new `Vec::with_capacity(512)` per call;
//! - `pooled, to_vec()`: encoded into a pooled buffer, then copied out with
//!   `to_vec()` so the caller can own it (the buffer escapes as a copy);
//! - `pooled, detach`: the pooled buffer itself is handed out with
//!   `Pooled::detach` (it never comes back: the pool makes a new one each time);
//! - `pooled, io::Write`: encoded into a pooled buffer, which is then written
//!   straight into an `io::Write` sink (a stand-in for a socket); the buffer
//!   goes back to the pool and nothing escapes.
//!
//! It prints allocator calls, bytes and time per call for each, and the pool's
//! stats.
//!
//! ```text
//! cargo run --release --example encode
//! cargo run --release --example encode -- --calls 100000
//! ```

#[path = "common/args.rs"]
mod args;

use pool_runtime::{Pool, Pooled};
use pool_suite::CountingAlloc;
use serde::Serialize;
use std::hint::black_box;
use std::io::{self, Write};
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

// The five ways. Each function is what a library would expose; the caller
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
        "one JSON record encoded five ways: what a pooled buffer saves",
    )
    .count(
        "calls",
        Some('n'),
        "calls of each way, timed in interleaved rounds",
        &mut calls,
    )
    .parse();
    let pool: Pool<Vec<u8>> = Pool::new(|| Vec::with_capacity(512));
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
            "pooled, io::Write",
            Box::new(|i, wire| encode_into(&pool, i, wire).expect("the wire takes everything")),
        ),
    ];
    let mut rows = measure(&mut ways, calls, &mut wire);

    println!(
        "{:<22} {:>12} {:>12} {:>16}",
        "way", "allocs/call", "bytes/call", "ns/call (median)"
    );
    for ((name, _), r) in ways.iter().zip(&mut rows) {
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
    println!(
        "Writing from the pooled buffer and letting it go back makes no allocator call at all."
    );
    println!("The time column is mostly serde_json's own work (number formatting above all): an");
    println!(
        "allocator call costs tens of ns next to it, and on a shared machine a few % is noise."
    );

    let direct = &rows[rows.len() - 1];
    assert!(
        direct.allocs * 100 < direct.calls,
        "a warm pool written from in place must not allocate"
    );
    let expect_writes = calls + 1000;
    assert_eq!(s.detached, expect_writes, "one detach per call of that way");
    assert_eq!(
        s.created,
        s.detached + s.retained as u64,
        "every buffer the pool made is either detached or still in it"
    );
}
