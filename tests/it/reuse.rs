//! `ReuseVec` and `ReuseMap`: spares reused (the same inner buffer across
//! uses and parses), nothing of a use visible after the reset (the audit
//! passes), caps bound the spares, a failed parse leaves the value reset,
//! and random sequences of pushes, inserts, clears and parses agree with a
//! plain `Vec`/`HashMap`.

use pool_runtime::{Capacity, Pool, Poolable, ReuseMap, ReuseVec};
use proptest::prelude::*;
use std::collections::HashMap;

#[derive(Poolable, Default, Debug, PartialEq)]
#[cfg_attr(feature = "ecosystem", derive(serde::Deserialize))]
struct Record {
    user: String,
    tags: ReuseVec<String>,
    attrs: ReuseMap<i64>,
    n: u64,
}

#[test]
fn a_pooled_vec_of_strings_keeps_each_strings_buffer() {
    let pool: Pool<Record> = Pool::default();
    let mut r = pool.get();
    r.tags.push_reused().push_str("first tag");
    r.attrs.insert("k", 1);
    let tag_at = r.tags[0].as_ptr();
    drop(r);
    let mut r = pool.get();
    assert!(r.tags.is_empty() && r.attrs.is_empty());
    assert_eq!((r.tags.spares(), r.attrs.spares()), (1, 1));
    r.tags.push_reused().push_str("second");
    assert_eq!(r.tags[0].as_ptr(), tag_at, "the spare's buffer, reused");
}

#[test]
fn the_audit_finds_nothing_left_after_a_reset() {
    let pool = Pool::builder(Record::default).audit_reset().build();
    for i in 0..20 {
        let mut r = pool.get();
        r.user.push_str("someone");
        for t in 0..i % 5 {
            r.tags.push_reused().push_str(&format!("tag{t}"));
            *r.attrs.get_or_insert_reused(&format!("a{t}")) = t as i64;
        }
        r.n = i;
    }
    // A reset that kept a live element would have panicked on a return.
    assert_eq!(pool.stats().dropped_panicked, 0);
    // The audit compares what a value shows, and spares are not shown:
    // each one handed out again must be empty too.
    let mut r = pool.get();
    let (tags, attrs) = (r.tags.spares(), r.attrs.spares());
    assert!(tags > 0 && attrs > 0);
    for _ in 0..tags {
        assert_eq!(r.tags.push_reused(), "");
    }
    for k in 0..attrs {
        assert_eq!(*r.attrs.get_or_insert_reused(&format!("new{k}")), 0);
    }
}

#[derive(Poolable, Default)]
struct Capped {
    #[pool(cap = 4, shrink)]
    tags: ReuseVec<String>,
    #[pool(cap = 4)]
    refused: ReuseMap<u8>,
}

#[test]
fn a_cap_bounds_the_elements_kept_live_and_spare() {
    let pool: Pool<Capped> = Pool::default();
    let mut c = pool.get();
    for _ in 0..10 {
        c.tags.push_reused().push('x');
    }
    drop(c);
    let c = pool.get();
    assert_eq!((c.tags.len(), c.tags.spares()), (0, 4), "shrunk to the cap");
    assert_eq!(Capacity::capacity(&c.tags), 4);
    drop(c);
    let mut c = pool.get();
    for k in 0..5 {
        c.refused.insert(&k.to_string(), 1);
    }
    drop(c);
    assert_eq!(
        pool.stats().rejected,
        1,
        "over the map's cap, without shrink: refused"
    );
}

#[test]
fn an_element_over_its_own_cap_is_dropped_and_the_rest_kept() {
    #[derive(Poolable, Default)]
    struct Line {
        #[pool(cap = 16)]
        text: String,
    }
    let mut lines: ReuseVec<Line> = ReuseVec::new();
    lines.push_reused().text.push_str("short");
    lines.push_reused().text.push_str(&"long".repeat(10));
    lines.push_reused().text.push_str("short too");
    lines.reset();
    assert_eq!((lines.len(), lines.spares()), (0, 2));
}

