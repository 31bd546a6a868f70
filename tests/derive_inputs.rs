//! Valid structs the derive once refused or expanded wrongly, each with what
//! it must do after a reset: raw identifiers, `Self::` paths, turbofish and
//! qualified paths, generic maps without bounds, `zeroize` through aliases,
//! deprecated fields, and string expressions.

use pool_runtime::{GlobalPool, Poolable};

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
