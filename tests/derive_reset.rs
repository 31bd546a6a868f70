//! What `#[derive(Poolable)]` does at run time: the reset of every kind of
//! field, the caps, `shrink`, `max_bytes`, `retained_bytes`, `zeroize`,
//! `wipe`, `after_reset`, and every struct shape.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};
use std::marker::PhantomData;
use std::rc::Rc;

use pool_runtime::{Capacity, Poolable};

#[derive(Poolable, Default)]
struct Containers {
    vec: Vec<u32>,
    string: String,
    deque: VecDeque<u8>,
    heap: BinaryHeap<i64>,
    map: HashMap<u32, String>,
    set: HashSet<u16>,
    btree: BTreeMap<u8, u8>,
    bset: BTreeSet<u8>,
    option: Option<Box<u8>>,
    boxed: Box<[u32; 2]>,
    flag: bool,
    ch: char,
    int: i32,
    float: f64,
    array: [u16; 3],
    pair: (u8, String),
}

#[test]
fn reset_empties_every_container_keeping_capacity_and_zeroes_scalars() {
    let mut c = Containers::default();
    c.vec.extend([1, 2, 3]);
    c.string.push_str("hello");
    c.deque.push_back(1);
    c.heap.push(7);
    c.map.insert(1, "one".into());
    c.set.insert(9);
    c.btree.insert(1, 1);
    c.bset.insert(1);
    c.option = Some(Box::new(1));
    *c.boxed = [5, 6];
    c.flag = true;
    c.ch = 'x';
    c.int = -5;
    c.float = 2.5;
    c.array = [1, 2, 3];
    c.pair = (4, "four".into());
    let caps = (
        c.vec.capacity(),
        c.string.capacity(),
        c.deque.capacity(),
        c.heap.capacity(),
        c.map.capacity(),
        c.set.capacity(),
    );

    c.reset();

    assert!(c.vec.is_empty() && c.string.is_empty() && c.deque.is_empty() && c.heap.is_empty());
    assert!(c.map.is_empty() && c.set.is_empty() && c.btree.is_empty() && c.bset.is_empty());
    assert!(c.option.is_none() && *c.boxed == [0, 0]);
    assert_eq!(
        (c.flag, c.ch, c.int, c.float, c.array),
        (false, '\0', 0, 0.0, [0; 3])
    );
    assert_eq!(c.pair, (0, String::new()));
    let after = (
        c.vec.capacity(),
        c.string.capacity(),
        c.deque.capacity(),
        c.heap.capacity(),
        c.map.capacity(),
        c.set.capacity(),
    );
    assert_eq!(caps, after);
}

fn wipe(words: &mut Vec<&'static str>) {
    words.clear();
    words.push("wiped");
}

