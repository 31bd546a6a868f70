use pool_runtime::Poolable;

struct Handle;

#[derive(Poolable)]
struct Request {
    body: Vec<u8>,
    handle: Handle,
}

fn main() {}
