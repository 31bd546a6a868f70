//! The rules between attributes, one message each, pointing at the
//! attribute at fault. All of them are checked, so one compile shows every
//! broken rule.

use crate::ast::{Field, Input};
use crate::ctxt::Ctxt;

impl Input<'_> {
    pub(crate) fn validate(&self, cx: &Ctxt) {
        if let Some(packed) = &self.packed {
            cx.error_spanned_by(
                &packed.key,
                format_args!(
                    "`Poolable` cannot be derived for a `{}` struct: its fields may be \
                     unaligned, and the derived reset, caps, byte count and wipe reach each \
                     field through a reference, which an unaligned field cannot give \
                     (E0793); implement `Poolable` by hand (a `Copy` field can be copied out, reset \
                     and written back)",
                    packed.repr
                ),
            );
        }
        let attrs = &self.attrs;
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
