//! The import, export, backup and restore commands: thin wrappers that print
//! what `skillbridge::io` reports and turn it into exit codes.

use super::args::{ExportArgs, ImportArgs, ImportWhat};
use super::open_existing;
use anyhow::{Context, Result};
use skillbridge::domain::Kind;
use skillbridge::domain::RecordRef;
use skillbridge::i18n::Lang;
use skillbridge::io::export;
use skillbridge::io::{backup, import, progress};
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
        anyhow::bail!("--class picks the cases of a results sheet: use it with `import results`");
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
        Some((c, _)) => anyhow::bail!("--class '{c}': expected a class's code such as C451"),
    };
    let store = open_existing(db)?;
    let svc = Service::open(store)?;
    let read = skillbridge::io::table::ReadOptions {
        sheet,
        ..Default::default()
    };
    let plan = svc.results_plan(by, file, class, &read)?;
    for w in &plan.sheet.warnings {
        eprintln!("warning: {w}");
    }
    for r in &plan.rejects {
        for m in say::reject_lines(r, plan.path(), lang) {
            eprintln!("{m}");
        }
    }
    let (passes, fails) = plan.passes_and_fails();
    let rows = plan.steps.len() + plan.rejects.len();
    let said = format!(
        "{}: {rows} rows of results: {passes} pass, {fails} fail, {} rejected",
        file.display(),
        plan.rejects.len()
    );
    if dry_run {
        println!("{said} (dry run: nothing written)");
        return Ok(if plan.rejects.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    if !plan.rejects.is_empty() {
        match skip_invalid {
            None => anyhow::bail!(
                "{}: {} of {rows} rows are invalid, so nothing was written. Fix them and import again, or pass --skip-invalid REJECTS.csv to write the good rows and set the bad ones aside",
                file.display(),
                plan.rejects.len()
            ),
            Some(to) => {
                plan.sheet.write_rejects(&plan.rejects, to)?;
                eprintln!("rejected rows are in {}", to.display());
            }
        }
    }
    if plan.steps.is_empty() {
        println!("{said}");
        eprintln!("skillbridge: nothing was written: every row was rejected");
        return Ok(ExitCode::FAILURE);
    }
    let moved = svc.results_apply(by, &plan)?;
    svc.flush()?;
    println!("{said}; {} cases moved", moved.len());
    Ok(ExitCode::SUCCESS)
}

/// `skillbridge export`: one kind (or `all` into a directory) from the
/// database at `db`; the exit code, and how many records went out (none
/// said for `all` and templates).
pub fn export(db: &Path, args: ExportArgs) -> Result<(ExitCode, Option<u64>)> {
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
        let dir = out.context("`export all` writes one file per kind: give the directory with --out DIR")?;
        let store = open_existing(db)?;
        for (kind, path, n) in export::all_to_dir(&store, &opts, &dir)? {
            eprintln!("{n} {kind} written to {}", path.display());
        }
        return Ok((ExitCode::SUCCESS, None));
    }
    let kind = Kind::parse_any(&kind).map_err(|e| anyhow::anyhow!("{e}, cases, or all"))?;
    if template {
        if listed {
            anyhow::bail!("--template writes an empty file: it takes no --query, --filter, --sort or --class");
        }
        // Cases go out as a list, never in: there is no file to fill in for them.
        if !kind.importable() {
            anyhow::bail!(
                "{kind} are made by enrolling, not imported: a template is for institutions, enterprises, demands, classes or trainees"
            );
        }
        // A template needs no database.
        emit(
            &export::template(kind, &opts)?,
            out.as_deref(),
            &format!("an empty {kind} file (the header row)"),
        )?;
        return Ok((ExitCode::SUCCESS, None));
    }
    let store = open_existing(db)?;
    if !listed && out.is_some() {
        // A whole kind into a file: written as it is read, whole or not at all.
        let path = out.unwrap_or_default();
        let n = export::to_path(&store, kind, &opts, &path)?;
        eprintln!("{n} {kind} written to {}", path.display());
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
    emit(&bytes, out.as_deref(), &format!("{n} {kind}"))?;
    Ok((ExitCode::SUCCESS, Some(n as u64)))
}

/// An export's bytes to `out` (whole or not at all, then said on stderr)
/// or to standard output.
fn emit(bytes: &[u8], out: Option<&Path>, what: &str) -> Result<()> {
    match out {
        Some(path) => {
            export::write_file(path, bytes)?;
            eprintln!("{what} written to {}", path.display());
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
