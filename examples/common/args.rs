//! The examples' command line: a few options, each a positive whole number
//! (or a comma-separated list of them) with a default, and `-h`/`--help`. An example includes this file as a
//! module (`#[path = "common/args.rs"] mod args;`) and states its options:
//!
//! ```ignore
//! let mut calls: u64 = 1_000_000;
//! args::Args::new("encode", "One record encoded five ways.")
//!     .count("calls", Some('n'), "calls of each way", &mut calls)
//!     .parse();
//! ```
//!
//! `--help` prints the usage to stdout and exits 0; anything it does not
//! understand prints the error and the usage to stderr and exits 2, the
//! status of a usage error, so that a script can tell it from a claim the
//! example found broken (a panic, 101).

use std::fmt::{Display, Write as _};
use std::str::FromStr;

/// What an option sets: a whole number, which must be above zero.
pub trait Count: Copy + Default + Display + FromStr + PartialOrd {}

impl Count for u64 {}
impl Count for usize {}

struct Opt<'a> {
    long: &'static str,
    short: Option<char>,
    help: &'static str,
    /// What the value looks like in the usage: `N`, or `N,N,...`.
    shape: &'static str,
    /// What a value must be, for the usage error.
    expects: &'static str,
    /// The value before parsing, shown in the usage.
    default: String,
    /// Parses a value and stores it; false if it is not what `expects` says.
    set: Box<dyn FnMut(&str) -> bool + 'a>,
}

/// The options of one example, each bound to the variable it sets.
pub struct Args<'a> {
    program: &'static str,
    about: &'static str,
    /// The example's main file, whose header says what it shows and what
    /// one run printed.
    source: &'static str,
    opts: Vec<Opt<'a>>,
}

/// Why parsing stopped short of setting every option given.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    /// `-h` or `--help`.
    Help,
    /// A usage error, said in one line.
    Error(String),
}

impl<'a> Args<'a> {
    /// `about` says what the example shows: the first line of `--help`,
    /// whose last names the file that calls this (the example's header).
    #[track_caller]
    pub fn new(program: &'static str, about: &'static str) -> Args<'a> {
        Args {
            program,
            about,
            source: std::panic::Location::caller().file(),
            opts: Vec::new(),
        }
    }

    /// `--long N` (and `-s N` if `short`) sets `value`; what `value` holds
    /// now is the default.
    pub fn count<T: Count>(
        mut self,
        long: &'static str,
        short: Option<char>,
        help: &'static str,
        value: &'a mut T,
    ) -> Args<'a> {
        let default = value.to_string();
        let set = move |text: &str| match text.parse::<T>() {
            Ok(n) if n > T::default() => {
                *value = n;
                true
            }
            _ => false,
        };
        self.opts.push(Opt {
            long,
            short,
            help,
            shape: "N",
            expects: "a whole number above 0",
            default,
            set: Box::new(set),
        });
        self
    }

    /// `--long N,N,...` (and `-s N,N,...` if `short`) sets `values`, in
    /// the order given (repeats kept); what `values` holds now is the
    /// default. For an example that measures at several sizes (`--threads
    /// 1,8,64`): one run, every size.
    // Each example includes this file as its own module, and only some
    // take a list.
    #[allow(dead_code)]
    pub fn list<T: Count>(
        mut self,
        long: &'static str,
        short: Option<char>,
        help: &'static str,
        values: &'a mut Vec<T>,
    ) -> Args<'a> {
        let default = values
            .iter()
            .map(T::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let set = move |text: &str| {
            let parsed: Option<Vec<T>> = text
                .split(',')
                .map(|item| item.parse::<T>().ok().filter(|n| *n > T::default()))
                .collect();
            match parsed {
                Some(list) => {
                    *values = list;
                    true
                }
                None => false,
            }
        };
        self.opts.push(Opt {
            long,
            short,
            help,
            shape: "N,N,...",
            expects: "whole numbers above 0, separated by commas",
            default,
            set: Box::new(set),
        });
        self
    }

    /// Parses the process's arguments; on `--help` or a usage error it
    /// prints and exits, so the caller only ever sees good values.
    pub fn parse(mut self) {
        match self.try_parse(std::env::args().skip(1)) {
            Ok(()) => {}
            Err(Stop::Help) => {
                print!("{}: {}\n\n{}", self.program, self.about, self.usage());
                std::process::exit(0);
            }
            Err(Stop::Error(message)) => {
                eprint!("{}: error: {message}\n\n{}", self.program, self.usage());
                std::process::exit(2);
            }
        }
    }

    /// Sets the options given in `args` (`--long N`, `--long=N`, `-s N`).
    pub fn try_parse(&mut self, args: impl IntoIterator<Item = String>) -> Result<(), Stop> {
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "-h" || arg == "--help" {
                return Err(Stop::Help);
            }
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) if arg.starts_with("--") => (name, Some(value.to_owned())),
                _ => (arg.as_str(), None),
            };
            let Some(opt) = self.opts.iter_mut().find(|o| o.matches(name)) else {
                let what = if name.starts_with('-') {
                    "unknown option"
                } else {
                    "unexpected argument"
                };
                return Err(Stop::Error(format!("{what} `{name}`")));
            };
            let Some(value) = inline.or_else(|| args.next()) else {
                return Err(Stop::Error(format!("`{name}` needs a value")));
            };
            if !(opt.set)(&value) {
                return Err(Stop::Error(format!(
                    "`{name}` takes {}, not `{value}`",
                    opt.expects
                )));
            }
        }
        Ok(())
    }

    /// The usage: how to run the example, every option with its default.
    pub fn usage(&self) -> String {
        let mut rows: Vec<(String, String)> = self
            .opts
            .iter()
            .map(|o| {
                let flags = match o.short {
                    Some(s) => format!("-{s}, --{} <{}>", o.long, o.shape),
                    None => format!("    --{} <{}>", o.long, o.shape),
                };
                (flags, format!("{} [default: {}]", o.help, o.default))
            })
            .collect();
        rows.push(("-h, --help".into(), "print this help and exit".into()));
        let width = rows.iter().map(|(flags, _)| flags.len()).max().unwrap_or(0);
        let mut out = format!(
            "Usage: cargo run --release --example {} -- [OPTIONS]\n\nOptions:\n",
            self.program
        );
        for (flags, meaning) in rows {
            let _ = writeln!(out, "  {flags:<width$}  {meaning}");
        }
        let _ = writeln!(
            out,
            "\nWhat it shows and how to read its output: the comment at the top of {}",
            self.source
        );
        out
    }
}

impl Opt<'_> {
    fn matches(&self, name: &str) -> bool {
        let is_long = name.strip_prefix("--") == Some(self.long);
        let is_short = self.short.is_some_and(|short| {
            let rest = name.strip_prefix('-').unwrap_or_default();
            rest.chars().eq([short])
        });
        is_long || is_short
    }
}
