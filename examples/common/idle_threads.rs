//! Memory over threads: what a pool keeps for threads that used it in a
//! burst and then went idle, and how that memory comes back. Measured here
//! for `examples/idle_threads.rs` and for the compare report's "Memory over
//! threads" section (both include this file with `#[path]`, so that the
//! two print the same measurement), with Go's `sync.Pool` beside it
//! (`benches/go/cmd/idlethreads`) when `go` is on the PATH.
//!
//! One case, for `N` threads: a fresh `Arc<Pool<Vec<u8>>>` with the
//! defaults, whose factory makes buffers of `kib` KiB. Each of the `N`
//! threads takes `buffers` buffers, writes each whole, holds them until
//! every thread holds its own (a barrier: the burst's peak is all of them
//! at once, in Go as here), then drops them all, and parks on a barrier,
//! never touching the pool again until told. The case reads the pool's
//! `stats()`, the live heap (the counting global allocator: every byte
//! allocated and not freed, process-wide) and the resident set at four
//! points:
//!
//! 1. after the burst: each thread's stash keeps its buffers;
//! 2. after `trim_all()` twice on the calling thread, the workers idle:
//!    the first marks, the second frees, reaching into the idle threads'
//!    stashes (the pool is shared between threads, so `trim_all` reaches
//!    it);
//! 3. after a second burst, then a trimmer (`spawn_trimmer`, 20 ms period)
//!    until the pool is empty (polled, at most a second);
//! 4. after a third burst, a `clear()` while the workers are idle, and the
//!    workers' exit (joined).
//!
//! The heap is given above the case's start (taken after two `trim_all()`,
//! so that other pools' idle values, an earlier case's or the compare
//! report's, do not leave in the middle of this one), the resident set
//! above the run's start. The resident set is only printed: the allocator
//! may keep freed pages (glibc keeps most of a thread arena's), so it says
//! what the process costs the machine, not what the pool holds.
//!
//! Thread ids are small integers, reused smallest first, and a pool finds
//! a thread's stash by its id; [`Holders`] parks threads on ids so that a
//! case run meanwhile gets high ones, to show that a thread with a high id
//! costs a pool what one with a low id does.

use pool_runtime::Pool;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The thread counts measured by default.
pub const THREADS: [usize; 5] = [1, 2, 8, 64, 256];
/// Buffers each thread takes at once, by default.
pub const BUFFERS: usize = 64;
/// KiB per buffer, by default.
pub const KIB: usize = 64;
/// The thread count measured again while other threads hold the low ids.
pub const HIGH_ID_THREADS: usize = 8;
/// How far apart the per-thread heap of high and low ids may be.
pub const HIGH_ID_RATIO: f64 = 1.25;
/// The trimmer's period in point 3.
pub const TRIMMER_PERIOD: Duration = Duration::from_millis(20);
/// How long point 3 waits for the trimmer before it gives up.
pub const TRIMMER_BOUND: Duration = Duration::from_secs(1);
/// What an idle case may keep above its start, besides [`SLACK_PER_THREAD`]
/// per thread: the pool itself, its table of slots, the thread-id
/// allocator's free list. (Thread stacks are not heap; they are not in the
/// figure at all.)
pub const SLACK: i64 = 2 << 20;
/// A live thread's own heap: what spawning it allocates, its slot and
/// emptied stash in the pool, its thread-locals.
pub const SLACK_PER_THREAD: i64 = 64 << 10;
/// The workers' stacks: they only fill buffers and wait, and 256 threads
/// of the default 2 MiB would ask for half a GiB of address space.
const WORKER_STACK: usize = 256 << 10;

/// One burst: how many buffers each thread takes, and how large.
#[derive(Clone, Copy, Debug)]
pub struct Burst {
    pub buffers: usize,
    pub kib: usize,
}

impl Burst {
    fn bytes(self) -> usize {
        self.kib << 10
    }
}

/// What is measured at one point of a case.
#[derive(Clone, Copy, Debug)]
pub struct Point {
    /// `stats().retained`: values the pool keeps.
    pub retained: usize,
    /// `stats().retained_bytes`: their bytes, buffers and inline size.
    pub retained_bytes: usize,
    /// Live heap bytes above the case's start (process-wide).
    pub heap: i64,
    /// Resident set above the run's start, in bytes; `None` without
    /// `/proc/self/status` (not Linux).
    pub rss: Option<i64>,
}

