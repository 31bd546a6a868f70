//! A typed object pool with a derive that writes the reset.
//!
//! A hot path makes the same kind of value thousands of times a second: a
//! request buffer, a parse scratch struct, an encode buffer. Each one costs an
//! allocator round trip, and its buffers grow again from nothing. A pool keeps
//! the values, with their capacity, for the next use. Go's `sync.Pool` made
//! the idea popular and its traps familiar; this crate closes them:
//!
//! | Go's trap | here |
//! | --- | --- |
//! | forgetting to reset, so one request sees another's data | `#[derive(Poolable)]` writes the reset from the fields, and every value is reset on its way back |
//! | one 64 MiB request pins 64 MiB forever | `#[pool(cap = …)]` and `max_value_bytes` are checked on every return |
//! | an escaping object: `Put` never happens | RAII guards return on drop, even on panic; [`Pooled::detach`] makes escape explicit |
//! | tiny objects cost more pooled than allocated | the fast path is a thread-local stash hit: no lock, no atomic read-modify-write |
//! | a type assertion that panics | `Pool<T>` is typed |
//!
//! # Quick start
//!
//! ```
//! use pool_runtime::{Pool, Poolable};
//!
//! #[derive(Poolable, Default)]
//! struct ParseResult {
//!     #[pool(cap = 1 << 20)]     // grown past 1 MiB: dropped, not pooled
//!     body: Vec<u8>,
//!     spans: Vec<(u32, u32)>,    // cleared, capacity kept
//!     valid: bool,               // back to false
//! }
//!
//! let pool: Pool<ParseResult> = Pool::default();
//! let mut r = pool.get();            // Pooled<'_, ParseResult>: Deref + DerefMut
//! r.body.extend_from_slice(b"GET / HTTP/1.1");
//! r.valid = true;
//! drop(r);                           // cap check, reset, back to this thread's stash
//!
//! let r = pool.get();                // the same value, reset, its buffer kept
//! assert!(r.body.is_empty() && r.body.capacity() >= 14 && !r.valid);
//! ```
//!
//! # The tiers
//!
//! [`Pool::get`] looks in three places, as Go's `sync.Pool` does:
//!
//! 1. **This thread's stash** in this pool: a stack only this thread touches,
//!    found by a small thread id in the pool's table of slots. A hit is a
//!    pop, with no lock and no atomic read-modify-write; this is the path a
//!    steady loop takes every time.
//! 2. **The shared tier**, one mutex-guarded stack. An empty stash refills
//!    from it a batch at a time (half a stash), and a full stash overflows
//!    into it a batch at a time, so a producer thread that gets values and a
//!    consumer thread that drops them pay one lock per batch, not per value.
//! 3. **The factory**, when both are empty; counted as `created`. A value
//!    from the factory (or from [`PoolBuilder::prefill`]) is reset once when
//!    made, so every value handed out is in its reset state, even the first.
//!
//! The opt-in checks (below) take their own turns on the slow
//! paths of both directions.
//!
//! # The return path
//!
//! Dropping a guard (or calling [`Pool::put`]):
//!
//! 0. in a pool that learns its cap, [`Poolable::used_bytes`] is recorded
//!    (what this use needed, before the reset clears it), on every thread
//!    that has a slot (not on one past its exit);
//! 1. [`Poolable::within_caps`] false: the value is wiped
//!    ([`Poolable::wipe`]) and dropped (`rejected`);
//! 2. else [`Poolable::reset`] runs (a panic there drops the value, counts it
//!    as `dropped_panicked`, and leaves the pool working);
//! 3. its [`Poolable::retained_bytes`] must be within the pool's
//!    `max_value_bytes`, if set, and within the cap it learned, if it
//!    learns one (else `rejected`), and its inline size plus those bytes
//!    must fit the `max_bytes` budget;
//! 4. then it goes to this thread's stash, else the shared tier, else it is
//!    wiped and dropped (`dropped_full`; over the budget: `dropped_budget`).
//!
//! The user's code (factory, `reset`, `within_caps`, `retained_bytes`,
//! `wipe`, a `T`'s drop) never runs while a stash is borrowed or the shared
//! tier's lock is held, so any of it may use the same pool again: a drop
//! that gets, a reset that puts (a pooled tree whose children are guards),
//! a `stats()` from anywhere.
//!
//! A panic while a guard is held unwinds through the guard's drop, so the
//! value still comes back, reset. A guard of a `Send` value is `Send`: dropped
//! on another thread, the value goes to *that* thread's stash, which is what a
//! work-stealing runtime like tokio needs ([`Pool::get_owned`] gives a
//! `'static` guard for spawned tasks).
//!
//! # Retention and trimming
//!
//! What a pool keeps is bounded by count per thread
//! ([`PoolBuilder::max_per_thread`]), count in the shared tier
//! ([`PoolBuilder::max_shared`]) and bytes ([`PoolBuilder::max_bytes`]). An
//! idle pool gives memory back, following demand rather than a clock:
//!
//! - every 4096 gets, a thread hands the values that sat unused in its stash
//!   for that whole interval to the shared tier, and the shared tier frees
//!   half of those that sat unused there since the previous interval, beyond
//!   a cushion of one stash's worth (`max_per_thread`): a burst's surplus
//!   decays away instead of pinning its peak, while a producer/consumer pair
//!   does not free what it would only make again;
//! - [`Pool::trim`] frees what was not used since the previous `trim()` (two
//!   calls with no use between free everything idle, like Go's victim cache);
//! - [`Pool::clear`] frees everything retained.
//!
//! Both act on every thread's stash and on the shared tier before they
//! return, including the stashes of threads that are idle (parked workers,
//! threads blocked on a channel) and will never use the pool again: the
//! calling thread claims each stash that holds anything in turn, frees what
//! the request frees, and drops it, wiped, on the calling thread. The owners
//! pay little for this: their gets and returns still use no lock and no
//! atomic read-modify-write, each marks itself with one plain store more
//! (and a return tests one more word), and a claim waits for an owner only
//! while it is in the middle of one of them. The
//! trimming thread pays a lock per stash and, on Linux, one `membarrier`
//! system call per stash (microseconds; elsewhere a memory fence). Where
//! the kernel refuses `membarrier` (a seccomp filter, a kernel older than
//! 4.14), each owner is asked instead and frees its own stash at its next
//! get or return, or when it exits.
//!
//! Memory also comes back on its own, if you ask for it:
//!
//! - [`trim_all`] calls `trim()` on every live pool that more than one thread
//!   has used, every `#[pool(global)]` pool, and the calling thread's own
//!   pools (a pool that only its creating thread has used may hold values
//!   that are not `Send`, so only that thread trims it);
//! - [`spawn_trimmer`]`(period)` starts a thread that calls `trim_all()`
//!   every `period` until its [`Trimmer`] is dropped: what a burst leaves
//!   behind is freed within two periods, as Go's `sync.Pool` is emptied by
//!   two garbage collections. Nothing runs in the background otherwise.
//!
//! ```
//! use std::sync::Arc;
//! use pool_runtime::Pool;
//!
//! let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(64 << 10)));
//! let (p, (park, parked)) = (Arc::clone(&pool), std::sync::mpsc::channel::<()>());
//! let (done, burst) = std::sync::mpsc::channel();
//! let worker = std::thread::spawn(move || {
//!     drop((p.get(), p.get())); // a burst, kept in this thread's stash
//!     done.send(()).unwrap();
//!     let _ = parked.recv(); // then idle, as a parked worker is
//! });
//! burst.recv().unwrap();
//! assert_eq!(pool.stats().retained, 2);
//! pool.clear(); // reaches the idle worker's stash
//! assert_eq!(pool.stats().retained, 0);
//! drop(park);
//! worker.join().unwrap();
//! ```
//!
//! A thread that exits hands its stash to the shared tier (what does not
//! fit is dropped and counted); a guard dropped while the thread's locals
//! are being torn down goes to the shared tier. A stash's storage grows with
//! what it holds, shrinks when trimming leaves it four times too large, and
//! goes entirely when trimming finds it empty. What a pool holds for a
//! thread does not depend on that thread's id: ids 0 to 7 share one block
//! of slots per pool, and every other thread's slot is allocated on its own.
//!
//! # Limits
//!
//! Every limit takes any `usize` and never panics:
//!
//! | limit | bounds | default | `0` | `usize::MAX` |
//! | --- | --- | --- | --- | --- |
//! | [`max_per_thread`](PoolBuilder::max_per_thread) | values in one thread's stash | 64 | no stash: every value goes through the shared tier (automatic trimming still runs) | unbounded |
//! | [`max_shared`](PoolBuilder::max_shared) | values in the shared tier | 512 | no shared tier: what a stash overflows, or an exiting thread leaves, is dropped | unbounded |
//! | [`max_bytes`](PoolBuilder::max_bytes) | the sum over retained values of `size_of::<T>()` + `retained_bytes()` | none | only values of zero bytes are kept | no budget |
//! | [`max_value_bytes`](PoolBuilder::max_value_bytes) | one value's `retained_bytes()`, checked on its way back (over it: `rejected`) | none | only values that hold no heap memory are kept | no cap |
//! | [`calibrate`](PoolBuilder::calibrate) | one value's `retained_bytes()`, at a cap learned from the `used_bytes()` of recent returns | off | (`calibrate_percentile(0)` is read as 1) | (`calibrate_percentile` above 100 is read as 100) |
//! | [`prefill`](PoolBuilder::prefill) | values made up front, into the shared tier | 0 | none | as many as `max_shared` and `max_bytes` allow |
//!
//! What `max_bytes` does not count: a stash's spare room (its storage holds
//! up to twice what it holds, at least 4 entries), each slot's fixed 256
//! bytes or so, and the memory a value's own type does not report through
//! `retained_bytes` (a hand-written impl that says 0 counts 0). Values move
//! between tiers in batches of half a stash, at most 4096.
//!
//! # Caps: fixed or learned
//!
//! A fixed per-value cap (`#[pool(cap = …)]` on a field,
//! `#[pool(max_value_bytes = …)]`, [`PoolBuilder::max_value_bytes`]) is a number
//! guessed up front: too low and the common request is not pooled, too
//! high and one large request pins memory in every thread's stash. A pool
//! built with [`PoolBuilder::calibrate`] (or of a type derived with
//! `#[pool(max_value_bytes = auto)]`) learns it instead. Each return records
//! what that use needed ([`Poolable::used_bytes`], lengths, not
//! capacities) in a power-of-two class, with plain stores into the
//! returning thread's own slot; every 32 returns, and at every
//! maintenance, a thread hands its counts to the pool. Each calibration
//! reads one window of returns ([`FIRST_CALIBRATION_WINDOW`] at first,
//! [`CALIBRATION_WINDOW`] after) and sets the cap at the top of the
//! smallest class that covers the percentile (95 by default, or
//! [`PoolBuilder::calibrate_percentile`]), times [`CAP_HEADROOM`]: a `Vec`
//! that doubles while serving a common-sized request stays under it.
//! Values over the cap are refused on their way back, counted as
//! `rejected`; when the cap goes down, what is kept above it is freed
//! (`evicted`): at once in the shared tier and the calibrating thread's
//! stash, in other threads' at their next get, maintenance or exit (see
//! [`PoolBuilder::calibrate`] for the details, and for why a hand-written
//! `Poolable` should implement `used_bytes`). Sizes that shift are
//! followed within two windows on one thread, a few more when many
//! threads hand in sizes from before the shift late (the bound is in
//! [`PoolBuilder::calibrate`]).
//! [`Pool::learned_cap`] shows the cap, the returns read, and when it
//! last changed. The sequence of caps depends only on the sequence of
//! returns (and, with several threads, on when each hands its counts in).
//!
//! ```
//! use pool_runtime::{Pool, Poolable};
//!
//! #[derive(Poolable, Default)]
//! #[pool(max_value_bytes = auto)]
//! struct Request {
//!     body: Vec<u8>,
//! }
//!
//! let pool: Pool<Request> = Pool::default();
//! for i in 0..1100 {
//!     let mut r = pool.get();
//!     // 1 in 50 bodies is 8 MiB: not what the pool should keep.
//!     r.body.resize(if i % 50 == 7 { 8 << 20 } else { 3000 }, 1);
//! }
//! assert_eq!(pool.learned_cap().unwrap().bytes, Some(8 << 10));
//! assert!(pool.stats().retained_bytes < 64 << 10);
//! ```
//!
//! # Counters
//!
//! [`Pool::stats`] sums per-thread counters (kept with plain stores by their
//! own thread, so counting costs the fast path next to nothing). At any quiet
//! moment, re-entrant returns included: `created + values given to put =
//! live guards + retained + rejected + dropped + evicted + detached`.
//!
//! Two breakdowns answer what a service owner asks first. `dropped` is split
//! by cause, `dropped_full` (no room at either tier), `dropped_budget` (over
//! `max_bytes`) and `dropped_panicked` (user code panicked on the way back),
//! so that a limit too tight shows apart from a broken reset.
//! `returned_remote` counts the guards dropped on another thread than the
//! one that took them: those returns take the slower path, and a high share
//! says the values travel (tasks moved by a work-stealing runtime, a
//! producer and a consumer). All of them are counted on paths that are
//! already slow, never on the fast path.
//!
//! ```
//! use std::sync::Arc;
//! use pool_runtime::Pool;
//!
//! let pool = Arc::new(Pool::builder(Vec::<u8>::new).max_per_thread(1).max_shared(1).build());
//! let g = pool.get_owned();
//! std::thread::spawn(move || drop(g)).join().unwrap(); // a remote return
//! drop((pool.get(), pool.get(), pool.get()));          // a stash of 1, a shared tier of 1
//! let s = pool.stats();
//! assert_eq!((s.returned_remote, s.dropped_full, s.dropped), (1, 1, 1));
//! ```
//!
//! # Watching a pool
//!
//! A pool in a service is a cache of memory, and whoever runs the service
//! needs to see it. Name the pool ([`PoolBuilder::name`]; a
//! `#[pool(global)]` pool is named after its type, or by `name = "…"`),
//! and, with the `metrics` feature, `publish_metrics()` publishes every
//! live named pool's [`Stats`] through the
//! [`metrics`](https://docs.rs/metrics) facade, to whatever recorder the
//! program installed, each labelled `pool = <name>`:
//!
//! - gauges `pool_runtime_retained_values` and `pool_runtime_retained_bytes`
//!   (what the pool keeps now, and the bytes it holds) and
//!   `pool_runtime_out_values` (guards out now);
//! - counters `pool_runtime_created_total` (values the factory made),
//!   `pool_runtime_reused_total` (gets served from the pool),
//!   `pool_runtime_rejected_total` (values over a cap, dropped on their way
//!   back), `pool_runtime_dropped_total` with `cause` = `full`, `budget` or
//!   `panicked` (dropped for want of room, of budget, or after a panic in
//!   user code) and `pool_runtime_evicted_total` (idle values freed by trims,
//!   clears and lowered caps), set to the pool's totals.
//!
//! It reads the counters the pool keeps anyway, so the fast path is the
//! same with the feature on or off. Call it from a timer or before each
//! scrape; a
//! [`spawn_trimmer`] calls it after each trim. What a Prometheus scrape
//! then shows (the repository's `metrics` example, one pool of reply
//! buffers with a 64 KiB cap, after 1,000 requests, one in a hundred too
//! large):
//!
//! ```text
//! pool_runtime_reused_total{pool="reply_buffers"} 990
//! pool_runtime_rejected_total{pool="reply_buffers"} 10
//! pool_runtime_retained_values{pool="reply_buffers"} 1
//! pool_runtime_retained_bytes{pool="reply_buffers"} 4120
//! pool_runtime_dropped_total{pool="reply_buffers",cause="full"} 0
//! ```
//!
//! Without the facade, [`named_stats`] lists the same figures for every
//! named pool, and [`Pool::stats`] one pool's, whose `Display` is one line
//! for a log.
//!
//! # When pooling pays
//!
//! Pooling pays most for values that hold grown containers: a parse struct
//! with a body, spans and a map costs 2.4 to 2.9 times as much allocated
//! fresh and grown again as taken from a pool that kept its capacity. It
//! hardly pays where writing the memory dominates (filling 64 KiB costs
//! about the same either way). For values smaller than a cache line, a fast
//! allocator such as mimalloc costs what the pool does, and less on several
//! threads: a pool hands values made on one thread to another, and small
//! ones then share cache lines that a thread's own allocations would not.
//! Pool those only against a slow allocator, or in a type aligned to 64
//! bytes. The repository's benchmarks (`docs/BENCH.md` there) have the
//! figures.
//!
//! # Buffers of many sizes
//!
//! One `Pool<Vec<u8>>` with one cap either refuses the large requests or
//! keeps large buffers for small ones. [`BufferPool`] keeps byte buffers
//! by size class (powers of two, 256 bytes to 1 MiB by default): `get(n)`
//! hands out an empty `Vec<u8>` with at least `n` bytes of capacity from
//! the smallest class that covers it, and a buffer goes back to the class
//! its capacity fits when it returns, so one that grew while out joins the
//! larger class, and nothing larger than the largest class is kept.
//!
//! ```
//! use pool_runtime::BufferPool;
//!
//! let pool = BufferPool::new();
//! let mut body = pool.get(600);              // the 1 KiB class
//! body.extend_from_slice(&[b'x'; 5000]);     // grew while out, to 5000
//! drop(body);                                // kept in the 4 KiB class
//! assert_eq!(pool.get(4000).capacity(), 5000); // that buffer, reused
//! let small = pool.get(600);                 // a 1 KiB buffer, not that one
//! assert_eq!(small.capacity(), 1024);
//! ```
//!
//! Prefer one `Pool<Vec<u8>>` (with `max_value_bytes`) when one size
//! dominates: it skips the class lookup and the capacity check on return.
//! [`BufferPool::global`] is one process-wide instance; its guards and
//! [`OwnedBuffer`] work with `into_bytes` and `PooledBody` as a pool's do.
//!
//! # Pooled buffers in the ecosystem
//!
//! Go's pooling advice ends in a trap: a buffer that must outlive the
//! function that filled it (a reply handed to the network, a frame to
//! another task) has to be copied out, or it escapes and the pool saves
//! nothing. Here the buffer can leave without a copy and still come back,
//! when its last user drops it. Two optional features do it (both off by
//! default; neither changes the fast path):
//!
//! | feature | gives |
//! | --- | --- |
//! | `bytes` | [`Poolable`] and [`Capacity`] for `bytes::BytesMut` (cleared, capacity kept; `cap` and `shrink` work on it); `OwnedPooled::into_bytes(guard)` and `Pooled::into_bytes(guard)` (global pools): a `bytes::Bytes` that shares the pooled buffer and returns it, through the normal return path, when its last clone drops; guards of a `Buf`/`BufMut` are ones |
//! | `metrics` | `publish_metrics()`: every live named pool's stats through the `metrics` facade ("Watching a pool", above) |
//! | `serde` | `Deserialize` for [`ReuseVec`] and [`ReuseMap`] that fills their spares, serde_derive's in-place derive, and [`serde::fill`]: a parse into a pooled value that reuses everything it holds ("Parsing into a pooled struct", below) |
//! | `serde-json` | `serde`, and [`serde::from_slice_in_place`] / `from_str_in_place` for JSON |
//! | `http-body` | `PooledBody` (`PooledBody::from(owned_guard)`): an `http_body::Body` written straight from the pooled buffer, for hyper; for frameworks whose body is `Bytes` (axum's `Body::new`), use `into_bytes` |
//!
//! Any value that is bytes ([`ByteView`]: `Vec<u8>`, `String`, `BytesMut`,
//! or your struct pointing at its byte field) works with both, and so do a
//! [`BufferPool`]'s guards. Without the
//! features, the guards still fit std's traits: a guard of a writer is
//! `io::Write` / `fmt::Write` (`serde_json::to_writer(&mut guard, &v)`,
//! `write!(guard, …)`), a guard of bytes is `AsRef<[u8]>`, and every guard
//! is `Borrow<T>`. A pool of a type with no caps of its own (`Pool<Vec<u8>>`,
//! `Pool<BytesMut>`) is capped per value with
//! [`max_value_bytes`](PoolBuilder::max_value_bytes).
//!
//! # Parsing into a pooled struct (serde)
//!
//! Go's pooled parse target (`ParseResult { Body []byte; Tokens []string;
//! IsValid bool }`) keeps its slices but makes every token string anew. A
//! pooled struct here can keep those too, and a parse into it allocate
//! nothing once warm, with one call per parse:
//!
//! ```
//! # #[cfg(feature = "serde-json")] {
//! use pool_runtime::{Pool, Poolable, ReuseMap, ReuseVec};
//!
//! #[derive(Poolable, Default, serde::Deserialize)]
//! struct ParseResult {
//!     body: String,
//!     tokens: ReuseVec<String>,   // clear keeps every token's buffer
//!     attrs: ReuseMap<i64>,       // and every key's
//!     valid: bool,
//! }
//!
//! let pool: Pool<ParseResult> = Pool::default();
//! let line = br#"{"body":"GET /","tokens":["GET","/"],"attrs":{"port":80},"valid":true}"#;
//! let mut r = pool.get();
//! pool_runtime::serde::from_slice_in_place(&mut *r, line).unwrap(); // feature serde-json
//! assert_eq!(r.tokens.as_slice(), ["GET", "/"]);
//! assert_eq!(r.attrs["port"], 80);
//! # }
//! ```
//!
//! Three things make it work, all behind the `serde` feature:
//! serde's `Deserialize::deserialize_in_place`, which fills a value in place
//! (a `String` is cleared and refilled in its own buffer), turned on for
//! `#[derive(Deserialize)]` structs; [`ReuseVec`] and [`ReuseMap`], whose
//! reset keeps their elements as spares and whose in-place parse fills
//! them; and [`serde::fill`] (any format; [`serde::from_slice_in_place`]
//! and `from_str_in_place` for JSON with `serde-json`), which parses into
//! the value and, on an error, leaves it reset rather than half filled
//! with the previous record. With std's `Vec<String>` and
//! `HashMap<String, i64>` the same call keeps the containers but not the
//! strings their reset dropped.
//!
//! `*guard = serde_json::from_slice(line)?` saves nothing: serde builds
//! new containers and the assignment drops the pooled ones. The
//! repository's `parse_records` example measures the four ways (records
//! of a user, 3 to 5 tags and 3 to 5 attributes; three runs): 12.0
//! allocations and 714 to 824 ns per record fresh, 12.0 assigned, 9.7 in
//! place with std's containers, 0 and 417 to 458 ns in place with
//! `ReuseVec` and `ReuseMap`: as fast as the struct reshaped by hand into
//! one text buffer and spans (411 to 458 ns).
//!
//! # Testing code that uses a pool
//!
//! The derive makes the common reset correct by construction, but the pool
//! cannot see everything: a `reset_with` function, an `after_reset` hook, a
//! hand-written [`Poolable`] of a field's type, code that relies on getting
//! back the value it returned, `unsafe` code that reads past a buffer's
//! length, a guard that is never dropped. Three opt-in modes, for tests
//! and debug builds, catch those:
//!
//! | mode | catches | how | costs |
//! | --- | --- | --- | --- |
//! | [`audit_reset`](PoolBuilder::audit_reset), or [`audit_fields`](PoolBuilder::audit_fields) with `#[pool(audit)]` | a reset that leaves state behind (one request sees another's data) | every returned value, once reset, is compared with a fresh one from the factory; the guard's drop panics, printing both (`audit_reset`, by `PartialEq`) or naming the field: `` `ParseResult.limit` after reset is 16, a fresh value has 0 `` (`audit_fields`) | a factory call and a comparison per return |
//! | [`chaos(seed)`](PoolBuilder::chaos), or `POOL_RUNTIME_CHAOS=<seed>` | code that relies on the pool keeping or handing back a value; reads of stale bytes past a buffer's length | one return in four dropped, values out in random order, one get in four from the factory, spare capacity overwritten with [`POISON`] | every get and return on the slow path |
//! | [`track_outstanding(n)`](PoolBuilder::track_outstanding) | guards that are never returned (`mem::forget`, a task that never ends), which make the pool allocate anyway | one checkout in `n` records its caller (`#[track_caller]`) and the time; [`Pool::outstanding`] lists those still out, oldest first, and [`Stats::out`] counts every guard out | a lock, a clock read and a map insert per sample, and as much at its return |
//!
//! Each costs its pool alone. On `Box<u64>` values, beside a plain pool's
//! 4.3 ns get + drop, tracking one in 64 took about 5.9 ns, the audit 23
//! ns and chaos 57 ns; on 4 KiB buffers 23, 24, 65 to 75 and 143 ns.
//!
//! With every mode off the fast path makes no test for any of them. A pool with
//! the audit or chaos on takes the slow return path, the branch the inline
//! return already takes for a byte budget, and chaos keeps no per-thread
//! stash, so its gets are slow-path gets too. Tracking moves the stash's
//! maintenance mark, a comparison the fast get makes anyway, so one get in
//! `n` comes to the slow path to be sampled, and a sampled guard's home is
//! a ticket no thread can claim, so only its return leaves the inline
//! path. What a chaos run decides depends only on its seed and the order
//! of operations, so a failure on one thread replays with the same seed
//! ([`Pool::chaos_seed`]).
//!
//! What they cannot see: the audit compares contents, not capacity, and only
//! what `PartialEq` compares (a field `PartialEq` skips, or memory behind a
//! raw pointer, is not checked); `audit_reset` prints the whole value,
//! `audit_fields` the first field that differs, through nested
//! `#[pool(audit)]` structs (a field type with a hand-written `Poolable`
//! is compared as its own `AuditFields` says: whole, or field by field).
//! Chaos poisons the spare capacity of `Vec`, `String`,
//! `VecDeque` and `BytesMut` values, and of those inside a derived struct
//! (every field reset through `Poolable`, nested structs included; not
//! `skip`, `reset` or `reset_with` fields) with a byte pattern.
//!
//! # A process-wide pool
//!
//! `#[pool(global)]` gives a type one lazily made pool, reached through
//! [`GlobalPool`]:
//!
//! ```
//! use pool_runtime::{GlobalPool, Poolable};
//!
//! #[derive(Poolable, Default)]
//! #[pool(global)]
//! struct Scratch {
//!     words: Vec<String>,
//! }
//!
//! let mut s = Scratch::checkout();
//! s.words.push("hello".into());
//! ```
#![warn(unreachable_pub)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod audit;
mod barrier;
#[cfg(feature = "http-body")]
mod body;
mod budget;
mod buffer;
mod builder;
mod byte_view;
#[cfg(feature = "bytes")]
mod bytes;
mod calibrate;
mod capacity;
mod checks;
#[cfg(not(feature = "bytes"))]
mod feature_hint;
mod global;
mod guard;
mod guard_io;
mod inner;
mod outstanding;
mod per_thread;
mod poison;
mod pool;
mod poolable;
mod population;
mod registry;
mod reuse;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod serde;
mod shared;
mod stash;
mod stats;
mod std_poolable;
mod sync;
mod trimmer;
mod value_cap;
mod watch;

