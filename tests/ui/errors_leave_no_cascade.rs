// A derive with an error still gives the type a `Poolable` impl, so code
// that uses it as `Poolable` shows no second error.
use pool_runtime::Poolable;

#[derive(Poolable)]
struct Request {
    #[pool(shrink)]
    body: Vec<u8>,
}

fn needs_poolable<T: Poolable>(_: &T) {}

fn main() {
    let r = Request { body: Vec::new() };
    needs_poolable(&r);
    assert!(r.within_caps());
}
