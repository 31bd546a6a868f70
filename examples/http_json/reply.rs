//! The reply: serialized straight from the scratch (borrowed strs, no new Strings).

use crate::pooled::Order;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

pub struct Reply<'a>(pub &'a Order);

impl Serialize for Reply<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let o = self.0;
        let mut r = s.serialize_struct("Reply", 5)?;
        r.serialize_field("id", &o.id)?;
        r.serialize_field("customer", &o.customer)?;
        r.serialize_field("total_cents", &o.total_cents())?;
        r.serialize_field("lines", &Lines(o))?;
        r.serialize_field("tags", &Tags(o))?;
        r.end()
    }
}

struct Lines<'a>(&'a Order);

impl Serialize for Lines<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.items.iter().map(|i| Line {
            sku: &i.sku,
            subtotal_cents: u64::from(i.qty) * i.price_cents,
        }))
    }
}

#[derive(Serialize)]
struct Line<'a> {
    sku: &'a str,
    subtotal_cents: u64,
}

struct Tags<'a>(&'a Order);

impl Serialize for Tags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.tags.iter())
    }
}
