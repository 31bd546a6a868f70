use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(cap)]
    body: Vec<u8>,
}

fn main() {}
