//! Writes the `Poolable` impl (and the `GlobalPool` impl for
//! `#[pool(global)]`) from the model.
//!
//! Hygiene: every path is absolute (`::core::…`, `#krate::__private::…`),
//! every local starts with `__pool_`, and everything sits in
//! `const _: () = { … };`, so the expansion needs nothing from the user's
//! scope and leaks nothing into it. The one trait that must be in scope (for
//! the autoref dispatch of `retained_bytes`) is imported there, `as _`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::ast::{Field, Input, Reset};
use crate::attr::{MaxValueBytes, Setting};
use crate::ctxt::Ctxt;
use crate::{fallback, generics};

/// The derive's output: the impls, or the errors and a placeholder impl.
pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let input = Input::from_syn(node, &cx);
    match try_expand(&input, cx) {
        Ok(expanded) => expanded,
        Err(errors) => {
            let errors = errors.into_compile_error();
            let placeholder = fallback::expand(&input);
            quote!(#errors #placeholder)
        }
    }
}

fn try_expand(input: &Input, cx: Ctxt) -> syn::Result<TokenStream> {
    input.validate(&cx);
    cx.check()?;
    Ok(impl_poolable(input))
}

fn impl_poolable(input: &Input) -> TokenStream {
    let krate = input.krate();
    let private = quote!(#krate::__private);
    let ident = &input.original.ident;
    let generics = generics::with_bounds(input, &krate);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    let resets = input.fields.iter().map(|f| field_reset(f, &private));
    let after_reset = input.attrs.after_reset.as_ref().map(|setting| {
        let path = &setting.value;
        quote_spanned!(path.span()=> #path(self);)
    });
    let checks = input.fields.iter().filter_map(|f| field_check(f, &private));
    let max_value_bytes = input.attrs.max_value_bytes.as_ref().and_then(|setting| {
        let MaxValueBytes::Fixed(expr) = &setting.value else {
            return None;
        };
        Some(quote! {
            && {
                let __pool_max_value_bytes: #private::usize = #expr;
                <Self as #private::Poolable>::retained_bytes(self) <= __pool_max_value_bytes
            }
        })
    });
    let bytes = input
        .fields
        .iter()
        .filter_map(|f| field_bytes(f, &private, "retained_bytes"));
    let used = input
        .fields
        .iter()
        .filter_map(|f| field_bytes(f, &private, "used_bytes"));
    // The trait of the autoref dispatch of `reset` and `reset_with` fields,
    // brought in only where such a field calls it: so it is always used,
    // and needs no `allow(unused_imports)`, which a `forbid` would reject.
    let dispatch = input
        .fields
        .iter()
        .any(|f| matches!(f.reset(), Reset::Assign(_) | Reset::With(_)))
        .then(|| quote!(use #private::FieldBytesKind as _;));
    let calibrates = matches!(
        input.attrs.max_value_bytes.as_ref().map(|s| &s.value),
        Some(MaxValueBytes::Auto)
    )
    .then(|| {
        quote! {
            #[inline]
            fn calibrates() -> #private::bool {
                true
            }
        }
    });
    let wipes = input.fields.iter().map(|f| field_wipe(f, &private));
    let poisons = input.fields.iter().map(|f| field_poison(f, &private));
    let global = input
        .attrs
        .global
        .as_ref()
        .map(|global| impl_global(input, global, &private));
    let audit = input
        .attrs
        .audit
        .as_ref()
        .map(|_| impl_audit(input, &krate, &private));

    quote! {
        const _: () = {
            #dispatch

            #[automatically_derived]
            impl #impl_generics #private::Poolable for #ident #ty_generics #where_clause {
                #[inline]
                fn reset(&mut self) {
                    #(#resets)*
                    #after_reset
                }

                #[inline]
                fn within_caps(&self) -> #private::bool {
                    true #(&& #checks)* #max_value_bytes
                }

                #[inline]
                fn retained_bytes(&self) -> #private::usize {
                    let __pool_bytes: #private::usize = 0;
                    #(#bytes)*
                    __pool_bytes
                }

                #[inline]
                fn used_bytes(&self) -> #private::usize {
                    let __pool_bytes: #private::usize = 0;
                    #(#used)*
                    __pool_bytes
                }

                #[inline]
                fn wipe(&mut self) {
                    #(#wipes)*
                }

                fn poison_spare(&mut self) {
                    #(#poisons)*
                }

                #calibrates
            }

            #global

            #audit
        };
    }
}

/// `let __pool_field = &mut self.field;` (or `&`): how every method reaches
/// a field, under `allow(deprecated)`, as the std derives' expansions do, so
/// that a deprecated field derives under `deny(warnings)`. The user's own
/// expressions and paths are kept out of it, and keep their warnings.
fn borrow(field: &Field, mutable: bool) -> TokenStream {
    let member = &field.member;
    let mutability = mutable.then(|| quote!(mut));
    quote! {
        #[allow(deprecated)]
        let __pool_field = &#mutability self.#member;
    }
}

