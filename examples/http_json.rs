//! A JSON-over-HTTP service with pooled parse scratch and pooled response
//! buffers, measured against the same service allocating fresh ones.
//!
//! A hyper 1 server on a multi-thread tokio runtime listens on 127.0.0.1 (an
//! ephemeral port). Each request carries an order as JSON; the handler reads
//! the body into a pooled `Scratch`, parses it *into the scratch's own
//! buffers* (strings land back to back in one `String`, items and tags in
//! `Vec`s that keep their capacity between requests), totals it, and encodes
//! the reply as JSON into a pooled `Vec<u8>`. Three handlers do the same
//! work:
//!
//! - `pooled`: the reply buffer's guard *is* the response body; hyper writes
//!   from it and dropping the body puts it back (nothing escapes, nothing is
//!   copied);
//! - `pooled+copy`: the reply is encoded into a pooled buffer and copied into
//!   `Bytes` for the response (the common shortcut: the copy is one
//!   allocation per request);
//! - `unpooled`: a fresh `Scratch` and a fresh `Vec<u8>` per request.
//!
//! An in-process load generator (raw HTTP/1.1 keep-alive over loopback, 8
//! connections, buffers allocated up front so it adds no allocations of its
//! own) sends the same orders to each, in alternating rounds, then prints
//! requests/s, p50/p99 latency, allocator calls and bytes per request (from
//! the counting global allocator: server, tokio and hyper together) and the
//! pools' stats.
//!
//! ```text
//! cargo run --release --example http_json                     # ~10 s
//! cargo run --release --example http_json -- --requests 2000  # a quick look
//! ```

use bytes::{Buf, Bytes};
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use pool_runtime::{GlobalPool, OwnedPooled, Pool, Poolable};
use pool_suite::CountingAlloc;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use std::convert::Infallible;
use std::fmt;
use std::io::Write as _;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

// ---------------------------------------------------------------------------
// The pooled scratch: an order parsed into buffers that survive between requests.

/// A string of the order, as a range of `Order::text`.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    const EMPTY: Span = Span { start: 0, end: 0 };
}

#[derive(Clone, Copy, Default, Debug)]
struct Item {
    sku: Span,
    qty: u32,
    price_cents: u64,
}

/// A parsed order. Its strings are not `String`s of their own (clearing a
/// `Vec<String>` would free them all, and the next request would allocate them
/// again): they are spans of `text`, which keeps its capacity.
#[derive(Poolable, Default, Debug)]
struct Order {
    id: u64,
    #[pool(reset = Span::EMPTY)]
    customer: Span,
    /// Every string of the order, back to back.
    #[pool(cap = 64 << 10)]
    text: String,
    #[pool(cap = 4096)]
    items: Vec<Item>,
    #[pool(cap = 1024)]
    tags: Vec<Span>,
}

/// Everything one request needs: the raw body and the parsed order. One
/// process-wide pool (`Scratch::checkout()`); a value that holds more than
/// 1 MiB in all is dropped on return, and a body buffer grown past 256 KiB
/// is shrunk back.
#[derive(Poolable, Default, Debug)]
#[pool(global, max_bytes = 1 << 20)]
struct Scratch {
    #[pool(cap = 256 << 10, shrink)]
    body: Vec<u8>,
    order: Order,
}

impl Order {
    fn str(&self, span: Span) -> &str {
        &self.text[span.start as usize..span.end as usize]
    }

    fn total_cents(&self) -> u64 {
        self.items
            .iter()
            .map(|i| u64::from(i.qty) * i.price_cents)
            .sum()
    }
}

// ---------------------------------------------------------------------------
// Parsing into the scratch: serde `DeserializeSeed`s that append to its buffers.

/// Parses `body` into `order` (which must be reset), allocating nothing once
/// the order's buffers are big enough. (A string with escapes would make
/// serde_json allocate its own scratch buffer; these orders have none.)
fn parse_into(body: &[u8], order: &mut Order) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_slice(body);
    OrderSeed(order).deserialize(&mut de)?;
    de.end()
}

