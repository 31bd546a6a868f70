const _: () = {
    use my::facade::__private::FieldBytesKind as _;
    #[automatically_derived]
    impl<T> my::facade::__private::Poolable for Vault<T> {
        #[inline]
        fn reset(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.key;
                <Vec<
                    u8,
                > as my::facade::__private::ZeroizeBytes>::zeroize_bytes(__pool_field);
                <Vec<u8> as my::facade::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.session;
                <Session as my::facade::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.scratch;
                Scratch::clear(__pool_field);
            }
            {
                let __pool_value: Cell<u32> = Cell::new(0);
                #[allow(deprecated)]
                let __pool_field = &mut self.hits;
                *__pool_field = __pool_value;
            }
        }
        #[inline]
        fn within_caps(&self) -> my::facade::__private::bool {
            true
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.key;
                    <Vec<
                        u8,
                    > as my::facade::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.session;
                    <Session as my::facade::__private::Poolable>::within_caps(
                        __pool_field,
                    )
                }
        }
        #[inline]
        fn retained_bytes(&self) -> my::facade::__private::usize {
            let __pool_bytes: my::facade::__private::usize = 0;
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.key;
                    <Vec<
                        u8,
                    > as my::facade::__private::Poolable>::retained_bytes(__pool_field)
                },
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.session;
                    <Session as my::facade::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.scratch;
                    (&&&my::facade::__private::FieldBytes(__pool_field)).__pool_bytes()
                },
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.hits;
                    (&&&my::facade::__private::FieldBytes(__pool_field)).__pool_bytes()
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
                    let __pool_field = &self.key;
                    <Vec<
                        u8,
                    > as my::facade::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.session;
                    <Session as my::facade::__private::Poolable>::used_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.scratch;
                    (&&&my::facade::__private::FieldBytes(__pool_field)).__pool_bytes()
                },
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.hits;
                    (&&&my::facade::__private::FieldBytes(__pool_field)).__pool_bytes()
                },
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.key;
                <Vec<
                    u8,
                > as my::facade::__private::ZeroizeBytes>::zeroize_bytes(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.session;
                <Session as my::facade::__private::Poolable>::wipe(__pool_field);
            }
        }
        fn poison_spare(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.key;
                <Vec<u8> as my::facade::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.session;
                <Session as my::facade::__private::Poolable>::poison_spare(__pool_field);
            }
        }
    }
};
