const _: () = {
    use my::facade::__private::FieldBytesKind as _;
    #[automatically_derived]
    impl<T> my::facade::__private::Poolable for Vault<T> {
        #[inline]
        fn reset(&mut self) {
            <Vec<
                u8,
            > as my::facade::__private::ZeroizeBytes>::zeroize_bytes(&mut self.key);
            <Vec<u8> as my::facade::__private::Poolable>::reset(&mut self.key);
            <Session as my::facade::__private::Poolable>::reset(&mut self.session);
            Scratch::clear(&mut self.scratch);
            self.hits = Cell::new(0);
        }
        #[inline]
        fn within_caps(&self) -> my::facade::__private::bool {
            true && <Vec<u8> as my::facade::__private::Poolable>::within_caps(&self.key)
                && <Session as my::facade::__private::Poolable>::within_caps(
                    &self.session,
                )
        }
        #[inline]
        fn retained_bytes(&self) -> my::facade::__private::usize {
            let __pool_bytes: my::facade::__private::usize = 0;
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                <Vec<u8> as my::facade::__private::Poolable>::retained_bytes(&self.key),
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                <Session as my::facade::__private::Poolable>::retained_bytes(
                    &self.session,
                ),
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                (&&&my::facade::__private::FieldBytes(&self.scratch)).__pool_bytes(),
            );
            let __pool_bytes = my::facade::__private::usize::saturating_add(
                __pool_bytes,
                (&&&my::facade::__private::FieldBytes(&self.hits)).__pool_bytes(),
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            <Vec<
                u8,
            > as my::facade::__private::ZeroizeBytes>::zeroize_bytes(&mut self.key);
            <Session as my::facade::__private::Poolable>::wipe(&mut self.session);
        }
    }
};
