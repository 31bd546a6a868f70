//! Memory that comes back: `trim()` and `clear()` reach the stashes of
//! threads that stay alive and never use the pool again, `trim_all()`
//! trims every pool at once, a trimmer does it on its own, and a value
//! whose drop panics while a batch is freed does not leave the rest of
//! the batch unwiped.

use pool_runtime::{Pool, Poolable};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc, Barrier, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// `trim_all` reaches the pools of every test of this binary: they run
/// one at a time.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// Threads of a burst, and what each takes at once.
const THREADS: usize = if cfg!(miri) { 2 } else { 8 };
const EACH: usize = if cfg!(miri) { 3 } else { 64 };

/// `THREADS` threads each take `EACH` values at once and return them, then
/// stay alive without touching the pool until the returned sender drops
/// (parked workers). Returns once all of them are parked.
fn burst_then_idle(pool: &Arc<Pool<Vec<u8>>>) -> (mpsc::Sender<()>, Vec<thread::JoinHandle<()>>) {
    let (release, parked) = mpsc::channel::<()>();
    let parked = Arc::new(std::sync::Mutex::new(parked));
    let ready = Arc::new(Barrier::new(THREADS + 1));
    let workers = (0..THREADS)
        .map(|_| {
            let (pool, ready, parked) = (Arc::clone(pool), Arc::clone(&ready), Arc::clone(&parked));
            thread::spawn(move || {
                let held: Vec<_> = (0..EACH).map(|_| pool.get()).collect();
                drop(held);
                ready.wait();
                // Blocked here, as a worker waiting for a job is.
                let _ = parked.lock().unwrap().recv();
            })
        })
        .collect();
    ready.wait();
    (release, workers)
}

fn buffers() -> Arc<Pool<Vec<u8>>> {
    Arc::new(Pool::new(|| Vec::with_capacity(1 << 10)))
}

#[test]
fn clear_on_another_thread_frees_the_stashes_of_threads_that_stay_idle() {
    let _serial = serial();
    let pool = buffers();
    let (release, workers) = burst_then_idle(&pool);
    let before = pool.stats();
    assert_eq!(before.retained, THREADS * EACH, "{before:?}");
    pool.clear();
    let after = pool.stats();
    assert_eq!((after.retained, after.retained_bytes), (0, 0), "{after:?}");
    assert_eq!(after.evicted as usize, THREADS * EACH, "{after:?}");
    drop(release);
    workers.into_iter().for_each(|w| w.join().unwrap());
}

#[test]
fn two_trims_on_another_thread_free_the_stashes_of_threads_that_stay_idle() {
    let _serial = serial();
    let pool = buffers();
    let (release, workers) = burst_then_idle(&pool);
    pool.trim();
    assert_eq!(pool.stats().retained, THREADS * EACH, "one trim only marks");
    pool.trim();
    let after = pool.stats();
    assert_eq!((after.retained, after.retained_bytes), (0, 0), "{after:?}");
    drop(release);
    workers.into_iter().for_each(|w| w.join().unwrap());
}

#[test]
fn a_stash_in_use_between_two_trims_keeps_what_it_used() {
    let _serial = serial();
    let pool = buffers();
    let (to_worker, jobs) = mpsc::channel::<usize>();
    let (to_main, done) = mpsc::channel::<()>();
    let p = Arc::clone(&pool);
    let worker = thread::spawn(move || {
        for n in jobs {
            let held: Vec<_> = (0..n).map(|_| p.get()).collect();
            drop(held);
            to_main.send(()).unwrap();
        }
    });
    to_worker.send(10).unwrap();
    done.recv().unwrap();
    pool.trim();
    to_worker.send(3).unwrap(); // three of the ten used again
    done.recv().unwrap();
    pool.trim();
    // The seven idle since the first trim are freed; the three used are kept.
    assert_eq!(pool.stats().retained, 3, "{:?}", pool.stats());
    drop(to_worker);
    worker.join().unwrap();
}

#[test]
fn trim_all_twice_empties_every_pool_at_once() {
    let _serial = serial();
    let a = buffers();
    let b: Arc<Pool<String>> = Arc::new(Pool::new(String::new));
    let (release, workers) = burst_then_idle(&a);
    let p = Arc::clone(&b);
    thread::spawn(move || drop((p.get(), p.get())))
        .join()
        .unwrap();
    drop((b.get(), b.get(), b.get()));
    assert!(a.stats().retained > 0 && b.stats().retained > 0);
    pool_runtime::trim_all();
    pool_runtime::trim_all();
    assert_eq!(a.stats().retained, 0, "{:?}", a.stats());
    assert_eq!(b.stats().retained, 0, "{:?}", b.stats());
    drop(release);
    workers.into_iter().for_each(|w| w.join().unwrap());
}

