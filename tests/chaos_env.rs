//! `POOL_RUNTIME_CHAOS` turns chaos on for every pool built without a seed
//! of its own. Its own test binary, with one test: the variable is read once
//! per process, before any pool of the process is built.

use pool_runtime::{Pool, CHAOS_ENV};

#[test]
fn the_environment_variable_puts_every_pool_in_chaos_mode() {
    std::env::set_var(CHAOS_ENV, "99");
    let pool = Pool::new(Vec::<u8>::new);
    assert_eq!(pool.chaos_seed(), Some(99));
    let own = Pool::builder(Vec::<u8>::new).chaos(1).build();
    assert_eq!(own.chaos_seed(), Some(1), "a pool's own seed wins");
    for _ in 0..100 {
        drop(pool.get());
    }
    let s = pool.stats();
    assert!(s.dropped_full > 0 && s.created > 1, "{s:?}");
}
