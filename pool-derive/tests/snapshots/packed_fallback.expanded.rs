::core::compile_error! {
    "`Poolable` is derived for a `#[repr(C, packed)]` struct only when every field is a byte type (`u8`, `i8`, `bool`, or arrays of them), which no packing can misalign: the derived reset, caps, byte count and wipe reach each field through a reference, which an unaligned field cannot give (E0793), and this field's type may be unaligned here; implement `Poolable` by hand (a `Copy` field can be copied out, reset and written back)"
}
const _: () = {
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for Header {
        fn reset(&mut self) {
            ::core::unreachable!()
        }
    }
};
