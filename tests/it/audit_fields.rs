//! `audit_fields` and `#[pool(audit)]`: the audit that names the field a
//! reset left behind, through nested structs, with a bug planted in each
//! kind of reset the pool cannot see.

use pool_runtime::{AuditFields, Difference, Pool, Poolable};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The panic message of `f`, which must panic.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("no panic");
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(p) => p.downcast_ref::<&str>().unwrap_or(&"?").to_string(),
    }
}

fn keep(_: &mut usize) {}

#[derive(Poolable, Default, Debug)]
#[pool(audit)]
struct ParseResult {
    tokens: Vec<String>,
    // The planted bug: a `reset_with` that forgets the field it was given.
    #[pool(reset_with = keep)]
    limit: usize,
}

#[test]
fn a_reset_with_that_forgets_its_field_is_named() {
    let pool = Pool::builder(ParseResult::default).audit_fields().build();
    let mut r = pool.get();
    r.tokens.push("GET".into());
    r.limit = 16;
    let message = panic_message(|| drop(r));
    assert_eq!(
        message,
        "pool audit: `ParseResult.limit` after reset is 16, a fresh value has 0"
    );
    assert_eq!(pool.stats().dropped_panicked, 1);
    // A use the reset undoes passes.
    pool.get().tokens.push("POST".into());
    assert_eq!(pool.stats().retained, 1);
}

/// A field type with a hand-written reset that forgets one of its own
/// fields, and an `AuditFields` impl written field by field.
#[derive(Default, Debug, PartialEq)]
struct Cursor {
    pos: usize,
    line: usize,
}

impl Poolable for Cursor {
    fn reset(&mut self) {
        self.pos = 0; // `line` forgotten
    }
}

impl AuditFields for Cursor {
    fn first_difference(&self, fresh: &Self) -> Option<Difference> {
        Difference::compare(&self.pos, &fresh.pos)
            .map(|d| d.within("pos"))
            .or_else(|| Difference::compare(&self.line, &fresh.line).map(|d| d.within("line")))
    }
}

#[derive(Poolable, Default, Debug)]
#[pool(audit)]
struct Parser {
    input: Vec<u8>,
    cursor: Cursor,
}

#[test]
fn a_nested_hand_written_reset_that_forgets_a_field_is_named() {
    let pool = Pool::builder(Parser::default).audit_fields().build();
    let mut p = pool.get();
    p.input.extend_from_slice(b"a\nb");
    p.cursor.pos = 3;
    p.cursor.line = 2;
    let message = panic_message(|| drop(p));
    assert_eq!(
        message,
        "pool audit: `Parser.cursor.line` after reset is 2, a fresh value has 0"
    );
}

fn keep_depth(_: &mut u8) {}

#[derive(Poolable, Default, Debug)]
#[pool(audit)]
struct Head {
    name: String,
    // The planted bug, one struct down.
    #[pool(reset_with = keep_depth)]
    depth: u8,
}

#[derive(Poolable, Default, Debug)]
#[pool(audit)]
struct Frame<T: Default> {
    head: Head,
    body: T,
    #[pool(skip)]
    origin: u32,
}

#[test]
fn a_difference_deep_inside_nested_derived_structs_is_named() {
    let pool = Pool::builder(Frame::<Vec<u8>>::default)
        .audit_fields()
        .build();
    let mut f = pool.get();
    f.body.push(1);
    f.head.depth = 3;
    let message = panic_message(|| drop(f));
    assert_eq!(
        message,
        "pool audit: `Frame.head.depth` after reset is 3, a fresh value has 0"
    );
}

#[test]
fn a_skip_field_is_compared_too() {
    #[derive(Poolable, Debug)]
    #[pool(audit)]
    struct Session {
        buf: Vec<u8>,
        #[pool(skip)]
        user: Option<String>,
    }
    let pool = Pool::builder(|| Session {
        buf: Vec::new(),
        user: None,
    })
    .audit_fields()
    .build();
    let mut s = pool.get();
    s.user = Some("alice".into());
    let message = panic_message(|| drop(s));
    assert_eq!(
        message,
        "pool audit: `Session.user` after reset is Some(\"alice\"), a fresh value has None"
    );
}

#[derive(Poolable, Default, Debug)]
#[pool(audit)]
struct Pair(Vec<u8>, #[pool(reset = 7)] u64);

#[test]
fn tuple_fields_are_named_by_index_and_a_complete_reset_is_silent() {
    let pool = Pool::builder(Pair::default).audit_fields().build();
    // The factory's value is reset once, so fresh values have 7 too.
    let mut p = pool.get();
    p.0.push(1);
    p.1 = 99;
    drop(p);
    assert_eq!(pool.stats().retained, 1, "7 after reset, 7 fresh: no panic");
    let d = Pair(vec![1], 7).first_difference(&Pair(vec![], 7)).unwrap();
    assert_eq!(d.path(), ["0"]);
    assert_eq!(
        d.to_string(),
        "`0` after reset is [1], a fresh value has []"
    );
}
