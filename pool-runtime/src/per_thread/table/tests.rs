//! The table's own tests: the trees cover every id once, each id gets a
//! slot of its own made once, the inline lookup finds every near id, and
//! racing threads each get their own slot.

use super::{tree_of, Four, Leaf, Level, Table, Three, Two, CAPACITY, FANOUT, FIRST, NEAR, TREES};
use crate::per_thread::slot::Slot;
use crate::per_thread::thread::Owner;

/// The ids each tree covers, as its type says.
fn tree_ids() -> [usize; TREES] {
    [
        <Leaf<()> as Level<()>>::IDS,
        <Two<()> as Level<()>>::IDS,
        <Three<()> as Level<()>>::IDS,
        <Four<()> as Level<()>>::IDS,
    ]
}

#[test]
fn the_trees_cover_every_id_past_the_first_bucket_once_in_order() {
    assert_eq!(tree_ids(), [64, 64 * 64, 64 * 64 * 64, 64 * 64 * 64 * 64]);
    let mut start = FIRST;
    for (tree, ids) in tree_ids().into_iter().enumerate() {
        assert_eq!(tree_of(start), Some((tree, 0)), "tree {tree}");
        assert_eq!(tree_of(start + 1), Some((tree, 1)), "tree {tree}");
        assert_eq!(
            tree_of(start + ids - 1),
            Some((tree, ids - 1)),
            "tree {tree}"
        );
        start += ids;
    }
    assert_eq!(start, CAPACITY);
    assert_eq!(tree_of(CAPACITY), None);
    assert_eq!(tree_of(usize::MAX), None);
    // And every id in between, up into the third tree.
    let mut expected = (0, 0);
    for tid in FIRST..FIRST + FANOUT + FANOUT * FANOUT + 100 {
        if expected.1 == tree_ids()[expected.0] {
            expected = (expected.0 + 1, 0);
        }
        assert_eq!(tree_of(tid), Some(expected), "id {tid}");
        expected.1 += 1;
    }
}

fn slot() -> Slot<u64> {
    Slot::new(4, 0, 0, None)
}

/// Ids at the edges of the first bucket and of every tree.
const EDGES: [usize; 12] = [
    0,
    FIRST - 1,
    FIRST,
    FIRST + 1,
    FIRST + 63,
    FIRST + 64,
    FIRST + 64 + 4095,
    FIRST + 64 + 4096,
    FIRST + 64 + 4096 + 200_000,
    FIRST + 64 + 4096 + 262_143,
    FIRST + 64 + 4096 + 262_144,
    CAPACITY - 1,
];

#[test]
fn each_id_gets_a_slot_of_its_own_made_once() {
    let mut table = Table::<u64>::new();
    for &tid in &EDGES {
        // Id 0 made the whole first bucket; every other is made alone.
        assert_eq!(
            table.get(tid).is_some(),
            (1..FIRST).contains(&tid),
            "id {tid}"
        );
        let made: *const Slot<u64> = table.mine_or_make(Owner::forged(tid), slot).slot();
        let again: *const Slot<u64> = table.mine_or_make(Owner::forged(tid), slot).slot();
        let found: *const Slot<u64> = table.get(tid).unwrap();
        assert!(made == again && made == found, "id {tid}");
    }
    assert!(table.get(CAPACITY).is_none());
    // The first bucket's slots, and one of its own for each id past it.
    let expected = FIRST + EDGES.iter().filter(|&&tid| tid >= FIRST).count();
    let mut seen = Vec::new();
    table.for_each(|slot| seen.push(slot as *const Slot<u64>));
    assert_eq!(seen.len(), expected);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), expected);
    let mut count = 0;
    table.for_each_mut(|_| count += 1);
    assert_eq!(count, expected);
    // Slots never move.
    for &tid in &EDGES {
        assert!(seen.contains(&(table.get(tid).unwrap() as *const Slot<u64>)));
    }
}

/// The inline lookup finds the slot the general one finds, for every
/// id it covers: the first bucket's and the one-level tree's.
#[test]
fn the_inline_lookup_finds_the_slot_of_every_near_id() {
    let table = Table::<u64>::new();
    assert!((0..NEAR).all(|tid| table.get_near(tid).is_none()));
    // Every other id of the one-level tree made, and id 3 of the bucket.
    let made: Vec<usize> = (FIRST..NEAR).step_by(2).chain([3]).collect();
    for &tid in &made {
        table.mine_or_make(Owner::forged(tid), slot);
    }
    for tid in 0..NEAR {
        let near = table.get_near(tid).map(|s| s as *const Slot<u64>);
        let general = table.get(tid).map(|s| s as *const Slot<u64>);
        assert_eq!(near, general, "id {tid}");
        let in_bucket = tid < FIRST;
        assert_eq!(near.is_some(), in_bucket || made.contains(&tid), "id {tid}");
    }
}

/// Threads whose ids share a tree's nodes race to make them: each gets
/// a slot of its own, and the nodes of the losers are freed (miri
/// checks the leaks and the races).
#[test]
fn threads_racing_to_make_the_same_nodes_each_get_their_own_slot() {
    use std::sync::{Arc, Barrier};
    let rounds = if cfg!(miri) { 3 } else { 100 };
    // Ids in the second tree, sharing its root and one leaf.
    let ids = [FIRST + 64 + 10, FIRST + 64 + 11, FIRST + 64 + 12];
    for _ in 0..rounds {
        let table = Arc::new(Table::<u64>::new());
        let start = Arc::new(Barrier::new(ids.len()));
        let threads: Vec<_> = ids
            .iter()
            .map(|&tid| {
                let (table, start) = (Arc::clone(&table), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    let made = table.mine_or_make(Owner::forged(tid), slot).slot() as *const _;
                    assert!(core::ptr::eq(made, table.get(tid).unwrap()));
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let mut count = 0;
        table.for_each(|_| count += 1);
        assert_eq!(count, ids.len());
    }
}
