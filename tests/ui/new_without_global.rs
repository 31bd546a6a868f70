use pool_runtime::Poolable;

#[derive(Poolable)]
#[pool(new = make_request)]
struct Request {
    body: Vec<u8>,
}

fn make_request() -> Request {
    Request { body: Vec::with_capacity(4096) }
}

fn main() {}

// The same for the global pool's name.
#[derive(Poolable)]
#[pool(name = "requests")]
struct Named {
    body: Vec<u8>,
}
