//! A pool that learns its cap runs two more kinds of user code: the
//! `used_bytes` of every value that comes back, and the drops of the
//! values a lowered cap evicts. Both may use the pool they are in.

use super::*;
use pool_runtime::FIRST_CALIBRATION_WINDOW;
use std::cell::Cell;

/// The pool every `Body` is in, and what its hooks did.
static BODIES: OnceLock<Pool<Body>> = OnceLock::new();
static HOOK_GETS: AtomicU64 = AtomicU64::new(0);
static LARGE_DROPS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set while a hook uses the pool: a guard the hook drops runs the
    /// hooks again, once.
    static IN_HOOK: Cell<bool> = const { Cell::new(false) };
}

fn bodies() -> &'static Pool<Body> {
    BODIES.get_or_init(|| Pool::builder(Body::default).calibrate().build())
}

/// Takes a guard from the pool and drops it, from inside a hook.
fn use_the_pool() {
    if IN_HOOK.with(|h| h.replace(true)) {
        return;
    }
    let mut other = bodies().get();
    other.0.extend_from_slice(&[1; 10]);
    drop(other);
    HOOK_GETS.fetch_add(1, SeqCst);
    IN_HOOK.with(|h| h.set(false));
}

#[derive(Default)]
struct Body(Vec<u8>);

impl Poolable for Body {
    fn reset(&mut self) {
        self.0.clear();
    }
    fn retained_bytes(&self) -> usize {
        self.0.capacity()
    }
    fn used_bytes(&self) -> usize {
        use_the_pool();
        self.0.len()
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        // Only the large ones: what the lowered cap evicts.
        if self.0.capacity() >= 1 << 20 {
            LARGE_DROPS.fetch_add(1, SeqCst);
            use_the_pool();
        }
    }
}

#[test]
fn used_bytes_and_the_drops_of_what_a_lower_cap_evicts_may_use_the_pool() {
    within_deadline(|| {
        let pool = bodies();
        // Large bodies first, kept while nothing is learned yet; then small
        // ones, so that the first calibration lowers the cap under them.
        let large: Vec<_> = (0..2)
            .map(|_| {
                let mut b = pool.get();
                b.0.resize(1 << 20, 0);
                b
            })
            .collect();
        drop_all(large);
        for _ in 0..scaled(
            FIRST_CALIBRATION_WINDOW as usize * 2,
            FIRST_CALIBRATION_WINDOW as usize,
        ) {
            let mut b = pool.get();
            b.0.resize(100, 0);
        }
        let learned = pool.learned_cap().unwrap();
        assert!(
            learned.bytes.is_some_and(|cap| cap < 1 << 20),
            "{learned:?}"
        );
        let s = pool.stats();
        assert!(s.evicted >= 2, "the large bodies were evicted: {s:?}");
        assert!(HOOK_GETS.load(SeqCst) > FIRST_CALIBRATION_WINDOW);
        assert_eq!(
            LARGE_DROPS.load(SeqCst),
            2,
            "each large body dropped once, evicted"
        );
        assert_conserved("after the hooks", &s, 0, 0);
    });
}
