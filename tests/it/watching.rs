//! `publish_metrics()` seen by a recorder (`metrics-util`'s debugging one,
//! installed for the calling thread only): every metric of every named pool
//! with the pool's figures and labels, global pools named after their type
//! or their `name = …`,
//! unnamed pools left out, and a dropped pool no longer published.

#![cfg(feature = "ecosystem")]

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use metrics_util::{CompositeKey, MetricKind};
use pool_runtime::{GlobalPool, Pool, Poolable};
use std::collections::HashMap;

/// What one publish recorded: (kind, name, sorted labels) -> value.
type Seen = HashMap<(MetricKind, String, Vec<(String, String)>), f64>;

fn publish() -> Seen {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, pool_runtime::publish_metrics);
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value): (CompositeKey, _, _, DebugValue)| {
            let (kind, key) = key.into_parts();
            let mut labels: Vec<(String, String)> = key
                .labels()
                .map(|l| (l.key().to_owned(), l.value().to_owned()))
                .collect();
            labels.sort();
            let value = match value {
                DebugValue::Counter(v) => v as f64,
                DebugValue::Gauge(v) => v.into_inner(),
                DebugValue::Histogram(_) => panic!("publish_metrics records no histogram"),
            };
            ((kind, key.name().to_owned(), labels), value)
        })
        .collect()
}

fn of(seen: &Seen, kind: MetricKind, name: &str, pool: &str) -> Option<f64> {
    seen.get(&(
        kind,
        name.to_owned(),
        vec![("pool".to_owned(), pool.to_owned())],
    ))
    .copied()
}

fn dropped(seen: &Seen, pool: &str, cause: &str) -> Option<f64> {
    let labels = vec![
        ("cause".to_owned(), cause.to_owned()),
        ("pool".to_owned(), pool.to_owned()),
    ];
    seen.get(&(
        MetricKind::Counter,
        "pool_runtime_dropped_total".to_owned(),
        labels,
    ))
    .copied()
}

#[test]
fn every_metric_of_a_named_pool_carries_its_figures_and_name() {
    let pool = Pool::builder(Vec::<u8>::new)
        .name("metrics_test_buffers")
        .max_per_thread(1)
        .max_shared(0)
        .max_value_bytes(1024)
        .build();
    let out = pool.get(); // created 1, out 1
    drop(pool.get()); // created 2, kept: retained 1
    drop(pool.get()); // reused 1
    let mut big = pool.get(); // reused 2
    big.reserve_exact(4096);
    drop(big); // over the 1 KiB cap: rejected 1
    drop(pool.get()); // created 3, kept
    let extra = pool.get(); // reused 3
    let again = pool.get(); // created 4
    drop(extra); // kept
    drop(again); // the stash of 1 is full, no shared tier: dropped (full) 1
    pool.trim();
    pool.trim(); // the one kept: evicted 1
    let s = pool.stats();
    assert_eq!(
        (
            s.created,
            s.reused,
            s.rejected,
            s.dropped_full,
            s.evicted,
            s.retained,
            s.out
        ),
        (4, 3, 1, 1, 1, 0, 1),
        "{s:?}"
    );
    drop(pool.get()); // the trims left nothing: created 5, kept
    let s = pool.stats();

    let seen = publish();
    let name = "metrics_test_buffers";
    let gauge = |m| of(&seen, MetricKind::Gauge, m, name);
    let counter = |m| of(&seen, MetricKind::Counter, m, name);
    assert_eq!(
        gauge("pool_runtime_retained_values"),
        Some(s.retained as f64)
    );
    assert_eq!(
        gauge("pool_runtime_retained_bytes"),
        Some(s.retained_bytes as f64)
    );
    assert_eq!(gauge("pool_runtime_out_values"), Some(1.0));
    assert_eq!(
        counter("pool_runtime_created_total"),
        Some(s.created as f64)
    );
    assert_eq!(counter("pool_runtime_reused_total"), Some(3.0));
    assert_eq!(counter("pool_runtime_rejected_total"), Some(1.0));
    assert_eq!(counter("pool_runtime_evicted_total"), Some(1.0));
    assert_eq!(dropped(&seen, name, "full"), Some(1.0));
    assert_eq!(dropped(&seen, name, "budget"), Some(0.0));
    assert_eq!(dropped(&seen, name, "panicked"), Some(0.0));
    assert!(s.retained_bytes > 0, "{s:?}");
    drop(out);
}

