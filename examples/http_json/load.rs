//! The load generator: raw HTTP/1.1 keep-alive over loopback, every buffer
//! made before anything is timed, so that it adds no allocations of its own
//! to the timed rounds.

use crate::server::Mode;
use std::net::SocketAddr;
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
pub async fn check_replies(addr: SocketAddr, requests: &[Arc<Vec<Vec<u8>>>]) -> usize {
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
pub async fn load(
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

pub async fn connections(addr: SocketAddr, conns: usize, room: usize) -> Vec<Conn> {
    let mut all = Vec::with_capacity(conns);
    for _ in 0..conns {
        all.push(Conn::open(addr, room).await.expect("connect to 127.0.0.1"));
    }
    all
}