enum Key {
    Id,
    Customer,
    Items,
    Tags,
    Sku,
    Qty,
    PriceCents,
    Other,
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "id" => Key::Id,
            "customer" => Key::Customer,
            "items" => Key::Items,
            "tags" => Key::Tags,
            "sku" => Key::Sku,
            "qty" => Key::Qty,
            "price_cents" => Key::PriceCents,
            _ => Key::Other,
        })
    }
}

/// Appends a JSON string to `text`; yields its span.
struct StrSeed<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for StrSeed<'_> {
    type Value = Span;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Span, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for StrSeed<'_> {
    type Value = Span;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Span, E> {
        let start = self.0.len();
        self.0.push_str(v);
        let (start, end) = (u32::try_from(start), u32::try_from(self.0.len()));
        match (start, end) {
            (Ok(start), Ok(end)) => Ok(Span { start, end }),
            _ => Err(E::custom("order text over 4 GiB")),
        }
    }
}

struct OrderSeed<'a>(&'a mut Order);

impl<'de> DeserializeSeed<'de> for OrderSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OrderSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an order")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let o = self.0;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Id => o.id = map.next_value()?,
                Key::Customer => o.customer = map.next_value_seed(StrSeed(&mut o.text))?,
                Key::Items => map.next_value_seed(ItemsSeed(&mut o.text, &mut o.items))?,
                Key::Tags => map.next_value_seed(TagsSeed(&mut o.text, &mut o.tags))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct ItemsSeed<'a>(&'a mut String, &'a mut Vec<Item>);

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element_seed(ItemSeed(&mut *self.0))? {
            self.1.push(item);
        }
        Ok(())
    }
}

struct ItemSeed<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = Item;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = Item;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an item")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut item = Item::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Sku => item.sku = map.next_value_seed(StrSeed(&mut *self.0))?,
                Key::Qty => item.qty = map.next_value()?,
                Key::PriceCents => item.price_cents = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(item)
    }
}

struct TagsSeed<'a>(&'a mut String, &'a mut Vec<Span>);

impl<'de> DeserializeSeed<'de> for TagsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TagsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of tags")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(tag) = seq.next_element_seed(StrSeed(&mut *self.0))? {
            self.1.push(tag);
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// The reply: serialized straight from the scratch (borrowed strs, no Strings).

struct Reply<'a>(&'a Order);

impl Serialize for Reply<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let o = self.0;
        let mut r = s.serialize_struct("Reply", 5)?;
        r.serialize_field("id", &o.id)?;
        r.serialize_field("customer", o.str(o.customer))?;
        r.serialize_field("total_cents", &o.total_cents())?;
        r.serialize_field("lines", &Lines(o))?;
        r.serialize_field("tags", &Tags(o))?;
        r.end()
    }
}

struct Lines<'a>(&'a Order);

impl Serialize for Lines<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let o = self.0;
        s.collect_seq(o.items.iter().map(|i| Line {
            sku: o.str(i.sku),
            subtotal_cents: u64::from(i.qty) * i.price_cents,
        }))
    }
}

#[derive(Serialize)]
struct Line<'a> {
    sku: &'a str,
    subtotal_cents: u64,
}

struct Tags<'a>(&'a Order);

impl Serialize for Tags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.tags.iter().map(|t| self.0.str(*t)))
    }
}

// ---------------------------------------------------------------------------
// The server.

struct Pools {
    reply: Arc<Pool<Vec<u8>>>,
}

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// The response body: either the pooled reply buffer itself (returned to the
/// pool when hyper drops it, after writing it out) or plain `Bytes`.
enum ReplyBody {
    Pooled(Option<PooledBuf>),
    Plain(Option<Bytes>),
}

/// A pooled buffer as a `bytes::Buf`, so hyper can write straight from it.
struct PooledBuf {
    buf: OwnedPooled<Vec<u8>>,
    pos: usize,
}

enum ReplyChunk {
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Pooled,
    PooledCopy,
    Unpooled,
}

const MODES: [Mode; 3] = [Mode::Pooled, Mode::PooledCopy, Mode::Unpooled];

impl Mode {
    fn path(self) -> &'static str {
        match self {
            Mode::Pooled => "/pooled",
            Mode::PooledCopy => "/pooled-copy",
            Mode::Unpooled => "/unpooled",
        }
    }
    fn name(self) -> &'static str {
        match self {
            Mode::Pooled => "pooled",
            Mode::PooledCopy => "pooled+copy",
            Mode::Unpooled => "unpooled",
        }
    }
}