#[cfg(all(test, loom))]
mod loom_tests;
#[cfg(all(test, not(loom)))]
mod tests;

pub use audit::{AuditFields, Difference};
#[cfg(feature = "http-body")]
pub use body::{PooledBody, PooledChunk};
pub use buffer::{Buffer, BufferPool, BufferPoolBuilder, ClassStats, OwnedBuffer};
pub use builder::{PoolBuilder, DEFAULT_MAX_PER_THREAD, DEFAULT_MAX_SHARED};
pub use byte_view::ByteView;
pub use calibrate::{
    LearnedCap, CALIBRATION_WINDOW, CAP_HEADROOM, DEFAULT_CAP_PERCENTILE, FIRST_CALIBRATION_WINDOW,
};
pub use capacity::Capacity;
pub use checks::CHAOS_ENV;
pub use global::GlobalPool;
pub use guard::{OwnedPooled, Pooled};
pub use outstanding::Outstanding;
pub use poison::POISON;
pub use pool::Pool;
pub use poolable::Poolable;
pub use registry::trim_all;
pub use reuse::{ReuseMap, ReuseVec};
pub use stats::Stats;
pub use trimmer::{spawn_trimmer, Trimmer};
pub use watch::named_stats;
#[cfg(feature = "metrics")]
pub use watch::publish_metrics;

// The derive's reference: its attributes, what it infers and what it refuses.
#[doc = include_str!("derive.md")]
#[cfg(feature = "derive")]
pub use pool_derive::Poolable;

#[doc(hidden)]
pub mod __private;
