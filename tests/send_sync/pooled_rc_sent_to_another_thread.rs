//! A guard of a value that is not `Send` cannot be dropped on another thread.

use pool_runtime::{Pool, Poolable};
use std::rc::Rc;
use std::thread;

struct Counted(Rc<u32>);

impl Poolable for Counted {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Pool::new(|| Counted(Rc::new(1)));
    let guard = pool.get();
    thread::scope(|s| {
        s.spawn(move || drop(guard));
    });
}
