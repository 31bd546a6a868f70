//! Watching pools: name them, publish their stats through the `metrics`
//! facade, and read what a Prometheus scrape would get. The exporter renders
//! to a string here (no listener, no network); in a service, install it with
//! its HTTP listener and call `publish_metrics()` from a timer, or let a
//! `spawn_trimmer` do it after each trim.
//!
//! Run it with `cargo run --release --example metrics`.

#[path = "common/args.rs"]
mod args;

use metrics_exporter_prometheus::PrometheusBuilder;
use pool_runtime::{Pool, Poolable};

/// A parse scratch, pooled under a name.
#[derive(Poolable, Default)]
struct Scratch {
    #[pool(cap = 1 << 16)]
    body: Vec<u8>,
    fields: Vec<(u32, u32)>,
}

fn main() {
    let mut requests: u64 = 1000;
    args::Args::new("metrics", "pool stats as a Prometheus scrape sees them")
        .count(
            "requests",
            Some('n'),
            "requests to serve before the scrape",
            &mut requests,
        )
        .parse();

    let recorder = PrometheusBuilder::new().build_recorder();
    let scrape = recorder.handle();
    metrics::set_global_recorder(recorder).expect("no other recorder is installed");

    let scratch: Pool<Scratch> = Pool::builder(Scratch::default)
        .name("parse_scratch")
        .build();
    let replies = Pool::builder(|| Vec::<u8>::with_capacity(4096))
        .name("reply_buffers")
        .max_value_bytes(64 << 10)
        .build();
    for i in 0..requests {
        let mut s = scratch.get();
        s.body.extend_from_slice(b"{\"user\":\"ada\",\"n\":1}");
        s.fields.push((0, 4));
        let mut reply = replies.get();
        // One reply in a hundred grows past the 64 KiB cap: refused on return.
        let len = if i % 100 == 50 { 100 << 10 } else { 512 };
        reply.resize(len, b' ');
    }

    pool_runtime::publish_metrics();
    let text = scrape.render();
    print!("{text}");

    // What the scrape says is what the pools say.
    let line = |metric: &str, pool: &str| {
        let wanted = format!("{metric}{{pool=\"{pool}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&wanted))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no `{wanted}` in the scrape"))
    };
    let s = replies.stats();
    assert_eq!(
        line("pool_runtime_rejected_total", "reply_buffers"),
        s.rejected as f64
    );
    assert_eq!(
        line("pool_runtime_reused_total", "parse_scratch"),
        scratch.stats().reused as f64
    );
    assert_eq!(
        line("pool_runtime_retained_values", "reply_buffers"),
        s.retained as f64
    );
    eprintln!(
        "\nchecked: the scrape shows each pool's counters ({} gets of each; {} replies refused over the cap)",
        requests, s.rejected
    );
}
