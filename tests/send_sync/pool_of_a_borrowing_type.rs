//! A pool keeps its values for as long as it lives: a value that borrows a
//! local cannot go into one.

use pool_runtime::{Pool, Poolable};

struct Borrowed<'a>(Option<&'a mut Vec<u8>>);

impl Poolable for Borrowed<'_> {
    fn reset(&mut self) {
        self.0 = None;
    }
}

fn main() {
    let mut local = Vec::new();
    let pool = Pool::new(|| Borrowed(None));
    pool.put(Borrowed(Some(&mut local)));
}