/// Appends the request body to `buf`; false if it is too large or broken.
async fn read_body(body: &mut Incoming, buf: &mut Vec<u8>) -> bool {
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return false };
        if let Some(data) = frame.data_ref() {
            if buf.len() + data.len() > MAX_BODY {
                return false;
            }
            buf.extend_from_slice(data);
        }
    }
    true
}

/// The JSON work every handler does: parse into `scratch`, encode the reply into `out`.
fn process(scratch: &mut Scratch, out: &mut Vec<u8>) -> bool {
    if parse_into(&scratch.body, &mut scratch.order).is_err() {
        return false;
    }
    serde_json::to_writer(out, &Reply(&scratch.order)).is_ok()
}

fn respond(status: StatusCode, body: ReplyBody) -> Response<ReplyBody> {
    let mut res = Response::new(body);
    *res.status_mut() = status;
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

fn bad_request() -> Response<ReplyBody> {
    let body = Bytes::from_static(br#"{"error":"bad order"}"#);
    respond(StatusCode::BAD_REQUEST, ReplyBody::Plain(Some(body)))
}

async fn handle(
    req: Request<Incoming>,
    pools: Arc<Pools>,
) -> Result<Response<ReplyBody>, Infallible> {
    let mode = match req.uri().path() {
        "/pooled" => Mode::Pooled,
        "/pooled-copy" => Mode::PooledCopy,
        "/unpooled" => Mode::Unpooled,
        _ => return Ok(respond(StatusCode::NOT_FOUND, ReplyBody::Plain(None))),
    };
    let mut body = req.into_body();
    Ok(match mode {
        Mode::Pooled | Mode::PooledCopy => {
            let mut scratch = Scratch::checkout(); // Pooled<'static, Scratch>: Send, fine across .await
            let mut out = pools.reply.get_owned();
            if !read_body(&mut body, &mut scratch.body).await || !process(&mut scratch, &mut out) {
                return Ok(bad_request());
            }
            drop(scratch); // back to the pool before the reply is written
            if mode == Mode::Pooled {
                // The guard goes into the body: hyper writes from it, then drops it.
                respond(
                    StatusCode::OK,
                    ReplyBody::Pooled(Some(PooledBuf { buf: out, pos: 0 })),
                )
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
                return Ok(bad_request());
            }
            respond(StatusCode::OK, ReplyBody::Plain(Some(Bytes::from(out))))
        }
    })
}

async fn serve(listener: TcpListener, pools: Arc<Pools>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let pools = Arc::clone(&pools);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(req, Arc::clone(&pools)));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

// ---------------------------------------------------------------------------
// The load generator: raw HTTP/1.1 keep-alive, every buffer made up front.

/// A few dozen distinct orders, 2 to 24 items each, as complete requests for each path.
fn make_requests(mode: Mode) -> Vec<Vec<u8>> {
    (0..48u64)
        .map(|n| {
            let items: Vec<String> = (0..2 + (n * 7) % 23)
                .map(|i| {
                    format!(
                        r#"{{"sku":"SKU-{:05}","qty":{},"price_cents":{},"note":"gift wrap"}}"#,
                        (n * 131 + i * 17) % 100_000,
                        1 + (i % 5),
                        199 + (n * 37 + i * 101) % 9_000
                    )
                })
                .collect();
            let tags: Vec<String> = (0..n % 5).map(|t| format!(r#""tag-{t}-{n}""#)).collect();
            let json = format!(
                r#"{{"id":{},"customer":"customer-{:04}","items":[{}],"tags":[{}],"channel":"web"}}"#,
                1_000_000 + n,
                n * 13 % 10_000,
                items.join(","),
                tags.join(",")
            );
            let mut req = format!(
                "POST {} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                mode.path(),
                json.len()
            )
            .into_bytes();
            req.extend_from_slice(json.as_bytes());
            req
        })
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `content-length` of a response head, case-insensitively.
fn content_length(head: &[u8]) -> Option<usize> {
    head.split(|&b| b == b'\n').find_map(|line| {
        let colon = line.iter().position(|&b| b == b':')?;
        if !line[..colon].eq_ignore_ascii_case(b"content-length") {
            return None;
        }
        std::str::from_utf8(&line[colon + 1..])
            .ok()?
            .trim()
            .parse()
            .ok()
    })
}

/// A load-generator connection's buffers, made before a measured run.
/// A keep-alive connection of the load generator, opened (and its buffers
/// made) before anything is timed, and kept for the whole run.
struct Conn {
    stream: TcpStream,
    /// Latencies in µs, with room for every request of the run.
    lat: Vec<u32>,
    /// Where responses are read.
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: SocketAddr, room: usize) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            lat: Vec::with_capacity(room),
            buf: vec![0; 64 << 10],
        })
    }
}

/// Sends one request and reads its whole response into `buf`; returns the
/// body's range in `buf`. Fails on anything but a 200.
async fn roundtrip(
    stream: &mut TcpStream,
    req: &[u8],
    buf: &mut [u8],
) -> std::io::Result<std::ops::Range<usize>> {
    stream.write_all(req).await?;
    let mut filled = 0;
    loop {
        let read = stream.read(&mut buf[filled..]).await?;
        if read == 0 {
            return Err(std::io::Error::other("server closed the connection"));
        }
        filled += read;
        let Some(head_end) = find(&buf[..filled], b"\r\n\r\n") else {
            continue;
        };
        let len = content_length(&buf[..head_end])
            .ok_or_else(|| std::io::Error::other("no content-length"))?;
        if filled >= head_end + 4 + len {
            if !buf.starts_with(b"HTTP/1.1 200") {
                return Err(std::io::Error::other("status not 200"));
            }
            return Ok(head_end + 4..head_end + 4 + len);
        }
    }
}

/// One keep-alive connection: takes request numbers from `next` until `total`,
/// pushing each latency into `conn.lat`.
async fn drive(
    requests: Arc<Vec<Vec<u8>>>,
    next: Arc<AtomicUsize>,
    done: Arc<AtomicUsize>,
    total: usize,
    mut conn: Conn,
) -> std::io::Result<Conn> {
    loop {
        let n = next.fetch_add(1, Relaxed);
        if n >= total {
            return Ok(conn);
        }
        let start = Instant::now();
        let req = &requests[n % requests.len()];
        roundtrip(&mut conn.stream, req, &mut conn.buf).await?;
        let micros = start.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
        conn.lat.push(micros);
        done.fetch_add(1, Relaxed);
    }
}

/// Every order through every handler once: the replies must be the same JSON.
async fn check_replies(addr: SocketAddr, requests: &[Arc<Vec<Vec<u8>>>]) -> usize {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut buf = vec![0; 64 << 10];
    let mut checked = 0;
    for i in 0..requests[0].len() {
        let mut first: Option<Vec<u8>> = None;
        for reqs in requests {
            let body = roundtrip(&mut stream, &reqs[i], &mut buf)
                .await
                .expect("a valid reply");
            let body = &buf[body];
            let json: serde_json::Value = serde_json::from_slice(body).expect("the reply is JSON");
            assert!(json["total_cents"].as_u64().is_some_and(|t| t > 0));
            match &first {
                None => first = Some(body.to_vec()),
                Some(f) => assert_eq!(f, body, "every handler gives the same reply"),
            }
            checked += 1;
        }
    }
    checked
}

/// Drives `total` requests over the open connections `conns` (whose buffers
/// were made beforehand, so the run allocates nothing here beyond a few task
/// cells); returns the `Conn`s, latencies filled in.
async fn load(
    requests: Arc<Vec<Vec<u8>>>,
    conns: Vec<Conn>,
    total: usize,
    done: Arc<AtomicUsize>,
) -> Vec<Conn> {
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|conn| {
            let (requests, next, done) =
                (Arc::clone(&requests), Arc::clone(&next), Arc::clone(&done));
            tokio::spawn(drive(requests, next, done, total, conn))
        })
        .collect();
    let mut conns = Vec::with_capacity(tasks.len());
    for t in tasks {
        conns.push(
            t.await
                .expect("load task panicked")
                .expect("request failed"),
        );
    }
    conns
}

