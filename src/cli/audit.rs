//! `skillbridge audit`: the access records (who revealed, exported,
//! imported, backed up or restored whose data, and when), oldest first.
//! Read-only: nothing in skillbridge changes or removes a record. While
//! `serve` holds the database, an admin key lists them through the
//! server: `ssh -p PORT host audit [--since 7d] [--operator NAME]`.

use super::args::AuditArgs;
use super::{Globals, open_existing};
use anyhow::Result;
use skillbridge::say::cli::{CliError, Line};
use skillbridge::service::access::{AccessKind, Action, AuditFilter};
use std::io::Write;
use std::process::ExitCode;

pub fn audit(g: &Globals, req: &AuditArgs) -> Result<ExitCode> {
    let lang = g.cli_lang()?;
    super::access::require(g, Action::ReadAudit)?;
    let since = req
        .since
        .as_deref()
        .map(|s| {
            skillbridge::store::audit::parse_since(s, chrono::Utc::now().timestamp())
                .map_err(|_| CliError::BadSince { value: s.to_string() })
        })
        .transpose()?;
    let what = req
        .what
        .as_deref()
        .map(|w| {
            AccessKind::ALL
                .into_iter()
                .find(|k| k.name() == w)
                .ok_or_else(|| CliError::UnknownAccessKind { value: w.to_string() })
        })
        .transpose()?;
    let store = open_existing(&g.db_path())?;
    let filter = AuditFilter {
        since,
        operator: req.operator.clone(),
        what,
    };
    let events = store.access_events(&filter)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for e in &events {
        if req.json {
            writeln!(out, "{}", serde_json::to_string(e)?)?;
        } else {
            writeln!(out, "{}", skillbridge::say::cli::access_event(e, lang))?;
        }
    }
    out.flush()?;
    if !req.json {
        super::tell(Line::AccessRecords { count: events.len() }, lang);
    }
    Ok(ExitCode::SUCCESS)
}
