//! The hyper server: one route per handler, the request body read into a
//! buffer, and the JSON response around whatever body a handler made.

use crate::body::ReplyBody;
use crate::pooled::{handle, Pools};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use std::convert::Infallible;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// The three handlers, each at a path of its own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pooled,
    PooledCopy,
    Unpooled,
}

pub const MODES: [Mode; 3] = [Mode::Pooled, Mode::PooledCopy, Mode::Unpooled];

impl Mode {
    pub fn path(self) -> &'static str {
        match self {
            Mode::Pooled => "/pooled",
            Mode::PooledCopy => "/pooled-copy",
            Mode::Unpooled => "/unpooled",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Mode::Pooled => "pooled",
            Mode::PooledCopy => "pooled+copy",
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

pub fn respond(status: StatusCode, body: ReplyBody) -> Response<ReplyBody> {
    let mut res = Response::new(body);
    *res.status_mut() = status;
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

pub fn bad_request() -> Response<ReplyBody> {
    let body = Bytes::from_static(br#"{"error":"bad order"}"#);
    respond(StatusCode::BAD_REQUEST, ReplyBody::Plain(Some(body)))
}

async fn route(
    req: Request<Incoming>,
    pools: Arc<Pools>,
) -> Result<Response<ReplyBody>, Infallible> {
    let Some(mode) = Mode::from_path(req.uri().path()) else {
        return Ok(respond(StatusCode::NOT_FOUND, ReplyBody::Plain(None)));
    };
    Ok(handle(mode, req.into_body(), &pools).await)
}

/// Accepts connections until the task is aborted, each served by a task of its own.
pub async fn serve(listener: TcpListener, pools: Arc<Pools>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let pools = Arc::clone(&pools);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| route(req, Arc::clone(&pools)));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
