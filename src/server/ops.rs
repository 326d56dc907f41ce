//! Online operations: what an `admin` key runs through the server as an
//! SSH command, while every operator keeps working (sled lets one process
//! hold the database, so these cannot run beside `serve` as local
//! commands):
//!
//! ```text
//! ssh -p PORT admin@host backup > city.backup
//! ssh -p PORT admin@host check
//! ssh -p PORT admin@host export trainees [--format csv|json] > trainees.csv
//! ssh -p PORT admin@host import trainees [--format csv|xlsx|json] [--dry-run] < trainees.csv
//! ssh -p PORT admin@host audit [--since 7d] [--operator NAME]
//! ```
//!
//! Each runs through the service's checked commands (the role again, the
//! write gate, the access records). Output is streamed to the client; an
//! import's input is read whole first, at most [`MAX_IMPORT_BYTES`].

use crate::domain::Kind;
use crate::io::export::Format;
use crate::service::Service;
use crate::service::access::{Action, Actor, AuditFilter};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The most an import sent over SSH may hold.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// The longest command line taken.
pub const MAX_COMMAND: usize = 4096;

/// An operation a command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Backup,
    Check,
    Export {
        kind: Kind,
        format: Format,
    },
    Import {
        kind: Kind,
        ext: &'static str,
        dry_run: bool,
    },
    Audit {
        since: Option<String>,
        operator: Option<String>,
    },
}

pub const USAGE: &str = "commands for an admin key: backup | check | export KIND [--format csv|json] | \
import KIND [--format csv|xlsx|json] [--dry-run] (the file on standard input) | audit [--since 7d|DATE] [--operator NAME]";

impl Op {
    /// Parse a command line (words separated by spaces).
    pub fn parse(bytes: &[u8]) -> Result<Op, String> {
        if bytes.len() > MAX_COMMAND {
            return Err(format!("the command is {} bytes long; {USAGE}", bytes.len()));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| format!("the command is not UTF-8 text; {USAGE}"))?;
        let words: Vec<&str> = text.split_whitespace().collect();
        let kind = |w: Option<&&str>| -> Result<Kind, String> {
            let w = w.ok_or_else(|| format!("which kind? {USAGE}"))?;
            w.parse::<Kind>().map_err(|e| e.to_string())
        };
        // The value after `--flag`, once.
        let flag = |name: &str| -> Result<Option<String>, String> {
            let mut found = None;
            for (i, w) in words.iter().enumerate() {
                if *w == name {
                    if found.is_some() {
                        return Err(format!("{name} is given twice"));
                    }
                    found = Some(
                        words
                            .get(i + 1)
                            .map(|v| v.to_string())
                            .ok_or_else(|| format!("{name} needs a value"))?,
                    );
                }
            }
            Ok(found)
        };
        let known = |allowed: &[&str]| -> Result<(), String> {
            let mut skip = false;
            for w in words.iter().skip(2) {
                if skip {
                    skip = false;
                    continue;
                }
                if !allowed.contains(w) {
                    return Err(format!("unknown argument '{}'; {USAGE}", crate::paths::escape_log(w)));
                }
                skip = *w != "--dry-run";
            }
            Ok(())
        };
        match words.first().copied() {
            Some("backup") if words.len() == 1 => Ok(Op::Backup),
            Some("check") if words.len() == 1 => Ok(Op::Check),
            Some("export") => {
                known(&["--format"])?;
                let format = match flag("--format")? {
                    None => Format::Csv,
                    Some(f) => f.parse::<Format>().map_err(|e| e.to_string())?,
                };
                Ok(Op::Export {
                    kind: kind(words.get(1))?,
                    format,
                })
            }
            Some("import") => {
                known(&["--format", "--dry-run"])?;
                let ext = match flag("--format")?.as_deref() {
                    None | Some("csv") => "csv",
                    Some("xlsx") => "xlsx",
                    Some("json") => "json",
                    Some(other) => {
                        return Err(format!(
                            "--format '{}': expected csv, xlsx or json",
                            crate::paths::escape_log(other)
                        ));
                    }
                };
                Ok(Op::Import {
                    kind: kind(words.get(1))?,
                    ext,
                    dry_run: words.contains(&"--dry-run"),
                })
            }
            Some("audit") => {
                let mut skip = false;
                for w in words.iter().skip(1) {
                    if skip {
                        skip = false;
                        continue;
                    }
                    if !["--since", "--operator"].contains(w) {
                        return Err(format!("unknown argument '{}'; {USAGE}", crate::paths::escape_log(w)));
                    }
                    skip = true;
                }
                Ok(Op::Audit {
                    since: flag("--since")?,
                    operator: flag("--operator")?,
                })
            }
            _ => Err(USAGE.to_string()),
        }
    }

