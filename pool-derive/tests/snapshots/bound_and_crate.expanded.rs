const _: () = {
    #[automatically_derived]
    impl<T> my::facade::__private::Poolable for Wrapper<T>
    where
        T: my::facade::Poolable + Clone,
    {
        #[inline]
        fn reset(&mut self) {
            <T as my::facade::__private::Poolable>::reset(&mut self.inner);
        }
        #[inline]
        fn within_caps(&self) -> my::facade::__private::bool {
            true && <T as my::facade::__private::Poolable>::within_caps(&self.inner)
                && {
                    let __pool_cap: my::facade::__private::usize = 8;
                    <T as my::facade::__private::Capacity>::capacity(&self.inner)
                        <= __pool_cap
                }
        }
        #[inline]
        fn retained_bytes(&self) -> my::facade::__private::usize {
            let __pool_bytes: my::facade::__private::usize = 0;
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                <T as my::facade::__private::Poolable>::retained_bytes(&self.inner),
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            <T as my::facade::__private::Poolable>::wipe(&mut self.inner);
        }
    }
};
