use pool_runtime::Poolable;

#[derive(Poolable)]
#[repr(C, packed)]
struct Header {
    len: u32,
    body: Vec<u8>,
}

#[derive(Poolable)]
#[repr(packed(2))]
struct Pair(u8, u64);

fn main() {}
