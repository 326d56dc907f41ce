//! A count of the work a process has done (records read, decoded, written;
//! rows checked), for a watchdog outside the loop: the command line's guard
//! takes a count that stops moving for a while as a hang (a damaged
//! database can send sled into an endless loop) and ends the command with a
//! message instead of letting it run on. Counting is one relaxed atomic
//! increment: cheap enough for every record.

use std::sync::atomic::{AtomicU64, Ordering};

static TICKS: AtomicU64 = AtomicU64::new(0);

/// One more unit of work done.
#[inline]
pub fn tick() {
    TICKS.fetch_add(1, Ordering::Relaxed);
}

/// The units of work done so far by this process.
pub fn ticks() -> u64 {
    TICKS.load(Ordering::Relaxed)
}
