//! Pooled buffers for the `bytes` crate (feature `bytes`): `BytesMut` is
//! poolable, and a pooled buffer becomes a `Bytes` without a copy.
//!
//! A buffer that must outlive the function that filled it is where Go's
//! pooling gives up ("copy it out, or it escapes"): `sync.Pool` cannot know
//! when the last reader is done. Here the `Bytes` owns the guard, and when
//! its last clone drops the guard drops, so the buffer takes the normal
//! return path (cap checks, reset, a stash).

use crate::byte_view::ByteView;
use crate::capacity::Capacity;
use crate::guard::{OwnedPooled, Pooled};
use crate::poolable::Poolable;
use bytes::{Bytes, BytesMut};

/// `clear` keeps the capacity; the buffer retains its capacity in bytes.
///
/// A `BytesMut` split with `split_to`/`split_off` or frozen shares its
/// allocation with the parts it gave away: what it retains then is its own
/// part, and the allocation is only reused whole once those parts are gone.
///
/// ```
/// use bytes::{BufMut, BytesMut};
/// use pool_runtime::Pool;
///
/// let pool = Pool::new(|| BytesMut::with_capacity(4096));
/// let mut b = pool.get();
/// b.put_slice(b"frame");
/// drop(b);
/// let b = pool.get();
/// assert!(b.is_empty() && b.capacity() >= 4096);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl Poolable for BytesMut {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }

    #[inline]
    fn retained_bytes(&self) -> usize {
        self.capacity()
    }

    #[inline]
    fn used_bytes(&self) -> usize {
        self.len()
    }

    fn poison_spare(&mut self) {
        for byte in self.spare_capacity_mut() {
            byte.write(crate::POISON);
        }
    }
}

/// Capacity in bytes, for `#[pool(cap = …)]` and `shrink` on a `BytesMut`
/// field. `BytesMut` cannot shrink in place, so `shrink_to` moves the
/// contents to a new buffer of the asked capacity (never below the length).
///
/// ```
/// use bytes::BytesMut;
/// use pool_runtime::Poolable;
///
/// #[derive(Poolable, Default)]
/// struct Frame {
///     #[pool(cap = 64 * 1024, shrink)]
///     buf: BytesMut,
/// }
///
/// let mut f = Frame::default();
/// f.buf.reserve(1 << 20);
/// f.reset();
/// assert!(f.buf.capacity() <= 64 * 1024);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl Capacity for BytesMut {
    #[inline]
    fn capacity(&self) -> usize {
        BytesMut::capacity(self)
    }

    fn shrink_to(&mut self, n: usize) {
        if BytesMut::capacity(self) > n.max(self.len()) {
            let mut smaller = BytesMut::with_capacity(n.max(self.len()));
            smaller.extend_from_slice(self);
            *self = smaller;
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl ByteView for BytesMut {
    #[inline]
    fn byte_view(&self) -> &[u8] {
        self
    }
}

/// The owner a `Bytes` keeps: the guard, read as bytes.
pub(crate) struct GuardOwner<G>(pub(crate) G);

impl<G: AsRef<[u8]>> AsRef<[u8]> for GuardOwner<G> {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.0.as_ref()
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl<T: ByteView + Send + 'static> OwnedPooled<T> {
    /// The pooled buffer as a `Bytes`, without copying it: clones share it,
    /// and when the last one drops the value goes back to the pool the
    /// normal way (cap checks, reset, this thread's stash). An associated
    /// function, like [`OwnedPooled::detach`], so it never shadows a method
    /// of `T`.
    ///
    /// It costs one small allocation (the `Bytes`'s shared owner: 56 bytes
    /// on x86-64, whatever the buffer's length), against a copy, which
    /// allocates the whole length and writes it. For a 4 KiB reply,
    /// `cargo bench --bench escape` measured 128 ns and one 56-byte
    /// allocation per reply this way, against 300 ns and 4096 bytes for
    /// `Bytes::copy_from_slice` out of a pooled buffer (one run, medians).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use bytes::Bytes;
    /// use pool_runtime::{OwnedPooled, Pool};
    ///
    /// let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(4096)));
    /// let mut buf = pool.get_owned();
    /// buf.extend_from_slice(b"HTTP/1.1 200 OK\r\n");
    /// let at = buf.as_ptr();
    /// let reply: Bytes = OwnedPooled::into_bytes(buf);
    /// let copy = reply.clone();
    /// std::thread::spawn(move || assert_eq!(&copy[..4], b"HTTP")).join().unwrap();
    /// assert_eq!(reply.as_ptr(), at);     // the pooled buffer itself
    /// assert_eq!(pool.stats().retained, 0);
    /// drop(reply);                        // the last clone: back to the pool
    /// assert_eq!(pool.stats().retained, 1);
    /// ```
    pub fn into_bytes(guard: Self) -> Bytes {
        Bytes::from_owner(GuardOwner(guard))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl<T: ByteView + Send + 'static> Pooled<'static, T> {
    /// [`OwnedPooled::into_bytes`] for a guard of a global pool
    /// (`#[pool(global)]`, [`GlobalPool`](crate::GlobalPool)).
    ///
    /// ```
    /// use pool_runtime::{GlobalPool, Pooled, Poolable};
    ///
    /// #[derive(Poolable, Default)]
    /// #[pool(global)]
    /// struct Line(Vec<u8>);
    /// impl pool_runtime::ByteView for Line {
    ///     fn byte_view(&self) -> &[u8] { &self.0 }
    /// }
    ///
    /// let mut line = Line::checkout();
    /// line.0.extend_from_slice(b"ok\n");
    /// let bytes = Pooled::into_bytes(line);
    /// assert_eq!(&bytes[..], b"ok\n");
    /// ```
    pub fn into_bytes(guard: Self) -> Bytes {
        Bytes::from_owner(GuardOwner(guard))
    }
}

#[cfg(test)]
mod tests {
    use crate::{OwnedPooled, Pool};
    use std::sync::Arc;

    /// `Vec::from` copies the bytes out and drops the owner, the guard: the
    /// value comes back. bytes 1.9 and 1.10.0 never dropped it
    /// (tokio-rs/bytes#773). `tests/bytes.rs` checks the same; this one is
    /// here for the minimal-versions check of `.ci/promises`, which tests
    /// the library crates alone.
    #[test]
    fn a_vec_from_the_bytes_returns_the_value() {
        let pool = Arc::new(Pool::new(Vec::<u8>::new));
        let mut buf = pool.get_owned();
        buf.extend_from_slice(b"copied out");
        let copy = Vec::from(OwnedPooled::into_bytes(buf));
        assert_eq!(copy, b"copied out");
        let s = pool.stats();
        assert_eq!((s.returned, s.out), (1, 0), "{s:?}");
    }
}
