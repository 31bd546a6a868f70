//! Parses `#[pool(…)]` on the struct and on its fields.
//!
//! Errors go to the [`Ctxt`] and parsing goes on, so that one compile shows
//! every mistake of the input. What could not be parsed stays unset.

use proc_macro2::{Ident, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, LitStr, Path, Token, WherePredicate};

use crate::ctxt::Ctxt;

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
    pub reset_with: Option<Setting<Path>>,
    pub cap: Option<Setting<Expr>>,
    pub shrink: Option<Setting<()>>,
    pub zeroize: Option<Setting<()>>,
}

/// `#[pool(…)]` on the struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub max_bytes: Option<Setting<Expr>>,
    pub after_reset: Option<Setting<Path>>,
    pub krate: Option<Setting<Path>>,
    pub bound: Option<Setting<Vec<WherePredicate>>>,
    pub global: Option<Setting<()>>,
    pub new: Option<Setting<Path>>,
}

const FIELD_KEYS: &[&str] = &["skip", "reset", "reset_with", "cap", "shrink", "zeroize"];
const CONTAINER_KEYS: &[&str] = &[
    "max_bytes",
    "after_reset",
    "crate",
    "bound",
    "global",
    "new",
];

impl FieldAttrs {
    pub(crate) fn from_syn(attrs: &[Attribute], cx: &Ctxt) -> Self {
        let mut out = FieldAttrs::default();
        for_each_pool_meta(attrs, cx, |meta, key| {
            match key.to_string().as_str() {
                "skip" => set(cx, &mut out.skip, key, flag(meta, "skip")?),
                "shrink" => set(cx, &mut out.shrink, key, flag(meta, "shrink")?),
                "zeroize" => set(cx, &mut out.zeroize, key, flag(meta, "zeroize")?),
                "reset" => set(cx, &mut out.reset, key, expr(meta, "reset", "reset = 16")?),
                "cap" => set(cx, &mut out.cap, key, expr(meta, "cap", "cap = 1 << 20")?),
                "reset_with" => set(
                    cx,
                    &mut out.reset_with,
                    key,
                    path(meta, "reset_with", "reset_with = Scratch::wipe")?,
                ),
                other => return Err(unknown(meta, other, CONTAINER_KEYS, "the struct")),
            }
            Ok(())
        });
        out
    }
}

impl ContainerAttrs {
    pub(crate) fn from_syn(attrs: &[Attribute], cx: &Ctxt) -> Self {
        let mut out = ContainerAttrs::default();
        for_each_pool_meta(attrs, cx, |meta, key| {
            match key.to_string().as_str() {
                "global" => set(cx, &mut out.global, key, flag(meta, "global")?),
                "max_bytes" => set(
                    cx,
                    &mut out.max_bytes,
                    key,
                    expr(meta, "max_bytes", "max_bytes = 4 << 20")?,
                ),
                "after_reset" => set(
                    cx,
                    &mut out.after_reset,
                    key,
                    path(meta, "after_reset", "after_reset = Self::rewind")?,
                ),
                "crate" => set(
                    cx,
                    &mut out.krate,
                    key,
                    path(meta, "crate", "crate = my_facade::pool")?,
                ),
                "new" => set(
                    cx,
                    &mut out.new,
                    key,
                    path(meta, "new", "new = make_request")?,
                ),
                "bound" => set(cx, &mut out.bound, key, bound(meta)?),
                other => return Err(unknown(meta, other, FIELD_KEYS, "a field")),
            }
            Ok(())
        });
        out
    }
}

