//! The response body: the pooled reply buffer itself or plain `Bytes`, as a
//! hyper `Body` (hyper writes from the pooled buffer, then drops it, which
//! puts it back). Hand-written for now: it goes once the runtime's guards
//! speak `bytes`/`http-body` themselves.

use bytes::{Buf, Bytes};
use hyper::body::{Body, Frame, SizeHint};
use pool_runtime::OwnedPooled;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The response body: either the pooled reply buffer itself (returned to the
/// pool when hyper drops it, after writing it out) or plain `Bytes`.
pub enum ReplyBody {
    Pooled(Option<PooledBuf>),
    Plain(Option<Bytes>),
}

/// A pooled buffer as a `bytes::Buf`, so hyper can write straight from it.
pub struct PooledBuf {
    buf: OwnedPooled<Vec<u8>>,
    /// How much of `buf` hyper has written out.
    pos: usize,
}

impl PooledBuf {
    pub fn new(buf: OwnedPooled<Vec<u8>>) -> PooledBuf {
        PooledBuf { buf, pos: 0 }
    }
}

pub enum ReplyChunk {
    Pooled(PooledBuf),
    Plain(Bytes),
}

impl Buf for ReplyChunk {
    fn remaining(&self) -> usize {
        match self {
            ReplyChunk::Pooled(p) => p.buf.len() - p.pos,
            ReplyChunk::Plain(b) => b.remaining(),
        }
    }
    fn chunk(&self) -> &[u8] {
        match self {
            ReplyChunk::Pooled(p) => &p.buf[p.pos..],
            ReplyChunk::Plain(b) => b.chunk(),
        }
    }
    fn advance(&mut self, cnt: usize) {
        match self {
            ReplyChunk::Pooled(p) => {
                assert!(cnt <= p.buf.len() - p.pos, "advance past the end");
                p.pos += cnt;
            }
            ReplyChunk::Plain(b) => b.advance(cnt),
        }
    }
}

impl Body for ReplyBody {
    type Data = ReplyChunk;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<ReplyChunk>, Infallible>>> {
        let chunk = match self.get_mut() {
            ReplyBody::Pooled(p) => p.take().map(ReplyChunk::Pooled),
            ReplyBody::Plain(b) => b.take().map(ReplyChunk::Plain),
        };
        Poll::Ready(chunk.map(|c| Ok(Frame::data(c))))
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ReplyBody::Pooled(p) => p.is_none(),
            ReplyBody::Plain(b) => b.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        let len = match self {
            ReplyBody::Pooled(p) => p.as_ref().map_or(0, |p| p.buf.len() - p.pos),
            ReplyBody::Plain(b) => b.as_ref().map_or(0, Bytes::len),
        };
        SizeHint::with_exact(len as u64)
    }
}
