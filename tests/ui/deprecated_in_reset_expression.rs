// The expansion allows its own uses of a deprecated field, and only those:
// a deprecated function the user calls in `reset = …` is still reported.
#![deny(deprecated)]

use pool_runtime::Poolable;

#[deprecated = "use `fresh_limit`"]
fn old_limit() -> usize {
    16
}

#[derive(Poolable)]
struct Request {
    #[deprecated]
    #[pool(reset = old_limit())]
    limit: usize,
}

fn main() {}
