//! Guards that are never returned: sampled tracking of where checkouts are
//! made (`PoolBuilder::track_outstanding`), and what `Pool::outstanding`
//! lists.
//!
//! A sampled checkout gets a guard whose home is a *ticket* instead of its
//! thread's slot: a home no thread can claim, so its return leaves the
//! inline path by the branch a guard dropped on another thread takes
//! anyway, and there the ticket is handed in for the real home. The guards
//! keep their size, and the fast path learns nothing new.
//!
//! Which checkouts are sampled: those served from a stash come to the slow
//! path one in `every`, because the pool lowers the stash's maintenance
//! mark (`fast_until`) to the next sample, a comparison the fast get makes anyway;
//! the others (misses, refills) are counted here, one in `every` sampled.

use crate::per_thread::Home;
use crate::sync::{AtomicU64, AtomicUsize, Mutex, Ordering::Relaxed};
use core::fmt;
use core::panic::Location;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A checkout that was sampled and whose guard is still out, from
/// [`Pool::outstanding`](crate::Pool::outstanding): where it was taken, and
/// how long ago.
///
/// ```
/// let pool = pool_runtime::Pool::builder(Vec::<u8>::new)
///     .track_outstanding(1)
///     .build();
/// let leaked = pool.get();
/// let out = pool.outstanding();
/// assert_eq!(out.len(), 1);
/// assert_eq!(out[0].location().file(), file!());
/// println!("{}", out[0]); // "taken at src/main.rs:5:18, out for 1.2µs"
/// # drop(leaked);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Outstanding {
    location: &'static Location<'static>,
    age: Duration,
}

impl Outstanding {
    /// Where the guard was taken: the caller of `get`, `get_owned` or
    /// `checkout`.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).track_outstanding(1).build();
    /// let (s, line) = (pool.get(), line!());
    /// assert_eq!(pool.outstanding()[0].location().line(), line);
    /// # drop(s);
    /// ```
    pub fn location(&self) -> &'static Location<'static> {
        self.location
    }

    /// How long the guard has been out, when `outstanding()` was called.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).track_outstanding(1).build();
    /// let s = pool.get();
    /// std::thread::sleep(std::time::Duration::from_millis(2));
    /// assert!(pool.outstanding()[0].age().as_millis() >= 2);
    /// # drop(s);
    /// ```
    pub fn age(&self) -> Duration {
        self.age
    }
}

impl fmt::Display for Outstanding {
    /// `taken at FILE:LINE:COLUMN, out for AGE`.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new).track_outstanding(1).build();
    /// let s = pool.get();
    /// assert!(pool.outstanding()[0].to_string().starts_with(&format!("taken at {}:", file!())));
    /// # drop(s);
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "taken at {}, out for {:.1?}", self.location, self.age)
    }
}

/// One sampled checkout still out.
struct Sample<T> {
    at: &'static Location<'static>,
    since: Instant,
    /// The home the guard would have had: it gets it back on return.
    home: Option<Home<T>>,
}

/// The samples of one pool.
pub(crate) struct Tracker<T> {
    every: u64,
    /// Slow-path checkouts so far: one in `every` is sampled.
    slow: AtomicU64,
    next: AtomicUsize,
    out: Mutex<HashMap<usize, Sample<T>>>,
}

impl<T> Tracker<T> {
    pub(crate) fn new(every: u64) -> Self {
        Tracker {
            every: every.max(1),
            slow: AtomicU64::new(0),
            next: AtomicUsize::new(0),
            out: Mutex::new(HashMap::new()),
        }
    }

    /// How many checkouts there are to one sample.
    pub(crate) fn every(&self) -> u64 {
        self.every
    }

    /// Whether a checkout on the slow path is sampled: always when the
    /// stash's mark sent it here (`stepped_aside`), else one in `every`.
    pub(crate) fn samples(&self, stepped_aside: bool) -> bool {
        stepped_aside || self.slow.fetch_add(1, Relaxed) % self.every == self.every - 1
    }

    /// Records a checkout made at `at`; the guard's home is then the ticket
    /// returned, and `home` waits here.
    #[cold]
    pub(crate) fn sample(&self, at: &'static Location<'static>, home: Option<Home<T>>) -> Home<T> {
        let id = self.next.fetch_add(1, Relaxed) & Home::<T>::TICKETS;
        let sample = Sample {
            at,
            since: Instant::now(),
            home,
        };
        {
            self.out.lock().insert(id, sample);
        }
        Home::ticket(id)
    }

    /// A guard with a ticket came back (or was detached): its sample ends,
    /// and its real home is returned.
    #[cold]
    pub(crate) fn end_sample(&self, ticket: usize) -> Option<Home<T>> {
        let sample = { self.out.lock().remove(&ticket) };
        sample.and_then(|s| s.home)
    }

    /// The samples still out, oldest first.
    pub(crate) fn outstanding(&self) -> Vec<Outstanding> {
        let now = Instant::now();
        let mut out: Vec<Outstanding> = {
            let samples = self.out.lock();
            samples
                .values()
                .map(|s| Outstanding {
                    location: s.at,
                    age: now.saturating_duration_since(s.since),
                })
                .collect()
        };
        out.sort_by_key(|o| core::cmp::Reverse(o.age));
        out
    }
}
