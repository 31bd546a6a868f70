//! Named pools, for whoever watches them: the process's list of live pools
//! with a name ([`PoolBuilder::name`](crate::PoolBuilder::name), every
//! `#[pool(global)]` pool), read by [`publish_metrics`] (feature
//! `metrics`).
//!
//! A pool joins the list when it is built with a name and leaves it when it
//! is dropped: its entry is a weak handle, pruned when the list is read,
//! and when it has doubled since the last pruning (so that building named
//! pools costs amortized O(1), as in the trimming registry).
//! Reading a pool's [`Stats`] runs no user code and takes no lock a fast
//! path takes; the list's own lock is never held while a pool is read or
//! a recorder called. One exception to the first: a pool whose last
//! handle is dropped while the reader holds it is dropped by the reader,
//! values and all (their `drop` runs on the reading thread, which their
//! being `Send` allows).

use crate::registry::keep_live;
use crate::stats::Stats;
use std::sync::{Arc, Mutex, Weak};

/// What the list knows of a pool: its name and its stats. Implemented by a
/// pool whose values are `Send`, which is what lets its stats be read on
/// the thread that publishes them.
pub(crate) trait Watched: Send + Sync {
    fn name(&self) -> &'static str;
    fn stats(&self) -> Stats;
}

struct Named {
    pools: Vec<Weak<dyn Watched>>,
    /// The list's length after its last pruning.
    pruned_to: usize,
}

impl Named {
    /// Drops the entries of dropped pools, and the storage a crowd of them
    /// left.
    fn prune(&mut self) {
        keep_live(&mut self.pools, |w| w.strong_count() > 0);
        self.pruned_to = self.pools.len();
    }
}

static NAMED: Mutex<Named> = Mutex::new(Named {
    pools: Vec::new(),
    pruned_to: 0,
});

fn named() -> std::sync::MutexGuard<'static, Named> {
    NAMED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Adds a pool to the list, pruning it first once it has doubled since its
/// last pruning: a scan of the list per pool built would make building `n`
/// named pools cost O(n²).
pub(crate) fn enrol(pool: Weak<dyn Watched>) {
    let mut named = named();
    if named.pools.len() >= 2 * named.pruned_to.max(8) {
        named.prune();
    }
    named.pools.push(pool);
}

/// Every live named pool's name and [`Stats`], in the order the pools were
/// built: what `publish_metrics()` (feature `metrics`) publishes, for a program that exports
/// them another way (a log line, its own endpoint). Unnamed pools are left
/// out ([`PoolBuilder::name`](crate::PoolBuilder::name) names one; a
/// `#[pool(global)]` pool is named after its type), and a dropped pool is
/// gone from the list.
///
/// ```
/// let pool = pool_runtime::Pool::builder(String::new).name("doc_named_stats").build();
/// drop(pool.get());
/// let (_, stats) = pool_runtime::named_stats()
///     .into_iter()
///     .find(|(name, _)| *name == "doc_named_stats")
///     .unwrap();
/// assert_eq!(stats.retained, 1);
/// drop(pool);
/// assert!(pool_runtime::named_stats().iter().all(|(name, _)| *name != "doc_named_stats"));
/// ```
pub fn named_stats() -> Vec<(&'static str, Stats)> {
    // The pools are read with the list unlocked; a pool whose last handle
    // is dropped meanwhile is dropped here, after its read.
    let live: Vec<Arc<dyn Watched>> = {
        let mut named = named();
        named.prune();
        named.pools.iter().filter_map(Weak::upgrade).collect()
    };
    live.iter()
        .map(|pool| (pool.name(), pool.stats()))
        .collect()
}

/// Publishes every live named pool's [`Stats`] ([`named_stats`]) through the
/// [`metrics`](https://docs.rs/metrics) facade, once, to the recorder the
/// program installed: what the pool already counts, read as
/// [`Pool::stats`](crate::Pool::stats) reads it, nothing added to the fast
/// path. Call it from a timer, or before each scrape; a
/// [`spawn_trimmer`](crate::spawn_trimmer) publishes after each of its
/// trims. A dropped pool is no longer published.
///
/// Every metric is labelled `pool = <name>`:
///
/// | metric | kind | what |
/// |---|---|---|
/// | `pool_runtime_retained_values` | gauge | values the pool keeps now ([`Stats::retained`]) |
/// | `pool_runtime_retained_bytes` | gauge | what they hold ([`Stats::retained_bytes`]) |
/// | `pool_runtime_out_values` | gauge | guards out now ([`Stats::out`]) |
/// | `pool_runtime_created_total` | counter | values the factory made |
/// | `pool_runtime_reused_total` | counter | gets served from the pool |
/// | `pool_runtime_rejected_total` | counter | values dropped over a cap on their way back |
/// | `pool_runtime_dropped_total` | counter, label `cause` = `full`, `budget` or `panicked` | values dropped for want of room, of budget, or after a panic in user code |
/// | `pool_runtime_evicted_total` | counter | idle values freed by trims, clears and lowered caps |
///
/// The counters are set to the pool's totals (`absolute`), so a publish
/// that is missed loses nothing.
///
/// ```
/// use pool_runtime::Pool;
///
/// let pool = Pool::builder(Vec::<u8>::new).name("reply_buffers").build();
/// drop(pool.get());
/// // With a recorder installed (metrics-exporter-prometheus, …), this
/// // publishes `pool_runtime_retained_values{pool="reply_buffers"} 1` and
/// // the rest; without one it does nothing.
/// pool_runtime::publish_metrics();
/// ```
#[cfg(feature = "metrics")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics")))]
pub fn publish_metrics() {
    for (name, s) in named_stats() {
        let gauge = |metric: &'static str, v: usize| {
            metrics::gauge!(metric, "pool" => name).set(v as f64);
        };
        gauge("pool_runtime_retained_values", s.retained);
        gauge("pool_runtime_retained_bytes", s.retained_bytes);
        gauge("pool_runtime_out_values", s.out);
        let counter = |metric: &'static str, v: u64| {
            metrics::counter!(metric, "pool" => name).absolute(v);
        };
        counter("pool_runtime_created_total", s.created);
        counter("pool_runtime_reused_total", s.reused);
        counter("pool_runtime_rejected_total", s.rejected);
        counter("pool_runtime_evicted_total", s.evicted);
        for (cause, v) in [
            ("full", s.dropped_full),
            ("budget", s.dropped_budget),
            ("panicked", s.dropped_panicked),
        ] {
            metrics::counter!("pool_runtime_dropped_total", "pool" => name, "cause" => cause)
                .absolute(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::named;
    use crate::Pool;

    #[test]
    fn the_list_stays_near_the_live_pools_however_many_were_dropped() {
        let (live, dropped) = if cfg!(miri) { (10, 200) } else { (100, 10_000) };
        let kept: Vec<Pool<u8>> = (0..live)
            .map(|_| Pool::builder(|| 0u8).name("watch_kept").build())
            .collect();
        for _ in 0..dropped {
            drop(Pool::builder(|| 0u8).name("watch_dropped").build());
        }
        let entries = named().pools.len();
        // At most twice the live pools at the last pruning (or 16), and
        // other tests of this binary may name a few pools meanwhile.
        assert!(
            entries < 4 * live + 40,
            "{entries} entries for about {live} live pools"
        );
        let listed = super::named_stats()
            .iter()
            .filter(|(name, _)| *name == "watch_kept")
            .count();
        assert_eq!(listed, kept.len());
    }
}
