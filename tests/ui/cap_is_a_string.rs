use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(cap = "1024")]
    body: Vec<u8>,
}

fn main() {}
