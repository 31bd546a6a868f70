//! The guards fit std's traits: a guard of a writer is a writer, a guard of
//! bytes is bytes, a guard borrows as its value. Each impl forwards to the
//! value through `Deref`, and exists only where the value has the trait, so
//! code that used `&mut *guard` before still compiles and means the same.

use crate::byte_view::ByteView;
use crate::guard::{OwnedPooled, Pooled};
use crate::poolable::Poolable;
use core::borrow::{Borrow, BorrowMut};
use core::fmt;
use std::io;

macro_rules! std_traits {
    ($($guard:ident $(<$lt:lifetime>)?),*) => {$(
        /// A guard borrows as its value, as a `Box` does.
        ///
        /// ```
        /// use std::borrow::Borrow;
        /// let pool = pool_runtime::Pool::new(Vec::<u8>::new);
        /// fn len(v: impl Borrow<Vec<u8>>) -> usize { v.borrow().len() }
        /// let mut v = pool.get();
        /// v.push(1);
        /// assert_eq!(len(v), 1);
        /// ```
        impl<$($lt,)? T: Poolable + 'static> Borrow<T> for $guard<$($lt,)? T> {
            fn borrow(&self) -> &T {
                self
            }
        }

        /// ```
        /// use std::borrow::BorrowMut;
        /// let pool = pool_runtime::Pool::new(Vec::<u8>::new);
        /// fn fill(mut v: impl BorrowMut<Vec<u8>>) -> usize { v.borrow_mut().push(7); v.borrow_mut().len() }
        /// assert_eq!(fill(pool.get()), 1);
        /// ```
        impl<$($lt,)? T: Poolable + 'static> BorrowMut<T> for $guard<$($lt,)? T> {
            fn borrow_mut(&mut self) -> &mut T {
                self
            }
        }

        /// A guard of bytes is usable where `&[u8]` is expected
        /// (`Bytes::from_owner`, `write_all`, hashing, comparing).
        ///
        /// ```
        /// use std::io::Write;
        /// let pool = pool_runtime::Pool::new(Vec::<u8>::new);
        /// let mut reply = pool.get();
        /// reply.extend_from_slice(b"done");
        /// let mut out = Vec::new();
        /// out.write_all(reply.as_ref()).unwrap(); // `&[u8]` from the guard
        /// assert_eq!(out, b"done");
        /// ```
        impl<$($lt,)? T: ByteView + 'static> AsRef<[u8]> for $guard<$($lt,)? T> {
            #[inline]
            fn as_ref(&self) -> &[u8] {
                (**self).byte_view()
            }
        }

        /// A guard of a writer is a writer: `serde_json::to_writer(&mut guard, …)`,
        /// `io::copy(&mut src, &mut guard)`.
        ///
        /// ```
        /// use std::io::Write;
        /// let pool = pool_runtime::Pool::new(Vec::<u8>::new);
        /// let mut buf = pool.get();
        /// write!(buf, "{} {}", 200, "OK").unwrap();
        /// std::io::copy(&mut &b"!"[..], &mut buf).unwrap();
        /// assert_eq!(&buf[..], b"200 OK!");
        /// ```
        impl<$($lt,)? T: Poolable + io::Write + 'static> io::Write for $guard<$($lt,)? T> {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                (**self).write(buf)
            }
            #[inline]
            fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
                (**self).write_vectored(bufs)
            }
            #[inline]
            fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
                (**self).write_all(buf)
            }
            #[inline]
            fn flush(&mut self) -> io::Result<()> {
                (**self).flush()
            }
        }

        /// A guard of a text sink is one: `write!(guard, …)` on a pooled `String`.
        ///
        /// ```
        /// use std::fmt::Write;
        /// let pool = pool_runtime::Pool::new(String::new);
        /// let mut line = pool.get();
        /// write!(line, "{}={}", "k", 1).unwrap();
        /// assert_eq!(*line, "k=1");
        /// ```
        impl<$($lt,)? T: Poolable + fmt::Write + 'static> fmt::Write for $guard<$($lt,)? T> {
            #[inline]
            fn write_str(&mut self, s: &str) -> fmt::Result {
                (**self).write_str(s)
            }
            #[inline]
            fn write_char(&mut self, c: char) -> fmt::Result {
                (**self).write_char(c)
            }
        }
    )*};
}

std_traits!(Pooled<'a>, OwnedPooled);

/// A guard of a byte buffer reads and writes as one (feature `bytes`): a
/// pooled `BytesMut` can be handed to a codec or a `read_buf` as it is.
#[cfg(feature = "bytes")]
mod buf {
    use super::*;
    use bytes::buf::UninitSlice;
    use bytes::{Buf, BufMut};

    macro_rules! buf_traits {
        ($($guard:ident $(<$lt:lifetime>)?),*) => {$(
            /// ```
            /// use bytes::{Buf, BytesMut};
            /// let pool = pool_runtime::Pool::new(BytesMut::new);
            /// let mut b = pool.get();
            /// b.extend_from_slice(b"\x00\x2aok");
            /// assert_eq!(b.get_u16(), 42);    // read through the guard
            /// assert_eq!(b.chunk(), b"ok");
            /// ```
            impl<$($lt,)? T: Poolable + Buf + 'static> Buf for $guard<$($lt,)? T> {
                #[inline]
                fn remaining(&self) -> usize {
                    (**self).remaining()
                }
                #[inline]
                fn chunk(&self) -> &[u8] {
                    (**self).chunk()
                }
                #[inline]
                fn advance(&mut self, cnt: usize) {
                    (**self).advance(cnt)
                }
            }

            /// ```
            /// use bytes::{BufMut, BytesMut};
            /// let pool = pool_runtime::Pool::new(BytesMut::new);
            /// let mut b = pool.get();
            /// b.put_u16(42);                  // written through the guard
            /// b.put_slice(b"ok");
            /// assert_eq!(&b[..], b"\x00\x2aok");
            /// ```
            // SAFETY: every method forwards to the value's own `BufMut`,
            // which upholds the trait's contract (`chunk_mut` and
            // `remaining_mut` describe the same buffer `advance_mut` moves
            // through); the guard adds no state of its own.
            unsafe impl<$($lt,)? T: Poolable + BufMut + 'static> BufMut for $guard<$($lt,)? T> {
                #[inline]
                fn remaining_mut(&self) -> usize {
                    (**self).remaining_mut()
                }
                #[inline]
                unsafe fn advance_mut(&mut self, cnt: usize) {
                    // SAFETY: the caller's promise (the first `cnt` bytes of
                    // `chunk_mut` are initialised) is the value's, as
                    // `chunk_mut` is the value's.
                    unsafe { (**self).advance_mut(cnt) }
                }
                #[inline]
                fn chunk_mut(&mut self) -> &mut UninitSlice {
                    (**self).chunk_mut()
                }
            }
        )*};
    }

    buf_traits!(Pooled<'a>, OwnedPooled);
}