thread_local! {
    static LOG: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[derive(Poolable, Default)]
#[pool(after_reset = Attributes::after)]
struct Attributes {
    #[pool(skip)]
    origin: Rc<str>,
    #[pool(skip)]
    kept: Vec<u8>,
    #[pool(reset = 16)]
    limit: usize,
    #[pool(reset = String::from("fresh"))]
    label: String,
    #[pool(reset_with = wipe)]
    words: Vec<&'static str>,
    /// Seen by `after`: must already be reset when it runs.
    count: u32,
    /// A type with no `Poolable` impl is fine under `reset`.
    #[pool(reset = Cell::new(1))]
    cell: Cell<u8>,
}

impl Attributes {
    fn after(&mut self) {
        LOG.with(|log| {
            log.borrow_mut()
                .push(format!("after: count={}", self.count))
        });
        self.count = 100 + self.limit as u32;
    }
}

#[test]
fn skip_reset_reset_with_and_after_reset_in_order() {
    let mut a = Attributes {
        origin: Rc::from("config"),
        kept: vec![1, 2, 3],
        limit: 3,
        label: "old".into(),
        words: vec!["a", "b"],
        count: 7,
        cell: Cell::new(9),
    };
    a.reset();
    assert_eq!(&*a.origin, "config");
    assert_eq!(a.kept, [1, 2, 3]);
    assert_eq!(a.limit, 16);
    assert_eq!(a.label, "fresh");
    assert_eq!(a.words, ["wiped"]);
    assert_eq!(a.cell.get(), 1);
    // `after_reset` saw `count` already reset to 0 and `limit` already 16.
    assert_eq!(a.count, 116);
    LOG.with(|log| assert_eq!(*log.borrow(), ["after: count=0"]));
    // `skip` fields count for nothing; `reset` and `reset_with` fields count
    // through `Poolable` where their type has it (`String`, `Vec`), and a
    // type with neither `Poolable` nor `Capacity` (`Cell`) counts 0.
    assert_eq!(
        a.retained_bytes(),
        a.label.capacity() + a.words.capacity() * std::mem::size_of::<&str>()
    );
}

#[derive(Poolable, Default)]
struct Inner {
    #[pool(cap = 8)]
    items: Vec<u64>,
    seen: bool,
}

#[derive(Poolable, Default)]
struct Outer {
    inner: Inner,
    tag: String,
}

#[test]
fn nested_derived_structs_reset_and_pass_their_caps_up() {
    let mut o = Outer::default();
    o.inner.items.extend([1, 2, 3]);
    o.inner.seen = true;
    o.tag.push('t');
    o.reset();
    assert!(o.inner.items.is_empty() && !o.inner.seen && o.tag.is_empty());
    assert!(o.within_caps());
    o.inner.items.reserve_exact(100);
    assert!(!o.inner.within_caps());
    assert!(!o.within_caps());
}

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
#[pool(max_bytes = 1024)]
struct Budget {
    a: Vec<u8>,
    b: Vec<u32>,
}

#[test]
fn max_bytes_caps_the_sum_of_retained_bytes() {
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

#[derive(Poolable, Default)]
struct Secret {
    #[pool(zeroize)]
    key: Vec<u8>,
    #[pool(zeroize)]
    password: String,
    #[pool(zeroize)]
    nonce: [u8; 4],
    #[pool(zeroize)]
    counter: u64,
}

#[test]
fn zeroize_wipes_the_bytes_then_clears_keeping_capacity() {
    let mut s = Secret {
        key: b"top secret".to_vec(),
        password: "hunter2".into(),
        nonce: [1, 2, 3, 4],
        counter: 99,
    };
    let key_capacity = s.key.capacity();
    s.reset();
    assert!(s.key.is_empty() && s.password.is_empty());
    assert_eq!(s.key.capacity(), key_capacity);
    assert_eq!((s.nonce, s.counter), ([0; 4], 0));
    // The old bytes are gone from the buffer that stays in the pool.
    assert_eq!(spare_after_zeroize(&mut s.key), vec![0; key_capacity]);
}

/// The spare capacity of a vector that `zeroize` went over.
fn spare_after_zeroize(v: &mut Vec<u8>) -> Vec<u8> {
    v.spare_capacity_mut()
        .iter()
        // SAFETY: only called after `zeroize`, which wrote zeroes over the
        // whole spare capacity, so every byte of it is initialised.
        .map(|byte| unsafe { byte.assume_init() })
        .collect()
}

#[derive(Poolable, Default)]
struct Credentials {
    #[pool(zeroize)]
    token: Vec<u8>,
    user: String,
}

#[derive(Poolable, Default)]
struct Connection {
    #[pool(zeroize)]
    key: Vec<u8>,
    #[pool(zeroize)]
    password: String,
    creds: Credentials,
    boxed: Box<Credentials>,
    #[pool(skip)]
    skipped_secret: Vec<u8>,
    #[pool(reset_with = Vec::clear)]
    scratch: Vec<u8>,
    peer: String,
}

#[test]
fn wipe_zeroizes_secrets_and_reaches_nested_structs_but_resets_nothing_else() {
    let mut c = Connection {
        key: b"session key".to_vec(),
        password: "hunter2".into(),
        creds: Credentials {
            token: b"bearer abc".to_vec(),
            user: "alice".into(),
        },
        boxed: Box::new(Credentials {
            token: b"refresh xyz".to_vec(),
            user: "bob".into(),
        }),
        skipped_secret: b"left alone".to_vec(),
        scratch: vec![1, 2, 3],
        peer: "10.0.0.1".into(),
    };
    let capacities = [
        c.key.capacity(),
        c.creds.token.capacity(),
        c.boxed.token.capacity(),
    ];

    c.wipe();

    // The secrets, this struct's and the nested ones' (through a field and
    // through a `Box`), are gone, their buffers zeroed and kept.
    assert!(c.password.is_empty());
    let buffers = [&mut c.key, &mut c.creds.token, &mut c.boxed.token];
    for (buffer, capacity) in buffers.into_iter().zip(capacities) {
        assert!(buffer.is_empty());
        assert_eq!(buffer.capacity(), capacity);
        assert_eq!(spare_after_zeroize(buffer), vec![0; capacity]);
    }
    // `wipe` is no reset: the rest is as it was, and `skip` and
    // `reset_with` fields are left alone.
    assert_eq!((&*c.creds.user, &*c.boxed.user), ("alice", "bob"));
    assert_eq!(c.skipped_secret, b"left alone");
    assert_eq!(c.scratch, [1, 2, 3]);
    assert_eq!(c.peer, "10.0.0.1");
}

#[test]
fn wipe_of_a_struct_without_secrets_changes_nothing() {
    let mut o = Outer::default();
    o.inner.items.extend([1, 2]);
    o.tag.push('t');
    o.wipe();
    assert_eq!((&*o.inner.items, &*o.tag), (&[1, 2][..], "t"));
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
#[pool(max_bytes = 4096)]
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

// Shapes.

#[derive(Poolable, Default)]
struct Tuple(Vec<u8>, #[pool(skip)] u32, #[pool(reset = 5)] u8);

#[derive(Poolable, Default)]
struct Unit;

#[derive(Poolable, Default)]
struct Generic<T, U> {
    items: Vec<T>,
    value: T,
    // `U` is only in a skipped field: no bound is needed on it.
    #[pool(skip)]
    other: Option<U>,
    marker: PhantomData<fn(U)>,
}

#[derive(Poolable)]
struct Borrowing<'a, const N: usize> {
    #[pool(skip)]
    source: &'a str,
    window: [u8; N],
    #[pool(cap = N, shrink)]
    buf: Vec<u8>,
}

struct NotPoolable;

#[derive(Poolable)]
#[pool(bound = "T: Poolable + Clone")]
struct Bounded<T> {
    value: T,
}

// Inferred bounds: the types of the fields that call `Poolable` (`Vec<T>`,
// `T`); nothing of `U`, which only a skipped field and `PhantomData` mention.
static_assertions::assert_impl_all!(Generic<String, NotPoolable>: Poolable);
static_assertions::assert_not_impl_any!(Generic<NotPoolable, u8>: Poolable);
// `bound = "…"` replaces the inferred bounds.
static_assertions::assert_impl_all!(Bounded<u8>: Poolable);
static_assertions::assert_not_impl_any!(Bounded<NotCloneable>: Poolable);

#[test]
fn every_struct_shape_derives() {
    let mut t = Tuple(vec![1], 2, 3);
    t.reset();
    assert_eq!((t.0.len(), t.1, t.2), (0, 2, 5));

    let mut u = Unit;
    u.reset();
    assert!(u.within_caps());
    assert_eq!(u.retained_bytes(), 0);

    // `U = NotPoolable`: inferred bounds ask nothing of `U`.
    let mut g: Generic<String, NotPoolable> = Generic {
        items: vec!["a".into()],
        value: "b".into(),
        other: Some(NotPoolable),
        marker: PhantomData,
    };
    g.reset();
    assert!(g.items.is_empty() && g.value.is_empty() && g.other.is_some());

    let text = String::from("borrowed");
    let mut b = Borrowing::<'_, 4> {
        source: &text,
        window: [9; 4],
        buf: vec![1; 100],
    };
    b.reset();
    assert_eq!((b.source, b.window), ("borrowed", [0; 4]));
    assert!(b.buf.capacity() <= 4);

    let mut bounded = Bounded { value: 7u8 };
    bounded.reset();
    assert_eq!(bounded.value, 0);
}

/// `Poolable` but not `Clone`.
struct NotCloneable;

impl Poolable for NotCloneable {
    fn reset(&mut self) {}
}

mod facade {
    //! A crate that re-exports pool-runtime under another path, as a
    //! framework would.
    pub mod pool {
        pub use pool_runtime::*;
    }
}

mod through_reexport {
    // Only the facade is in scope, not `pool_runtime`.
    use super::facade;

    #[derive(facade::pool::Poolable, Default)]
    #[pool(crate = facade::pool)]
    pub struct ViaFacade {
        pub body: Vec<u8>,
        #[pool(cap = 4)]
        pub small: Vec<u8>,
        #[pool(reset_with = Vec::clear)]
        pub scratch: Vec<u8>,
        #[pool(zeroize)]
        pub key: Vec<u8>,
    }
}

#[test]
fn crate_attribute_works_through_a_reexport() {
    let mut v = through_reexport::ViaFacade::default();
    v.body.push(1);
    v.small.reserve_exact(5);
    assert!(!v.within_caps());
    v.reset();
    assert!(v.body.is_empty());
    v.scratch.reserve_exact(10);
    let expected = v.body.capacity() + v.small.capacity() + v.scratch.capacity();
    assert_eq!(v.retained_bytes(), expected);
    v.key.push(1);
    v.wipe();
    assert!(v.key.is_empty());
}
