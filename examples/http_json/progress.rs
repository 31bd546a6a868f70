//! A progress bar for the timed rounds.

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

/// A progress bar on stderr until `stop`.
pub fn progress(
    done: Arc<AtomicUsize>,
    total: usize,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut err = std::io::stderr();
        loop {
            let finished = stop.load(Relaxed);
            let d = done.load(Relaxed).min(total);
            let filled = d * 40 / total.max(1);
            // No allocation here: the counts of the run must be the server's.
            let mut bar = [b'.'; 40];
            bar[..filled].fill(b'#');
            let _ = err.write_all(b"\r[");
            let _ = err.write_all(&bar);
            let _ = write!(err, "] {d}/{total} requests");
            if finished {
                let _ = writeln!(err);
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    })
}
