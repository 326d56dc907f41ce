//! Who a local command acts for, and the access records of local commands.
//!
//! The local workspace and the local commands run as the account that owns
//! the database files, so by default they act as `admin` (whoever can run
//! them can read the files anyway). An access file (`$SKILLBRIDGE_ACCESS`,
//! else `<config dir>/access`) narrows that for a desk whose account is
//! shared: one line of the words an authorized key's comment takes after
//! the name, e.g. `role=operator districts=321181`. A file that cannot be
//! read or parsed stops the command: a role is never guessed or widened.

use super::Globals;
use anyhow::Result;
use skillbridge::paths;
use skillbridge::say::cli::CliError;
use skillbridge::service::access::{AccessEvent, AccessKind, Action, Actor, Role, parse_settings};
use skillbridge::store::Store;
use std::path::Path;

/// The operator's name: `--operator`, else `$USER`, else "operator".
pub fn operator_name(g: &Globals) -> String {
    g.operator
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "operator".into())
}

/// Who local commands act for (see the module's note).
pub fn local_actor(g: &Globals) -> Result<Actor> {
    let name = operator_name(g);
    let path = paths::access_file();
    let text = match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Actor::admin(&name)),
        Err(source) => return Err(CliError::AccessFileUnreadable { path, source }.into()),
        Ok(t) => t,
    };
    parse_access(&text, &name, &path)
}

/// The access file's one line of settings for `name`.
pub fn parse_access(text: &str, name: &str, path: &Path) -> Result<Actor> {
    let mut found: Option<(usize, Actor)> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_matches([' ', '\t', '\r']);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let n = i + 1;
        let path = path.to_path_buf();
        if let Some((first, _)) = &found {
            return Err(CliError::AccessSecondLine {
                path,
                line: n,
                first: *first,
            }
            .into());
        }
        let words: Vec<&str> = line.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
        let actor = parse_settings(&words, Some(name), Role::Operator).map_err(|source| CliError::AccessSetting {
            path: path.clone(),
            line: n,
            source,
        })?;
        if actor.role == Role::Kiosk {
            return Err(CliError::AccessKiosk { path, line: n }.into());
        }
        found = Some((n, actor));
    }
    found.map(|(_, a)| a).ok_or_else(|| {
        CliError::AccessEmpty {
            path: path.to_path_buf(),
        }
        .into()
    })
}

/// Refuse a local command the local role may not run.
pub fn require(g: &Globals, action: Action) -> Result<Actor> {
    let actor = local_actor(g)?;
    actor.may(action)?;
    Ok(actor)
}

/// Record what a local command did with every person's data (a backup,
/// an export of trainees), in the database at `db` (opened again: the
/// command has closed it).
pub fn record(db: &Path, by: &Actor, what: AccessKind, detail: &str) -> Result<()> {
    record_people(db, by, what, trainees(db), detail)
}

/// Record what a local command did with `people` people's data.
pub fn record_people(db: &Path, by: &Actor, what: AccessKind, people: u64, detail: &str) -> Result<()> {
    let store = Store::reopen(db)?;
    store.record_access(&AccessEvent {
        at: chrono::Utc::now().timestamp(),
        operator: by.name.clone(),
        role: by.role.name().to_string(),
        what,
        people,
        detail: detail.to_string(),
    })?;
    Ok(())
}

/// How many trainees the database at `db` holds now (0 when it cannot be read).
fn trainees(db: &Path) -> u64 {
    Store::reopen(db)
        .map(|s| s.count::<skillbridge::domain::Trainee>() as u64)
        .unwrap_or(0)
}

