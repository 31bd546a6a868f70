//! Misuses of `#[derive(Poolable)]`: each file in tests/ui is one mistake,
//! and its .stderr is the error the user sees.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
