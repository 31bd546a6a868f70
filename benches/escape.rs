//! divan benches of the escape problem: a 4 KiB reply that must outlive the
//! function that wrote it, handed out as a `bytes::Bytes` four ways, with
//! divan's `AllocProfiler` counting allocations. `cargo bench --bench escape`.
//!
//! - `copy`: written into a pooled buffer, copied out with
//!   `Bytes::copy_from_slice` (what Go's pooling advice amounts to: the
//!   buffer is reused, the reply is a fresh allocation of its whole length);
//! - `into_bytes`: written into a pooled buffer that becomes the `Bytes`
//!   (`OwnedPooled::into_bytes`): no copy, one small allocation for the
//!   `Bytes`'s shared owner, and the buffer back in the pool on drop;
//! - `fresh_vec`: a new `Vec` each time, turned into `Bytes` (`Bytes::from`);
//! - `detach`: the pooled buffer detached and turned into `Bytes`, so the
//!   pool makes a new one every time.

use bytes::Bytes;
use divan::{black_box, AllocProfiler, Bencher};
use pool_runtime::{OwnedPooled, Pool, Pooled};
use std::sync::Arc;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

const REPLY: usize = 4096;
static SRC: [u8; REPLY] = [b'x'; REPLY];

fn main() {
    divan::main();
}

fn buffers() -> Arc<Pool<Vec<u8>>> {
    Arc::new(Pool::new(|| Vec::with_capacity(REPLY)))
}

#[divan::bench]
fn copy(b: Bencher) {
    let pool = buffers();
    b.bench_local(|| {
        let mut buf = pool.get();
        buf.extend_from_slice(&SRC);
        let reply = Bytes::copy_from_slice(&buf);
        drop(buf);
        black_box(reply)
    });
}

#[divan::bench]
fn into_bytes(b: Bencher) {
    let pool = buffers();
    b.bench_local(|| {
        let mut buf = pool.get_owned();
        buf.extend_from_slice(&SRC);
        black_box(OwnedPooled::into_bytes(buf))
    });
}

#[divan::bench]
fn fresh_vec(b: Bencher) {
    b.bench_local(|| {
        let mut buf = Vec::with_capacity(REPLY);
        buf.extend_from_slice(&SRC);
        black_box(Bytes::from(buf))
    });
}

#[divan::bench]
fn detach(b: Bencher) {
    let pool = buffers();
    b.bench_local(|| {
        let mut buf = pool.get();
        buf.extend_from_slice(&SRC);
        black_box(Bytes::from(Pooled::detach(buf)))
    });
}
