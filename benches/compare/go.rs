//! `go-syncpool`: Go's `sync.Pool` on the same workloads, measured by the Go
//! module in `benches/go` with `go test -bench`, once per report (after the
//! Rust rounds, not in them), when `go` is on the PATH.
//!
//! Go's figures are converted before they are compared. `b.RunParallel`
//! (tiny, buf4k, parse, grow64k, sizes) reports aggregate ns/op: wall time over
//! the operations of all its goroutines together, one goroutine per
//! GOMAXPROCS, which is the `-cpu` value. A Rust cell reports the time one
//! thread takes per operation; with `P` goroutines each doing `N / P` of
//! the `N` operations in the wall time, that is ns/op x `P`, the figure
//! shown. `handoff` is already per object over the wall time, as the Rust
//! `handoff` cell is, and stays as it is. Its ratio is then taken to the
//! floor of the same workload and thread count, like any other row's.
//! Allocations per op come from `-benchmem` (`allocs/op`, a whole number:
//! Go rounds it down).

use crate::cli::{target_dir, Args};
use crate::report::{median, Row};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub const CONTENDER: &str = "go-syncpool";

/// The Go module's benchmarks: the report's workload, the Go benchmark's
/// name, and the thread counts the Rust report has for it (every Go
/// benchmark runs at `-cpu 1,2`; the others are not shown).
const BENCHMARKS: [(&str, &str, &[usize]); 6] = [
    ("tiny", "Tiny", &[1, 2]),
    ("buf4k", "Buf4k", &[1, 2]),
    ("parse", "Parse", &[1, 2]),
    ("grow64k", "Grow64k", &[1]),
    ("sizes", "Sizes", &[1, 2]),
    ("handoff", "Handoff", &[2]),
];

/// The workloads whose Go cells pass `--only` and `--contender`.
pub fn selected(args: &Args) -> Vec<&'static str> {
    BENCHMARKS
        .iter()
        .map(|&(workload, _, _)| workload)
        .filter(|workload| args.keeps(workload, CONTENDER))
        .collect()
}

/// Runs the Go benchmarks of `workloads` once, and their rows (ratios not
/// set). Without Go, or when `go test` fails, a note on stderr and no rows:
/// the report carries on without them.
pub fn rows(workloads: &[&str], quick: bool) -> Vec<Row> {
    let Some(go) = find_on_path(&format!("go{}", std::env::consts::EXE_SUFFIX)) else {
        eprintln!(
            "{CONTENDER}: skipped, Go not found on the PATH (install it, e.g. \
             `apt-get install golang-go`, to see Go's sync.Pool in the report)"
        );
        return Vec::new();
    };
    let names: Vec<&str> = BENCHMARKS
        .iter()
        .filter(|(workload, _, _)| workloads.contains(workload))
        .map(|&(_, name, _)| name)
        .collect();
    let pattern = format!("^Benchmark({})$", names.join("|"));
    // `--quick`: about as long per benchmark as the Rust rounds give a cell
    // in all; else a second each, three times, for a median.
    let (benchtime, count) = if quick { ("200ms", "1") } else { ("1s", "3") };
    let args = [
        "test",
        "-run",
        "^$",
        "-bench",
        &pattern,
        "-benchmem",
        "-cpu",
        "1,2",
        "-benchtime",
        benchtime,
        "-count",
        count,
    ];
    let mut cmd = Command::new(&go);
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/go"))
        .args(args);
    // Go keeps its build cache and module path under $HOME by default, which
    // a CI user or a sandbox may lack or not be able to write; under the
    // target directory they are writable wherever cargo just built, and go
    // with `cargo clean`. (The module needs nothing from the network.)
    let go_dir = std::path::absolute(Path::new(&target_dir()).join("go"))
        .unwrap_or_else(|_| std::env::temp_dir().join("pool-suite-go"));
    for (var, sub) in [("GOCACHE", "cache"), ("GOPATH", "path")] {
        if std::env::var_os(var).is_none() {
            cmd.env(var, go_dir.join(sub));
        }
    }
    let started = Instant::now();
    let shown = format!("go {}", args.join(" "));
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => {
            eprintln!("{CONTENDER}: skipped, `{shown}` did not start: {e}");
            return Vec::new();
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        eprintln!("{CONTENDER}: skipped, `{shown}` failed ({}):", out.status);
        eprintln!("{}{}", stdout.trim_end(), stderr.trim_end());
        return Vec::new();
    }
    eprintln!(
        "{CONTENDER}: `{shown}` done ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    parse(&stdout)
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

/// One benchmark result line, converted (see the module's comment).
struct Measured {
    workload: &'static str,
    threads: usize,
    ns_per_thread_op: f64,
    allocs_per_op: f64,
}

/// The rows of `go test -bench -benchmem` output: one per workload and
/// thread count, the median over its `-count` lines.
fn parse(output: &str) -> Vec<Row> {
    let mut found: Vec<(Measured, Vec<f64>, Vec<f64>)> = Vec::new();
    for m in output.lines().filter_map(parse_line) {
        match found
            .iter_mut()
            .find(|(f, _, _)| f.workload == m.workload && f.threads == m.threads)
        {
            Some((_, ns, allocs)) => {
                ns.push(m.ns_per_thread_op);
                allocs.push(m.allocs_per_op);
            }
            None => {
                let (ns, allocs) = (vec![m.ns_per_thread_op], vec![m.allocs_per_op]);
                found.push((m, ns, allocs));
            }
        }
    }
    found
        .into_iter()
        .map(|(m, ns, allocs)| Row {
            workload: m.workload,
            contender: CONTENDER,
            threads: m.threads,
            median_ns: median(ns),
            ratio: None,
            allocs_per_op: allocs.iter().sum::<f64>() / allocs.len() as f64,
            retained_bytes: None,
        })
        .collect()
}

/// `BenchmarkBuf4k-2   1421766   174.4 ns/op   0 B/op   0 allocs/op`: the
/// name carries `-P`, the GOMAXPROCS it ran with, except where that is 1.
/// Lines of other thread counts than the report's, and of benchmarks that
/// did not run (0 iterations, NaN ns/op), give nothing.
fn parse_line(line: &str) -> Option<Measured> {
    let mut fields = line.split_whitespace();
    let name = fields.next()?.strip_prefix("Benchmark")?;
    let (name, procs) = match name.rsplit_once('-') {
        Some((name, procs)) => (name, procs.parse::<usize>().ok()?),
        None => (name, 1),
    };
    let &(workload, _, threads) = BENCHMARKS.iter().find(|b| b.1 == name)?;
    if !threads.contains(&procs) || fields.next()?.parse::<u64>().ok()? == 0 {
        return None;
    }
    let rest: Vec<&str> = fields.collect();
    let value = |unit: &str| {
        rest.windows(2)
            .find(|pair| pair[1] == unit)
            .and_then(|pair| pair[0].parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    let ns_per_op = value("ns/op")?;
    let ns_per_thread_op = if workload == "handoff" {
        ns_per_op
    } else {
        ns_per_op * procs as f64
    };
    Some(Measured {
        workload,
        threads: procs,
        ns_per_thread_op,
        allocs_per_op: value("allocs/op")?,
    })
}
