//! Parsing JSON records into a pooled struct with serde: what pooling the
//! parse target buys, and what it takes for it to buy everything.
//!
//! Each line of input is one record,
//! `{"user":…,"tags":[…],"attrs":{…},"n":…}`, with 3 to 5 tags and 3 to 5
//! attributes, parsed four ways into the natural struct, and a fifth
//! into a reshaped one:
//!
//! - `fresh`: `serde_json::from_slice` per line, the struct dropped after
//!   use (the baseline);
//! - `pooled, assigned`: a pooled struct overwritten with
//!   `*guard = serde_json::from_slice(line)?`. This saves nothing: serde
//!   builds a new `String`, `Vec` and `HashMap` for every field, and the
//!   pooled ones, capacity and all, are dropped by the assignment;
//! - `pooled, serde in place`: the same struct (`Vec<String>`,
//!   `HashMap<String, i64>`) filled with `pool_runtime::serde::from_slice_in_place`,
//!   serde's `deserialize_in_place`: the user's string and the two
//!   containers keep their capacity, but the reset dropped every tag string
//!   and every key, so each is made again;
//! - `pooled, in place`: the struct with `ReuseVec<String>` and
//!   `ReuseMap<i64>` in place of the two containers, nothing else changed,
//!   filled by the same one call: their spares keep every string's buffer,
//!   so a warm pool allocates nothing per record;
//! - `pooled, reshaped`: what it took before those containers, for
//!   comparison: the struct reshaped into one `text: String` holding every
//!   string's bytes and spans into it, filled by a hand-written
//!   `DeserializeSeed` (the `Reshaped` code below, some 120 lines).
//!
//! It prints allocator calls, bytes and time per record for each, and
//! checks that the in-place way (`ReuseVec`/`ReuseMap`) allocates nothing
//! once warm, that assigning saves nothing, and that std's containers in
//! place save some allocations but not all (it panics, exit status 101,
//! if not).
//!
//! ```text
//! cargo run --release --example parse_records
//! cargo run --release --example parse_records -- --records 20000
//! ```
//!
//! # One run
//!
//! `cargo run --release --example parse_records`, 2026-12-06, on the
//! development machine (2 cores of a shared VM, glibc's malloc): 50,000 records
//! after as many to warm up; the second of three runs on a quiet machine (ns
//! per record over the three: fresh 714 to 824, in place 417 to 458, reshaped
//! 411 to 458).
//!
//! | way | allocs | bytes | ns |
//! |---|---:|---:|---:|
//! | fresh | 12.00 | 567 | 714 |
//! | pooled, assigned | 12.00 | 567 | 772 |
//! | pooled, serde in place | 9.67 | 390 | 660 |
//! | pooled, in place | 0.00 | 0 | 417 |
//! | pooled, reshaped | 0.00 | 0 | 411 |
//!
//! Assigning a fresh parse to a pooled value saves nothing (its containers are
//! dropped and replaced); serde's in-place parse
//! (`pool_runtime::serde::from_slice_in_place`) into std's `Vec<String>` and
//! `HashMap<String, i64>` keeps the containers but makes every tag and key
//! again; the same call into `ReuseVec<String>` and `ReuseMap<i64>` allocates
//! nothing, and is as fast as the struct reshaped into one text buffer and
//! spans with a hand-written seed (the way to zero allocations before these
//! containers).

#[path = "common/args.rs"]
mod args;

use pool_runtime::serde::from_slice_in_place;
use pool_runtime::{Pool, Poolable, ReuseMap, ReuseVec};
use pool_suite::CountingAlloc;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::hint::black_box;
use std::time::Instant;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

/// The natural parse target, with std's containers.
#[derive(Poolable, Deserialize, Default, Debug, PartialEq)]
struct StdRecord {
    user: String,
    tags: Vec<String>,
    attrs: HashMap<String, i64>,
    n: u64,
}

/// The same, with containers that keep their elements.
#[derive(Poolable, Deserialize, Default, Debug, PartialEq)]
struct Record {
    user: String,
    tags: ReuseVec<String>,
    attrs: ReuseMap<i64>,
    n: u64,
}

/// The reshaped record: every string's bytes in `text`, the fields as
/// spans into it.
#[derive(Poolable, Default, Debug)]
struct Reshaped {
    text: String,
    user: (u32, u32),
    tags: Vec<(u32, u32)>,
    attrs: Vec<((u32, u32), i64)>,
    n: u64,
}

