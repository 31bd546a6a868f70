//! `Deserialize` for [`ReuseVec`] and [`ReuseMap`] (feature `serde`):
//! `deserialize_in_place` fills the spares, so a parse into a pooled
//! value reuses each element's buffers.

use super::{ReuseMap, ReuseVec};
use crate::poolable::Poolable;
use crate::serde::InPlace;
use ::serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use core::fmt;
use core::hash::BuildHasher;

impl<'de, T: Deserialize<'de> + Poolable + Default> Deserialize<'de> for ReuseVec<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut v = ReuseVec::new();
        Self::deserialize_in_place(deserializer, &mut v)?;
        Ok(v)
    }

    /// Clears `place`, then fills a spare (or a new element) per element of
    /// the sequence, in place.
    fn deserialize_in_place<D: Deserializer<'de>>(
        deserializer: D,
        place: &mut Self,
    ) -> Result<(), D::Error> {
        deserializer.deserialize_seq(SeqInPlace(place))
    }
}

struct SeqInPlace<'a, T>(&'a mut ReuseVec<T>);

impl<'de, T: Deserialize<'de> + Poolable + Default> Visitor<'de> for SeqInPlace<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let v = self.0;
        v.clear();
        loop {
            let slot = v.push_reused();
            if seq.next_element_seed(InPlace(slot))?.is_none() {
                // No element: the slot taken for it goes back untouched.
                v.unpush();
                return Ok(());
            }
        }
    }
}

impl<'de, V, S> Deserialize<'de> for ReuseMap<V, S>
where
    V: Deserialize<'de> + Poolable + Default,
    S: BuildHasher + Default,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut m = ReuseMap::default();
        Self::deserialize_in_place(deserializer, &mut m)?;
        Ok(m)
    }

    /// Clears `place`, then, per entry of the map, takes a spare (its key
    /// buffer refilled from the key as the format hands it over, borrowed
    /// where it can) and fills its value in place. A repeated key's later
    /// value replaces the earlier one.
    fn deserialize_in_place<D: Deserializer<'de>>(
        deserializer: D,
        place: &mut Self,
    ) -> Result<(), D::Error> {
        deserializer.deserialize_map(MapInPlace(place))
    }
}

struct MapInPlace<'a, V, S>(&'a mut ReuseMap<V, S>);

impl<'de, V, S> Visitor<'de> for MapInPlace<'_, V, S>
where
    V: Deserialize<'de> + Poolable + Default,
    S: BuildHasher,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map with string keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        let map = self.0;
        map.clear();
        while let Some(at) = access.next_key_seed(KeyInPlace(&mut *map))? {
            access.next_value_seed(InPlace(map.value_at(at)))?;
        }
        Ok(())
    }
}

/// A map's key: the entry it names, found or made from a spare, without
/// an owned `String` in between.
struct KeyInPlace<'a, V, S>(&'a mut ReuseMap<V, S>);

impl<'de, V: Poolable + Default, S: BuildHasher> DeserializeSeed<'de> for KeyInPlace<'_, V, S> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, V: Poolable + Default, S: BuildHasher> Visitor<'de> for KeyInPlace<'_, V, S> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: ::serde::de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.0.entry_of(key))
    }
}
