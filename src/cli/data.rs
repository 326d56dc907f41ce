//! The import, export, backup and restore commands: thin wrappers that print
//! what `skillbridge::io` reports and turn it into exit codes.

use super::args::ImportArgs;
use super::open_existing;
use anyhow::{Context, Result};
use skillbridge::domain::Kind;
use skillbridge::io::export::{self, Format};
use skillbridge::io::{backup, import, progress};
use skillbridge::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Import a spreadsheet into the database at `db` (made if there is none).
pub fn import(db: &Path, args: ImportArgs) -> Result<ExitCode> {
    let ImportArgs {
        kind,
        file,
        dry_run,
        skip_invalid,
    } = args;
    let store = Store::open(db)?;
    let plan = import::plan(&store, kind, &file, &import::Options::default())?;
    for n in &plan.notes {
        eprintln!("{}: {n}", file.display());
    }
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
    for m in plan.reject_messages() {
        eprintln!("{m}");
    }
    if dry_run {
        let report = import::dry_run(&plan);
        println!("{report}");
        return Ok(if report.rejected == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let total = plan.added + plan.updated;
    let bar = progress::bar(total, &format!("importing {kind}"));
    let opts = import::ApplyOptions { skip_invalid, batch: 0 };
    let report = import::apply(&store, plan, &opts, &mut |done, _| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    println!("{}", report?);
    Ok(ExitCode::SUCCESS)
}

/// Export one kind (or `all` into a directory) from the database at `db`.
pub fn export(db: &Path, kind: &str, format: Format, out: Option<PathBuf>) -> Result<ExitCode> {
    let store = open_existing(db)?;
    if kind == "all" {
        let dir = out.context("`export all` writes one file per kind: give the directory with --out DIR")?;
        for (kind, path, n) in export::all_to_dir(&store, format, &dir)? {
            eprintln!("{n} {kind} written to {}", path.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let kind: Kind = kind.parse().map_err(|e| anyhow::anyhow!("{e}, or all"))?;
    match out {
        Some(path) => {
            let n = export::to_path(&store, kind, format, &path)?;
            eprintln!("{n} {kind} written to {}", path.display());
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            export::write(&store, kind, format, &mut lock)?;
            lock.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Back up the database at `db` to `file`.
pub fn backup(db: &Path, file: &Path) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let summary = backup::backup(&store, file)?;
    println!(
        "backup of {} written to {}: {}",
        store.path().display(),
        summary.path.display(),
        summary.describe()
    );
    Ok(ExitCode::SUCCESS)
}

/// Restore `file` into a new database at `target`.
pub fn restore(file: &Path, target: &Path) -> Result<ExitCode> {
    let summary = backup::restore(file, target)?;
    println!(
        "restored {} into {}: {}; check found no problems",
        file.display(),
        summary.path.display(),
        summary.describe()
    );
    Ok(ExitCode::SUCCESS)
}
