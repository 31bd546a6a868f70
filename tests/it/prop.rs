//! Random sequences of pool operations on a derived `Poolable` struct with
//! random contents. After every step: each checkout is fully reset, no value
//! is held twice, nothing over a cap comes back out, the pool's retained
//! bytes stay within its budget, and the counters match a model of what the
//! sequence did. And, on pools of buffers of changing sizes, `retained_bytes`
//! is exactly the bytes of what the pool holds.

use pool_runtime::{OwnedPooled, Pool, Poolable};
use pool_suite::{check_conserved, Ledger};
use proptest::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

const BODY_CAP: usize = 512;
const MAX_BYTES: usize = 2048;
/// The pool's budget over everything it retains.
const POOL_BUDGET: usize = 6 * 1024;

#[derive(Poolable, Debug)]
#[pool(max_value_bytes = MAX_BYTES)]
struct Msg {
    /// Identity, kept through resets.
    #[pool(skip)]
    id: u32,
    #[pool(cap = BODY_CAP)]
    body: Vec<u8>,
    words: Vec<u32>,
    map: HashMap<u32, u32>,
    flag: bool,
    n: u64,
}

impl Msg {
    fn is_reset(&self) -> bool {
        self.body.is_empty()
            && self.words.is_empty()
            && self.map.is_empty()
            && !self.flag
            && self.n == 0
    }
}

/// Random contents for a value.
#[derive(Debug, Clone)]
struct Fill {
    body: usize,
    words: usize,
    entries: usize,
    flag: bool,
    n: u64,
}

fn fill() -> impl Strategy<Value = Fill> {
    (
        prop_oneof![4 => 0..BODY_CAP, 1 => BODY_CAP..BODY_CAP * 3],
        0usize..200,
        prop_oneof![4 => 0usize..16, 1 => 16usize..200],
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|(body, words, entries, flag, n)| Fill {
            body,
            words,
            entries,
            flag,
            n,
        })
}

impl Fill {
    fn apply(&self, m: &mut Msg) {
        m.body.extend((0..self.body).map(|i| i as u8));
        m.words.extend(0..self.words as u32);
        m.map.extend((0..self.entries as u32).map(|k| (k, k * 2)));
        m.flag = self.flag;
        m.n = self.n | 1;
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// Check out a value and fill it.
    Get(Fill),
    /// Return the held value at this index (modulo the count held).
    Drop(usize),
    /// Return it from another thread.
    DropElsewhere(usize),
    Detach(usize),
    /// Grow a held value's body past its cap.
    GrowPastCap(usize),
    Put(Fill),
    Trim,
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => fill().prop_map(Op::Get),
        5 => any::<usize>().prop_map(Op::Drop),
        1 => any::<usize>().prop_map(Op::DropElsewhere),
        1 => any::<usize>().prop_map(Op::Detach),
        1 => any::<usize>().prop_map(Op::GrowPastCap),
        2 => fill().prop_map(Op::Put),
        1 => Just(Op::Trim),
        1 => Just(Op::Clear),
    ]
}

/// What the sequence did, to compare with the pool's counters.
#[derive(Default)]
struct Model {
    puts: u64,
    rejected: u64,
    detached: u64,
    returned: u64,
}

