//! The [`Poolable`] trait; its impls for the std types a pooled struct
//! holds are in `std_poolable.rs`.

/// A value that can go back into a pool: it knows how to reset itself, whether
/// it has grown past its caps, and how much heap it holds on to.
///
/// Write it with `#[derive(Poolable)]`, which resets every field (containers
/// are cleared and keep their capacity, scalars go to zero) and turns
/// `#[pool(cap = …)]` field attributes into [`within_caps`](Poolable::within_caps).
///
/// ```
/// use pool_runtime::Poolable;
///
/// #[derive(Poolable, Default)]
/// struct Request {
///     #[pool(cap = 1 << 20)]
///     body: Vec<u8>,
///     headers: Vec<(String, String)>,
///     keep_alive: bool,
/// }
///
/// let mut r = Request::default();
/// r.body.extend_from_slice(b"hello");
/// r.keep_alive = true;
/// r.reset();
/// assert!(r.body.is_empty() && r.body.capacity() >= 5 && !r.keep_alive);
/// assert!(r.within_caps());
/// ```
///
/// By hand, for a type the derive does not fit:
///
/// ```
/// use pool_runtime::Poolable;
///
/// struct Scratch { words: Vec<u32>, cursor: usize }
///
/// impl Poolable for Scratch {
///     fn reset(&mut self) { self.words.clear(); self.cursor = 0; }
///     fn within_caps(&self) -> bool { self.words.capacity() <= 4096 }
///     fn retained_bytes(&self) -> usize { self.words.retained_bytes() }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be pooled: it does not implement `Poolable`",
    label = "no `Poolable` impl for `{Self}`",
    note = "derive it with `#[derive(Poolable)]`, implement `Poolable` by hand, or mark the field \
            `#[pool(skip)]`, `#[pool(reset = EXPR)]` or `#[pool(reset_with = PATH)]`"
)]
pub trait Poolable {
    /// Brings the value back to the state a fresh checkout expects. Keeps capacity.
    ///
    /// ```
    /// use pool_runtime::Poolable;
    /// let mut v = Vec::with_capacity(64);
    /// v.push(1u8);
    /// v.reset();
    /// assert!(v.is_empty() && v.capacity() >= 64);
    /// ```
    fn reset(&mut self);

    /// False when the value has grown past a cap and must be dropped, not pooled.
    ///
    /// ```
    /// use pool_runtime::Poolable;
    /// // std containers have no cap of their own; the derive adds them per field.
    /// assert!(Vec::<u8>::with_capacity(1 << 20).within_caps());
    /// assert!(String::new().within_caps());
    /// ```
    #[inline]
    fn within_caps(&self) -> bool {
        true
    }

    /// Heap bytes the value holds in capacity (approximate: capacity x element
    /// size, summed over container fields and nested `Poolable` fields).
    ///
    /// ```
    /// use pool_runtime::Poolable;
    /// assert_eq!(Vec::<u32>::with_capacity(8).retained_bytes(), 32);
    /// assert_eq!(7u64.retained_bytes(), 0);
    /// ```
    #[inline]
    fn retained_bytes(&self) -> usize {
        0
    }

    /// Heap bytes the value's contents take now, before its reset: lengths
    /// where [`retained_bytes`](Poolable::retained_bytes) counts
    /// capacities. A pool that learns its cap
    /// ([`PoolBuilder::calibrate`](crate::PoolBuilder::calibrate)) learns it
    /// from this: what each use needed, not what the buffer it happened to
    /// get had grown to, so a large buffer reused for small requests does
    /// not keep the cap up. The default is `retained_bytes()`, which keeps a
    /// learned cap from falling when requests get smaller: implement it for
    /// a hand-written type that a learning pool holds. The std containers
    /// count their length, and the derive sums its fields (a `reset = …` or
    /// `reset_with = …` field counts its capacity).
    ///
    /// ```
    /// use pool_runtime::Poolable;
    /// let mut v: Vec<u32> = Vec::with_capacity(1000);
    /// v.extend([1, 2, 3]);
    /// assert_eq!((v.used_bytes(), v.retained_bytes()), (12, 4000));
    /// ```
    #[inline]
    fn used_bytes(&self) -> usize {
        self.retained_bytes()
    }

    /// Whether every pool of this type learns its per-value cap from its
    /// returns, as [`PoolBuilder::calibrate`](crate::PoolBuilder::calibrate)
    /// does; `#[pool(max_value_bytes = auto)]` on a derived struct says yes.
    /// The default says no. A builder's own `calibrate_percentile` still
    /// applies.
    ///
    /// ```
    /// use pool_runtime::{Pool, Poolable};
    ///
    /// #[derive(Poolable, Default)]
    /// #[pool(max_value_bytes = auto)]
    /// struct Request {
    ///     body: Vec<u8>,
    /// }
    ///
    /// assert!(Request::calibrates() && !Vec::<u8>::calibrates());
    /// assert!(Pool::<Request>::default().learned_cap().is_some());
    /// ```
    #[inline]
    fn calibrates() -> bool
    where
        Self: Sized,
    {
        false
    }

    /// Erases what must not reach the allocator, before the pool drops the
    /// value for good: rejected over a cap, dropped for the byte budget,
    /// evicted by trimming or [`clear`](crate::Pool::clear), dropped with its
    /// pool or with its thread's stash. Not called on a value going back into
    /// the pool ([`reset`](Poolable::reset) wipes those), nor on a detached
    /// one, which is the caller's to drop.
    ///
    /// The default does nothing. The derive zeroizes each `#[pool(zeroize)]`
    /// field (spare capacity included) and forwards to the `wipe` of each
    /// field it resets through `Poolable`, so a nested struct's secrets are
    /// wiped too; `Box`, arrays and tuples forward to what they hold. `wipe`
    /// is not a reset: what holds no secret is left as it is.
    ///
    /// ```
    /// use pool_runtime::Poolable;
    ///
    /// #[derive(Poolable)]
    /// struct Session {
    ///     #[pool(zeroize)]
    ///     key: Vec<u8>,
    ///     peer: String,
    /// }
    ///
    /// let mut s = Session { key: b"hunter2".to_vec(), peer: "10.0.0.1".into() };
    /// s.wipe();
    /// assert!(s.key.is_empty() && s.key.capacity() >= 7);
    /// assert_eq!(s.peer, "10.0.0.1");
    /// ```
    #[inline]
    fn wipe(&mut self) {}

    /// Chaos mode only ([`PoolBuilder::chaos`](crate::PoolBuilder::chaos)):
    /// overwrites the spare capacity (the memory past the length) with a
    /// pattern, after the reset, so that code reading past the length (an
    /// `unsafe` `set_len` without writing) sees [`POISON`](crate::POISON) instead of the
    /// previous user's bytes. `Vec`, `String`, `VecDeque` and `BytesMut`
    /// do it; `Box`, arrays, tuples and derived structs forward it to what
    /// they hold (a derived struct to every field it resets through
    /// `Poolable`); the default does nothing.
    ///
    /// ```
    /// use pool_runtime::{Poolable, POISON};
    /// let mut v: Vec<u8> = Vec::with_capacity(16);
    /// v.extend_from_slice(b"secret");
    /// v.reset();
    /// v.poison_spare();
    /// // What is past the length now reads as the pattern.
    /// let spare = v.spare_capacity_mut();
    /// assert!(spare.iter().all(|b| unsafe { b.assume_init() } == POISON));
    /// ```
    #[inline]
    fn poison_spare(&mut self) {}
}
