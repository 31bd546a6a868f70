use pool_runtime::Poolable;

#[derive(Poolable)]
union Word {
    int: u32,
    float: f32,
}

fn main() {}
