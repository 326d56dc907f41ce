//! Import: `plan` reads a file and checks every row with the store's own
//! rules (nothing is written), `apply` writes the planned changes in batches,
//! each batch one transaction (`Store::save_many`).
//!
//! Natural keys make a re-import change nothing: the ID number for trainees,
//! the name for institutions and enterprises, the 编号 (else enterprise +
//! trade + region) for demands, and name + institution + start date for
//! classes. A row whose record exists and differs updates it.

use super::columns::{self, Column};
use super::resolve;
use super::table::{self, Row, Table, TableError};
use crate::domain::Kind;
use crate::domain::*;
use crate::store::batch::BatchError;
use crate::store::{Editable, Store, StoreError};
use crate::suggest::{did_you_mean, nearest};
use chrono::NaiveDate;
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

/// A row's problem before the row and path are attached.
#[derive(Debug, Clone)]
struct CellError {
    key: &'static str,
    value: String,
    reason: String,
}

type Cell<T> = Result<T, CellError>;

fn bad<T>(key: &'static str, value: impl Into<String>, reason: impl Into<String>) -> Cell<T> {
    Err(CellError {
        key,
        value: value.into(),
        reason: reason.into(),
    })
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

/// The file's columns: which index holds which column, and the header text.
struct Cols {
    kind: Kind,
    index: HashMap<&'static str, usize>,
    header: Vec<String>,
}

impl Cols {
    fn map(kind: Kind, table: &Table, warnings: &mut Vec<String>) -> Result<Cols, ImportError> {
        let mut index: HashMap<&'static str, usize> = HashMap::new();
        for (i, h) in table.header.iter().enumerate() {
            if h.trim().is_empty() || columns::is_ignored(h) {
                continue;
            }
            match columns::lookup(kind, h) {
                Some(c) => {
                    if let Some(&prev) = index.get(c.key) {
                        return Err(ImportError::DuplicateColumn {
                            path: table.path.clone(),
                            line: table.header_line,
                            first: table.header[prev].trim().to_string(),
                            second: h.trim().to_string(),
                            column: format!("{} ({})", c.zh, c.key),
                        });
                    }
                    index.insert(c.key, i);
                }
                None => {
                    let hint = columns::suggest(kind, h);
                    warnings.push(format!(
                        "{}:{}: unknown column '{}' (column {}) is not imported{}",
                        table.path.display(),
                        table.header_line,
                        h.trim(),
                        table::column_letter(i),
                        if hint.is_empty() {
                            String::new()
                        } else {
                            format!("; {hint}")
                        }
                    ));
                }
            }
        }
        let missing: Vec<String> = columns::columns(kind)
            .iter()
            .filter(|c| c.required && !index.contains_key(c.key))
            .map(columns::describe)
            .collect();
        if !missing.is_empty() {
            let have: Vec<String> = table
                .header
                .iter()
                .filter(|h| !h.trim().is_empty())
                .map(|h| format!("'{}'", h.trim()))
                .collect();
            return Err(ImportError::MissingColumns {
                path: table.path.clone(),
                line: table.header_line,
                kind,
                missing: missing.join(" and "),
                have: have.join(", "),
            });
        }
        Ok(Cols {
            kind,
            index,
            header: table.header.clone(),
        })
    }

    /// The cell of column `key`, trimmed; `None` when the file has no such column.
    fn get<'r>(&self, row: &'r Row, key: &str) -> Option<&'r str> {
        self.index
            .get(key)
            .map(|&i| row.cells.get(i).map(|s| s.trim()).unwrap_or(""))
    }

    /// The cell, or `None` when the column is absent or the cell empty.
    fn value<'r>(&self, row: &'r Row, key: &str) -> Option<&'r str> {
        self.get(row, key).filter(|s| !s.is_empty())
    }

    fn required<'r>(&self, row: &'r Row, key: &'static str) -> Cell<&'r str> {
        match self.value(row, key) {
            Some(v) => Ok(v),
            None => {
                let about = columns::column(self.kind, key).map(|c| c.about).unwrap_or_default();
                bad(key, "", format!("is empty; this column is required: {about}"))
            }
        }
    }

    /// How the file names a column (or its Chinese name, when absent).
    fn name(&self, key: &str) -> String {
        match self.index.get(key) {
            Some(&i) => self.header[i].trim().to_string(),
            None => match columns::column(self.kind, key) {
                Some(c) => format!("{} (not in the file)", c.zh),
                None => key.to_string(),
            },
        }
    }
}

