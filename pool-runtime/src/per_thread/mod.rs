//! The per-thread machinery, in one place: who a thread is, where its slot
//! in a pool lives, and who may touch that slot's stash when.
//!
//! - `thread.rs`: small reused thread ids, the `!Send` [`Owner`] token that
//!   proves one, the mark of a thread inside the pool's machinery, and the
//!   exit hooks;
//! - `table/`: a pool's slots, one per id, found by index (ids 0..8 in one
//!   block, every other slot on its own behind radix trees), so that what a
//!   pool holds for a thread does not depend on its id;
//! - `slot/`: a slot's stash and counters; `slot/access.rs` holds
//!   [`Mine`], the owner's handle, and [`Home`], a guard's, the fast get
//!   and return, and the protocol by which the owner's fast path and a
//!   reclaiming thread (`trim()`, `clear()`) never touch a stash at once,
//!   with its argument; `slot/moves.rs` the owner's slow paths and the
//!   reclaim; `slot/sizes.rs` a learning pool's size records.
//!
//! The invariant every `unsafe` block here leans on, that only a slot's
//! owner makes a [`Mine`] for it, is the type's: `Mine::new` is `unsafe`
//! and visible only in this module, where the table and `Home::claim` call
//! it with an [`Owner`] for the slot's id.

pub(crate) mod thread;

mod slot;
mod table;

pub(crate) use slot::{Home, Mine, Requests, Slot, NO_HOME};
pub(crate) use table::Table;
pub(crate) use thread::{Owner, ThreadExit};
