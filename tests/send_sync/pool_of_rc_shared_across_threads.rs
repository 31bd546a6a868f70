//! A pool of a value that is not `Send` is not `Sync`: two threads could
//! otherwise hand the same `Rc`'s count back and forth through it.

use pool_runtime::{Pool, Poolable};
use std::rc::Rc;
use std::thread;

struct Counted(Rc<u32>);

impl Poolable for Counted {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Pool::new(|| Counted(Rc::new(1)));
    let pool = &pool;
    thread::scope(|s| {
        s.spawn(move || drop(pool.get()));
    });
}
