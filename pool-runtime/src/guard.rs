//! A value's way out and back: [`Pool::get`] and [`Pool::get_owned`], and
//! the guards that put the value back when dropped, [`Pooled`] and
//! [`OwnedPooled`].

use crate::inner::Inner;
use crate::per_thread::Home;
use crate::pool::Pool;
use crate::poolable::Poolable;
use crate::sync::Arc;
use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use core::panic::Location;

impl<T: Poolable + 'static> Pool<T> {
    /// A value from this thread's stash, else the shared tier, else the
    /// factory; in its reset state either way (a value from the factory is
    /// reset once when made). The guard puts it back when dropped.
    ///
    /// ```
    /// let pool = pool_runtime::Pool::new(String::new);
    /// let mut s = pool.get();
    /// s.push_str("scratch");
    /// drop(s);
    /// assert_eq!(*pool.get(), "");
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn get(&self) -> Pooled<'_, T> {
        let (value, home) = self.inner().take(Location::caller());
        Pooled::new(value, home, self.inner())
    }

    /// Like [`get`](Pool::get), for a pool in an `Arc`: the guard holds the
    /// `Arc` and is `'static` (and `Send` when `T` is), so it can live in a
    /// spawned task or thread.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let pool = Arc::new(pool_runtime::Pool::new(Vec::<u8>::new));
    /// let mut buf = pool.get_owned();
    /// std::thread::spawn(move || buf.push(1)).join().unwrap();
    /// assert_eq!(pool.stats().returned, 1);
    /// ```
    #[inline]
    #[track_caller]
    pub fn get_owned(self: &Arc<Self>) -> OwnedPooled<T> {
        let (value, home) = self.inner().take(Location::caller());
        OwnedPooled::new(value, home, Arc::clone(self))
    }
}

/// A value checked out of a [`Pool`], borrowed from it. Derefs to the value;
/// dropping it returns the value (cap check, reset, then a stash or the
/// shared tier). From [`Pool::get`].
///
/// It is `Send` when `T` is: dropped on another thread, the value goes to
/// that thread's stash.
///
/// ```
/// use pool_runtime::{Pool, Pooled};
///
/// let pool = Pool::new(|| String::with_capacity(64));
/// let mut s: Pooled<'_, String> = pool.get();
/// s.push_str("hello");
/// assert_eq!(s.len(), 5);
/// drop(s); // back in the pool, emptied
/// ```
#[must_use = "dropping the guard at once returns the value unused"]
pub struct Pooled<'a, T: Poolable + 'static> {
    value: ManuallyDrop<T>,
    home: Option<Home<T>>,
    inner: &'a Inner<T>,
}

impl<'a, T: Poolable + 'static> Pooled<'a, T> {
    #[inline(always)]
    pub(crate) fn new(value: T, home: Option<Home<T>>, inner: &'a Inner<T>) -> Self {
        Pooled {
            value: ManuallyDrop::new(value),
            home,
            inner,
        }
    }

    /// Takes the value out of the pool for good: it will not come back.
    /// An associated function, so it cannot clash with a method of `T`.
    ///
    /// ```
    /// use pool_runtime::{Pool, Pooled};
    ///
    /// let pool = Pool::new(Vec::<u8>::new);
    /// let mut buf = pool.get();
    /// buf.extend_from_slice(b"reply");
    /// let reply: Vec<u8> = Pooled::detach(buf); // escapes: not reset, not returned
    /// assert_eq!(reply, b"reply");
    /// assert_eq!(pool.stats().detached, 1);
    /// ```
    #[inline]
    pub fn detach(guard: Self) -> T {
        let mut guard = ManuallyDrop::new(guard);
        guard.inner.detached(guard.home);
        // SAFETY: `guard` is never dropped, so its value is taken exactly once.
        unsafe { ManuallyDrop::take(&mut guard.value) }
    }
}

impl<T: Poolable + 'static> Drop for Pooled<'_, T> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: `drop` runs once, and `detach` (the only other taker)
        // forgets the guard instead of dropping it.
        let value = unsafe { ManuallyDrop::take(&mut self.value) };
        self.inner.give_back(value, self.home);
    }
}

