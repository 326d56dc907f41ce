//! A progress bar on stderr for long imports, only when stderr is a
//! terminal (never in a pipe, a log or a test).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// A bar over `total` items, or `None` when stderr is not a terminal or the
/// job is too small to need one.
pub fn bar(total: usize, what: &str) -> Option<ProgressBar> {
    if total < 5_000 || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = ProgressBar::new(total as u64);
    let style = ProgressStyle::with_template("{msg} [{bar:40}] {human_pos}/{human_len} ({eta} left)")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    pb.set_style(style);
    pb.set_message(what.to_string());
    Some(pb)
}
