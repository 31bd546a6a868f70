::core::compile_error! {
    "`shrink` needs `cap`: it shrinks the field back to the cap instead of dropping the object, e.g. `#[pool(cap = 256, shrink)]`"
}
const _: () = {
    #[automatically_derived]
    impl<T> my::facade::__private::Poolable for Broken<T> {
        fn reset(&mut self) {
            ::core::unreachable!()
        }
    }
};
