//! The 64 MiB lesson: one huge request must not pin its buffer for ever.
//!
//! The same workload runs against three pooled request types that differ
//! only in the cap on their body buffer: one 64 MiB request, then many small
//! (4 KiB) ones.
//!
//! - no cap: the pool keeps the 64 MiB buffer, and every small request after
//!   it is served from it: `retained_bytes` stays at 64 MiB;
//! - `#[pool(cap = CAP)]` (`CAP` = 1 MiB): the value whose body grew past it
//!   is rejected (dropped) on return: `retained_bytes` stays small;
//! - `#[pool(cap = CAP, shrink)]`: the value is kept, its body shrunk back to
//!   1 MiB on the way in.
//!
//! After each step it prints the pool's `stats().retained_bytes`, and the
//! process's resident memory (from `/proc/self/statm`, where there is one).
//!
//! ```text
//! cargo run --release --example big_buffer
//! cargo run --release --example big_buffer -- --small 100
//! ```
//!
//! # One run
//!
//! `cargo run --release --example big_buffer`, 2026-12-06, on the development
//! machine (2 cores of a shared VM, glibc's malloc), 0.3 s: one 64 MiB request,
//! then 10,000 of 4 KiB, against three pooled types that differ only in the
//! attribute on `body: Vec<u8>`:
//!
//! | attribute | `retained_bytes` after the huge request | after the small ones | process RSS after them |
//! |---|---|---|---|
//! | none | 67,108,896 (64 MiB) | 67,108,896 | 66.4 MiB |
//! | `#[pool(cap = CAP)]`, CAP = 1 MiB | 0 (rejected on return) | 4,128 | 2.4 MiB |
//! | `#[pool(cap = CAP, shrink)]` | 1,048,608 (shrunk to the cap) | 1,048,608 | 3.4 MiB |
//!
//! (`retained_bytes` counts the value's own 32 bytes as well as its buffer.)

#[path = "common/args.rs"]
mod args;

use pool_runtime::{Pool, Poolable};
use pool_suite::CountingAlloc;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

const HUGE: usize = 64 << 20;
const SMALL: usize = 4 << 10;
const CAP: usize = 1 << 20;

/// No cap: whatever the body grew to, the pool keeps.
#[derive(Poolable, Default)]
struct Uncapped {
    body: Vec<u8>,
    requests: u32,
}

/// Cap: a body grown past 1 MiB makes the whole value go, not back to the pool.
#[derive(Poolable, Default)]
struct Capped {
    #[pool(cap = CAP)]
    body: Vec<u8>,
    requests: u32,
}

/// Cap with shrink: the value stays, its body is shrunk back to 1 MiB.
#[derive(Poolable, Default)]
struct Shrunk {
    #[pool(cap = CAP, shrink)]
    body: Vec<u8>,
    requests: u32,
}

/// What the three types have in common, for one workload function.
trait Request: Poolable + Default + Send + 'static {
    fn body(&mut self) -> &mut Vec<u8>;
    fn count(&mut self);
}

macro_rules! request {
    ($($t:ty),*) => {$(
        impl Request for $t {
            fn body(&mut self) -> &mut Vec<u8> {
                &mut self.body
            }
            fn count(&mut self) {
                self.requests += 1;
            }
        }
    )*};
}
request!(Uncapped, Capped, Shrunk);

/// Reads a request of `len` bytes into a pooled value, the way a server fills
/// its body buffer: in 64 KiB chunks, growing as it goes.
fn serve<T: Request>(pool: &Pool<T>, len: usize, chunk: &[u8]) -> u64 {
    let mut req = pool.get();
    req.count();
    let body = req.body();
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        body.extend_from_slice(&chunk[..n]);
        left -= n;
    }
    body.iter().step_by(4096).map(|&b| u64::from(b)).sum()
}

/// Resident memory of this process, in MiB, if the platform says.
fn rss_mib() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / (1 << 20) as f64)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

fn report(step: &str, retained_bytes: usize) {
    let rss = rss_mib().map_or_else(|| "n/a".to_string(), |r| format!("{r:.1} MiB"));
    println!(
        "  {step:<28} retained_bytes = {:>10} ({:>6.2} MiB)   process RSS {rss}",
        retained_bytes,
        mib(retained_bytes)
    );
}

fn run<T: Request>(label: &str, small: usize, chunk: &[u8]) -> pool_runtime::Stats {
    println!("{label}");
    let pool: Pool<T> = Pool::default();
    let before = ALLOC.snapshot();
    serve(&pool, SMALL, chunk);
    report("after 1 small request", pool.stats().retained_bytes);
    serve(&pool, HUGE, chunk);
    report("after the 64 MiB request", pool.stats().retained_bytes);
    let mid = ALLOC.snapshot();
    for _ in 0..small {
        serve(&pool, SMALL, chunk);
    }
    let used = ALLOC.snapshot() - mid;
    report(
        &format!("after {small} small requests"),
        pool.stats().retained_bytes,
    );
    let s = pool.stats();
    println!(
        "  small requests after the huge one: {:.2} allocs and {:.0} bytes allocated per request",
        used.allocs as f64 / small as f64,
        used.bytes as f64 / small as f64
    );
    println!(
        "  in all: {:.1} MiB allocated; {s:?}",
        mib((ALLOC.snapshot() - before).bytes as usize)
    );
    drop(pool);
    report("after dropping the pool", 0);
    println!();
    s
}

fn main() {
    let mut small: usize = 10_000;
    args::Args::new(
        "big_buffer",
        "one 64 MiB request against no cap, a cap, and a cap with shrink",
    )
    .count(
        "small",
        None,
        "small (4 KiB) requests after the huge one, per pool",
        &mut small,
    )
    .parse();
    let chunk = vec![b'x'; 64 << 10];
    println!(
        "big_buffer: 1 request of {} MiB, then {small} of {} KiB, per pool; cap = {} MiB\n",
        HUGE >> 20,
        SMALL >> 10,
        CAP >> 20
    );
    let uncapped = run::<Uncapped>("no cap (body: Vec<u8>)", small, &chunk);
    let capped = run::<Capped>("#[pool(cap = CAP)], CAP = 1 MiB", small, &chunk);
    let shrunk = run::<Shrunk>("#[pool(cap = CAP, shrink)]", small, &chunk);

    // What the lesson claims, checked.
    assert!(
        uncapped.retained_bytes >= HUGE,
        "no cap keeps the huge buffer"
    );
    assert_eq!(uncapped.rejected, 0);
    assert_eq!(capped.rejected, 1, "the cap rejects the huge value once");
    // `retained_bytes` counts each value's inline size too: one value is kept.
    let one_value = std::mem::size_of::<Shrunk>();
    assert!(capped.retained_bytes <= CAP + one_value);
    assert_eq!(shrunk.rejected, 0, "shrink keeps the value");
    assert!(shrunk.retained_bytes <= CAP + one_value);
    println!("checked: no cap retains >= 64 MiB; cap rejects it once; cap + shrink keeps <= 1 MiB");
}