/// `skillbridge import`, for a role that may import; an import of
/// trainees is recorded with the people it added.
pub fn import(g: &Globals, args: super::args::ImportArgs) -> Result<std::process::ExitCode> {
    if let super::args::ImportWhat::Catalog { occupations } = args.kind {
        // Reference data: the reference-data right; the change is audited with it.
        let by = require(g, Action::ReferenceData)?;
        return super::pack::import(&g.db_path(), &args.file, occupations, &by, g.cli_lang()?);
    }
    let by = require(g, Action::Import)?;
    let db = g.db_path();
    if args.kind == super::args::ImportWhat::Results {
        // Results move cases: the service checks the role and records it.
        return super::data::import(&g.db_path(), args, &by, g.cli_lang()?);
    }
    let personal = args.kind == super::args::ImportWhat::Records(skillbridge::domain::Kind::Trainees) && !args.dry_run;
    let file = args.file.clone();
    let before = if personal && db.exists() { trainees(&db) } else { 0 };
    let code = super::data::import(&db, args, &by, g.cli_lang()?)?;
    if personal {
        let added = trainees(&db).saturating_sub(before);
        record_people(
            &db,
            &by,
            AccessKind::Import,
            added,
            &format!(
                "trainees from {} ({added} new people; changed ones not counted)",
                file.display()
            ),
        )?;
    }
    Ok(code)
}

/// `skillbridge export`, for a role that may export the kind (trainees:
/// admin); `--out` is never a link or a device, nor an existing file
/// without `--force`. An export of personal data is recorded.
pub fn export(g: &Globals, args: super::args::ExportArgs) -> Result<std::process::ExitCode> {
    let kind = args.kind.clone();
    // A template holds nobody's data.
    let personal = matches!(kind.as_str(), "trainees" | "cases" | "all") && !args.template;
    let by = require(
        g,
        if personal {
            Action::ExportPersonal
        } else {
            Action::Export
        },
    )?;
    if let Some(path) = &args.out {
        if kind == "all" {
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(paths::FileError::Link { path: path.clone() }.into());
            }
            for k in skillbridge::domain::Kind::IMPORTABLE {
                paths::check_out(
                    &path.join(format!("{}.{}", k.name(), args.format.extension())),
                    args.force,
                )?;
            }
        } else {
            paths::check_out(path, args.force)?;
        }
    }
    let db = g.db_path();
    let to = args
        .out
        .as_ref()
        .map(|p| format!("to {}", p.display()))
        .unwrap_or_else(|| "to standard output".into());
    let (code, records) = super::data::export(&db, args, g.cli_lang()?)?;
    if personal {
        let detail = format!("{kind} {to}");
        match records {
            Some(n) => record_people(&db, &by, AccessKind::Export, n, &detail)?,
            None => record(&db, &by, AccessKind::Export, &detail)?,
        }
    }
    Ok(code)
}

/// `skillbridge backup` (admins), recorded.
pub fn backup(g: &Globals, file: &Path) -> Result<std::process::ExitCode> {
    let by = require(g, Action::Backup)?;
    paths::check_out(file, false)?;
    let db = g.db_path();
    let code = super::data::backup(&db, file, g.cli_lang()?)?;
    record(&db, &by, AccessKind::Backup, &format!("to {}", file.display()))?;
    Ok(code)
}

/// `skillbridge restore` (admins), recorded in the restored database.
pub fn restore(g: &Globals, file: &Path) -> Result<std::process::ExitCode> {
    let by = require(g, Action::Restore)?;
    let db = g.db_path();
    let code = super::data::restore(file, &db, g.cli_lang()?)?;
    record(&db, &by, AccessKind::Restore, &format!("from {}", file.display()))?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_file_is_one_strict_line() {
        let p = Path::new("/etc/skillbridge/access");
        let a = parse_access("# a shared desk\nrole=operator districts=321181\n", "wang", p).unwrap();
        assert_eq!(a.role, Role::Operator);
        assert_eq!(a.name, "wang");
        for (text, want) in [
            ("role=admin role=kiosk", "given twice"),
            ("role=Admin", "unknown role"),
            ("role=kiosk", "no workspace"),
            ("role=operator\nrole=supervisor", "second line"),
            ("# nothing\n", "holds no settings"),
        ] {
            let e = parse_access(text, "wang", p).unwrap_err().to_string();
            assert!(e.contains(want) && e.contains("/etc/skillbridge/access"), "{text}: {e}");
        }
    }
}