fn parse_with<T>(key: &'static str, value: &str, f: impl FnOnce(&str) -> Result<T, String>) -> Cell<T> {
    f(value).map_err(|reason| CellError {
        key,
        value: value.to_string(),
        reason,
    })
}

/// Demands by their references, for demand keys and classes' links.
#[derive(Default)]
struct Demands {
    by_id: HashMap<u64, JobDemand>,
    by_external: HashMap<String, DemandId>,
    by_triple: HashMap<(EnterpriseId, OccupationId, RegionId), Vec<DemandId>>,
}

impl Demands {
    fn load(store: &Store) -> Result<Demands, StoreError> {
        let mut d = Demands::default();
        for dm in store.all::<JobDemand>()? {
            if let Some(e) = &dm.external_id {
                d.by_external.insert(e.clone(), dm.id);
            }
            d.by_triple
                .entry((dm.enterprise, dm.occupation, dm.region))
                .or_default()
                .push(dm.id);
            d.by_id.insert(dm.id.0, dm);
        }
        Ok(d)
    }

    /// A demand by its 编号: a source id, or `D<n>` for a demand that has none.
    fn by_ref(&self, r: &str) -> Option<&JobDemand> {
        if let Some(id) = self.by_external.get(r) {
            return self.by_id.get(&id.0);
        }
        let n: u64 = r.strip_prefix('D')?.parse().ok()?;
        self.by_id.get(&n).filter(|d| d.external_id.is_none())
    }

    fn refs(&self) -> Vec<String> {
        self.by_id.values().map(demand_ref).collect()
    }
}

/// The 编号 export writes for a demand: its source id, else `D<n>`.
pub fn demand_ref(d: &JobDemand) -> String {
    d.external_id.clone().unwrap_or_else(|| d.id.to_string())
}

/// Classes by name, institution and start date.
type ClassKeys = HashMap<(String, InstitutionId, NaiveDate), Vec<ClassId>>;

/// Lookups shared by the rows of one import.
struct Cx<'a> {
    store: &'a Store,
    today: NaiveDate,
    institutions: HashMap<String, Option<Institution>>,
    enterprises: HashMap<String, Option<Enterprise>>,
    institution_names: Option<Vec<String>>,
    enterprise_names: Option<Vec<String>>,
    demands: Option<Demands>,
    classes: Option<ClassKeys>,
}

fn read_err(e: StoreError) -> CellError {
    CellError {
        key: "",
        value: String::new(),
        reason: format!("reading the database failed: {e}"),
    }
}

impl Cx<'_> {
    fn institution(&mut self, key: &'static str, name: &str) -> Cell<Institution> {
        if !self.institutions.contains_key(name) {
            let found = self.store.institution_by_name(name).map_err(read_err)?;
            self.institutions.insert(name.to_string(), found);
        }
        if let Some(Some(i)) = self.institutions.get(name) {
            return Ok(i.clone());
        }
        if self.institution_names.is_none() {
            let all = self.store.all::<Institution>().map_err(read_err)?;
            self.institution_names = Some(all.into_iter().map(|i| i.name).collect());
        }
        let names = self.institution_names.as_deref().unwrap_or_default();
        bad(
            key,
            name,
            no_such("institution", name, names, "import institutions first"),
        )
    }

    fn enterprise(&mut self, key: &'static str, name: &str) -> Cell<Enterprise> {
        if !self.enterprises.contains_key(name) {
            let found = self.store.enterprise_by_name(name).map_err(read_err)?;
            self.enterprises.insert(name.to_string(), found);
        }
        if let Some(Some(e)) = self.enterprises.get(name) {
            return Ok(e.clone());
        }
        if self.enterprise_names.is_none() {
            let all = self.store.all::<Enterprise>().map_err(read_err)?;
            self.enterprise_names = Some(all.into_iter().map(|e| e.name).collect());
        }
        let names = self.enterprise_names.as_deref().unwrap_or_default();
        bad(
            key,
            name,
            no_such("enterprise", name, names, "import enterprises first"),
        )
    }

    fn demands(&mut self) -> Cell<&Demands> {
        if self.demands.is_none() {
            self.demands = Some(Demands::load(self.store).map_err(read_err)?);
        }
        Ok(self.demands.get_or_insert_with(Demands::default))
    }

    fn classes(&mut self) -> Cell<&ClassKeys> {
        if self.classes.is_none() {
            let mut m: ClassKeys = HashMap::new();
            for c in self.store.all::<TrainingClass>().map_err(read_err)? {
                m.entry((c.name.trim().to_string(), c.institution, c.start))
                    .or_default()
                    .push(c.id);
            }
            self.classes = Some(m);
        }
        Ok(self.classes.get_or_insert_with(HashMap::new))
    }
}

