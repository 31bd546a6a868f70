//! Parsing into a pooled value in place (feature `serde`): [`fill`],
//! [`InPlace`], and for JSON (feature `serde-json`)
//! [`from_slice_in_place`] and [`from_str_in_place`].
//!
//! serde's `Deserialize::deserialize_in_place` (hidden in serde's docs,
//! stable) fills an existing value instead of making a new one: a `String`
//! is cleared and refilled in its own buffer, a number overwritten. The
//! `serde` feature turns it on for `#[derive(Deserialize)]` structs
//! (serde_derive's `deserialize_in_place` feature), and [`ReuseVec`] and
//! [`ReuseMap`] implement it by filling their spares, so a pooled struct
//! of strings, `ReuseVec`s and `ReuseMap`s is parsed with no allocation
//! once warm.
//!
//! What still allocates: a field that serde assigns rather than fills (an
//! `Option<_>` field, or a `#[serde(default)]` field missing from the
//! input, gets a new value, and the old one's spares go with it), and, for
//! JSON, the first string with an escape (`\n`, `\u00e9`) in each call of
//! `from_slice_in_place`, which makes serde_json's scratch buffer for
//! that call's deserializer.
//!
//! [`ReuseVec`]: crate::ReuseVec
//! [`ReuseMap`]: crate::ReuseMap

use crate::poolable::Poolable;
use ::serde::de::{Deserialize, DeserializeSeed, Deserializer};

/// Parses from `deserializer` into `value`, reusing what `value` holds (a
/// pooled value, reset). On an error `value` is reset before the error is
/// returned, never left half filled with the previous record's data.
///
/// ```
/// use pool_runtime::{Pool, Poolable, ReuseVec};
///
/// #[derive(Poolable, Default, serde::Deserialize)]
/// struct Record {
///     user: String,
///     tags: ReuseVec<String>,
/// }
///
/// let pool: Pool<Record> = Pool::default();
/// let mut r = pool.get();
/// let mut de = serde_json::Deserializer::from_str(r#"{"user":"ada","tags":["a","b"]}"#);
/// pool_runtime::serde::fill(&mut *r, &mut de).unwrap();
/// assert_eq!((r.user.as_str(), r.tags.len()), ("ada", 2));
/// ```
pub fn fill<'de, T, D>(value: &mut T, deserializer: D) -> Result<(), D::Error>
where
    T: Deserialize<'de> + Poolable,
    D: Deserializer<'de>,
{
    let filled = T::deserialize_in_place(deserializer, value);
    if filled.is_err() {
        value.reset();
    }
    filled
}

/// A `DeserializeSeed` that fills the value it borrows in place: for
/// formats and nested places that [`fill`] does not reach (an element of
/// a sequence, a value of a map). It does not reset on an error; the
/// caller whose parse failed resets the whole value.
///
/// ```
/// use serde::de::DeserializeSeed;
///
/// let mut name = String::with_capacity(64);
/// let at = name.as_ptr();
/// let mut de = serde_json::Deserializer::from_str(r#""ada""#);
/// pool_runtime::serde::InPlace(&mut name).deserialize(&mut de).unwrap();
/// assert_eq!((name.as_str(), name.as_ptr()), ("ada", at));
/// ```
pub struct InPlace<'a, T>(pub &'a mut T);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for InPlace<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        T::deserialize_in_place(deserializer, self.0)
    }
}

/// [`fill`] from JSON bytes, the whole input (trailing characters are an
/// error, as with `serde_json::from_slice`).
///
/// ```
/// use pool_runtime::{Pool, Poolable, ReuseMap};
///
/// #[derive(Poolable, Default, serde::Deserialize)]
/// struct Attrs {
///     attrs: ReuseMap<i64>,
/// }
///
/// let pool: Pool<Attrs> = Pool::default();
/// let mut a = pool.get();
/// pool_runtime::serde::from_slice_in_place(&mut *a, br#"{"attrs":{"x":1}}"#).unwrap();
/// assert_eq!(a.attrs["x"], 1);
/// // A bad record leaves the value reset, not half filled.
/// assert!(pool_runtime::serde::from_slice_in_place(&mut *a, br#"{"attrs":{"y":2},"#).is_err());
/// assert!(a.attrs.is_empty());
/// ```
#[cfg(feature = "serde-json")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde-json")))]
pub fn from_slice_in_place<'a, T>(value: &mut T, json: &'a [u8]) -> serde_json::Result<()>
where
    T: Deserialize<'a> + Poolable,
{
    let mut de = serde_json::Deserializer::from_slice(json);
    let parsed = T::deserialize_in_place(&mut de, value).and_then(|()| de.end());
    if parsed.is_err() {
        value.reset();
    }
    parsed
}

/// [`from_slice_in_place`] from a `&str`.
///
/// ```
/// let mut tags: pool_runtime::ReuseVec<String> = pool_runtime::ReuseVec::new();
/// pool_runtime::serde::from_str_in_place(&mut tags, r#"["a","b"]"#).unwrap();
/// assert_eq!(tags.as_slice(), ["a", "b"]);
/// ```
#[cfg(feature = "serde-json")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde-json")))]
pub fn from_str_in_place<'a, T>(value: &mut T, json: &'a str) -> serde_json::Result<()>
where
    T: Deserialize<'a> + Poolable,
{
    from_slice_in_place(value, json.as_bytes())
}
