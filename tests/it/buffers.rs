//! `BufferPool`: gets of every size get what they asked for, buffers return
//! to the class their capacity fits when they come back (grown or shrunk
//! while out), nothing outside the classes is kept, the `bytes` and body
//! conversions return to the right class, the global pool serves many
//! threads, and the counters add up, also over random sizes and orders.

use pool_runtime::{Buffer, BufferPool, OwnedBuffer};
use pool_suite::check_conserved;
use proptest::prelude::*;
use std::sync::Barrier;

/// Small classes, so that the tests cross every boundary quickly: 64 B to
/// 4 KiB.
fn small_pool() -> BufferPool {
    BufferPool::builder()
        .min_capacity(64)
        .max_capacity(4096)
        .build()
}

/// The class a pool keeps a buffer of `capacity` in, by its stats: the one
/// whose `retained` went up.
fn retained_by_class(pool: &BufferPool) -> Vec<(usize, usize)> {
    pool.class_stats()
        .iter()
        .filter(|c| c.stats.retained > 0)
        .map(|c| (c.capacity, c.stats.retained))
        .collect()
}

#[test]
fn every_get_is_empty_with_at_least_the_capacity_asked_for() {
    let pool = small_pool();
    for n in (0..=9000).step_by(7).chain([63, 64, 65, 4095, 4096, 4097]) {
        let mut b = pool.get(n);
        assert!(b.capacity() >= n && b.is_empty(), "get({n}): {b:?}");
        b.resize(n, 0xAB);
        let o = pool.get_owned(n);
        assert!(o.capacity() >= n && o.is_empty(), "get_owned({n}): {o:?}");
    }
    // Dirty buffers came back and were handed out again: all empty.
    assert!(pool.stats().reused > 0);
}

#[test]
fn a_get_takes_the_smallest_class_that_covers_it() {
    let pool = small_pool();
    for (asked, class) in [
        (0, 64),
        (1, 64),
        (64, 64),
        (65, 128),
        (1000, 1024),
        (4096, 4096),
    ] {
        assert_eq!(pool.get(asked).capacity(), class, "get({asked})");
    }
}

#[test]
fn a_buffer_that_grew_while_out_comes_back_to_its_new_class() {
    let pool = small_pool();
    let mut b = pool.get(100); // the 128-byte class
    b.resize(3000, 1); // now 2048 <= capacity < 4096
    let grown = b.capacity();
    let at_grown = b.as_ptr();
    assert!((2048..4096).contains(&grown), "{grown}");
    drop(b);
    assert_eq!(retained_by_class(&pool), [(2048, 1)]);
    let s = pool.stats();
    assert_eq!(
        (s.created, s.returned, s.retained, s.detached),
        (1, 1, 1, 0),
        "{s:?}"
    );
    // A later get of that class reuses it; the class it came from has none.
    let again = pool.get(2000);
    assert_eq!((again.as_ptr(), again.capacity()), (at_grown, grown));
    // (Not by address: the grow freed the 128-byte block, which the
    // allocator may hand to the new buffer.)
    let fresh = pool.get(100);
    assert_eq!(fresh.capacity(), 128);
    assert_eq!(
        pool.stats().created,
        2,
        "the 128-byte class had to make one"
    );
}

#[test]
fn a_buffer_shrunk_while_out_moves_down_and_never_serves_a_larger_get() {
    let pool = small_pool();
    let mut b = pool.get(4000); // the 4 KiB class
    b.shrink_to(100); // now 100 <= capacity < 4096: the class of 64 or 128
    let cap = b.capacity();
    drop(b);
    let kept = retained_by_class(&pool);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        kept[0].0 <= cap && cap < kept[0].0 * 2,
        "{cap} kept in {kept:?}"
    );
    assert_eq!(
        pool.get(4000).capacity(),
        4096,
        "the small buffer must not serve 4000"
    );
}

#[test]
fn nothing_outside_the_classes_is_kept() {
    let pool = small_pool();
    // Asked above the largest class: made for the request, then dropped.
    let mut big = pool.get(10_000);
    assert!(big.capacity() >= 10_000);
    big.extend_from_slice(&[7; 10_000]);
    drop(big);
    drop(pool.get_owned(5000));
    // Grown past the largest class while out: dropped too.
    let mut grew = pool.get(1000);
    grew.resize(8192, 0);
    drop(grew);
    // Shrunk below the smallest: dropped.
    let mut shrank = pool.get(100);
    shrank.shrink_to(0);
    assert!(shrank.capacity() < 64);
    drop(shrank);
    let s = pool.stats();
    assert_eq!(s.retained, 0, "{s:?}");
    assert_eq!((s.created, s.returned, s.dropped_full), (4, 4, 4), "{s:?}");
    assert_eq!(check_conserved("outside", &s, 0, 0), Ok(()));
}

