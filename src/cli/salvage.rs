//! `skillbridge salvage FILE`: every record of a damaged database that
//! still reads, written to a backup file `restore` accepts, and what was
//! lost. Exit 0 when nothing was lost, 1 when something was (the file is
//! written either way).

use super::{say, tell};
use anyhow::Result;
use skillbridge::i18n::Lang;
use skillbridge::io::salvage;
use skillbridge::say::cli::Line;
use std::path::Path;
use std::process::ExitCode;

pub fn salvage(db: &Path, file: &Path, lang: Lang) -> Result<ExitCode> {
    let report = salvage::salvage(db, file)?;
    for n in &report.notes {
        tell(Line::SalvageNote { text: n.clone() }, lang);
    }
    for r in &report.repaired {
        tell(Line::SalvageRepaired { text: r.clone() }, lang);
    }
    for l in &report.lost {
        tell(Line::SalvageLost { text: l.clone() }, lang);
    }
    say(
        Line::Salvaged {
            db: db.to_path_buf(),
            file: report.summary.path.clone(),
            counts: report.summary.counts.clone(),
        },
        lang,
    );
    let file = file.to_path_buf();
    if report.complete() {
        say(Line::SalvageComplete { file }, lang);
        Ok(ExitCode::SUCCESS)
    } else {
        say(
            Line::SalvageLosses {
                count: report.lost.len(),
                file,
            },
            lang,
        );
        Ok(ExitCode::FAILURE)
    }
}
