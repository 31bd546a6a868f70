use pool_runtime::Poolable;

// `auto` learns the number; a number beside it is neither kind of cap.
#[derive(Poolable)]
#[pool(max_value_bytes = auto(4 << 20))]
struct Request {
    body: Vec<u8>,
}

#[derive(Poolable)]
#[pool(max_value_bytes = auto.min(1 << 20))]
struct Response {
    body: Vec<u8>,
}

#[derive(Poolable)]
#[pool(max_value_bytes = auto, max_value_bytes = 1 << 20)]
struct Both {
    body: Vec<u8>,
}

fn main() {}
