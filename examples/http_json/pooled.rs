//! Everything the demo does with pools, in one place: the pooled types (with
//! the attributes that bound what a pool keeps), the reply-buffer pool, and
//! the handlers that check values out and give them back. The unpooled
//! handler, the baseline, sits beside them.

use crate::body::{PooledBuf, ReplyBody};
use crate::parse::parse_into;
use crate::reply::Reply;
use crate::server::{bad_request, read_body, respond, Mode};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Response, StatusCode};
use pool_runtime::{GlobalPool, Pool, Poolable, Stats};
use std::sync::Arc;

/// A string of the order, as a range of `Order::text`.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    const EMPTY: Span = Span { start: 0, end: 0 };
}

#[derive(Clone, Copy, Default, Debug)]
pub struct Item {
    pub sku: Span,
    pub qty: u32,
    pub price_cents: u64,
}

/// A parsed order. Its strings are not `String`s of their own (clearing a
/// `Vec<String>` would free them all, and the next request would allocate them
/// again): they are spans of `text`, which keeps its capacity.
#[derive(Poolable, Default, Debug)]
pub struct Order {
    pub id: u64,
    #[pool(reset = Span::EMPTY)]
    pub customer: Span,
    /// Every string of the order, back to back.
    #[pool(cap = 64 << 10)]
    pub text: String,
    #[pool(cap = 4096)]
    pub items: Vec<Item>,
    #[pool(cap = 1024)]
    pub tags: Vec<Span>,
}

/// Everything one request needs: the raw body and the parsed order. One
/// process-wide pool (`Scratch::checkout()`); a value that holds more than
/// 1 MiB in all is dropped on return, and a body buffer grown past 256 KiB
/// is shrunk back.
#[derive(Poolable, Default, Debug)]
#[pool(global, max_bytes = 1 << 20)]
pub struct Scratch {
    #[pool(cap = 256 << 10, shrink)]
    pub body: Vec<u8>,
    pub order: Order,
}

impl Order {
    pub fn str(&self, span: Span) -> &str {
        &self.text[span.start as usize..span.end as usize]
    }

    pub fn total_cents(&self) -> u64 {
        self.items
            .iter()
            .map(|i| u64::from(i.qty) * i.price_cents)
            .sum()
    }
}

/// The server's pools beside the global one of `Scratch`.
pub struct Pools {
    /// Reply buffers, sized for a typical reply so the encoder rarely grows one.
    pub reply: Arc<Pool<Vec<u8>>>,
}

impl Pools {
    pub fn new() -> Pools {
        Pools {
            reply: Arc::new(Pool::new(|| Vec::with_capacity(4096))),
        }
    }

    /// The stats of the scratch pool and of the reply pool.
    pub fn stats(&self) -> (Stats, Stats) {
        (Scratch::pool().stats(), self.reply.stats())
    }
}

/// The JSON work every handler does: parse into `scratch`, encode the reply into `out`.
fn process(scratch: &mut Scratch, out: &mut Vec<u8>) -> bool {
    if parse_into(&scratch.body, &mut scratch.order).is_err() {
        return false;
    }
    serde_json::to_writer(out, &Reply(&scratch.order)).is_ok()
}

/// Answers one order the way `mode` says: the same JSON work, with or
/// without the pools.
pub async fn handle(mode: Mode, mut body: Incoming, pools: &Pools) -> Response<ReplyBody> {
    match mode {
        Mode::Pooled | Mode::PooledCopy => {
            let mut scratch = Scratch::checkout(); // Pooled<'static, Scratch>: Send, fine across .await
            let mut out = pools.reply.get_owned();
            if !read_body(&mut body, &mut scratch.body).await || !process(&mut scratch, &mut out) {
                return bad_request();
            }
            drop(scratch); // back to the pool before the reply is written
            if mode == Mode::Pooled {
                // The guard goes into the body: hyper writes from it, then drops it.
                respond(StatusCode::OK, ReplyBody::Pooled(Some(PooledBuf::new(out))))
            } else {
                // The copy is the escape: one allocation, however warm the pool.
                respond(
                    StatusCode::OK,
                    ReplyBody::Plain(Some(Bytes::copy_from_slice(&out))),
                )
            }
        }
        Mode::Unpooled => {
            let mut scratch = Scratch::default();
            let mut out = Vec::new();
            if !read_body(&mut body, &mut scratch.body).await || !process(&mut scratch, &mut out) {
                return bad_request();
            }
            respond(StatusCode::OK, ReplyBody::Plain(Some(Bytes::from(out))))
        }
    }
}