async fn connections(addr: SocketAddr, conns: usize, room: usize) -> Vec<Conn> {
    let mut all = Vec::with_capacity(conns);
    for _ in 0..conns {
        all.push(Conn::open(addr, room).await.expect("connect to 127.0.0.1"));
    }
    all
}

/// A progress bar on stderr until `stop`.
fn progress(
    done: Arc<AtomicUsize>,
    total: usize,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut err = std::io::stderr();
        loop {
            let finished = stop.load(Relaxed);
            let d = done.load(Relaxed).min(total);
            let filled = d * 40 / total.max(1);
            // No allocation here: the counts of the run must be the server's.
            let mut bar = [b'.'; 40];
            bar[..filled].fill(b'#');
            let _ = err.write_all(b"\r[");
            let _ = err.write_all(&bar);
            let _ = write!(err, "] {d}/{total} requests");
            if finished {
                let _ = writeln!(err);
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    })
}

#[derive(Default)]
struct Tally {
    requests: usize,
    elapsed: Duration,
    /// Requests per second of each round.
    rates: Vec<f64>,
    allocs: u64,
    bytes: u64,
    lat: Vec<u32>,
}

/// The median round's rate: one stall of a busy machine moves it less than the mean.
fn median_rate(t: &Tally) -> f64 {
    let mut r = t.rates.clone();
    r.sort_by(f64::total_cmp);
    match r.len() {
        0 => 0.0,
        n if n % 2 == 1 => r[n / 2],
        n => (r[n / 2 - 1] + r[n / 2]) / 2.0,
    }
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn parse_args() -> usize {
    let mut requests = 100_000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--requests" | "-n" => {
                requests = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n: &usize| n > 0)
                    .unwrap_or_else(|| usage());
            }
            "--help" | "-h" => usage(),
            _ => usage(),
        }
    }
    requests
}

