//! `#[derive(Poolable)]` for `pool-runtime`.
//!
//! Use it through `pool_runtime`, which re-exports it next to the trait and
//! documents every attribute: `use pool_runtime::Poolable;`.
//!
//! The crate reads top to bottom, one phase a file: `ast` models the input,
//! `attr` parses `#[pool(…)]`, `valid` checks the rules between
//! attributes, `generics` infers bounds, `expand` writes the impl, and
//! `fallback` writes a placeholder impl when there were errors.
#![warn(unreachable_pub)]
#![forbid(unsafe_code)]

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
mod generics;
mod valid;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `pool_runtime::Poolable` for a struct: `reset` resets every field,
/// `within_caps` checks the `cap` and `max_value_bytes` attributes,
/// `retained_bytes` sums the fields' heap capacity, and `wipe` zeroizes the
/// `zeroize` fields and forwards to the nested `Poolable` fields.
///
/// The attribute reference, with runnable examples, is on the re-export
/// `pool_runtime::Poolable`.
#[proc_macro_derive(Poolable, attributes(pool))]
pub fn derive_poolable(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