/// The statements of `reset` for one field.
fn field_reset(field: &Field, private: &TokenStream) -> TokenStream {
    let ty = field.ty;
    let borrow = borrow(field, true);
    let poolable_reset = quote_spanned! {field.ty_span()=>
        <#ty as #private::Poolable>::reset(__pool_field);
    };
    let reset = match field.reset() {
        Reset::Skip => return TokenStream::new(),
        Reset::Assign(expr) => quote! {
            // Typed as the field, so the expression gets what an assignment
            // gives it (an expected type, coercions), and evaluated before
            // the field is borrowed, so it may use `self`.
            let __pool_value: #ty = #expr;
            #borrow
            *__pool_field = __pool_value;
        },
        // The whole call at the path, so a wrong signature points there.
        Reset::With(path) => quote_spanned! {path.span()=>
            #borrow
            #path(__pool_field);
        },
        Reset::Poolable => quote!(#borrow #poolable_reset),
        Reset::Zeroize => {
            // `ZeroizeBytes` wipes the spare capacity too, then clears; the
            // `Poolable` reset after it is what every other field gets.
            let wipe = quote_spanned! {field.ty_span()=>
                <#ty as #private::ZeroizeBytes>::zeroize_bytes(__pool_field);
            };
            quote!(#borrow #wipe #poolable_reset)
        }
    };
    let shrink = match (&field.attrs.cap, &field.attrs.shrink) {
        (Some(cap), Some(_)) => {
            let cap = &cap.value;
            // After the reset, so the field is empty and can shrink all the
            // way down to the cap.
            quote_spanned! {field.ty_span()=>
                {
                    let __pool_cap: #private::usize = #cap;
                    #borrow
                    if <#ty as #private::Capacity>::capacity(__pool_field) > __pool_cap {
                        <#ty as #private::Capacity>::shrink_to(__pool_field, __pool_cap);
                    }
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote!({ #reset } #shrink)
}

/// The statement of `retained_bytes` (or `used_bytes`: `method`) for one
/// field: its own `method` when it is a `Poolable` field; for a `reset` or
/// `reset_with` field, whose type need not implement `Poolable`, what
/// `__private::FieldBytes` finds either way: `Poolable`'s
/// `retained_bytes`, else `Capacity`, else 0 (for `used_bytes`, an upper
/// bound). A skipped field counts for nothing.
fn field_bytes(field: &Field, private: &TokenStream, method: &str) -> Option<TokenStream> {
    let ty = field.ty;
    let method = syn::Ident::new(method, proc_macro2::Span::call_site());
    let term = match field.reset() {
        Reset::Skip => return None,
        Reset::Poolable | Reset::Zeroize => quote_spanned! {field.ty_span()=>
            <#ty as #private::Poolable>::#method(__pool_field)
        },
        // Method syntax on purpose: resolution tries `&&&FieldBytes`,
        // `&&FieldBytes` and `&FieldBytes` in turn (see `FieldBytes`), which
        // a fully qualified call would not.
        Reset::Assign(_) | Reset::With(_) => quote_spanned! {field.ty_span()=>
            (&&&#private::FieldBytes(__pool_field)).__pool_bytes()
        },
    };
    let borrow = borrow(field, false);
    Some(quote_spanned! {field.ty_span()=>
        let __pool_bytes = #private::usize::saturating_add(__pool_bytes, { #borrow #term });
    })
}

/// The statements of `wipe` for one field: a `zeroize` field is zeroized
/// (spare capacity included), a `Poolable` field forwards to its own `wipe`
/// so that a nested struct's secrets are reached, and the others (`skip`,
/// `reset`, `reset_with`, whose type need not be `Poolable`) are left alone.
fn field_wipe(field: &Field, private: &TokenStream) -> TokenStream {
    let ty = field.ty;
    let wipe = match field.reset() {
        Reset::Zeroize => quote_spanned! {field.ty_span()=>
            <#ty as #private::ZeroizeBytes>::zeroize_bytes(__pool_field);
        },
        Reset::Poolable => quote_spanned! {field.ty_span()=>
            <#ty as #private::Poolable>::wipe(__pool_field);
        },
        Reset::Skip | Reset::Assign(_) | Reset::With(_) => return TokenStream::new(),
    };
    let borrow = borrow(field, true);
    quote!({ #borrow #wipe })
}

/// The statements of `poison_spare` (chaos mode) for one field: a field
/// reset through `Poolable` forwards to its own, so a nested struct's
/// buffers are reached; the others (`skip`, `reset`, `reset_with`) are not
/// the pool's to touch.
fn field_poison(field: &Field, private: &TokenStream) -> TokenStream {
    let ty = field.ty;
    if !matches!(field.reset(), Reset::Poolable | Reset::Zeroize) {
        return TokenStream::new();
    }
    let borrow = borrow(field, true);
    quote_spanned! {field.ty_span()=>
        { #borrow <#ty as #private::Poolable>::poison_spare(__pool_field); }
    }
}

/// The field's term of `within_caps`, if it has one: its own
/// `within_caps` when it is a `Poolable` field, and its cap unless the cap
/// shrinks instead.
fn field_check(field: &Field, private: &TokenStream) -> Option<TokenStream> {
    let ty = field.ty;
    let borrow = borrow(field, false);
    let nested = field.uses_poolable().then(|| {
        quote_spanned! {field.ty_span()=>
            {
                #borrow
                <#ty as #private::Poolable>::within_caps(__pool_field)
            }
        }
    });
    let cap = match (&field.attrs.cap, &field.attrs.shrink, field.reset()) {
        (Some(cap), None, reset) if !matches!(reset, Reset::Skip) => {
            let cap = &cap.value;
            Some(quote_spanned! {field.ty_span()=>
                {
                    let __pool_cap: #private::usize = #cap;
                    #borrow
                    <#ty as #private::Capacity>::capacity(__pool_field) <= __pool_cap
                }
            })
        }
        _ => None,
    };
    match (nested, cap) {
        (Some(nested), Some(cap)) => Some(quote!(#nested && #cap)),
        (one, other) => one.or(other),
    }
}

/// `impl AuditFields` for `#[pool(audit)]`: the fields in declaration
/// order, each compared through its own `AuditFields`, the first difference
/// returned with the field's name in front of its path.
fn impl_audit(input: &Input, krate: &syn::Path, private: &TokenStream) -> TokenStream {
    let ident = &input.original.ident;
    let generics = generics::with_audit_bounds(input, krate);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let fields = input.fields.iter().map(|field| {
        let ty = field.ty;
        let member = &field.member;
        let name = match member {
            syn::Member::Named(ident) => syn::ext::IdentExt::unraw(ident).to_string(),
            syn::Member::Unnamed(index) => index.index.to_string(),
        };
        let compare = quote_spanned! {field.ty_span()=>
            <#ty as #private::AuditFields>::first_difference(&self.#member, &__pool_fresh.#member)
        };
        quote! {
            #[allow(deprecated)]
            if let ::core::option::Option::Some(__pool_difference) = #compare {
                return ::core::option::Option::Some(__pool_difference.within(#name));
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::AuditFields for #ident #ty_generics #where_clause {
            fn first_difference(
                &self,
                __pool_fresh: &Self,
            ) -> ::core::option::Option<#private::Difference> {
                #(#fields)*
                ::core::option::Option::None
            }
        }
    }
}

/// `impl GlobalPool`: one lazily made pool for the whole process, made with
/// `new = PATH` or with `Default::default`.
fn impl_global(input: &Input, global: &Setting<()>, private: &TokenStream) -> TokenStream {
    let ident = &input.original.ident;
    // The pool's name: `name = EXPR`, else the type's name.
    let name = match &input.attrs.name {
        Some(setting) => {
            let expr = &setting.value;
            quote!(#private::Some(#expr))
        }
        None => quote!(#private::None),
    };
    let make = match &input.attrs.new {
        Some(new) => {
            let path = &new.value;
            quote_spanned!(path.span()=> #path())
        }
        // Spanned at `global`: a missing `Default` is reported there, once.
        None => quote_spanned!(global.key.span()=> <Self as #private::DefaultForGlobal>::make()),
    };
    // The pool is a `static`, and an item nested in a function cannot name
    // the impl's `Self` (E0401), so the factory is not called there: it is
    // the body of a function of the struct's own impl of a trait local to
    // the expansion, where `Self::new` means what the user wrote, and the
    // `static` names that function.
    quote! {
        trait __PoolGlobalFactory {
            fn __pool_make() -> Self;
        }

        #[automatically_derived]
        impl __PoolGlobalFactory for #ident {
            #[inline]
            fn __pool_make() -> Self {
                #make
            }
        }

        #[automatically_derived]
        impl #private::GlobalPool for #ident {
            fn pool() -> &'static #private::Pool<Self> {
                static __POOL_GLOBAL: #private::Lazy<#private::Pool<#ident>> =
                    #private::Lazy::new(|| {
                        #private::global_pool(<#ident as __PoolGlobalFactory>::__pool_make, #name)
                    });
                &__POOL_GLOBAL
            }
        }
    }
}
