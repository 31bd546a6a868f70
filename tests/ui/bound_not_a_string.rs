use pool_runtime::Poolable;

#[derive(Poolable)]
#[pool(bound = T: Poolable)]
struct Buffer<T> {
    item: T,
}

fn main() {}
