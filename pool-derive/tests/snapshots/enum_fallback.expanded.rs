::core::compile_error! {
    "`Poolable` can only be derived for structs; an enum's variants hold different fields, so implement `Poolable` by hand with a `match` that resets the active variant"
}
const _: () = {
    #[automatically_derived]
    impl my::facade::__private::Poolable for Message {
        fn reset(&mut self) {
            ::core::unreachable!()
        }
    }
};
