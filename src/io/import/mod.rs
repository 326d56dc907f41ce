//! Import: `plan` reads a file and checks every row with the store's own
//! rules (nothing is written), `apply` writes the planned changes in batches,
//! each batch one transaction (`Store::save_many`).
//!
//! Natural keys make a re-import change nothing: the ID number for trainees,
//! the name for institutions and enterprises, the 编号 (else enterprise +
//! trade + region) for demands, and name + institution + start date for
//! classes, each matched against the records themselves. A row whose record
//! exists and differs is shown field by field (`Plan::diffs`) and written
//! only when asked (`Options::update`, `--update`); an empty cell keeps the
//! stored value unless `Options::clear_empty` says it clears it.

mod cols;
pub mod results;
mod rows;

pub use super::cells::demand_ref;

use super::cells::{Cells, Names};
use super::columns::{self, Column};
use super::table::{self, Limits, ReadOptions, Row, Table, TableError};
use crate::domain::*;
use crate::store::batch::BatchError;
use crate::store::{Editable, Store, StoreError};
use chrono::NaiveDate;
use cols::{CellError, Cols};
use rows::{Built, Cx, Rows, class, demand, enterprise, institution, trainee};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Records written per transaction.
pub const DEFAULT_BATCH: usize = 2_000;

/// The rejects file's column with each row's number in the file read.
pub const ROW_COLUMN: &str = "行号";
/// The rejects file's column with what is wrong with the row.
pub const REASON_COLUMN: &str = "错误原因";

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
    #[error(
        "--skip-invalid {rejects} names the file being imported ({path}): the rejected rows would overwrite it. Nothing was written; give the rejects another file name"
    )]
    RejectsIsInput { path: PathBuf, rejects: PathBuf },
    #[error("{path}: cannot write the rejects file {rejects}: {source}")]
    Rejects {
        path: PathBuf,
        rejects: PathBuf,
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
        source: Box<StoreError>,
    },
}

/// One problem of a bad row: which column, the value and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The column's header as the file names it.
    pub column: String,
    pub value: String,
    pub reason: Why,
}

/// Why a cell is refused: each language words it (this is the English).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Why {
    /// A record rule (a name too long, a wage range upside down…).
    #[error(transparent)]
    Breach(#[from] Breach),
    #[error(transparent)]
    IdNumber(#[from] IdNumberError),
    #[error(transparent)]
    Mobile(#[from] MobileError),
    /// A name or value that resolves to nothing (a region, a trade, a date…).
    #[error(transparent)]
    Unresolved(#[from] super::resolve::Unresolved),
    #[error(
        "Excel stored this number as a number and kept only 15 digits, so the rest are lost: format the column as Text and enter the numbers again"
    )]
    ExcelRounded,
    /// A required column's cell is empty (`column` is its Chinese name).
    #[error("is empty; this column is required: {about}")]
    Required { column: &'static str, about: &'static str },
    #[error("repeats row {first} (the same {}); keep one of the two rows", key_words(*.kind))]
    Repeats { first: usize, kind: Kind },
    /// No stored institution or enterprise (`kind`) has the name: the
    /// nearest names, or how many there are.
    #[error("{}", no_record_en(*.kind, .near, *.count))]
    NoRecord {
        kind: Kind,
        near: Vec<String>,
        count: usize,
    },
    /// No stored demand has this 编号.
    #[error("no demand has 编号 '{code}' (import demands first){}", near_en(.near))]
    NoDemand { code: String, near: Vec<String> },
    /// A class's capacity below the seats its enrollments take.
    #[error("{used} seats are already taken; capacity must be at least that")]
    SeatsTaken { used: u32 },
    /// A row that matches several stored demands (no 编号 to say which).
    #[error(
        "{} demands of this enterprise for {trade} in {region} exist ({}): add a 编号 column to say which one",
        .ids.len(),
        .ids.join(", ")
    )]
    SeveralDemands {
        trade: &'static str,
        region: &'static str,
        ids: Vec<String>,
    },
    /// A row that matches several stored classes.
    #[error(
        "{} classes of this name, institution and start date exist ({}): rename them apart first",
        .ids.len(),
        .ids.join(", ")
    )]
    SeveralClasses { ids: Vec<String> },
    /// A results sheet's score that is no number from 0 to 100.
    #[error("is not a score: expected a number from 0 to 100")]
    NotAScore,
    #[error("is out of range: a score is from 0 to 100")]
    ScoreOutOfRange,
    #[error("expected 通过 or 未通过 (yes or no)")]
    NotPanel,
    #[error("is after today ({today}): an evaluation cannot be dated in the future")]
    FutureDate { today: chrono::NaiveDate },
    #[error("appears again: row {first} gives this person's results already")]
    PersonRepeats { first: usize },
    #[error("no trainee has this ID number")]
    NoTrainee,
    #[error("{trainee} with this ID number is named '{name}': check the row is this person's")]
    OtherName { trainee: String, name: String },
    /// The person has no case awaiting evaluation (in `class`, when given):
    /// their cases and where each stands.
    #[error("{}", not_awaiting_en(&.0.trainee, &.0.name, .0.class.as_deref(), &.0.cases))]
    NotAwaiting(Box<NotAwaiting>),
    #[error("scores {theory}/{practical} pass at {}: a pass needs the certificate's number", .level.zh())]
    PassNeedsCertificate {
        theory: u8,
        practical: u8,
        level: SkillLevel,
    },
    #[error(
        "scores {theory}/{practical}{} do not pass at {}, yet a certificate is given: check the row",
        if *.panel_missing { " without a passed panel review" } else { "" },
        .level.zh()
    )]
    FailWithCertificate {
        theory: u8,
        practical: u8,
        panel_missing: bool,
        level: SkillLevel,
    },
    #[error("this person is outside your districts")]
    OutsideDistricts,
    /// Any other reason, as the reader words it (English): a damaged
    /// database (records sharing a key) or a failed read.
    #[error("{0}")]
    Other(String),
}

