use pool_runtime::Poolable;

fn wipe(_: &mut String) {}

#[derive(Poolable)]
struct Request {
    #[pool(reset_with = wipe)]
    body: Vec<u8>,
}

fn main() {}
