//! The hyper servers: one route per handler, the request body read into a
//! buffer, and the JSON response around whatever body a handler made.
//!
//! Hyper serves one response body type per service, so there are two
//! servers: one whose every body is a `PooledBody` (the pooled reply buffer
//! itself), and one whose every body is `Full<Bytes>`, the body type of a
//! framework fixed to `Bytes` (as axum's is). An enum body over both would
//! have to forward `Body` and `Buf` by hand; a `BoxBody` would allocate per
//! response, on the very row that must not.

use crate::pooled::{handle_copy, handle_into_bytes, handle_pooled_body, handle_unpooled, Pools};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use pool_runtime::PooledBody;
use std::convert::Infallible;
use std::error::Error;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// The reply to an order that does not parse.
pub const BAD_ORDER: &[u8] = br#"{"error":"bad order"}"#;

/// The handlers, each at a path of its own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    PooledBody,
    IntoBytes,
    Copy,
    Unpooled,
}

pub const MODES: [Mode; 4] = [
    Mode::PooledBody,
    Mode::IntoBytes,
    Mode::Copy,
    Mode::Unpooled,
];

impl Mode {
    pub fn path(self) -> &'static str {
        match self {
            Mode::PooledBody => "/pooled-body",
            Mode::IntoBytes => "/into-bytes",
            Mode::Copy => "/copy",
            Mode::Unpooled => "/unpooled",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Mode::PooledBody => "PooledBody",
            Mode::IntoBytes => "into_bytes",
            Mode::Copy => "copy_from_slice",
            Mode::Unpooled => "unpooled",
        }
    }
    fn from_path(path: &str) -> Option<Mode> {
        MODES.into_iter().find(|m| m.path() == path)
    }
}

/// Appends the request body to `buf`; false if it is too large or broken.
pub async fn read_body(body: &mut Incoming, buf: &mut Vec<u8>) -> bool {
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

pub fn respond<B>(status: StatusCode, body: B) -> Response<B> {
    let mut res = Response::new(body);
    *res.status_mut() = status;
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

/// The bad-order reply of the `Full<Bytes>` server.
pub fn bad_request() -> Response<Full<Bytes>> {
    respond(
        StatusCode::BAD_REQUEST,
        Full::new(Bytes::from_static(BAD_ORDER)),
    )
}

/// The routes of the `PooledBody` server: its one handler, and a 404 from
/// an empty pooled buffer (a body of no frame at all).
async fn route_pooled_body(
    req: Request<Incoming>,
    pools: Arc<Pools>,
) -> Response<PooledBody<Vec<u8>>> {
    match Mode::from_path(req.uri().path()) {
        Some(Mode::PooledBody) => handle_pooled_body(req.into_body(), &pools).await,
        _ => respond(
            StatusCode::NOT_FOUND,
            PooledBody::from(pools.reply.get_owned()),
        ),
    }
}

/// The routes of the `Full<Bytes>` server: every handler but `PooledBody`'s.
async fn route_bytes(req: Request<Incoming>, pools: Arc<Pools>) -> Response<Full<Bytes>> {
    match Mode::from_path(req.uri().path()) {
        Some(Mode::IntoBytes) => handle_into_bytes(req.into_body(), &pools).await,
        Some(Mode::Copy) => handle_copy(req.into_body(), &pools).await,
        Some(Mode::Unpooled) => handle_unpooled(req.into_body()).await,
        Some(Mode::PooledBody) | None => respond(StatusCode::NOT_FOUND, Full::default()),
    }
}

/// Accepts connections until the task is aborted, each served by a task of
/// its own, every request by `route`.
async fn serve<B, Fut>(
    listener: TcpListener,
    pools: Arc<Pools>,
    route: fn(Request<Incoming>, Arc<Pools>) -> Fut,
) where
    Fut: Future<Output = Response<B>> + Send + 'static,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let pools = Arc::clone(&pools);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let reply = route(req, Arc::clone(&pools));
                async move { Ok::<_, Infallible>(reply.await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The two servers, listening on 127.0.0.1 (ephemeral ports) until dropped.
pub struct Servers {
    pub pooled_body: SocketAddr,
    pub bytes: SocketAddr,
    tasks: [JoinHandle<()>; 2],
}

impl Servers {
    /// Binds both and spawns them on the current tokio runtime.
    pub async fn start(pools: Arc<Pools>) -> io::Result<Servers> {
        let pooled_body = TcpListener::bind("127.0.0.1:0").await?;
        let bytes = TcpListener::bind("127.0.0.1:0").await?;
        Ok(Servers {
            pooled_body: pooled_body.local_addr()?,
            bytes: bytes.local_addr()?,
            tasks: [
                tokio::spawn(serve(pooled_body, Arc::clone(&pools), route_pooled_body)),
                tokio::spawn(serve(bytes, pools, route_bytes)),
            ],
        })
    }

    /// Where `mode`'s handler is served.
    pub fn addr(&self, mode: Mode) -> SocketAddr {
        match mode {
            Mode::PooledBody => self.pooled_body,
            Mode::IntoBytes | Mode::Copy | Mode::Unpooled => self.bytes,
        }
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