#[test]
fn detached_buffers_are_counted_once_and_not_kept() {
    let pool = small_pool();
    let kept: Vec<u8> = Buffer::detach(pool.get(100));
    let owned: Vec<u8> = OwnedBuffer::detach(pool.get_owned(100));
    let s = pool.stats();
    assert_eq!((s.detached, s.retained, s.out), (2, 0, 0), "{s:?}");
    assert!(kept.capacity() >= 100 && owned.capacity() >= 100);
}

#[test]
fn a_zeroizing_pool_wipes_the_whole_buffer_before_keeping_it() {
    let pool = BufferPool::builder().zeroize().min_capacity(64).build();
    let mut b = pool.get(64);
    b.extend_from_slice(&[0xEE; 64]);
    b.truncate(10); // the secret's tail is now spare capacity
    let at = b.as_ptr();
    drop(b);
    let again = pool.get(64);
    assert_eq!(again.as_ptr(), at);
    // SAFETY: all 64 bytes were written (by the fill, then the wipe).
    let bytes = unsafe { std::slice::from_raw_parts(again.as_ptr(), 64) };
    assert_eq!(bytes, [0; 64]);
}

#[test]
fn a_learned_cap_keeps_buffers_of_its_classs_size_that_moved_in() {
    let pool = BufferPool::builder()
        .min_capacity(64)
        .max_capacity(4096)
        .calibrate()
        .build();
    // Every buffer is taken from the 128-byte class and leaves it for the
    // 2 KiB class, which never makes one of its own, empty.
    for _ in 0..300 {
        let mut b = pool.get(100);
        b.reserve_exact(2048);
        assert_eq!(b.capacity(), 2048);
    }
    let kb2 = pool
        .class_stats()
        .into_iter()
        .find(|c| c.capacity == 2048)
        .unwrap();
    assert_eq!(
        (kb2.stats.rejected, kb2.stats.retained),
        (0, 300),
        "{kb2:?}"
    );
}

#[test]
fn a_zeroizing_pool_still_learns_what_its_buffers_held() {
    let pool = BufferPool::builder().zeroize().calibrate().build();
    for _ in 0..300 {
        // 10 000 bytes in the 8 KiB class (which holds 8192 to 16 383):
        // above the class's size, so kept only if the cap learned that
        // the uses need 10 000.
        let mut b = pool.get(5000);
        b.reserve_exact(10_000);
        b.resize(10_000, 7);
    }
    let s = pool.stats();
    assert_eq!((s.rejected, s.created, s.retained), (0, 1, 1), "{s:?}");
}

#[test]
fn the_global_pool_serves_many_threads() {
    let threads = 4;
    let start = Barrier::new(threads);
    let before = BufferPool::global().stats();
    std::thread::scope(|s| {
        for t in 0..threads {
            let start = &start;
            s.spawn(move || {
                start.wait();
                for i in 0..500 {
                    let n = (i * 97 + t * 13) % 20_000;
                    let mut b = BufferPool::global().get(n);
                    assert!(b.capacity() >= n && b.is_empty());
                    b.resize(n, t as u8);
                    assert!(b.iter().all(|&x| x == t as u8));
                }
            });
        }
    });
    let after = BufferPool::global().stats();
    let gets = |s: &pool_runtime::Stats| s.created + s.reused;
    assert_eq!(gets(&after) - gets(&before), (threads * 500) as u64);
    assert!(after.reused > before.reused);
}

#[test]
fn a_buffer_returned_on_another_thread_goes_to_its_class() {
    let pool = small_pool();
    let mut b = pool.get_owned(100);
    std::thread::spawn(move || {
        b.resize(1500, 0); // grows into the 1 KiB class on the other thread
    })
    .join()
    .unwrap();
    assert_eq!(retained_by_class(&pool), [(1024, 1)]);
    assert_eq!(check_conserved("remote", &pool.stats(), 0, 0), Ok(()));
}

#[test]
fn trim_and_clear_free_every_class() {
    let pool = small_pool();
    drop((pool.get(10), pool.get(500), pool.get(4000)));
    assert_eq!(pool.stats().retained, 3);
    pool.trim();
    pool.trim();
    assert_eq!((pool.stats().retained, pool.stats().evicted), (0, 3));
    drop((pool.get(10), pool.get(500)));
    pool.clear();
    assert_eq!(pool.stats().retained, 0);
    assert_eq!(check_conserved("trimmed", &pool.stats(), 0, 0), Ok(()));
}

