//! Parsing JSON records into a pooled struct with serde: what pooling the
//! parse target buys, and what it does not.
//!
//! Each line of input is one record (`{"id":…,"name":…,"email":…,"scores":[…]}`),
//! parsed three ways:
//!
//! - `fresh`: `serde_json::from_str::<Record>` per line, the struct dropped
//!   after use (the baseline);
//! - `pooled, assigned`: a pooled `Record`, overwritten with
//!   `*guard = serde_json::from_str(line)?`. This saves nothing: serde builds
//!   a new `String` and `Vec` for every field, and the pooled ones, capacity
//!   and all, are dropped by the assignment;
//! - `pooled, in place`: the pooled `Record`'s own containers are filled
//!   (`Record::parse_into`, a `DeserializeSeed` that appends each string
//!   and number to the field it belongs to), so a warm pool allocates
//!   nothing per record.
//!
//! It prints allocator calls, bytes and time per record for each.
//!
//! ```text
//! cargo run --release --example parse_records
//! cargo run --release --example parse_records -- --records 20000
//! ```

#[path = "common/args.rs"]
mod args;

use pool_runtime::{Pool, Poolable};
use pool_suite::CountingAlloc;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::hint::black_box;
use std::time::Instant;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

/// The parse target. The derive resets it field by field, keeping the
/// capacity of `name`, `email` and `scores`.
#[derive(Poolable, Deserialize, Default, Debug, PartialEq)]
struct Record {
    id: u64,
    #[pool(cap = 4096)]
    name: String,
    #[pool(cap = 4096)]
    email: String,
    #[pool(cap = 1024)]
    scores: Vec<u32>,
}

impl Record {
    /// Parses one JSON record into `self`'s own containers (reset
    /// beforehand, as a pooled value is): the in-place approach.
    fn parse_into(&mut self, line: &str) -> serde_json::Result<()> {
        let mut de = serde_json::Deserializer::from_str(line);
        InPlace(self).deserialize(&mut de)?;
        de.end()
    }
}

/// A `DeserializeSeed` that fills a `Record` it is lent, instead of making one.
struct InPlace<'r>(&'r mut Record);

impl<'de> DeserializeSeed<'de> for InPlace<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for InPlace<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let r = self.0;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Id => r.id = map.next_value()?,
                Field::Name => map.next_value_seed(Append(&mut r.name))?,
                Field::Email => map.next_value_seed(Append(&mut r.email))?,
                Field::Scores => map.next_value_seed(Extend(&mut r.scores))?,
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A record's keys, read without making a `String` of them.
enum Field {
    Id,
    Name,
    Email,
    Scores,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Key;
        impl Visitor<'_> for Key {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            // Called with the input's own bytes, or with serde_json's scratch
            // buffer when the key has escapes: no allocation either way.
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Field, E> {
                Ok(match key {
                    "id" => Field::Id,
                    "name" => Field::Name,
                    "email" => Field::Email,
                    "scores" => Field::Scores,
                    _ => Field::Other,
                })
            }
        }
        d.deserialize_identifier(Key)
    }
}

/// Appends a JSON string to a `String` it is lent. (serde's own impl for
/// `Cow<str>` always makes an owned `String`, so it would allocate.)
struct Append<'s>(&'s mut String);

impl<'de> DeserializeSeed<'de> for Append<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Append<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
}

/// Appends a JSON array's numbers to a vector it is lent.
struct Extend<'v>(&'v mut Vec<u32>);

impl<'de> DeserializeSeed<'de> for Extend<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Extend<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of numbers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(n) = seq.next_element()? {
            self.0.push(n);
        }
        Ok(())
    }
}

/// The input: `n` records, as a service would read them.
fn records(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let scores: Vec<String> = (0..16).map(|k| ((i * 7 + k) % 100).to_string()).collect();
            format!(
                r#"{{"id":{i},"name":"user number {i}","email":"user{i}@example.com","scores":[{}]}}"#,
                scores.join(",")
            )
        })
        .collect()
}

/// What one way of parsing cost per record.
struct Cost {
    allocs: f64,
    bytes: f64,
    ns: f64,
}

fn measure(lines: &[String], mut parse: impl FnMut(&str) -> u64) -> Cost {
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

fn main() {
    let mut n: usize = 50_000;
    args::Args::new(
        "parse_records",
        "JSON records parsed into a pooled struct three ways: what pooling the parse target buys",
    )
    .count(
        "records",
        Some('n'),
        "records parsed per way, after as many to warm up",
        &mut n,
    )
    .parse();
    let lines = records(n);

    // The three ways must agree on what they read.
    let pool = Pool::new(Record::default);
    let mut in_place = pool.get();
    in_place.parse_into(&lines[1]).unwrap();
    assert_eq!(
        *in_place,
        serde_json::from_str::<Record>(&lines[1]).unwrap()
    );
    drop(in_place);

    let fresh = measure(&lines, |line| {
        let r: Record = serde_json::from_str(line).unwrap();
        r.id + r.scores.len() as u64
    });
    let assigned = measure(&lines, |line| {
        let mut r = pool.get();
        *r = serde_json::from_str(line).unwrap();
        r.id + r.scores.len() as u64
    });
    let placed = measure(&lines, |line| {
        let mut r = pool.get();
        r.parse_into(line).unwrap();
        r.id + r.scores.len() as u64
    });

    println!("{n} JSON records of 4 fields (2 strings, 16 numbers), per record:\n");
    println!("| way | allocs | bytes | ns |");
    println!("|---|---:|---:|---:|");
    for (name, c) in [
        ("fresh", &fresh),
        ("pooled, assigned", &assigned),
        ("pooled, in place", &placed),
    ] {
        println!(
            "| {name} | {:.2} | {:.0} | {:.0} |",
            c.allocs, c.bytes, c.ns
        );
    }
    println!("\npool: {:?}", pool.stats());

    // The claims this example makes, checked on every run.
    assert!(
        placed.allocs == 0.0,
        "a warm in-place parse allocates nothing ({} per record)",
        placed.allocs
    );
    assert!(
        assigned.allocs >= fresh.allocs,
        "assigning a fresh parse to a pooled value saves no allocation"
    );
}
