//! A pooled buffer as a `bytes::Bytes` (`into_bytes`), `BytesMut` pooled,
//! and the guards' std traits (feature `bytes`).
#![cfg(feature = "ecosystem")]

use bytes::{BufMut, Bytes, BytesMut};
use pool_runtime::{OwnedPooled, Pool, Poolable};
use std::sync::{Arc, Barrier};

#[test]
fn a_bytes_cloned_across_threads_returns_its_buffer_once_after_the_last_clone() {
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(4096)));
    let mut buf = pool.get_owned();
    buf.extend_from_slice(&[7; 1000]);
    let at = buf.as_ptr();
    let bytes = OwnedPooled::into_bytes(buf);
    assert_eq!(bytes.as_ptr(), at, "no copy");
    let threads = if cfg!(miri) { 2 } else { 4 };
    let barrier = Arc::new(Barrier::new(threads + 1));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (b, barrier) = (bytes.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let more = b.clone();
                assert!(more.iter().all(|&x| x == 7));
                barrier.wait();
                drop((b, more));
            })
        })
        .collect();
    barrier.wait();
    for h in handles {
        h.join().unwrap();
    }
    let s = pool.stats();
    assert_eq!(
        (s.returned, s.retained),
        (0, 0),
        "a clone is still out: {s:?}"
    );
    drop(bytes);
    let s = pool.stats();
    assert_eq!((s.returned, s.retained), (1, 1), "{s:?}");
    let again = pool.get();
    assert_eq!(again.as_ptr(), at, "the same buffer, back in the pool");
    assert!(again.is_empty(), "and reset");
    drop(again);
    assert_eq!(pool.stats().returned, 2);
}

#[test]
fn the_last_clone_dropped_on_another_thread_is_a_remote_return() {
    let pool = Arc::new(Pool::new(Vec::<u8>::new));
    let bytes = OwnedPooled::into_bytes(pool.get_owned());
    std::thread::spawn(move || drop(bytes)).join().unwrap();
    let s = pool.stats();
    assert_eq!((s.returned, s.returned_remote), (1, 1), "{s:?}");
}

#[test]
fn a_bytes_turned_into_a_vec_copies_out_and_returns_its_buffer() {
    // `Vec::from` on a `Bytes` over an owner copies the bytes out and drops
    // the owner: the guard. Before bytes 1.10.1 it did not drop it
    // (tokio-rs/bytes#773), so the value stayed out for good.
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(4096)));
    let mut buf = pool.get_owned();
    buf.extend_from_slice(b"escapes");
    let at = buf.as_ptr();
    let copy = Vec::from(OwnedPooled::into_bytes(buf));
    assert_eq!(copy, b"escapes");
    assert_ne!(copy.as_ptr(), at, "a copy: the buffer itself is the pool's");
    let s = pool.stats();
    assert_eq!((s.returned, s.out, s.retained), (1, 0, 1), "{s:?}");
    let again = pool.get();
    assert_eq!((again.as_ptr(), again.len()), (at, 0), "back, and reset");
}

#[test]
fn a_buffer_over_its_cap_that_became_bytes_is_not_pooled() {
    let pool = Arc::new(Pool::builder(Vec::<u8>::new).max_value_bytes(1024).build());
    let mut big = pool.get_owned();
    big.extend_from_slice(&[1; 8192]);
    drop(OwnedPooled::into_bytes(big));
    let s = pool.stats();
    assert_eq!((s.rejected, s.retained), (1, 0), "{s:?}");
}

#[derive(Poolable, Default)]
struct Frame {
    #[pool(cap = 4096)]
    buf: BytesMut,
    seq: u32,
}

#[test]
fn a_derived_struct_caps_and_resets_its_bytes_mut_field() {
    let pool = Pool::new(Frame::default);
    let mut f = pool.get();
    f.buf.put_slice(b"header");
    f.seq = 9;
    let cap = f.buf.capacity();
    drop(f);
    let f = pool.get();
    assert!(f.buf.is_empty() && f.buf.capacity() == cap && f.seq == 0);
    drop(f);
    let mut big = pool.get();
    big.buf.reserve(1 << 16);
    drop(big);
    let s = pool.stats();
    assert_eq!((s.rejected, s.retained), (1, 0), "{s:?}");
}

#[test]
fn a_pooled_bytes_mut_keeps_its_allocation_through_reset() {
    let pool = Pool::new(|| BytesMut::with_capacity(2048));
    let mut b = pool.get();
    b.put_slice(&[3; 100]);
    let at = b.as_ptr();
    drop(b);
    let b = pool.get();
    assert_eq!((b.as_ptr(), b.len()), (at, 0));
    assert!(pool.stats().retained_bytes == 0, "the value is out");
    drop(b);
    assert!(pool.stats().retained_bytes >= 2048);
}

#[test]
fn guards_are_writers_and_byte_slices() {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let pool = Pool::new(Vec::<u8>::new);
    let mut out = pool.get();
    serde_json::to_writer(&mut out, &[1, 2, 3]).unwrap();
    write!(out, "!").unwrap();
    assert_eq!(&out[..], b"[1,2,3]!");
    let as_bytes: &[u8] = out.as_ref();
    assert_eq!(Bytes::copy_from_slice(as_bytes), &b"[1,2,3]!"[..]);

    let text = Pool::new(String::new);
    let mut line = text.get();
    write!(line, "{}-{}", 4, 2).unwrap();
    assert_eq!(line.as_str(), "4-2");
}
