//! An owned guard of a value that is not `Send` cannot move to another thread.

use pool_runtime::{Pool, Poolable};
use std::rc::Rc;
use std::sync::Arc;
use std::thread;

struct Counted(Rc<u32>);

impl Poolable for Counted {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Arc::new(Pool::new(|| Counted(Rc::new(1))));
    let guard = pool.get_owned();
    thread::spawn(move || drop(guard));
}
