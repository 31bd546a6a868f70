const _: () = {
    #[automatically_derived]
    impl<'a, T, U, const N: usize> ::pool_runtime::__private::Poolable
    for Batch<'a, T, U, N>
    where
        Vec<T>: ::pool_runtime::__private::Poolable,
        VecDeque<T>: ::pool_runtime::__private::Poolable,
        VecDeque<T>: ::pool_runtime::__private::Capacity,
    {
        #[inline]
        fn reset(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.0;
                <Vec<T> as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.2;
                <VecDeque<
                    T,
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.3;
                <PhantomData<
                    U,
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.0;
                    <Vec<
                        T,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.2;
                    <VecDeque<
                        T,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    let __pool_cap: ::pool_runtime::__private::usize = N;
                    #[allow(deprecated)]
                    let __pool_field = &self.2;
                    <VecDeque<
                        T,
                    > as ::pool_runtime::__private::Capacity>::capacity(__pool_field)
                        <= __pool_cap
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.3;
                    <PhantomData<
                        U,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.0;
                    <Vec<
                        T,
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.2;
                    <VecDeque<
                        T,
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.3;
                    <PhantomData<
                        U,
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            __pool_bytes
        }
        #[inline]
        fn used_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.0;
                    <Vec<
                        T,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.2;
                    <VecDeque<
                        T,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.3;
                    <PhantomData<
                        U,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.0;
                <Vec<T> as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.2;
                <VecDeque<T> as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.3;
                <PhantomData<
                    U,
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
        }
        fn poison_spare(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.0;
                <Vec<
                    T,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.2;
                <VecDeque<
                    T,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.3;
                <PhantomData<
                    U,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
        }
    }
};
