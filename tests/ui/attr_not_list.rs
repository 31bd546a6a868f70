use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool = "skip"]
    body: Vec<u8>,
}

fn main() {}
