//! Pooled values held by tokio tasks across `.await` points.
//!
//! `Pool::get_owned` (on an `Arc<Pool<T>>`) gives an `OwnedPooled<T>`: a
//! guard that is `'static` and `Send`, so a task can keep it across
//! `tokio::time::sleep` and `yield_now`, the work-stealing scheduler can move
//! the task to another worker thread meanwhile, and the guard can even be
//! handed to another task. Wherever it is dropped, the value goes back to that
//! thread's stash.
//!
//! Many tasks on a multi-thread runtime check sessions out, write into them
//! before and after awaits (checking that nobody else touched them), and let
//! them go. A few grow past a cap (rejected on return) and a few are detached.
//! At the end it prints the pool's stats, checks conservation
//! (`created = retained + rejected + dropped + evicted + detached` once no
//! guard is live), then shuts the runtime down (the workers' stashes go to the
//! shared tier as their threads exit) and trims the pool twice.
//!
//! ```text
//! cargo run --release --example tasks
//! cargo run --release --example tasks -- --tasks 200 --rounds 5
//! ```

#[path = "common/args.rs"]
mod args;

use pool_runtime::{OwnedPooled, Pool, Poolable, Stats};
use pool_suite::CountingAlloc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

const LOG_CAP: usize = 64 << 10;

/// A task's working state.
#[derive(Poolable, Default, Debug)]
struct Session {
    /// Which task holds it now (0: nobody).
    owner: u64,
    /// Dropped instead of pooled if it grew past 64 KiB.
    #[pool(cap = LOG_CAP)]
    log: Vec<u8>,
    /// Kept, but shrunk back to 256 slots.
    #[pool(cap = 256, shrink)]
    events: Vec<u64>,
}

/// What the tasks did, counted on their side, to check the pool's counts against.
#[derive(Default)]
struct Tally {
    gets: AtomicU64,
    grown_past_cap: AtomicU64,
    detached: AtomicU64,
    handed_off: AtomicU64,
    live: AtomicUsize,
    peak_live: AtomicUsize,
}

impl Tally {
    fn checked_out(&self) {
        self.gets.fetch_add(1, Relaxed);
        let live = self.live.fetch_add(1, Relaxed) + 1;
        self.peak_live.fetch_max(live, Relaxed);
    }
}

/// Checks that a fresh checkout is reset, and claims it.
fn claim(s: &mut OwnedPooled<Session>, owner: u64) {
    assert_eq!(s.owner, 0, "a checkout must come reset (owner)");
    assert!(
        s.log.is_empty() && s.events.is_empty(),
        "a checkout must come reset"
    );
    s.owner = owner;
}

/// Checks that nobody else wrote into `s` while this task was away.
fn still_mine(s: &OwnedPooled<Session>, owner: u64) {
    assert_eq!(s.owner, owner, "another guard held the same value");
}

async fn task(pool: Arc<Pool<Session>>, tally: Arc<Tally>, id: u64, rounds: u64) {
    for round in 0..rounds {
        let owner = id * 1_000 + round + 1;
        let n = id.wrapping_mul(31).wrapping_add(round);
        let mut s = pool.get_owned();
        tally.checked_out();
        claim(&mut s, owner);
        s.log.extend_from_slice(b"start;");
        s.events.push(owner);

        // Hold the guard across a timer: the task may wake on the other worker.
        tokio::time::sleep(Duration::from_micros(200 + n % 800)).await;
        still_mine(&s, owner);
        s.log.extend_from_slice(b"slept;");
        tokio::task::yield_now().await;
        still_mine(&s, owner);
        s.events.extend(0..n % 300); // sometimes past the shrink cap of 256

        let detach = n % 499 == 0;
        if n % 97 == 0 && !detach {
            // A big log: over the cap, so the value is dropped on return.
            s.log.resize(LOG_CAP * 2, b'.');
            tally.grown_past_cap.fetch_add(1, Relaxed);
        }
        if detach {
            let kept: Session = OwnedPooled::detach(s);
            assert_eq!(kept.owner, owner);
            tally.detached.fetch_add(1, Relaxed);
            tally.live.fetch_sub(1, Relaxed);
            continue;
        }
        if n % 7 == 0 {
            // Hand the guard to another task, which drops it wherever it runs.
            tally.handed_off.fetch_add(1, Relaxed);
            let tally2 = Arc::clone(&tally);
            let child = tokio::spawn(async move {
                tokio::task::yield_now().await;
                still_mine(&s, owner);
                drop(s);
                tally2.live.fetch_sub(1, Relaxed);
            });
            child.await.expect("child task");
            continue;
        }
        drop(s);
        tally.live.fetch_sub(1, Relaxed);
    }
}

