//! The hidden `skillbridge torture` command: the crash-test workload.

use super::args::TortureArgs;
use anyhow::Context;
use skillbridge::torture;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// `skillbridge torture`: never on the operators' default database, which
/// it would fill with test data.
pub fn command(db: Option<PathBuf>, args: TortureArgs) -> anyhow::Result<ExitCode> {
    let db = db.context("torture writes test data and needs an explicit --db PATH (never the default database)")?;
    let s = torture::run(&torture::Options {
        db,
        ack_log: args.ack_log,
        seed: args.seed,
        threads: args.threads,
        max_acks: args.max_acks,
        max_time: args.max_seconds.map(Duration::from_secs),
    })?;
    eprintln!("torture: {} writes acknowledged, {} refused", s.acks, s.refused);
    Ok(ExitCode::SUCCESS)
}