#[test]
fn the_bounds_round_up_and_a_max_below_the_min_leaves_one_class() {
    let sizes = |b: pool_runtime::BufferPoolBuilder| b.build().class_sizes().collect::<Vec<_>>();
    let b = BufferPool::builder;
    assert_eq!(
        sizes(b().min_capacity(100).max_capacity(1000)),
        [128, 256, 512, 1024]
    );
    assert_eq!(sizes(b().min_capacity(4096).max_capacity(10)), [4096]);
    assert_eq!(sizes(b().min_capacity(0).max_capacity(0)), [1]);
    let huge = sizes(b().min_capacity(usize::MAX).max_capacity(usize::MAX));
    assert_eq!(huge, [1 << (usize::BITS - 2)]);
    // Asking the huge pool for little is fine: nothing is made until a get.
    assert_eq!(b().max_capacity(usize::MAX).build().get(10).capacity(), 256);
}

#[cfg(feature = "ecosystem")]
#[test]
fn into_bytes_returns_to_the_class_after_the_last_clone() {
    let pool = small_pool();
    let mut b = pool.get_owned(100);
    b.resize(600, 3); // grown into the 512 class before it is frozen
    let bytes = OwnedBuffer::into_bytes(b);
    let clone = bytes.clone();
    let held = std::thread::spawn(move || clone.len()).join().unwrap();
    assert_eq!(held, 600);
    assert_eq!(pool.stats().retained, 0);
    drop(bytes);
    assert_eq!(retained_by_class(&pool), [(512, 1)]);
    assert_eq!(check_conserved("bytes", &pool.stats(), 0, 0), Ok(()));
}

#[cfg(feature = "ecosystem")]
#[test]
fn a_pooled_body_of_a_buffer_returns_it_when_dropped_unsent() {
    let pool = small_pool();
    let mut b = pool.get_owned(2000);
    b.extend_from_slice(b"body");
    drop(pool_runtime::PooledBody::from(b));
    assert_eq!(retained_by_class(&pool), [(2048, 1)]);
}

/// One step of the property test.
#[derive(Debug, Clone)]
enum Step {
    /// Get a buffer of at least this many bytes and hold it.
    Get(usize),
    /// Resize the held buffer at this index (mod the count) to this length.
    Grow(usize, usize),
    /// Shrink the held buffer at this index to fit this length.
    Shrink(usize, usize),
    /// Drop the held buffer at this index.
    Drop(usize),
    /// Detach it.
    Detach(usize),
    Trim,
}

fn step() -> impl Strategy<Value = Step> {
    let size = prop_oneof![4 => 0usize..5000, 1 => 5000usize..20_000];
    prop_oneof![
        4 => size.clone().prop_map(Step::Get),
        2 => (any::<usize>(), size.clone()).prop_map(|(i, n)| Step::Grow(i, n)),
        1 => (any::<usize>(), size).prop_map(|(i, n)| Step::Shrink(i, n)),
        3 => any::<usize>().prop_map(Step::Drop),
        1 => any::<usize>().prop_map(Step::Detach),
        1 => Just(Step::Trim),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every get gets what it asked for, empty; every kept buffer sits in
    /// the class its capacity fits; the counters add up after each step.
    #[test]
    fn random_sizes_and_orders_keep_every_promise(steps in prop::collection::vec(step(), 1..120)) {
        let pool = small_pool();
        let mut held: Vec<OwnedBuffer> = Vec::new();
        let mut detached = Vec::new();
        for (i, s) in steps.iter().enumerate() {
            match *s {
                Step::Get(n) => {
                    let b = pool.get_owned(n);
                    prop_assert!(b.capacity() >= n && b.is_empty(), "step {i}: get({n}) gave {:?}", b.capacity());
                    held.push(b);
                }
                Step::Grow(k, n) if !held.is_empty() => {
                    let k = k % held.len();
                    held[k].resize(n, 1);
                }
                Step::Shrink(k, n) if !held.is_empty() => {
                    let k = k % held.len();
                    held[k].truncate(n);
                    held[k].shrink_to(n);
                }
                Step::Drop(k) if !held.is_empty() => drop(held.swap_remove(k % held.len())),
                Step::Detach(k) if !held.is_empty() => {
                    detached.push(OwnedBuffer::detach(held.swap_remove(k % held.len())));
                }
                Step::Trim => pool.trim(),
                _ => {}
            }
            let s = pool.stats();
            prop_assert_eq!(check_conserved(&format!("step {i}"), &s, 0, held.len() as u64), Ok(()));
            prop_assert_eq!(s.detached, detached.len() as u64);
            for class in pool.class_stats() {
                // Each class's bytes: its buffers' capacities (plus the
                // `Vec`'s own size), each within the class's band.
                let per = std::mem::size_of::<Vec<u8>>();
                let (n, bytes) = (class.stats.retained, class.stats.retained_bytes);
                prop_assert!(bytes >= n * (class.capacity + per), "step {i}: {class:?}");
                prop_assert!(bytes < n * (2 * class.capacity + per) || n == 0, "step {i}: {class:?}");
            }
        }
        drop(held);
        let s = pool.stats();
        prop_assert_eq!(check_conserved("end", &s, 0, 0), Ok(()));
    }
}
