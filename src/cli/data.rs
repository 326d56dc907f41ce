//! The import, export, backup and restore commands: thin wrappers that print
//! what `skillbridge::io` reports and turn it into exit codes.

use super::args::{ExportArgs, ImportArgs, ImportWhat};
use super::open_existing;
use anyhow::Result;
use skillbridge::domain::Kind;
use skillbridge::domain::RecordRef;
use skillbridge::i18n::Lang;
use skillbridge::io::export;
use skillbridge::io::{backup, import, progress};
use skillbridge::say::cli::{CliError, Line, ResultsOutcome};
use skillbridge::say::{self, Say};
use skillbridge::service::{Actor, Service};
use skillbridge::store::Store;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Import a spreadsheet into the database at `db` (made if there is none).
/// Exit 1 when a row is bad (and nothing was written), or when
/// `--skip-invalid` set every row aside so that nothing was written.
pub fn import(db: &Path, args: ImportArgs, by: &Actor, lang: Lang) -> Result<ExitCode> {
    if let Some(rejects) = &args.skip_invalid {
        import::check_rejects_path(&args.file, rejects)?;
    }
    let kind = match args.kind {
        ImportWhat::Results => return results(db, args, by, lang),
        ImportWhat::Standards => return super::subsidy::import_standards(db, &args.file, by, lang),
        ImportWhat::Records(k) => k,
        ImportWhat::Catalog { occupations } => return super::pack::import(db, &args.file, occupations, by, lang),
    };
    let ImportArgs {
        file,
        dry_run,
        skip_invalid,
        update,
        clear_empty,
        sheet,
        class,
        ..
    } = args;
    if class.is_some() {
        return Err(CliError::ClassNeedsResults.into());
    }
    let store = Store::open(db)?;
    let opts = import::Options {
        update,
        clear_empty,
        sheet,
        ..import::Options::default()
    };
    let plan = import::plan(&store, kind, &file, &opts)?;
    let sep = if lang == Lang::Zh { "：" } else { ": " };
    for n in &plan.notes {
        eprintln!("{}{sep}{}", file.display(), n.say(lang));
    }
    for w in &plan.warnings {
        super::tell(Line::Warning { text: w.say(lang) }, lang);
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
    let bar = progress::bar(total, &Line::Importing { kind }.say(lang));
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
    let report = report?;
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

/// `skillbridge import results`: an evaluation agency's sheet, each row
/// moving its person's case awaiting evaluation to a pass or a fail, in
/// one transaction; with `--skip-invalid` the good rows are written and the
/// rest set aside, else one bad row writes nothing.
fn results(db: &Path, args: ImportArgs, by: &Actor, lang: Lang) -> Result<ExitCode> {
    let ImportArgs {
        file,
        dry_run,
        skip_invalid,
        sheet,
        class,
        ..
    } = args;
    let (file, skip_invalid) = (file.as_path(), skip_invalid.as_deref());
    let class = match class.as_deref().map(|c| (c, RecordRef::parse(c))) {
        None => None,
        Some((_, Some(RecordRef::Class(c)))) => Some(c),
        Some((c, _)) => return Err(CliError::BadClass { value: c.to_string() }.into()),
    };
    let store = open_existing(db)?;
    let svc = Service::open(store)?;
    let read = skillbridge::io::table::ReadOptions {
        sheet,
        ..Default::default()
    };
    let plan = svc.results_plan(by, file, class, &read)?;
    for w in &plan.sheet.warnings {
        super::tell(Line::Warning { text: w.say(lang) }, lang);
    }
    for r in &plan.rejects {
        for m in say::reject_lines(r, plan.path(), lang) {
            eprintln!("{m}");
        }
    }
    let (passes, fails) = plan.passes_and_fails();
    let rows = plan.steps.len() + plan.rejects.len();
    let said = |outcome| Line::Results {
        file: file.to_path_buf(),
        rows,
        passes,
        fails,
        rejected: plan.rejects.len(),
        outcome,
    };
    if dry_run {
        super::say(said(ResultsOutcome::DryRun), lang);
        return Ok(if plan.rejects.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    if !plan.rejects.is_empty() {
        match skip_invalid {
            None => {
                return Err(CliError::ResultsInvalid {
                    file: file.to_path_buf(),
                    rejected: plan.rejects.len(),
                    rows,
                }
                .into());
            }
            Some(to) => {
                plan.sheet.write_rejects(&plan.rejects, to)?;
                super::tell(Line::RejectsAt { path: to.to_path_buf() }, lang);
            }
        }
    }
    if plan.steps.is_empty() {
        super::say(said(ResultsOutcome::Summary), lang);
        super::tell(Line::NothingWritten, lang);
        return Ok(ExitCode::FAILURE);
    }
    let moved = svc.results_apply(by, &plan)?;
    svc.flush()?;
    super::say(said(ResultsOutcome::Moved(moved.len())), lang);
    Ok(ExitCode::SUCCESS)
}

/// `skillbridge export`: one kind (or `all` into a directory) from the
/// database at `db`; the exit code, and how many records went out (none
/// said for `all` and templates).
pub fn export(db: &Path, args: ExportArgs, lang: Lang) -> Result<(ExitCode, Option<u64>)> {
    let ExportArgs {
        kind,
        format,
        encoding,
        template,
        out,
        force: _,
        query,
        filter,
        sort,
        class,
    } = args;
    let listed = query.is_some() || !filter.is_empty() || sort.is_some() || class.is_some();
    let opts = export::Options {
        title: None,
        format,
        encoding,
        template,
    };
    if kind == "all" {
        let dir = out.ok_or(CliError::AllNeedsOut)?;
        let store = open_existing(db)?;
        for (kind, path, count) in export::all_to_dir(&store, &opts, &dir)? {
            super::tell(Line::Exported { count, kind, path }, lang);
        }
        return Ok((ExitCode::SUCCESS, None));
    }
    let kind = Kind::parse_any(&kind).map_err(|_| CliError::UnknownExportKind { value: kind.clone() })?;
    if template {
        if listed {
            return Err(CliError::TemplateListed.into());
        }
        // Cases go out as a list, never in: there is no file to fill in for them.
        if !kind.importable() {
            return Err(CliError::TemplateNotImportable { kind }.into());
        }
        // A template needs no database.
        emit(
            &export::template(kind, &opts)?,
            out.as_deref(),
            |path| Line::TemplateWritten { kind, path },
            lang,
        )?;
        return Ok((ExitCode::SUCCESS, None));
    }
    let store = open_existing(db)?;
    if !listed && out.is_some() {
        // A whole kind into a file: written as it is read, whole or not at all.
        let path = out.unwrap_or_default();
        let n = export::to_path(&store, kind, &opts, &path)?;
        super::tell(
            Line::Exported {
                count: n,
                kind,
                path: path.clone(),
            },
            lang,
        );
        return Ok((ExitCode::SUCCESS, Some(n as u64)));
    }
    let mut bytes = Vec::new();
    let n = if listed {
        let (ids, title) = super::listed::ids(
            &store,
            kind,
            query.as_deref(),
            &filter,
            sort.as_deref(),
            class.as_deref(),
        )?;
        let opts = export::Options { title, ..opts };
        export::write_ids(&store, kind, &ids, &opts, &mut bytes)?
    } else {
        export::write(&store, kind, &opts, &mut bytes)?
    };
    emit(
        &bytes,
        out.as_deref(),
        |path| Line::Exported { count: n, kind, path },
        lang,
    )?;
    Ok((ExitCode::SUCCESS, Some(n as u64)))
}

/// An export's bytes to `out` (whole or not at all, then said on stderr)
/// or to standard output.
fn emit(bytes: &[u8], out: Option<&Path>, what: impl FnOnce(std::path::PathBuf) -> Line, lang: Lang) -> Result<()> {
    match out {
        Some(path) => {
            export::write_file(path, bytes)?;
            super::tell(what(path.to_path_buf()), lang);
        }
        None => {
            let mut lock = std::io::stdout().lock();
            lock.write_all(bytes)?;
            lock.flush()?;
        }
    }
    Ok(())
}

/// Back up the database at `db` to `file`.
pub fn backup(db: &Path, file: &Path, lang: Lang) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let summary = backup::backup(&store, file)?;
    super::say(
        Line::BackedUp {
            db: store.path().to_path_buf(),
            file: summary.path,
            counts: summary.counts,
        },
        lang,
    );
    Ok(ExitCode::SUCCESS)
}

/// Restore `file` into a new database at `target`.
pub fn restore(file: &Path, target: &Path, lang: Lang) -> Result<ExitCode> {
    let summary = backup::restore(file, target)?;
    super::say(
        Line::Restored {
            file: file.to_path_buf(),
            db: summary.path,
            counts: summary.counts,
        },
        lang,
    );
    Ok(ExitCode::SUCCESS)
}
