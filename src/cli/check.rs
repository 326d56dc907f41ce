//! `skillbridge stats`, `check` and `check --repair`: what the database
//! holds and whether it is sound.

use super::{open_existing, require_database};
use anyhow::Result;
use skillbridge::service::cache;
use skillbridge::stats;
use std::path::Path;
use std::process::ExitCode;

/// Print the database's figures, as text or one JSON object.
pub fn stats(db: &Path, json: bool, lang: skillbridge::i18n::Lang) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let s = stats::compute(&store)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else if lang == skillbridge::i18n::Lang::Zh {
        print!("{}", s.text_zh());
    } else {
        print!("{}", s.text());
    }
    Ok(ExitCode::SUCCESS)
}

/// The derived files under `search-cache/` that are damaged or were made
/// from another database (see `service::cache::verify`).
fn cache_findings(store: &skillbridge::store::Store) -> Result<Vec<cache::Finding>> {
    Ok(cache::verify(store.path(), &store.database_id()?, store.generation()?))
}

/// Verify every index, counter, invariant and event chain, and the derived
/// files' checksums and owner; exit 1 on any problem.
pub fn check(db: &Path) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let report = store.check();
    for p in &report.problems {
        println!("{p}");
    }
    let caches = cache_findings(&store)?;
    for f in &caches {
        println!("{f}");
    }
    if report.problems.is_empty() && caches.is_empty() {
        println!(
            "ok: {} records and {} events checked at {}, no problems",
            report.records,
            report.events,
            store.path().display()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{} problems at {}",
            report.problems.len() + caches.len(),
            store.path().display()
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Rebuild what can be rebuilt from the records (after a backup); exit 1
/// when something is left that repair cannot fix.
pub fn repair(db: &Path) -> Result<ExitCode> {
    require_database(db)?;
    let report = skillbridge::store::repair::repair(db)?;
    print!("{}", report.text());
    // Derived files that are damaged or another database's go (the next
    // start rebuilds them).
    let store = skillbridge::store::Store::reopen(db)?;
    for f in cache_findings(&store)? {
        match std::fs::remove_file(&f.path) {
            Ok(()) => println!("removed {}: {:?}", f.path.display(), f.standing),
            Err(e) => println!("cannot remove {}: {e}", f.path.display()),
        }
    }
    Ok(if report.remaining.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
