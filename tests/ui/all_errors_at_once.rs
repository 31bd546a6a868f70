use pool_runtime::Poolable;

#[derive(Poolable)]
#[pool(new = make, colour = "red")]
struct Request {
    #[pool(cap = 1, cap = 2)]
    body: Vec<u8>,
    #[pool(shrink)]
    names: Vec<String>,
    #[pool(skip, reset = 3)]
    limit: usize,
    #[pool(cap = "1 MiB")]
    text: String,
}

fn make() -> Request {
    unimplemented!()
}

fn main() {}
