//! The real binary end to end: in tmux (the workspace, the dashboard, the
//! kiosk), over SSH, and killed mid-write (crash). Kept apart from the
//! in-process tests so their terminals and processes do not compete with
//! the hundreds of quick tests for the two cores.

#[path = "../common/mod.rs"]
mod common;

mod aftercare;
mod classwork;
mod crash;
mod dashboard;
mod kiosk;
mod notes;
mod ssh;
mod ssh_attacks;
mod subsidy;
mod wishes;
mod workspace;
