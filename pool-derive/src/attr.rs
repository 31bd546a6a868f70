//! Parses `#[pool(…)]` on the struct and on its fields.
//!
//! Errors go to the [`Ctxt`] and parsing goes on, so that one compile shows
//! every mistake of the input. What could not be parsed stays unset.

use std::fmt;

use proc_macro2::{Ident, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprPath, Path, Token, WherePredicate};

use crate::ctxt::Ctxt;

mod values;
use values::{bound, expr, field_cap, flag, function, max_value_bytes, module};

/// One key of `#[pool(…)]`. The constants below are the one table of keys:
/// the parsers match on them, and every message takes the key's name, its
/// place and its example from here, so a key is added in one place.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key {
    pub name: &'static str,
    pub place: Place,
    /// The key as the messages show it in use: `#[pool(<example>)]`.
    pub example: &'static str,
}

/// Where a key goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Field,
    Struct,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Place::Field => "a field",
            Place::Struct => "the struct",
        })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name)
    }
}

const fn key(name: &'static str, place: Place, example: &'static str) -> Key {
    Key {
        name,
        place,
        example,
    }
}

pub(crate) const SKIP: Key = key("skip", Place::Field, "skip");
pub(crate) const RESET: Key = key("reset", Place::Field, "reset = 16");
pub(crate) const RESET_WITH: Key = key("reset_with", Place::Field, "reset_with = Scratch::wipe");
pub(crate) const CAP: Key = key("cap", Place::Field, "cap = 1 << 20");
pub(crate) const SHRINK: Key = key("shrink", Place::Field, "cap = 256, shrink");
pub(crate) const ZEROIZE: Key = key("zeroize", Place::Field, "zeroize");
pub(crate) const MAX_VALUE_BYTES: Key = key(
    "max_value_bytes",
    Place::Struct,
    "max_value_bytes = 4 << 20",
);
/// The value of `max_value_bytes` that learns the cap instead of fixing it.
pub(crate) const AUTO: &str = "auto";
pub(crate) const AFTER_RESET: Key = key("after_reset", Place::Struct, "after_reset = Self::rewind");
pub(crate) const CRATE: Key = key("crate", Place::Struct, "crate = my_facade::pool");
pub(crate) const BOUND: Key = key("bound", Place::Struct, "bound = \"T: Poolable + Clone\"");
pub(crate) const GLOBAL: Key = key("global", Place::Struct, "global");
pub(crate) const NEW: Key = key("new", Place::Struct, "global, new = make_request");
pub(crate) const NAME: Key = key("name", Place::Struct, "global, name = \"parse_scratch\"");
pub(crate) const AUDIT: Key = key("audit", Place::Struct, "audit");

/// Every key, in the order the messages list them.
pub(crate) const KEYS: &[Key] = &[
    SKIP,
    RESET,
    RESET_WITH,
    CAP,
    SHRINK,
    ZEROIZE,
    MAX_VALUE_BYTES,
    AFTER_RESET,
    CRATE,
    BOUND,
    GLOBAL,
    NEW,
    NAME,
    AUDIT,
];

/// One `key` or `key = value` that was given, with the key kept for spans.
pub(crate) struct Setting<T> {
    pub key: Ident,
    pub value: T,
}

/// `#[pool(…)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub skip: Option<Setting<()>>,
    pub reset: Option<Setting<Expr>>,
    pub reset_with: Option<Setting<ExprPath>>,
    pub cap: Option<Setting<Expr>>,
    pub shrink: Option<Setting<()>>,
    pub zeroize: Option<Setting<()>>,
}

/// The struct's `max_value_bytes`: a fixed number of bytes, or `auto`, a cap
/// the pool learns from its returns.
pub(crate) enum MaxValueBytes {
    Fixed(Expr),
    Auto,
}

/// `#[pool(…)]` on the struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub max_value_bytes: Option<Setting<MaxValueBytes>>,
    pub after_reset: Option<Setting<ExprPath>>,
    pub krate: Option<Setting<Path>>,
    pub bound: Option<Setting<Vec<WherePredicate>>>,
    pub global: Option<Setting<()>>,
    pub new: Option<Setting<ExprPath>>,
    /// `name = EXPR`: the global pool's name (a `&'static str`).
    pub name: Option<Setting<Expr>>,
    pub audit: Option<Setting<()>>,
}

impl FieldAttrs {
    pub(crate) fn from_syn(attrs: &[Attribute], cx: &Ctxt) -> Self {
        let mut out = FieldAttrs::default();
        for_each_pool_meta(attrs, cx, Place::Field, |meta, key, ident| {
            match key {
                SKIP => set(cx, &mut out.skip, ident, flag(meta, key)?),
                SHRINK => set(cx, &mut out.shrink, ident, flag(meta, key)?),
                ZEROIZE => set(cx, &mut out.zeroize, ident, flag(meta, key)?),
                RESET => set(cx, &mut out.reset, ident, expr(meta, key)?),
                CAP => set(cx, &mut out.cap, ident, field_cap(meta, key)?),
                RESET_WITH => set(cx, &mut out.reset_with, ident, function(meta, key)?),
                elsewhere => return Err(misplaced(meta, elsewhere)),
            }
            Ok(())
        });
        out
    }
}

