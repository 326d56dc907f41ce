//! Import: `plan` reads a file and checks every row with the store's own
//! rules (nothing is written), `apply` writes the planned changes in batches,
//! each batch one transaction (`Store::save_many`).
//!
//! Natural keys make a re-import change nothing: the ID number for trainees,
//! the name for institutions and enterprises, the 编号 (else enterprise +
//! trade + region) for demands, and name + institution + start date for
//! classes. A row whose record exists and differs updates it.

mod cols;
mod rows;

pub use rows::demand_ref;

use super::columns::{self, Column};
use super::table::{self, Row, Table, TableError};
use crate::domain::*;
use crate::store::batch::BatchError;
use crate::store::{Editable, Store, StoreError};
use chrono::NaiveDate;
use cols::{Cell, CellError, Cols, bad};
use rows::{Built, Cx, class, demand, enterprise, institution, trainee};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Records written per transaction.
pub const DEFAULT_BATCH: usize = 2_000;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error(transparent)]
    Table(#[from] TableError),
    #[error(transparent)]
    NotImportable(#[from] crate::domain::UnknownKind),
    #[error(
        "{path}:{line}: the file lacks required column {missing} for {kind}; nothing was imported. The header row has: {have}"
    )]
    MissingColumns {
        path: PathBuf,
        line: usize,
        kind: Kind,
        missing: String,
        have: String,
    },
    #[error("{path}:{line}: columns '{first}' and '{second}' both give {column}: keep one of them")]
    DuplicateColumn {
        path: PathBuf,
        line: usize,
        first: String,
        second: String,
        column: String,
    },
    #[error(
        "{path}: {count} of {rows} rows are invalid, so nothing was written. Fix them and import again, or pass --skip-invalid REJECTS.csv to write the good rows and set the bad ones aside"
    )]
    Invalid { path: PathBuf, count: usize, rows: usize },
    #[error("{path}: cannot write the rejects file {rejects}: {source}")]
    Rejects {
        path: PathBuf,
        rejects: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Reading the database (around an import) failed.
    #[error(transparent)]
    Store(Box<StoreError>),
    #[error(
        "{path}:{line}: writing to the database failed; {written} rows were written before, in whole batches, and this row's batch of {batch} was not: {source}"
    )]
    Write {
        path: PathBuf,
        line: usize,
        written: usize,
        batch: usize,
        #[source]
        source: Box<StoreError>,
    },
}

/// One bad row: where, which column, the value and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub line: usize,
    /// The column's header as the file names it.
    pub column: String,
    pub value: String,
    pub reason: String,
    /// The row's cells as read, for the rejects file.
    pub cells: Vec<String>,
}

impl Reject {
    /// `column 'X' = 'value': reason`
    pub fn detail(&self) -> String {
        format!("column '{}' = '{}': {}", self.column, self.value, self.reason)
    }
    /// `FILE:ROW: column 'X' = 'value': reason`
    pub fn message(&self, path: &Path) -> String {
        format!("{}:{}: {}", path.display(), self.line, self.detail())
    }
}

#[derive(Debug, Clone)]
struct Change<R> {
    line: usize,
    record: R,
}

#[derive(Debug, Clone)]
enum Changes {
    Institutions(Vec<Change<Institution>>),
    Enterprises(Vec<Change<Enterprise>>),
    Demands(Vec<Change<JobDemand>>),
    Classes(Vec<Change<TrainingClass>>),
    Trainees(Vec<Change<Trainee>>),
}

impl Changes {
    fn len(&self) -> usize {
        match self {
            Changes::Institutions(v) => v.len(),
            Changes::Enterprises(v) => v.len(),
            Changes::Demands(v) => v.len(),
            Changes::Classes(v) => v.len(),
            Changes::Trainees(v) => v.len(),
        }
    }
}

/// What an import would do, row by row; nothing is written until `apply`.
#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: Kind,
    pub path: PathBuf,
    pub header: Vec<String>,
    pub header_line: usize,
    /// Neutral remarks: encoding, skipped title rows, merged headers.
    pub notes: Vec<String>,
    /// Columns the file has that are not imported.
    pub warnings: Vec<String>,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejects: Vec<Reject>,
    changes: Changes,
}

