//! The builder's switches for checking the code that uses a pool, for
//! tests and debug builds: every reset audited (whole, or field by field),
//! a seeded chaos mode, and sampled checkouts to find guards never
//! returned.

use super::PoolBuilder;
use crate::audit::AuditFields;
use crate::checks::{audit_by_eq, audit_by_field, Chaos};
use crate::outstanding::Tracker;
use crate::poolable::Poolable;

impl<T: Poolable + 'static> PoolBuilder<T> {
    /// Verifies every reset, for tests and debug builds: each value that
    /// comes back is compared, after its reset, with a fresh value from the
    /// factory (as the pool would hand it out), and if they differ the
    /// value is dropped and the guard's drop panics, naming both. The check
    /// runs on the return, not on the next `get`, so the panic points at the
    /// code that used the value and at the moment its reset ran; a guard
    /// dropped while its thread is already unwinding only drops the value
    /// (a second panic would abort).
    ///
    /// It compares with `PartialEq`: contents, not capacity (a `Vec` that
    /// kept its buffer equals an empty one). Every field is compared,
    /// `#[pool(skip)]` ones too, since a fresh value is the contract. It
    /// costs a factory call and a comparison per return, so leave it out of
    /// production builds.
    ///
    /// ```should_panic
    /// use pool_runtime::{Pool, Poolable};
    ///
    /// #[derive(Poolable, Default, PartialEq, Debug)]
    /// struct Request {
    ///     path: String,
    ///     #[pool(reset_with = clear_nothing)] // the planted bug
    ///     limit: u32,
    /// }
    /// fn clear_nothing(_: &mut u32) {}
    ///
    /// let pool = Pool::builder(Request::default).audit_reset().build();
    /// let mut r = pool.get();
    /// r.limit = 16;
    /// drop(r); // panics: "… after reset: Request { path: "", limit: 16 } …"
    /// ```
    pub fn audit_reset(mut self) -> Self
    where
        T: PartialEq + core::fmt::Debug,
    {
        self.checks.audit = Some(audit_by_eq());
        self
    }

    /// [`audit_reset`](Self::audit_reset), field by field: the panic names
    /// the first field that differs, through nested structs, as in
    /// `` `Request.head.limit` after reset is 16, a fresh value has 0 ``.
    /// For a type that derives `Poolable` with `#[pool(audit)]`, which
    /// implements [`AuditFields`]; fields of std types compare whole
    /// (`PartialEq`), nested `#[pool(audit)]` structs field by field, and a
    /// field type with a hand-written `Poolable` needs an `AuditFields`
    /// impl of its own ([`Difference::compare`](crate::Difference::compare)
    /// is one line). `skip` fields are compared too: a fresh value is the
    /// contract. Panics where `audit_reset` does, for the same reasons.
    ///
    /// ```should_panic
    /// use pool_runtime::{Pool, Poolable};
    ///
    /// #[derive(Poolable, Default, Debug)]
    /// #[pool(audit)]
    /// struct Request {
    ///     path: String,
    ///     head: Head,
    /// }
    ///
    /// #[derive(Poolable, Default, Debug)]
    /// #[pool(audit)]
    /// struct Head {
    ///     #[pool(reset_with = clear_nothing)] // the planted bug
    ///     limit: u32,
    /// }
    /// fn clear_nothing(_: &mut u32) {}
    ///
    /// let pool = Pool::builder(Request::default).audit_fields().build();
    /// pool.get().head.limit = 16;
    /// // panicked: "pool audit: `Request.head.limit` after reset is 16, a fresh value has 0"
    /// ```
    pub fn audit_fields(mut self) -> Self
    where
        T: AuditFields,
    {
        self.checks.audit = Some(audit_by_field());
        self
    }

    /// A seeded chaos mode, for tests: about one return in four is dropped
    /// instead of kept, values come back out in a random order (no thread
    /// keeps a stash of its own, so every get goes to the shared tier), one
    /// get in four calls the factory although a value was there, and the
    /// spare capacity of what is kept is overwritten with
    /// [`POISON`](crate::POISON) ([`Poolable::poison_spare`]). Code that
    /// relies on getting back the value it returned, or on a buffer's stale
    /// bytes, fails under it. The same seed makes the same decisions for the
    /// same sequence of operations on one thread, so a failure replays;
    /// [`Pool::chaos_seed`](crate::Pool::chaos_seed) says which seed a pool runs with. What it drops
    /// is counted in `Stats` as `dropped_full`, what it makes as `created`.
    ///
    /// To turn it on for every pool of a test run without touching code, set
    /// `POOL_RUNTIME_CHAOS=<seed>` in the environment ([`CHAOS_ENV`](crate::CHAOS_ENV)):
    /// every pool built without a seed of its own then uses that one. A
    /// value that is not a whole number makes the first pool's build panic,
    /// naming the variable: a typo must not quietly leave chaos off.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(Vec::<u8>::new).chaos(7).build();
    /// for _ in 0..100 {
    ///     drop(pool.get());
    /// }
    /// let s = pool.stats();
    /// assert!(s.dropped_full > 0 && s.created > 1, "{s:?}");
    /// assert_eq!(pool.chaos_seed(), Some(7));
    /// ```
    pub fn chaos(mut self, seed: u64) -> Self {
        self.checks.chaos = Some(Chaos::new(seed));
        self
    }

    /// Samples checkouts, to find guards that are never returned: one
    /// checkout in `sample_every` records where it was made (the caller of
    /// [`get`](crate::Pool::get), [`get_owned`](crate::Pool::get_owned) or
    /// [`checkout`](crate::GlobalPool::checkout)) and when, and
    /// [`Pool::outstanding`](crate::Pool::outstanding) lists the sampled guards still out, oldest
    /// first. A guard leaked with `mem::forget`, or held by a task that never
    /// ends, stays on that list; `Stats::out` counts every guard out, sampled
    /// or not. `0` is taken as `1` (every checkout).
    ///
    /// Guards that are not sampled cost what they always do: the fast get
    /// comes to the slow path one time in `sample_every` through a
    /// comparison it makes anyway, and only a sampled guard's return leaves
    /// the inline path. A sample costs a lock, a clock read and a map
    /// insert, and its return the same again.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::builder(String::new)
    ///     .track_outstanding(1)
    ///     .build();
    /// let kept = pool.get();
    /// std::mem::forget(pool.get()); // the leak
    /// drop(kept);
    /// let out = pool.outstanding();
    /// assert_eq!(out.len(), 1);
    /// assert_eq!(out[0].location().file(), file!());
    /// assert_eq!(pool.stats().out, 1);
    /// ```
    pub fn track_outstanding(mut self, sample_every: u64) -> Self {
        self.checks.track = Some(Tracker::new(sample_every));
        self
    }
}
