//! The checks a pool runs on its users' code, each against the bug it is
//! for, planted in a small request handler:
//!
//! - `audit_reset` and `audit_fields`: the handler's `Request` resets
//!   `limit` with a function that forgets it, so the next request would
//!   see the previous limit;
//! - `chaos`: a cache keeps the address of the buffer it returned and
//!   assumes the next `get` hands the same one back;
//! - `chaos`, poisoning: an `unsafe` reader takes bytes past a buffer's
//!   length (a `set_len` without writing), which without chaos shows the
//!   previous request's secret;
//! - `track_outstanding`: one path of the handler forgets its guard
//!   (`mem::forget`, as a leaked struct would), so the pool keeps making
//!   buffers; the report names the file and line of the leaking checkout.
//!
//! Each bug is run without the check (where it goes unnoticed) and with it
//! (where it is reported); the example fails if a check misses its bug.
//!
//! ```text
//! cargo run --release --example checks
//! ```

// No options: the option builder goes unused here.
#[allow(dead_code)]
#[path = "common/args.rs"]
mod args;

use pool_runtime::{Pool, Poolable, POISON};
use std::panic::{catch_unwind, AssertUnwindSafe};

#[derive(Poolable, Default, PartialEq, Debug)]
#[pool(audit)]
struct Request {
    path: String,
    // The planted bug: the reset function forgets the field.
    #[pool(reset_with = forget_limit)]
    limit: u32,
}

fn forget_limit(_: &mut u32) {}

/// Handles one request: sets the limit only when the path asks for one.
fn handle(pool: &Pool<Request>, path: &str) -> u32 {
    let mut r = pool.get();
    r.path.push_str(path);
    if let Some(n) = path.strip_prefix("/limit/") {
        r.limit = n.parse().unwrap_or(0);
    }
    r.limit
}

/// The payload of a panic, as text.
fn message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(p) => p.downcast_ref::<&str>().unwrap_or(&"?").to_string(),
    }
}

fn audit() -> bool {
    println!("== audit_reset: a reset that forgets a field");
    let plain = Pool::new(Request::default);
    handle(&plain, "/limit/16");
    let leaked = handle(&plain, "/home");
    println!(
        "without: the second request sees limit {leaked} (it should be 0), and nothing says so"
    );
    let audited = Pool::builder(Request::default).audit_reset().build();
    let whole = catch_unwind(AssertUnwindSafe(|| handle(&audited, "/limit/16")));
    let by_field = Pool::builder(Request::default).audit_fields().build();
    let named = catch_unwind(AssertUnwindSafe(|| handle(&by_field, "/limit/16")));
    match (whole, named) {
        (Err(whole), Err(named)) => {
            println!(
                "with:    the first request's guard panics on its way back:\n{}\n\
                 and with audit_fields:\n{}\n",
                message(whole),
                message(named)
            );
            true
        }
        _ => {
            println!("with:    MISSED\n");
            false
        }
    }
}

/// The planted bug: assumes every `get` returns the buffer the last one
/// did, and counts how often that held.
fn same_buffer_hits(pool: &Pool<Vec<u8>>) -> usize {
    let mut last = None;
    let mut hits = 0;
    for _ in 0..100 {
        let mut v = pool.get();
        v.reserve(64);
        hits += usize::from(last == Some(v.as_ptr()));
        last = Some(v.as_ptr());
    }
    hits
}

fn chaos_order() -> bool {
    println!("== chaos: code that relies on getting its value back");
    let plain = Pool::new(Vec::<u8>::new);
    println!(
        "without: the same buffer came back {} times of 99",
        same_buffer_hits(&plain)
    );
    let seed = 2024;
    let chaotic = Pool::builder(Vec::<u8>::new).chaos(seed).build();
    let hits = same_buffer_hits(&chaotic);
    println!(
        "with:    {hits} times of 99 (seed {seed}; stats: {:?})\n",
        chaotic.stats()
    );
    hits < 99
}

/// The planted bug: reads `n` bytes of a buffer whose length is 0, as code
/// does that calls `set_len` before writing.
fn stale_bytes(v: &mut Vec<u8>, n: usize) -> Vec<u8> {
    v.reserve(n);
    let spare = &v.spare_capacity_mut()[..n];
    // SAFETY (of this example): every value this is called on was used
    // before, so its first `n` spare bytes were written, by the previous
    // request or by the poison. Real code that does this is the bug.
    spare
        .iter()
        .map(|b| {
            // SAFETY: as above.
            unsafe { b.assume_init() }
        })
        .collect()
}

fn chaos_poison() -> bool {
    println!("== chaos: a read past the length");
    let secret = b"password=hunter2";
    let plain = Pool::new(|| Vec::<u8>::with_capacity(64));
    plain.get().extend_from_slice(secret);
    let seen = stale_bytes(&mut plain.get(), secret.len());
    println!(
        "without: the next request reads {:?}",
        String::from_utf8_lossy(&seen)
    );
    let chaotic = Pool::builder(|| Vec::<u8>::with_capacity(64))
        .chaos(1)
        .build();
    // Under chaos a get may be served by the factory: look only at reused values.
    let mut poisoned = None;
    for _ in 0..50 {
        let reused = chaotic.stats().reused;
        let mut v = chaotic.get();
        if chaotic.stats().reused > reused {
            poisoned = Some(stale_bytes(&mut v, secret.len()));
            break;
        }
        v.extend_from_slice(secret);
    }
    let Some(seen) = poisoned else {
        println!("with:    no value was reused in 50 gets\n");
        return false;
    };
    println!("with:    the next request reads {seen:02x?}\n");
    seen.iter().all(|&b| b == POISON)
}

/// The planted bug: every tenth request forgets its scratch buffer.
fn leaky_handler(pool: &Pool<Vec<u8>>, request: u32) {
    let mut scratch = pool.get();
    scratch.extend_from_slice(&request.to_le_bytes());
    if request % 10 == 9 {
        std::mem::forget(scratch);
    }
}

fn outstanding() -> bool {
    println!("== track_outstanding: guards that are never returned");
    let plain = Pool::new(Vec::<u8>::new);
    (0..100).for_each(|r| leaky_handler(&plain, r));
    let s = plain.stats();
    println!(
        "without: {} values made for 100 requests, {} out now; nothing says where",
        s.created, s.out
    );
    let tracked = Pool::builder(Vec::<u8>::new).track_outstanding(1).build();
    (0..100).for_each(|r| leaky_handler(&tracked, r));
    let out = tracked.outstanding();
    println!("with:    {} sampled guards still out:", out.len());
    for guard in out.iter().take(3) {
        println!("           {guard}");
    }
    println!();
    out.len() == 10 && out.iter().all(|g| g.location().file() == file!())
}

fn main() {
    args::Args::new(
        "checks",
        "the pool's checks on its users' code, each against a planted bug",
    )
    .parse();
    // The audit's panic is the report: keep the default hook from printing
    // it a second time.
    std::panic::set_hook(Box::new(|_| {}));
    let results = [
        ("audit_reset", audit()),
        ("chaos (order)", chaos_order()),
        ("chaos (poison)", chaos_poison()),
        ("track_outstanding", outstanding()),
    ];
    let _ = std::panic::take_hook();
    for (mode, caught) in results {
        assert!(caught, "{mode} missed its planted bug");
    }
    println!("every check caught its bug");
}
