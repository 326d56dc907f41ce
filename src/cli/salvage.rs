//! `skillbridge salvage FILE`: every record of a damaged database that
//! still reads, written to a backup file `restore` accepts, and what was
//! lost. Exit 0 when nothing was lost, 1 when something was (the file is
//! written either way).

use anyhow::Result;
use skillbridge::io::salvage;
use std::path::Path;
use std::process::ExitCode;

pub fn salvage(db: &Path, file: &Path) -> Result<ExitCode> {
    let report = salvage::salvage(db, file)?;
    for n in &report.notes {
        eprintln!("{n}");
    }
    for r in &report.repaired {
        eprintln!("repaired: {r}");
    }
    for l in &report.lost {
        eprintln!("lost: {l}");
    }
    println!(
        "salvaged {} into {}: {}",
        db.display(),
        report.summary.path.display(),
        report.summary.describe()
    );
    if report.complete() {
        println!(
            "nothing was lost; restore it with `skillbridge restore {} --db NEW_PATH`",
            file.display()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{} losses (listed above); restore what was saved with `skillbridge restore {} --db NEW_PATH`",
            report.lost.len(),
            file.display()
        );
        Ok(ExitCode::FAILURE)
    }
}
