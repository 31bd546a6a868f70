//! The where-clause of the impl: bounds only for the type parameters that
//! the expansion needs something of, or exactly what `bound = "…"` says.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use syn::visit::{self, Visit};
use syn::{parse_quote, Generics, Type, TypePath, WherePredicate};

use crate::ast::Input;

/// The struct's generics with the where-clause the impl needs:
/// `T: Poolable` for each type parameter used by a field that calls
/// `Poolable`, and `FieldType: Capacity` for each `cap` field whose type uses
/// a type parameter. `#[pool(bound = "…")]` replaces both.
pub(crate) fn with_bounds(input: &Input, krate: &TokenStream) -> Generics {
    let mut generics = input.original.generics.clone();
    let predicates: Vec<WherePredicate> = match &input.attrs.bound {
        Some(bound) => bound.value.clone(),
        None => inferred(input, krate, &generics),
    };
    generics.make_where_clause().predicates.extend(predicates);
    generics
}

fn inferred(input: &Input, krate: &TokenStream, generics: &Generics) -> Vec<WherePredicate> {
    let params: Vec<&Ident> = generics.type_params().map(|param| &param.ident).collect();
    if params.is_empty() {
        return Vec::new();
    }
    let mut poolable = BTreeSet::new();
    let mut predicates = Vec::new();
    for field in input.fields.iter().filter(|f| f.attrs.skip.is_none()) {
        let used = params_in(field.ty, &params);
        if field.uses_poolable() {
            poolable.extend(used.iter().cloned());
        }
        if field.attrs.cap.is_some() && !used.is_empty() {
            let ty = field.ty;
            predicates.push(parse_quote!(#ty: #krate::__private::Capacity));
        }
    }
    // In declaration order, so the where-clause reads like the generics.
    let mut out: Vec<WherePredicate> = params
        .iter()
        .filter(|param| poolable.contains(**param))
        .map(|param| parse_quote!(#param: #krate::__private::Poolable))
        .collect();
    out.extend(predicates);
    out
}

/// The type parameters that `ty` mentions, except inside `PhantomData<…>`,
/// which is `Poolable` whatever its parameter.
fn params_in<'p>(ty: &Type, params: &[&'p Ident]) -> BTreeSet<&'p Ident> {
    struct Finder<'a, 'p> {
        params: &'a [&'p Ident],
        found: BTreeSet<&'p Ident>,
    }
    impl<'ast> Visit<'ast> for Finder<'_, '_> {
        fn visit_type_path(&mut self, node: &'ast TypePath) {
            if node.qself.is_none() && node.path.leading_colon.is_none() {
                if let Some(first) = node.path.segments.first() {
                    if let Some(param) = self.params.iter().find(|p| **p == &first.ident) {
                        self.found.insert(param);
                    }
                }
            }
            if node
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "PhantomData")
            {
                return;
            }
            visit::visit_type_path(self, node);
        }
        fn visit_macro(&mut self, node: &'ast syn::Macro) {
            // A macro in type position may expand to anything: assume it
            // uses every parameter, which errs on the side of a bound.
            let _ = node;
            self.found.extend(self.params.iter().copied());
        }
    }
    let mut finder = Finder {
        params,
        found: BTreeSet::new(),
    };
    finder.visit_type(ty);
    finder.found
}