/// A person with no case awaiting evaluation: who, within which class,
/// and their cases with where each stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAwaiting {
    pub trainee: String,
    pub name: String,
    pub class: Option<String>,
    pub cases: Vec<(String, StateKind)>,
}

fn not_awaiting_en(trainee: &str, name: &str, class: Option<&str>, cases: &[(String, StateKind)]) -> String {
    let within = class.map(|k| format!(" in class {k}")).unwrap_or_default();
    if cases.is_empty() {
        return format!("{trainee} {name} has no case{within}");
    }
    let states: Vec<String> = cases.iter().map(|(c, s)| format!("{c} is {}", s.zh())).collect();
    format!(
        "{trainee} {name} has no case awaiting evaluation{within} ({})",
        states.join(", ")
    )
}

/// A column of the file that is not imported, with the nearest columns.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}:{line}: unknown column '{header}' (column {letter}) is not imported{}", .path.display(), near_en(.near))]
pub struct UnknownColumn {
    pub path: PathBuf,
    pub line: usize,
    /// The header as the file gives it.
    pub header: String,
    /// The column's letter (A, B…).
    pub letter: String,
    pub near: Vec<String>,
}

fn near_en(near: &[String]) -> String {
    if near.is_empty() {
        return String::new();
    }
    let refs: Vec<&str> = near.iter().map(String::as_str).collect();
    format!("; {}", crate::suggest::did_you_mean(&refs))
}

fn no_record_en(kind: Kind, near: &[String], count: usize) -> String {
    let what = table::what(kind);
    let mut s = format!("no {what} is called that");
    if near.is_empty() {
        s.push_str(&format!(" ({count} {what}s in the database; import {}s first)", what));
    } else {
        s.push_str(&near_en(near));
    }
    s
}

impl From<String> for Why {
    fn from(s: String) -> Why {
        Why::Other(s)
    }
}

impl From<&str> for Why {
    fn from(s: &str) -> Why {
        Why::Other(s.to_string())
    }
}

impl Problem {
    /// `column 'X' = 'value': reason`
    pub fn detail(&self) -> String {
        format!("column '{}' = '{}': {}", self.column, self.value, self.reason)
    }
}

/// One bad row: where, and every problem it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The row number a spreadsheet shows.
    pub line: usize,
    pub problems: Vec<Problem>,
    /// The row's cells as read, for the rejects file.
    pub cells: Vec<String>,
}

impl Reject {
    /// Every problem, `column 'X' = 'value': reason`, joined by `; `.
    pub fn detail(&self) -> String {
        self.problems.iter().map(Problem::detail).collect::<Vec<_>>().join("; ")
    }
    /// One line per problem: `FILE:ROW: column 'X' = 'value': reason`.
    pub fn messages(&self, path: &Path) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| format!("{}:{}: {}", path.display(), self.line, p.detail()))
            .collect()
    }
}

/// One field an import would change in a stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The column as the file names it.
    pub column: String,
    pub old: String,
    pub new: String,
}

