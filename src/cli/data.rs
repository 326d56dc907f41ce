//! The import, export, backup and restore commands: thin wrappers that print
//! what `skillbridge::io` reports and turn it into exit codes.

use super::args::{ExportArgs, ImportArgs};
use super::open_existing;
use anyhow::{Context, Result};
use skillbridge::domain::Kind;
use skillbridge::i18n::Lang;
use skillbridge::io::export;
use skillbridge::io::{backup, import, progress};
use skillbridge::say::{self, Say};
use skillbridge::store::Store;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Import a spreadsheet into the database at `db` (made if there is none).
/// Exit 1 when a row is bad (and nothing was written), or when
/// `--skip-invalid` set every row aside so that nothing was written.
pub fn import(db: &Path, args: ImportArgs, lang: Lang) -> Result<ExitCode> {
    let ImportArgs {
        kind,
        file,
        dry_run,
        skip_invalid,
        update,
        clear_empty,
        sheet,
    } = args;
    if let Some(rejects) = &skip_invalid {
        import::check_rejects_path(&file, rejects)?;
    }
    let store = Store::open(db)?;
    let opts = import::Options {
        update,
        clear_empty,
        sheet,
        ..import::Options::default()
    };
    let plan = import::plan(&store, kind, &file, &opts).map_err(|e| anyhow::anyhow!(e.say(lang)))?;
    for n in &plan.notes {
        eprintln!("{}: {}", file.display(), n.say(lang));
    }
    let warning = if lang == Lang::Zh { "警告" } else { "warning" };
    for w in &plan.warnings {
        eprintln!("{warning}: {}", w.say(lang));
    }
    for m in say::plan_diffs(&plan, lang) {
        eprintln!("{m}");
    }
    for m in say::plan_rejects(&plan, lang) {
        eprintln!("{m}");
    }
    if dry_run {
        let report = import::dry_run(&plan);
        println!("{}", report.say(lang));
        return Ok(if report.rejected == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let total = plan.to_write();
    let bar = progress::bar(total, &format!("importing {kind}"));
    let opts = import::ApplyOptions {
        skip_invalid,
        batch: 0,
        reason: (lang == Lang::Zh).then_some(say::reject_detail_zh as fn(&import::Reject) -> String),
    };
    let report = import::apply(&store, plan, &opts, &mut |done, _| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = report.map_err(|e| anyhow::anyhow!(e.say(lang)))?;
    println!("{}", report.say(lang));
    if report.rejected > 0 && report.writes_nothing() {
        let held = report.held > 0;
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "skillbridge：未写入任何记录：{} 行中有 {} 行有误{}",
                    report.rows,
                    report.rejected,
                    if held {
                        "，其余的行会修改已有记录（加 --update 才写入）"
                    } else {
                        ""
                    }
                ),
                Lang::En => format!(
                    "skillbridge: nothing was written: {} of {} rows were rejected{}",
                    report.rejected,
                    report.rows,
                    if held {
                        " and the rest change stored records (pass --update to write them)"
                    } else {
                        ""
                    }
                ),
            }
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Export one kind (or `all` into a directory) from the database at `db`.
pub fn export(db: &Path, args: ExportArgs) -> Result<ExitCode> {
    let ExportArgs {
        kind,
        format,
        encoding,
        template,
        out,
        force: _,
    } = args;
    let opts = export::Options {
        format,
        encoding,
        template,
    };
    if kind == "all" {
        let dir = out.context("`export all` writes one file per kind: give the directory with --out DIR")?;
        let store = open_existing(db)?;
        for (kind, path, n) in export::all_to_dir(&store, &opts, &dir)? {
            eprintln!("{n} {kind} written to {}", path.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let kind: Kind = kind.parse().map_err(|e| anyhow::anyhow!("{e}, or all"))?;
    if !kind.importable() {
        anyhow::bail!(
            "{kind} are not exported as a spreadsheet (they travel in backups): expected institutions, enterprises, demands, classes or trainees"
        );
    }
    if template {
        // A template needs no database.
        let bytes = export::template(kind, &opts)?;
        match out {
            Some(path) => {
                export::write_file(&path, &bytes)?;
                eprintln!("an empty {kind} file (the header row) written to {}", path.display());
            }
            None => {
                let mut lock = std::io::stdout().lock();
                lock.write_all(&bytes)?;
                lock.flush()?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let store = open_existing(db)?;
    match out {
        Some(path) => {
            let n = export::to_path(&store, kind, &opts, &path)?;
            eprintln!("{n} {kind} written to {}", path.display());
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            export::write(&store, kind, &opts, &mut lock)?;
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
