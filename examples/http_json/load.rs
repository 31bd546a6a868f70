//! The load generator: raw HTTP/1.1 keep-alive over loopback, every buffer
//! made before anything is timed and every response parsed in place (by
//! `httparse`), so that it adds no allocations of its own to the timed
//! rounds.

use crate::server::Mode;
use std::hint::black_box;
use std::io;
use std::net::SocketAddr;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A few dozen distinct orders, 2 to 24 items each, as complete requests for each path.
pub fn make_requests(mode: Mode) -> Vec<Vec<u8>> {
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

/// Where a complete response's body lies: `Ok(None)` until all of its head
/// has arrived. Fails on anything but a 200 with a `content-length`.
fn parse_head(response: &[u8]) -> io::Result<Option<Range<usize>>> {
    // Hyper's replies carry 3 headers (content-type, content-length, date).
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut head = httparse::Response::new(&mut headers);
    let head_len = match head.parse(response) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(io::Error::other(e)),
    };
    if head.code != Some(200) {
        return Err(io::Error::other("status not 200"));
    }
    let body_len: usize = head
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
        .ok_or_else(|| io::Error::other("no content-length"))?;
    Ok(Some(head_len..head_len + body_len))
}

/// A keep-alive connection of the load generator, opened (and its buffers
/// made) before anything is timed, and kept for the whole run.
pub struct Conn {
    stream: TcpStream,
    /// Latencies in µs, with room for every request of the run.
    pub lat: Vec<u32>,
    /// Where responses are read.
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: SocketAddr, room: usize) -> io::Result<Conn> {
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
async fn roundtrip(stream: &mut TcpStream, req: &[u8], buf: &mut [u8]) -> io::Result<Range<usize>> {
    stream.write_all(req).await?;
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            return Err(io::Error::other("response larger than the read buffer"));
        }
        let read = stream.read(&mut buf[filled..]).await?;
        if read == 0 {
            return Err(io::Error::other("server closed the connection"));
        }
        filled += read;
        // Parsing again from the start on every read costs little: the
        // replies' heads are about 100 bytes, and usually whole in the
        // first read.
        if let Some(body) = parse_head(&buf[..filled])? {
            if filled >= body.end {
                return Ok(body);
            }
        }
    }
}

/// One keep-alive connection: takes request numbers from `next` until `total`,
/// pushing each latency into `conn.lat`.
async fn drive(
    requests: Arc<Vec<Vec<u8>>>,
    next: Arc<AtomicUsize>,
    total: usize,
    mut conn: Conn,
) -> io::Result<Conn> {
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
    }
}

/// Every order through every handler once (`requests[h]` sent to
/// `addrs[h]`): the replies must be the same JSON. Then the claim that the
/// load generator adds no allocations to the counts, checked where it could
/// fail: parsing a reply it has read.
pub async fn check_replies(addrs: &[SocketAddr], requests: &[Arc<Vec<Vec<u8>>>]) -> usize {
    let mut streams = Vec::with_capacity(addrs.len());
    for &addr in addrs {
        streams.push(TcpStream::connect(addr).await.expect("connect"));
    }
    let mut buf = vec![0; 64 << 10];
    let mut checked = 0;
    let mut last_reply = 0..0;
    for i in 0..requests[0].len() {
        let mut first: Option<Vec<u8>> = None;
        for (stream, reqs) in streams.iter_mut().zip(requests) {
            let body = roundtrip(stream, &reqs[i], &mut buf)
                .await
                .expect("a valid reply");
            last_reply = 0..body.end;
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
    let reply = &buf[last_reply];
    let before = crate::ALLOC.snapshot();
    for _ in 0..1000 {
        let body = parse_head(black_box(reply)).expect("the reply parses");
        black_box(body);
    }
    let used = crate::ALLOC.snapshot() - before;
    assert_eq!(used.allocs, 0, "parsing a reply allocates");
    checked
}

/// Drives `total` requests over the open connections `conns` (whose buffers
/// were made beforehand, so the run allocates nothing here beyond a few task
/// cells); returns the `Conn`s, latencies filled in.
pub async fn load(requests: Arc<Vec<Vec<u8>>>, conns: Vec<Conn>, total: usize) -> Vec<Conn> {
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|conn| {
            let (requests, next) = (Arc::clone(&requests), Arc::clone(&next));
            tokio::spawn(drive(requests, next, total, conn))
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

pub async fn connections(addr: SocketAddr, conns: usize, room: usize) -> Vec<Conn> {
    let mut all = Vec::with_capacity(conns);
    for _ in 0..conns {
        all.push(Conn::open(addr, room).await.expect("connect to 127.0.0.1"));
    }
    all
}
