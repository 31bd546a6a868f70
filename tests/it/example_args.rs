//! The examples' command-line parser (`examples/common/args.rs`): what it
//! accepts, and the one-line error it gives for what it does not. The
//! examples themselves are only built by `cargo test`, never run, so their
//! shared parser is tested here.

// `Args::parse` exits the process, so these tests call `try_parse` only.
#[allow(dead_code)]
#[path = "../../examples/common/args.rs"]
mod args;

use args::{Args, Stop};

fn run(argv: &[&str]) -> (Result<(), Stop>, u64, usize) {
    let (mut calls, mut small) = (1_000_u64, 10_usize);
    let mut parser = Args::new("demo", "what it shows")
        .count("calls", Some('n'), "calls made", &mut calls)
        .count("small", None, "small requests", &mut small);
    let result = parser.try_parse(argv.iter().map(|a| a.to_string()));
    drop(parser);
    (result, calls, small)
}

fn error(argv: &[&str]) -> String {
    match run(argv).0 {
        Err(Stop::Error(message)) => message,
        other => panic!("{argv:?}: expected a usage error, got {other:?}"),
    }
}

#[test]
fn no_arguments_keep_the_defaults() {
    assert_eq!(run(&[]), (Ok(()), 1_000, 10));
}

#[test]
fn long_short_and_inline_values_set_the_option() {
    assert_eq!(run(&["--calls", "5", "--small", "7"]), (Ok(()), 5, 7));
    assert_eq!(run(&["-n", "6"]), (Ok(()), 6, 10));
    assert_eq!(run(&["--calls=8"]), (Ok(()), 8, 10));
}

#[test]
fn help_stops_parsing_wherever_it_stands() {
    assert_eq!(run(&["--help"]).0, Err(Stop::Help));
    assert_eq!(run(&["--calls", "5", "-h"]).0, Err(Stop::Help));
}

#[test]
fn each_mistake_is_named() {
    assert_eq!(error(&["--cals", "5"]), "unknown option `--cals`");
    assert_eq!(error(&["-s", "5"]), "unknown option `-s`");
    assert_eq!(error(&["5"]), "unexpected argument `5`");
    assert_eq!(error(&["--calls"]), "`--calls` needs a value");
    for bad in ["0", "-3", "many", "1.5", ""] {
        assert_eq!(
            error(&["--calls", bad]),
            format!("`--calls` takes a whole number above 0, not `{bad}`")
        );
    }
}

#[test]
fn the_usage_lists_every_option_with_its_default() {
    let (mut calls, mut small) = (1_000_u64, 10_usize);
    let usage = Args::new("demo", "what it shows")
        .count("calls", Some('n'), "calls made", &mut calls)
        .count("small", None, "small requests", &mut small)
        .usage();
    assert_eq!(
        usage,
        "Usage: cargo run --release --example demo -- [OPTIONS]\n\
         \n\
         Options:\n\
         \x20 -n, --calls <N>  calls made [default: 1000]\n\
         \x20     --small <N>  small requests [default: 10]\n\
         \x20 -h, --help       print this help and exit\n\
         \n\
         What it shows and how to read its output: the comment at the top of "
            .to_owned()
            + file!()
            + "\n"
    );
}

fn run_list(argv: &[&str]) -> (Result<(), Stop>, Vec<usize>) {
    let mut threads = vec![1_usize, 2, 8];
    let mut parser = Args::new("demo", "what it shows").list(
        "threads",
        Some('t'),
        "thread counts",
        &mut threads,
    );
    let result = parser.try_parse(argv.iter().map(|a| a.to_string()));
    drop(parser);
    (result, threads)
}

#[test]
fn a_list_takes_comma_separated_counts_in_the_order_given() {
    assert_eq!(run_list(&[]), (Ok(()), vec![1, 2, 8]));
    assert_eq!(run_list(&["--threads", "64,1,8"]), (Ok(()), vec![64, 1, 8]));
    assert_eq!(run_list(&["-t", "5"]), (Ok(()), vec![5]));
    assert_eq!(run_list(&["--threads=3,3"]), (Ok(()), vec![3, 3]));
}

#[test]
fn a_list_with_one_bad_item_is_refused_whole() {
    for bad in ["1,0", "1,,2", "8,", "x", "-1", ""] {
        match run_list(&["--threads", bad]) {
            (Err(Stop::Error(message)), threads) => {
                assert_eq!(
                    message,
                    format!(
                        "`--threads` takes whole numbers above 0, separated by commas, not `{bad}`"
                    )
                );
                assert_eq!(threads, vec![1, 2, 8], "{bad:?} changed the default");
            }
            other => panic!("{bad:?}: expected a usage error, got {other:?}"),
        }
    }
}

#[test]
fn the_usage_shows_a_list_and_its_default() {
    let mut threads = vec![1_usize, 2, 8];
    let usage = Args::new("demo", "what it shows")
        .list("threads", None, "thread counts", &mut threads)
        .usage();
    assert!(
        usage.contains("    --threads <N,N,...>  thread counts [default: 1,2,8]\n"),
        "{usage}"
    );
}
