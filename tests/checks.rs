//! The checks a pool runs on its users' code: `audit_reset` and `chaos`,
//! each against the bug it is for, planted in a small user type.

use pool_runtime::{Pool, Poolable, POISON};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The panic message of `f`, which must panic.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("no panic");
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(p) => p.downcast_ref::<&str>().unwrap_or(&"?").to_string(),
    }
}

#[derive(Poolable, Default, PartialEq, Debug)]
struct Request {
    path: String,
    // The planted bug: a `reset_with` that forgets the field it was given.
    #[pool(reset_with = keep)]
    limit: u32,
}

fn keep(_: &mut u32) {}

#[test]
fn audit_catches_a_reset_with_that_forgets_its_field() {
    let pool = Pool::builder(Request::default).audit_reset().build();
    let mut r = pool.get();
    r.path.push_str("/a");
    r.limit = 16;
    let message = panic_message(|| drop(r));
    assert!(
        message.contains("after reset: Request { path: \"\", limit: 16 }"),
        "{message}"
    );
    assert!(
        message.contains("fresh:       Request { path: \"\", limit: 0 }"),
        "{message}"
    );
    let s = pool.stats();
    assert_eq!(
        (s.dropped_panicked, s.retained),
        (1, 0),
        "the value is not kept: {s:?}"
    );
    let mut r = pool.get();
    r.path.push_str("/b"); // a use the reset undoes: no panic
    drop(r);
    assert_eq!(pool.stats().retained, 1);
}

/// A field type with a hand-written reset that forgets one of its own fields.
#[derive(Default, PartialEq, Debug)]
struct Cursor {
    pos: usize,
    line: usize,
}

impl Poolable for Cursor {
    fn reset(&mut self) {
        self.pos = 0; // `line` forgotten
    }
}

#[derive(Poolable, Default, PartialEq, Debug)]
struct Parser {
    input: Vec<u8>,
    cursor: Cursor,
}

#[test]
fn audit_catches_a_nested_hand_written_reset_that_forgets_a_field() {
    let pool = Pool::builder(Parser::default).audit_reset().build();
    let mut p = pool.get();
    p.input.extend_from_slice(b"a\nb");
    p.cursor.pos = 3;
    p.cursor.line = 2;
    let message = panic_message(|| drop(p));
    assert!(
        message.contains("cursor: Cursor { pos: 0, line: 2 }"),
        "{message}"
    );
}

#[test]
fn audit_is_silent_for_a_complete_reset_and_inside_a_panic() {
    let pool = Pool::builder(Vec::<u8>::new).audit_reset().build();
    let mut v = pool.get();
    v.extend_from_slice(b"xyz");
    drop(v);
    assert_eq!(pool.stats().retained, 1);

    // A guard dropped while its thread unwinds only drops the bad value:
    // a second panic would abort.
    let bad = Pool::builder(Request::default).audit_reset().build();
    let message = panic_message(|| {
        let mut r = bad.get();
        r.limit = 1;
        panic!("the handler failed");
    });
    assert_eq!(message, "the handler failed");
    assert_eq!(bad.stats().dropped_panicked, 1);
}

/// Code that relies on the pool handing back the very value it returned
/// (here: a buffer's address kept across a return, the bug).
fn same_buffer_every_time(pool: &Pool<Vec<u8>>) -> bool {
    let first = {
        let mut v = pool.get();
        v.reserve(64);
        v.as_ptr()
    };
    (0..50).all(|_| {
        let mut v = pool.get();
        v.reserve(64);
        v.as_ptr() == first
    })
}

#[test]
fn chaos_breaks_code_that_relies_on_getting_its_value_back() {
    let plain = Pool::new(Vec::<u8>::new);
    assert!(same_buffer_every_time(&plain), "passes without chaos");
    let seed = 11;
    let chaotic = Pool::builder(Vec::<u8>::new).chaos(seed).build();
    assert!(
        !same_buffer_every_time(&chaotic),
        "chaos with seed {seed} should have broken it"
    );
    let s = chaotic.stats();
    assert!(s.dropped_full > 0 && s.created > 1, "{s:?}");
    // What chaos drops and makes is counted like the real thing.
    pool_suite::assert_conserved("after a chaotic run", &s, 0, 0);
}

