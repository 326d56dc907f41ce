//! `skillbridge report` and `skillbridge labor-force`, on the library's
//! report.

use super::args::ReportArgs;
use super::open_existing;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub use skillbridge::report::Format;

/// `skillbridge labor-force [N]`: show the setting of the database at
/// `db`, or store a new one.
pub fn labor_force(db: &Path, value: Option<&str>) -> Result<ExitCode> {
    let store = open_existing(db)?;
    println!("{}", skillbridge::report::labor_force(&store, value)?);
    Ok(ExitCode::SUCCESS)
}

/// Compute the figures of the database at `db` on its business date and write them.
/// `lang`: `--lang`, for the Markdown headings and names.
pub fn report(db: &Path, req: &ReportArgs, lang: Option<&str>) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let req = skillbridge::report::Request {
        format: req.format,
        out: req.out.as_deref(),
        labor_force: req.labor_force.as_deref(),
        lang,
    };
    skillbridge::report::run(store, &req)?;
    Ok(ExitCode::SUCCESS)
}
