use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(cap = 16, shrink)]
    count: u64,
    #[pool(cap = 16)]
    total: u32,
}

fn main() {}