#[test]
fn a_spare_that_grew_past_its_cap_is_dropped_on_the_next_reset() {
    #[derive(Poolable, Default)]
    struct Line {
        #[pool(cap = 16)]
        text: String,
    }
    let mut lines: ReuseVec<Line> = ReuseVec::new();
    lines.push_reused().text.push_str(&"long".repeat(10));
    lines.push_reused().text.push_str("short");
    lines.clear(); // both spares now, one over its cap
    assert_eq!(lines.spares(), 2);
    lines.reset();
    assert_eq!(lines.spares(), 1);
}

#[test]
fn an_element_dropped_over_its_cap_is_wiped_first() {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    static WIPED: AtomicUsize = AtomicUsize::new(0);
    #[derive(Default)]
    struct Secret(Vec<u8>);
    impl Poolable for Secret {
        fn reset(&mut self) {
            self.0.clear();
        }
        fn within_caps(&self) -> bool {
            self.0.capacity() <= 8
        }
        fn wipe(&mut self) {
            WIPED.fetch_add(1, Relaxed);
        }
    }
    let mut v: ReuseVec<Secret> = ReuseVec::new();
    v.push_reused().0.extend_from_slice(&[7; 100]);
    v.push_reused().0.push(1);
    v.reset();
    assert_eq!((WIPED.load(Relaxed), v.spares()), (1, 1));
}

#[test]
fn a_map_cleared_after_a_large_use_forgets_its_table() {
    let mut m: ReuseMap<u8> = ReuseMap::new();
    for k in 0..10_000 {
        m.insert(&k.to_string(), 1);
    }
    m.clear();
    m.insert("one", 1);
    // What the map uses now is one entry's, not the 10 000-entry table's.
    assert!(m.used_bytes() < 1024, "{}", m.used_bytes());
    assert_eq!(m.get("one"), Some(&1));
    assert_eq!(m.get("9999"), None);
}

#[test]
fn a_map_whose_reset_panicked_still_answers() {
    #[derive(Default)]
    struct Fragile(bool);
    impl Poolable for Fragile {
        fn reset(&mut self) {
            assert!(!self.0, "planted");
        }
    }
    let mut m: ReuseMap<Fragile> = ReuseMap::new();
    for k in 0..20 {
        m.insert(&k.to_string(), Fragile(k == 19));
    }
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| m.clear()));
    assert!(caught.is_err());
    // Entry "3" was reset before the panic: no stale answer, and no panic.
    assert_eq!(m.get("3").map(|f| f.0), None);
    m.insert("x", Fragile(false));
    assert!(m.contains_key("x"));
}

#[cfg(feature = "ecosystem")]
mod parse {
    use super::Record;
    use pool_runtime::serde::from_slice_in_place;
    use pool_runtime::Pool;

    const FIRST: &[u8] =
        br#"{"user":"ada","tags":["math","engines"],"attrs":{"year":1843,"notes":7},"n":1}"#;
    const SECOND: &[u8] =
        br#"{"user":"grace","tags":["cobol","navy"],"attrs":{"year":1959,"rank":4},"n":2}"#;

    #[test]
    fn a_parse_in_place_reuses_the_spares_buffers() {
        let pool: Pool<Record> = Pool::default();
        let mut r = pool.get();
        from_slice_in_place(&mut *r, FIRST).unwrap();
        assert_eq!(
            (r.user.as_str(), r.tags.len(), r.attrs["year"], r.n),
            ("ada", 2, 1843, 1)
        );
        let (tag_at, key_at) = (r.tags[1].as_ptr(), r.attrs.keys().next().unwrap().as_ptr());
        drop(r);
        let mut r = pool.get();
        from_slice_in_place(&mut *r, SECOND).unwrap();
        assert_eq!(r.tags.as_slice(), ["cobol", "navy"]);
        assert_eq!(
            (r.attrs["year"], r.attrs["rank"], r.attrs.get("notes")),
            (1959, 4, None)
        );
        assert_eq!(
            r.tags[1].as_ptr(),
            tag_at,
            "the second tag's buffer, reused"
        );
        assert_eq!(
            r.attrs.keys().next().unwrap().as_ptr(),
            key_at,
            "the first key's buffer, reused"
        );
    }

