//! `#[derive(Poolable)]` for `pool-runtime`.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;

/// Derives `pool_runtime::Poolable`.
#[proc_macro_derive(Poolable, attributes(pool))]
pub fn derive_poolable(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
