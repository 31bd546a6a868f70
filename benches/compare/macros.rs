//! The macros that make the cells: [`contender`] makes one contender's
//! cells of a workload, the others make a workload's contenders from its
//! factory, use and reset. Every item they name is spelled out from the
//! crate root, so that they expand the same wherever they are called.

/// One contender's cells of workload `$w` on `$th` threads. `$op` is the
/// whole operation (get, use, drop) on operation number `$i`; `$p = $setup`,
/// when given, is what it works on (the pool). `both` makes the inlined cell
/// and, for a workload measured outlined too ([`outlined_name`](crate::cells::outlined_name)), the
/// outlined one, from the very same `$op`; `inlined` or `outlined` makes
/// that one only.
macro_rules! contender {
    ($cells:ident, $w:expr, $c:expr, $th:expr, both, $($rest:tt)*) => {{
        $crate::macros::contender!($cells, $w, $c, $th, inlined, $($rest)*);
        $crate::macros::contender!($cells, $w, $c, $th, outlined, $($rest)*);
    }};
    ($cells:ident, $w:expr, $c:expr, $th:expr, inlined, |$i:ident| $op:expr) => {{
        let th: usize = $th;
        $cells.push($crate::cells::cell(
            $w,
            $c,
            th,
            Box::new(move |ops| $crate::harness::measure(th, ops, |$i| $op)),
        ));
    }};
    ($cells:ident, $w:expr, $c:expr, $th:expr, inlined, $p:ident = $setup:expr, |$i:ident| $op:expr) => {{
        let th: usize = $th;
        $cells.push($crate::cells::cell(
            $w,
            $c,
            th,
            Box::new(move |ops| {
                // Made anew each round: an inlined cell's pool is warmed by
                // this round's warm-up only.
                let $p = $setup;
                $crate::harness::measure(th, ops, |$i| $op)
            }),
        ));
    }};
    ($cells:ident, $w:expr, $c:expr, $th:expr, outlined, |$i:ident| $op:expr) => {{
        if let Some(w) = $crate::cells::outlined_name($w) {
            let th: usize = $th;
            $cells.push($crate::cells::cell(
                w,
                $c,
                th,
                Box::new(move |ops| {
                    let make: $crate::harness::MakeOp<'_> =
                        Box::new(|| $crate::macros::outlined_op!(|$i| $op));
                    $crate::harness::measure_outlined(th, $crate::harness::counted_ops(ops), &make)
                }),
            ));
        }
    }};
    ($cells:ident, $w:expr, $c:expr, $th:expr, outlined, $p:ident = $setup:expr, |$i:ident| $op:expr) => {{
        if let Some(w) = $crate::cells::outlined_name($w) {
            let th: usize = $th;
            // Made once for the whole run, as a program makes its pool, and
            // kept by the runner: every round's fresh threads share it, and
            // find it as the previous round's threads left it.
            let $p = $setup;
            $cells.push($crate::cells::cell(
                w,
                $c,
                th,
                Box::new(move |ops| {
                    let $p = &$p;
                    let make: $crate::harness::MakeOp<'_> =
                        Box::new(move || $crate::macros::outlined_op!(|$i| $op));
                    $crate::harness::measure_outlined(th, $crate::harness::counted_ops(ops), &make)
                }),
            ));
        }
    }};
}

/// One thread's outlined operation: `$op` on its own count of calls (`$i`,
/// from 1), boxed as an [`OutlinedOp`](crate::harness::OutlinedOp).
macro_rules! outlined_op {
    (|$i:ident| $op:expr) => {{
        let mut calls: u64 = 0;
        Box::new(move || {
            calls = calls.wrapping_add(1);
            let $i = calls;
            $op
        }) as $crate::harness::OutlinedOp<'_>
    }};
}

/// The contenders of one workload whose object is made by `$make`, used by
/// `$use` (a `fn(&mut T, u64)`), reset by `$reset`; in both modes where the
/// workload has an outlined one.
macro_rules! pool_cells {
    ($cells:ident, $w:expr, $th:expr, $floor:ident, $make:path, $use:path, $reset:path) => {{
        // The workload's functions are named, not passed as `fn` pointers, so
        // that every contender can inline them alike.
        let th: usize = $th;
        $crate::macros::contender!($cells, $w, "floor", th, both, |i| {
            $crate::contenders::floor_op(&$crate::contenders::$floor, $make, |v| $use(v, i), $reset)
        });
        contender!(
            $cells,
            $w,
            "pool-runtime",
            th,
            both,
            pool = ::pool_runtime::Pool::new($make),
            |i| {
                let mut g = pool.get();
                $use(&mut g, i);
            }
        );
        contender!(
            $cells,
            $w,
            "lockfree-linear",
            th,
            both,
            pool = ::lockfree_object_pool::LinearObjectPool::new($make, $reset),
            |i| {
                let mut g = pool.pull();
                $use(&mut g, i);
            }
        );
        contender!(
            $cells,
            $w,
            "lockfree-spinlock",
            th,
            both,
            pool = ::lockfree_object_pool::SpinLockObjectPool::new($make, $reset),
            |i| {
                let mut g = pool.pull();
                $use(&mut g, i);
            }
        );
        contender!(
            $cells,
            $w,
            "object-pool",
            th,
            both,
            pool = ::object_pool::Pool::new(64, $make),
            |i| {
                let mut g = pool.pull($make);
                $use(&mut g, i);
                $reset(&mut g);
            }
        );
        contender!(
            $cells,
            $w,
            "opool",
            th,
            both,
            pool = ::opool::Pool::new(64, $crate::contenders::OpoolMake($make)),
            |i| {
                let mut g = pool.get();
                $use(&mut g, i);
                $reset(&mut g);
            }
        );
    }};
}

