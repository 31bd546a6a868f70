const _: () = {
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for Wire {
        #[inline]
        fn reset(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.magic;
                <[u8; 4] as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.flags;
                <u8 as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.ok;
                <bool as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.pad;
                <[[i8; 2]; 3] as ::pool_runtime::__private::Poolable>::reset(
                    __pool_field,
                );
            }
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.magic;
                    <[u8; 4] as ::pool_runtime::__private::Poolable>::within_caps(
                        __pool_field,
                    )
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.flags;
                    <u8 as ::pool_runtime::__private::Poolable>::within_caps(
                        __pool_field,
                    )
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.ok;
                    <bool as ::pool_runtime::__private::Poolable>::within_caps(
                        __pool_field,
                    )
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.pad;
                    <[[i8; 2]; 3] as ::pool_runtime::__private::Poolable>::within_caps(
                        __pool_field,
                    )
                }
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.magic;
                    <[u8; 4] as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.flags;
                    <u8 as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.ok;
                    <bool as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.pad;
                    <[[i8; 2]; 3] as ::pool_runtime::__private::Poolable>::retained_bytes(
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
                    let __pool_field = &self.magic;
                    <[u8; 4] as ::pool_runtime::__private::Poolable>::used_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.flags;
                    <u8 as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.ok;
                    <bool as ::pool_runtime::__private::Poolable>::used_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.pad;
                    <[[i8; 2]; 3] as ::pool_runtime::__private::Poolable>::used_bytes(
                        __pool_field,
                    )
                },
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.magic;
                <[u8; 4] as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.flags;
                <u8 as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.ok;
                <bool as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.pad;
                <[[i8; 2]; 3] as ::pool_runtime::__private::Poolable>::wipe(
                    __pool_field,
                );
            }
        }
        fn poison_spare(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.magic;
                <[u8; 4] as ::pool_runtime::__private::Poolable>::poison_spare(
                    __pool_field,
                );
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.flags;
                <u8 as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.ok;
                <bool as ::pool_runtime::__private::Poolable>::poison_spare(
                    __pool_field,
                );
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.pad;
                <[[i8; 2]; 3] as ::pool_runtime::__private::Poolable>::poison_spare(
                    __pool_field,
                );
            }
        }
    }
};