    #[test]
    fn a_failed_parse_leaves_the_value_reset() {
        let pool: Pool<Record> = Pool::default();
        let mut r = pool.get();
        from_slice_in_place(&mut *r, FIRST).unwrap();
        // Valid up to the tags, then broken: nothing of either record stays.
        let broken = br#"{"user":"eve","tags":["x","y"],"attrs":{"k":"not a number"}}"#;
        assert!(from_slice_in_place(&mut *r, broken).is_err());
        assert_eq!(*r, Record::default());
        assert!(from_slice_in_place(&mut *r, b"{\"user\":\"ada\"} trailing").is_err());
        assert_eq!(*r, Record::default());
    }

    #[test]
    fn a_repeated_key_keeps_the_last_value() {
        let mut m: pool_runtime::ReuseMap<String> = pool_runtime::ReuseMap::new();
        pool_runtime::serde::from_str_in_place(&mut m, r#"{"a":"one","b":"x","a":"two"}"#).unwrap();
        assert_eq!((m.len(), m["a"].as_str()), (2, "two"));
    }
}

/// One step of the property test.
#[derive(Debug, Clone)]
enum Step {
    Push(String),
    Insert(u8, i64),
    Pop,
    Truncate(usize),
    Clear,
    /// Parse this list of tags and map of attrs (as JSON) in place.
    #[cfg_attr(not(feature = "ecosystem"), allow(dead_code))]
    Parse(Vec<String>, Vec<(u8, i64)>),
}

fn step() -> impl Strategy<Value = Step> {
    let text = "[a-z]{0,12}";
    prop_oneof![
        4 => text.prop_map(Step::Push),
        4 => (0u8..12, any::<i64>()).prop_map(|(k, v)| Step::Insert(k, v)),
        1 => Just(Step::Pop),
        1 => (0usize..6).prop_map(Step::Truncate),
        1 => Just(Step::Clear),
        2 => (prop::collection::vec(text, 0..6), prop::collection::vec((0u8..12, any::<i64>()), 0..6))
            .prop_map(|(t, a)| Step::Parse(t, a)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_agree_with_vec_and_hashmap(steps in prop::collection::vec(step(), 1..60)) {
        let (mut tags, mut attrs) = (ReuseVec::<String>::new(), ReuseMap::<i64>::new());
        let (mut tags_model, mut attrs_model) = (Vec::<String>::new(), HashMap::<String, i64>::new());
        for s in &steps {
            match s {
                Step::Push(t) => {
                    tags.push_reused().push_str(t);
                    tags_model.push(t.clone());
                }
                Step::Insert(k, v) => {
                    *attrs.get_or_insert_reused(&format!("k{k}")) = *v;
                    attrs_model.insert(format!("k{k}"), *v);
                }
                Step::Pop => prop_assert_eq!(tags.pop(), tags_model.pop()),
                Step::Truncate(n) => {
                    tags.truncate(*n);
                    tags_model.truncate(*n);
                }
                Step::Clear => {
                    tags.clear();
                    attrs.clear();
                    tags_model.clear();
                    attrs_model.clear();
                }
                #[cfg(feature = "ecosystem")]
                Step::Parse(t, a) => {
                    let json = serde_json::to_string(t).unwrap();
                    pool_runtime::serde::from_str_in_place(&mut tags, &json).unwrap();
                    tags_model = t.clone();
                    let pairs: Vec<String> = a.iter().map(|(k, v)| format!("\"k{k}\":{v}")).collect();
                    let json = format!("{{{}}}", pairs.join(","));
                    pool_runtime::serde::from_str_in_place(&mut attrs, &json).unwrap();
                    attrs_model = a.iter().map(|(k, v)| (format!("k{k}"), *v)).collect();
                }
                #[cfg(not(feature = "ecosystem"))]
                Step::Parse(..) => {}
            }
            prop_assert_eq!(tags.as_slice(), tags_model.as_slice());
            prop_assert_eq!(attrs.len(), attrs_model.len());
            for (k, v) in &attrs_model {
                prop_assert_eq!(attrs.get(k), Some(v));
            }
            prop_assert!(attrs.iter().all(|(k, v)| attrs_model.get(k) == Some(v)));
            prop_assert!(tags.iter().chain(tags.iter()).count() == 2 * tags.len());
        }
    }
}
