//! [`PooledBody`] (feature `http-body`): an HTTP body written straight from
//! a pooled buffer. hyper writes the body from the buffer and drops it when
//! done, which returns the buffer to its pool: no copy and no allocation per
//! response.

use crate::buffer::{Buffer, OwnedBuffer};
use crate::byte_view::ByteView;
use crate::guard::{OwnedPooled, Pooled};
use bytes::Buf;
use core::convert::Infallible;
use core::pin::Pin;
use core::task::{Context, Poll};
use http_body::{Body, Frame, SizeHint};

/// A guard that can outlive the handler that filled it: a pool's, or a
/// `BufferPool`'s (whose values are `Vec<u8>`, whatever `T` says: only the
/// `From` impls for `PooledBody<Vec<u8>>` make those).
enum Held<T: ByteView + 'static> {
    Owned(OwnedPooled<T>),
    Global(Pooled<'static, T>),
    Buffer(OwnedBuffer),
    GlobalBuffer(Buffer<'static>),
}

impl<T: ByteView + 'static> Held<T> {
    /// The bytes the body sends.
    #[inline]
    fn byte_view(&self) -> &[u8] {
        match self {
            Held::Owned(g) => g.byte_view(),
            Held::Global(g) => g.byte_view(),
            Held::Buffer(b) => b,
            Held::GlobalBuffer(b) => b,
        }
    }
}

/// An `http_body::Body` of one data frame: the pooled buffer's bytes. Made
/// with `PooledBody::from(guard)` from an [`OwnedPooled`] (or a global
/// pool's `Pooled<'static, _>`) of any [`ByteView`] (`Vec<u8>`, `String`,
/// `BytesMut`, a struct of yours). The buffer goes back to its pool when the
/// server is done writing it, or when the body is dropped unsent.
///
/// For a framework whose body type is fixed to `Bytes` (axum's
/// `Body::new`), use [`OwnedPooled::into_bytes`] instead.
///
/// ```
/// use std::sync::Arc;
/// use http_body::Body;
/// use pool_runtime::{Pool, PooledBody};
///
/// let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(1024)));
/// let mut buf = pool.get_owned();
/// buf.extend_from_slice(br#"{"ok":true}"#);
/// let body = PooledBody::from(buf);
/// assert_eq!(body.size_hint().exact(), Some(11));
/// // hyper::Response::new(body) …; here, what hyper does with it:
/// drop(body);
/// assert_eq!(pool.stats().retained, 1);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "http-body")))]
pub struct PooledBody<T: ByteView + 'static> {
    held: Option<Held<T>>,
}

// Nothing in a body is ever pinned in place: `poll_frame` only takes the
// guard out of its `Option`.
impl<T: ByteView + 'static> Unpin for PooledBody<T> {}

impl<T: ByteView + 'static> From<OwnedPooled<T>> for PooledBody<T> {
    fn from(guard: OwnedPooled<T>) -> Self {
        PooledBody {
            held: Some(Held::Owned(guard)),
        }
    }
}

impl<T: ByteView + 'static> From<Pooled<'static, T>> for PooledBody<T> {
    fn from(guard: Pooled<'static, T>) -> Self {
        PooledBody {
            held: Some(Held::Global(guard)),
        }
    }
}

/// A [`BufferPool`](crate::BufferPool)'s buffer as a body.
///
/// ```
/// use http_body::Body;
/// use pool_runtime::{BufferPool, PooledBody};
///
/// let pool = BufferPool::new();
/// let mut buf = pool.get_owned(100);
/// buf.extend_from_slice(b"{}");
/// let body = PooledBody::from(buf);
/// assert_eq!(body.size_hint().exact(), Some(2));
/// drop(body);
/// assert_eq!(pool.stats().retained, 1);
/// ```
impl From<OwnedBuffer> for PooledBody<Vec<u8>> {
    fn from(buffer: OwnedBuffer) -> Self {
        PooledBody {
            held: Some(Held::Buffer(buffer)),
        }
    }
}

/// A buffer of [`BufferPool::global`](crate::BufferPool::global) as a body.
///
/// ```
/// use pool_runtime::{BufferPool, PooledBody};
///
/// let mut buf = BufferPool::global().get(100);
/// buf.extend_from_slice(b"{}");
/// let body: PooledBody<Vec<u8>> = PooledBody::from(buf);
/// # drop(body);
/// ```
impl From<Buffer<'static>> for PooledBody<Vec<u8>> {
    fn from(buffer: Buffer<'static>) -> Self {
        PooledBody {
            held: Some(Held::GlobalBuffer(buffer)),
        }
    }
}

impl<T: ByteView + 'static> Body for PooledBody<T> {
    type Data = PooledChunk<T>;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let held = self.get_mut().held.take();
        // An empty buffer is no frame at all: it goes back at once.
        let held = held.filter(|h| !h.byte_view().is_empty());
        Poll::Ready(held.map(|held| Ok(Frame::data(PooledChunk { held, read: 0 }))))
    }

    fn is_end_stream(&self) -> bool {
        self.held.as_ref().is_none_or(|h| h.byte_view().is_empty())
    }

    fn size_hint(&self) -> SizeHint {
        let len = self.held.as_ref().map_or(0, |h| h.byte_view().len());
        SizeHint::with_exact(len as u64)
    }
}

/// The data frame of a [`PooledBody`]: a `bytes::Buf` over the pooled
/// buffer, which it holds until the server drops it.
///
/// ```
/// use std::sync::Arc;
/// use bytes::Buf;
/// use pool_runtime::{Pool, PooledBody};
///
/// let pool = Arc::new(Pool::new(Vec::<u8>::new));
/// let mut buf = pool.get_owned();
/// buf.extend_from_slice(b"hello");
/// let mut body = PooledBody::from(buf);
/// let frame = first_frame(&mut body);
/// let mut chunk = frame.into_data().ok().unwrap();
/// assert_eq!(chunk.remaining(), 5);
/// chunk.advance(2);
/// assert_eq!(chunk.chunk(), b"llo");
/// drop(chunk); // written: the buffer goes back
/// assert_eq!(pool.stats().retained, 1);
/// # fn first_frame(b: &mut PooledBody<Vec<u8>>) -> http_body::Frame<pool_runtime::PooledChunk<Vec<u8>>> {
/// #     use http_body::Body;
/// #     use std::task::{Context, Poll, Waker};
/// #     let mut cx = Context::from_waker(Waker::noop());
/// #     match std::pin::Pin::new(b).poll_frame(&mut cx) {
/// #         Poll::Ready(Some(Ok(frame))) => frame,
/// #         _ => unreachable!(),
/// #     }
/// # }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "http-body")))]
pub struct PooledChunk<T: ByteView + 'static> {
    held: Held<T>,
    read: usize,
}

impl<T: ByteView + 'static> Buf for PooledChunk<T> {
    #[inline]
    fn remaining(&self) -> usize {
        self.held.byte_view().len() - self.read
    }

    #[inline]
    fn chunk(&self) -> &[u8] {
        &self.held.byte_view()[self.read..]
    }

    #[inline]
    fn advance(&mut self, cnt: usize) {
        assert!(
            cnt <= self.remaining(),
            "advanced {cnt} bytes past the {} left in a pooled body",
            self.remaining()
        );
        self.read += cnt;
    }
}
