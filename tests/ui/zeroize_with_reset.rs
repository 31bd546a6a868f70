use pool_runtime::Poolable;

#[derive(Poolable)]
struct Session {
    #[pool(zeroize, reset = Vec::new())]
    key: Vec<u8>,
}

fn main() {}
