const _: () = {
    use ::pool_runtime::__private::FieldBytesKind as _;
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for ParseResult {
        #[inline]
        fn reset(&mut self) {
            <Vec<u8> as ::pool_runtime::__private::Poolable>::reset(&mut self.body);
            <Vec<
                String,
            > as ::pool_runtime::__private::Poolable>::reset(&mut self.tokens);
            {
                let __pool_cap: ::pool_runtime::__private::usize = 256;
                if <Vec<
                    String,
                > as ::pool_runtime::__private::Capacity>::capacity(&self.tokens)
                    > __pool_cap
                {
                    <Vec<
                        String,
                    > as ::pool_runtime::__private::Capacity>::shrink_to(
                        &mut self.tokens,
                        __pool_cap,
                    );
                }
            }
            <bool as ::pool_runtime::__private::Poolable>::reset(&mut self.is_valid);
            self.limit = 16;
            Scratch::wipe(&mut self.scratch);
            <Vec<
                u8,
            > as ::pool_runtime::__private::ZeroizeBytes>::zeroize_bytes(&mut self.key);
            <Vec<u8> as ::pool_runtime::__private::Poolable>::reset(&mut self.key);
            Self::rewind(self);
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.body)
                && {
                    let __pool_cap: ::pool_runtime::__private::usize = 1 << 20;
                    <Vec<
                        u8,
                    > as ::pool_runtime::__private::Capacity>::capacity(&self.body)
                        <= __pool_cap
                }
                && <Vec<
                    String,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.tokens)
                && <bool as ::pool_runtime::__private::Poolable>::within_caps(
                    &self.is_valid,
                )
                && <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::within_caps(&self.key)
                && {
                    let __pool_max_bytes: ::pool_runtime::__private::usize = 4 << 20;
                    <Self as ::pool_runtime::__private::Poolable>::retained_bytes(self)
                        <= __pool_max_bytes
                }
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.body),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <Vec<
                    String,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.tokens),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <bool as ::pool_runtime::__private::Poolable>::retained_bytes(
                    &self.is_valid,
                ),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                (&&&::pool_runtime::__private::FieldBytes(&self.limit)).__pool_bytes(),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                (&&&::pool_runtime::__private::FieldBytes(&self.scratch)).__pool_bytes(),
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                <Vec<
                    u8,
                > as ::pool_runtime::__private::Poolable>::retained_bytes(&self.key),
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            <Vec<u8> as ::pool_runtime::__private::Poolable>::wipe(&mut self.body);
            <Vec<String> as ::pool_runtime::__private::Poolable>::wipe(&mut self.tokens);
            <bool as ::pool_runtime::__private::Poolable>::wipe(&mut self.is_valid);
            <Vec<
                u8,
            > as ::pool_runtime::__private::ZeroizeBytes>::zeroize_bytes(&mut self.key);
        }
    }
};
