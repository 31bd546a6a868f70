//! A pool's table of slots, one per thread id, and its bucket geometry.
//!
//! The table is a fixed array of bucket pointers; bucket `b` holds
//! `FIRST << b` slots and is allocated the first time a thread with an id
//! in its range uses the pool, then lives as long as the pool. So a slot
//! never moves, a lookup is two loads, and the table only grows as far as
//! the highest thread id that used it. Every raw pointer of the runtime's
//! slot storage is here.

use crate::slot::{Mine, Slot};
use crate::sync::{AtomicPtr, Ordering};
use crate::thread::Owner;
use core::marker::PhantomData;
use core::ptr;

/// Slots in the first bucket: ids below this, the threads of almost every
/// program, find their slot without the bucket arithmetic.
const FIRST: usize = 8;
/// Buckets of a table.
const BUCKETS: usize = 28;
/// Slots a table can have: the number of thread ids there can be.
pub(crate) const CAPACITY: usize = (FIRST << BUCKETS) - FIRST;

pub(crate) struct Table<T> {
    /// Bucket `b` points at `bucket_len(b)` slots; null until first needed.
    buckets: [AtomicPtr<Slot<T>>; BUCKETS],
    _owns: PhantomData<Box<[Slot<T>]>>,
}

impl<T> Table<T> {
    pub(crate) fn new() -> Self {
        Table {
            buckets: core::array::from_fn(|_| AtomicPtr::new(ptr::null_mut())),
            _owns: PhantomData,
        }
    }

    /// The calling thread's slot, when its id is in the first bucket and
    /// that bucket exists: one comparison for the id, one load and one test
    /// for the bucket.
    #[inline(always)]
    pub(crate) fn mine_in_first_bucket(&self) -> Option<Mine<'_, T>> {
        let owner = crate::thread::owner_below(FIRST)?;
        let first = self.buckets[0].load(Ordering::Acquire);
        if first.is_null() {
            return None;
        }
        // SAFETY: as in `get`: published, live until `Drop`, and
        // `owner.tid() < FIRST = bucket_len(0)`.
        Some(Mine::new(unsafe { &*first.add(owner.tid()) }, owner))
    }

    /// The calling thread's slot, if its bucket exists.
    #[inline(always)]
    pub(crate) fn mine(&self, owner: Owner) -> Option<Mine<'_, T>> {
        self.get(owner.tid()).map(|slot| Mine::new(slot, owner))
    }

    #[inline(always)]
    fn get(&self, tid: usize) -> Option<&Slot<T>> {
        let (bucket, index) = bucket_of(tid);
        let first = self.buckets.get(bucket)?.load(Ordering::Acquire);
        if first.is_null() {
            return None;
        }
        // SAFETY: a non-null bucket pointer was published (Release, in
        // `mine_or_make`) to a live allocation of `bucket_len(bucket)` slots,
        // freed only in `Drop`, and `index < bucket_len(bucket)` by `bucket_of`.
        Some(unsafe { &*first.add(index) })
    }

    /// The calling thread's slot, making its bucket with `make` if need be.
    #[cold]
    #[inline(never)]
    pub(crate) fn mine_or_make(&self, owner: Owner, make: impl Fn() -> Slot<T>) -> Mine<'_, T> {
        if let Some(mine) = self.mine(owner) {
            return mine;
        }
        let (bucket, index) = bucket_of(owner.tid());
        let fresh: Box<[Slot<T>]> = (0..bucket_len(bucket)).map(|_| make()).collect();
        let fresh = Box::into_raw(fresh) as *mut Slot<T>;
        let first = match self.buckets[bucket].compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(theirs) => {
                // SAFETY: `fresh` came from `Box::into_raw` just above with
                // this length and was never published. Its slots are empty:
                // no value of `T` is dropped here.
                drop(unsafe {
                    Box::from_raw(ptr::slice_from_raw_parts_mut(fresh, bucket_len(bucket)))
                });
                theirs
            }
        };
        // SAFETY: as in `get`: published, live until `Drop`, in bounds.
        Mine::new(unsafe { &*first.add(index) }, owner)
    }

    /// Every slot made so far. Only a slot's atomics may be read through
    /// these: its stash belongs to its owner.
    pub(crate) fn for_each(&self, mut f: impl FnMut(&Slot<T>)) {
        for (bucket, first) in self.buckets.iter().enumerate() {
            let first = first.load(Ordering::Acquire);
            if first.is_null() {
                continue;
            }
            for index in 0..bucket_len(bucket) {
                // SAFETY: published, live until `Drop`, in bounds.
                f(unsafe { &*first.add(index) });
            }
        }
    }

    /// Every slot, with the table borrowed exclusively (the pool is being
    /// dropped): nobody else can reach a stash.
    pub(crate) fn for_each_mut(&mut self, mut f: impl FnMut(&mut Slot<T>)) {
        for (bucket, first) in self.buckets.iter_mut().enumerate() {
            let first = first.load(Ordering::Acquire);
            if first.is_null() {
                continue;
            }
            for index in 0..bucket_len(bucket) {
                // SAFETY: published, live until `Drop`, in bounds; `&mut
                // self` means no other reference to any slot exists.
                f(unsafe { &mut *first.add(index) });
            }
        }
    }
}

impl<T> Drop for Table<T> {
    fn drop(&mut self) {
        for (bucket, first) in self.buckets.iter().enumerate() {
            let first = first.load(Ordering::Acquire);
            if !first.is_null() {
                // SAFETY: published from `Box::into_raw` of `bucket_len(bucket)`
                // slots in `mine_or_make`; with `&mut self` nobody else can
                // reach it. The pool empties every stash before (values are
                // wiped on the way out), so this frees only storage.
                drop(unsafe {
                    Box::from_raw(ptr::slice_from_raw_parts_mut(first, bucket_len(bucket)))
                });
            }
        }
    }
}

/// Where id `tid` lives: bucket `b` holds [`bucket_len(b)`](bucket_len)
/// ids, from `FIRST * (2^b - 1)` on.
#[inline(always)]
fn bucket_of(tid: usize) -> (usize, usize) {
    if tid < FIRST {
        return (0, tid);
    }
    bucket_of_large(tid)
}

#[inline(never)]
fn bucket_of_large(tid: usize) -> (usize, usize) {
    // Past `CAPACITY` the bucket is out of range, and `get` says no slot.
    let n = tid.saturating_add(FIRST);
    let top = (usize::BITS - 1 - n.leading_zeros()) as usize;
    (top - FIRST.trailing_zeros() as usize, n - (1 << top))
}

/// How many slots bucket `bucket` holds.
#[inline]
fn bucket_len(bucket: usize) -> usize {
    FIRST << bucket
}

#[cfg(test)]
mod tests {
    use super::{bucket_len, bucket_of, BUCKETS, CAPACITY, FIRST};

    #[test]
    fn buckets_double_and_cover_every_id_once() {
        let mut expected = (0, 0);
        for tid in 0..FIRST * 64 {
            assert_eq!(bucket_of(tid), expected, "id {tid}");
            expected.1 += 1;
            if expected.1 == bucket_len(expected.0) {
                expected = (expected.0 + 1, 0);
            }
        }
        let (last, index) = bucket_of(CAPACITY - 1);
        assert_eq!((last, index + 1), (BUCKETS - 1, bucket_len(last)));
        assert!(bucket_of(CAPACITY).0 >= BUCKETS);
    }
}