impl Plan {
    /// Every bad row as `FILE:ROW: column 'X' = 'value': reason`.
    pub fn reject_messages(&self) -> Vec<String> {
        self.rejects.iter().map(|r| r.message(&self.path)).collect()
    }
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub kind: Kind,
    pub path: PathBuf,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    /// False for a dry run.
    pub written: bool,
    pub rejects_file: Option<PathBuf>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} row{} of {}: {} added, {} updated, {} unchanged, {} rejected",
            self.path.display(),
            self.rows,
            if self.rows == 1 { "" } else { "s" },
            self.kind,
            self.added,
            self.updated,
            self.unchanged,
            self.rejected
        )?;
        if !self.written {
            write!(f, " (dry run: nothing written)")?;
        }
        if let Some(p) = &self.rejects_file {
            write!(f, "; rejected rows are in {}", p.display())?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Default for dates a file leaves out, and the bound for birth dates.
    pub today: NaiveDate,
    /// Records per transaction.
    pub batch: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: chrono::Local::now().date_naive(),
            batch: DEFAULT_BATCH,
        }
    }
}

/// Read `path` and check every row against the database; write nothing.
pub fn plan(store: &Store, kind: Kind, path: &Path, opts: &Options) -> Result<Plan, ImportError> {
    if !kind.importable() {
        return Err(crate::domain::UnknownKind(kind.name().into()).into());
    }
    let table = table::read(path, kind)?;
    let mut warnings = Vec::new();
    let cols = Cols::map(kind, &table, &mut warnings)?;
    let mut cx = Cx {
        store,
        today: opts.today,
        institutions: HashMap::new(),
        enterprises: HashMap::new(),
        institution_names: None,
        enterprise_names: None,
        demands: None,
        classes: None,
    };
    let mut plan = Plan {
        kind,
        path: path.to_path_buf(),
        header: table.header.clone(),
        header_line: table.header_line,
        notes: table.notes.clone(),
        warnings,
        rows: table.rows.len(),
        added: 0,
        updated: 0,
        unchanged: 0,
        rejects: Vec::new(),
        changes: Changes::Trainees(Vec::new()),
    };
    plan.changes = match kind {
        Kind::Institutions => Changes::Institutions(run(&mut cx, &cols, &table, &mut plan, institution)),
        Kind::Enterprises => Changes::Enterprises(run(&mut cx, &cols, &table, &mut plan, enterprise)),
        Kind::Demands => Changes::Demands(run(&mut cx, &cols, &table, &mut plan, demand)),
        Kind::Classes => Changes::Classes(run(&mut cx, &cols, &table, &mut plan, class)),
        Kind::Trainees | Kind::Cases => Changes::Trainees(run(&mut cx, &cols, &table, &mut plan, trainee)),
    };
    Ok(plan)
}

fn run<R: Editable + PartialEq>(
    cx: &mut Cx<'_>,
    cols: &Cols,
    table: &Table,
    plan: &mut Plan,
    build: fn(&mut Cx<'_>, &Cols, &Row) -> Cell<Built<R>>,
) -> Vec<Change<R>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for row in &table.rows {
        let result = build(cx, cols, row).and_then(|b| {
            if let Some(first) = seen.get(&b.key) {
                let value = cols.get(row, b.key_col).unwrap_or_default().to_string();
                return bad(
                    b.key_col,
                    value,
                    format!(
                        "repeats row {first} (the same {}); keep one of the two rows",
                        key_words(cols.kind)
                    ),
                );
            }
            Editable::validate(&b.record).map_err(|e| {
                let key = columns::column(cols.kind, e.field).map(|c| c.key).unwrap_or(e.field);
                CellError {
                    key,
                    value: cols.get(row, key).map(str::to_string).unwrap_or(e.value.clone()),
                    reason: e.reason.clone(),
                }
            })?;
            Ok(b)
        });
        match result {
            Ok(b) => {
                seen.insert(b.key.clone(), row.line);
                match &b.existing {
                    Some(old) if *old == b.record => plan.unchanged += 1,
                    Some(_) => {
                        plan.updated += 1;
                        out.push(Change {
                            line: row.line,
                            record: b.record,
                        });
                    }
                    None => {
                        plan.added += 1;
                        out.push(Change {
                            line: row.line,
                            record: b.record,
                        });
                    }
                }
            }
            Err(e) => plan.rejects.push(Reject {
                line: row.line,
                column: if e.key.is_empty() { "-".into() } else { cols.name(e.key) },
                value: e.value,
                reason: e.reason,
                cells: row.cells.clone(),
            }),
        }
    }
    out
}

