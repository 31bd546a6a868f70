//! The values of `#[pool(…)]` keys: a flag, an expression, a count, the
//! struct's `max_value_bytes` (`auto` included), a function path, a module path,
//! where-predicates. Each parser gives the mistake a message of its own.

use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{
    Expr, ExprLit, ExprPath, Lit, LitStr, Path, PathArguments, Token, TypePath, WherePredicate,
};

use super::{Key, MaxValueBytes, AUTO, BOUND};

/// A key that takes no value: `skip`, not `skip = true`.
pub(super) fn flag(meta: &ParseNestedMeta, key: Key) -> syn::Result<()> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        Ok(())
    } else {
        Err(meta.error(format_args!(
            "`{key}` takes no value: write `#[pool({})]`",
            key.example
        )))
    }
}

/// `key = EXPR`, any expression: `reset = "idle"` and `reset =
/// "x".to_owned()` are expressions like the others.
pub(super) fn expr(meta: &ParseNestedMeta, key: Key) -> syn::Result<Expr> {
    bare(meta, key, "one expression", |input| input.parse())
}

/// `key = EXPR` where the expression is a `usize` (`cap`, `max_value_bytes`): a
/// string literal can never be one, and is most likely a habit from
/// attributes that quote their values, so it gets a message of its own.
/// Any other expression (`"four".len()`) is left to the compiler.
pub(super) fn count(meta: &ParseNestedMeta, key: Key) -> syn::Result<Expr> {
    let parsed = expr(meta, key)?;
    match &parsed {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Err(syn::Error::new_spanned(
            lit,
            format_args!(
                "`{key}` takes a `usize`, not a string: write it bare, `#[pool({})]`",
                key.example
            ),
        )),
        _ => Ok(parsed),
    }
}

/// `max_value_bytes = auto` or `max_value_bytes = EXPR`. `auto` is the whole value:
/// with a number beside it (`auto(4096)`, `auto + 1`, `auto.min(…)`) it is
/// neither a learned cap nor a fixed one, and says so.
pub(super) fn max_value_bytes(meta: &ParseNestedMeta, key: Key) -> syn::Result<MaxValueBytes> {
    let parsed = count(meta, key)?;
    if is_auto(&parsed) {
        return Ok(MaxValueBytes::Auto);
    }
    let beside = match &parsed {
        Expr::Call(call) => is_auto(&call.func),
        Expr::Binary(binary) => is_auto(&binary.left) || is_auto(&binary.right),
        Expr::MethodCall(call) => is_auto(&call.receiver),
        _ => false,
    };
    if beside {
        return Err(syn::Error::new_spanned(
            &parsed,
            "`max_value_bytes = auto` learns the cap from the pool's returns and takes no number: \
             write `#[pool(max_value_bytes = auto)]` (its percentile is the builder's \
             `calibrate_percentile`), or a fixed cap such as `#[pool(max_value_bytes = 4 << 20)]`, \
             not both",
        ));
    }
    Ok(MaxValueBytes::Fixed(parsed))
}

/// A field's `cap = EXPR`: a number of elements, never learned.
pub(super) fn field_cap(meta: &ParseNestedMeta, key: Key) -> syn::Result<Expr> {
    let parsed = count(meta, key)?;
    if is_auto(&parsed) {
        return Err(syn::Error::new_spanned(
            &parsed,
            "a field's `cap` is a number of elements, not `auto`: a learned cap is the \
             struct's, over the whole value's bytes: `#[pool(max_value_bytes = auto)]`",
        ));
    }
    Ok(parsed)
}

/// The bare path `auto`.
fn is_auto(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(path) if path.qself.is_none() && path.path.is_ident(AUTO))
}

/// `key = PATH` of a function: any path an expression can name, `f`,
/// `Self::f`, `Vec::<u8>::clear`, `<Vec<u8> as Wipe>::wipe`. It is parsed
/// as an expression parses it, in one go: a parser that gave up halfway
/// (at the `<` of a turbofish) would leave nothing whole to fall back on.
pub(super) fn function(meta: &ParseNestedMeta, key: Key) -> syn::Result<ExprPath> {
    let ahead = meta.input.fork();
    bare(meta, key, "a path", |input| {
        let path: ExprPath = input.parse()?;
        match path.attrs.first() {
            Some(attr) => Err(syn::Error::new_spanned(attr, "no attributes here")),
            None => Ok(path),
        }
    })
    .map_err(|err| {
        string_instead(&ahead, key)
            .or_else(|| type_style(&ahead, key))
            .unwrap_or(err)
    })
}

/// The error for `= "…"` where a path goes: a string is never a path.
fn string_instead(ahead: ParseStream, key: Key) -> Option<syn::Error> {
    let ahead = ahead.fork();
    ahead.parse::<Token![=]>().ok()?;
    let lit: LitStr = ahead.parse().ok()?;
    (ahead.is_empty() || ahead.peek(Token![,])).then(|| {
        syn::Error::new_spanned(
            lit,
            format_args!(
                "`{key}` takes a path written bare, not a string: `#[pool({})]`",
                key.example
            ),
        )
    })
}

/// The error for `= Vec<u8>::clear`, a path as a type writes it, which an
/// expression cannot call: it says where the turbofish goes.
fn type_style(ahead: ParseStream, key: Key) -> Option<syn::Error> {
    let ahead = ahead.fork();
    ahead.parse::<Token![=]>().ok()?;
    let path: TypePath = ahead.parse().ok()?;
    let at_end = ahead.is_empty() || ahead.peek(Token![,]);
    let without_turbofish = path.path.segments.iter().any(|segment| {
        matches!(&segment.arguments, PathArguments::AngleBracketed(args) if args.colon2_token.is_none())
    });
    (at_end && without_turbofish).then(|| {
        syn::Error::new_spanned(
            path,
            format_args!(
                "`{key}` takes a path as an expression writes it: generic arguments take \
                 `::` before them, as in `Vec::<u8>::clear`"
            ),
        )
    })
}

/// `crate = PATH`: the path of a module, without generic arguments.
pub(super) fn module(meta: &ParseNestedMeta, key: Key) -> syn::Result<Path> {
    let ahead = meta.input.fork();
    bare(meta, key, "a path", |input| {
        input.call(Path::parse_mod_style)
    })
    .map_err(|err| string_instead(&ahead, key).unwrap_or(err))
}

/// `key = VALUE`, parsed by `parse`; anything that is not one `what` is an
/// error showing the right form.
fn bare<T>(
    meta: &ParseNestedMeta,
    key: Key,
    what: &str,
    parse: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> syn::Result<T> {
    let example = key.example;
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format_args!("`{key}` needs a value: `#[pool({example})]`")));
    }
    let value = meta.value()?;
    let malformed = |span| {
        syn::Error::new(
            span,
            format_args!("`{key}` takes {what}, e.g. `#[pool({example})]`"),
        )
    };
    let parsed = parse(value).map_err(|err| malformed(err.span()))?;
    if !value.is_empty() && !value.peek(Token![,]) {
        return Err(malformed(value.span()));
    }
    Ok(parsed)
}

/// `bound = "T: Trait, U: Other"`: the one key whose value is a string,
/// because where-predicates do not parse inside an attribute.
pub(super) fn bound(meta: &ParseNestedMeta) -> syn::Result<Vec<WherePredicate>> {
    let example = format!("`#[pool({})]`", BOUND.example);
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
