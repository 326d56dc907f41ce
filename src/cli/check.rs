//! `skillbridge stats`, `check` and `check --repair`: what the database
//! holds and whether it is sound.

use super::{open_existing, require_database, say};
use anyhow::Result;
use skillbridge::i18n::Lang;
use skillbridge::say::cli::{Line, cache_finding};
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
pub fn check(db: &Path, lang: Lang) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let report = store.check();
    for p in &report.problems {
        println!("{}", skillbridge::say::cli::check_problem(p, lang));
    }
    let caches = cache_findings(&store)?;
    for f in &caches {
        println!("{}", cache_finding(f, lang));
    }
    let path = store.path().to_path_buf();
    if report.problems.is_empty() && caches.is_empty() {
        say(
            Line::CheckOk {
                records: report.records,
                events: report.events,
                path,
            },
            lang,
        );
        Ok(ExitCode::SUCCESS)
    } else {
        say(
            Line::CheckProblems {
                count: report.problems.len() + caches.len(),
                path,
            },
            lang,
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Rebuild what can be rebuilt from the records (after a backup); exit 1
/// when something is left that repair cannot fix.
pub fn repair(db: &Path, lang: Lang) -> Result<ExitCode> {
    require_database(db)?;
    let report = skillbridge::store::repair::repair(db)?;
    print!("{}", skillbridge::say::cli::repair_report(&report, lang));
    // Derived files that are damaged or another database's go (the next
    // start rebuilds them).
    let store = skillbridge::store::Store::reopen(db)?;
    for f in cache_findings(&store)? {
        match std::fs::remove_file(&f.path) {
            Ok(()) => say(Line::CacheRemoved { path: f.path }, lang),
            Err(source) => say(Line::CacheNotRemoved { path: f.path, source }, lang),
        }
    }
    Ok(if report.remaining.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
