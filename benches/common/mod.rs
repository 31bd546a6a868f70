//! The benchmark workloads (tiny, buf4k, parse, grow64k, heavy-tail, handoff), shared by the `compare` report and the divan
//! `paths` benches: the objects, their `use` step and their reset, written
//! once so that every contender does exactly the same work.

#![allow(dead_code)]

use pool_runtime::Poolable;
use std::collections::HashMap;
use std::hint::black_box;

/// Bytes appended by one `buf4k` use.
pub const BUF4K_USE: usize = 512;
/// Bytes appended to `parse.body` by one use.
pub const PARSE_BODY: usize = 2048;
/// Spans pushed by one `parse` use.
pub const PARSE_SPANS: u32 = 32;
/// Fields inserted by one `parse` use.
pub const PARSE_FIELDS: u32 = 16;
/// `grow64k` appends this many 1 KiB chunks.
pub const GROW_CHUNKS: usize = 64;

/// The bytes every append copies from.
pub static SRC: [u8; 2048] = {
    let mut a = [0u8; 2048];
    let mut i = 0;
    while i < a.len() {
        a[i] = (i * 31 + 7) as u8;
        i += 1;
    }
    a
};

/// The `parse` object: created empty, grown by each use. Its reset is
/// written by the derive: clear the containers (keeping capacity), `valid`
/// to false, which is what [`reset_parse`] does by hand for the others.
#[derive(Default, Debug, Poolable)]
pub struct Parse {
    pub body: Vec<u8>,
    pub spans: Vec<(u32, u32)>,
    pub fields: HashMap<u64, u32>,
    pub valid: bool,
}

// ---- the `use` steps (the same function for every contender) ----

/// `tiny`: write one value.
#[inline(always)]
pub fn use_tiny(b: &mut u64, i: u64) {
    *b = i;
    black_box(b);
}

/// A byte buffer `buf4k`, `grow64k` and `handoff` can append to: std's
/// `Vec<u8>` and the `allocator_api2` one over mimalloc.
pub trait Bytes {
    fn append(&mut self, bytes: &[u8]);
}
impl Bytes for Vec<u8> {
    #[inline(always)]
    fn append(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}
/// `allocator_api2`'s `Vec::extend_from_slice` cannot specialize on stable
/// Rust and pushes byte by byte (measured 100x slower than std's on 64 KiB);
/// this does what std's does for `Copy` elements: reserve (same amortized
/// growth), then one copy.
impl<A: allocator_api2::alloc::Allocator> Bytes for allocator_api2::vec::Vec<u8, A> {
    #[inline(always)]
    fn append(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        let len = self.len();
        // SAFETY: `reserve` made room for `bytes.len()` more bytes after
        // `len`; the source is a distinct borrowed slice; then exactly those
        // bytes are initialized.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.as_mut_ptr().add(len), bytes.len());
            self.set_len(len + bytes.len());
        }
    }
}

/// `buf4k` (and `handoff`): append 512 bytes.
#[inline(always)]
pub fn use_buf4k<B: Bytes>(b: &mut B) {
    b.append(&SRC[..BUF4K_USE]);
    black_box(b);
}

/// `grow64k`: append 64 KiB in 1 KiB chunks.
#[inline(always)]
pub fn use_grow64k<B: Bytes>(b: &mut B) {
    for _ in 0..GROW_CHUNKS {
        b.append(black_box(&SRC[..1024]));
    }
    black_box(b);
}

/// `heavy-tail`: the body size of request `i`, from a hash of `i` (the
/// same sizes for every contender and round): 99 in 100 are 1-8 KiB, one
/// is 1-64 MiB, both log-uniform.
pub fn heavy_tail_size(i: u64) -> usize {
    let (z, unit) = hashed(i, 2024);
    if z % 100 == 0 {
        log_uniform(1 << 20, 64 << 20, unit)
    } else {
        log_uniform(1024, 8192, unit)
    }
}

/// A hash of `i` (splitmix64's finalizer, `salt` added), and a number in
/// `[0, 1)` from its top bits: the same for every contender and round.
#[inline(always)]
fn hashed(i: u64, salt: u64) -> (u64, f64) {
    let mut z = i.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(salt);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z, (z >> 11) as f64 / (1u64 << 53) as f64)
}

/// The point `unit` of the way from `lo` to `hi` on a log scale.
#[inline(always)]
fn log_uniform(lo: u64, hi: u64, unit: f64) -> usize {
    let (lo, hi) = ((lo as f64).ln(), (hi as f64).ln());
    (lo + (hi - lo) * unit).exp() as usize
}

/// `heavy-tail`: read request `i`'s body into the buffer.
#[inline(always)]
pub fn use_heavy_tail(b: &mut Vec<u8>, i: u64) {
    b.resize(heavy_tail_size(i), 1);
    black_box(b);
}

/// `sizes`: the size of request `i`, from a hash of `i` (the same sizes
/// for every contender and round): 199 in 200 are 64 B to 1 MiB, one is 1
/// to 8 MiB, both log-uniform; a buffer pool's sizes, many and mixed.
pub fn sizes_size(i: u64) -> usize {
    let (z, unit) = hashed(i, 2026);
    if z % 200 == 0 {
        log_uniform(1 << 20, 8 << 20, unit)
    } else {
        log_uniform(64, 1 << 20, unit)
    }
}

/// `sizes`: fill request `i`'s buffer, which has room for it or grows.
#[inline(always)]
pub fn use_sizes(b: &mut Vec<u8>, n: usize) {
    b.resize(n, 1);
    black_box(b);
}

/// The fields of a `parse` object, whichever allocator holds them.
pub trait ParseFields {
    fn body(&mut self) -> &mut impl Bytes;
    fn push_span(&mut self, span: (u32, u32));
    fn insert_field(&mut self, k: u64, v: u32);
    fn set_valid(&mut self);
}

impl ParseFields for Parse {
    fn body(&mut self) -> &mut impl Bytes {
        &mut self.body
    }
    #[inline(always)]
    fn push_span(&mut self, span: (u32, u32)) {
        self.spans.push(span);
    }
    #[inline(always)]
    fn insert_field(&mut self, k: u64, v: u32) {
        self.fields.insert(k, v);
    }
    #[inline(always)]
    fn set_valid(&mut self) {
        self.valid = true;
    }
}

/// `parse`: append 2 KiB to body, push 32 spans, insert 16 fields, set valid.
#[inline(always)]
pub fn use_parse<P: ParseFields>(p: &mut P, i: u64) {
    p.body().append(&SRC[..PARSE_BODY]);
    let base = i as u32;
    for s in 0..PARSE_SPANS {
        p.push_span((base.wrapping_add(s), s * 2));
    }
    for f in 0..PARSE_FIELDS {
        p.insert_field(i.wrapping_mul(131).wrapping_add(f as u64), f);
    }
    p.set_valid();
    black_box(p);
}

// ---- the resets done by hand (floor and peers) ----

#[inline(always)]
pub fn reset_tiny(b: &mut u64) {
    *b = 0;
}

#[inline(always)]
pub fn reset_vec(v: &mut Vec<u8>) {
    v.clear();
}

#[inline(always)]
pub fn reset_parse(p: &mut Parse) {
    p.body.clear();
    p.spans.clear();
    p.fields.clear();
    p.valid = false;
}

// ---- factories ----

pub fn new_tiny() -> Box<u64> {
    Box::new(0)
}
pub fn new_buf4k() -> Vec<u8> {
    Vec::with_capacity(4096)
}
pub fn new_parse() -> Parse {
    Parse::default()
}
pub fn new_grow() -> Vec<u8> {
    Vec::new()
}