/// A stored record a row would change, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub line: usize,
    pub kind: Kind,
    /// The stored record's id.
    pub id: u64,
    /// Its name as stored (a trainee's name, a class's…).
    pub name: String,
    pub fields: Vec<FieldChange>,
    /// The change renames a person (who the record is, not only what).
    pub identity: bool,
}

impl Diff {
    /// `FILE:ROW: trainee 12 李静 would change: 姓名 '李静' → '李晶' (the person's name); 手机号 '139…' → ''`
    pub fn message(&self, path: &Path) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|f| {
                let mut s = format!("{} '{}' → '{}'", f.column, f.old, f.new);
                if f.new.is_empty() {
                    s.push_str(" (cleared)");
                }
                s
            })
            .collect();
        format!(
            "{}:{}: {} {} '{}' differs: {}{}",
            path.display(),
            self.line,
            table::what(self.kind),
            self.id,
            self.name,
            fields.join("; "),
            if self.identity {
                " — this renames the person: check the ID number is theirs"
            } else {
                ""
            }
        )
    }
}

#[derive(Debug, Clone)]
struct Change<R> {
    line: usize,
    record: R,
    /// It changes a stored record (written only with `update`).
    existing: bool,
}

#[derive(Debug, Clone)]
enum Changes {
    Institutions(Vec<Change<Institution>>),
    Enterprises(Vec<Change<Enterprise>>),
    Demands(Vec<Change<JobDemand>>),
    Classes(Vec<Change<TrainingClass>>),
    Trainees(Vec<Change<Trainee>>),
}

/// What an import would do, row by row; nothing is written until `apply`.
#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: Kind,
    pub path: PathBuf,
    pub header: Vec<String>,
    pub header_line: usize,
    /// Neutral remarks: encoding, skipped title rows, merged headers.
    pub notes: Vec<table::Note>,
    /// Columns the file has that are not imported.
    pub warnings: Vec<UnknownColumn>,
    pub rows: usize,
    pub added: usize,
    /// Stored records the file changes (see `diffs`), written only when `update`.
    pub updated: usize,
    pub unchanged: usize,
    pub rejects: Vec<Reject>,
    /// Every stored record the file changes, field by field.
    pub diffs: Vec<Diff>,
    /// Write the changes to stored records too (`--update`, or confirmed in
    /// the workspace); else only new records are written.
    pub update: bool,
    changes: Changes,
}

impl Plan {
    /// Every problem of every bad row, one line each: `FILE:ROW: column 'X' = 'value': reason`.
    pub fn reject_messages(&self) -> Vec<String> {
        self.rejects.iter().flat_map(|r| r.messages(&self.path)).collect()
    }

    /// Every change to a stored record, one line each.
    pub fn diff_messages(&self) -> Vec<String> {
        self.diffs.iter().map(|d| d.message(&self.path)).collect()
    }

    /// Records `apply` writes: the new ones, and the changed ones with `update`.
    pub fn to_write(&self) -> usize {
        self.added + if self.update { self.updated } else { 0 }
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
    /// Stored records the file would change, left as they are (no `--update`).
    pub held: usize,
    pub unchanged: usize,
    pub rejected: usize,
    /// False for a dry run.
    pub written: bool,
    pub rejects_file: Option<PathBuf>,
}

impl Report {
    /// True when the import wrote (or would write) no record.
    pub fn writes_nothing(&self) -> bool {
        self.added + self.updated == 0
    }
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
        if self.held > 0 {
            write!(
                f,
                "; {} stored record{} the file changes {} left as {} (shown above): pass --update to write {}",
                self.held,
                if self.held == 1 { "" } else { "s" },
                if self.written { "were" } else { "would be" },
                if self.held == 1 { "it was" } else { "they were" },
                if self.held == 1 { "that change" } else { "those changes" }
            )?;
        }
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
    /// Write changes to stored records too (else only new records).
    pub update: bool,
    /// An empty cell clears the stored value (else it keeps it).
    pub clear_empty: bool,
    /// The workbook's sheet to read (default: the first).
    pub sheet: Option<String>,
    /// How much of the file is read at most.
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: chrono::Local::now().date_naive(),
            batch: DEFAULT_BATCH,
            update: false,
            clear_empty: false,
            sheet: None,
            limits: Limits::COMMAND_LINE,
        }
    }
}

