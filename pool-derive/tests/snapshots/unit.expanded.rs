const _: () = {
    #[automatically_derived]
    impl ::pool_runtime::__private::Poolable for Marker {
        #[inline]
        fn reset(&mut self) {}
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
        }
        #[inline]
        fn retained_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            __pool_bytes
        }
        #[inline]
        fn used_bytes(&self) -> ::pool_runtime::__private::usize {
            let __pool_bytes: ::pool_runtime::__private::usize = 0;
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {}
        fn poison_spare(&mut self) {}
    }
};
