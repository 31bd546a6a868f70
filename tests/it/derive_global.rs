//! `#[pool(global)]`: one process-wide pool per type.

use pool_runtime::{GlobalPool, Poolable};

#[derive(Poolable, Default)]
#[pool(global)]
struct Scratch {
    bytes: Vec<u8>,
    used: bool,
}

#[derive(Poolable)]
#[pool(global, new = Sized4k::make)]
struct Sized4k {
    buf: Vec<u8>,
}

impl Sized4k {
    fn make() -> Self {
        Sized4k {
            buf: Vec::with_capacity(4096),
        }
    }
}

#[test]
fn global_pool_is_one_per_type_and_reuses_values() {
    assert!(std::ptr::eq(Scratch::pool(), Scratch::pool()));
    let mut s = Scratch::checkout();
    s.bytes.extend_from_slice(b"hello");
    s.used = true;
    drop(s);
    let s = Scratch::checkout();
    assert!(s.bytes.is_empty() && !s.used, "a reused value is reset");
}

#[test]
fn new_names_the_factory() {
    let s = Sized4k::checkout();
    assert!(s.buf.capacity() >= 4096);
}
