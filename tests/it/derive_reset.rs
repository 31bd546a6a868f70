//! What `#[derive(Poolable)]` does at run time: the reset of every kind of
//! field, `skip`, `reset`, `reset_with`, `after_reset`, nested structs, and
//! every struct shape. Caps and bytes are in `derive_caps.rs`, `zeroize`
//! and `wipe` in `derive_wipe.rs`.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};
use std::marker::PhantomData;
use std::rc::Rc;

use pool_runtime::Poolable;

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

#[test]
fn wipe_of_a_struct_without_secrets_changes_nothing() {
    let mut o = Outer::default();
    o.inner.items.extend([1, 2]);
    o.tag.push('t');
    o.wipe();
    assert_eq!((&*o.inner.items, &*o.tag), (&[1, 2][..], "t"));
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
