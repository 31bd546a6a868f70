//! A process-wide pool is reached from every thread: its type must be `Send`.

use pool_runtime::Poolable;
use std::rc::Rc;

#[derive(Poolable, Default)]
#[pool(global)]
struct Session {
    #[pool(skip)]
    user: Rc<u32>,
}

fn main() {}
