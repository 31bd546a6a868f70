//! A pool's table of slots, one per thread id: the first few ids' slots in
//! one bucket, every other id's slot on its own, found through a radix tree.
//!
//! Ids below [`FIRST`], the threads of almost every program, have their
//! slots in one allocation, the first bucket, made whole the first time any
//! of them uses the pool: their lookup, on every get, is one comparison,
//! one load, one null test and an index ([`Table::mine_near`], which
//! reaches the one-level tree inline too).
//!
//! Every other id's slot is allocated on its own, the first time that
//! thread uses the pool, and found through a radix tree of small nodes of
//! [`FANOUT`] links each. Ids are small and reused smallest first, but a
//! long-lived thread can keep a high id after a burst of threads is gone,
//! and then uses every pool it meets with it: what a pool spends on a thread
//! must not grow with its id. Here it is the thread's slot and at most one
//! node per level of the tree, the nodes shared with the neighbouring ids:
//! the same bound at id 9 as at id 200,000. (The doubling buckets this
//! replaces allocated a bucket's slots all at once: the thread with id 2,099
//! cost every pool it used 2,048 slots, half a MiB.)
//!
//! The ids past the first are split into [`TREES`] trees of one, two, three
//! and four levels, each for the ids after the previous one's, so that in a
//! program of a few dozen threads each finds its slot through one node, in
//! one of a few thousand through two. Together they cover [`CAPACITY`] ids,
//! more than the threads Linux lets a process have at once (`pid_max` is
//! at most 2^22); a thread past them has no id and works through the shared
//! tier.
//!
//! Every pointer here (the first bucket's, a tree's root, a node's links)
//! is null until what it points at is made, then published once with a
//! compare-exchange (a thread that loses the race frees what it made and
//! takes the winner's) and never replaced, and is freed only when the table
//! is dropped. So a slot never moves and lives as long as its pool. Every
//! raw pointer of the runtime's slot storage is here.

mod tree;

use crate::per_thread::slot::{Mine, Slot};
use crate::per_thread::thread::Owner;
use crate::sync::{AtomicPtr, Ordering};
use core::marker::PhantomData;
use core::ptr;
use tree::{Level, Link, Node};

/// Slots allocated together, for ids below this: the threads of almost
/// every program find their slot without the tree.
const FIRST: usize = 8;
/// Links in a node of a tree: 512 bytes.
const FANOUT: usize = 64;
/// Ids whose slot the fast path finds inline: the first bucket's and the
/// one-level tree's.
const NEAR: usize = FIRST + FANOUT;
/// Trees of the ids past `FIRST`, of one to this many levels.
const TREES: usize = 4;
/// Slots a table can have: the number of thread ids there can be.
const CAPACITY: usize = FIRST + FANOUT + FANOUT.pow(2) + FANOUT.pow(3) + FANOUT.pow(4);
const _: () = assert!(
    CAPACITY == crate::per_thread::thread::MAX_THREADS,
    "a slot for every thread id, and an id for every slot"
);

/// The levels of a tree, bottom up: a leaf's links point at slots, every
/// other node's at nodes of the level below.
type Leaf<T> = Node<Slot<T>>;
type Two<T> = Node<Leaf<T>>;
type Three<T> = Node<Two<T>>;
type Four<T> = Node<Three<T>>;

pub(crate) struct Table<T> {
    /// `FIRST` slots for the ids below `FIRST`; null until first needed.
    /// First in the table, which is first in the pool: the fast path
    /// reads it on every operation.
    first: AtomicPtr<Slot<T>>,
    /// The trees of the ids from `FIRST` on, of 1 to `TREES` levels, each
    /// for the `FANOUT.pow(levels)` ids after the previous one's.
    one: Link<Leaf<T>>,
    two: Link<Two<T>>,
    three: Link<Three<T>>,
    four: Link<Four<T>>,
    _owns: PhantomData<Box<[Slot<T>]>>,
}

impl<T> Table<T> {
    pub(crate) fn new() -> Self {
        Table {
            first: AtomicPtr::new(ptr::null_mut()),
            one: Link::new(),
            two: Link::new(),
            three: Link::new(),
            four: Link::new(),
            _owns: PhantomData,
        }
    }