impl Reshaped {
    fn str(&self, (a, b): (u32, u32)) -> &str {
        &self.text[a as usize..b as usize]
    }

    fn parse_into(&mut self, line: &[u8]) -> serde_json::Result<()> {
        let mut de = serde_json::Deserializer::from_slice(line);
        let parsed = FillReshaped(self)
            .deserialize(&mut de)
            .and_then(|()| de.end());
        if parsed.is_err() {
            self.reset();
        }
        parsed
    }
}

/// Fills a `Reshaped` it is lent.
struct FillReshaped<'r>(&'r mut Reshaped);

impl<'de> DeserializeSeed<'de> for FillReshaped<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FillReshaped<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let r = self.0;
        while let Some(key) = map.next_key_seed(Append(&mut r.text))? {
            // The key was appended to `text` to be read: take it back off.
            let name_at = key.0 as usize;
            let field = match &r.text[name_at..] {
                "user" => 0,
                "tags" => 1,
                "attrs" => 2,
                "n" => 3,
                _ => 4,
            };
            r.text.truncate(name_at);
            match field {
                0 => r.user = map.next_value_seed(Append(&mut r.text))?,
                1 => map.next_value_seed(Tags(r))?,
                2 => map.next_value_seed(Attrs(r))?,
                3 => r.n = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Appends a JSON string to `text`; its span there.
struct Append<'s>(&'s mut String);

impl<'de> DeserializeSeed<'de> for Append<'_> {
    type Value = (u32, u32);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(u32, u32), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Append<'_> {
    type Value = (u32, u32);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(u32, u32), E> {
        let start = self.0.len() as u32;
        self.0.push_str(v);
        Ok((start, self.0.len() as u32))
    }
}

/// The tags: each appended to `text`, its span pushed.
struct Tags<'r>(&'r mut Reshaped);

impl<'de> DeserializeSeed<'de> for Tags<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Tags<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of tags")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(span) = seq.next_element_seed(Append(&mut self.0.text))? {
            self.0.tags.push(span);
        }
        Ok(())
    }
}

/// The attributes: each key appended to `text`, its span and value pushed.
struct Attrs<'r>(&'r mut Reshaped);

impl<'de> DeserializeSeed<'de> for Attrs<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Attrs<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of attributes")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(Append(&mut self.0.text))? {
            let value = map.next_value()?;
            self.0.attrs.push((key, value));
        }
        Ok(())
    }
}

/// The input: `n` records, as a service would read them.
fn records(n: usize) -> Vec<Vec<u8>> {
    const TAGS: [&str; 7] = ["alpha", "beta", "gamma", "delta", "edge", "fast", "green"];
    const ATTRS: [&str; 6] = ["retries", "timeout_ms", "shard", "weight", "ttl", "version"];
    (0..n)
        .map(|i| {
            let tags: Vec<String> = (0..3 + i % 3)
                .map(|k| format!("\"{}-{}\"", TAGS[(i + k) % TAGS.len()], (i * 7 + k) % 100))
                .collect();
            let attrs: Vec<String> = (0..3 + (i / 3) % 3)
                .map(|k| format!("\"{}\":{}", ATTRS[(i + k) % ATTRS.len()], i * 31 + k))
                .collect();
            format!(
                r#"{{"user":"user number {i}","tags":[{}],"attrs":{{{}}},"n":{i}}}"#,
                tags.join(","),
                attrs.join(",")
            )
            .into_bytes()
        })
        .collect()
}

/// What one way of parsing cost per record.
struct Cost {
    allocs: f64,
    bytes: f64,
    ns: f64,
}

fn measure(lines: &[Vec<u8>], mut parse: impl FnMut(&[u8]) -> u64) -> Cost {
    // A warm-up pass: the pool fills, the allocator settles.
    let mut check = 0;
    for line in lines {
        check += parse(line);
    }
    let before = ALLOC.snapshot();
    let start = Instant::now();
    for line in lines {
        check += parse(line);
    }
    let elapsed = start.elapsed();
    let used = ALLOC.snapshot() - before;
    black_box(check);
    let n = lines.len() as f64;
    Cost {
        allocs: used.allocs as f64 / n,
        bytes: used.bytes as f64 / n,
        ns: elapsed.as_nanos() as f64 / n,
    }
}

