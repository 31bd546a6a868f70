//! pool-runtime (user guide written with the runtime).
#![warn(missing_docs)]

mod capacity;
mod global;
mod guard;
mod local;
mod pool;
mod poolable;
mod shared;
mod stats;
mod sync;
mod thread;

pub use capacity::Capacity;
pub use global::GlobalPool;
pub use guard::{OwnedPooled, Pooled};
pub use pool::{Pool, PoolBuilder, DEFAULT_MAX_PER_THREAD, DEFAULT_MAX_SHARED};
pub use poolable::Poolable;
pub use stats::Stats;

/// Derives [`Poolable`](trait@Poolable) for a struct.
///
/// With no attribute, each field is reset with its own `Poolable::reset`
/// (containers cleared with their capacity kept, scalars to zero), checked
/// with its own `within_caps`, and counted in `retained_bytes`. A field type
/// without a `Poolable` impl is a compile error at that field, unless an
/// attribute below says how to reset it.
///
/// # Field attributes
///
/// | attribute | what it does |
/// | --- | --- |
/// | `#[pool(skip)]` | leaves the field as is; it counts for nothing |
/// | `#[pool(reset = EXPR)]` | assigns `EXPR` on reset; the type needs no `Poolable` |
/// | `#[pool(reset_with = PATH)]` | calls `PATH(&mut field)` on reset; the type needs no `Poolable` |
/// | `#[pool(cap = EXPR)]` | `within_caps` is false when the field's [`Capacity`] exceeds `EXPR` (a `usize`) |
/// | `#[pool(cap = EXPR, shrink)]` | instead of rejecting the object, `reset` shrinks the field back to `EXPR` |
/// | `#[pool(zeroize)]` | overwrites the bytes (spare capacity included), then clears: `Vec<u8>`, `String`, `[u8; N]`, integers |
///
/// # Container attributes
///
/// | attribute | what it does |
/// | --- | --- |
/// | `#[pool(max_bytes = EXPR)]` | `within_caps` is false when `retained_bytes()` exceeds `EXPR` |
/// | `#[pool(after_reset = PATH)]` | calls `PATH(&mut self)` after every field is reset |
/// | `#[pool(crate = PATH)]` | where pool-runtime is, for crates that re-export it (default `::pool_runtime`) |
/// | `#[pool(bound = "…")]` | the impl's where-predicates, instead of the inferred `T: Poolable` |
/// | `#[pool(global)]`, `#[pool(global, new = PATH)]` | one process-wide pool for the type, made with `Default::default` or `PATH` |
///
/// Paths and expressions are written bare; only `bound` takes a string.
/// Type parameters get a `T: Poolable` bound only when a field that calls
/// `Poolable` uses them. Enums and unions are not supported: implement
/// `Poolable` by hand.
///
/// ```
/// use pool_runtime::Poolable;
/// use std::sync::Arc;
///
/// struct Scratch(Vec<u32>);
/// impl Scratch {
///     fn wipe(&mut self) { self.0.clear() }
/// }
///
/// #[derive(Poolable)]
/// #[pool(max_bytes = 4 << 20, after_reset = ParseResult::rewind)]
/// struct ParseResult {
///     #[pool(cap = 1 << 20)]              // drop the object if body grew past 1 MiB
///     body: Vec<u8>,
///     #[pool(cap = 256, shrink)]          // or: keep the object, shrink this field back
///     tokens: Vec<String>,
///     is_valid: bool,                      // reset to false
///     #[pool(skip)]                        // kept as is
///     origin: Arc<str>,
///     #[pool(reset = 16)]
///     limit: usize,
///     #[pool(reset_with = Scratch::wipe)]
///     scratch: Scratch,
///     #[pool(zeroize)]                     // overwrite the bytes, then clear
///     key: Vec<u8>,
///     cursor: usize,
/// }
///
/// impl ParseResult {
///     fn rewind(&mut self) { self.cursor = self.limit; }
/// }
///
/// let mut r = ParseResult {
///     body: b"GET /".to_vec(),
///     tokens: Vec::with_capacity(10_000),
///     is_valid: true,
///     origin: Arc::from("config"),
///     limit: 3,
///     scratch: Scratch(vec![1, 2]),
///     key: b"secret".to_vec(),
///     cursor: 99,
/// };
/// assert!(r.within_caps()); // `tokens` is over its cap, but it shrinks
/// r.reset();
/// assert!(r.body.is_empty() && r.body.capacity() >= 5);
/// assert!(r.tokens.capacity() <= 256 && !r.is_valid);
/// assert_eq!((&*r.origin, r.limit, r.cursor), ("config", 16, 16));
/// assert!(r.scratch.0.is_empty() && r.key.is_empty());
///
/// r.body.reserve_exact(2 << 20);
/// assert!(!r.within_caps()); // past `cap`: the pool drops it
/// ```
///
/// Through a re-export, name the path the derive should use:
///
/// ```
/// mod facade { pub mod pool { pub use pool_runtime::*; } }
///
/// #[derive(facade::pool::Poolable)]
/// #[pool(crate = facade::pool)]
/// struct Buffer { bytes: Vec<u8> }
/// ```
#[cfg(feature = "derive")]
pub use pool_derive::Poolable;

#[doc(hidden)]
pub mod __private;
