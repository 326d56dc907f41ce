//! `skillbridge stats`, `check` and `check --repair`: what the database
//! holds and whether it is sound.

use super::{open_existing, require_database};
use anyhow::Result;
use skillbridge::stats;
use std::path::Path;
use std::process::ExitCode;

/// Print the database's figures, as text or one JSON object.
pub fn stats(db: &Path, json: bool) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let s = stats::compute(&store)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print!("{}", s.text());
    }
    Ok(ExitCode::SUCCESS)
}

/// Verify every index, counter, invariant and event chain; exit 1 on any problem.
pub fn check(db: &Path) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let report = store.check();
    for p in &report.problems {
        println!("{p}");
    }
    if report.problems.is_empty() {
        println!(
            "ok: {} records and {} events checked at {}, no problems",
            report.records,
            report.events,
            store.path().display()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problems at {}", report.problems.len(), store.path().display());
        Ok(ExitCode::FAILURE)
    }
}

/// Rebuild what can be rebuilt from the records (after a backup); exit 1
/// when something is left that repair cannot fix.
pub fn repair(db: &Path) -> Result<ExitCode> {
    require_database(db)?;
    let report = skillbridge::store::repair::repair(db)?;
    print!("{}", report.text());
    Ok(if report.remaining.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
