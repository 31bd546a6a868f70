//! Everything the demo does with pools, in one place: the pooled types (with
//! the attributes that bound what a pool keeps), the reply-buffer pool, and
//! the handlers that check values out and give them back. The unpooled
//! handler, the baseline, sits beside them.

use crate::reply::Reply;
use crate::server::{bad_request, read_body, respond, BAD_ORDER};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Response, StatusCode};
use pool_runtime::{GlobalPool, OwnedPooled, Pool, Poolable, PooledBody, ReuseVec, Stats};
use serde::Deserialize;
use std::sync::Arc;

/// A line of an order.
#[derive(Poolable, Default, Debug, Deserialize)]
pub struct Item {
    pub sku: String,
    pub qty: u32,
    pub price_cents: u64,
}

/// A parsed order, in its natural shape. Its lists are `ReuseVec`s: their
/// reset keeps each element (a line's `sku` string, a tag) with its buffer
/// for the next request, where a `Vec<String>` would free them all and the
/// next request allocate them again. `pool_runtime::serde` fills it in
/// place.
#[derive(Poolable, Default, Debug, Deserialize)]
pub struct Order {
    pub id: u64,
    #[pool(cap = 1024)]
    pub customer: String,
    /// Lines kept, live and spare.
    #[pool(cap = 4096)]
    pub items: ReuseVec<Item>,
    #[pool(cap = 1024)]
    pub tags: ReuseVec<String>,
}

/// Everything one request needs: the raw body and the parsed order. One
/// process-wide pool (`Scratch::checkout()`); a value that holds more than
/// 1 MiB in all is dropped on return, and a body buffer grown past 256 KiB
/// is shrunk back.
#[derive(Poolable, Default, Debug)]
#[pool(global, max_value_bytes = 1 << 20)]
pub struct Scratch {
    #[pool(cap = 256 << 10, shrink)]
    pub body: Vec<u8>,
    pub order: Order,
}

impl Order {
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
    // One call: every string lands in a buffer the order already holds.
    if pool_runtime::serde::from_slice_in_place(&mut scratch.order, &scratch.body).is_err() {
        return false;
    }
    serde_json::to_writer(out, &Reply(&scratch.order)).is_ok()
}

/// Reads the order into a pooled `Scratch` and encodes the reply into
/// `out`; false on a bad order. The scratch goes back to its pool as this
/// returns: before the reply is written.
async fn answer_pooled(body: &mut Incoming, out: &mut Vec<u8>) -> bool {
    let mut scratch = Scratch::checkout(); // Pooled<'static, Scratch>: Send, fine across .await
    read_body(body, &mut scratch.body).await && process(&mut scratch, out)
}

/// The reply buffer's guard *is* the response body: hyper writes from it,
/// then drops it, which puts it back. Nothing escapes, nothing is copied.
pub async fn handle_pooled_body(
    mut body: Incoming,
    pools: &Pools,
) -> Response<PooledBody<Vec<u8>>> {
    let mut out = pools.reply.get_owned();
    if answer_pooled(&mut body, &mut out).await {
        return respond(StatusCode::OK, PooledBody::from(out));
    }
    // This server's every body is a pooled buffer, the error's as well.
    out.clear();
    out.extend_from_slice(BAD_ORDER);
    respond(StatusCode::BAD_REQUEST, PooledBody::from(out))
}

/// The reply buffer's guard becomes a `Bytes` (`OwnedPooled::into_bytes`),
/// served as `Full<Bytes>`: what a framework whose body type is fixed to
/// `Bytes` allows. No copy: the `Bytes` owns the guard, and when hyper drops
/// it the buffer goes back. Its shared owner is one small allocation per
/// request, whatever the reply's length.
pub async fn handle_into_bytes(mut body: Incoming, pools: &Pools) -> Response<Full<Bytes>> {
    let mut out = pools.reply.get_owned();
    if !answer_pooled(&mut body, &mut out).await {
        return bad_request();
    }
    respond(StatusCode::OK, Full::new(OwnedPooled::into_bytes(out)))
}

/// The reply encoded into a pooled buffer and copied into `Bytes`, the
/// buffer back in the pool at once: the common shortcut. The copy is the
/// escape: one allocation of the reply's length, however warm the pool.
pub async fn handle_copy(mut body: Incoming, pools: &Pools) -> Response<Full<Bytes>> {
    let mut out = pools.reply.get_owned();
    if !answer_pooled(&mut body, &mut out).await {
        return bad_request();
    }
    let reply = Bytes::copy_from_slice(&out);
    drop(out);
    respond(StatusCode::OK, Full::new(reply))
}

/// The baseline: a fresh `Scratch` and a fresh `Vec<u8>` per request.
pub async fn handle_unpooled(mut body: Incoming) -> Response<Full<Bytes>> {
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    if !read_body(&mut body, &mut scratch.body).await || !process(&mut scratch, &mut out) {
        return bad_request();
    }
    respond(StatusCode::OK, Full::new(Bytes::from(out)))
}
