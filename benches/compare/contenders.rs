//! What the contenders need besides their crates: the floor's stashes, the
//! peers' adapters, and the `#[pool(global)]` types.

use crate::common::*;
use pool_runtime::Poolable;
use std::cell::RefCell;
use std::thread::LocalKey;

// ---------------------------------------------------------------------------
// floor: a hand-written thread-local stash per type

thread_local! {
    pub static FLOOR_TINY: RefCell<Vec<Box<u64>>> = const { RefCell::new(Vec::new()) };
    pub static FLOOR_BUF: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    pub static FLOOR_PARSE: RefCell<Vec<Parse>> = const { RefCell::new(Vec::new()) };
    pub static FLOOR_GROW: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    pub static FLOOR_HEAVY: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    pub static FLOOR_SIZES: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    pub static FLOOR_HANDOFF: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Pop (or make), use, reset, push.
#[inline(always)]
pub fn floor_op<T: 'static>(
    stash: &'static LocalKey<RefCell<Vec<T>>>,
    make: impl FnOnce() -> T,
    use_: impl FnOnce(&mut T),
    reset: impl FnOnce(&mut T),
) {
    let mut v = stash.with(|s| s.borrow_mut().pop()).unwrap_or_else(make);
    use_(&mut v);
    reset(&mut v);
    stash.with(|s| s.borrow_mut().push(v));
}

/// A buffer from `stash`, this thread's, or a new one from `make`.
fn floor_take(stash: &'static FloorStash, make: fn() -> Vec<u8>) -> Vec<u8> {
    stash.with(|s| s.borrow_mut().pop()).unwrap_or_else(make)
}

/// A buffer reset and pushed onto `stash`, this thread's, at most 64 kept
/// there (the pool's default per thread).
fn floor_give_back(stash: &'static FloorStash, buf: &mut Vec<u8>) {
    let mut v = std::mem::take(buf);
    reset_vec(&mut v);
    stash.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < 64 {
            s.push(v);
        }
    });
}

type FloorStash = LocalKey<RefCell<Vec<Vec<u8>>>>;

/// The `handoff` floor: the value is reset and pushed onto the stash of the
/// thread that drops it.
pub struct FloorBuf(pub Vec<u8>);

impl FloorBuf {
    /// A buffer from this thread's stash (or a new one).
    pub fn get() -> Self {
        FloorBuf(floor_take(&FLOOR_HANDOFF, new_buf4k))
    }
}

impl Drop for FloorBuf {
    fn drop(&mut self) {
        floor_give_back(&FLOOR_HANDOFF, &mut self.0);
    }
}

/// The `sizes` floor: as [`FloorBuf`], with its own stash of buffers that
/// grow to whatever the requests need (`Vec::new()` when empty).
pub struct FloorSized(pub Vec<u8>);

impl FloorSized {
    /// A buffer from this thread's stash (or a new, empty one).
    pub fn get() -> Self {
        FloorSized(floor_take(&FLOOR_SIZES, new_grow))
    }
}

impl Drop for FloorSized {
    fn drop(&mut self) {
        floor_give_back(&FLOOR_SIZES, &mut self.0);
    }
}

// ---------------------------------------------------------------------------
// peers' adapters

/// opool's allocator: makes the object; the reset is done by hand before the
/// guard drops (opool 0.2 calls no reset on return).
pub struct OpoolMake<F>(pub F);
impl<T, F: Fn() -> T> opool::PoolAllocator<T> for OpoolMake<F> {
    #[inline]
    fn allocate(&self) -> T {
        (self.0)()
    }
}

/// sharded-slab pools need `Default + Clear`: newtypes with the workload's
/// factory and reset.
#[derive(Debug)]
pub struct SlabBuf(pub Vec<u8>);
impl Default for SlabBuf {
    fn default() -> Self {
        SlabBuf(new_buf4k())
    }
}
impl sharded_slab::Clear for SlabBuf {
    fn clear(&mut self) {
        reset_vec(&mut self.0);
    }
}
#[derive(Debug, Default)]
pub struct SlabGrow(pub Vec<u8>);
impl sharded_slab::Clear for SlabGrow {
    fn clear(&mut self) {
        reset_vec(&mut self.0);
    }
}
#[derive(Debug, Default)]
pub struct SlabParse(pub Parse);
impl sharded_slab::Clear for SlabParse {
    fn clear(&mut self) {
        reset_parse(&mut self.0);
    }
}

// ---------------------------------------------------------------------------
// `#[pool(global)]` types, one per workload so that the cells stay apart.
// (Their pools live for the whole process, as a global pool does: made on
// first use, warm from the previous rounds.)

/// `#[pool(global)]` newtypes over a workload's object, each made by its
/// workload's factory.
macro_rules! global_types {
    ($($name:ident($t:ty) = $make:path;)*) => {$(
        #[derive(Poolable)]
        #[pool(global, new = $name::make)]
        pub struct $name(pub $t);
        impl $name {
            fn make() -> Self {
                $name($make())
            }
        }
    )*};
}

global_types! {
    GTiny(Box<u64>) = new_tiny;
    GBuf(Vec<u8>) = new_buf4k;
    GParse(Parse) = new_parse;
    GGrow(Vec<u8>) = new_grow;
    GHand(Vec<u8>) = new_buf4k;
    // The outlined cells' own, so that they stay apart from the inlined
    // cells' pools too.
    GTinyOut(Box<u64>) = new_tiny;
    GBufOut(Vec<u8>) = new_buf4k;
    GParseOut(Parse) = new_parse;
}
