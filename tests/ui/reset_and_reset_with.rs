use pool_runtime::Poolable;

fn wipe(limit: &mut usize) {
    *limit = 16;
}

#[derive(Poolable)]
struct Request {
    #[pool(reset = 16, reset_with = wipe)]
    limit: usize,
}

fn main() {}
