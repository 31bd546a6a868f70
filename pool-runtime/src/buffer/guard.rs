//! The guards of a [`BufferPool`](super::BufferPool): a class's own guard,
//! and the class it was taken from, so that its drop can tell whether the
//! buffer still fits there.

use super::Classes;
use crate::guard::{OwnedPooled, Pooled};
use crate::sync::Arc;
use core::borrow::{Borrow, BorrowMut};
use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use std::io;

/// A buffer checked out of a [`BufferPool`](super::BufferPool) with
/// [`get`](super::BufferPool::get): an empty `Vec<u8>` with at least the
/// capacity asked for. On drop it is cleared (and wiped, for a pool built
/// with [`zeroize`](super::BufferPoolBuilder::zeroize)) and goes back to
/// the class its capacity fits then.
///
/// It dereferences to `Vec<u8>`, and is an `io::Write`, `AsRef<[u8]>` and
/// `Borrow<Vec<u8>>` as a [`Pooled`] is; `Buffer<'static>` (from
/// [`BufferPool::global`](super::BufferPool::global)) has `into_bytes`
/// (feature `bytes`) and makes a `PooledBody` (feature `http-body`).
///
/// ```
/// use std::io::Write;
///
/// let pool = pool_runtime::BufferPool::new();
/// let mut out = pool.get(1024);
/// write!(out, "{} + {} = {}", 1, 2, 1 + 2).unwrap();
/// assert_eq!(&out[..], b"1 + 2 = 3");
/// ```
#[must_use = "dropping the guard at once returns the buffer unused"]
pub struct Buffer<'a> {
    guard: ManuallyDrop<Pooled<'a, Vec<u8>>>,
    classes: &'a Classes,
    class: usize,
}

/// [`Buffer`], holding a handle on its pool: `'static` and `Send`, for
/// spawned tasks and threads. From
/// [`BufferPool::get_owned`](super::BufferPool::get_owned); it has
/// `into_bytes` (feature `bytes`) and makes a `PooledBody` (feature
/// `http-body`), as an [`OwnedPooled<Vec<u8>>`](OwnedPooled) does.
///
/// ```
/// let pool = pool_runtime::BufferPool::new();
/// let mut buf = pool.get_owned(100);
/// std::thread::spawn(move || buf.extend_from_slice(b"sent")).join().unwrap();
/// assert_eq!(pool.stats().returned, 1);
/// ```
#[must_use = "dropping the guard at once returns the buffer unused"]
pub struct OwnedBuffer {
    guard: ManuallyDrop<OwnedPooled<Vec<u8>>>,
    classes: Arc<Classes>,
    class: usize,
}

impl<'a> Buffer<'a> {
    #[inline(always)]
    pub(super) fn new(guard: Pooled<'a, Vec<u8>>, classes: &'a Classes, class: usize) -> Self {
        Buffer {
            guard: ManuallyDrop::new(guard),
            classes,
            class,
        }
    }

    /// Takes the buffer out of the pool for good: it is not cleared, and
    /// does not come back (counted as `detached`). An associated
    /// function, so it never shadows a method of `Vec<u8>`.
    ///
    /// ```
    /// use pool_runtime::{Buffer, BufferPool};
    ///
    /// let pool = BufferPool::new();
    /// let mut b = pool.get(64);
    /// b.extend_from_slice(b"kept");
    /// let kept: Vec<u8> = Buffer::detach(b);
    /// assert_eq!(kept, b"kept");
    /// assert_eq!(pool.stats().detached, 1);
    /// ```
    pub fn detach(guard: Self) -> Vec<u8> {
        let mut guard = ManuallyDrop::new(guard);
        // SAFETY: `guard` is never dropped, so the class's guard is taken
        // exactly once.
        Pooled::detach(unsafe { ManuallyDrop::take(&mut guard.guard) })
    }
}

impl OwnedBuffer {
    #[inline(always)]
    pub(super) fn new(guard: OwnedPooled<Vec<u8>>, classes: Arc<Classes>, class: usize) -> Self {
        OwnedBuffer {
            guard: ManuallyDrop::new(guard),
            classes,
            class,
        }
    }

