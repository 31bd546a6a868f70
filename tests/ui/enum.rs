use pool_runtime::Poolable;

#[derive(Poolable)]
enum Message {
    Text(String),
    Bytes(Vec<u8>),
}

fn main() {}
