//! Containers whose reset keeps their elements, each reset, for the next
//! use: [`ReuseVec`] and [`ReuseMap`]. A pooled `Vec<String>` keeps its
//! slots but drops every string on `clear`; these keep the strings too, so
//! a parse into a pooled struct allocates nothing once warm.

mod index;
mod map;
#[cfg(feature = "serde")]
mod serde;
mod vec;

pub use map::ReuseMap;
pub use vec::ReuseVec;
