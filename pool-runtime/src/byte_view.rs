//! [`ByteView`]: a pooled value whose contents are a run of bytes.

use crate::poolable::Poolable;

/// A pooled value whose contents can be read as one `&[u8]`: what lets a
/// guard be used where bytes are expected (`AsRef<[u8]>`), become a
/// `bytes::Bytes` without a copy (`OwnedPooled::into_bytes`, feature
/// `bytes`), or be an HTTP body (`PooledBody`, feature `http-body`).
///
/// Implemented for `Vec<u8>`, `String` and, with the `bytes` feature,
/// `bytes::BytesMut`. For a struct that holds its output in one byte field,
/// point at that field:
///
/// ```
/// use pool_runtime::{ByteView, Pool, Poolable};
///
/// #[derive(Poolable, Default)]
/// struct Reply {
///     status: u16,
///     body: Vec<u8>,
/// }
///
/// impl ByteView for Reply {
///     fn byte_view(&self) -> &[u8] {
///         &self.body
///     }
/// }
///
/// let pool = Pool::new(Reply::default);
/// let mut r = pool.get();
/// r.body.extend_from_slice(b"{}");
/// let bytes: &[u8] = r.as_ref();
/// assert_eq!(bytes, b"{}");
/// ```
pub trait ByteView: Poolable {
    /// The value's bytes. It must return the same slice (same address and
    /// length) for as long as the value is not mutated: a `Bytes` made from
    /// a guard keeps the slice it saw first.
    ///
    /// ```
    /// use pool_runtime::ByteView;
    /// assert_eq!(ByteView::byte_view(&String::from("hi")), b"hi");
    /// ```
    fn byte_view(&self) -> &[u8];
}

impl ByteView for Vec<u8> {
    #[inline]
    fn byte_view(&self) -> &[u8] {
        self
    }
}

impl ByteView for String {
    #[inline]
    fn byte_view(&self) -> &[u8] {
        self.as_bytes()
    }
}
