// A field that names the struct itself gets no inferred bound (it would
// need the impl being defined); what it asks of the parameters, here
// `K: Ord` for the `BTreeMap`, is said with `bound`.
use pool_runtime::Poolable;
use std::collections::BTreeMap;

#[derive(Poolable)]
struct Trie<K> {
    children: BTreeMap<K, Trie<K>>,
}

fn main() {}
