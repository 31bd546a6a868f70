use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(cap = 1024)]
    #[pool(cap = 2048)]
    body: Vec<u8>,
}

fn main() {}
