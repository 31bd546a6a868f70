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
fn audit_names_every_field_and_bounds_the_generic_ones() {
    check(
        "audit",
        quote! {
            #[pool(audit)]
            struct Frame<T> {
                head: Head,
                body: Vec<T>,
                #[pool(skip)]
                r#type: u8,
                marker: PhantomData<T>,
            }
        },
    );
}

#[test]
fn max_value_bytes_auto_says_calibrates_and_adds_no_fixed_check() {
    check(
        "max_value_bytes_auto",
        quote! {
            #[pool(max_value_bytes = auto)]
            struct Request {
                #[pool(cap = 1 << 20)]
                body: Vec<u8>,
                #[pool(reset = 0)]
                limit: usize,
            }
        },
    );
}

#[test]
fn every_field_attribute() {
    check(
        "field_attributes",
        quote! {
            #[pool(max_value_bytes = 4 << 20, after_reset = Self::rewind)]
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
            #[pool(global, new = Self::with_buffers)]
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

/// Odd inputs, valid and invalid: the derive must answer each with tokens
/// that parse (an impl, or errors and a placeholder), never with a panic,
/// which the user would see as "proc-macro derive panicked".
const CORPUS: &[&str] = &[
    // Shapes.
    "struct S;",
    "struct S();",
    "struct S {}",
    "struct S(u8, #[pool(skip)] u8);",
    "enum E { A, B(u8) }",
    "#[pool(crate = x)] enum E {}",
    "union U { a: u8, b: u16 }",
    // Names: raw identifiers, keywords as raw identifiers, `Self`.
    "#[pool(global)] struct r#Scratch { bytes: Vec<u8> }",
    "#[pool(global)] struct r#type { r#match: Vec<u8> }",
    "#[pool(global, new = r#fn)] struct r#struct(Vec<u8>);",
    "struct r#S { #[pool(reset_with = r#loop)] r#in: Vec<u8> }",
    "struct Node { next: Option<Box<Self>> }",
    // Attributes that are not lists, or are empty, or malformed.
    "#[pool] struct S;",
    "#[pool = 1] struct S;",
    "#[pool()] struct S;",
    "#[pool(,)] struct S;",
    "#[pool(global,,)] struct S;",
    "#[pool(a::b)] struct S;",
    "#[pool(::global)] struct S;",
    "#[pool(r#global)] struct S;",
    "#[pool(global(x))] struct S;",
    "#[pool(global = 1)] struct S;",
    "#[pool(crate)] struct S;",
    "#[pool(crate = 1)] struct S;",
    "#[pool(crate = \"x\")] struct S;",
    "#[pool(crate = a::<b>)] struct S;",
    "#[pool(crate = <a as b>::c)] struct S;",
    "#[pool(bound)] struct S<T>(T);",
    "#[pool(bound = \"\")] struct S<T>(T);",
    "#[pool(bound = \"T:\")] struct S<T>(T);",
    "#[pool(bound = \"T: ,,\")] struct S<T>(T);",
    "#[pool(bound = 3)] struct S<T>(T);",
    "#[pool(bound = b\"T: X\")] struct S<T>(T);",
    "#[pool(max_value_bytes)] struct S;",
    "#[pool(max_value_bytes = )] struct S;",
    "#[pool(max_value_bytes = 1 2)] struct S;",
    "#[pool(max_value_bytes = {})] struct S;",
    "#[pool(max_value_bytes = ;)] struct S;",
    "#[pool(after_reset = 1)] struct S;",
    "#[pool(after_reset = a::)] struct S;",
    "#[pool(after_reset = a::<)] struct S;",
    "#[pool(after_reset = <a>)] struct S;",
    "#[pool(new = make)] struct S;",
    "#[pool(global, global, new = a, new = b)] struct S;",
    "#[pool(global)] struct S<T>(T);",
    "#[pool(global)] struct S<'a>(&'a u8);",
    "#[pool(global)] #[pool(global)] struct S;",
    "struct S { #[pool] a: u8 }",
    "struct S { #[pool(skip, skip)] a: u8 }",
    "struct S { #[pool(skip = 1)] a: u8 }",
    "struct S { #[pool(reset)] a: u8 }",
    "struct S { #[pool(reset = )] a: u8 }",
    "struct S { #[pool(reset = \"s\")] a: &'static str }",
    "struct S { #[pool(reset = \"s\".len())] a: usize }",
    "struct S { #[pool(reset = || 1)] a: u8 }",
    "struct S { #[pool(reset = match x { _ => 1 })] a: u8 }",
    "struct S { #[pool(reset = 1, reset_with = f)] a: u8 }",
    "struct S { #[pool(reset_with = \"f\")] a: u8 }",
    "struct S { #[pool(reset_with = Vec::<u8>::clear)] a: Vec<u8> }",
    "struct S { #[pool(reset_with = <Vec<u8> as W>::w)] a: Vec<u8> }",
    "struct S { #[pool(reset_with = Vec<u8>::clear)] a: Vec<u8> }",
    "struct S { #[pool(reset_with = Self::f)] a: u8 }",
    "struct S { #[pool(cap = \"1\")] a: Vec<u8> }",
    "struct S { #[pool(cap = 1, shrink = 2)] a: Vec<u8> }",
    "struct S { #[pool(shrink)] a: Vec<u8> }",
    "struct S { #[pool(zeroize, zeroize)] a: Vec<u8> }",
    "struct S { #[pool(zeroize, reset = 1)] a: u8 }",
    "struct S { #[pool(global)] a: u8 }",
    "#[pool(skip)] struct S;",
    // Field types of every kind.
    "struct S { a: _ }",
    "struct S { a: ! }",
    "struct S { a: impl Trait }",
    "struct S { a: dyn Trait + Send }",
    "struct S<T> { a: Box<dyn Fn(T) -> T + 'static> }",
    "struct S<T> { a: fn(T) -> T }",
    "struct S<T> { a: m!(T) }",
    "struct S<T: Tr> { a: <T as Tr>::A, b: T::B }",
    "struct S<T, const N: usize> { a: [T; N], b: [u8; N * 2] }",
    "struct S<'a, T: 'a> where T: Clone { a: &'a mut T, b: (T, &'a str) }",
    "struct S<T = u8> { a: Vec<T> }",
    "struct S<T> { a: PhantomData<T>, b: Vec<PhantomData<T>> }",
    "struct S<K, V> { m: HashMap<K, V>, b: BTreeMap<K, S<K, V>> }",
    "struct S<T> { a: Vec<S<T>>, b: Option<Box<Self>> }",
    "struct S { #[pool(zeroize)] a: Key, #[pool(zeroize)] b: ::core::primitive::u8 }",
    "struct S { #[pool(zeroize)] a: (u8, u8) }",
    // Other attributes of the struct and its fields.
    "#[repr(C, packed)] struct S { a: u64 }",
    "#[repr(packed(2))] struct S(u64);",
    "#[repr(packed = \"x\")] struct S(u64);",
    "#[repr] struct S(u64);",
    "#[repr(align(8))] struct S(u64);",
    "struct S { #[deprecated] a: Vec<u8>, #[deprecated = \"x\"] #[pool(reset = 1)] b: u8 }",
    "#[doc = \"x\"] #[cfg_attr(x, pool(skip))] struct S { #[cfg(x)] a: u8 }",
];

#[test]
fn no_input_makes_the_derive_panic() {
    for source in CORPUS {
        let input: DeriveInput = syn::parse_str(source)
            .unwrap_or_else(|err| panic!("corpus entry `{source}` is not an item: {err}"));
        let output = std::panic::catch_unwind(|| expand::derive(&input))
            .unwrap_or_else(|_| panic!("the derive panicked on `{source}`"));
        if let Err(err) = syn::parse2::<syn::File>(output) {
            panic!("the derive's output for `{source}` does not parse: {err}");
        }
    }
}

#[test]
fn global_with_a_raw_identifier() {
    check(
        "global_raw_identifier",
        quote! {
            #[pool(global)]
            struct r#type { r#match: Vec<u8> }
        },
    );
}

#[test]
fn turbofish_and_qualified_paths() {
    check(
        "turbofish_and_qualified",
        quote! {
            #[pool(global, new = make::<Self>, after_reset = <Self as Rewind>::rewind)]
            struct Paths {
                #[pool(reset_with = Vec::<u8>::clear)]
                bytes: Vec<u8>,
                #[pool(reset_with = <Vec<u8> as Wipe>::wipe)]
                wiped: Vec<u8>,
            }
        },
    );
}

#[test]
fn inferred_bounds_are_what_the_fields_need() {
    check(
        "inferred_bounds",
        quote! {
            struct Index<K, V, T, const N: usize> {
                #[pool(cap = 64)]
                by_key: HashMap<K, V>,
                ordered: BTreeMap<K, [T; N]>,
                heap: BinaryHeap<T>,
                window: [u8; N],
                #[pool(zeroize)]
                key: [u8; N],
                also_by_key: HashMap<K, V>,
                marker: PhantomData<fn(V)>,
                children: Vec<Index<K, V, T, N>>,
                next: Option<Box<Self>>,
                #[pool(skip)]
                skipped: Rc<T>,
                #[pool(reset_with = HashMap::clear)]
                scratch: HashMap<K, T>,
                plain: Vec<u8>,
            }
        },
    );
}

#[test]
fn reset_takes_any_expression() {
    check(
        "reset_expressions",
        quote! {
            struct State {
                #[pool(reset = "idle")]
                name: &'static str,
                #[pool(reset = "x".to_owned())]
                label: String,
                #[pool(reset = |x| x + 1, cap = "four".len())]
                step: fn(u8) -> u8,
            }
        },
    );
}

#[test]
fn packed_is_refused_with_a_placeholder() {
    check(
        "packed_fallback",
        quote! {
            #[repr(C, packed)]
            struct Header { len: u32, body: Vec<u8> }
        },
    );
}

/// A packed struct of byte fields is derived as any other: its fields have
/// alignment 1, so the references the reset takes are aligned.
#[test]
fn packed_of_byte_fields_is_derived() {
    check(
        "packed_bytes",
        quote! {
            #[repr(C, packed)]
            struct Wire { magic: [u8; 4], flags: u8, ok: bool, pad: [[i8; 2]; 3] }
        },
    );
}