fn no_such(what: &str, name: &str, names: &[String], hint: &str) -> String {
    let near = nearest(name, names.iter().map(String::as_str), 3);
    let mut s = format!("no {what} is called that");
    if near.is_empty() {
        s.push_str(&format!(" ({} {what}s in the database; {hint})", names.len()));
    } else {
        s.push_str(&format!("; {}", did_you_mean(&near)));
    }
    s
}

/// A row turned into a record, with its natural key and the stored record it matches.
struct Built<R> {
    key: String,
    key_col: &'static str,
    existing: Option<R>,
    record: R,
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

fn name_cell<'r>(cols: &Cols, row: &'r Row) -> Cell<&'r str> {
    cols.required(row, "name")
}

fn region_cell(cols: &Cols, row: &Row, key: &'static str) -> Cell<Option<RegionId>> {
    cols.value(row, key)
        .map(|v| parse_with(key, v, resolve::region))
        .transpose()
}

fn institution(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<Institution>> {
    let name = name_cell(cols, row)?;
    let existing = cx.store.institution_by_name(name).map_err(read_err)?;
    let region = parse_with("region", cols.required(row, "region")?, resolve::region)?;
    let stars = parse_with("stars", cols.required(row, "stars")?, resolve::stars)?;
    let record = Institution {
        id: existing.as_ref().map(|e| e.id).unwrap_or_default(),
        name: name.into(),
        region,
        stars,
    };
    Ok(Built {
        key: name.to_string(),
        key_col: "name",
        existing,
        record,
    })
}

fn enterprise(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<Enterprise>> {
    let name = name_cell(cols, row)?;
    let existing = cx.store.enterprise_by_name(name).map_err(read_err)?;
    let region = parse_with("region", cols.required(row, "region")?, resolve::region)?;
    let industry = match cols.get(row, "industry") {
        Some(v) => v.to_string(),
        None => existing.as_ref().map(|e| e.industry.clone()).unwrap_or_default(),
    };
    let alliance = match cols.get(row, "alliance") {
        Some("") => None,
        Some(v) => Some(parse_with("alliance", v, resolve::alliance)?),
        None => existing.as_ref().and_then(|e| e.alliance),
    };
    let record = Enterprise {
        id: existing.as_ref().map(|e| e.id).unwrap_or_default(),
        name: name.to_string(),
        region,
        industry,
        alliance,
    };
    Ok(Built {
        key: name.to_string(),
        key_col: "name",
        existing,
        record,
    })
}

fn demand(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<JobDemand>> {
    let ent_name = cols.required(row, "enterprise")?;
    let ent = cx.enterprise("enterprise", ent_name)?;
    let occupation = parse_with("occupation", cols.required(row, "occupation")?, resolve::occupation)?;
    let region_given = region_cell(cols, row, "region")?;
    let headcount = parse_with("headcount", cols.required(row, "headcount")?, |v| {
        resolve::number(v, 0, 1_000_000)
    })?;
    let reference = cols.value(row, "external_id");
    let today = cx.today;
    let demands = cx.demands()?;
    let (key, key_col, existing, external_id) = match reference {
        Some(r) => {
            let existing = demands.by_ref(r).cloned();
            let external = match &existing {
                Some(d) if d.external_id.is_none() => None,
                _ => Some(r.to_string()),
            };
            (format!("ref {r}"), "external_id", existing, external)
        }
        None => {
            let region = region_given.unwrap_or(ent.region);
            let found = demands
                .by_triple
                .get(&(ent.id, occupation, region))
                .cloned()
                .unwrap_or_default();
            if found.len() > 1 {
                let ids: Vec<String> = found
                    .iter()
                    .filter_map(|id| demands.by_id.get(&id.0))
                    .map(demand_ref)
                    .collect();
                return bad(
                    "enterprise",
                    ent_name,
                    format!(
                        "{} demands of this enterprise for {} in {} exist ({}): add a 编号 column to say which one",
                        found.len(),
                        occupation.zh(),
                        region.zh(),
                        ids.join(", ")
                    ),
                );
            }
            let existing = found.first().and_then(|id| demands.by_id.get(&id.0)).cloned();
            let external = existing.as_ref().and_then(|d| d.external_id.clone());
            (
                format!("{} {} {}", ent.id, occupation.0, region.0),
                "enterprise",
                existing,
                external,
            )
        }
    };
    let old = existing.as_ref();
    let region = region_given.or(old.map(|d| d.region)).unwrap_or(ent.region);
    let kind = match cols.value(row, "kind") {
        Some(v) => parse_with("kind", v, resolve::post_kind)?,
        None => old
            .map(|d| d.kind)
            .or(occupation.get().map(|o| o.kind))
            .unwrap_or(PostKind::Skilled),
    };
    let wage_min = match cols.get(row, "wage_min") {
        Some("") => 0,
        Some(v) => parse_with("wage_min", v, |v| resolve::number(v, 0, 1_000_000))?,
        None => old.map(|d| d.wage_min).unwrap_or(0),
    };
    let wage_max = match cols.get(row, "wage_max") {
        Some("") => wage_min,
        Some(v) => parse_with("wage_max", v, |v| resolve::number(v, 0, 1_000_000))?,
        None => old.map(|d| d.wage_max).unwrap_or(wage_min).max(wage_min),
    };
    let min_level = match cols.get(row, "min_level") {
        Some(v) => parse_with("min_level", v, resolve::min_level)?,
        None => old.and_then(|d| d.min_level),
    };
    let posted = match cols.value(row, "posted") {
        Some(v) => parse_with("posted", v, resolve::date)?,
        None => old.map(|d| d.posted).unwrap_or(today),
    };
    let asked = match cols.value(row, "status") {
        Some(v) => parse_with("status", v, resolve::demand_status)?,
        None => old.map(|d| d.status).unwrap_or(DemandStatus::Open),
    };
    // The store's rules for a demand with posts already taken.
    let usage = match old {
        Some(d) => cx.store.demand_usage(d.id).map_err(read_err)?,
        None => Default::default(),
    };
    if headcount < usage.taken() {
        return bad(
            "headcount",
            headcount.to_string(),
            format!(
                "{} posts are already referred or hired; headcount must be at least that",
                usage.taken()
            ),
        );
    }
    let status = crate::store::demand_status(asked, usage.hired, headcount);
    let record = JobDemand {
        id: old.map(|d| d.id).unwrap_or_default(),
        external_id,
        enterprise: ent.id,
        occupation,
        region,
        kind,
        headcount,
        wage_min,
        wage_max,
        min_level,
        posted,
        status,
    };
    Ok(Built {
        key,
        key_col,
        existing,
        record,
    })
}

fn class(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<TrainingClass>> {
    let name = name_cell(cols, row)?;
    let inst = cx.institution("institution", cols.required(row, "institution")?)?;
    let occupation = parse_with("occupation", cols.required(row, "occupation")?, resolve::occupation)?;
    let start = parse_with("start", cols.required(row, "start")?, resolve::date)?;
    let end = parse_with("end", cols.required(row, "end")?, resolve::date)?;
    let capacity = parse_with("capacity", cols.required(row, "capacity")?, |v| {
        resolve::number(v, 0, 100_000)
    })?;
    let region_given = region_cell(cols, row, "region")?;
    let found = cx
        .classes()?
        .get(&(name.to_string(), inst.id, start))
        .cloned()
        .unwrap_or_default();
    if found.len() > 1 {
        let ids: Vec<String> = found.iter().map(|c| c.to_string()).collect();
        return bad(
            "name",
            name,
            format!(
                "{} classes of this name, institution and start date exist ({}): rename them apart first",
                found.len(),
                ids.join(", ")
            ),
        );
    }
    let existing = match found.first() {
        Some(id) => cx.store.get::<TrainingClass>(id.0).map_err(read_err)?,
        None => None,
    };
    let old = existing.as_ref();
    let kind = match cols.value(row, "kind") {
        Some(v) => parse_with("kind", v, resolve::class_kind)?,
        None => old.map(|c| c.kind).unwrap_or(ClassKind::Subsidized),
    };
    let program = match cols.value(row, "program") {
        Some(v) => parse_with("program", v, resolve::program)?,
        None => old.map(|c| c.program).unwrap_or(ProgramId(0)),
    };
    let target_level = match cols.value(row, "target_level") {
        Some(v) => parse_with("target_level", v, resolve::level)?,
        None => old.map(|c| c.target_level).unwrap_or(SkillLevel::L5),
    };
    let status = match cols.value(row, "status") {
        Some(v) => parse_with("status", v, resolve::class_status)?,
        None => old.map(|c| c.status).unwrap_or(ClassStatus::Planned),
    };
    let linked_demands = match cols.get(row, "linked_demands") {
        Some(v) => {
            let demands = cx.demands()?;
            let mut ids = Vec::new();
            for part in resolve::split_list(v) {
                match demands.by_ref(part) {
                    Some(d) => {
                        if !ids.contains(&d.id) {
                            ids.push(d.id)
                        }
                    }
                    None => {
                        let refs = demands.refs();
                        let near = nearest(part, refs.iter().map(String::as_str), 3);
                        let mut reason = format!("no demand has 编号 '{part}' (import demands first)");
                        if !near.is_empty() {
                            reason.push_str(&format!("; {}", did_you_mean(&near)));
                        }
                        return bad("linked_demands", v, reason);
                    }
                }
            }
            ids
        }
        None => old.map(|c| c.linked_demands.clone()).unwrap_or_default(),
    };
    if let Some(old) = old {
        let used = cx.store.seats_used(old.id).map_err(read_err)?;
        if capacity < used {
            return bad(
                "capacity",
                capacity.to_string(),
                format!("{used} seats are already taken; capacity must be at least that"),
            );
        }
    }
    let record = TrainingClass {
        id: old.map(|c| c.id).unwrap_or_default(),
        name: name.to_string(),
        institution: inst.id,
        occupation,
        region: region_given.or(old.map(|c| c.region)).unwrap_or(inst.region),
        kind,
        program,
        quarter: Quarter::of(start),
        start,
        end,
        capacity,
        target_level,
        linked_demands,
        status,
    };
    Ok(Built {
        key: format!("{name}\u{1f}{}\u{1f}{start}", inst.id),
        key_col: "name",
        existing,
        record,
    })
}

const EXCEL_ROUNDED: &str = "Excel stored this number as a number and kept only 15 digits, so the rest are lost: format the column as Text and enter the numbers again";

fn trainee(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<Trainee>> {
    let name = name_cell(cols, row)?;
    let raw = cols.required(row, "id_number")?;
    let text = resolve::unwrap_text_number(raw);
    if resolve::looks_scientific(text) {
        return bad("id_number", raw, EXCEL_ROUNDED);
    }
    let id_number = IdNumber::parse_on(text, cx.today).map_err(|e| CellError {
        key: "id_number",
        value: raw.to_string(),
        reason: e.to_string(),
    })?;
    let existing = cx.store.trainee_by_id_number(&id_number).map_err(read_err)?;
    let old = existing.as_ref();
    let mobile = match cols.get(row, "mobile") {
        Some("") => None,
        Some(v) => {
            let t = resolve::unwrap_text_number(v);
            if resolve::looks_scientific(t) {
                return bad("mobile", v, EXCEL_ROUNDED);
            }
            Some(Mobile::parse(t).map_err(|e| CellError {
                key: "mobile",
                value: v.to_string(),
                reason: e.to_string(),
            })?)
        }
        None => old.and_then(|t| t.mobile),
    };
    let region = match region_cell(cols, row, "region")? {
        Some(r) => r,
        None => match old
            .map(|t| t.region)
            .or(resolve::region_of_address(id_number.address_code()))
        {
            Some(r) => r,
            None => {
                return bad(
                    "region",
                    cols.get(row, "region").unwrap_or_default(),
                    format!(
                        "no region given, and the ID number's address code {} is not a district of the city: give the 区域",
                        id_number.address_code()
                    ),
                );
            }
        },
    };
    let key_group = match cols.get(row, "key_group") {
        Some(v) => resolve::key_group(v),
        None => old.and_then(|t| t.key_group.as_ref().map(|g| g.to_string())),
    };
    let wanted = match cols.get(row, "wanted") {
        Some(v) => parse_with("wanted", v, resolve::occupations)?,
        None => old.map(|t| t.wanted.to_vec()).unwrap_or_default(),
    };
    let created = match cols.value(row, "created") {
        Some(v) => parse_with("created", v, resolve::date)?,
        None => old.map(|t| t.created).unwrap_or(cx.today),
    };
    let record = Trainee {
        id: old.map(|t| t.id).unwrap_or_default(),
        name: name.into(),
        id_number,
        mobile,
        key_group: key_group.map(Into::into),
        region,
        wanted: wanted.into(),
        created,
    };
    Ok(Built {
        key: id_number.as_str().to_string(),
        key_col: "id_number",
        existing,
        record,
    })
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
        kind: plan.kind,
        path: plan.path.clone(),
        rows: plan.rows,
        added: plan.added,
        updated: plan.updated,
        unchanged: plan.unchanged,
        rejected: plan.rejects.len(),
        written: true,
        rejects_file: if plan.rejects.is_empty() {
            None
        } else {
            opts.skip_invalid.clone()
        },
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
