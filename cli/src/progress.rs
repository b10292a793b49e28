//! Progress with an ETA on stderr for long jobs, only when stderr is a terminal (so logs
//! and pipes stay clean).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Counts work done out of a known total and redraws one status line now and then.
pub(crate) struct Progress {
    what: &'static str,
    total: u64,
    done: u64,
    start: Instant,
    last: Option<Instant>,
    enabled: bool,
}

/// Redraws at most this often.
const EVERY: Duration = Duration::from_millis(250);
/// Jobs shorter than this show nothing.
const QUIET_FOR: Duration = Duration::from_secs(1);

fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

impl Progress {
    /// A progress line for `total` units of `what` (e.g. "records").
    pub(crate) fn new(what: &'static str, total: u64) -> Self {
        Progress {
            what,
            total,
            done: 0,
            start: Instant::now(),
            last: None,
            enabled: std::io::stderr().is_terminal() && total > 0,
        }
    }

    /// Adds `n` units done; redraws when due.
    pub(crate) fn add(&mut self, n: u64) {
        self.done += n;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        let elapsed = now - self.start;
        if elapsed < QUIET_FOR || self.last.is_some_and(|l| now - l < EVERY) {
            return;
        }
        self.last = Some(now);
        let fraction = self.done as f64 / self.total as f64;
        let eta = if fraction > 0.0 {
            clock(elapsed.mul_f64((1.0 - fraction) / fraction))
        } else {
            "?".into()
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{}/{} {} ({:.0}%), elapsed {}, ETA {}   ",
            self.done,
            self.total,
            self.what,
            100.0 * fraction,
            clock(elapsed),
            eta
        );
        let _ = err.flush();
    }

    /// Clears the status line.
    pub(crate) fn finish(&self) {
        if self.enabled && self.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{:70}\r", "");
            let _ = err.flush();
        }
    }
}