    /// True when the operation reads standard input (an import).
    pub fn reads_input(&self) -> bool {
        matches!(self, Op::Import { .. })
    }
}

static SCRATCH: AtomicU64 = AtomicU64::new(0);

/// A file name no other operation uses, beside `dir`.
fn scratch(dir: &Path, what: &str, ext: &str) -> PathBuf {
    let n = SCRATCH.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".ssh-{what}-{}-{n}.{ext}", std::process::id()))
}

/// Removes a scratch file however the operation ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Run `op` for `by`, writing its output to `out` and messages to `err`.
/// Returns the exit status for the client.
pub fn run(svc: &Service, by: &Actor, op: &Op, input: &[u8], out: &mut dyn Write, err: &mut dyn Write) -> u32 {
    match run_inner(svc, by, op, input, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "skillbridge: {e}");
            1
        }
    }
}

fn run_inner(
    svc: &Service,
    by: &Actor,
    op: &Op,
    input: &[u8],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<u32> {
    // Only an admin runs operations over SSH; the service checks each again.
    svc.may(by, Action::Backup)?;
    match op {
        Op::Backup => {
            let dir = svc
                .db_path()
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf();
            let file = Scratch(scratch(&dir, "backup", "txt"));
            let summary = svc.backup_as(by, &file.0, "(streamed over ssh)")?;
            let mut f = std::fs::File::open(&file.0)?;
            std::io::copy(&mut f, out)?;
            out.flush()?;
            writeln!(err, "backup of {}: {}", svc.db_path().display(), summary.describe())?;
            Ok(0)
        }
        Op::Check => {
            let report = svc.check_as(by)?;
            for p in &report.problems {
                writeln!(out, "{p}")?;
            }
            writeln!(
                out,
                "{} records and {} events checked: {}",
                report.records,
                report.events,
                if report.problems.is_empty() {
                    "no problems".to_string()
                } else {
                    format!("{} problems", report.problems.len())
                }
            )?;
            Ok(if report.problems.is_empty() { 0 } else { 1 })
        }
        Op::Export { kind, format } => {
            let n = svc.export_as(by, *kind, *format, out, "to an ssh client")?;
            out.flush()?;
            writeln!(err, "{n} {kind} exported")?;
            Ok(0)
        }
        Op::Import { kind, ext, dry_run } => {
            let dir = svc
                .import_dir()
                .map(Path::to_path_buf)
                .ok_or_else(|| anyhow::anyhow!("this server has no import directory"))?;
            let file = Scratch(scratch(&dir, "import", ext));
            crate::paths::write_private(&file.0, input, false)?;
            let opts = crate::io::import::Options {
                today: svc.today(),
                ..Default::default()
            };
            let plan = svc.import_plan_as(by, *kind, &file.0, &opts)?;
            for m in plan.reject_messages() {
                writeln!(err, "{m}")?;
            }
            if *dry_run {
                writeln!(out, "{}", crate::io::import::dry_run(&plan))?;
                return Ok(if plan.rejects.is_empty() { 0 } else { 1 });
            }
            let report = svc.import_apply_as(by, plan, &crate::io::import::ApplyOptions::default(), &mut |_, _| {})?;
            writeln!(out, "{report}")?;
            Ok(0)
        }
        Op::Audit { since, operator } => {
            let since = since
                .as_deref()
                .map(|s| crate::store::audit::parse_since(s, chrono::Utc::now().timestamp()))
                .transpose()
                .map_err(|e| anyhow::anyhow!(e))?;
            let filter = AuditFilter {
                since,
                operator: operator.clone(),
                what: None,
            };
            for e in svc.access_records(by, &filter)? {
                writeln!(out, "{e}")?;
            }
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_strictly() {
        assert_eq!(Op::parse(b"backup"), Ok(Op::Backup));
        assert_eq!(
            Op::parse(b"export trainees --format json"),
            Ok(Op::Export {
                kind: Kind::Trainees,
                format: Format::Json
            })
        );
        assert_eq!(
            Op::parse(b"import classes --dry-run --format xlsx"),
            Ok(Op::Import {
                kind: Kind::Classes,
                ext: "xlsx",
                dry_run: true
            })
        );
        assert_eq!(
            Op::parse(b"audit --since 7d"),
            Ok(Op::Audit {
                since: Some("7d".into()),
                operator: None
            })
        );
        for bad in [
            &b"backup now"[..],
            b"rm -rf /",
            b"export",
            b"export trainees --out /etc/passwd",
            b"import trainees --format exe",
            b"audit --since",
            b"\xff",
            b"",
        ] {
            assert!(Op::parse(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert!(Op::parse(&vec![b'a'; MAX_COMMAND + 1]).is_err());
    }
}
