//! Named pools, for whoever watches them: the process's list of live pools
//! with a name ([`PoolBuilder::name`](crate::PoolBuilder::name), every
//! `#[pool(global)]` pool), read by [`publish_metrics`] (feature
//! `metrics`).
//!
//! A pool joins the list when it is built with a name and leaves it when it
//! is dropped (its entry is a weak handle, pruned as it is found dead).
//! Reading a pool's [`Stats`] runs no user code and takes no lock a fast
//! path takes; the list's own lock is never held while a pool is read or
//! a recorder called. One exception to the first: a pool whose last
//! handle is dropped while the reader holds it is dropped by the reader,
//! values and all (their `drop` runs on the reading thread, which their
//! being `Send` allows).

use crate::stats::Stats;
use std::sync::{Arc, Mutex, Weak};

/// What the list knows of a pool: its name and its stats. Implemented by a
/// pool whose values are `Send`, which is what lets its stats be read on
/// the thread that publishes them.
pub(crate) trait Watched: Send + Sync {
    fn name(&self) -> &'static str;
    fn stats(&self) -> Stats;
}

static NAMED: Mutex<Vec<Weak<dyn Watched>>> = Mutex::new(Vec::new());

/// Adds a pool to the list (dropping the entries of dropped pools first).
pub(crate) fn enrol(pool: Weak<dyn Watched>) {
    let mut named = NAMED.lock().unwrap_or_else(|p| p.into_inner());
    named.retain(|w| w.strong_count() > 0);
    named.push(pool);
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
        let mut named = NAMED.lock().unwrap_or_else(|p| p.into_inner());
        named.retain(|w| w.strong_count() > 0);
        named.iter().filter_map(Weak::upgrade).collect()
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
