use pool_runtime::Poolable;

#[derive(Poolable)]
#[pool(crate = "pool_runtime")]
struct Request {
    body: Vec<u8>,
}

fn main() {}
