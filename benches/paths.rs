//! divan benches for digging into one path: `floor` against `pool-runtime`
//! on `tiny`, `buf4k` and `parse`, one thread, with divan's `AllocProfiler`
//! counting allocations. `cargo bench --bench paths`.
//!
//! The full side-by-side report is `cargo bench --bench compare`.

// `tiny` pools `Box<u64>` on purpose (the `tiny` workload is one boxed integer): its stashes are `Vec<Box<u64>>`.
#![allow(clippy::vec_box)]

mod common;

use common::*;
use divan::{black_box, AllocProfiler, Bencher};
use pool_runtime::Pool;
use std::cell::RefCell;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

thread_local! {
    static FLOOR_TINY: RefCell<Vec<Box<u64>>> = const { RefCell::new(Vec::new()) };
    static FLOOR_BUF: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    static FLOOR_PARSE: RefCell<Vec<Parse>> = const { RefCell::new(Vec::new()) };
}

/// The floor (pop or make, use, reset, push) and the pool, each warmed by
/// one use before measuring, so that the profile shows the steady state.
macro_rules! floor_and_pool {
    ($modname:ident, $stash:ident, $make:path, $use:expr, $reset:expr) => {
        mod $modname {
            use super::*;

            #[divan::bench]
            fn floor(b: Bencher) {
                let mut v = $make();
                ($use)(&mut v, 0);
                ($reset)(&mut v);
                $stash.with(|s| s.borrow_mut().push(v));
                let mut i = 0u64;
                b.bench_local(|| {
                    i += 1;
                    let mut v = $stash.with(|s| s.borrow_mut().pop()).unwrap_or_else($make);
                    ($use)(&mut v, i);
                    ($reset)(&mut v);
                    $stash.with(|s| s.borrow_mut().push(v));
                });
            }

            #[divan::bench]
            fn pool_runtime(b: Bencher) {
                let pool = Pool::new($make);
                ($use)(&mut *pool.get(), 0);
                let mut i = 0u64;
                b.bench_local(|| {
                    i += 1;
                    let mut g = pool.get();
                    ($use)(&mut *g, i);
                    black_box(&mut g);
                });
            }
        }
    };
}

floor_and_pool!(
    tiny,
    FLOOR_TINY,
    new_tiny,
    |b: &mut Box<u64>, i| use_tiny(b, i),
    |b: &mut Box<u64>| reset_tiny(b)
);
floor_and_pool!(
    buf4k,
    FLOOR_BUF,
    new_buf4k,
    |b: &mut Vec<u8>, _| use_buf4k(b),
    reset_vec
);
floor_and_pool!(
    parse,
    FLOOR_PARSE,
    new_parse,
    use_parse::<Parse>,
    reset_parse
);
