//! The command line: `--quick`, `--rounds N`, `--only SUBSTR`,
//! `--contender NAMES`, `--svg PATH`, `--check-alloc` (described in
//! `main.rs`).

pub struct Args {
    pub quick: bool,
    pub rounds: usize,
    /// Substrings of a workload or contender name; empty: every cell.
    pub only: Vec<String>,
    /// Contenders by their exact names; empty: every one.
    pub contenders: Vec<String>,
    pub svg_path: String,
    /// `--check-alloc`: the allocator cells only, then their check against
    /// plain loops ([`check`](crate::check)).
    pub check_alloc: bool,
}

impl Args {
    /// The process's arguments; exits with a message on a bad `--rounds`.
    pub fn parse() -> Self {
        let args: Vec<String> = std::env::args().collect();
        let value = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
        };
        let quick = args.iter().any(|a| a == "--quick");
        let check_alloc = args.iter().any(|a| a == "--check-alloc");
        // `--rounds N`: more rounds for steadier medians, fewer for a glance.
        let rounds = match args.iter().position(|a| a == "--rounds") {
            Some(i) => match args.get(i + 1).and_then(|n| n.parse::<usize>().ok()) {
                Some(n) if n > 0 => n,
                _ => {
                    eprintln!("--rounds takes a number of rounds, at least 1");
                    std::process::exit(2);
                }
            },
            None if quick => 5,
            None => 11,
        };
        // `--only SUBSTR` (repeatable, or `a,b`): the cells whose workload or
        // contender contains one of the substrings, for a run of seconds while
        // working on one path (`--only tiny`, `--only outlined`).
        let list = |flag: &str| -> Vec<String> {
            args.iter()
                .enumerate()
                .filter(|(_, a)| *a == flag)
                .filter_map(|(i, _)| args.get(i + 1))
                .flat_map(|v| v.split(','))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let only = list("--only");
        // `--contender NAME` (repeatable, or `a,b`): those contenders only,
        // by exact name (with `--only`, one path for a profiler; with
        // `floor` too, its ratio).
        let contenders = list("--contender");
        let svg_path = value("--svg")
            .cloned()
            .unwrap_or_else(|| format!("{}/compare.svg", target_dir()));
        Args {
            quick,
            rounds,
            only,
            contenders,
            svg_path,
            check_alloc,
        }
    }

    /// Whether the cell of `workload` by `contender` passes `--only` and
    /// `--contender`, and `--check-alloc` (which keeps the cells its check
    /// needs and nothing else: no Go, no memory section).
    pub fn keeps(&self, workload: &str, contender: &str) -> bool {
        if self.check_alloc && !crate::check::keeps(workload, contender) {
            return false;
        }
        let only = self.only.is_empty()
            || self
                .only
                .iter()
                .any(|s| workload.contains(s.as_str()) || contender.contains(s.as_str()));
        only && (self.contenders.is_empty() || self.contenders.iter().any(|c| c == contender))
    }
}

/// Cargo's target directory, as the bench is run by `cargo bench` (from
/// the package root).
pub fn target_dir() -> String {
    std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into())
}
