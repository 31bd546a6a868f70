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
            <Vec<T> as ::pool_runtime::__private::Poolable>::reset(&mut self.0);
            <VecDeque<T> as ::pool_runtime::__private::Poolable>::reset(&mut self.2);
            <PhantomData<U> as ::pool_runtime::__private::Poolable>::reset(&mut self.3);
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true && <Vec<T> as ::pool_runtime::__private::Poolable>::within_caps(&self.0)
                && <VecDeque<
                    T,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.2)
                && {
                    let __pool_cap: ::pool_runtime::__private::usize = N;
                    <VecDeque<
                        T,
                    > as ::pool_runtime::__private::Capacity>::capacity(&self.2)
                        <= __pool_cap
                }
                && <PhantomData<
                    U,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.3)
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <Vec<T> as ::pool_runtime::__private::Poolable>::retained_bytes(&self.0),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <VecDeque<
                    T,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.2),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <PhantomData<
                    U,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.3),
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            <Vec<T> as ::pool_runtime::__private::Poolable>::wipe(&mut self.0);
            <VecDeque<T> as ::pool_runtime::__private::Poolable>::wipe(&mut self.2);
            <PhantomData<U> as ::pool_runtime::__private::Poolable>::wipe(&mut self.3);
        }
    }
};