/// One case's four points (module docs), for `threads` threads.
#[derive(Clone, Debug)]
pub struct Case {
    pub threads: usize,
    /// Threads parked on the low ids while the case ran (0: none).
    pub held_ids: usize,
    pub burst: Point,
    pub trimmed: Point,
    pub trimmer: Point,
    /// How long the trimmer took to empty the pool; `None`: it did not
    /// within [`TRIMMER_BOUND`].
    pub trimmer_took: Option<Duration>,
    pub exited: Point,
}

impl Case {
    /// The live heap per thread after the burst: its buffers, its stash,
    /// its slot, what spawning it cost.
    pub fn heap_per_thread(&self) -> i64 {
        self.burst.heap / self.threads as i64
    }

    /// The pool's `retained_bytes` per thread after the burst.
    pub fn retained_per_thread(&self) -> i64 {
        (self.burst.retained_bytes / self.threads) as i64
    }

    /// What the pool and the thread cost per thread beyond the values
    /// the pool reports: the part of [`heap_per_thread`](Self::heap_per_thread)
    /// a thread's id could change.
    pub fn overhead_per_thread(&self) -> i64 {
        self.heap_per_thread() - self.retained_per_thread()
    }
}

/// The run's instruments: the live heap, and the resident set at the start.
pub struct Meter {
    live: fn() -> usize,
    rss_start: Option<i64>,
}

impl Meter {
    /// `live` reads the counting global allocator's live bytes (the
    /// caller owns the `#[global_allocator]`).
    pub fn new(live: fn() -> usize) -> Meter {
        Meter {
            live,
            rss_start: rss(),
        }
    }

    fn live(&self) -> usize {
        (self.live)()
    }

    fn point(&self, pool: &Pool<Vec<u8>>, start: usize) -> Point {
        let stats = pool.stats();
        Point {
            retained: stats.retained,
            retained_bytes: stats.retained_bytes,
            heap: self.live().wrapping_sub(start) as i64,
            rss: rss().zip(self.rss_start).map(|(now, start)| now - start),
        }
    }
}

/// The resident set, in bytes: `VmRSS` of `/proc/self/status`, which is
/// in kB whatever the page size (`statm` counts pages).
pub fn rss() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: i64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb << 10)
}

