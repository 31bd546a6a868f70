//! The five-minute tour: derive `Poolable`, make a pool, check values out,
//! and read what the pool did.
//!
//! Run it with `cargo run --release --example quickstart`.

// The tour takes no options: the option builder goes unused here.
#[allow(dead_code)]
#[path = "common/args.rs"]
mod args;

use pool_runtime::{GlobalPool, Pool, Poolable, Pooled};

/// A parse scratch struct, the kind a hot path makes thousands of times a second.
#[derive(Poolable, Default, Debug)]
struct ParseResult {
    /// Dropped instead of pooled if a request grew it past 1 MiB.
    #[pool(cap = 1 << 20)]
    body: Vec<u8>,
    /// Kept, but shrunk back to 256 slots after a big request.
    #[pool(cap = 256, shrink)]
    spans: Vec<(u32, u32)>,
    valid: bool,
}

/// A type with one pool for the whole process.
#[derive(Poolable, Default)]
#[pool(global)]
struct Line {
    text: String,
}

fn parse(input: &[u8], out: &mut ParseResult) {
    out.body.extend_from_slice(input);
    let mut start = 0u32;
    for (i, b) in input.iter().enumerate() {
        if *b == b' ' {
            out.spans.push((start, i as u32));
            start = i as u32 + 1;
        }
    }
    out.spans.push((start, input.len() as u32));
    out.valid = true;
}

fn main() {
    args::Args::new(
        "quickstart",
        "the five-minute tour of the derive and the pool",
    )
    .parse();
    let pool: Pool<ParseResult> = Pool::default();

    for request in ["GET /a HTTP/1.1", "GET /bb HTTP/1.1", "POST /ccc HTTP/1.1"] {
        let mut r = pool.get(); // a reset value: empty vectors, valid == false
        assert!(r.body.is_empty() && r.spans.is_empty() && !r.valid);
        parse(request.as_bytes(), &mut r);
        println!("{request:<20} -> {} words", r.spans.len());
    } // each guard is dropped here: cap check, reset, back to this thread's stash

    // A value that must outlive the pool's hold leaves it explicitly.
    let mut kept = pool.get();
    parse(b"kept for later", &mut kept);
    let kept: ParseResult = Pooled::detach(kept);
    println!("detached: {:?}", String::from_utf8_lossy(&kept.body));

    // A 2 MiB request grows `body` past its cap: that value is dropped, not pooled.
    let mut huge = pool.get();
    parse(&vec![b'x'; 2 << 20], &mut huge);
    drop(huge);

    let mut line = Line::checkout();
    line.text.push_str("from the global pool");
    drop(line);

    let s = pool.stats();
    println!("ParseResult pool: {s}");
    // Why it keeps nothing now: the one value the three requests shared was
    // detached, and the one made for the 2 MiB request was dropped over its
    // cap on the way back.
    assert_eq!(
        (s.created, s.detached, s.rejected, s.retained),
        (2, 1, 1, 0)
    );
    println!(
        "  it keeps nothing: the value the three requests shared was detached, and the one \
         the 2 MiB request grew past `cap = 1 << 20` was dropped on its way back"
    );
    println!("Line pool: {}", Line::pool().stats());
}
