//! `PooledBody` served by hyper on loopback: every response is written from
//! a pooled buffer, and every buffer comes back (feature `http-body`).
#![cfg(feature = "ecosystem")]

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use pool_runtime::{OwnedPooled, Pool, PooledBody};
use std::convert::Infallible;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};

const REQUESTS: usize = 50;

type Buffers = Arc<Pool<Vec<u8>>>;

/// Serves one connection; each response body is pooled, as `body` makes it.
async fn serve<B>(pool: Buffers, listener: TcpListener, body: fn(OwnedPooled<Vec<u8>>) -> B)
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (stream, _) = listener.accept().await.unwrap();
    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let pool = Arc::clone(&pool);
        async move {
            let mut buf = pool.get_owned();
            buf.extend_from_slice(format!("{{\"path\":\"{}\"}}", req.uri().path()).as_bytes());
            Ok::<_, Infallible>(hyper::Response::new(body(buf)))
        }
    });
    hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await
        .unwrap();
}

/// Makes `REQUESTS` requests on one connection and checks each body.
async fn requests(addr: std::net::SocketAddr) {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    for i in 0..REQUESTS {
        let req = hyper::Request::get(format!("/r{i}"))
            .body(Empty::<Bytes>::new())
            .unwrap();
        let res = sender.send_request(req).await.unwrap();
        let len = res.headers()["content-length"].to_str().unwrap().to_owned();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body, format!("{{\"path\":\"/r{i}\"}}"));
        assert_eq!(len, body.len().to_string(), "an exact size hint");
    }
}

async fn round_trip<B>(body: fn(OwnedPooled<Vec<u8>>) -> B) -> pool_runtime::Stats
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let pool: Buffers = Arc::new(Pool::new(|| Vec::with_capacity(256)));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(serve(Arc::clone(&pool), listener, body));
    requests(addr).await;
    // The client's connection closes when its sender drops, ending the
    // server's connection: everything it wrote has been dropped by then.
    server.await.unwrap();
    pool.stats()
}

#[tokio::test]
async fn every_buffer_of_a_pooled_body_comes_back() {
    let s = round_trip(PooledBody::from).await;
    assert_eq!(s.returned, REQUESTS as u64, "{s:?}");
    assert!(s.created < REQUESTS as u64, "buffers were reused: {s:?}");
    assert_eq!(s.created, s.retained as u64, "none is still out: {s:?}");
}

#[tokio::test]
async fn every_buffer_made_into_bytes_comes_back() {
    fn full(g: OwnedPooled<Vec<u8>>) -> http_body_util::Full<Bytes> {
        http_body_util::Full::new(OwnedPooled::into_bytes(g))
    }
    let s = round_trip(full).await;
    assert_eq!(s.returned, REQUESTS as u64, "{s:?}");
    assert_eq!(s.created, s.retained as u64, "none is still out: {s:?}");
}
