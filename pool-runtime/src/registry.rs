//! Every live pool of the process, for [`trim_all`]: a list of weak
//! handles that a pool joins when it is made and leaves when it is dropped.
//!
//! A pool may hold values that are not `Send` (an `Rc` inside): such a pool
//! is confined to the thread that made it, and trimming it elsewhere would
//! drop its values on the wrong thread. Nothing in a generic `Pool<T>` can
//! ask whether `T: Send`, but the pool can see the proof when it comes: a
//! second thread reaching the pool at all (a `&Pool` shared, a pool or guard
//! sent) needs `T: Send`. So an entry starts out confined to its creator,
//! and [`Registration::shared`] lifts that the first time another thread
//! keeps values in the pool. `trim_all` trims the shared pools, and the
//! confined pools of the thread that calls it.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, Weak};

/// What `trim_all` calls on each pool.
pub(crate) trait Trim {
    fn trim(&self);
}

/// A thread's serial number: unique for the life of the process (thread
/// ids of `per_thread/thread.rs` are reused, so they cannot say "the creator").
fn this_thread() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    std::thread_local! {
        static SERIAL: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
    }
    SERIAL
        .try_with(|s| {
            if s.get() == 0 {
                s.set(NEXT.fetch_add(1, Relaxed));
            }
            s.get()
        })
        // Past its thread-locals a thread can no longer be told apart: it
        // counts as no creator (0 is nobody's serial).
        .unwrap_or(0)
}

struct Entry {
    pool: Weak<dyn Trim>,
    /// The serial of the thread that made the pool, until another thread
    /// used it; `None` from then on.
    confined_to: Option<u64>,
}

// SAFETY: an entry's `Weak` is upgraded (and its pool trimmed, and
// possibly dropped through that upgrade) only on the thread it is confined
// to, or, once `confined_to` is `None`, on any thread: by then a second
// thread has reached the pool, which its `Send`/`Sync` impls allow only
// for `T: Send`. On any other thread an entry is only counted
// (`strong_count`, an atomic load) and dropped, which frees the weak
// count's allocation at most, never runs code of `T`.
unsafe impl Send for Entry {}

struct Registry {
    entries: Vec<Entry>,
    /// Entries whose pool was dropped since the last pruning.
    dead: usize,
}

impl Registry {
    /// Drops the entries of dropped pools when they are at least half the
    /// list, and the storage a crowd of dropped pools left.
    fn prune(&mut self) {
        if self.dead == 0 || self.dead < self.entries.len().div_ceil(2) {
            return;
        }
        keep_live(&mut self.entries, |e| e.pool.strong_count() > 0);
        self.dead = 0;
    }
}

/// Keeps the entries `live` accepts, and gives back the storage a crowd of
/// dropped pools left: the pruning of both process-wide lists of pools
/// (this registry, and `watch.rs`'s named pools).
pub(crate) fn keep_live<E>(entries: &mut Vec<E>, live: impl FnMut(&E) -> bool) {
    entries.retain(live);
    if entries.capacity() > 4 * entries.len().max(4) {
        entries.shrink_to(2 * entries.len());
    }
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    entries: Vec::new(),
    dead: 0,
});

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|p| p.into_inner())
}

/// A pool's place in the registry, held by the pool.
pub(crate) struct Registration {
    creator: u64,
    /// Lifted from `confined_to` already.
    shared: core::sync::atomic::AtomicBool,
}

impl Registration {
    /// Enters `pool` in the registry, confined to the calling thread.
    pub(crate) fn new(pool: Weak<dyn Trim>) -> Self {
        let creator = this_thread();
        let mut registry = registry();
        registry.entries.push(Entry {
            pool,
            confined_to: Some(creator),
        });
        Registration {
            creator,
            shared: core::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The calling thread keeps values in the pool: if it is not the
    /// creator, the pool is shared (and its values `Send`). `pool` is the
    /// pool's own weak handle, to find its entry.
    pub(crate) fn used_here(&self, pool: &Weak<dyn Trim>) {
        if self.shared.load(Relaxed) || this_thread() == self.creator {
            return;
        }
        self.lift(pool);
    }

    /// The pool's values are `Send`: any thread may trim it.
    pub(crate) fn lift(&self, pool: &Weak<dyn Trim>) {
        self.shared.store(true, Relaxed);
        let mut registry = registry();
        if let Some(e) = registry
            .entries
            .iter_mut()
            .find(|e| Weak::ptr_eq(&e.pool, pool))
        {
            e.confined_to = None;
        }
    }

    /// The pool is being dropped: its entry goes, with the others of
    /// dropped pools once they are half the list (amortized O(1)).
    pub(crate) fn dropped(&self) {
        let mut registry = registry();
        registry.dead += 1;
        registry.prune();
    }
}

/// Trims every live pool of the process: [`Pool::trim`](crate::Pool::trim)
/// on each, so that two calls with no use between free everything idle, on
/// every thread, as two garbage collections empty Go's `sync.Pool`.
///
/// It reaches every pool that more than one thread has kept values in,
/// every `#[pool(global)]` pool, and the pools the calling thread made. A
/// pool that only the thread that made it has used is left to that thread:
/// nothing proves its values may be dropped elsewhere (they may hold an
/// `Rc`). [`spawn_trimmer`](crate::spawn_trimmer) calls this on a timer.
///
/// A value whose drop panics does not stop the others: every pool is
/// trimmed, then the first panic goes on to the caller.
///
/// ```
/// use pool_runtime::Pool;
///
/// let bufs: Pool<Vec<u8>> = Pool::default();
/// let names: Pool<String> = Pool::default();
/// drop((bufs.get(), names.get()));
/// pool_runtime::trim_all();
/// pool_runtime::trim_all(); // idle since the last one: freed
/// assert_eq!(bufs.stats().retained + names.stats().retained, 0);
/// ```
pub fn trim_all() {
    let me = this_thread();
    let pools: Vec<Arc<dyn Trim>> = {
        let registry = registry();
        registry
            .entries
            .iter()
            .filter(|e| e.confined_to.is_none_or(|c| c == me && me != 0))
            .filter_map(|e| e.pool.upgrade())
            .collect()
    };
    let mut first_panic = None;
    for pool in pools {
        // The pool's last handle may be this one: its drop (values' drops)
        // runs here too, under the same catch.
        let trimmed = catch_unwind(AssertUnwindSafe(move || {
            pool.trim();
            drop(pool);
        }));
        if let Err(panic) = trimmed {
            first_panic.get_or_insert(panic);
        }
    }
    if let Some(panic) = first_panic {
        resume_unwind(panic);
    }
}
