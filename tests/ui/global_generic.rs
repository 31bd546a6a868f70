use pool_runtime::Poolable;

#[derive(Poolable, Default)]
#[pool(global)]
struct Buffer<T> {
    items: Vec<T>,
}

fn main() {}