/// A value checked out of a pool in an `Arc`; holds the `Arc`, so it is
/// `'static`, and `Send` when `T` is: for spawned tasks and threads. From
/// [`Pool::get_owned`].
///
/// ```
/// use std::sync::Arc;
/// use pool_runtime::{OwnedPooled, Pool};
///
/// let pool = Arc::new(Pool::new(Vec::<u64>::new));
/// let mut v: OwnedPooled<Vec<u64>> = pool.get_owned();
/// let sum = std::thread::spawn(move || {
///     v.extend([1, 2, 3]);
///     v.iter().sum::<u64>()
/// })
/// .join()
/// .unwrap();
/// assert_eq!(sum, 6);
/// assert_eq!(pool.stats().retained, 1);
/// ```
#[must_use = "dropping the guard at once returns the value unused"]
pub struct OwnedPooled<T: Poolable + 'static> {
    value: ManuallyDrop<T>,
    /// Where the value was taken, as for `Pooled`: valid while `pool` lives.
    home: Option<Home<T>>,
    pool: Arc<Pool<T>>,
}

impl<T: Poolable + 'static> OwnedPooled<T> {
    #[inline(always)]
    pub(crate) fn new(value: T, home: Option<Home<T>>, pool: Arc<Pool<T>>) -> Self {
        OwnedPooled {
            value: ManuallyDrop::new(value),
            home,
            pool,
        }
    }

    /// Takes the value out of the pool for good.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use pool_runtime::{OwnedPooled, Pool};
    ///
    /// let pool = Arc::new(Pool::new(String::new));
    /// let mut s = pool.get_owned();
    /// s.push_str("kept");
    /// let s: String = OwnedPooled::detach(s);
    /// assert_eq!(s, "kept");
    /// ```
    #[inline]
    pub fn detach(guard: Self) -> T {
        let mut guard = ManuallyDrop::new(guard);
        guard.pool.inner().detached(guard.home);
        // SAFETY: `guard` is never dropped, so its value is taken exactly once.
        let value = unsafe { ManuallyDrop::take(&mut guard.value) };
        // SAFETY: the same for the `Arc`, which is released here.
        drop(unsafe { core::ptr::read(&guard.pool) });
        value
    }

    /// The pool the value returns to.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let pool = Arc::new(pool_runtime::Pool::new(String::new));
    /// let s = pool.get_owned();
    /// assert!(Arc::ptr_eq(pool_runtime::OwnedPooled::pool(&s), &pool));
    /// ```
    pub fn pool(guard: &Self) -> &Arc<Pool<T>> {
        &guard.pool
    }
}

impl<T: Poolable + 'static> Drop for OwnedPooled<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `drop` runs once, and `detach` forgets the guard instead.
        let value = unsafe { ManuallyDrop::take(&mut self.value) };
        self.pool.inner().give_back(value, self.home);
    }
}

macro_rules! guard_traits {
    ($($guard:ident $(<$lt:lifetime>)?),*) => {$(
        impl<$($lt,)? T: Poolable + 'static> Deref for $guard<$($lt,)? T> {
            type Target = T;
            #[inline(always)]
            fn deref(&self) -> &T {
                &self.value
            }
        }

        impl<$($lt,)? T: Poolable + 'static> DerefMut for $guard<$($lt,)? T> {
            #[inline(always)]
            fn deref_mut(&mut self) -> &mut T {
                &mut self.value
            }
        }

        impl<$($lt,)? T: Poolable + 'static> AsRef<T> for $guard<$($lt,)? T> {
            fn as_ref(&self) -> &T {
                &self.value
            }
        }

        impl<$($lt,)? T: Poolable + 'static> AsMut<T> for $guard<$($lt,)? T> {
            fn as_mut(&mut self) -> &mut T {
                &mut self.value
            }
        }

        impl<$($lt,)? T: Poolable + fmt::Debug + 'static> fmt::Debug for $guard<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.value, f)
            }
        }
    )*};
}

guard_traits!(Pooled<'a>, OwnedPooled);