#[test]
fn chaos_is_the_same_for_the_same_seed() {
    let run = |seed| {
        let pool = Pool::builder(|| Vec::<u8>::with_capacity(8))
            .chaos(seed)
            .build();
        let mut held = Vec::new();
        for i in 0..200 {
            if i % 3 == 0 {
                held.clear();
            }
            held.push(pool.get());
        }
        drop(held);
        pool.stats()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6), "another seed, other decisions");
}

#[test]
fn chaos_poisons_the_spare_capacity_of_what_it_keeps() {
    let pool = Pool::builder(|| Vec::<u8>::with_capacity(64))
        .chaos(3)
        .build();
    let mut checked = 0;
    for _ in 0..200 {
        let reused_before = pool.stats().reused;
        let mut v = pool.get();
        if pool.stats().reused > reused_before {
            // A reused value: its spare capacity was written with the poison
            // on its way back, so reading it is reading initialised bytes.
            let spare = v.spare_capacity_mut();
            // SAFETY: see above: every spare byte of a kept value was written.
            let stale: Vec<u8> = spare.iter().map(|b| unsafe { b.assume_init() }).collect();
            assert!(stale.iter().all(|&b| b == POISON), "{stale:?}");
            checked += 1;
        }
        v.extend_from_slice(b"the previous request's secret");
    }
    assert!(checked > 50, "only {checked} reused values were looked at");
}

/// A request whose buffers sit one struct down, as they do in real handlers.
#[derive(Poolable, Default)]
struct Framed {
    head: Header,
    queue: std::collections::VecDeque<u8>,
}

#[derive(Poolable, Default)]
struct Header {
    name: String,
}

/// The bytes past a vector's length, as an `unsafe` `set_len` would read
/// them (the planted bug). Only called on buffers chaos has poisoned, whose
/// spare bytes are all written.
fn read_past_len(v: &mut Vec<u8>) -> Vec<u8> {
    let spare = v.spare_capacity_mut();
    // SAFETY: the callers only pass buffers whose spare bytes were written.
    spare.iter().map(|b| unsafe { b.assume_init() }).collect()
}

#[test]
fn chaos_poisons_the_buffers_inside_derived_structs() {
    let pool = Pool::builder(|| Framed {
        head: Header {
            name: String::with_capacity(32),
        },
        queue: std::collections::VecDeque::with_capacity(32),
    })
    .chaos(11)
    .build();
    let mut checked = 0;
    for _ in 0..100 {
        let reused_before = pool.stats().reused;
        let mut f = pool.get();
        if pool.stats().reused > reused_before {
            // SAFETY: poisoning leaves the string's length (0) and UTF-8 alone.
            let name = read_past_len(unsafe { f.head.name.as_mut_vec() });
            assert!(
                !name.is_empty() && name.iter().all(|&b| b == POISON),
                "{name:?}"
            );
            let mut queue = Vec::from(std::mem::take(&mut f.queue));
            let queued = read_past_len(&mut queue);
            assert!(
                queued.len() >= 32 && queued.iter().all(|&b| b == POISON),
                "{queued:?}"
            );
            f.queue = queue.into();
            checked += 1;
        }
        f.head.name.push_str("previous tenant");
        f.queue.extend(*b"previous tenant");
    }
    assert!(checked > 25, "only {checked} reused values were looked at");
}

#[test]
fn without_chaos_nothing_is_poisoned_or_dropped() {
    let pool = Pool::new(|| Vec::<u8>::with_capacity(64));
    for _ in 0..100 {
        let mut v = pool.get();
        v.push(1);
    }
    let s = pool.stats();
    assert_eq!((s.created, s.dropped), (1, 0), "{s:?}");
    assert_eq!(pool.chaos_seed(), None);
}