    /// The calling thread's slot, when its id is one the fast path
    /// reaches: below `FIRST` (one comparison for the id, one load and one
    /// test for the bucket) or in the one-level tree that follows (a second
    /// comparison, then two loads and two tests). Deeper ids, from
    /// `NEAR` on, go out of line ([`mine`](Table::mine)).
    ///
    /// The tree is here too because a program's ids pass `FIRST` more often
    /// than its thread count suggests: a worker pool of eight and a main
    /// thread, or threads spawned while the ones they replace are still
    /// running their exit. Out of line, a get at id 8 took 1.25 to 1.6
    /// times the floor in the outside method (docs/BENCH.md), against 1.0 to
    /// 1.1 at id 1.
    #[inline(always)]
    pub(crate) fn mine_near(&self) -> Option<Mine<'_, T>> {
        use crate::per_thread::thread::owner_below;
        // The bucket's ids are tested first and alone: one comparison with
        // `NEAR` for every id cost the inline get+drop of `tiny` three
        // instructions, this costs it one (a jump over the tree's lookup).
        if let Some(owner) = owner_below(FIRST) {
            let slot = self.get_first(owner.tid())?;
            // SAFETY: the slot at `owner`'s id in this table, found as
            // `get` finds it; it lives as long as the borrow of `self`.
            return Some(unsafe { Mine::new(slot, owner) });
        }
        let owner = owner_below(NEAR)?;
        let slot = self.get_near(owner.tid())?;
        // SAFETY: as above.
        Some(unsafe { Mine::new(slot, owner) })
    }

    /// `get` for an id below `NEAR`, inline.
    #[inline(always)]
    fn get_near(&self, tid: usize) -> Option<&Slot<T>> {
        debug_assert!(tid < NEAR);
        if tid < FIRST {
            self.get_first(tid)
        } else {
            // The key of `tid` in the one-level tree (`tree_of`).
            self.one.get()?.slot(tid - FIRST)
        }
    }

    /// The calling thread's slot, if it was made.
    #[inline(always)]
    pub(crate) fn mine(&self, owner: Owner) -> Option<Mine<'_, T>> {
        // SAFETY: `get` found the slot at `owner`'s id in this table, which
        // lives as long as the borrow of `self`.
        self.get(owner.tid())
            .map(|slot| unsafe { Mine::new(slot, owner) })
    }

    #[inline(always)]
    fn get(&self, tid: usize) -> Option<&Slot<T>> {
        if tid < FIRST {
            self.get_first(tid)
        } else {
            self.get_in_trees(tid)
        }
    }

    #[inline(always)]
    fn get_first(&self, tid: usize) -> Option<&Slot<T>> {
        debug_assert!(tid < FIRST);
        let first = self.first.load(Ordering::Acquire);
        if first.is_null() {
            return None;
        }
        // SAFETY: a non-null `first` was published (Release, in
        // `make_first`) to a live allocation of `FIRST` slots, never
        // replaced, freed only in `Drop`; `tid < FIRST` (the caller's test).
        Some(unsafe { &*first.add(tid) })
    }

    /// The slot of an id past the first bucket, if it was made; `None` past
    /// `CAPACITY` too. Out of line: a lookup of one to four loads.
    #[inline(never)]
    fn get_in_trees(&self, tid: usize) -> Option<&Slot<T>> {
        match tree_of(tid)? {
            (0, key) => self.one.get()?.slot(key),
            (1, key) => self.two.get()?.slot(key),
            (2, key) => self.three.get()?.slot(key),
            (_, key) => self.four.get()?.slot(key),
        }
    }

    /// The calling thread's slot, making it (and the first bucket, or the
    /// tree's nodes on the way to it) with `make` if need be.
    #[cold]
    #[inline(never)]
    pub(crate) fn mine_or_make(&self, owner: Owner, make: impl Fn() -> Slot<T>) -> Mine<'_, T> {
        if let Some(mine) = self.mine(owner) {
            return mine;
        }
        let tid = owner.tid();
        let slot = if tid < FIRST {
            self.make_first(tid, &make)
        } else {
            // An owner's id is below `thread::MAX_THREADS`, which is
            // `CAPACITY`: it has a place in one of the trees.
            debug_assert!(tid < CAPACITY);
            match tree_of(tid).expect("a thread id below CAPACITY") {
                (0, key) => self.one.get_or_make(Node::new).slot_or_make(key, &make),
                (1, key) => self.two.get_or_make(Node::new).slot_or_make(key, &make),
                (2, key) => self.three.get_or_make(Node::new).slot_or_make(key, &make),
                (_, key) => self.four.get_or_make(Node::new).slot_or_make(key, &make),
            }
        };
        // SAFETY: the slot at `owner`'s id in this table, just found or made.
        unsafe { Mine::new(slot, owner) }
    }

    /// Slot `tid` of the first bucket, making the bucket if need be.
    fn make_first(&self, tid: usize, make: &impl Fn() -> Slot<T>) -> &Slot<T> {
        debug_assert!(tid < FIRST);
        let mut first = self.first.load(Ordering::Acquire);
        if first.is_null() {
            let fresh: Box<[Slot<T>]> = (0..FIRST).map(|_| make()).collect();
            let fresh = Box::into_raw(fresh) as *mut Slot<T>;
            first = match self.first.compare_exchange(
                ptr::null_mut(),
                fresh,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => fresh,
                Err(theirs) => {
                    // SAFETY: `fresh` came from `Box::into_raw` just above
                    // with this length and was never published. Its slots
                    // are empty: no value of `T` is dropped here.
                    drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(fresh, FIRST)) });
                    theirs
                }
            };
        }
        // SAFETY: as in `get_first`: published, live until `Drop`, and
        // `tid < FIRST` (the caller's test).
        unsafe { &*first.add(tid) }
    }

    /// Every slot made so far. Only a slot's atomics may be read through
    /// these: its stash belongs to its owner.
    pub(crate) fn for_each(&self, mut f: impl FnMut(&Slot<T>)) {
        let first = self.first.load(Ordering::Acquire);
        if !first.is_null() {
            for tid in 0..FIRST {
                // SAFETY: as in `get_first`: published, live until `Drop`,
                // in bounds.
                f(unsafe { &*first.add(tid) });
            }
        }
        if let Some(tree) = self.one.get() {
            tree.for_each(&mut f);
        }
        if let Some(tree) = self.two.get() {
            tree.for_each(&mut f);
        }
        if let Some(tree) = self.three.get() {
            tree.for_each(&mut f);
        }
        if let Some(tree) = self.four.get() {
            tree.for_each(&mut f);
        }
    }

    /// Every slot, with the table borrowed exclusively (the pool is being
    /// dropped): nobody else can reach a stash.
    pub(crate) fn for_each_mut(&mut self, mut f: impl FnMut(&mut Slot<T>)) {
        let first = self.first.load(Ordering::Acquire);
        if !first.is_null() {
            for tid in 0..FIRST {
                // SAFETY: as in `get_first`: published, live until `Drop`,
                // in bounds; `&mut self` means no other reference to any
                // slot exists.
                f(unsafe { &mut *first.add(tid) });
            }
        }
        if let Some(tree) = self.one.get_mut() {
            tree.for_each_mut(&mut f);
        }
        if let Some(tree) = self.two.get_mut() {
            tree.for_each_mut(&mut f);
        }
        if let Some(tree) = self.three.get_mut() {
            tree.for_each_mut(&mut f);
        }
        if let Some(tree) = self.four.get_mut() {
            tree.for_each_mut(&mut f);
        }
    }
}

impl<T> Drop for Table<T> {
    /// Frees the first bucket; the trees' links free theirs.
    fn drop(&mut self) {
        let first = self.first.load(Ordering::Acquire);
        if !first.is_null() {
            // SAFETY: published from `Box::into_raw` of `FIRST` slots in
            // `make_first`; with `&mut self` nobody else can reach it. The
            // pool empties every stash before (values are wiped on the way
            // out), so this frees only storage.
            drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(first, FIRST)) });
        }
    }
}

/// Where id `tid`, at least `FIRST`, lives: which tree (0 for the one of
/// one level, up to `TREES - 1`), and its key in that tree, below
/// `FANOUT.pow(tree + 1)`. `None` from `CAPACITY` on.
#[inline(always)]
fn tree_of(tid: usize) -> Option<(usize, usize)> {
    debug_assert!(tid >= FIRST);
    let mut key = tid - FIRST;
    let mut ids = FANOUT;
    for tree in 0..TREES {
        if key < ids {
            return Some((tree, key));
        }
        key -= ids;
        ids *= FANOUT;
    }
    None
}

#[cfg(test)]
mod tests;
