//! A guard of a value that is not `Sync` cannot be shared by reference with
//! another thread, although the pool can.

use pool_runtime::{Pool, Poolable};
use std::cell::Cell;
use std::thread;

struct Flag(Cell<u32>);

impl Poolable for Flag {
    fn reset(&mut self) {
        self.0.set(0);
    }
}

fn main() {
    let pool = Pool::new(|| Flag(Cell::new(0)));
    let guard = pool.get();
    let shared = &guard;
    thread::scope(|s| {
        s.spawn(move || shared.0.set(1));
    });
}
