//! The where-clause of the impl: what the fields need, or exactly what
//! `bound = "…"` says.
//!
//! What a field needs is a bound on its type, not on the parameters in it:
//! a `HashMap<K, V>` field needs `HashMap<K, V>: Poolable`, which asks
//! `K: Eq + Hash` and nothing of `V`, where `K: Poolable, V: Poolable`
//! would ask too much and miss what counts. The compiler works out what the
//! field type's bound asks of the parameters.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{
    ExprPath, Generics, Path, PathSegment, PredicateType, TraitBound, TraitBoundModifier, Type,
    TypeParamBound, TypePath, WherePredicate,
};

use crate::ast::{Field, Input};

/// The struct's generics with the where-clause the impl needs.
/// `#[pool(bound = "…")]` replaces what is inferred.
pub(crate) fn with_bounds(input: &Input, krate: &Path) -> Generics {
    let mut generics = input.original.generics.clone();
    let predicates: Vec<WherePredicate> = match &input.attrs.bound {
        Some(bound) => bound.value.clone(),
        None => inferred(input, krate, &generics),
    };
    generics.make_where_clause().predicates.extend(predicates);
    generics
}

/// The generics of the `AuditFields` impl of `#[pool(audit)]`: every
/// field's type that mentions a parameter must be `AuditFields`, `skip`
/// fields included (the audit compares them too); `bound = "…"` is about
/// `Poolable` and does not apply here. A type naming the struct itself is
/// left to the impl, as for `Poolable`.
pub(crate) fn with_audit_bounds(input: &Input, krate: &Path) -> Generics {
    let mut generics = input.original.generics.clone();
    let params: Vec<&Ident> = generics
        .type_params()
        .map(|param| &param.ident)
        .chain(generics.const_params().map(|param| &param.ident))
        .collect();
    let mut seen = BTreeSet::new();
    let mut predicates = Vec::new();
    for field in &input.fields {
        let mentions = Mentions::of(field, &params, &input.original.ident);
        if mentions.param && !mentions.itself && seen.insert(field.ty.to_token_stream().to_string())
        {
            predicates.push(predicate(field.ty, private_trait(krate, "AuditFields")));
        }
    }
    generics.make_where_clause().predicates.extend(predicates);
    generics
}

/// For each field the expansion uses, and whose type mentions a type or
/// const parameter: `FieldType: Poolable` where the expansion calls its
/// `Poolable`, `FieldType: Capacity` where it has a `cap`. A type that
/// mentions no parameter needs no bound: the compiler checks it at the
/// field. Bounds are in declaration order and each is written once.
fn inferred(input: &Input, krate: &Path, generics: &Generics) -> Vec<WherePredicate> {
    let params: Vec<&Ident> = generics
        .type_params()
        .map(|param| &param.ident)
        .chain(generics.const_params().map(|param| &param.ident))
        .collect();
    if params.is_empty() {
        return Vec::new();
    }
    let mut seen = BTreeSet::new();
    let mut predicates = Vec::new();
    let mut bound = |ty: &Type, name: &str| {
        if seen.insert((ty.to_token_stream().to_string(), name.to_owned())) {
            predicates.push(predicate(ty, private_trait(krate, name)));
        }
    };
    for field in input.fields.iter().filter(|f| f.attrs.skip.is_none()) {
        let mentions = Mentions::of(field, &params, &input.original.ident);
        if !mentions.param {
            continue;
        }
        // A field type that names the struct itself (`Vec<Self>`,
        // `Option<Box<Node<T>>>`) is not bounded: proving the bound would
        // need the very impl it is a bound of, and where the path to the
        // struct goes through `Box` or a tuple, whose impls ask their
        // contents to be `Poolable`, the compiler would go round in circles
        // (E0275) at every use. Without the bound, the impl's other bounds
        // and the impl itself prove it.
        if field.uses_poolable() && !mentions.itself {
            bound(field.ty, "Poolable");
        }
        if field.attrs.zeroize.is_some() {
            bound(field.ty, "ZeroizeBytes");
        }
        if field.attrs.cap.is_some() {
            bound(field.ty, "Capacity");
        }
    }
    predicates
}

/// `#krate::__private::#name`, built rather than parsed, so it cannot fail.
fn private_trait(krate: &Path, name: &str) -> Path {
    let mut path = krate.clone();
    for segment in ["__private", name] {
        path.segments
            .push(PathSegment::from(Ident::new(segment, Span::call_site())));
    }
    path
}

/// `ty: trait_path`, built rather than parsed: a field type of any shape
/// (a macro, `dyn A + B`) makes a predicate, never a parse error.
fn predicate(ty: &Type, trait_path: Path) -> WherePredicate {
    WherePredicate::Type(PredicateType {
        lifetimes: None,
        bounded_ty: ty.clone(),
        colon_token: Default::default(),
        bounds: Punctuated::from_iter([TypeParamBound::Trait(TraitBound {
            paren_token: None,
            modifier: TraitBoundModifier::None,
            lifetimes: None,
            path: trait_path,
        })]),
    })
}

/// What a field's type mentions.
struct Mentions<'a> {
    params: &'a [&'a Ident],
    ident: &'a Ident,
    /// A type or const parameter, outside `PhantomData<…>` (which is
    /// `Poolable` whatever its parameter).
    param: bool,
    /// The struct itself, by name or as `Self`.
    itself: bool,
}

impl<'a> Mentions<'a> {
    fn of(field: &Field, params: &'a [&'a Ident], ident: &'a Ident) -> Self {
        let mut mentions = Mentions {
            params,
            ident,
            param: false,
            itself: false,
        };
        mentions.visit_type(field.ty);
        mentions
    }

    fn path(&mut self, path: &Path) {
        if path.leading_colon.is_none() {
            if let Some(first) = path.segments.first() {
                // `T`, `T::Assoc`, or a const parameter `N`.
                self.param |= self.params.iter().any(|param| **param == first.ident);
            }
        }
        self.itself |= path
            .segments
            .iter()
            .any(|segment| segment.ident == *self.ident || segment.ident == "Self");
    }
}

impl<'ast> Visit<'ast> for Mentions<'_> {
    fn visit_type_path(&mut self, node: &'ast TypePath) {
        if node.qself.is_none() {
            self.path(&node.path);
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

    /// A const parameter as an array length: `[u8; N]`.
    fn visit_expr_path(&mut self, node: &'ast ExprPath) {
        if node.qself.is_none() {
            self.path(&node.path);
        }
        visit::visit_expr_path(self, node);
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        // A macro in type position may expand to anything: assume it uses
        // every parameter, which errs on the side of a bound.
        let _ = node;
        self.param = true;
    }
}
