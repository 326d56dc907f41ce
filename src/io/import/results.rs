//! The sheet an evaluation agency returns (`import results`): each row a
//! person's scores, level, certificate and date, read and checked cell by
//! cell here; matching rows to cases and the steps they take are the
//! service's (it knows the cases).

use super::cols::{Cols, Errs, bad, parse_with};
use super::{ImportError, Problem, Reject, UnknownColumn, Why};
use crate::domain::*;
use crate::io::resolve;
use crate::io::table::{self, ReadOptions, Row};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// One good row of a results sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    /// The row number a spreadsheet shows.
    pub line: usize,
    pub id_number: IdNumber,
    pub name: Option<String>,
    pub evaluation: Evaluation,
    /// The level given; `None`: the class's target level.
    pub level: Option<SkillLevel>,
    pub certificate: Option<String>,
    pub date: Option<NaiveDate>,
    /// The row's cells as read (for the rejects file, should the service refuse it).
    pub cells: Vec<String>,
}

/// A results sheet, read: its good rows and its bad ones.
#[derive(Debug, Clone)]
pub struct ResultSheet {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<ResultRow>,
    pub rejects: Vec<Reject>,
    /// Columns of the file that are not read.
    pub warnings: Vec<UnknownColumn>,
}

impl ResultSheet {
    /// A row the service refused (no such case…), as a reject.
    pub fn refuse(row: &ResultRow, column: &str, value: &str, reason: Why) -> Reject {
        Reject {
            line: row.line,
            problems: vec![Problem {
                column: column.to_string(),
                value: value.to_string(),
                reason,
            }],
            cells: row.cells.clone(),
        }
    }

    /// Write the rejected rows beside the sheet's header, as an import's
    /// `--skip-invalid` file (fixed, it imports again as it is).
    pub fn write_rejects(&self, rejects: &[Reject], to: &Path) -> Result<(), ImportError> {
        super::write_rejects(&self.header, rejects, to, None).map_err(|source| ImportError::Rejects {
            path: self.path.clone(),
            rejects: to.to_path_buf(),
            source,
        })
    }
}

fn score(key: &'static str, v: &str) -> super::cols::Cell<u8> {
    let n: f64 = match resolve::digits(v).parse().or_else(|_| v.trim().parse()) {
        Ok(n) => n,
        Err(_) => return bad(key, v, Why::NotAScore),
    };
    if !(0.0..=100.0).contains(&n) {
        return bad(key, v, Why::ScoreOutOfRange);
    }
    // Half points round up, as the agencies' sheets do.
    Ok(n.round() as u8)
}

fn panel(v: &str) -> super::cols::Cell<bool> {
    match v.trim().to_lowercase().as_str() {
        "通过" | "是" | "合格" | "yes" | "y" | "pass" | "passed" | "true" | "1" => Ok(true),
        "未通过" | "否" | "不合格" | "no" | "n" | "fail" | "failed" | "false" | "0" | "" => Ok(false),
        _ => bad("panel", v, Why::NotPanel),
    }
}

/// Read and check a results sheet; `today` bounds its dates.
pub fn read(path: &Path, opts: &ReadOptions, today: NaiveDate) -> Result<ResultSheet, ImportError> {
    let table = table::read(path, Kind::Cases, opts)?;
    let mut warnings = Vec::new();
    let cols = Cols::map(Kind::Cases, &table, false, &mut warnings)?;
    let mut sheet = ResultSheet {
        path: path.to_path_buf(),
        header: table.header.clone(),
        rows: Vec::new(),
        rejects: Vec::new(),
        warnings,
    };
    let mut seen: std::collections::HashMap<IdNumber, usize> = std::collections::HashMap::new();
    for row in &table.rows {
        let mut e = Errs::default();
        let id = e.ok(cols
            .required(row, "id_number")
            .and_then(|v| IdNumber::parse(v).or_else(|x| bad("id_number", v, Why::IdNumber(x)))));
        if let Some(id) = &id
            && let Some(first) = seen.get(id)
        {
            e.ok::<()>(bad("id_number", id.as_str(), Why::PersonRepeats { first: *first }));
        }
        let theory = e.ok(cols.required(row, "theory").and_then(|v| score("theory", v)));
        let practical = e.ok(cols.required(row, "practical").and_then(|v| score("practical", v)));
        let level = e.ok(cols
            .value(row, "level")
            .map(|v| parse_with("level", v, resolve::level))
            .transpose());
        let panel = e.ok(cols.value(row, "panel").map(panel).transpose());
        let date = e.ok(cols
            .value(row, "date")
            .map(|v| {
                parse_with("date", v, resolve::date).and_then(|d| {
                    if d > today {
                        bad("date", v, Why::FutureDate { today })
                    } else {
                        Ok(d)
                    }
                })
            })
            .transpose());
        let name = cols.value(row, "name").map(resolve::name);
        let certificate = cols.value(row, "certificate").map(str::to_string);
        match (id, theory, practical, level, panel, date) {
            (Some(id), Some(theory), Some(practical), Some(level), Some(panel), Some(date)) if e.is_empty() => {
                seen.insert(id, row.line);
                sheet.rows.push(ResultRow {
                    line: row.line,
                    id_number: id,
                    name,
                    evaluation: Evaluation {
                        theory,
                        practical,
                        panel: panel.unwrap_or(false),
                    },
                    level,
                    certificate,
                    date,
                    cells: row.cells.clone(),
                });
            }
            _ => sheet.rejects.push(reject(&cols, row, e)),
        }
    }
    Ok(sheet)
}

fn reject(cols: &Cols, row: &Row, e: Errs) -> Reject {
    Reject {
        line: row.line,
        problems: e
            .0
            .into_iter()
            .map(|x| Problem {
                column: if x.key.is_empty() { "-".into() } else { cols.name(x.key) },
                value: x.value,
                reason: x.reason,
            })
            .collect(),
        cells: row.cells.clone(),
    }
}