fn usage() -> ! {
    eprintln!("usage: http_json [--requests N]   (N requests per handler, default 100000)");
    std::process::exit(2)
}

fn main() {
    let per_mode = parse_args();
    let conns = 8;
    let rounds = 8;

    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let pools = Arc::new(Pools {
        reply: Arc::new(Pool::new(|| Vec::with_capacity(4096))),
    });
    let listener = server_rt
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    let server = server_rt.spawn(serve(listener, Arc::clone(&pools)));

    // The load generator runs on its own thread and runtime.
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let requests: Vec<Arc<Vec<Vec<u8>>>> =
        MODES.iter().map(|&m| Arc::new(make_requests(m))).collect();
    let sizes: Vec<usize> = requests[0].iter().map(Vec::len).collect();
    println!(
        "http_json: server on http://{addr}, {conns} keep-alive connections and {per_mode} requests per handler \
         in {rounds} alternating rounds, request bodies {}..{} bytes",
        sizes.iter().min().unwrap_or(&0),
        sizes.iter().max().unwrap_or(&0)
    );

    // Every handler must give the same replies before any is timed.
    let checked = client_rt.block_on(check_replies(addr, &requests));
    println!("checked: {checked} replies, identical JSON from every handler");

    // Open every handler's connections, then warm them up (hyper's
    // buffers, the pools).
    let room = per_mode.max(2000);
    let mut pools_of_conns: Vec<Vec<Conn>> = MODES
        .iter()
        .map(|_| client_rt.block_on(connections(addr, conns, room)))
        .collect();
    for (reqs, conns_of_mode) in requests.iter().zip(&mut pools_of_conns) {
        let warm = (per_mode / 20).clamp(conns, 2000);
        let ready = std::mem::take(conns_of_mode);
        let idle = Arc::new(AtomicUsize::new(0));
        *conns_of_mode = client_rt.block_on(load(Arc::clone(reqs), ready, warm, idle));
        for c in conns_of_mode.iter_mut() {
            c.lat.clear();
        }
    }
    let warm_stats = (Scratch::pool().stats(), pools.reply.stats());

    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let bar = progress(Arc::clone(&done), per_mode * MODES.len(), Arc::clone(&stop));
    let mut tallies: Vec<Tally> = MODES.iter().map(|_| Tally::default()).collect();
    for t in &mut tallies {
        t.lat.reserve(per_mode);
        t.rates.reserve(rounds);
    }
    for round in 0..rounds {
        for (i, reqs) in requests.iter().enumerate() {
            let n = per_mode / rounds + usize::from(round < per_mode % rounds);
            if n == 0 {
                continue;
            }
            let ready = std::mem::take(&mut pools_of_conns[i]);
            let before = ALLOC.snapshot();
            let start = Instant::now();
            let ready = client_rt.block_on(load(Arc::clone(reqs), ready, n, Arc::clone(&done)));
            let elapsed = start.elapsed();
            let used = ALLOC.snapshot() - before;
            let t = &mut tallies[i];
            t.requests += n;
            t.elapsed += elapsed;
            t.rates.push(n as f64 / elapsed.as_secs_f64());
            t.allocs += used.allocs;
            t.bytes += used.bytes;
            pools_of_conns[i] = ready;
            for conn in &mut pools_of_conns[i] {
                t.lat.extend_from_slice(&conn.lat);
                conn.lat.clear();
            }
        }
    }
    stop.store(true, Relaxed);
    let _ = bar.join();

    println!();
    println!(
        "{:<12} {:>10} {:>9} {:>9} {:>13} {:>14}",
        "handler", "req/s*", "p50 µs", "p99 µs", "allocs/req", "bytes/req"
    );
    for (mode, t) in MODES.iter().zip(&mut tallies) {
        t.lat.sort_unstable();
        let n = t.requests.max(1) as f64;
        println!(
            "{:<12} {:>10.0} {:>9} {:>9} {:>13.2} {:>14.0}",
            mode.name(),
            median_rate(t),
            percentile(&t.lat, 0.50),
            percentile(&t.lat, 0.99),
            t.allocs as f64 / n,
            t.bytes as f64 / n,
        );
    }
    println!("* req/s of the median round ({rounds} rounds per handler, interleaved)");
    let (scratch, reply) = (Scratch::pool().stats(), pools.reply.stats());
    println!();
    println!("scratch pool after warm-up: {:?}", warm_stats.0);
    println!("scratch pool at the end:    {scratch:?}");
    println!("reply pool after warm-up:   {:?}", warm_stats.1);
    println!("reply pool at the end:      {reply:?}");
    let pooled_gets = (scratch.created + scratch.reused) as f64;
    println!(
        "scratch gets served from the pool: {:.2}% ({} made by the factory in all)",
        100.0 * scratch.reused as f64 / pooled_gets.max(1.0),
        scratch.created
    );
    let per_req = |t: &Tally| {
        let n = t.requests.max(1) as f64;
        (t.allocs as f64 / n, t.bytes as f64 / n, median_rate(t))
    };
    let (pooled, copy, unpooled) = (
        per_req(&tallies[0]),
        per_req(&tallies[1]),
        per_req(&tallies[2]),
    );
    println!();
    println!(
        "What the figures say (allocs/req counts every allocator call in the process during the"
    );
    println!("timed rounds, divided by the requests; the load generator's buffers were made beforehand):");
    println!(
        "- pooling the parse scratch and the reply buffer removed {:.1} allocator calls and {:.0} bytes",
        unpooled.0 - pooled.0,
        unpooled.1 - pooled.1
    );
    println!("  per request: the handler's own allocations, all of them;");
    println!(
        "- copying the pooled reply into `Bytes` puts {:.1} call ({:.0} bytes) back: the escape costs an allocation;",
        copy.0 - pooled.0,
        copy.1 - pooled.1
    );
    println!(
        "- what is left on the pooled row ({:.1} calls, {:.0} bytes) is not the handler's: it is hyper's",
        pooled.0, pooled.1
    );
    println!(
        "  per-request work: a fresh read buffer, the request's header map, and the response's"
    );
    println!("  header map (which the handler's content-type goes into, on every row alike);");
    println!(
        "- throughput: pooled {:+.1}% against unpooled. Over loopback, syscalls and hyper take most of",
        100.0 * (pooled.2 / unpooled.2 - 1.0)
    );
    println!(
        "  the time, so the allocations saved show more in the allocator's load than in req/s,"
    );
    println!("  and on a shared 2-core machine req/s swings by 10% or more between runs (more with a small");
    println!("  --requests); the allocation columns do not move.");

    drop(pools_of_conns); // closes the connections: the server's tasks end
    server.abort();
    drop(client_rt);
    server_rt.shutdown_timeout(Duration::from_secs(1));
}
