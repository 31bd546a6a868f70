use pool_runtime::Poolable;

// A field that packing can misalign.
#[derive(Poolable)]
#[repr(C, packed)]
struct Header {
    magic: [u8; 4],
    len: u32,
    body: Vec<u8>,
}

#[derive(Poolable)]
#[repr(packed(2))]
struct Pair(u8, u64);

// A generic field may be misaligned whatever it is instantiated with.
#[derive(Poolable)]
#[repr(packed)]
struct Cell<T> {
    value: T,
}

fn main() {}