/// Calls `f` for every `key …` inside every `#[pool(…)]` of `attrs`.
fn for_each_pool_meta(
    attrs: &[Attribute],
    cx: &Ctxt,
    mut f: impl FnMut(&ParseNestedMeta, Ident) -> syn::Result<()>,
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
            let result = match meta.path.get_ident() {
                Some(key) => f(&meta, key.clone()),
                None => {
                    let shown = meta.path.to_token_stream().to_string().replace(' ', "");
                    Err(unknown(&meta, &shown, &[], ""))
                }
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

/// Stores a setting, or reports it as a duplicate (at the second key).
fn set<T>(cx: &Ctxt, slot: &mut Option<Setting<T>>, key: Ident, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(&key, format_args!("duplicate pool attribute `{key}`"));
    } else {
        *slot = Some(Setting { key, value });
    }
}

/// The error for a key that is not known here; a key of the other place
/// (a field key on the struct, or the reverse) says where it goes.
fn unknown(
    meta: &ParseNestedMeta,
    key: &str,
    other_place: &[&str],
    other_place_name: &str,
) -> syn::Error {
    if other_place.contains(&key) {
        meta.error(format_args!(
            "pool attribute `{key}` goes on {other_place_name}, not here"
        ))
    } else {
        meta.error(format_args!("unknown pool attribute `{key}`"))
    }
}

/// A key that takes no value: `skip`, not `skip = true`.
fn flag(meta: &ParseNestedMeta, key: &str) -> syn::Result<()> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        Ok(())
    } else {
        Err(meta.error(format_args!(
            "`{key}` takes no value: write `#[pool({key})]`"
        )))
    }
}

/// `key = EXPR`; a string or anything that is not one expression is an error
/// showing the right form.
fn expr(meta: &ParseNestedMeta, key: &str, example: &str) -> syn::Result<Expr> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format_args!("`{key}` needs a value: `#[pool({example})]`")));
    }
    let value = meta.value()?;
    if value.peek(LitStr) {
        let lit: LitStr = value.parse()?;
        return Err(syn::Error::new_spanned(
            lit,
            format_args!("`{key}` takes an expression, not a string: `#[pool({example})]`"),
        ));
    }
    let not_an_expression = |span| {
        syn::Error::new(
            span,
            format_args!("`{key}` takes one expression, e.g. `#[pool({example})]`"),
        )
    };
    let parsed: Expr = value.parse().map_err(|err| not_an_expression(err.span()))?;
    if !value.is_empty() && !value.peek(Token![,]) {
        return Err(not_an_expression(value.span()));
    }
    Ok(parsed)
}

/// `key = PATH`, written bare.
fn path(meta: &ParseNestedMeta, key: &str, example: &str) -> syn::Result<Path> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format_args!("`{key}` needs a path: `#[pool({example})]`")));
    }
    let value = meta.value()?;
    if value.peek(LitStr) {
        let lit: LitStr = value.parse()?;
        return Err(syn::Error::new_spanned(
            lit,
            format_args!("`{key}` takes a path written bare, not a string: `#[pool({example})]`"),
        ));
    }
    let not_a_path = |span| {
        syn::Error::new(
            span,
            format_args!("`{key}` takes a path, e.g. `#[pool({example})]`"),
        )
    };
    let parsed: Path = value
        .call(Path::parse_mod_style)
        .or_else(|_| value.parse())
        .map_err(|err| not_a_path(err.span()))?;
    if !value.is_empty() && !value.peek(Token![,]) {
        return Err(not_a_path(value.span()));
    }
    Ok(parsed)
}

/// `bound = "T: Trait, U: Other"`: the one key whose value is a string,
/// because where-predicates do not parse inside an attribute.
fn bound(meta: &ParseNestedMeta) -> syn::Result<Vec<WherePredicate>> {
    let example = "`#[pool(bound = \"T: Poolable + Clone\")]`";
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format_args!("`bound` needs a string: {example}")));
    }
    let value = meta.value()?;
    if !value.peek(LitStr) {
        return Err(syn::Error::new(
            value.span(),
            format_args!("`bound` takes a string of where-clause predicates: {example}"),
        ));
    }
    let lit: LitStr = value.parse()?;
    let predicates = lit
        .parse_with(Punctuated::<WherePredicate, Token![,]>::parse_terminated)
        .map_err(|err| {
            syn::Error::new_spanned(
                &lit,
                format_args!("`bound` is not a list of where-clause predicates ({err}): {example}"),
            )
        })?;
    Ok(predicates.into_iter().collect())
}
