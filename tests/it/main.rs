//! The integration tests that can share a process, one module per topic:
//! one binary to build and link where there were sixteen.
//!
//! The others stay binaries of their own, for what they need: a counting or
//! pooling global allocator (`memory`, `steady_state`, `scale`,
//! `zeroize_paths`, `alloc_reentry`), process-wide state (`ask_only`,
//! `chaos_env`, `trimming`), guards leaked on purpose (`outstanding`, whose
//! leaks the sanitizer's leak check must not see), a run under miri of its
//! own (`pool_threads`, `stress`, `reentrancy`, `bytes`, `checks`), and the
//! compile-fail suites (`ui`, `send_sync`).

mod audit_fields;
mod buffers;
mod counters;
mod derive_caps;
mod derive_global;
mod derive_inputs;
mod derive_reset;
mod derive_wipe;
mod example_args;
mod http_body;
mod learned_cap;
mod limits;
mod no_implicit_prelude;
mod pool_basics;
mod prop;
mod reuse;
mod value_cap;
mod watching;
