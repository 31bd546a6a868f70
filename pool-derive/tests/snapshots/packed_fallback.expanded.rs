::core::compile_error! {
    "`Poolable` cannot be derived for a `#[repr(C, packed)]` struct: its fields may be unaligned, and the derived reset, caps, byte count and wipe reach each field through a reference, which an unaligned field cannot give (E0793); implement `Poolable` by hand (a `Copy` field can be copied out, reset and written back)"
}
const _: () = {
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for Header {
        fn reset(&mut self) {
            ::core::unreachable!()
        }
    }
};
