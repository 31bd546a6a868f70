//! Valid structs the derive once refused or expanded wrongly, each with what
//! it must do after a reset: raw identifiers, `Self::` paths, turbofish and
//! qualified paths, generic maps without bounds, `zeroize` through aliases,
//! deprecated fields, and string expressions.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};

use pool_runtime::{GlobalPool, Poolable, Pooled};

// Raw identifiers: a struct's name is used as written, `r#` and all.

#[derive(Poolable, Default)]
#[pool(global)]
struct r#Scratch {
    bytes: Vec<u8>,
}

#[allow(non_camel_case_types)]
#[derive(Poolable, Default)]
#[pool(global)]
struct r#type {
    r#match: Vec<u8>,
}

#[test]
fn a_raw_identifier_names_a_global_pool() {
    let mut s = Scratch::checkout();
    s.bytes.extend_from_slice(b"raw");
    drop(s);
    assert!(Scratch::checkout().bytes.is_empty());
    let mut t = r#type::checkout();
    t.r#match.push(1);
    drop(t);
    assert!(r#type::checkout().r#match.is_empty());
}

// `Self::…` in every key that takes a path or an expression, including the
// factory of a global pool, which is called from inside a `static`.

#[derive(Poolable)]
#[pool(global, new = Self::new, after_reset = Self::rewind, max_value_bytes = Self::MAX_BYTES)]
struct SelfPaths {
    #[pool(reset_with = Self::clear_words)]
    words: Vec<String>,
    #[pool(reset = Self::LIMIT)]
    limit: usize,
    #[pool(cap = Self::CAP)]
    body: Vec<u8>,
    cursor: usize,
}

impl SelfPaths {
    const LIMIT: usize = 16;
    const CAP: usize = 64;
    const MAX_BYTES: usize = 1 << 20;

    fn new() -> Self {
        SelfPaths {
            words: Vec::new(),
            limit: 0,
            body: Vec::with_capacity(Self::CAP),
            cursor: 0,
        }
    }

    fn clear_words(words: &mut Vec<String>) {
        words.clear();
        words.push("cleared".into());
    }

    fn rewind(&mut self) {
        self.cursor = self.limit + 1;
    }
}

#[test]
fn self_paths_work_in_every_key() {
    let mut s = SelfPaths::checkout();
    assert!(
        s.body.capacity() >= SelfPaths::CAP,
        "made by `new = Self::new`"
    );
    s.words.push("w".into());
    s.limit = 3;
    let mut s = Pooled::detach(s);
    s.reset();
    assert_eq!(s.words, ["cleared"]);
    assert_eq!((s.limit, s.cursor), (16, 17));
    assert!(s.within_caps());
    s.body.reserve_exact(SelfPaths::CAP * 2);
    assert!(!s.within_caps());
}

// Turbofish and qualified paths, in `reset_with`, `after_reset` and `new`.

trait Wipe {
    fn wipe(&mut self);
}

impl Wipe for Vec<u8> {
    fn wipe(&mut self) {
        self.clear();
        self.push(0);
    }
}

trait Rewind {
    fn rewind(&mut self);
}

fn clear_all<T>(items: &mut Vec<T>) {
    items.clear();
}

fn make<T: Default>() -> T {
    T::default()
}

#[derive(Poolable, Default)]
#[pool(global, new = make::<Turbofish>, after_reset = <Self as Rewind>::rewind)]
struct Turbofish {
    #[pool(reset_with = Vec::<u8>::clear)]
    bytes: Vec<u8>,
    #[pool(reset_with = clear_all::<u32>)]
    words: Vec<u32>,
    #[pool(reset_with = <Vec<u8> as Wipe>::wipe)]
    wiped: Vec<u8>,
    rewound: bool,
}

impl Rewind for Turbofish {
    fn rewind(&mut self) {
        self.rewound = true;
    }
}

#[derive(Poolable, Default)]
#[pool(global, new = <Self as Default>::default)]
struct Qualified {
    bytes: Vec<u8>,
}

#[test]
fn turbofish_and_qualified_paths_are_paths() {
    let mut t = Turbofish {
        bytes: vec![1],
        words: vec![2],
        wiped: vec![3, 4],
        rewound: false,
    };
    t.reset();
    assert!(t.bytes.is_empty() && t.words.is_empty());
    assert_eq!(t.wiped, [0]);
    assert!(t.rewound);
    assert!(
        Turbofish::checkout().rewound,
        "made by `make::<Turbofish>`, then reset"
    );
    let mut q = Qualified::checkout();
    q.bytes.push(1);
    drop(q);
    assert!(Qualified::checkout().bytes.is_empty());
}

// Bounds: what the fields need, not `T: Poolable` for every parameter.

#[derive(Poolable)]
struct Maps<K, V, T> {
    hash: HashMap<K, V>,
    btree: BTreeMap<K, V>,
    heap: BinaryHeap<T>,
    set: HashSet<K>,
    bset: BTreeSet<T>,
    #[pool(cap = 8)]
    capped: HashMap<K, T>,
}

#[derive(Poolable)]
struct Hashed<K, S> {
    map: HashMap<K, u8, S>,
}

/// Recursive: the field that names the struct itself gets no bound of its
/// own (it would need the impl being defined); the other fields' bounds and
/// the impl itself prove it.
#[derive(Poolable, Default)]
struct Tree<T> {
    value: T,
    children: Vec<Tree<T>>,
    next: Option<Box<Self>>,
}

/// A wrapper whose impl asks its contents to be `Poolable`, as `Box` does:
/// a bound on `Forward<Deep<T>>` would need `Deep<T>: Poolable`, which would
/// need the bound again.
struct Forward<X>(Option<Box<X>>);

impl<X: Poolable> Poolable for Forward<X> {
    fn reset(&mut self) {
        if let Some(inner) = &mut self.0 {
            inner.reset();
        }
    }
}

#[derive(Poolable)]
struct Deep<T> {
    value: T,
    next: Forward<Deep<T>>,
}

static_assertions::assert_impl_all!(Maps<String, NotPoolable, u8>: Poolable);
static_assertions::assert_impl_all!(Deep<u8>: Poolable);
static_assertions::assert_impl_all!(Hashed<u8, std::hash::RandomState>: Poolable);
static_assertions::assert_impl_all!(Tree<String>: Poolable);
static_assertions::assert_not_impl_any!(Tree<NotPoolable>: Poolable);

/// Neither `Poolable` nor anything else.
struct NotPoolable;

#[test]
fn generic_maps_and_heaps_derive_without_bounds() {
    let mut m: Maps<String, NotPoolable, u8> = Maps {
        hash: HashMap::new(),
        btree: BTreeMap::new(),
        heap: BinaryHeap::new(),
        set: HashSet::new(),
        bset: BTreeSet::new(),
        capped: HashMap::new(),
    };
    m.hash.insert("a".into(), NotPoolable);
    m.btree.insert("b".into(), NotPoolable);
    m.heap.push(3);
    m.set.insert("c".into());
    m.bset.insert(4);
    m.capped.insert("d".into(), 5);
    let capacity = m.hash.capacity();
    m.reset();
    assert!(m.hash.is_empty() && m.btree.is_empty() && m.heap.is_empty());
    assert!(m.set.is_empty() && m.bset.is_empty() && m.capped.is_empty());
    assert_eq!(m.hash.capacity(), capacity);
    assert!(m.within_caps());

    let mut t = Tree {
        value: String::from("root"),
        children: vec![Tree::default()],
        next: Some(Box::default()),
    };
    t.reset();
    assert!(t.value.is_empty() && t.children.is_empty() && t.next.is_none());

    let mut d = Deep {
        value: 1u8,
        next: Forward(Some(Box::new(Deep {
            value: 2,
            next: Forward(None),
        }))),
    };
    d.reset();
    assert_eq!(d.value, 0);
    assert_eq!(d.next.0.as_ref().map(|inner| inner.value), Some(0));
}

// `zeroize` decided by the compiler: aliases and absolute paths of the
// byte types are the byte types.

type Key = Vec<u8>;

mod shadowing {
    //! Shadows `u8`: the real one is still reachable by its absolute path.
    #![allow(non_camel_case_types, dead_code)]
    use pool_runtime::Poolable;

    pub struct u8;

    #[derive(Poolable, Default)]
    pub struct Shadowed {
        #[pool(zeroize)]
        pub key: Vec<::core::primitive::u8>,
        #[pool(zeroize)]
        pub nonce: [core::primitive::u8; 4],
    }
}

#[derive(Poolable, Default)]
struct Aliased {
    #[pool(zeroize)]
    key: Key,
    #[pool(zeroize)]
    byte: core::primitive::u8,
    #[pool(zeroize)]
    absolute: Vec<::core::primitive::u8>,
    #[pool(zeroize)]
    words: [u32; 2],
}

#[test]
fn zeroize_accepts_aliases_and_absolute_paths() {
    let mut a = Aliased {
        key: b"secret".to_vec(),
        byte: 7,
        absolute: b"also".to_vec(),
        words: [1, 2],
    };
    let capacity = a.key.capacity();
    a.reset();
    assert!(a.key.is_empty() && a.absolute.is_empty());
    assert_eq!((a.byte, a.words), (0, [0; 2]));
    assert_eq!(a.key.capacity(), capacity);
    let mut s = shadowing::Shadowed {
        key: b"k".to_vec(),
        nonce: [9; 4],
    };
    s.wipe();
    assert!(s.key.is_empty());
    assert_eq!(s.nonce, [0; 4]);
}

// A deprecated field, under `deny(warnings)`: the expansion's own uses of
// it are allowed, as the std derives' are.

#[deny(warnings)]
mod deprecated {
    use pool_runtime::Poolable;

    fn clear(words: &mut Vec<String>) {
        words.clear();
    }

    #[derive(Poolable, Default)]
    #[pool(max_value_bytes = 1 << 20)]
    pub struct Old {
        #[deprecated = "use `body`"]
        pub legacy: Vec<u8>,
        #[deprecated]
        #[pool(cap = 16, shrink)]
        pub capped: Vec<u8>,
        #[deprecated]
        #[pool(reset = 3)]
        pub limit: usize,
        #[deprecated]
        #[pool(reset_with = clear)]
        pub words: Vec<String>,
        #[deprecated]
        #[pool(zeroize)]
        pub key: Vec<u8>,
        pub body: Vec<u8>,
    }

    #[derive(Poolable, Default)]
    pub struct OldTuple(#[deprecated] pub Vec<u8>, pub u8);
}

#[test]
#[allow(deprecated)]
fn deprecated_fields_derive_under_deny_warnings() {
    let mut o = deprecated::Old {
        legacy: vec![1],
        capped: vec![2; 100],
        limit: 0,
        words: vec!["w".into()],
        key: b"k".to_vec(),
        body: vec![3],
    };
    o.reset();
    assert!(o.legacy.is_empty() && o.words.is_empty() && o.key.is_empty() && o.body.is_empty());
    assert_eq!(o.limit, 3);
    assert!(o.capped.capacity() <= 16);
    let mut t = deprecated::OldTuple(vec![1], 2);
    t.reset();
    assert_eq!((t.0.len(), t.1), (0, 0));
}

// Strings are expressions like any other, and `reset` takes any
// expression, typed as the field as an assignment types it.

#[derive(Poolable)]
struct Strings {
    #[pool(reset = |x| x + 1)]
    step: fn(u8) -> u8,
    #[pool(reset = Box::new(5u8))]
    any: Box<dyn std::any::Any>,
    #[pool(reset = &[])]
    empty: &'static [u8],
    #[pool(reset = "idle")]
    state: &'static str,
    #[pool(reset = "x".to_owned())]
    label: String,
    #[pool(cap = "four".len())]
    small: Vec<u8>,
}

#[test]
fn string_expressions_reset_a_field() {
    let mut s = Strings {
        step: |x| x,
        any: Box::new(()),
        empty: &[1],
        state: "busy",
        label: String::from("old"),
        small: Vec::new(),
    };
    s.reset();
    assert_eq!((s.state, &*s.label), ("idle", "x"));
    assert_eq!(
        ((s.step)(1), s.any.downcast_ref::<u8>(), s.empty),
        (2, Some(&5), &[][..])
    );
    s.small.reserve_exact(5);
    assert!(!s.within_caps(), "past `cap = \"four\".len()`");
}

/// A packed wire-format header of byte fields: no field can be misaligned,
/// so the derive accepts it (other packed structs are refused:
/// `tests/ui/repr_packed.rs`), and it pools like any other.
#[derive(Poolable, Debug, Default, Clone, Copy, PartialEq)]
#[repr(C, packed)]
struct Wire {
    magic: [u8; 4],
    version: u8,
    last: bool,
    #[pool(zeroize)]
    key: [u8; 16],
    #[pool(reset = [1, 2])]
    tag: [i8; 2],
}

#[test]
fn a_packed_struct_of_bytes_is_reset_and_pooled() {
    assert_eq!(std::mem::size_of::<Wire>(), 4 + 1 + 1 + 16 + 2);
    let mut w = Wire {
        magic: *b"POOL",
        version: 3,
        last: true,
        key: [7; 16],
        tag: [9, 9],
    };
    w.reset();
    let expected = Wire {
        tag: [1, 2],
        ..Wire::default()
    };
    assert_eq!(w, expected);
    let pool = pool_runtime::Pool::new(Wire::default);
    let mut g = pool.get();
    g.magic = *b"WIRE";
    g.key = [1; 16];
    drop(g);
    assert_eq!(*pool.get(), expected);
}