/// Read `path` and check every row against the database; write nothing.
pub fn plan(store: &Store, kind: Kind, path: &Path, opts: &Options) -> Result<Plan, ImportError> {
    if !kind.importable() {
        return Err(crate::domain::UnknownKind(kind.name().into()).into());
    }
    let read = ReadOptions {
        sheet: opts.sheet.clone(),
        limits: opts.limits,
    };
    let table = table::read(path, kind, &read)?;
    let mut warnings = Vec::new();
    let cols = Cols::map(kind, &table, opts.clear_empty, &mut warnings)?;
    let mut cx = Cx::new(store, opts.today);
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
        diffs: Vec::new(),
        update: opts.update,
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

/// What a stored record is called in a diff.
trait Named {
    fn shown_name(&self) -> String;
}

impl Named for Institution {
    fn shown_name(&self) -> String {
        self.name.clone()
    }
}
impl Named for Enterprise {
    fn shown_name(&self) -> String {
        self.name.clone()
    }
}
impl Named for JobDemand {
    fn shown_name(&self) -> String {
        demand_ref(self)
    }
}
impl Named for TrainingClass {
    fn shown_name(&self) -> String {
        self.name.clone()
    }
}
impl Named for Trainee {
    fn shown_name(&self) -> String {
        self.name.to_string()
    }
}

/// The fields of `old` that `new` changes, as the file names the columns.
fn diff<R: Cells + Named + crate::store::Record>(
    kind: Kind,
    line: usize,
    cols: &Cols,
    names: &Names,
    old: &R,
    new: &R,
) -> Diff {
    let (a, b) = (old.cells(names), new.cells(names));
    let mut fields = Vec::new();
    let mut identity = false;
    for ((c, x), y) in columns::columns(kind).iter().zip(&a).zip(&b) {
        if x != y {
            identity |= kind == Kind::Trainees && c.key == "name";
            fields.push(FieldChange {
                column: if cols.index.contains_key(c.key) {
                    cols.name(c.key)
                } else {
                    c.zh.to_string()
                },
                old: x.clone(),
                new: y.clone(),
            });
        }
    }
    Diff {
        line,
        kind,
        id: old.key(),
        name: old.shown_name(),
        fields,
        identity,
    }
}

fn run<R: Editable + PartialEq + Cells + Named>(
    cx: &mut Cx<'_>,
    cols: &Cols,
    table: &Table,
    plan: &mut Plan,
    build: fn(&mut Cx<'_>, &Cols, &Row) -> Rows<Built<R>>,
) -> Vec<Change<R>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for row in &table.rows {
        crate::store::progress::tick();
        let result = build(cx, cols, row).and_then(|b| {
            if let Some(first) = seen.get(&b.key) {
                let value = cols.get(row, b.key_col).unwrap_or_default().to_string();
                return Err(vec![CellError {
                    key: b.key_col,
                    value,
                    reason: Why::Repeats {
                        first: *first,
                        kind: cols.kind,
                    },
                }]);
            }
            Editable::validate(&b.record).map_err(|e| {
                let key = columns::column(cols.kind, e.field).map(|c| c.key).unwrap_or(e.field);
                vec![CellError {
                    key,
                    value: cols.get(row, key).map(str::to_string).unwrap_or(e.value.clone()),
                    reason: Why::Breach(e.reason.clone()),
                }]
            })?;
            Ok(b)
        });
        match result {
            Ok(b) => {
                seen.insert(b.key.clone(), row.line);
                match &b.existing {
                    Some(old) if *old == b.record => plan.unchanged += 1,
                    Some(old) => {
                        plan.updated += 1;
                        let d = match cx.names() {
                            Ok(names) => diff(cols.kind, row.line, cols, names, old, &b.record),
                            Err(_) => diff(cols.kind, row.line, cols, &Names::default(), old, &b.record),
                        };
                        plan.diffs.push(d);
                        out.push(Change {
                            line: row.line,
                            record: b.record,
                            existing: true,
                        });
                    }
                    None => {
                        plan.added += 1;
                        out.push(Change {
                            line: row.line,
                            record: b.record,
                            existing: false,
                        });
                    }
                }
            }
            Err(errors) => plan.rejects.push(Reject {
                line: row.line,
                problems: errors
                    .into_iter()
                    .map(|e| Problem {
                        column: if e.key.is_empty() { "-".into() } else { cols.name(e.key) },
                        value: e.value,
                        reason: e.reason,
                    })
                    .collect(),
                cells: row.cells.clone(),
            }),
        }
    }
    out
}

pub fn key_words(kind: Kind) -> &'static str {
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
    /// How the rejects file words a row's problems (default: the English
    /// of `Reject::detail`).
    pub reason: Option<fn(&Reject) -> String>,
}