/// sharded-slab: create (a `Default` value, or a cleared one), use, clear.
macro_rules! slab_cell {
    ($cells:ident, $w:expr, $th:expr, $t:ty, $use:expr) => {{
        contender!(
            $cells,
            $w,
            "sharded-slab",
            $th,
            both,
            pool = ::sharded_slab::Pool::<$t>::new(),
            |i| {
                let mut r = pool.create().expect("slab full");
                ($use)(&mut r.0, i);
                let key = r.key();
                drop(r);
                pool.clear(key);
            }
        );
    }};
}

/// `pool-runtime-global`: `T::checkout()`, use the inside, drop; with a
/// second type `$og`, also the outlined cell, on `$og`'s pool.
macro_rules! global_cell {
    ($cells:ident, $w:expr, $th:expr, $g:ty, $use:path) => {{
        $crate::macros::contender!($cells, $w, "pool-runtime-global", $th, inlined, |i| {
            let mut g = <$g as ::pool_runtime::GlobalPool>::checkout();
            $use(&mut g.0, i);
        });
    }};
    ($cells:ident, $w:expr, $th:expr, $g:ty, $og:ty, $use:path) => {{
        $crate::macros::global_cell!($cells, $w, $th, $g, $use);
        $crate::macros::contender!($cells, $w, "pool-runtime-global", $th, outlined, |i| {
            let mut g = <$og as ::pool_runtime::GlobalPool>::checkout();
            $use(&mut g.0, i);
        });
    }};
}

/// One `handoff` contender on its two threads: `get` makes (or takes) one
/// object on thread A and uses it, `put` gives it back on thread B. With
/// `setup: $p = $setup`, `$p` is what both work on (the pool), made anew
/// each round. `ops` is the number of batches of 64.
macro_rules! handoff_cell {
    ($cells:ident, $c:expr, $(setup: $p:ident = $setup:expr,)? get: $get:expr, put: $put:expr $(,)?) => {{
        $cells.push($crate::cells::cell(
            "handoff",
            $c,
            2,
            Box::new(|batches| {
                $(let $p = $setup;)?
                $crate::handoff::measure_handoff(batches, $get, $put)
            }),
        ));
    }};
}

/// The pools' `handoff` contenders, the same pools as [`pool_cells`]
/// makes: the object made by `$make` and used by `$use` on thread A, given
/// back on thread B by dropping its guard, after a `$reset` by hand for the
/// pools that do not reset themselves.
macro_rules! handoff_cells {
    ($cells:ident, $make:path, $use:path, $reset:path) => {{
        $crate::macros::handoff_cell!(
            $cells,
            "pool-runtime",
            setup: pool = ::pool_runtime::Pool::new($make),
            get: || {
                let mut g = pool.get();
                $use(&mut g, 0);
                g
            },
            put: drop,
        );
        $crate::macros::handoff_cell!(
            $cells,
            "lockfree-linear",
            setup: pool = ::lockfree_object_pool::LinearObjectPool::new($make, $reset),
            get: || {
                let mut g = pool.pull();
                $use(&mut g, 0);
                g
            },
            put: drop,
        );
        $crate::macros::handoff_cell!(
            $cells,
            "lockfree-spinlock",
            setup: pool = ::lockfree_object_pool::SpinLockObjectPool::new($make, $reset),
            get: || {
                let mut g = pool.pull();
                $use(&mut g, 0);
                g
            },
            put: drop,
        );
        $crate::macros::handoff_cell!(
            $cells,
            "object-pool",
            setup: pool = ::object_pool::Pool::new(64, $make),
            get: || {
                let mut g = pool.pull($make);
                $use(&mut g, 0);
                g
            },
            put: |mut g| $reset(&mut g),
        );
        $crate::macros::handoff_cell!(
            $cells,
            "opool",
            setup: pool = ::opool::Pool::new(64, $crate::contenders::OpoolMake($make)),
            get: || {
                let mut g = pool.get();
                $use(&mut g, 0);
                g
            },
            put: |mut g| $reset(&mut g),
        );
    }};
}

pub(crate) use {
    contender, global_cell, handoff_cell, handoff_cells, outlined_op, pool_cells, slab_cell,
};
