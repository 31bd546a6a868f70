//! Valid structs the derive once refused or expanded wrongly, each with what
//! it must do after a reset: raw identifiers, `Self::` paths, turbofish and
//! qualified paths, generic maps without bounds, `zeroize` through aliases,
//! deprecated fields, and string expressions.

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
#[pool(global, new = Self::new, after_reset = Self::rewind, max_bytes = Self::MAX_BYTES)]
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
