//! Random sequences of pool operations on a derived `Poolable` struct with
//! random contents. After every step: each checkout is fully reset, no value
//! is held twice, nothing over a cap comes back out, the pool's retained
//! bytes stay within its budget, and the counters match a model of what the
//! sequence did.

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
#[pool(max_bytes = MAX_BYTES)]
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
