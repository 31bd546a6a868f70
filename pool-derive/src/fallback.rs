//! What the derive emits when the input has errors: the errors, and a
//! `Poolable` impl with the struct's own generics, so that code using the
//! type as `Poolable` does not add "trait not implemented" errors to the
//! real ones.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::expand;

pub(crate) fn expand(node: &DeriveInput) -> TokenStream {
    let private = {
        let krate = expand::krate(node);
        quote!(#krate::__private)
    };
    let ident = &node.ident;
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::Poolable for #ident #ty_generics #where_clause {
                fn reset(&mut self) {
                    ::core::unreachable!()
                }
            }
        };
    }
}