fn key_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Institutions | Kind::Enterprises => "name",
        Kind::Demands => "编号, or enterprise + trade + region",
        Kind::Classes => "name, institution and start date",
        Kind::Trainees | Kind::Cases => "ID number",
    }
}

/// Where to put bad rows instead of refusing the file.
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Write the good rows and these bad ones to this CSV.
    pub skip_invalid: Option<PathBuf>,
    /// Records per transaction (0: the default).
    pub batch: usize,
}

/// Write a plan. With rejects and no `skip_invalid`, nothing is written.
/// `progress(done, total)` is called after each batch.
pub fn apply(
    store: &Store,
    plan: Plan,
    opts: &ApplyOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, ImportError> {
    if !plan.rejects.is_empty() {
        match &opts.skip_invalid {
            None => {
                return Err(ImportError::Invalid {
                    path: plan.path.clone(),
                    count: plan.rejects.len(),
                    rows: plan.rows,
                });
            }
            Some(rejects) => write_rejects(&plan, rejects).map_err(|source| ImportError::Rejects {
                path: plan.path.clone(),
                rejects: rejects.clone(),
                source,
            })?,
        }
    }
    let batch = if opts.batch == 0 { DEFAULT_BATCH } else { opts.batch };
    let total = plan.changes.len();
    let path = plan.path.clone();
    let report = Report {
        written: true,
        rejects_file: if plan.rejects.is_empty() {
            None
        } else {
            opts.skip_invalid.clone()
        },
        ..dry_run(&plan)
    };
    match plan.changes {
        Changes::Institutions(v) => write(store, &path, v, batch, total, progress)?,
        Changes::Enterprises(v) => write(store, &path, v, batch, total, progress)?,
        Changes::Demands(v) => write(store, &path, v, batch, total, progress)?,
        Changes::Classes(v) => write(store, &path, v, batch, total, progress)?,
        Changes::Trainees(v) => write(store, &path, v, batch, total, progress)?,
    }
    Ok(report)
}

/// The report of a plan that is not applied (a dry run).
pub fn dry_run(plan: &Plan) -> Report {
    Report {
        kind: plan.kind,
        path: plan.path.clone(),
        rows: plan.rows,
        added: plan.added,
        updated: plan.updated,
        unchanged: plan.unchanged,
        rejected: plan.rejects.len(),
        written: false,
        rejects_file: None,
    }
}

fn write<R: Editable>(
    store: &Store,
    path: &Path,
    changes: Vec<Change<R>>,
    batch: usize,
    total: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(), ImportError> {
    let mut done = 0;
    let mut it = changes.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<Change<R>> = it.by_ref().take(batch).collect();
        let lines: Vec<usize> = chunk.iter().map(|c| c.line).collect();
        let n = chunk.len();
        store
            .save_many(chunk.into_iter().map(|c| c.record).collect())
            .map_err(|BatchError { index, source }| ImportError::Write {
                path: path.to_path_buf(),
                line: lines.get(index).copied().unwrap_or(0),
                written: done,
                batch: n,
                source: Box::new(source),
            })?;
        done += n;
        progress(done, total);
    }
    Ok(())
}

/// Bad rows as they were read, with a reason column, UTF-8 with a BOM so
/// that Excel opens it right; fixed, it imports as it is (the reason column
/// is ignored on import).
fn write_rejects(plan: &Plan, path: &Path) -> std::io::Result<()> {
    let reason_at = plan
        .header
        .iter()
        .position(|h| columns::is_ignored(h) && h.trim() == "错误原因");
    let mut header = plan.header.clone();
    if reason_at.is_none() {
        header.push("错误原因".into());
    }
    let mut out: Vec<u8> = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(&header)?;
        for r in &plan.rejects {
            let mut cells = r.cells.clone();
            cells.resize(plan.header.len(), String::new());
            match reason_at {
                Some(i) => cells[i] = r.detail(),
                None => cells.push(r.detail()),
            }
            w.write_record(&cells)?;
        }
        w.flush()?;
    }
    std::fs::write(path, out)
}

/// The columns a kind reads, as a header export writes.
pub fn header(kind: Kind) -> Vec<&'static str> {
    columns::columns(kind).iter().map(|c: &Column| c.zh).collect()
}
