use pool_runtime::Poolable;

#[derive(Poolable)]
#[pool(global, new = make)]
struct Request {
    body: Vec<u8>,
}

fn make(capacity: usize) -> Request {
    Request {
        body: Vec::with_capacity(capacity),
    }
}

fn main() {}
