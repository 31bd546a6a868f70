//! What the derive emits when the input has errors: the errors, and a
//! `Poolable` impl with the struct's own generics, so that code using the
//! type as `Poolable` does not add "trait not implemented" errors to the
//! real ones.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Input;

pub(crate) fn expand(input: &Input) -> TokenStream {
    let krate = input.krate();
    let private = quote!(#krate::__private);
    let ident = &input.original.ident;
    let (impl_generics, ty_generics, where_clause) = input.original.generics.split_for_impl();
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
