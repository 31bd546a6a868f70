//! The one place that chooses between std and loom primitives.
//!
//! Everything in the runtime that two threads can touch goes through these
//! names, so `RUSTFLAGS="--cfg loom"` model-checks the same code that ships.
//! `Arc`/`Weak` stay std's under loom: loom has no `Weak`, and their own
//! correctness is std's business, not this crate's.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{fence, AtomicPtr, AtomicU64, AtomicUsize, Ordering};

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicPtr, AtomicU64, AtomicUsize, Ordering};

#[cfg(loom)]
pub(crate) use loom::thread::yield_now;
/// Lets another thread run while this one waits for it (a reclaimer
/// waiting for an owner to leave its fast span: loom must see the wait).
#[cfg(not(loom))]
pub(crate) use std::thread::yield_now;

pub(crate) use std::sync::{Arc, Weak};

/// A mutex that ignores poisoning. The runtime never runs user code (reset,
/// drop, factory) while holding one, so a poisoned lock can only come from a
/// bug here, and the data it guards is valid at every unlock anyway.
#[derive(Debug, Default)]
pub(crate) struct Mutex<T>(
    #[cfg(not(loom))] std::sync::Mutex<T>,
    #[cfg(loom)] loom::sync::Mutex<T>,
);

#[cfg(not(loom))]
pub(crate) type MutexGuard<'a, T> = std::sync::MutexGuard<'a, T>;
#[cfg(loom)]
pub(crate) type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

impl<T> Mutex<T> {
    pub(crate) fn new(value: T) -> Self {
        #[cfg(not(loom))]
        return Mutex(std::sync::Mutex::new(value));
        #[cfg(loom)]
        return Mutex(loom::sync::Mutex::new(value));
    }

    #[inline]
    pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// `UnsafeCell` with loom's closure API; under std the closures compile away.
#[cfg(not(loom))]
#[derive(Debug, Default)]
pub(crate) struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    pub(crate) fn new(value: T) -> Self {
        UnsafeCell(core::cell::UnsafeCell::new(value))
    }

    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

#[cfg(loom)]
pub(crate) use loom::cell::UnsafeCell;

/// `thread_local!` with a `const` initialiser under std (no lazy-init check on
/// the fast path) and without it under loom, which does not support `const {}`.
macro_rules! fast_thread_local {
    ($(#[$attr:meta])* static $name:ident: $t:ty = const { $init:expr };) => {
        #[cfg(not(loom))]
        ::std::thread_local! { $(#[$attr])* static $name: $t = const { $init }; }
        #[cfg(loom)]
        ::loom::thread_local! { $(#[$attr])* static $name: $t = $init; }
    };
}
pub(crate) use fast_thread_local;

/// The lazily initialised thread-locals; loom needs its own to model the
/// destructors that run at thread exit.
macro_rules! lazy_thread_local {
    ($(#[$attr:meta])* static $name:ident: $t:ty = $init:expr;) => {
        #[cfg(not(loom))]
        ::std::thread_local! { $(#[$attr])* static $name: $t = $init; }
        #[cfg(loom)]
        ::loom::thread_local! { $(#[$attr])* static $name: $t = $init; }
    };
}
pub(crate) use lazy_thread_local;

/// A value on cache lines of its own (two lines: adjacent-line prefetch
/// pairs them on x86), so that writes to it do not slow down readers of its
/// neighbours.
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct CachePadded<T>(pub(crate) T);

impl<T> core::ops::Deref for CachePadded<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}
