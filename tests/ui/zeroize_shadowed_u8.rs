// `zeroize` is decided by the type, not by its spelling: this `u8` is not
// the integer.
#![allow(non_camel_case_types)]

use pool_runtime::Poolable;

#[derive(Default)]
struct u8;

#[derive(Poolable)]
struct Session {
    #[pool(zeroize)]
    key: Vec<u8>,
}

fn main() {}