#[test]
fn trim_all_twice_empties_a_buffer_pools_classes_on_every_thread() {
    let _serial = serial();
    let pool = pool_runtime::BufferPool::new();
    let p = pool.clone();
    thread::spawn(move || drop((p.get(100), p.get(5000), p.get(300_000))))
        .join()
        .unwrap();
    drop((pool.get(1000), pool.get(70_000)));
    assert_eq!(pool.stats().retained, 5, "{:?}", pool.stats());
    pool_runtime::trim_all();
    pool_runtime::trim_all();
    assert_eq!(pool.stats().retained, 0, "{:?}", pool.stats());
}

#[test]
fn a_pool_only_its_creator_used_is_trimmed_by_the_creators_trim_all_alone() {
    let _serial = serial();
    let (to_main, made) = mpsc::channel();
    let (finish, finished) = mpsc::channel::<()>();
    let creator = thread::spawn(move || {
        let local = Pool::new(String::new);
        drop((local.get(), local.get()));
        to_main.send(()).unwrap();
        finished.recv().unwrap();
        let kept = local.stats().retained;
        pool_runtime::trim_all();
        pool_runtime::trim_all();
        (kept, local.stats().retained)
    });
    made.recv().unwrap();
    // Nothing proves its values `Send`: another thread's trims leave it.
    pool_runtime::trim_all();
    pool_runtime::trim_all();
    finish.send(()).unwrap();
    assert_eq!(creator.join().unwrap(), (2, 0));
}

#[test]
fn a_trimmer_empties_a_pool_nobody_uses_and_stops_when_dropped() {
    let _serial = serial();
    let pool = buffers();
    let (release, workers) = burst_then_idle(&pool);
    let trimmer = pool_runtime::spawn_trimmer(Duration::from_millis(20));
    let start = Instant::now();
    while pool.stats().retained > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "not freed within a second: {:?}",
            pool.stats()
        );
        thread::sleep(Duration::from_millis(5));
    }
    drop(trimmer);
    // Stopped: a new burst stays.
    let (release2, workers2) = burst_then_idle(&pool);
    thread::sleep(Duration::from_millis(100));
    assert_eq!(pool.stats().retained, THREADS * EACH, "{:?}", pool.stats());
    drop((release, release2));
    workers
        .into_iter()
        .chain(workers2)
        .for_each(|w| w.join().unwrap());
}

/// Counts its wipes; its drop panics when `bomb` is set.
struct Secret {
    wipes: Arc<AtomicUsize>,
    bomb: bool,
}

impl Poolable for Secret {
    fn reset(&mut self) {}
    fn wipe(&mut self) {
        self.wipes.fetch_add(1, SeqCst);
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        if self.bomb && !thread::panicking() {
            panic!("a drop that panics");
        }
    }
}

/// Five values in the pool, the second of which panics when dropped.
fn five_secrets(wipes: &Arc<AtomicUsize>) -> Pool<Secret> {
    let w = Arc::clone(wipes);
    let pool = Pool::new(move || Secret {
        wipes: Arc::clone(&w),
        bomb: false,
    });
    let mut held: Vec<_> = (0..5).map(|_| pool.get()).collect();
    held[1].bomb = true;
    drop(held);
    pool
}

#[test]
fn a_drop_that_panics_during_clear_leaves_the_rest_of_the_batch_wiped() {
    let _serial = serial();
    let wipes = Arc::new(AtomicUsize::new(0));
    let pool = five_secrets(&wipes);
    let cleared = catch_unwind(AssertUnwindSafe(|| pool.clear()));
    assert!(cleared.is_err(), "the drop's panic goes on to the caller");
    assert_eq!(wipes.load(SeqCst), 5, "every value wiped");
    assert_eq!(pool.stats().retained, 0);
}

#[test]
fn a_drop_that_panics_when_the_pool_is_dropped_leaves_the_rest_wiped() {
    let _serial = serial();
    let wipes = Arc::new(AtomicUsize::new(0));
    let pool = five_secrets(&wipes);
    assert!(catch_unwind(AssertUnwindSafe(|| drop(pool))).is_err());
    assert_eq!(wipes.load(SeqCst), 5, "every value wiped");
}

#[test]
fn a_drop_that_panics_during_trim_all_leaves_other_pools_trimmed() {
    let _serial = serial();
    let wipes = Arc::new(AtomicUsize::new(0));
    let bad = five_secrets(&wipes);
    let good = Pool::new(String::new);
    drop((good.get(), good.get()));
    pool_runtime::trim_all();
    let second = catch_unwind(AssertUnwindSafe(pool_runtime::trim_all));
    assert!(second.is_err());
    assert_eq!(wipes.load(SeqCst), 5);
    assert_eq!((bad.stats().retained, good.stats().retained), (0, 0));
}
