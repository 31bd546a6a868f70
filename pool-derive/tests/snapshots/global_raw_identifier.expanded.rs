const _: () = {
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for r#type {
        #[inline]
        fn reset(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.r#match;
                <Vec<u8> as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.r#match;
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
                    let __pool_field = &self.r#match;
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
                    let __pool_field = &self.r#match;
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
                let __pool_field = &mut self.r#match;
                <Vec<u8> as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
        }
        fn poison_spare(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.r#match;
                <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
        }
    }
    trait __PoolGlobalFactory {
        fn __pool_make() -> Self;
    }
    #[automatically_derived]
    impl __PoolGlobalFactory for r#type {
        #[inline]
        fn __pool_make() -> Self {
            <Self as ::pool_runtime::__private::DefaultForGlobal>::make()
        }
    }
    #[automatically_derived]
    impl ::pool_runtime::__private::GlobalPool for r#type {
        fn pool() -> &'static ::pool_runtime::__private::Pool<Self> {
            static __POOL_GLOBAL: ::pool_runtime::__private::Lazy<
                ::pool_runtime::__private::Pool<r#type>,
            > = ::pool_runtime::__private::Lazy::new(|| {
                ::pool_runtime::__private::global_pool(
                    <r#type as __PoolGlobalFactory>::__pool_make,
                    ::pool_runtime::__private::None,
                )
            });
            &__POOL_GLOBAL
        }
    }
};
