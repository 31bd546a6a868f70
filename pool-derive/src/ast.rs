//! The derive's own model of the input: a struct, its fields and what the
//! attributes asked for. Each field keeps its `syn::Field` for spans.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::{
    parenthesized, token, Attribute, Data, DeriveInput, Expr, ExprPath, Fields, Member, Path,
    PathSegment, Type,
};

use crate::attr::{ContainerAttrs, FieldAttrs};
use crate::ctxt::Ctxt;

pub(crate) struct Input<'a> {
    pub original: &'a DeriveInput,
    pub attrs: ContainerAttrs,
    pub fields: Vec<Field<'a>>,
    /// `#[repr(packed)]` or `#[repr(packed(N))]`, which the derive refuses.
    pub packed: Option<Packed>,
}

/// A `packed` in the struct's `#[repr(…)]`.
pub(crate) struct Packed {
    /// The `packed` key, for the span.
    pub key: Ident,
    /// The repr as written, for the message: `#[repr(C, packed)]`.
    pub repr: String,
}

pub(crate) struct Field<'a> {
    pub original: &'a syn::Field,
    pub attrs: FieldAttrs,
    /// `self.#member`: a name, or an index for tuple structs.
    pub member: Member,
    pub ty: &'a Type,
}

/// How a field is reset, decided by its attributes; each kind carries what
/// its expansion needs, so the expansion has nothing to look up again.
#[derive(Clone, Copy)]
pub(crate) enum Reset<'a> {
    /// `skip`: left as is.
    Skip,
    /// `reset = EXPR`.
    Assign(&'a Expr),
    /// `reset_with = PATH`.
    With(&'a ExprPath),
    /// `zeroize`: wiped, then reset through `Poolable`.
    Zeroize,
    /// No reset attribute: the field's own `Poolable::reset`.
    Poolable,
}

impl<'a> Input<'a> {
    /// Reads the input. An enum or a union is an error of its own, and has no
    /// fields to read; its container attributes are still read, so that the
    /// placeholder impl names the right crate.
    pub(crate) fn from_syn(node: &'a DeriveInput, cx: &Ctxt) -> Self {
        // The struct's attributes first, so errors come in source order.
        let attrs = ContainerAttrs::from_syn(&node.attrs, cx);
        let fields = match &node.data {
            Data::Struct(data) => Field::multiple_from_syn(&data.fields, cx),
            Data::Enum(data) => {
                let (keyword, ident) = (&data.enum_token, &node.ident);
                cx.error_spanned_by(
                    quote!(#keyword #ident),
                    "`Poolable` can only be derived for structs; an enum's variants hold \
                     different fields, so implement `Poolable` by hand with a `match` that \
                     resets the active variant",
                );
                Vec::new()
            }
            Data::Union(data) => {
                let (keyword, ident) = (&data.union_token, &node.ident);
                cx.error_spanned_by(
                    quote!(#keyword #ident),
                    "`Poolable` can only be derived for structs; a union does not know which \
                     of its fields is live, so implement `Poolable` by hand",
                );
                Vec::new()
            }
        };
        Input {
            original: node,
            attrs,
            fields,
            packed: Packed::from_syn(&node.attrs),
        }
    }

    /// The path of pool-runtime: `::pool_runtime` unless `#[pool(crate = …)]`.
    pub(crate) fn krate(&self) -> Path {
        match &self.attrs.krate {
            Some(setting) => setting.value.clone(),
            None => Path {
                leading_colon: Some(Default::default()),
                segments: [PathSegment::from(Ident::new(
                    "pool_runtime",
                    Span::call_site(),
                ))]
                .into_iter()
                .collect(),
            },
        }
    }
}

impl Packed {
    /// Finds `packed` in any `#[repr(…)]`. A repr the compiler would refuse is
    /// the compiler's to report, so what does not parse is passed over.
    fn from_syn(attrs: &[Attribute]) -> Option<Self> {
        let mut found = None;
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("repr")) {
            let mut items = Vec::new();
            let mut key = None;
            let _ = attr.parse_nested_meta(|meta| {
                let name = meta.path.to_token_stream().to_string();
                let item = if meta.input.peek(token::Paren) {
                    let content;
                    parenthesized!(content in meta.input);
                    let args: TokenStream = content.parse()?;
                    format!("{name}({args})")
                } else {
                    name
                };
                if meta.path.is_ident("packed") {
                    key = meta.path.get_ident().cloned();
                }
                items.push(item);
                Ok(())
            });
            if let Some(key) = key {
                let repr = format!("#[repr({})]", items.join(", "));
                found.get_or_insert(Packed { key, repr });
            }
        }
        found
    }
}

impl<'a> Field<'a> {
    fn multiple_from_syn(fields: &'a Fields, cx: &Ctxt) -> Vec<Self> {
        fields
            .iter()
            .enumerate()
            .map(|(index, field)| Field {
                original: field,
                attrs: FieldAttrs::from_syn(&field.attrs, cx),
                member: match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(syn::Index {
                        index: index as u32,
                        span: field.ty.span(),
                    }),
                },
                ty: &field.ty,
            })
            .collect()
    }

    pub(crate) fn reset(&self) -> Reset<'_> {
        let a = &self.attrs;
        match (&a.skip, &a.reset, &a.reset_with, &a.zeroize) {
            (Some(_), ..) => Reset::Skip,
            (None, Some(reset), ..) => Reset::Assign(&reset.value),
            (None, None, Some(reset_with), _) => Reset::With(&reset_with.value),
            (None, None, None, Some(_)) => Reset::Zeroize,
            (None, None, None, None) => Reset::Poolable,
        }
    }

    /// Whether the expansion calls the field's `Poolable` impl (and so needs it).
    pub(crate) fn uses_poolable(&self) -> bool {
        matches!(self.reset(), Reset::Poolable | Reset::Zeroize)
    }

    /// The span of the field's type: where a missing trait impl is reported.
    pub(crate) fn ty_span(&self) -> Span {
        self.original.ty.span()
    }
}
