const _: () = {
    use ::pool_runtime::__private::FieldBytesKind as _;
    #[automatically_derived]
    impl<K, V, T, const N: usize> ::pool_runtime::__private::Poolable
    for Index<K, V, T, N>
    where
        HashMap<K, V>: ::pool_runtime::__private::Poolable,
        HashMap<K, V>: ::pool_runtime::__private::Capacity,
        BTreeMap<K, [T; N]>: ::pool_runtime::__private::Poolable,
        BinaryHeap<T>: ::pool_runtime::__private::Poolable,
        [u8; N]: ::pool_runtime::__private::Poolable,
        [u8; N]: ::pool_runtime::__private::ZeroizeBytes,
    {
        #[inline]
        fn reset(&mut self) {
            <HashMap<
                K,
                V,
            > as ::pool_runtime::__private::Poolable>::reset(&mut self.by_key);
            <BTreeMap<
                K,
                [T; N],
            > as ::pool_runtime::__private::Poolable>::reset(&mut self.ordered);
            <BinaryHeap<
                T,
            > as ::pool_runtime::__private::Poolable>::reset(&mut self.heap);
            <[u8; N] as ::pool_runtime::__private::Poolable>::reset(&mut self.window);
            <[u8; N] as ::pool_runtime::__private::ZeroizeBytes>::zeroize_bytes(
                &mut self.key,
            );
            <[u8; N] as ::pool_runtime::__private::Poolable>::reset(&mut self.key);
            <HashMap<
                K,
                V,
            > as ::pool_runtime::__private::Poolable>::reset(&mut self.also_by_key);
            <PhantomData<
                fn(V),
            > as ::pool_runtime::__private::Poolable>::reset(&mut self.marker);
            <Vec<
                Index<K, V, T, N>,
            > as ::pool_runtime::__private::Poolable>::reset(&mut self.children);
            <Option<
                Box<Self>,
            > as ::pool_runtime::__private::Poolable>::reset(&mut self.next);
            HashMap::clear(&mut self.scratch);
            <Vec<u8> as ::pool_runtime::__private::Poolable>::reset(&mut self.plain);
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.by_key)
                && {
                    let __pool_cap: ::pool_runtime::__private::usize = 64;
                    <HashMap<
                        K,
                        V,
                    > as ::pool_runtime::__private::Capacity>::capacity(&self.by_key)
                        <= __pool_cap
                }
                && <BTreeMap<
                    K,
                    [T; N],
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.ordered)
                && <BinaryHeap<
                    T,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.heap)
                && <[u8; N] as ::pool_runtime::__private::Poolable>::within_caps(
                    &self.window,
                )
                && <[u8; N] as ::pool_runtime::__private::Poolable>::within_caps(
                    &self.key,
                )
                && <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.also_by_key)
                && <PhantomData<
                    fn(V),
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.marker)
                && <Vec<
                    Index<K, V, T, N>,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.children)
                && <Option<
                    Box<Self>,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.next)
                && <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.plain)
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.by_key),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <BTreeMap<
                    K,
                    [T; N],
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.ordered),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <BinaryHeap<
                    T,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.heap),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <[u8; N] as ::pool_runtime::__private::Poolable>::retained_bytes(
                    &self.window,
                ),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <[u8; N] as ::pool_runtime::__private::Poolable>::retained_bytes(
                    &self.key,
                ),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(
                    &self.also_by_key,
                ),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <PhantomData<
                    fn(V),
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.marker),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <Vec<
                    Index<K, V, T, N>,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.children),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <Option<
                    Box<Self>,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.next),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                (&&&::pool_runtime::__private::FieldBytes(&self.scratch)).__pool_bytes(),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.plain),
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            <HashMap<
                K,
                V,
            > as ::pool_runtime::__private::Poolable>::wipe(&mut self.by_key);
            <BTreeMap<
                K,
                [T; N],
            > as ::pool_runtime::__private::Poolable>::wipe(&mut self.ordered);
            <BinaryHeap<T> as ::pool_runtime::__private::Poolable>::wipe(&mut self.heap);
            <[u8; N] as ::pool_runtime::__private::Poolable>::wipe(&mut self.window);
            <[u8; N] as ::pool_runtime::__private::ZeroizeBytes>::zeroize_bytes(
                &mut self.key,
            );
            <HashMap<
                K,
                V,
            > as ::pool_runtime::__private::Poolable>::wipe(&mut self.also_by_key);
            <PhantomData<
                fn(V),
            > as ::pool_runtime::__private::Poolable>::wipe(&mut self.marker);
            <Vec<
                Index<K, V, T, N>,
            > as ::pool_runtime::__private::Poolable>::wipe(&mut self.children);
            <Option<
                Box<Self>,
            > as ::pool_runtime::__private::Poolable>::wipe(&mut self.next);
            <Vec<u8> as ::pool_runtime::__private::Poolable>::wipe(&mut self.plain);
        }
    }
};
