use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(reset_with = "Vec::clear")]
    body: Vec<u8>,
}

fn main() {}
