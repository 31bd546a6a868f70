use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(skip, reset = 16)]
    limit: usize,
}

fn main() {}
