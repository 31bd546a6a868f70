use pool_runtime::Poolable;

const LIMIT: u32 = 1024;

#[derive(Poolable)]
struct Request {
    #[pool(cap = LIMIT)]
    body: Vec<u8>,
}

fn main() {}
