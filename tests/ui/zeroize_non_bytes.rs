use pool_runtime::Poolable;

#[derive(Poolable)]
struct Session {
    #[pool(zeroize)]
    tokens: Vec<String>,
}

fn main() {}
