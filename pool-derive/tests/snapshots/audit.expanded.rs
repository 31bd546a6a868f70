const _: () = {
    #[automatically_derived]
    impl<T> ::pool_runtime::__private::Poolable for Frame<T>
    where
        Vec<T>: ::pool_runtime::__private::Poolable,
    {
        #[inline]
        fn reset(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.head;
                <Head as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.body;
                <Vec<T> as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.marker;
                <PhantomData<
                    T,
                > as ::pool_runtime::__private::Poolable>::reset(__pool_field);
            }
        }
        #[inline]
        fn within_caps(&self) -> ::pool_runtime::__private::bool {
            true
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.head;
                    <Head as ::pool_runtime::__private::Poolable>::within_caps(
                        __pool_field,
                    )
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.body;
                    <Vec<
                        T,
                    > as ::pool_runtime::__private::Poolable>::within_caps(__pool_field)
                }
                && {
                    #[allow(deprecated)]
                    let __pool_field = &self.marker;
                    <PhantomData<
                        T,
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
                    let __pool_field = &self.head;
                    <Head as ::pool_runtime::__private::Poolable>::retained_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.body;
                    <Vec<
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
                    let __pool_field = &self.marker;
                    <PhantomData<
                        T,
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
                    let __pool_field = &self.head;
                    <Head as ::pool_runtime::__private::Poolable>::used_bytes(
                        __pool_field,
                    )
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.body;
                    <Vec<
                        T,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            let __pool_bytes = ::pool_runtime::__private::usize::saturating_add(
                __pool_bytes,
                {
                    #[allow(deprecated)]
                    let __pool_field = &self.marker;
                    <PhantomData<
                        T,
                    > as ::pool_runtime::__private::Poolable>::used_bytes(__pool_field)
                },
            );
            __pool_bytes
        }
        #[inline]
        fn wipe(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.head;
                <Head as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.body;
                <Vec<T> as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.marker;
                <PhantomData<
                    T,
                > as ::pool_runtime::__private::Poolable>::wipe(__pool_field);
            }
        }
        fn poison_spare(&mut self) {
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.head;
                <Head as ::pool_runtime::__private::Poolable>::poison_spare(
                    __pool_field,
                );
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.body;
                <Vec<
                    T,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
            {
                #[allow(deprecated)]
                let __pool_field = &mut self.marker;
                <PhantomData<
                    T,
                > as ::pool_runtime::__private::Poolable>::poison_spare(__pool_field);
            }
        }
    }
    #[automatically_derived]
    impl<T> ::pool_runtime::__private::AuditFields for Frame<T>
    where
        Vec<T>: ::pool_runtime::__private::AuditFields,
    {
        fn first_difference(
            &self,
            __pool_fresh: &Self,
        ) -> ::core::option::Option<::pool_runtime::__private::Difference> {
            #[allow(deprecated)]
            if let ::core::option::Option::Some(__pool_difference) = <Head as ::pool_runtime::__private::AuditFields>::first_difference(
                &self.head,
                &__pool_fresh.head,
            ) {
                return ::core::option::Option::Some(__pool_difference.within("head"));
            }
            #[allow(deprecated)]
            if let ::core::option::Option::Some(__pool_difference) = <Vec<
                T,
            > as ::pool_runtime::__private::AuditFields>::first_difference(
                &self.body,
                &__pool_fresh.body,
            ) {
                return ::core::option::Option::Some(__pool_difference.within("body"));
            }
            #[allow(deprecated)]
            if let ::core::option::Option::Some(__pool_difference) = <u8 as ::pool_runtime::__private::AuditFields>::first_difference(
                &self.r#type,
                &__pool_fresh.r#type,
            ) {
                return ::core::option::Option::Some(__pool_difference.within("type"));
            }
            #[allow(deprecated)]
            if let ::core::option::Option::Some(__pool_difference) = <PhantomData<
                T,
            > as ::pool_runtime::__private::AuditFields>::first_difference(
                &self.marker,
                &__pool_fresh.marker,
            ) {
                return ::core::option::Option::Some(__pool_difference.within("marker"));
            }
            ::core::option::Option::None
        }
    }
};
