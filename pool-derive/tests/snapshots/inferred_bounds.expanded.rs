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
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.by_key;
                <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.ordered;
                <BTreeMap<
                    K,
                    [T; N],
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.heap;
                <BinaryHeap<
                    T,
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.window;
                <[u8; N] as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.key;
                <[u8; N] as ::pool_runtime::__private::ZeroizeBytes>::zeroize_bytes(
                    __pool_field,
                );
                <[u8; N] as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.also_by_key;
                <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.marker;
                <PhantomData<
                    fn(V),
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.children;
                <Vec<
                    Index<K, V, T, N>,
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.next;
                <Option<
                    Box<Self>,
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.scratch;
                HashMap::clear(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.plain;
                <Vec<u8> as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.by_key;
                    <HashMap<
                        K,
                        V,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    let __pool_cap: ::pool_runtime::__private::usize = 64;
                    #[allow(deprecated)]
                    let __pool_field = &self.by_key;
                    <HashMap<
                        K,
                        V,
                    > as ::pool_runtime::__private::Capacity>::capacity(__pool_field)
                        <= __pool_cap
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.ordered;
                    <BTreeMap<
                        K,
                        [T; N],
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.heap;
                    <BinaryHeap<
                        T,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.window;
                    <[u8; N] as ::pool_runtime::__private::Poolable>::within_caps(
                        __pool_field,
                    )
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.key;
                    <[u8; N] as ::pool_runtime::__private::Poolable>::within_caps(
                        __pool_field,
                    )
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.also_by_key;
                    <HashMap<
                        K,
                        V,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.marker;
                    <PhantomData<
                        fn(V),
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.children;
                    <Vec<
                        Index<K, V, T, N>,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.next;
                    <Option<
                        Box<Self>,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.plain;
                    <Vec<
                        u8,
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
                    let __pool_field = &self.by_key;
                    <HashMap<
                        K,
                        V,
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.ordered;
                    <BTreeMap<
                        K,
                        [T; N],
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.heap;
                    <BinaryHeap<
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
                    let __pool_field = &self.window;
                    <[u8; N] as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.key;
                    <[u8; N] as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.also_by_key;
                    <HashMap<
                        K,
                        V,
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.marker;
                    <PhantomData<
                        fn(V),
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.children;
                    <Vec<
                        Index<K, V, T, N>,
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.next;
                    <Option<
                        Box<Self>,
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.scratch;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.plain;
                    <Vec<
                        u8,
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
                    let __pool_field = &self.by_key;
                    <HashMap<
                        K,
                        V,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.ordered;
                    <BTreeMap<
                        K,
                        [T; N],
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.heap;
                    <BinaryHeap<
                        T,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.window;
                    <[u8; N] as ::pool_runtime::__private::Poolable>::used_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.key;
                    <[u8; N] as ::pool_runtime::__private::Poolable>::used_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.also_by_key;
                    <HashMap<
                        K,
                        V,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.marker;
                    <PhantomData<
                        fn(V),
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.children;
                    <Vec<
                        Index<K, V, T, N>,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.next;
                    <Option<
                        Box<Self>,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.scratch;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.plain;
                    <Vec<
                        u8,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.by_key;
                <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.ordered;
                <BTreeMap<
                    K,
                    [T; N],
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.heap;
                <BinaryHeap<
                    T,
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.window;
                <[u8; N] as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.key;
                <[u8; N] as ::pool_runtime::__private::ZeroizeBytes>::zeroize_bytes(
                    __pool_field,
                );
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.also_by_key;
                <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.marker;
                <PhantomData<
                    fn(V),
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.children;
                <Vec<
                    Index<K, V, T, N>,
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.next;
                <Option<
                    Box<Self>,
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.plain;
                <Vec<u8> as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
        }
        fn poison_spare(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.by_key;
                <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.ordered;
                <BTreeMap<
                    K,
                    [T; N],
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.heap;
                <BinaryHeap<
                    T,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.window;
                <[u8; N] as ::pool_runtime::__private::Poolable>::poison_spare(
                    __pool_field,
                );
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.key;
                <[u8; N] as ::pool_runtime::__private::Poolable>::poison_spare(
                    __pool_field,
                );
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.also_by_key;
                <HashMap<
                    K,
                    V,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.marker;
                <PhantomData<
                    fn(V),
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.children;
                <Vec<
                    Index<K, V, T, N>,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.next;
                <Option<
                    Box<Self>,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.plain;
                <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
        }
    }
};
