//! The rules between attributes, one message each, pointing at the
//! attribute at fault. All of them are checked, so one compile shows every
//! broken rule.

use crate::ast::{Field, Input, Packed};
use crate::ctxt::Ctxt;
use syn::Type;

impl Input<'_> {
    pub(crate) fn validate(&self, cx: &Ctxt) {
        if let Some(packed) = &self.packed {
            self.validate_packed(packed, cx);
        }
        let attrs = &self.attrs;
        if let (Some(name), None) = (&attrs.name, &attrs.global) {
            cx.error_spanned_by(
                &name.key,
                "`name` names the type's global pool, so it needs `global`: \
                 `#[pool(global, name = \"parse_scratch\")]`; a pool you make yourself \
                 takes its name from `PoolBuilder::name`",
            );
        }
        if let (Some(new), None) = (&attrs.new, &attrs.global) {
            cx.error_spanned_by(
                &new.key,
                "`new` names the factory of the type's global pool, so it needs `global`: \
                 `#[pool(global, new = path::to::make)]`",
            );
        }
        if let Some(global) = &attrs.global {
            if !self.original.generics.params.is_empty() {
                cx.error_spanned_by(
                    &global.key,
                    "`#[pool(global)]` needs a non-generic type: a generic type would need one \
                     pool per instantiation, and a `static` cannot depend on generic parameters; \
                     make a `Pool<T>` of the instantiation you use and keep it yourself",
                );
            }
        }
        for field in &self.fields {
            field.validate(cx);
        }
    }
}

impl Field<'_> {
    fn validate(&self, cx: &Ctxt) {
        let a = &self.attrs;
        if let Some(skip) = &a.skip {
            let others = [
                a.reset.as_ref().map(|s| &s.key),
                a.reset_with.as_ref().map(|s| &s.key),
                a.cap.as_ref().map(|s| &s.key),
                a.shrink.as_ref().map(|s| &s.key),
                a.zeroize.as_ref().map(|s| &s.key),
            ];
            for other in others.into_iter().flatten() {
                cx.error_spanned_by(
                    other,
                    format_args!(
                        "`{other}` cannot go with `{}`: a skipped field is left as is, \
                         neither reset, capped nor wiped; remove one of them",
                        skip.key
                    ),
                );
            }
            return;
        }
        if let (Some(_), Some(reset_with)) = (&a.reset, &a.reset_with) {
            cx.error_spanned_by(
                &reset_with.key,
                "`reset` and `reset_with` both say how to reset the field; keep one",
            );
        }
        if let (Some(shrink), None) = (&a.shrink, &a.cap) {
            cx.error_spanned_by(
                &shrink.key,
                "`shrink` needs `cap`: it shrinks the field back to the cap instead of \
                 dropping the object, e.g. `#[pool(cap = 256, shrink)]`",
            );
        }
        if let Some(zeroize) = &a.zeroize {
            for other in [
                a.reset.as_ref().map(|s| &s.key),
                a.reset_with.as_ref().map(|s| &s.key),
            ]
            .into_iter()
            .flatten()
            {
                cx.error_spanned_by(
                    other,
                    format_args!(
                        "`{other}` cannot go with `{}`: `zeroize` is the field's reset \
                         (it wipes the bytes, then clears); keep one",
                        zeroize.key
                    ),
                );
            }
        }
    }
}

impl Input<'_> {
    /// A packed struct is derived only when no field can be misaligned in
    /// it: every field a byte type (`u8`, `i8`, `bool`, or arrays of them,
    /// alignment 1 whatever the packing), so that the derived code's
    /// references to its fields are always aligned. A wire-format header of
    /// byte arrays is the case this serves; anything else gets one message
    /// at the first field that could be misaligned.
    fn validate_packed(&self, packed: &Packed, cx: &Ctxt) {
        let by_hand = "implement `Poolable` by hand (a `Copy` field can be copied out, \
                       reset and written back)";
        if !self.original.generics.params.is_empty() {
            cx.error_spanned_by(
                &packed.key,
                format_args!(
                    "`Poolable` cannot be derived for a generic `{}` struct: a field of a \
                     generic type may be unaligned, and the derived reset, caps, byte count \
                     and wipe reach each field through a reference, which an unaligned field \
                     cannot give (E0793); {by_hand}",
                    packed.repr
                ),
            );
            return;
        }
        if let Some(field) = self.fields.iter().find(|f| !is_byte_type(f.ty)) {
            cx.error_spanned_by(
                field.ty,
                format_args!(
                    "`Poolable` is derived for a `{}` struct only when every field is a byte \
                     type (`u8`, `i8`, `bool`, or arrays of them), which no packing can \
                     misalign: the derived reset, caps, byte count and wipe reach each field \
                     through a reference, which an unaligned field cannot give (E0793), and \
                     this field's type may be unaligned here; {by_hand}",
                    packed.repr
                ),
            );
        }
    }
}

/// `u8`, `i8`, `bool` (by name, or `::core::primitive::…` / `std::…`), or
/// an array of one of them: types of alignment 1. By their spelling only;
/// an alias of `u8` is not recognised (and is refused, with the message).
fn is_byte_type(ty: &Type) -> bool {
    match ty {
        Type::Array(array) => is_byte_type(&array.elem),
        Type::Group(group) => is_byte_type(&group.elem),
        Type::Paren(paren) => is_byte_type(&paren.elem),
        Type::Path(path) if path.qself.is_none() => {
            let segments = &path.path.segments;
            let Some(last) = segments.last() else {
                return false;
            };
            let prefix_ok = segments.len() == 1
                || (segments.len() == 3
                    && matches!(segments[0].ident.to_string().as_str(), "core" | "std")
                    && segments[1].ident == "primitive");
            prefix_ok
                && last.arguments.is_none()
                && matches!(last.ident.to_string().as_str(), "u8" | "i8" | "bool")
        }
        _ => false,
    }
}
