const _: () = {
    use ::pool_runtime::__private::FieldBytesKind as _;
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for Request {
        #[inline]
        fn reset(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.body;
                <Vec<u8> as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                let __pool_value: usize = 0;
                #[allow(deprecated)]
                let __pool_field = &mut self.limit;
                *__pool_field = __pool_value;
            }
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.body;
                    <Vec<
                        u8,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    let __pool_cap: ::pool_runtime::__private::usize = 1 << 20;
                    #[allow(deprecated)]
                    let __pool_field = &self.body;
                    <Vec<
                        u8,
                    > as ::pool_runtime::__private::Capacity>::capacity(__pool_field)
                        <= __pool_cap
                }
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.body;
                    <Vec<
                        u8,
                    > as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.limit;
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
                    let __pool_field = &self.body;
                    <Vec<
                        u8,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.limit;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.body;
                <Vec<u8> as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
        }
        fn poison_spare(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.body;
                <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
        }
        #[inline]
        fn calibrates() -> ::pool_runtime::__private::bool {
            true
        }
    }
};
