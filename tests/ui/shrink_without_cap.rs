use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(shrink)]
    body: Vec<u8>,
}

fn main() {}
