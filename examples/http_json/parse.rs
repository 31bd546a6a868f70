//! Parsing an order into the scratch: serde `DeserializeSeed`s that append to
//! its buffers instead of building `String`s and `Vec`s of their own.

use crate::pooled::{Item, Order, Span};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Parses `body` into `order` (which must be reset), allocating nothing once
/// the order's buffers are big enough. (A string with escapes would make
/// serde_json allocate its own scratch buffer; these orders have none.)
pub fn parse_into(body: &[u8], order: &mut Order) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_slice(body);
    OrderSeed(order).deserialize(&mut de)?;
    de.end()
}

enum Key {
    Id,
    Customer,
    Items,
    Tags,
    Sku,
    Qty,
    PriceCents,
    Other,
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "id" => Key::Id,
            "customer" => Key::Customer,
            "items" => Key::Items,
            "tags" => Key::Tags,
            "sku" => Key::Sku,
            "qty" => Key::Qty,
            "price_cents" => Key::PriceCents,
            _ => Key::Other,
        })
    }
}

/// Appends a JSON string to `text`; yields its span.
struct StrSeed<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for StrSeed<'_> {
    type Value = Span;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Span, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for StrSeed<'_> {
    type Value = Span;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Span, E> {
        let start = self.0.len();
        self.0.push_str(v);
        let (start, end) = (u32::try_from(start), u32::try_from(self.0.len()));
        match (start, end) {
            (Ok(start), Ok(end)) => Ok(Span { start, end }),
            _ => Err(E::custom("order text over 4 GiB")),
        }
    }
}

struct OrderSeed<'a>(&'a mut Order);

impl<'de> DeserializeSeed<'de> for OrderSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OrderSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an order")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let o = self.0;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Id => o.id = map.next_value()?,
                Key::Customer => o.customer = map.next_value_seed(StrSeed(&mut o.text))?,
                Key::Items => map.next_value_seed(ItemsSeed(&mut o.text, &mut o.items))?,
                Key::Tags => map.next_value_seed(TagsSeed(&mut o.text, &mut o.tags))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct ItemsSeed<'a>(&'a mut String, &'a mut Vec<Item>);

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element_seed(ItemSeed(&mut *self.0))? {
            self.1.push(item);
        }
        Ok(())
    }
}

struct ItemSeed<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = Item;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = Item;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an item")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut item = Item::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Sku => item.sku = map.next_value_seed(StrSeed(&mut *self.0))?,
                Key::Qty => item.qty = map.next_value()?,
                Key::PriceCents => item.price_cents = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(item)
    }
}

struct TagsSeed<'a>(&'a mut String, &'a mut Vec<Span>);

impl<'de> DeserializeSeed<'de> for TagsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TagsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of tags")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(tag) = seq.next_element_seed(StrSeed(&mut *self.0))? {
            self.1.push(tag);
        }
        Ok(())
    }
}
