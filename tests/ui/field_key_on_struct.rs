use pool_runtime::Poolable;

#[derive(Poolable)]
#[pool(cap = 1024)]
struct Request {
    body: Vec<u8>,
}

fn main() {}