fn run(ops: Vec<Op>, max_per_thread: usize) -> Result<(), TestCaseError> {
    // Each step makes one value at the most: a get's, or the one it puts.
    let ledger = Arc::new(Ledger::new(ops.len()));
    let l = Arc::clone(&ledger);
    let pool = Arc::new(
        Pool::builder(move || Msg {
            id: l.new_id(),
            body: Vec::new(),
            words: Vec::new(),
            map: HashMap::new(),
            flag: false,
            n: 0,
        })
        .max_per_thread(max_per_thread)
        .max_shared(8)
        .max_bytes(POOL_BUDGET)
        .build(),
    );
    let mut held: Vec<OwnedPooled<Msg>> = Vec::new();
    let mut model = Model::default();
    // Returns a value the way a guard's drop would count it.
    let count_return = |m: &Msg, model: &mut Model| {
        model.returned += 1;
        if !m.within_caps() {
            model.rejected += 1;
        }
    };
    for (step, op) in ops.into_iter().enumerate() {
        let at = format!("after step {step}, {op:?}");
        match op {
            Op::Get(fill) => {
                let mut g = pool.get_owned();
                prop_assert!(g.is_reset(), "checkout not reset: {:?}", *g);
                prop_assert!(g.within_caps(), "an over-cap value came out: {:?}", *g);
                prop_assert!(g.body.capacity() <= BODY_CAP);
                prop_assert!(g.retained_bytes() <= MAX_BYTES);
                ledger.check_out(g.id);
                fill.apply(&mut g);
                held.push(g);
            }
            Op::Drop(i) if !held.is_empty() => {
                let g = held.swap_remove(i % held.len());
                ledger.check_in(g.id);
                count_return(&g, &mut model);
                drop(g);
            }
            Op::DropElsewhere(i) if !held.is_empty() => {
                let g = held.swap_remove(i % held.len());
                ledger.check_in(g.id);
                count_return(&g, &mut model);
                std::thread::spawn(move || drop(g)).join().unwrap();
            }
            Op::Detach(i) if !held.is_empty() => {
                let g = held.swap_remove(i % held.len());
                ledger.check_in(g.id);
                let m = OwnedPooled::detach(g);
                prop_assert!(!m.is_reset(), "detach resets nothing");
                model.detached += 1;
            }
            Op::GrowPastCap(i) if !held.is_empty() => {
                let k = i % held.len();
                held[k].body.reserve(BODY_CAP + 1);
            }
            Op::Put(fill) => {
                let mut m = Msg {
                    id: ledger.new_id(),
                    body: Vec::new(),
                    words: Vec::new(),
                    map: HashMap::new(),
                    flag: false,
                    n: 0,
                };
                fill.apply(&mut m);
                count_return(&m, &mut model);
                model.puts += 1;
                pool.put(m);
            }
            Op::Trim => pool.trim(),
            Op::Clear => pool.clear(),
            _ => {}
        }
        let s = pool.stats();
        prop_assert!(s.retained_bytes <= POOL_BUDGET, "{:?}", s);
        check_conserved(&at, &s, model.puts, held.len() as u64).map_err(TestCaseError::fail)?;
        prop_assert_eq!(s.rejected, model.rejected, "{:?}", s);
        prop_assert_eq!(s.detached, model.detached);
        prop_assert_eq!(s.returned, model.returned);
        prop_assert_eq!(s.created, ledger.issued() - model.puts);
        prop_assert_eq!(ledger.checked_out(), held.len());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(debug_assertions) { 64 } else { 256 },
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_sequences_keep_every_invariant(
        ops in prop::collection::vec(op(), 1..80),
        max_per_thread in prop_oneof![Just(0usize), Just(1), Just(2), Just(4), Just(64)],
    ) {
        run(ops, max_per_thread)?;
    }
}

/// One step of [`retained_bytes_is_the_sum_of_the_values_held`].
#[derive(Debug, Clone)]
enum Step {
    /// Take `n` buffers, grow each to at least `to` bytes, give them back.
    Cycle {
        n: usize,
        to: usize,
    },
    /// The same on a thread of its own, which then exits (its stash is
    /// handed to the shared tier).
    CycleElsewhere {
        n: usize,
        to: usize,
    },
    /// Give the pool `n` new buffers of `to` bytes.
    Put {
        n: usize,
        to: usize,
    },
    Trim,
    Clear,
}

fn step() -> impl Strategy<Value = Step> {
    // Sizes mostly from a few, so that runs of equal sizes and changes of
    // size both occur.
    let to = prop_oneof![Just(0usize), Just(64), Just(64), Just(1000), 0usize..5000];
    prop_oneof![
        6 => (1usize..6, to.clone()).prop_map(|(n, to)| Step::Cycle { n, to }),
        2 => (1usize..6, to.clone()).prop_map(|(n, to)| Step::CycleElsewhere { n, to }),
        2 => (1usize..4, to).prop_map(|(n, to)| Step::Put { n, to }),
        1 => Just(Step::Trim),
        1 => Just(Step::Clear),
    ]
}

fn cycle(pool: &Pool<Vec<u8>>, n: usize, to: usize) {
    let mut held: Vec<_> = (0..n).map(|_| pool.get()).collect();
    for g in &mut held {
        g.reserve_exact(to);
    }
}

/// What a pool of `Vec<u8>` counts a buffer at.
fn counted(v: &Vec<u8>) -> usize {
    std::mem::size_of::<Vec<u8>>() + v.capacity()
}

/// Takes every value the pool says it holds (none may be made anew) and
/// sums their bytes; gives them back after.
fn drained_bytes(pool: &Pool<Vec<u8>>, retained: usize) -> Result<usize, TestCaseError> {
    let created = pool.stats().created;
    let held: Vec<_> = (0..retained).map(|_| pool.get()).collect();
    prop_assert_eq!(
        pool.stats().created,
        created,
        "a value the pool counted was not there"
    );
    Ok(held.iter().map(|g| counted(g)).sum())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(debug_assertions) { 64 } else { 256 },
        ..ProptestConfig::default()
    })]

    /// `stats().retained_bytes` is exactly the bytes of the values the pool
    /// holds, through gets and returns of buffers whose sizes change, batches
    /// to and from the shared tier, trims, clears and exiting threads (each
    /// moves the stash's published sum its own way).
    #[test]
    fn retained_bytes_is_the_sum_of_the_values_held(
        steps in prop::collection::vec(step(), 1..40),
        max_per_thread in prop_oneof![Just(1usize), Just(2), Just(4), Just(64)],
    ) {
        let pool = Pool::builder(Vec::<u8>::new)
            .max_per_thread(max_per_thread)
            .max_shared(8)
            .build();
        for (i, step) in steps.iter().enumerate() {
            match *step {
                Step::Cycle { n, to } => cycle(&pool, n, to),
                Step::CycleElsewhere { n, to } => {
                    std::thread::scope(|s| s.spawn(|| cycle(&pool, n, to)).join().unwrap());
                }
                Step::Put { n, to } => (0..n).for_each(|_| pool.put(Vec::with_capacity(to))),
                Step::Trim => pool.trim(),
                Step::Clear => pool.clear(),
            }
            let s = pool.stats();
            let sum = drained_bytes(&pool, s.retained)?;
            prop_assert_eq!(s.retained_bytes, sum, "after step {} ({:?}): {:?}", i, step, s);
        }
    }
}
