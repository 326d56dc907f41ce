//! `skillbridge salvage FILE`: every record of a damaged database that
//! still reads, written to a backup file `restore` accepts.

use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn salvage(_db: &Path, _file: &Path) -> Result<ExitCode> {
    anyhow::bail!("salvage is not built yet")
}
