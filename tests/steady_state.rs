//! A warm pool allocates nothing: every get/put of the loop below is served
//! by the thread's stash, with the value's buffers kept, and (with the
//! ecosystem features) a JSON parse in place into `ReuseVec`/`ReuseMap`
//! fields reuses every string. One test in this binary, so no other test's
//! allocations are counted.

use pool_runtime::{Pool, Poolable};
use pool_suite::CountingAlloc;
use std::collections::HashMap;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

/// The `parse` workload's struct.
#[derive(Poolable, Default)]
struct Parse {
    #[pool(cap = 1 << 20)]
    body: Vec<u8>,
    spans: Vec<(u32, u32)>,
    fields: HashMap<u64, u32>,
    valid: bool,
}

/// A parse target whose containers keep their strings.
#[cfg(feature = "ecosystem")]
#[derive(Poolable, Default, serde::Deserialize)]
struct Record {
    user: String,
    tags: pool_runtime::ReuseVec<String>,
    attrs: pool_runtime::ReuseMap<i64>,
}

/// Records of different shapes, one per round in turn.
#[cfg(feature = "ecosystem")]
const LINES: [&[u8]; 3] = [
    br#"{"user":"ada","tags":["a","bb","ccc"],"attrs":{"x":1,"y":2}}"#,
    br#"{"user":"grace hopper","tags":["navy"],"attrs":{"rank":4,"year":1959,"z":0}}"#,
    br#"{"user":"","tags":[],"attrs":{}}"#,
];

/// Parses round `round`'s record in place (nothing without the features).
fn parse_record(#[allow(unused)] round: u32) {
    #[cfg(feature = "ecosystem")]
    {
        static RECORDS: std::sync::LazyLock<Pool<Record>> =
            std::sync::LazyLock::new(|| Pool::new(Record::default));
        let mut r = RECORDS.get();
        let line = LINES[round as usize % LINES.len()];
        pool_runtime::serde::from_slice_in_place(&mut *r, line).unwrap();
        assert!(r.tags.len() <= 3 && r.attrs.len() <= 3);
    }
}

fn work(p: &mut Parse, round: u32) {
    p.body.extend_from_slice(&[b'x'; 2048]);
    p.spans.extend((0..32).map(|i| (i, i + round)));
    p.fields.extend((0..16u64).map(|k| (k, round)));
    p.valid = true;
}

#[test]
fn a_warm_get_put_loop_makes_zero_allocations() {
    let parse = Pool::new(Parse::default);
    let tiny = Pool::new(|| Box::new(0u64));
    let buf = Pool::new(|| Vec::<u8>::with_capacity(4096));
    // Warm up: the stash buffers, the values' capacity, the thread id, and
    // a few automatic trim intervals of 4096 gets (the first moves the
    // surplus second value to the shared tier, making its buffer).
    for round in 0..100 {
        let (mut a, mut b) = (parse.get(), parse.get());
        work(&mut a, round);
        work(&mut b, round);
        drop((tiny.get(), buf.get()));
    }
    for round in 0..15_000 {
        work(&mut parse.get(), round);
        drop((tiny.get(), buf.get()));
        parse_record(round);
    }
    let evicted = parse.stats().evicted;
    let before = ALLOC.snapshot();
    for round in 0..10_000 {
        let mut p = parse.get();
        assert!(p.body.is_empty() && p.fields.is_empty() && !p.valid);
        work(&mut p, round);
        let mut t = tiny.get();
        **t = u64::from(round);
        let mut b = buf.get();
        b.extend_from_slice(&[1; 512]);
        parse_record(round);
    }
    let used = ALLOC.snapshot() - before;
    assert_eq!(used.allocs, 0, "{used:?}");
    assert_eq!(
        parse.stats().evicted,
        evicted,
        "nothing is trimmed in steady state"
    );
    assert!(parse.stats().created <= 2);
}
