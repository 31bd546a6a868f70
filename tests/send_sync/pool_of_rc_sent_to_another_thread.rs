//! A pool of a value that is not `Send` cannot move to another thread.

use pool_runtime::{Pool, Poolable};
use std::rc::Rc;
use std::thread;

struct Counted(Rc<u32>);

impl Poolable for Counted {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Pool::new(|| Counted(Rc::new(1)));
    thread::spawn(move || drop(pool.get()));
}