impl ContainerAttrs {
    pub(crate) fn from_syn(attrs: &[Attribute], cx: &Ctxt) -> Self {
        let mut out = ContainerAttrs::default();
        for_each_pool_meta(attrs, cx, Place::Struct, |meta, key, ident| {
            match key {
                GLOBAL => set(cx, &mut out.global, ident, flag(meta, key)?),
                AUDIT => set(cx, &mut out.audit, ident, flag(meta, key)?),
                MAX_VALUE_BYTES => set(
                    cx,
                    &mut out.max_value_bytes,
                    ident,
                    max_value_bytes(meta, key)?,
                ),
                AFTER_RESET => set(cx, &mut out.after_reset, ident, function(meta, key)?),
                CRATE => set(cx, &mut out.krate, ident, module(meta, key)?),
                NEW => set(cx, &mut out.new, ident, function(meta, key)?),
                NAME => set(cx, &mut out.name, ident, expr(meta, key)?),
                BOUND => set(cx, &mut out.bound, ident, bound(meta)?),
                elsewhere => return Err(misplaced(meta, elsewhere)),
            }
            Ok(())
        });
        out
    }
}

/// Calls `f` for every known `key …` inside every `#[pool(…)]` of `attrs`,
/// with the key's entry in [`KEYS`]; an unknown key is reported here.
fn for_each_pool_meta(
    attrs: &[Attribute],
    cx: &Ctxt,
    place: Place,
    mut f: impl FnMut(&ParseNestedMeta, Key, Ident) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("pool")) {
        if let Err(_not_a_list) = attr.meta.require_list() {
            cx.error_spanned_by(
                attr,
                "expected a list of pool attributes, e.g. `#[pool(skip)]` or `#[pool(cap = 1024)]`",
            );
            continue;
        }
        let parsed = attr.parse_nested_meta(|meta| {
            let known = meta
                .path
                .get_ident()
                .and_then(|ident| Some((lookup(ident)?, ident.clone())));
            let result = match known {
                Some((key, ident)) => f(&meta, key, ident),
                None => Err(unknown(&meta, place)),
            };
            if let Err(err) = result {
                // Report it, skip the rest of this key's value, read on.
                cx.syn_error(err);
                while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    meta.input.parse::<TokenTree>()?;
                }
            }
            Ok(())
        });
        if let Err(err) = parsed {
            cx.syn_error(err);
        }
    }
}

fn lookup(ident: &Ident) -> Option<Key> {
    if ident == MAX_BYTES_SPELLING {
        return Some(MAX_VALUE_BYTES);
    }
    KEYS.iter().copied().find(|key| ident == key.name)
}

/// The per-value cap's other spelling, `max_bytes = …` on the struct, which
/// means what `max_value_bytes` means: the name the pool's first design gave
/// it, kept so that code written to it compiles. The docs and messages
/// say `max_value_bytes`, the name `PoolBuilder` uses for the same cap
/// (its `max_bytes` is the whole pool's budget).
const MAX_BYTES_SPELLING: &str = "max_bytes";

/// Stores a setting, or reports it as a duplicate (at the second key).
fn set<T>(cx: &Ctxt, slot: &mut Option<Setting<T>>, key: Ident, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(&key, format_args!("duplicate pool attribute `{key}`"));
    } else {
        *slot = Some(Setting { key, value });
    }
}

/// A key that is in no row of [`KEYS`]; the message lists those of `place`.
fn unknown(meta: &ParseNestedMeta, place: Place) -> syn::Error {
    let shown = meta.path.to_token_stream().to_string().replace(' ', "");
    let expected: Vec<String> = KEYS
        .iter()
        .filter(|key| key.place == place)
        .map(|key| format!("`{key}`"))
        .collect();
    meta.error(format_args!(
        "unknown pool attribute `{shown}`; {place} takes {}",
        expected.join(", ")
    ))
}

/// A known key in the wrong place: a field key on the struct, or the reverse.
fn misplaced(meta: &ParseNestedMeta, key: Key) -> syn::Error {
    meta.error(format_args!(
        "pool attribute `{key}` goes on {}, not here",
        key.place
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `#[pool(…)]` as `place`'s attributes; the errors, as strings.
    fn errors(place: Place, pool: &str) -> Vec<String> {
        let attrs: Vec<Attribute> =
            match syn::parse_str::<syn::DeriveInput>(&format!("#[pool({pool})] struct S;")) {
                Ok(input) => input.attrs,
                Err(err) => panic!("test input `{pool}` does not parse: {err}"),
            };
        let cx = Ctxt::new();
        // Only the errors matter here, not what was parsed.
        let _parsed = match place {
            Place::Field => FieldAttrs::from_syn(&attrs, &cx).skip.is_some(),
            Place::Struct => ContainerAttrs::from_syn(&attrs, &cx).global.is_some(),
        };
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    /// The table and the parsers' arms agree: every key's example parses
    /// where the key goes, and is refused, as misplaced, where it does not.
    #[test]
    fn every_key_of_the_table_parses_in_its_place() {
        for key in KEYS {
            assert_eq!(
                errors(key.place, key.example),
                Vec::<String>::new(),
                "`{key}`"
            );
            let other = match key.place {
                Place::Field => Place::Struct,
                Place::Struct => Place::Field,
            };
            let misplaced = format!("pool attribute `{key}` goes on {}, not here", key.place);
            assert!(errors(other, key.example).contains(&misplaced), "`{key}`");
        }
    }

    /// The per-value cap's other spelling is the same key: accepted on the
    /// struct, misplaced on a field, and a duplicate beside the other.
    #[test]
    fn max_bytes_is_max_value_bytes() {
        assert_eq!(
            errors(Place::Struct, "max_bytes = 4096"),
            Vec::<String>::new()
        );
        assert_eq!(
            errors(Place::Struct, "max_bytes = auto"),
            Vec::<String>::new()
        );
        assert_eq!(
            errors(Place::Field, "max_bytes = 4096"),
            ["pool attribute `max_value_bytes` goes on the struct, not here"]
        );
        assert_eq!(
            errors(Place::Struct, "max_bytes = 1, max_value_bytes = 2"),
            ["duplicate pool attribute `max_value_bytes`"]
        );
    }
}
