//! The expansion names everything by absolute path: it compiles in a module
//! with no prelude, where `Vec`, `Option`, `usize`'s methods and the traits
//! are not in scope.
#![no_implicit_prelude]

mod no_prelude {
    use ::pool_runtime::Poolable;
    use ::std::string::String;
    use ::std::vec::Vec;

    fn clear_words(words: &mut Vec<String>) {
        words.clear();
    }

    fn rewind<const N: usize, T>(named: &mut Named<'_, N, T>) {
        named.cursor = 1;
    }

    #[derive(Poolable)]
    #[pool(max_value_bytes = 1 << 20, after_reset = rewind, audit)]
    pub struct Named<'a, const N: usize, T> {
        #[pool(cap = 64)]
        pub body: Vec<u8>,
        #[pool(cap = 8, shrink)]
        pub scratch: Vec<u32>,
        #[pool(zeroize)]
        pub key: Vec<u8>,
        #[pool(reset_with = clear_words)]
        pub words: Vec<String>,
        #[pool(reset = 0)]
        pub cursor: usize,
        #[pool(skip)]
        pub source: &'a str,
        pub items: [T; N],
    }

    #[derive(Poolable)]
    #[pool(audit)]
    pub struct Tuple(pub Vec<u8>, #[pool(skip)] pub u8);

    #[derive(Poolable)]
    #[pool(audit)]
    pub struct Unit;

    #[derive(Poolable)]
    #[pool(global, new = Self::make)]
    pub struct Global {
        pub bytes: Vec<u8>,
    }

    impl Global {
        fn make() -> Self {
            Global {
                bytes: Vec::with_capacity(8),
            }
        }
    }
}

fn s(text: &str) -> ::std::string::String {
    ::std::borrow::ToOwned::to_owned(text)
}

#[test]
fn derives_without_the_prelude() {
    use ::pool_runtime::Poolable;
    let mut named = no_prelude::Named {
        body: ::std::vec![1, 2],
        scratch: ::std::vec::Vec::with_capacity(100),
        key: ::std::vec![9],
        words: ::std::vec![s("w")],
        cursor: 5,
        source: "s",
        items: [s("a"), s("b"), s("c")],
    };
    named.reset();
    ::std::assert!(named.body.is_empty() && named.key.is_empty() && named.words.is_empty());
    ::std::assert_eq!((named.cursor, named.source), (1, "s"));
    ::std::assert!(named.items[0].is_empty() && named.items[2].is_empty());
    ::std::assert!(named.within_caps());
    // `reset_with` and `reset` fields count their bytes (autoref dispatch
    // through a trait the expansion brings into scope itself).
    named.words = ::std::vec::Vec::with_capacity(3);
    ::std::assert!(named.retained_bytes() >= 3 * ::std::mem::size_of::<::std::string::String>());
    named.key.extend_from_slice(b"secret");
    named.items[1].push('x');
    named.wipe();
    ::std::assert!(named.key.is_empty() && named.items[1] == "x");
    let mut tuple = no_prelude::Tuple(::std::vec![1], 2);
    tuple.reset();
    ::std::assert_eq!((tuple.0.len(), tuple.1), (0, 2));
    no_prelude::Unit.reset();
    let global = <no_prelude::Global as ::pool_runtime::GlobalPool>::checkout();
    ::std::assert!(global.bytes.capacity() >= 8);
}