/// The workers of one case: spawned once, told to burst or to exit, and
/// parked on a barrier in between.
struct Crew {
    go: Arc<Barrier>,
    done: Arc<Barrier>,
    exit: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Crew {
    fn spawn(n: usize, pool: &Arc<Pool<Vec<u8>>>, burst: Burst) -> Crew {
        let go = Arc::new(Barrier::new(n + 1));
        let done = Arc::new(Barrier::new(n + 1));
        let all_hold = Arc::new(Barrier::new(n));
        let exit = Arc::new(AtomicBool::new(false));
        let threads = (0..n)
            .map(|_| {
                let (go, done, all_hold, exit, pool) = (
                    go.clone(),
                    done.clone(),
                    all_hold.clone(),
                    exit.clone(),
                    pool.clone(),
                );
                std::thread::Builder::new()
                    .name("idle_threads worker".into())
                    .stack_size(WORKER_STACK)
                    .spawn(move || loop {
                        go.wait();
                        // Set before the barrier was reached: its lock
                        // orders the store before this load.
                        if exit.load(Ordering::Relaxed) {
                            return;
                        }
                        let mut held = Vec::with_capacity(burst.buffers);
                        for _ in 0..burst.buffers {
                            let mut buf = pool.get();
                            // Written whole: its pages are resident, as a
                            // buffer that served a request's are.
                            buf.resize(burst.bytes(), 1);
                            held.push(buf);
                        }
                        all_hold.wait();
                        drop(held);
                        done.wait();
                    })
                    .expect("idle_threads: the OS refused a worker thread")
            })
            .collect();
        Crew {
            go,
            done,
            exit,
            threads,
        }
    }

    /// Every worker bursts once; returns when all of them are idle again.
    fn burst(&self) {
        self.go.wait();
        self.done.wait();
    }

    fn exit(self) {
        self.exit.store(true, Ordering::Relaxed);
        self.go.wait();
        for thread in self.threads {
            thread.join().expect("idle_threads: a worker panicked");
        }
    }
}

/// Measures one case (module docs) with `threads` workers.
pub fn measure(meter: &Meter, threads: usize, burst: Burst, held_ids: usize) -> Case {
    pool_runtime::trim_all();
    pool_runtime::trim_all();
    let start = meter.live();
    let bytes = burst.bytes();
    let pool = Arc::new(Pool::new(move || Vec::<u8>::with_capacity(bytes)));
    let crew = Crew::spawn(threads, &pool, burst);

    crew.burst();
    let after_burst = meter.point(&pool, start);

    pool_runtime::trim_all();
    pool_runtime::trim_all();
    let trimmed = meter.point(&pool, start);

    crew.burst();
    let trimmer = pool_runtime::spawn_trimmer(TRIMMER_PERIOD);
    let began = Instant::now();
    let trimmer_took = loop {
        if pool.stats().retained == 0 {
            break Some(began.elapsed());
        }
        if began.elapsed() > TRIMMER_BOUND {
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    drop(trimmer);
    let after_trimmer = meter.point(&pool, start);

    crew.burst();
    pool.clear();
    crew.exit();
    let exited = meter.point(&pool, start);

    Case {
        threads,
        held_ids,
        burst: after_burst,
        trimmed,
        trimmer: after_trimmer,
        trimmer_took,
        exited,
    }
}

/// Threads that each take a thread id (by using a pool once) and park,
/// until dropped: a thread spawned meanwhile gets an id above theirs.
pub struct Holders {
    release: Arc<Barrier>,
    threads: Vec<JoinHandle<()>>,
}

impl Holders {
    pub fn spawn(n: usize) -> Holders {
        let ready = Arc::new(Barrier::new(n + 1));
        let release = Arc::new(Barrier::new(n + 1));
        let pool = Arc::new(Pool::new(|| 0u64));
        let threads = (0..n)
            .map(|_| {
                let (ready, release, pool) = (ready.clone(), release.clone(), pool.clone());
                std::thread::Builder::new()
                    .name("idle_threads id holder".into())
                    .stack_size(WORKER_STACK)
                    .spawn(move || {
                        drop(pool.get());
                        ready.wait();
                        release.wait();
                    })
                    .expect("idle_threads: the OS refused an id-holding thread")
            })
            .collect();
        ready.wait();
        Holders { release, threads }
    }

    pub fn len(&self) -> usize {
        self.threads.len()
    }
}

impl Drop for Holders {
    fn drop(&mut self) {
        self.release.wait();
        for thread in self.threads.drain(..) {
            // A holder only waits: a panic there would be the barrier's.
            let _ = thread.join();
        }
    }
}

/// Every case of a run: the thread counts in order, then
/// [`HIGH_ID_THREADS`] again while as many threads as the largest count
/// hold the low ids. Returns the cases and the high-id one.
pub fn measure_all(meter: &Meter, threads: &[usize], burst: Burst) -> (Vec<Case>, Case) {
    let mut cases: Vec<Case> = threads
        .iter()
        .map(|&n| measure(meter, n, burst, 0))
        .collect();
    if !threads.contains(&HIGH_ID_THREADS) {
        // The low-id figure the high-id one is compared with.
        cases.push(measure(meter, HIGH_ID_THREADS, burst, 0));
    }
    let holders = Holders::spawn(threads.iter().copied().max().unwrap_or(0));
    let high = measure(meter, HIGH_ID_THREADS, burst, holders.len());
    drop(holders);
    (cases, high)
}

/// Bytes in the unit that keeps them short: B, KiB, MiB or GiB.
pub fn size(bytes: i64) -> String {
    let b = bytes.unsigned_abs() as f64;
    let sign = if bytes < 0 { "-" } else { "" };
    let (value, unit) = match b {
        b if b >= (1u64 << 30) as f64 => (b / (1u64 << 30) as f64, "GiB"),
        b if b >= (1 << 20) as f64 => (b / (1 << 20) as f64, "MiB"),
        b if b >= (1 << 10) as f64 => (b / (1 << 10) as f64, "KiB"),
        b => return format!("{sign}{b} B"),
    };
    // GiB with two decimals: 1.0 GiB would hide 50 MiB either way.
    match value {
        _ if unit == "GiB" => format!("{sign}{value:.2} {unit}"),
        v if v >= 100.0 => format!("{sign}{value:.0} {unit}"),
        _ => format!("{sign}{value:.1} {unit}"),
    }
}

fn rss_text(rss: Option<i64>) -> String {
    rss.map_or_else(|| "n/a".into(), size)
}

/// One case's four points as a Markdown table.
pub fn case_table(case: &Case) -> String {
    let mut out = String::new();
    let ids = if case.held_ids > 0 {
        format!(", {} threads holding the low ids", case.held_ids)
    } else {
        String::new()
    };
    let _ = writeln!(out, "{} thread(s){ids}:\n", case.threads);
    out.push_str("| point | retained | retained bytes | live heap | RSS |\n");
    out.push_str("|---|---:|---:|---:|---:|\n");
    let trimmer = match case.trimmer_took {
        Some(took) => format!(
            "burst, then a trimmer ({} ms period): empty in {} ms",
            TRIMMER_PERIOD.as_millis(),
            took.as_millis()
        ),
        None => format!(
            "burst, then a trimmer ({} ms period): not empty after {} ms",
            TRIMMER_PERIOD.as_millis(),
            TRIMMER_BOUND.as_millis()
        ),
    };
    let rows = [
        ("after the burst".to_string(), &case.burst),
        ("trim_all() twice".into(), &case.trimmed),
        (trimmer, &case.trimmer),
        ("burst, clear(), threads exited".into(), &case.exited),
    ];
    for (label, p) in rows {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} |",
            p.retained,
            size(p.retained_bytes as i64),
            size(p.heap),
            rss_text(p.rss)
        );
    }
    let _ = writeln!(
        out,
        "\nper thread after the burst: {} retained, {} live heap ({} of it beyond the values)",
        size(case.retained_per_thread()),
        size(case.heap_per_thread()),
        size(case.overhead_per_thread())
    );
    out
}

/// The low-id and high-id runs of [`HIGH_ID_THREADS`] threads, per thread.
pub fn high_id_table(low: &Case, high: &Case) -> String {
    let mut out = format!(
        "{HIGH_ID_THREADS} threads, per thread after the burst, with low ids and with ids \
         past {} held by parked threads:\n\n",
        high.held_ids
    );
    out.push_str("| ids | retained | live heap | beyond the values |\n|---|---:|---:|---:|\n");
    for (label, case) in [("low", low), ("high", high)] {
        let _ = writeln!(
            out,
            "| {label} | {} B | {} B | {} B |",
            case.retained_per_thread(),
            case.heap_per_thread(),
            case.overhead_per_thread()
        );
    }
    let _ = writeln!(
        out,
        "\nhigh / low live heap per thread: {:.4}",
        high.heap_per_thread() as f64 / low.heap_per_thread() as f64
    );
    out
}

/// The claims a run makes, each with whether it held: for every case, the
/// two trims and the exit leave nothing retained and the heap back near
/// its start, and the trimmer empties the pool in time; and the high-id
/// threads cost what the low-id ones do.
pub fn claims(cases: &[Case], high: &Case) -> Vec<(bool, String)> {
    let mut claims = Vec::new();
    for case in cases.iter().chain([high]) {
        let n = case.threads;
        let ids = if case.held_ids > 0 { ", high ids" } else { "" };
        let bound = SLACK + SLACK_PER_THREAD * n as i64;
        for (what, p) in [
            ("after two trim_all()", &case.trimmed),
            ("after clear() and the threads' exit", &case.exited),
        ] {
            claims.push((
                p.retained == 0 && p.heap <= bound,
                format!(
                    "{n} thread(s){ids}: {what}, {} retained, the live heap {} above the \
                     start (at most {})",
                    p.retained,
                    size(p.heap),
                    size(bound)
                ),
            ));
        }
        claims.push((
            case.trimmer_took.is_some(),
            format!(
                "{n} thread(s){ids}: a trimmer of {} ms empties the pool within {} ms ({})",
                TRIMMER_PERIOD.as_millis(),
                TRIMMER_BOUND.as_millis(),
                match case.trimmer_took {
                    Some(t) => format!("{} ms", t.as_millis()),
                    None => format!("{} left", case.trimmer.retained),
                }
            ),
        ));
    }
    if let Some(low) = cases
        .iter()
        .find(|c| c.threads == high.threads && c.held_ids == 0)
    {
        let ratio = high.heap_per_thread() as f64 / low.heap_per_thread() as f64;
        claims.push((
            (1.0 / HIGH_ID_RATIO..=HIGH_ID_RATIO).contains(&ratio),
            format!(
                "{} threads: the live heap per thread with ids past {} is {} B, {ratio:.4}x \
                 the {} B with low ids (within {HIGH_ID_RATIO}x)",
                high.threads,
                high.held_ids,
                high.heap_per_thread(),
                low.heap_per_thread()
            ),
        ));
    }
    claims
}

// ---------------------------------------------------------------------------
// Go's sync.Pool, beside it

/// One point of Go's case: the heap (`runtime.ReadMemStats`) above the
/// case's start, and the resident set above the program's start.
#[derive(Clone, Copy, Debug, Default)]
pub struct GoPoint {
    /// `HeapAlloc`: bytes of live objects, and of dead ones not swept yet.
    pub heap_alloc: i64,
    /// `HeapInuse`: bytes of the spans that hold objects.
    pub heap_inuse: i64,
    pub rss: Option<i64>,
}

/// Go's case for `threads` goroutines: the burst as above (every goroutine
/// holding its buffers at once), then `runtime.GC()` twice, then a second
/// burst and the goroutines' exit, then `runtime.GC()` twice again.
#[derive(Clone, Debug, Default)]
pub struct GoCase {
    pub threads: usize,
    pub burst: GoPoint,
    pub collected: GoPoint,
    pub exited: GoPoint,
    pub exited_collected: GoPoint,
}

/// What Go's program measured, and with which Go.
#[derive(Clone, Debug, Default)]
pub struct GoRun {
    /// `runtime.Version()`.
    pub version: String,
    /// `runtime.GOMAXPROCS(0)`: the threads that run goroutines at once.
    pub gomaxprocs: usize,
    pub cases: Vec<GoCase>,
}

/// Runs `benches/go/cmd/idlethreads` for these thread counts (`go run`,
/// with Go's caches under the target directory, as the compare report
/// does), and reads its cases. `Err` says why there are none: no Go on
/// the PATH, or the program failed.
pub fn go_run(threads: &[usize], burst: Burst) -> Result<GoRun, String> {
    let go = find_on_path(&format!("go{}", std::env::consts::EXE_SUFFIX))
        .ok_or("Go not found on the PATH (`apt-get install golang-go` gives it)".to_string())?;
    let list: Vec<String> = threads.iter().map(usize::to_string).collect();
    let args = [
        "run".to_string(),
        "./cmd/idlethreads".into(),
        "-threads".into(),
        list.join(","),
        "-buffers".into(),
        burst.buffers.to_string(),
        "-kib".into(),
        burst.kib.to_string(),
    ];
    let mut cmd = Command::new(go);
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/go"))
        .args(&args);
    // Go keeps its caches under $HOME by default, which a CI user or a
    // sandbox may lack; the target directory is writable wherever cargo
    // just built this program (three levels above it: `target/release/
    // examples/idle_threads`, `target/release/deps/compare-…`).
    let exe = std::env::current_exe().ok();
    let go_dir = exe
        .as_deref()
        .and_then(|e| e.ancestors().nth(3))
        .map_or_else(
            || std::env::temp_dir().join("pool-suite-go"),
            |t| t.join("go"),
        );
    for (var, sub) in [("GOCACHE", "cache"), ("GOPATH", "path")] {
        if std::env::var_os(var).is_none() {
            cmd.env(var, go_dir.join(sub));
        }
    }
    let shown = format!("go {}", args.join(" "));
    let out = cmd
        .output()
        .map_err(|e| format!("`{shown}` did not start: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "`{shown}` failed ({}):\n{}{}",
            out.status,
            stdout.trim_end(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        ));
    }
    let run = parse_go(&stdout);
    if run.cases.len() != threads.len() {
        return Err(format!(
            "`{shown}` printed {} cases for {} thread counts:\n{}",
            run.cases.len(),
            threads.len(),
            stdout.trim_end()
        ));
    }
    Ok(run)
}

/// The program's `go version=V gomaxprocs=P` line, and its `point
/// threads=N at=WHERE heap_alloc=B heap_inuse=B rss=B|n/a` lines gathered
/// per thread count in the order printed.
fn parse_go(output: &str) -> GoRun {
    let mut run = GoRun::default();
    let cases = &mut run.cases;
    for line in output.lines() {
        let mut fields = line.split_whitespace();
        let kind = fields.next();
        let kv: Vec<(&str, &str)> = fields.filter_map(|f| f.split_once('=')).collect();
        let get = |key: &str| kv.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let number = |key: &str| get(key).and_then(|v| v.parse::<i64>().ok());
        if kind == Some("go") {
            run.version = get("version").unwrap_or("?").to_string();
            run.gomaxprocs = number("gomaxprocs").unwrap_or(0) as usize;
            continue;
        }
        if kind != Some("point") {
            continue;
        }
        let (Some(threads), Some(at), Some(heap_alloc), Some(heap_inuse)) = (
            number("threads"),
            get("at"),
            number("heap_alloc"),
            number("heap_inuse"),
        ) else {
            continue;
        };
        let point = GoPoint {
            heap_alloc,
            heap_inuse,
            rss: number("rss"),
        };
        let threads = threads as usize;
        if cases.last().is_none_or(|c| c.threads != threads) {
            cases.push(GoCase {
                threads,
                ..GoCase::default()
            });
        }
        let case = cases.last_mut().expect("pushed above");
        match at {
            "burst" => case.burst = point,
            "gc2" => case.collected = point,
            "exit" => case.exited = point,
            "exit_gc2" => case.exited_collected = point,
            _ => {}
        }
    }
    run
}

/// The first executable `name` in a directory of the PATH.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Go's cases as a Markdown table of their own (every point), under a
/// line that says which Go ran them.
pub fn go_table(run: &GoRun) -> String {
    let mut out = format!(
        "{}, GOMAXPROCS {}:\n\n\
         | goroutines | point | HeapAlloc | HeapInuse | RSS |\n|---:|---|---:|---:|---:|\n",
        run.version, run.gomaxprocs
    );
    for c in &run.cases {
        for (label, p) in [
            ("after the burst", &c.burst),
            ("runtime.GC() twice", &c.collected),
            ("burst, goroutines exited", &c.exited),
            ("then runtime.GC() twice", &c.exited_collected),
        ] {
            let _ = writeln!(
                out,
                "| {} | {label} | {} | {} | {} |",
                c.threads,
                size(p.heap_alloc),
                size(p.heap_inuse),
                rss_text(p.rss)
            );
        }
    }
    out
}

/// This pool and Go's `sync.Pool` at the matching points, one row each:
/// after the burst; after two trims here, two collections there; after
/// the threads' exit (here with a `clear()` first; there with two
/// collections after, without which `sync.Pool` still holds the second
/// burst's buffers). `go` may be empty (no Go): its columns then say so.
pub fn side_by_side(cases: &[Case], go: &[GoCase]) -> String {
    let mut out = String::from(
        "| threads | point | pool-runtime retained | live heap | RSS | Go sync.Pool HeapAlloc \
         | HeapInuse | RSS |\n|---:|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for case in cases.iter().filter(|c| c.held_ids == 0) {
        let theirs = go.iter().find(|g| g.threads == case.threads);
        let rows = [
            ("after the burst", &case.burst, theirs.map(|g| &g.burst)),
            (
                "two trim_all() / two runtime.GC()",
                &case.trimmed,
                theirs.map(|g| &g.collected),
            ),
            (
                "threads exited (clear() / two runtime.GC())",
                &case.exited,
                theirs.map(|g| &g.exited_collected),
            ),
        ];
        for (label, ours, theirs) in rows {
            let go_cols = match theirs {
                Some(g) => format!(
                    "{} | {} | {}",
                    size(g.heap_alloc),
                    size(g.heap_inuse),
                    rss_text(g.rss)
                ),
                None => "— | — | —".into(),
            };
            let _ = writeln!(
                out,
                "| {} | {label} | {} | {} | {} | {go_cols} |",
                case.threads,
                size(ours.retained_bytes as i64),
                size(ours.heap),
                rss_text(ours.rss)
            );
        }
    }
    out
}