/// True when two paths name the same file (the second may not exist yet).
fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        let parent = p
            .parent()
            .filter(|x| !x.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(parent.canonicalize().ok()?.join(p.file_name()?))
    };
    match (canon(a), canon(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Refuse a rejects file that is the file being imported.
pub fn check_rejects_path(input: &Path, rejects: &Path) -> Result<(), ImportError> {
    if same_file(input, rejects) {
        return Err(ImportError::RejectsIsInput {
            path: input.to_path_buf(),
            rejects: rejects.to_path_buf(),
        });
    }
    Ok(())
}

/// Write a plan. With rejects and no `skip_invalid`, nothing is written.
/// Changes to stored records are written only when `plan.update`.
/// `progress(done, total)` is called after each batch.
pub fn apply(
    store: &Store,
    plan: Plan,
    opts: &ApplyOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, ImportError> {
    if let Some(rejects) = &opts.skip_invalid {
        check_rejects_path(&plan.path, rejects)?;
    }
    if !plan.rejects.is_empty() {
        match &opts.skip_invalid {
            None => {
                return Err(ImportError::Invalid {
                    path: plan.path.clone(),
                    count: plan.rejects.len(),
                    rows: plan.rows,
                });
            }
            Some(rejects) => write_rejects(&plan.header, &plan.rejects, rejects, opts.reason).map_err(|source| {
                ImportError::Rejects {
                    path: plan.path.clone(),
                    rejects: rejects.clone(),
                    source,
                }
            })?,
        }
    }
    let batch = if opts.batch == 0 { DEFAULT_BATCH } else { opts.batch };
    let total = plan.to_write();
    let path = plan.path.clone();
    let update = plan.update;
    let report = Report {
        written: true,
        rejects_file: if plan.rejects.is_empty() {
            None
        } else {
            opts.skip_invalid.clone()
        },
        ..dry_run(&plan)
    };
    fn keep<R>(v: Vec<Change<R>>, update: bool) -> Vec<Change<R>> {
        v.into_iter().filter(|c| update || !c.existing).collect()
    }
    match plan.changes {
        Changes::Institutions(v) => write(store, &path, keep(v, update), batch, total, progress)?,
        Changes::Enterprises(v) => write(store, &path, keep(v, update), batch, total, progress)?,
        Changes::Demands(v) => write(store, &path, keep(v, update), batch, total, progress)?,
        Changes::Classes(v) => write(store, &path, keep(v, update), batch, total, progress)?,
        Changes::Trainees(v) => write(store, &path, keep(v, update), batch, total, progress)?,
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
        updated: if plan.update { plan.updated } else { 0 },
        held: if plan.update { 0 } else { plan.updated },
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

/// Bad rows as they were read, with a reason column and the row number
/// they had (行号), UTF-8 with a BOM so that Excel opens it right, values
/// that would start a formula escaped; fixed, it imports as it is (both
/// columns are ignored on import).
pub(crate) fn write_rejects(
    head: &[String],
    rejects: &[Reject],
    path: &Path,
    reason: Option<fn(&Reject) -> String>,
) -> std::io::Result<()> {
    let detail = |r: &Reject| match reason {
        Some(f) => f(r),
        None => r.detail(),
    };
    let at = |name: &str| head.iter().position(|h| h.trim() == name);
    let (reason_at, row_at) = (at(REASON_COLUMN), at(ROW_COLUMN));
    let mut header = head.to_vec();
    if reason_at.is_none() {
        header.push(REASON_COLUMN.to_string());
    }
    if row_at.is_none() {
        header.push(ROW_COLUMN.to_string());
    }
    let mut out: Vec<u8> = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(&header)?;
        for r in rejects {
            let mut cells = r.cells.clone();
            cells.resize(head.len(), String::new());
            match reason_at {
                Some(i) => cells[i] = detail(r),
                None => cells.push(detail(r)),
            }
            match row_at {
                Some(i) => cells[i] = r.line.to_string(),
                None => cells.push(r.line.to_string()),
            }
            w.write_record(cells.iter().map(|c| super::export::excel_safe(c).into_owned()))?;
        }
        w.flush()?;
    }
    super::export::write_whole(path, &out)
}

/// The columns a kind reads, as a header export writes.
pub fn header(kind: Kind) -> Vec<&'static str> {
    columns::columns(kind).iter().map(|c: &Column| c.zh).collect()
}
