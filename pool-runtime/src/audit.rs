//! The field-by-field audit of `PoolBuilder::audit_fields`: [`AuditFields`],
//! which `#[pool(audit)]` derives, and the [`Difference`] it reports.
//!
//! A derived impl compares field by field and names the first field that
//! differs, descending into nested `#[pool(audit)]` structs; the std types
//! (and `BytesMut`) compare whole, with `PartialEq`, and print with `Debug`.

use core::fmt::{self, Debug};
use core::marker::PhantomData;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, Hash};
use std::rc::Rc;
use std::sync::Arc;

/// Compares a value after its reset with a fresh one and says where they
/// first differ. `#[derive(Poolable)]` with `#[pool(audit)]` implements it
/// field by field; the std types compare whole. For a type of your own that
/// has a hand-written [`Poolable`](crate::Poolable), implement it with
/// [`Difference::compare`] (whole, by `PartialEq`), or field by field with
/// [`Difference::within`].
///
/// ```
/// use pool_runtime::{AuditFields, Difference};
///
/// #[derive(PartialEq, Debug)]
/// struct Cursor { pos: usize, line: u32 }
///
/// impl AuditFields for Cursor {
///     fn first_difference(&self, fresh: &Self) -> Option<Difference> {
///         Difference::compare(self, fresh)
///     }
/// }
///
/// let d = Cursor { pos: 0, line: 2 }.first_difference(&Cursor { pos: 0, line: 0 }).unwrap();
/// assert_eq!(d.after_reset(), "Cursor { pos: 0, line: 2 }");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `AuditFields`, which `#[pool(audit)]` needs of every field",
    label = "this field is compared by the audit",
    note = "put `#[pool(audit)]` on `{Self}`'s own `#[derive(Poolable)]`, or implement `AuditFields` \
            for it (`Difference::compare(self, fresh)` compares it whole, by `PartialEq`)"
)]
pub trait AuditFields {
    /// The first difference between `self` (after its reset) and `fresh`,
    /// or `None` when they are the same.
    fn first_difference(&self, fresh: &Self) -> Option<Difference>;
}

/// Where a value after its reset first differs from a fresh one: the path
/// of fields, outermost first, and both values there, as `Debug` prints
/// them. Shown as `` `a.b` after reset is X, a fresh value has Y ``.
///
/// ```
/// use pool_runtime::Difference;
///
/// let d = Difference::compare(&16u32, &0).unwrap().within("limit");
/// assert_eq!(d.path(), ["limit"]);
/// assert_eq!(d.to_string(), "`limit` after reset is 16, a fresh value has 0");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    path: Vec<&'static str>,
    after_reset: String,
    fresh: String,
}

impl Difference {
    /// Compares two values whole: `None` when equal, else both as `Debug`
    /// prints them.
    ///
    /// ```
    /// use pool_runtime::Difference;
    /// assert!(Difference::compare(&"a", &"a").is_none());
    /// assert_eq!(Difference::compare(&1, &0).unwrap().fresh(), "0");
    /// ```
    pub fn compare<T: PartialEq + Debug + ?Sized>(after_reset: &T, fresh: &T) -> Option<Self> {
        (after_reset != fresh).then(|| Difference {
            path: Vec::new(),
            after_reset: format!("{after_reset:?}"),
            fresh: format!("{fresh:?}"),
        })
    }

    /// The same difference, one field further out: `field` goes in front of
    /// the path.
    ///
    /// ```
    /// use pool_runtime::Difference;
    /// let d = Difference::compare(&1, &0).unwrap().within("limit").within("head");
    /// assert_eq!(d.path(), ["head", "limit"]);
    /// ```
    pub fn within(mut self, field: &'static str) -> Self {
        self.path.insert(0, field);
        self
    }

    /// The fields from the outermost to the one that differs; empty when
    /// the values differ as a whole.
    ///
    /// ```
    /// assert!(pool_runtime::Difference::compare(&1, &0).unwrap().path().is_empty());
    /// ```
    pub fn path(&self) -> &[&'static str] {
        &self.path
    }

    /// The value after its reset, as `Debug` prints it.
    ///
    /// ```
    /// assert_eq!(pool_runtime::Difference::compare(&1, &0).unwrap().after_reset(), "1");
    /// ```
    pub fn after_reset(&self) -> &str {
        &self.after_reset
    }

    /// The fresh value, as `Debug` prints it.
    ///
    /// ```
    /// assert_eq!(pool_runtime::Difference::compare(&1, &0).unwrap().fresh(), "0");
    /// ```
    pub fn fresh(&self) -> &str {
        &self.fresh
    }

    /// The path written after `root` (a type's name): `Root.a.b`.
    pub(crate) fn named(&self, root: &str) -> String {
        let mut name = root.to_owned();
        for field in &self.path {
            name.push('.');
            name.push_str(field);
        }
        name
    }
}

impl fmt::Display for Difference {
    /// `` `a.b` after reset is X, a fresh value has Y ``; the pool's panic
    /// puts the type's name in front of the path.
    ///
    /// ```
    /// let d = pool_runtime::Difference::compare(&1, &0).unwrap().within("n");
    /// assert_eq!(d.to_string(), "`n` after reset is 1, a fresh value has 0");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.named("");
        write!(
            f,
            "`{}` after reset is {}, a fresh value has {}",
            path.trim_start_matches('.'),
            self.after_reset,
            self.fresh
        )
    }
}

/// Types compared whole, with `PartialEq`.
macro_rules! audit_whole {
    ($(impl[$($gen:tt)*] for $t:ty $(where [$($bound:tt)*])?;)*) => {$(
        impl<$($gen)*> AuditFields for $t $(where $($bound)*)? {
            #[inline]
            fn first_difference(&self, fresh: &Self) -> Option<Difference> {
                Difference::compare(self, fresh)
            }
        }
    )*};
}

audit_whole! {
    impl[] for u8; impl[] for u16; impl[] for u32; impl[] for u64; impl[] for u128;
    impl[] for usize; impl[] for i8; impl[] for i16; impl[] for i32; impl[] for i64;
    impl[] for i128; impl[] for isize; impl[] for f32; impl[] for f64; impl[] for bool;
    impl[] for char; impl[] for (); impl[] for String;
    impl[T: PartialEq + Debug + ?Sized] for &T;
    impl[] for core::time::Duration;
    impl[T: ?Sized] for PhantomData<T>;
    impl[T: PartialEq + Debug] for Vec<T>;
    impl[T: PartialEq + Debug] for VecDeque<T>;
    impl[T: PartialEq + Debug] for Option<T>;
    impl[T: PartialEq + Debug, const N: usize] for [T; N];
    impl[K: PartialEq + Debug, V: PartialEq + Debug] for BTreeMap<K, V>;
    impl[T: PartialEq + Debug] for BTreeSet<T>;
    impl[K, V, S] for HashMap<K, V, S>
        where [K: Eq + Hash + Debug, V: PartialEq + Debug, S: BuildHasher];
    impl[T, S] for HashSet<T, S> where [T: Eq + Hash + Debug, S: BuildHasher];
    impl[T: PartialEq + Debug + ?Sized] for Arc<T>;
    impl[T: PartialEq + Debug + ?Sized] for Rc<T>;
}

#[cfg(feature = "bytes")]
audit_whole! {
    impl[] for bytes::BytesMut;
}

/// A box is audited as what it holds, path unchanged.
impl<T: AuditFields + ?Sized> AuditFields for Box<T> {
    #[inline]
    fn first_difference(&self, fresh: &Self) -> Option<Difference> {
        (**self).first_difference(fresh)
    }
}
