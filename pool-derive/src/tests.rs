//! Expansion snapshots: the derive's output for a few representative inputs,
//! formatted with prettyplease and compared with
//! `tests/snapshots/<name>.expanded.rs`. Run with `POOL_SNAPSHOT=overwrite`
//! to rewrite the files after a deliberate change, then read the diff.

use std::path::PathBuf;

use quote::quote;
use syn::DeriveInput;

use crate::expand;

fn check(name: &str, input: proc_macro2::TokenStream) {
    let input: DeriveInput = syn::parse2(input).expect("test input is a valid item");
    let output = expand::derive(&input);
    let file: syn::File = syn::parse2(output).expect("the expansion parses as items");
    let actual = prettyplease::unparse(&file);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.expanded.rs"));
    if std::env::var_os("POOL_SNAPSHOT").is_some_and(|v| v == "overwrite") {
        std::fs::write(&path, &actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with POOL_SNAPSHOT=overwrite",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "expansion of `{name}` changed; run with POOL_SNAPSHOT=overwrite and review the diff\n\
         --- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn every_field_attribute() {
    check(
        "field_attributes",
        quote! {
            #[pool(max_bytes = 4 << 20, after_reset = Self::rewind)]
            struct ParseResult {
                #[pool(cap = 1 << 20)]
                body: Vec<u8>,
                #[pool(cap = 256, shrink)]
                tokens: Vec<String>,
                is_valid: bool,
                #[pool(skip)]
                origin: Arc<Config>,
                #[pool(reset = 16)]
                limit: usize,
                #[pool(reset_with = Scratch::wipe)]
                scratch: Scratch,
                #[pool(zeroize)]
                key: Vec<u8>,
            }
        },
    );
}

#[test]
fn tuple_struct_with_inferred_bounds() {
    check(
        "generic_tuple",
        quote! {
            struct Batch<'a, T, U, const N: usize>(
                Vec<T>,
                #[pool(skip)] &'a U,
                #[pool(cap = N)] VecDeque<T>,
                PhantomData<U>,
            );
        },
    );
}

#[test]
fn bound_and_crate_replace_the_defaults() {
    check(
        "bound_and_crate",
        quote! {
            #[pool(crate = my::facade, bound = "T: my::facade::Poolable + Clone")]
            struct Wrapper<T> {
                #[pool(cap = 8)]
                inner: T,
            }
        },
    );
}

#[test]
fn wipe_and_bytes_of_every_kind_of_field() {
    check(
        "wipe_and_bytes",
        quote! {
            #[pool(crate = my::facade)]
            struct Vault<T> {
                #[pool(zeroize)]
                key: Vec<u8>,
                session: Session,
                #[pool(reset_with = Scratch::clear)]
                scratch: Scratch<T>,
                #[pool(reset = Cell::new(0))]
                hits: Cell<u32>,
                #[pool(skip)]
                id: u64,
            }
        },
    );
}

#[test]
fn unit_struct() {
    check(
        "unit",
        quote!(
            struct Marker;
        ),
    );
}

#[test]
fn global_with_default_and_with_factory() {
    check(
        "global_default",
        quote! {
            #[pool(global)]
            struct Request { body: Vec<u8> }
        },
    );
    check(
        "global_new",
        quote! {
            #[pool(global, new = Request::with_buffers)]
            struct Request { body: Vec<u8> }
        },
    );
}

#[test]
fn errors_come_with_a_placeholder_impl() {
    check(
        "errors_fallback",
        quote! {
            #[pool(crate = my::facade)]
            struct Broken<T> {
                #[pool(shrink)]
                items: Vec<T>,
            }
        },
    );
}

#[test]
fn an_enum_gets_a_placeholder_from_the_crate_it_names() {
    check(
        "enum_fallback",
        quote! {
            #[pool(crate = my::facade)]
            enum Message { Text(String) }
        },
    );
}