    /// Takes the buffer out of the pool for good, as [`Buffer::detach`].
    ///
    /// ```
    /// use pool_runtime::{BufferPool, OwnedBuffer};
    ///
    /// let pool = BufferPool::new();
    /// let kept: Vec<u8> = OwnedBuffer::detach(pool.get_owned(64));
    /// assert!(kept.capacity() >= 64);
    /// assert_eq!(pool.stats().detached, 1);
    /// ```
    pub fn detach(guard: Self) -> Vec<u8> {
        let mut guard = ManuallyDrop::new(guard);
        // SAFETY: `guard` is never dropped, so the class's guard is taken
        // exactly once.
        let class_guard = unsafe { ManuallyDrop::take(&mut guard.guard) };
        // SAFETY: the same for the handle on the classes, released here.
        drop(unsafe { core::ptr::read(&guard.classes) });
        OwnedPooled::detach(class_guard)
    }
}

impl Drop for Buffer<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `drop` runs once, and `detach` (the only other taker)
        // forgets the guard instead of dropping it.
        let guard = unsafe { ManuallyDrop::take(&mut self.guard) };
        self.classes.give_back(guard, self.class, Pooled::detach);
    }
}

impl Drop for OwnedBuffer {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: as for `Buffer`: `drop` runs once, `detach` forgets.
        let guard = unsafe { ManuallyDrop::take(&mut self.guard) };
        self.classes
            .give_back(guard, self.class, OwnedPooled::detach);
    }
}

macro_rules! buffer_traits {
    ($($guard:ident $(<$lt:lifetime>)?),*) => {$(
        impl$(<$lt>)? Deref for $guard$(<$lt>)? {
            type Target = Vec<u8>;
            #[inline(always)]
            fn deref(&self) -> &Vec<u8> {
                &self.guard
            }
        }

        impl$(<$lt>)? DerefMut for $guard$(<$lt>)? {
            #[inline(always)]
            fn deref_mut(&mut self) -> &mut Vec<u8> {
                &mut self.guard
            }
        }

        impl$(<$lt>)? AsRef<[u8]> for $guard$(<$lt>)? {
            #[inline]
            fn as_ref(&self) -> &[u8] {
                &self.guard
            }
        }

        impl$(<$lt>)? AsMut<[u8]> for $guard$(<$lt>)? {
            #[inline]
            fn as_mut(&mut self) -> &mut [u8] {
                &mut self.guard
            }
        }

        impl$(<$lt>)? Borrow<Vec<u8>> for $guard$(<$lt>)? {
            fn borrow(&self) -> &Vec<u8> {
                &self.guard
            }
        }

        impl$(<$lt>)? BorrowMut<Vec<u8>> for $guard$(<$lt>)? {
            fn borrow_mut(&mut self) -> &mut Vec<u8> {
                &mut self.guard
            }
        }

        impl$(<$lt>)? io::Write for $guard$(<$lt>)? {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.guard.extend_from_slice(buf);
                Ok(buf.len())
            }

            #[inline]
            fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
                self.guard.extend_from_slice(buf);
                Ok(())
            }

            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }

        impl$(<$lt>)? fmt::Debug for $guard$(<$lt>)? {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&**self.guard, f)
            }
        }
    )*};
}

buffer_traits!(Buffer<'a>, OwnedBuffer);

#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl OwnedBuffer {
    /// The buffer as a `bytes::Bytes`, without copying it, as
    /// [`OwnedPooled::into_bytes`] does: clones share it, and when the
    /// last one drops the buffer goes back to its class (wiped first, for
    /// a pool that zeroizes).
    ///
    /// ```
    /// use pool_runtime::{BufferPool, OwnedBuffer};
    ///
    /// let pool = BufferPool::new();
    /// let mut reply = pool.get_owned(2000);
    /// reply.extend_from_slice(b"HTTP/1.1 204 No Content\r\n\r\n");
    /// let bytes = OwnedBuffer::into_bytes(reply);
    /// let copy = bytes.clone();
    /// drop(bytes);
    /// assert_eq!(pool.stats().retained, 0);  // a clone still holds it
    /// drop(copy);
    /// assert_eq!(pool.stats().retained, 1);  // back in the 2 KiB class
    /// ```
    pub fn into_bytes(guard: Self) -> bytes::Bytes {
        bytes::Bytes::from_owner(crate::bytes::GuardOwner(guard))
    }
}

#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl Buffer<'static> {
    /// [`OwnedBuffer::into_bytes`] for a buffer of
    /// [`BufferPool::global`](super::BufferPool::global).
    ///
    /// ```
    /// use pool_runtime::{Buffer, BufferPool};
    ///
    /// let mut line = BufferPool::global().get(64);
    /// line.extend_from_slice(b"ok\n");
    /// assert_eq!(&Buffer::into_bytes(line)[..], b"ok\n");
    /// ```
    pub fn into_bytes(guard: Self) -> bytes::Bytes {
        bytes::Bytes::from_owner(crate::bytes::GuardOwner(guard))
    }
}