/// What a handler reads of a record, the same for both structs.
fn digest(n: u64, tags: usize, attrs: usize) -> u64 {
    n + tags as u64 + attrs as u64
}

fn main() {
    let mut n: usize = 50_000;
    args::Args::new(
        "parse_records",
        "JSON records parsed into a pooled struct five ways: what pooling the parse target buys",
    )
    .count(
        "records",
        Some('n'),
        "records parsed per way, after as many to warm up",
        &mut n,
    )
    .parse();
    let lines = records(n);

    let std_pool = Pool::new(StdRecord::default);
    let pool = Pool::new(Record::default);
    let reshaped_pool = Pool::new(Reshaped::default);

    // The ways must agree on what they read.
    for line in lines.iter().take(10) {
        let fresh: StdRecord = serde_json::from_slice(line).unwrap();
        let mut placed = pool.get();
        from_slice_in_place(&mut *placed, line).unwrap();
        assert_eq!(placed.user, fresh.user);
        assert_eq!(placed.tags.as_slice(), fresh.tags.as_slice());
        assert_eq!(placed.attrs.len(), fresh.attrs.len());
        assert!(fresh
            .attrs
            .iter()
            .all(|(k, v)| placed.attrs.get(k) == Some(v)));
        let mut std_placed = std_pool.get();
        from_slice_in_place(&mut *std_placed, line).unwrap();
        assert_eq!(*std_placed, fresh);
        let mut reshaped = reshaped_pool.get();
        reshaped.parse_into(line).unwrap();
        assert_eq!(reshaped.str(reshaped.user), fresh.user);
        let tags: Vec<&str> = reshaped.tags.iter().map(|&t| reshaped.str(t)).collect();
        assert_eq!(tags, fresh.tags);
        assert!(reshaped
            .attrs
            .iter()
            .all(|&(k, v)| fresh.attrs[reshaped.str(k)] == v));
        assert_eq!(
            (reshaped.attrs.len(), reshaped.n),
            (fresh.attrs.len(), fresh.n)
        );
    }

    let fresh = measure(&lines, |line| {
        let r: StdRecord = serde_json::from_slice(line).unwrap();
        digest(r.n, r.tags.len(), r.attrs.len())
    });
    let assigned = measure(&lines, |line| {
        let mut r = std_pool.get();
        *r = serde_json::from_slice(line).unwrap();
        digest(r.n, r.tags.len(), r.attrs.len())
    });
    let std_in_place = measure(&lines, |line| {
        let mut r = std_pool.get();
        from_slice_in_place(&mut *r, line).unwrap();
        digest(r.n, r.tags.len(), r.attrs.len())
    });
    let in_place = measure(&lines, |line| {
        let mut r = pool.get();
        from_slice_in_place(&mut *r, line).unwrap();
        digest(r.n, r.tags.len(), r.attrs.len())
    });
    let reshaped = measure(&lines, |line| {
        let mut r = reshaped_pool.get();
        r.parse_into(line).unwrap();
        digest(r.n, r.tags.len(), r.attrs.len())
    });

    println!("{n} JSON records (a user, 3-5 tags, 3-5 attributes, a number), per record:\n");
    println!("| way | allocs | bytes | ns |");
    println!("|---|---:|---:|---:|");
    for (name, c) in [
        ("fresh", &fresh),
        ("pooled, assigned", &assigned),
        ("pooled, serde in place", &std_in_place),
        ("pooled, in place", &in_place),
        ("pooled, reshaped", &reshaped),
    ] {
        println!(
            "| {name} | {:.2} | {:.0} | {:.0} |",
            c.allocs, c.bytes, c.ns
        );
    }
    println!("\npool: {}", pool.stats());

    // The claims this example makes, checked on every run.
    assert!(
        in_place.allocs == 0.0,
        "a warm in-place parse into ReuseVec and ReuseMap allocates nothing ({} per record)",
        in_place.allocs
    );
    assert!(
        assigned.allocs >= fresh.allocs,
        "assigning a fresh parse to a pooled value saves no allocation"
    );
    assert!(
        std_in_place.allocs > 0.0 && std_in_place.allocs < fresh.allocs,
        "serde's in-place parse into std's containers saves some allocations, not all \
         ({} per record, against {} fresh)",
        std_in_place.allocs,
        fresh.allocs
    );
}
