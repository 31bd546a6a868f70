//! The radix trees behind a table's first bucket: [`Link`], a pointer
//! published once and owned; [`Node`], a fixed fan-out of links; and
//! [`Level`], what a tree's levels have in common, down to the slot.

use super::FANOUT;
use crate::per_thread::slot::Slot;
use crate::sync::{AtomicPtr, Ordering};
use core::marker::PhantomData;
use core::ptr;

/// A pointer that owns what it points at: null until that is made, then
/// published once (Release) and never replaced; freed with the link.
pub(super) struct Link<C> {
    ptr: AtomicPtr<C>,
    _owns: PhantomData<Box<C>>,
}

impl<C> Link<C> {
    pub(super) fn new() -> Self {
        Link {
            ptr: AtomicPtr::new(ptr::null_mut()),
            _owns: PhantomData,
        }
    }

    /// What the link points at, if it was made.
    #[inline(always)]
    pub(super) fn get(&self) -> Option<&C> {
        let p = self.ptr.load(Ordering::Acquire);
        if p.is_null() {
            return None;
        }
        // SAFETY: a non-null pointer was published (Release, in
        // `get_or_make`; this Acquire sees what it points at made) from
        // `Box::into_raw`, is never replaced, and is freed only when the
        // link is dropped, which cannot happen while `&self` lives.
        Some(unsafe { &*p })
    }

    /// What the link points at, made with `make` and published if need be.
    pub(super) fn get_or_make(&self, make: impl FnOnce() -> C) -> &C {
        if let Some(made) = self.get() {
            return made;
        }
        let fresh = Box::into_raw(Box::new(make()));
        let published = match self.ptr.compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(theirs) => {
                // SAFETY: `fresh` came from `Box::into_raw` just above and
                // was never published: no other thread has seen it. (Only
                // nodes are raced for: a slot is made by the one thread that
                // holds its id. A node holds only null links here, a slot an
                // empty stash: no value of `T` is dropped.)
                drop(unsafe { Box::from_raw(fresh) });
                theirs
            }
        };
        // SAFETY: as in `get`: published (by this thread or the winner),
        // never replaced, freed only with the link, which `&self` keeps.
        unsafe { &*published }
    }

    /// What the link points at, if it was made, borrowed exclusively.
    pub(super) fn get_mut(&mut self) -> Option<&mut C> {
        let p = self.ptr.load(Ordering::Acquire);
        if p.is_null() {
            return None;
        }
        // SAFETY: as in `get`, and every reference into it borrows the link,
        // so `&mut self` means no other one exists.
        Some(unsafe { &mut *p })
    }
}

impl<C> Drop for Link<C> {
    fn drop(&mut self) {
        let p = self.ptr.load(Ordering::Acquire);
        if !p.is_null() {
            // SAFETY: published from `Box::into_raw` in `get_or_make`; with
            // `&mut self` nobody else can reach it, and the link goes away:
            // it is freed once. The pool empties every stash before, so a
            // slot freed here holds no value.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

/// A node of a tree: `FANOUT` links to the level below.
pub(super) struct Node<C> {
    links: [Link<C>; FANOUT],
}

impl<C> Node<C> {
    pub(super) fn new() -> Self {
        Node {
            links: core::array::from_fn(|_| Link::new()),
        }
    }
}

/// A level of a tree, seen from above: a node, or at the bottom a slot.
/// `key` is an id's place among the `IDS` ids below it.
pub(super) trait Level<T>: Sized {
    /// The ids one of these covers.
    const IDS: usize;
    fn slot(&self, key: usize) -> Option<&Slot<T>>;
    /// Makes this, when it is missing: a node empty, a slot with `make`.
    fn make(make: &impl Fn() -> Slot<T>) -> Self;
    fn slot_or_make(&self, key: usize, make: &impl Fn() -> Slot<T>) -> &Slot<T>;
    fn for_each(&self, f: &mut impl FnMut(&Slot<T>));
    fn for_each_mut(&mut self, f: &mut impl FnMut(&mut Slot<T>));
}

impl<T> Level<T> for Slot<T> {
    const IDS: usize = 1;
    #[inline(always)]
    fn slot(&self, _key: usize) -> Option<&Slot<T>> {
        Some(self)
    }
    fn make(make: &impl Fn() -> Slot<T>) -> Self {
        make()
    }
    fn slot_or_make(&self, _key: usize, _make: &impl Fn() -> Slot<T>) -> &Slot<T> {
        self
    }
    fn for_each(&self, f: &mut impl FnMut(&Slot<T>)) {
        f(self)
    }
    fn for_each_mut(&mut self, f: &mut impl FnMut(&mut Slot<T>)) {
        f(self)
    }
}

impl<T, C: Level<T>> Level<T> for Node<C> {
    const IDS: usize = FANOUT * C::IDS;
    /// One load and one test per level below; `key < IDS`, and the modulo
    /// (a mask) keeps the index in bounds without a check.
    #[inline(always)]
    fn slot(&self, key: usize) -> Option<&Slot<T>> {
        self.links[key / C::IDS % FANOUT].get()?.slot(key % C::IDS)
    }
    fn make(_make: &impl Fn() -> Slot<T>) -> Self {
        Node::new()
    }
    fn slot_or_make(&self, key: usize, make: &impl Fn() -> Slot<T>) -> &Slot<T> {
        self.links[key / C::IDS % FANOUT]
            .get_or_make(|| C::make(make))
            .slot_or_make(key % C::IDS, make)
    }
    fn for_each(&self, f: &mut impl FnMut(&Slot<T>)) {
        for link in &self.links {
            if let Some(below) = link.get() {
                below.for_each(f);
            }
        }
    }
    fn for_each_mut(&mut self, f: &mut impl FnMut(&mut Slot<T>)) {
        for link in &mut self.links {
            if let Some(below) = link.get_mut() {
                below.for_each_mut(f);
            }
        }
    }
}
