use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(skip = true)]
    body: Vec<u8>,
}

fn main() {}
