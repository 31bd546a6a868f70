const _: () = {
    use ::pool_runtime::__private::FieldBytesKind as _;
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for Paths {
        #[inline]
        fn reset(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.bytes;
                Vec::<u8>::clear(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.wiped;
                <Vec<u8> as Wipe>::wipe(__pool_field);
            }
            <Self as Rewind>::rewind(self);
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.bytes;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.wiped;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
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
                    let __pool_field = &self.bytes;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.wiped;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {}
        fn poison_spare(&mut self) {}
    }
    trait __PoolGlobalFactory {
        fn __pool_make() -> Self;
    }
    #[automatically_derived]
    impl __PoolGlobalFactory for Paths {
        #[inline]
        fn __pool_make() -> Self {
            make::<Self>()
        }
    }
    #[automatically_derived]
    impl ::pool_runtime::__private::GlobalPool for Paths {
        fn pool() -> &'static ::pool_runtime::__private::Pool<Self> {
            static __POOL_GLOBAL: ::pool_runtime::__private::Lazy<
                ::pool_runtime::__private::Pool<Paths>,
            > = ::pool_runtime::__private::Lazy::new(|| {
                ::pool_runtime::__private::global_pool(
                    <Paths as __PoolGlobalFactory>::__pool_make,
                    ::pool_runtime::__private::None,
                )
            });
            &__POOL_GLOBAL
        }
    }
};
