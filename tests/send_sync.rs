//! The `Send`/`Sync` contract of pools and guards. A pool, a guard or an
//! owned guard crosses threads exactly when its value may; a guard is shared
//! by reference only when its value is `Sync`; a global pool needs a `Send`
//! type; a pool holds only `'static` values. Each file in tests/send_sync is
//! one mistake that must not compile, with the error the user sees in its
//! .stderr; the assertions below pin down both sides without trybuild.

use pool_runtime::{OwnedPooled, Pool, Poolable, Pooled};
use static_assertions::{assert_impl_all, assert_not_impl_any};
use std::cell::Cell;
use std::rc::Rc;

/// `Send`, not `Sync`.
struct Flag(Cell<u32>);

impl Poolable for Flag {
    fn reset(&mut self) {
        self.0.set(0);
    }
}

/// Neither `Send` nor `Sync`.
struct Counted(Rc<u32>);

impl Poolable for Counted {
    fn reset(&mut self) {}
}

assert_impl_all!(Pool<Flag>: Send, Sync);
assert_impl_all!(Pool<Vec<u8>>: Send, Sync);
assert_impl_all!(Pooled<'static, Vec<u8>>: Send, Sync);
assert_impl_all!(OwnedPooled<Vec<u8>>: Send, Sync);
assert_impl_all!(Pooled<'static, Flag>: Send);
assert_impl_all!(OwnedPooled<Flag>: Send);

assert_not_impl_any!(Pool<Counted>: Send, Sync);
assert_not_impl_any!(Pooled<'static, Counted>: Send, Sync);
assert_not_impl_any!(OwnedPooled<Counted>: Send, Sync);
assert_not_impl_any!(Pooled<'static, Flag>: Sync);
assert_not_impl_any!(OwnedPooled<Flag>: Sync);

#[test]
fn a_pool_of_a_send_value_is_shared_and_its_guards_cross_threads() {
    let pool = Pool::new(|| Flag(Cell::new(0)));
    std::thread::scope(|s| {
        let guard = pool.get();
        guard.0.set(7);
        // A guard of a `Send` value is dropped on another thread...
        s.spawn(move || drop(guard));
        // ...and the pool itself is used from several at once.
        s.spawn(|| drop(pool.get()));
    });
    let guard = pool.get();
    assert_eq!(guard.0.get(), 0, "reset on its way back");
}

#[test]
fn a_value_that_is_not_send_is_pooled_on_one_thread() {
    let pool = Pool::new(|| Counted(Rc::new(1)));
    let first = pool.get();
    let rc = Rc::clone(&first.0);
    drop(first);
    assert!(Rc::ptr_eq(&pool.get().0, &rc), "the same value came back");
}

#[test]
fn send_sync_misuses_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/send_sync/*.rs");
}
