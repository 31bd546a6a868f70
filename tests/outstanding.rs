//! `track_outstanding`: sampled guards that are never returned are listed
//! with the place they were taken; returned, detached and travelled ones
//! leave the list, and the pool's counters still add up.

use pool_runtime::{Pool, Pooled};
use pool_suite::assert_conserved;
use std::sync::Arc;

/// The planted bug: a handler that forgets its scratch buffer on one path.
fn handle(pool: &Pool<Vec<u8>>, request: u32) -> usize {
    let (mut scratch, line) = (pool.get(), line!());
    scratch.extend_from_slice(&request.to_le_bytes());
    let len = scratch.len();
    if request == 7 {
        std::mem::forget(scratch); // e.g. kept in a struct that is leaked
        return line as usize;
    }
    len
}

#[test]
fn a_forgotten_guard_is_reported_with_its_file_and_line() {
    let pool = Pool::builder(Vec::<u8>::new).track_outstanding(1).build();
    let mut leaked_at = 0;
    for request in 0..20 {
        let r = handle(&pool, request);
        if request == 7 {
            leaked_at = r as u32;
        }
    }
    let out = pool.outstanding();
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].location().file(), file!());
    assert_eq!(out[0].location().line(), leaked_at);
    let shown = out[0].to_string();
    assert!(
        shown.starts_with(&format!("taken at {}:{leaked_at}:", file!())),
        "{shown}"
    );
    let s = pool.stats();
    assert_eq!(s.out, 1, "{s:?}");
    assert_conserved("one forgotten", &s, 0, 1);
}

#[test]
fn returned_and_detached_guards_leave_the_list() {
    let pool = Arc::new(Pool::builder(String::new).track_outstanding(1).build());
    let a = pool.get();
    let b = pool.get_owned();
    let c = pool.get();
    assert_eq!(pool.outstanding().len(), 3);
    drop(a);
    let kept: String = Pooled::detach(c);
    assert_eq!(pool.outstanding().len(), 1);
    std::thread::spawn(move || drop(b)).join().unwrap();
    assert!(pool.outstanding().is_empty());
    let s = pool.stats();
    assert_eq!(s.returned_remote, 1, "the guard that travelled: {s:?}");
    assert_conserved("all back or detached", &s, 0, 0);
    drop(kept);
}

#[test]
fn one_checkout_in_sample_every_is_sampled_stash_hits_and_misses_alike() {
    let pool = Pool::builder(Vec::<u8>::new)
        .max_per_thread(1024)
        .track_outstanding(16)
        .build();
    // Misses: every get calls the factory.
    let held: Vec<_> = (0..1000).map(|_| pool.get()).collect();
    let sampled = pool.outstanding().len();
    assert!(
        (50..=75).contains(&sampled),
        "{sampled} of 1000 misses sampled"
    );
    drop(held);
    assert!(pool.outstanding().is_empty());
    // Hits: every get pops this thread's stash, which sends one in 16 to
    // the slow path.
    let before = pool.stats();
    let held: Vec<_> = (0..1000).map(|_| pool.get()).collect();
    let s = pool.stats();
    assert_eq!((s.reused - before.reused, s.created), (1000, 1000), "{s:?}");
    let sampled = pool.outstanding().len();
    assert!(
        (50..=75).contains(&sampled),
        "{sampled} of 1000 stash hits sampled"
    );
    // Leaked ones stay listed; the count of all that are out is exact.
    let leaked = held.len();
    held.into_iter().for_each(std::mem::forget);
    assert_eq!(pool.outstanding().len(), sampled);
    assert_eq!(pool.stats().out, leaked);
}

#[test]
fn without_tracking_nothing_is_listed() {
    let pool = Pool::new(Vec::<u8>::new);
    std::mem::forget(pool.get());
    assert!(pool.outstanding().is_empty());
    assert_eq!(pool.stats().out, 1);
}
