//! What `#[derive(Poolable)]` does with capacity: the caps, `shrink`,
//! `max_bytes`, and what `retained_bytes` counts, `reset` and `reset_with`
//! fields included.

use std::collections::VecDeque;

use pool_runtime::{Capacity, Poolable};

#[derive(Poolable, Default)]
struct Capped {
    #[pool(cap = 64)]
    body: Vec<u8>,
    #[pool(cap = CAP_TEXT)]
    text: String,
    free: Vec<u8>,
}

const CAP_TEXT: usize = 32;

/// A vector of exactly `n` capacity (exact for `u8`, which the allocator
/// does not round for `Vec`).
fn with_exact_capacity(n: usize) -> Vec<u8> {
    let mut v = Vec::new();
    v.reserve_exact(n);
    assert_eq!(v.capacity(), n);
    v
}

#[test]
fn within_caps_is_false_exactly_past_a_cap() {
    let mut c = Capped {
        body: with_exact_capacity(64),
        ..Capped::default()
    };
    assert!(c.within_caps(), "at the cap is within it");
    c.body = with_exact_capacity(65);
    assert!(!c.within_caps(), "one past the cap is over it");

    c.body = with_exact_capacity(1);
    c.text = String::from_utf8(with_exact_capacity(32)).unwrap();
    assert!(c.within_caps());
    c.text = String::from_utf8(with_exact_capacity(33)).unwrap();
    assert!(!c.within_caps());

    // A field with no cap may grow as it likes.
    c.text = String::new();
    c.free = with_exact_capacity(1 << 20);
    assert!(c.within_caps());
}

#[derive(Poolable, Default)]
#[pool(max_value_bytes = 1024)]
struct Budget {
    a: Vec<u8>,
    b: Vec<u32>,
}

/// The same cap, spelled `max_bytes` (the design's name for it).
#[derive(Poolable, Default)]
#[pool(max_bytes = 1024)]
struct BudgetSpelledMaxBytes {
    a: Vec<u8>,
}

#[test]
fn max_bytes_is_the_same_cap_as_max_value_bytes() {
    let mut b = BudgetSpelledMaxBytes {
        a: with_exact_capacity(1024),
    };
    assert!(b.within_caps(), "1024 bytes is at the cap");
    b.a = with_exact_capacity(1025);
    assert!(!b.within_caps(), "1025 bytes is over it");
}

#[test]
fn max_value_bytes_caps_the_sum_of_retained_bytes() {
    let mut b = Budget {
        a: with_exact_capacity(512),
        b: Vec::with_capacity(128),
    };
    assert_eq!(b.retained_bytes(), 512 + 4 * b.b.capacity());
    assert_eq!(b.b.capacity(), 128);
    assert!(b.within_caps(), "1024 bytes is at the budget");
    b.a = with_exact_capacity(513);
    assert!(!b.within_caps(), "1025 bytes is over it");
}

#[derive(Poolable, Default)]
struct Shrinking {
    #[pool(cap = 16, shrink)]
    scratch: Vec<u8>,
    #[pool(cap = 16, shrink)]
    names: VecDeque<String>,
}

#[test]
fn shrink_keeps_the_object_and_brings_capacity_back_to_the_cap() {
    let mut s = Shrinking {
        scratch: vec![7; 4096],
        names: VecDeque::with_capacity(1000),
    };
    s.names.push_back("x".into());
    assert!(s.within_caps(), "a shrinking cap never rejects");
    s.reset();
    assert!(s.scratch.is_empty() && s.names.is_empty());
    assert!(s.scratch.capacity() <= 16, "{}", s.scratch.capacity());
    assert!(s.names.capacity() <= 32, "{}", s.names.capacity());
    assert!(s.within_caps());

    // Under the cap, reset leaves the capacity alone.
    s.scratch = with_exact_capacity(10);
    s.reset();
    assert_eq!(s.scratch.capacity(), 10);
}

#[test]
fn retained_bytes_follows_capacity() {
    let mut c = Capped::default();
    assert_eq!(c.retained_bytes(), 0);
    c.body = with_exact_capacity(40);
    c.free = with_exact_capacity(2);
    c.text = String::with_capacity(5);
    assert_eq!(c.retained_bytes(), 40 + 2 + c.text.capacity());
    c.reset();
    assert_eq!(c.retained_bytes(), 40 + 2 + c.text.capacity());
}

/// Has a capacity, and no `Poolable` impl.
struct Ring {
    slots: Vec<u64>,
}

impl Capacity for Ring {
    fn capacity(&self) -> usize {
        self.slots.capacity()
    }
    fn shrink_to(&mut self, n: usize) {
        self.slots.shrink_to(n);
    }
}

/// Neither `Poolable` nor `Capacity`.
struct Opaque {
    _bytes: Vec<u8>,
}

fn clear_ring(ring: &mut Ring) {
    ring.slots.clear();
}

fn nothing<T>(_: &mut T) {}

#[derive(Poolable)]
#[pool(max_value_bytes = 4096)]
struct Custom {
    #[pool(reset_with = Vec::clear)]
    big: Vec<u8>,
    #[pool(reset_with = Vec::clear)]
    words: Vec<u32>,
    #[pool(reset_with = clear_ring)]
    ring: Ring,
    #[pool(reset_with = nothing)]
    opaque: Opaque,
    #[pool(reset = String::with_capacity(64))]
    label: String,
    #[pool(skip)]
    skipped: Vec<u8>,
}

#[test]
fn reset_and_reset_with_fields_count_their_bytes() {
    let mut c = Custom {
        big: Vec::new(),
        words: Vec::new(),
        ring: Ring { slots: Vec::new() },
        opaque: Opaque {
            _bytes: vec![0; 1000],
        },
        label: String::new(),
        skipped: vec![0; 1 << 16],
    };
    // A type with neither trait, and a skipped field, count 0.
    assert_eq!(c.retained_bytes(), 0);

    // Through `Poolable`: the field's `retained_bytes`, in bytes.
    c.big = with_exact_capacity(1 << 20);
    assert!(c.retained_bytes() >= 1 << 20);
    assert!(!c.within_caps(), "1 MiB is over the 4 KiB budget");
    c.big = Vec::new();
    c.words = Vec::with_capacity(10);
    assert_eq!(c.retained_bytes(), 4 * c.words.capacity());

    // Through `Capacity` only: the capacity counted as bytes, a lower bound.
    c.words = Vec::new();
    c.ring.slots = Vec::with_capacity(100);
    assert_eq!(c.retained_bytes(), c.ring.slots.capacity());

    // A `reset = EXPR` field counts too.
    c.ring.slots = Vec::new();
    c.reset();
    assert!(c.label.capacity() >= 64);
    assert_eq!(c.retained_bytes(), c.label.capacity());
    assert_eq!(c.skipped.len(), 1 << 16);
}

#[derive(Poolable)]
struct GenericCustom<T> {
    #[pool(reset_with = nothing)]
    bare: T,
    #[pool(reset_with = Vec::clear)]
    list: Vec<T>,
}

#[test]
fn a_reset_with_field_of_an_unbounded_parameter_counts_nothing() {
    // The impl is generic: `T` has no bound there, so the bare `T` field
    // counts 0 even where `T` is a `Vec`; `Vec<T>` is `Poolable` for every
    // `T`, so that field counts.
    let g = GenericCustom {
        bare: with_exact_capacity(100),
        list: vec![Vec::new(); 3],
    };
    assert_eq!(
        g.retained_bytes(),
        g.list.capacity() * std::mem::size_of::<Vec<u8>>()
    );
}
