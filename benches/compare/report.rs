//! The report: a cell's figures (median ns/op, ratio to floor, allocations
//! per op), the Markdown table and the `RESULT` lines.

use crate::cells::Cell;

/// One line of the table: a cell's figures, or a Go benchmark's.
pub struct Row {
    pub workload: &'static str,
    pub contender: &'static str,
    pub threads: usize,
    pub median_ns: f64,
    pub ratio: Option<f64>,
    pub allocs_per_op: f64,
    /// The median of what the cell's pool retained at the end of a round,
    /// where the cell reports it (`heavy-tail`'s and `sizes`' pools).
    pub retained_bytes: Option<f64>,
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The cells' rows, in the cells' order.
pub fn rows(cells: &[Cell]) -> Vec<Row> {
    let mut rows: Vec<Row> = cells
        .iter()
        .map(|c| {
            let (allocs, ops) = c
                .samples
                .iter()
                .fold((0, 0), |(a, o), s| (a + s.allocs, o + s.counted_ops));
            Row {
                workload: c.workload,
                contender: c.contender,
                threads: c.threads,
                median_ns: median(c.samples.iter().map(|s| s.ns_per_op).collect()),
                ratio: None,
                allocs_per_op: allocs as f64 / ops.max(1) as f64,
                retained_bytes: c
                    .samples
                    .iter()
                    .map(|s| s.retained_bytes.map(|b| b as f64))
                    .collect::<Option<Vec<f64>>>()
                    .filter(|v| !v.is_empty())
                    .map(median),
            }
        })
        .collect();
    set_ratios(&mut rows);
    rows
}

/// Adds rows measured elsewhere (Go's), each after the last row of its
/// workload and thread count (at the end if there is none), so that it
/// shows in that group in the table and the chart, with its ratio to that
/// group's floor.
pub fn insert(rows: &mut Vec<Row>, extra: Vec<Row>) {
    for r in extra {
        let at = rows
            .iter()
            .rposition(|x| x.workload == r.workload && x.threads == r.threads)
            .map_or(rows.len(), |i| i + 1);
        rows.insert(at, r);
    }
    set_ratios(rows);
}

/// Every row's ratio to the `floor` row of the same workload and thread
/// count (none where that floor was not measured).
fn set_ratios(rows: &mut [Row]) {
    let floors: Vec<(&str, usize, f64)> = rows
        .iter()
        .filter(|r| r.contender == "floor")
        .map(|r| (r.workload, r.threads, r.median_ns))
        .collect();
    for r in rows.iter_mut() {
        r.ratio = floors
            .iter()
            .find(|(w, th, _)| *w == r.workload && *th == r.threads)
            .map(|(_, _, floor)| r.median_ns / floor);
    }
}

fn fmt_allocs(a: f64) -> String {
    if a == 0.0 {
        "0".into()
    } else if a >= 0.01 {
        format!("{a:.2}")
    } else {
        // a few allocations over millions of operations: keep them visible
        format!("{a:.1e}")
    }
}

/// The Markdown table, then one `RESULT` line per row.
pub fn print_table(rows: &[Row]) {
    println!("| workload | threads | contender | median ns/op | ratio to floor | allocs/op |");
    println!("|---|---:|---|---:|---:|---:|");
    for r in rows {
        let ratio = r.ratio.map_or("—".into(), |x| format!("{x:.2}"));
        println!(
            "| {} | {} | {} | {:.1} | {} | {} |",
            r.workload,
            r.threads,
            r.contender,
            r.median_ns,
            ratio,
            fmt_allocs(r.allocs_per_op)
        );
    }
    println!();
    for r in rows {
        println!(
            "RESULT {} {} {} {:.2} {}",
            r.workload,
            r.contender,
            r.threads,
            r.median_ns,
            fmt_allocs(r.allocs_per_op)
        );
    }
}

/// Bytes for a person: B, KiB, MiB.
fn fmt_bytes(b: f64) -> String {
    if b < 1024.0 {
        format!("{b:.0} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.0} KiB", b / 1024.0)
    } else {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    }
}

/// What the pools of the cells that report it (`heavy-tail`'s, `sizes`') retain at
/// the end of a round, beside their time: what each cap buys in memory and
/// costs in time, in one table. Nothing where no cell reports it.
pub fn print_retained(rows: &[Row]) {
    let kept: Vec<&Row> = rows.iter().filter(|r| r.retained_bytes.is_some()).collect();
    if kept.is_empty() {
        return;
    }
    println!(
        "\n## What the pools retain (heavy-tail, sizes)\n\n\
         Each round's pool is made anew; retained: its `stats().retained_bytes` at the end \
         of the round (median over rounds), after the round's requests on 1 or 2 threads. \
         `cargo run --release --example heavy_tail` and `--example buffer_sizes` follow the \
         same pools through time.\n"
    );
    println!(
        "| workload | threads | contender | retained at the end | ratio to floor (time) | allocs/op |"
    );
    println!("|---|---:|---|---:|---:|---:|");
    for r in kept {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.workload,
            r.threads,
            r.contender,
            fmt_bytes(r.retained_bytes.unwrap_or(0.0)),
            r.ratio.map_or("—".into(), |x| format!("{x:.2}")),
            fmt_allocs(r.allocs_per_op)
        );
    }
}
