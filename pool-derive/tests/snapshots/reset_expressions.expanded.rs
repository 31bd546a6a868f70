const _: () = {
    use ::pool_runtime::__private::FieldBytesKind as _;
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for State {
        #[inline]
        fn reset(&mut self) {
            {
                let __pool_value: &'static str = "idle";
                #[allow(deprecated)]
                let __pool_field = &mut self.name;
                *__pool_field = __pool_value;
            }
            {
                let __pool_value: String = "x".to_owned();
                #[allow(deprecated)]
                let __pool_field = &mut self.label;
                *__pool_field = __pool_value;
            }
            {
                let __pool_value: fn(u8) -> u8 = |x| x + 1;
                #[allow(deprecated)]
                let __pool_field = &mut self.step;
                *__pool_field = __pool_value;
            }
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && {
                    let __pool_cap: ::pool_runtime::__private::usize = "four".len();
                    #[allow(deprecated)]
                    let __pool_field = &self.step;
                    <fn(
                        u8,
                    ) -> u8 as ::pool_runtime::__private::Capacity>::capacity(
                        __pool_field,
                    ) <= __pool_cap
                }
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.name;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.label;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.step;
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
                    let __pool_field = &self.name;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.label;
                    (&&&::pool_runtime::__private::FieldBytes(__pool_field))
                        .__pool_bytes()
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.step;
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
};