#[derive(Poolable, Default)]
#[pool(global)]
struct MetricsTestLine {
    text: String,
}

#[derive(Poolable, Default)]
#[pool(global, name = "metrics_test_global_named")]
struct MetricsTestNamed {
    text: String,
}

#[test]
fn a_global_pool_named_by_its_attribute_is_published_under_that_name() {
    drop(MetricsTestNamed::checkout());
    assert_eq!(
        MetricsTestNamed::pool().name(),
        Some("metrics_test_global_named")
    );
    let seen = publish();
    assert_eq!(
        of(
            &seen,
            MetricKind::Counter,
            "pool_runtime_created_total",
            "metrics_test_global_named"
        ),
        Some(MetricsTestNamed::pool().stats().created as f64)
    );
}

#[test]
fn a_global_pool_is_published_under_its_type_name() {
    drop(MetricsTestLine::checkout());
    let name = std::any::type_name::<MetricsTestLine>();
    assert_eq!(MetricsTestLine::pool().name(), Some(name));
    let seen = publish();
    assert_eq!(
        of(
            &seen,
            MetricKind::Gauge,
            "pool_runtime_retained_values",
            name
        ),
        Some(MetricsTestLine::pool().stats().retained as f64)
    );
    assert!(
        of(
            &seen,
            MetricKind::Counter,
            "pool_runtime_created_total",
            name
        ) >= Some(1.0)
    );
}

#[test]
fn an_unnamed_pool_is_not_published_and_a_dropped_one_no_longer() {
    let unnamed = Pool::new(String::new);
    drop(unnamed.get());
    let named = Pool::builder(String::new)
        .name("metrics_test_short_lived")
        .build();
    drop(named.get());
    let seen = publish();
    assert!(seen
        .keys()
        .all(|(_, _, labels)| labels.iter().all(|(_, v)| !v.is_empty())));
    let retained = |seen: &Seen| {
        of(
            seen,
            MetricKind::Gauge,
            "pool_runtime_retained_values",
            "metrics_test_short_lived",
        )
    };
    assert_eq!(retained(&seen), Some(1.0));
    drop(named);
    assert_eq!(
        retained(&publish()),
        None,
        "a dropped pool is not published"
    );
    drop(unnamed);
}

#[test]
fn a_named_buffer_pool_publishes_each_class_under_its_name_and_size() {
    let pool = pool_runtime::BufferPool::builder()
        .name("metrics_test_frames")
        .min_capacity(1024)
        .max_capacity(4096)
        .build();
    drop((pool.get(1000), pool.get(3000)));
    let out = pool.get(2000);
    let seen = publish();
    let gauge = |m, class: &str| of(&seen, MetricKind::Gauge, m, class);
    assert_eq!(
        gauge("pool_runtime_retained_values", "metrics_test_frames:1024"),
        Some(1.0)
    );
    assert_eq!(
        gauge("pool_runtime_retained_values", "metrics_test_frames:4096"),
        Some(1.0)
    );
    assert_eq!(
        gauge("pool_runtime_out_values", "metrics_test_frames:2048"),
        Some(1.0)
    );
    let bytes = gauge("pool_runtime_retained_bytes", "metrics_test_frames:4096").unwrap();
    assert!(bytes >= 4096.0, "{bytes}");
    drop(out);
    drop(pool);
    let seen = publish();
    assert!(
        seen.keys().all(|(_, _, labels)| labels
            .iter()
            .all(|(_, v)| !v.starts_with("metrics_test_frames"))),
        "a dropped BufferPool is still published"
    );
}
