use pool_runtime::Poolable;

// A learned cap is over the whole value's bytes: the struct's, not a field's.
#[derive(Poolable)]
struct Request {
    #[pool(cap = auto)]
    body: Vec<u8>,
}

// Nor the struct's `max_bytes` put on a field.
#[derive(Poolable)]
struct Response {
    #[pool(max_value_bytes = auto)]
    body: Vec<u8>,
}

fn main() {}