fn print_stats(when: &str, s: &Stats) {
    println!("{when}:");
    println!(
        "  created {:>6}  reused {:>6}  returned {:>6}  rejected {:>4}  dropped {:>5}  evicted {:>5}  detached {:>3}",
        s.created, s.reused, s.returned, s.rejected, s.dropped, s.evicted, s.detached
    );
    println!(
        "  retained {:>5} values, {} bytes",
        s.retained, s.retained_bytes
    );
}

/// Conservation with no live guard and no `put`.
fn conserved(s: &Stats) -> bool {
    s.created == s.retained as u64 + s.rejected + s.dropped + s.evicted + s.detached
}

fn check_conservation(s: &Stats) {
    let rhs = s.retained as u64 + s.rejected + s.dropped + s.evicted + s.detached;
    println!(
        "  conservation: created {} = retained {} + rejected {} + dropped {} + evicted {} + detached {} = {rhs}  {}",
        s.created,
        s.retained,
        s.rejected,
        s.dropped,
        s.evicted,
        s.detached,
        if s.created == rhs { "ok" } else { "BROKEN" }
    );
    assert!(conserved(s), "conservation broken: {s:?}");
}

fn main() {
    let (mut tasks, mut rounds): (u64, u64) = (2_000, 20);
    args::Args::new(
        "tasks",
        "pooled values held by tokio tasks across .await points",
    )
    .count("tasks", None, "tokio tasks spawned at once", &mut tasks)
    .count(
        "rounds",
        None,
        "checkouts per task, each guard held across awaits",
        &mut rounds,
    )
    .parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .expect("tokio runtime");
    let pool = Arc::new(Pool::new(Session::default));
    let tally = Arc::new(Tally::default());
    println!("tasks: {tasks} tokio tasks x {rounds} checkouts each, on 2 worker threads\n");

    let start = Instant::now();
    let before = ALLOC.snapshot();
    rt.block_on(async {
        let handles: Vec<_> = (0..tasks)
            .map(|id| tokio::spawn(task(Arc::clone(&pool), Arc::clone(&tally), id, rounds)))
            .collect();
        for h in handles {
            h.await.expect("a task panicked");
        }
    });
    let used = ALLOC.snapshot() - before;
    let elapsed = start.elapsed();

    let gets = tally.gets.load(Relaxed);
    let s = pool.stats();
    println!(
        "{gets} checkouts in {:.2} s; at most {} guards live at once; {} handed to another task, \
         {} grown past the cap, {} detached",
        elapsed.as_secs_f64(),
        tally.peak_live.load(Relaxed),
        tally.handed_off.load(Relaxed),
        tally.grown_past_cap.load(Relaxed),
        tally.detached.load(Relaxed),
    );
    println!(
        "{:.2} allocator calls per checkout over the run (tokio's timers and task cells included)\n",
        used.allocs as f64 / gets as f64
    );
    print_stats("pool, all tasks done", &s);
    check_conservation(&s);
    assert_eq!(s.created + s.reused, gets, "every get is created or reused");
    assert_eq!(
        s.returned,
        gets - s.detached,
        "every guard not detached came back"
    );
    assert_eq!(s.detached, tally.detached.load(Relaxed));
    assert_eq!(s.rejected, tally.grown_past_cap.load(Relaxed));
    assert_eq!(tally.live.load(Relaxed), 0);

    // The workers exit: their stashes go to the shared tier (what does not
    // fit is dropped). Their exit hooks run as the threads end, just after
    // tokio reports them stopped, so give them a moment.
    rt.shutdown_timeout(Duration::from_secs(5));
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut s = pool.stats();
    while !conserved(&s) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
        s = pool.stats();
    }
    println!();
    print_stats(
        "after the runtime shut down (worker stashes handed over)",
        &s,
    );
    check_conservation(&s);

    pool.trim();
    pool.trim();
    let s = pool.stats();
    println!();
    print_stats("after trim() twice (nothing used in between: all idle)", &s);
    check_conservation(&s);
    assert_eq!(
        s.retained, 0,
        "two trims with no use between free everything"
    );
}
