//! The per-value cap's earlier name says what it is called now.
use pool_runtime::Poolable;

#[derive(Poolable)]
#[pool(max_bytes = 4096)]
struct Body {
    bytes: Vec<u8>,
}

fn main() {}
