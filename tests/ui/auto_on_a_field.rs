use pool_runtime::Poolable;

// A learned cap is over the whole value's bytes: the struct's, not a field's.
#[derive(Poolable)]
struct Request {
    #[pool(cap = auto)]
    body: Vec<u8>,
}

fn main() {}
