//! [`spawn_trimmer`]: memory that comes back on its own, from a background
//! thread that calls [`trim_all`] on a timer.

use crate::registry::trim_all;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The handle of a background trimmer: it runs until this is dropped.
///
/// Made by [`spawn_trimmer`]. Dropping it stops the thread and waits for
/// it (at most the one `trim_all` it may be in the middle of).
#[must_use = "the trimmer stops when its handle is dropped"]
pub struct Trimmer {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

/// Starts a thread that calls [`trim_all`] every `period`, until the
/// returned [`Trimmer`] is dropped; with the `metrics` feature, it calls
/// `publish_metrics()` after each trim too.
///
/// What a burst leaves behind is freed within two periods (the first trim
/// marks it idle, the second frees it), on every thread, without any
/// thread's help: the pool's answer to Go's `sync.Pool`, which the garbage
/// collector empties every two cycles. Nothing runs in the background
/// unless a trimmer is started; a pool nobody trims keeps what it keeps
/// (within its limits, and its own automatic trimming as it is used).
///
/// A trim costs the trimmer a lock per pool and, per thread that keeps
/// values in a pool, a lock and one process-wide memory barrier
/// (`membarrier` on Linux). The threads that use the pools take no lock
/// for it: one in the middle of a get or return makes the trimmer wait
/// until it is done, and a thread whose stash was trimmed takes the slow
/// path once, at its next get or return. A value's drop that panics
/// during a trim is caught, and the trimmer goes on.
///
/// In an async program, a task does the same without a thread of its own:
///
/// ```ignore
/// tokio::spawn(async {
///     let mut every = tokio::time::interval(std::time::Duration::from_secs(10));
///     loop {
///         every.tick().await;
///         tokio::task::spawn_blocking(pool_runtime::trim_all);
///     }
/// });
/// ```
///
/// ```
/// use std::time::Duration;
/// use pool_runtime::Pool;
///
/// let pool = std::sync::Arc::new(Pool::new(|| vec![0u8; 1 << 16]));
/// let trimmer = pool_runtime::spawn_trimmer(Duration::from_millis(10));
/// let p = pool.clone();
/// std::thread::spawn(move || drop(p.get())).join().unwrap(); // a worker's burst
/// while pool.stats().retained > 0 {
///     std::thread::sleep(Duration::from_millis(5)); // freed within two periods
/// }
/// drop(trimmer);
/// ```
pub fn spawn_trimmer(period: Duration) -> Trimmer {
    let stop = Arc::new((Mutex::new(false), Condvar::new()));
    let theirs = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("pool-runtime-trimmer".into())
        .spawn(move || run(&theirs, period))
        .expect("pool_runtime::spawn_trimmer: the OS refused a thread");
    Trimmer {
        stop,
        thread: Some(thread),
    }
}

fn run(stop: &(Mutex<bool>, Condvar), period: Duration) {
    let (stopped, wake) = stop;
    let mut guard = stopped.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        let (g, _) = wake
            .wait_timeout_while(guard, period, |stopped| !*stopped)
            .unwrap_or_else(|p| p.into_inner());
        if *g {
            return;
        }
        // Unlocked while trimming: `drop(Trimmer)` is never kept waiting
        // behind the values' drops for longer than this one pass.
        drop(g);
        // A panicking drop was caught by `trim_all` for the other pools;
        // the trimmer itself goes on.
        let _ = std::panic::catch_unwind(trim_all);
        // With the `metrics` feature, the named pools' stats after the trim
        // (a panicking recorder is the program's: the trimmer goes on).
        #[cfg(feature = "metrics")]
        let _ = std::panic::catch_unwind(crate::publish_metrics);
        guard = stopped.lock().unwrap_or_else(|p| p.into_inner());
    }
}

impl Drop for Trimmer {
    fn drop(&mut self) {
        let (stopped, wake) = &*self.stop;
        *stopped.lock().unwrap_or_else(|p| p.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            // Its own panics are caught: a join error cannot happen, and
            // would have nothing to report.
            let _ = thread.join();
        }
    }
}

impl core::fmt::Debug for Trimmer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Trimmer").finish_non_exhaustive()
    }
}
