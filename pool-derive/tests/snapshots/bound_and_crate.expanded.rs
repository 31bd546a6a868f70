const _: () = {
    #[automatically_derived]
    impl<T> my::facade::__private::Poolable for Wrapper<T>
    where
        T: my::facade::Poolable + Clone,
    {
        #[inline]
        fn reset(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.inner;
                <T as my::facade::__private::Poolable>::reset(__pool_field);
            }
        }
        #[inline]
        fn within_caps(&self) -> my::facade::__private::bool {
            true
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.inner;
                    <T as my::facade::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    let __pool_cap: my::facade::__private::usize = 8;
                    #[allow(deprecated)]
                    let __pool_field = &self.inner;
                    <T as my::facade::__private::Capacity>::capacity(__pool_field)
                        <= __pool_cap
                }
        }
        #[inline]
        fn retained_bytes(&self) -> my::facade::__private::usize {
            let __pool_bytes: my::facade::__private::usize = 0;
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.inner;
                    <T as my::facade::__private::Poolable>::retained_bytes(__pool_field)
                },
            );
            __pool_bytes
        }
        #[inline]
        fn used_bytes(&self) -> my::facade::__private::usize {
            let __pool_bytes: my::facade::__private::usize = 0;
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.inner;
                    <T as my::facade::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.inner;
                <T as my::facade::__private::Poolable>::wipe(__pool_field);
            }
        }
        fn poison_spare(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.inner;
                <T as my::facade::__private::Poolable>::poison_spare(__pool_field);
            }
        }
    }
};
