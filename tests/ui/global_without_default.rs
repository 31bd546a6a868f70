use pool_runtime::Poolable;

#[derive(Poolable)]
#[pool(global)]
struct Request {
    body: Vec<u8>,
}

fn main() {}
