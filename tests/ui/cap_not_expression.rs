use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(cap = 1 MiB)]
    body: Vec<u8>,
}

fn main() {}
