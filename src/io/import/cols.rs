//! A file's columns for one kind, and a row's cells read through them.

use super::super::table::{self, Row, Table};
use super::super::{columns, resolve};
use super::ImportError;
use crate::domain::*;
use std::collections::HashMap;

/// A row's problem before the row and path are attached.
#[derive(Debug, Clone)]
pub(super) struct CellError {
    pub(super) key: &'static str,
    pub(super) value: String,
    pub(super) reason: super::Why,
}

pub(super) type Cell<T> = Result<T, CellError>;

pub(super) fn bad<T>(key: &'static str, value: impl Into<String>, reason: impl Into<super::Why>) -> Cell<T> {
    Err(CellError {
        key,
        value: value.into(),
        reason: reason.into(),
    })
}

/// Every problem of one row: a builder goes on after a bad cell, so the
/// operator sees all of a row's problems at once.
#[derive(Default)]
pub(super) struct Errs(pub(super) Vec<CellError>);

impl Errs {
    /// The value, or `None` with the problem kept.
    pub(super) fn ok<T>(&mut self, r: Cell<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a row says about one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Given<'r> {
    /// The file has no such column: keep what is stored (or the default).
    Absent,
    /// The column is there and the cell empty.
    Empty,
    Value(&'r str),
}

/// The file's columns: which index holds which column, and the header text.
pub(super) struct Cols {
    pub(super) kind: Kind,
    pub(super) index: HashMap<&'static str, usize>,
    pub(super) header: Vec<String>,
    /// An empty cell clears the stored value (`--clear-empty`); else it keeps it.
    pub(super) clear_empty: bool,
}

impl Cols {
    pub(super) fn map(
        kind: Kind,
        table: &Table,
        clear_empty: bool,
        warnings: &mut Vec<super::UnknownColumn>,
    ) -> Result<Cols, ImportError> {
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
                    warnings.push(super::UnknownColumn {
                        path: table.path.clone(),
                        line: table.header_line,
                        header: h.trim().to_string(),
                        letter: table::column_letter(i),
                        near: columns::near(kind, h).into_iter().map(str::to_string).collect(),
                    });
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
            clear_empty,
        })
    }

    /// The cell of column `key`, trimmed (and without the `'` export put
    /// before a formula-looking value); `None` when the file has no such column.
    pub(super) fn get<'r>(&self, row: &'r Row, key: &str) -> Option<&'r str> {
        self.index.get(key).map(|&i| {
            let cell = row.cells.get(i).map(|s| s.trim()).unwrap_or("");
            resolve::unescape_formula(cell).trim()
        })
    }

    /// The cell, or `None` when the column is absent or the cell empty.
    pub(super) fn value<'r>(&self, row: &'r Row, key: &str) -> Option<&'r str> {
        self.get(row, key).filter(|s| !s.is_empty())
    }

    pub(super) fn given<'r>(&self, row: &'r Row, key: &str) -> Given<'r> {
        match self.get(row, key) {
            None => Given::Absent,
            Some("") => Given::Empty,
            Some(v) => Given::Value(v),
        }
    }

    pub(super) fn required<'r>(&self, row: &'r Row, key: &'static str) -> Cell<&'r str> {
        match self.value(row, key) {
            Some(v) => Ok(v),
            None => {
                let (column, about) = columns::column(self.kind, key)
                    .map(|c| (c.zh, c.about))
                    .unwrap_or_default();
                bad(key, "", super::Why::Required { column, about })
            }
        }
    }

    /// A field a stored record has: a value is parsed; an empty cell keeps
    /// the stored value, unless `--clear-empty` (then `cleared`) or the
    /// field cannot be empty (`cleared` is `None`); a new record, or a
    /// column the file lacks, gets the stored value or `default`.
    pub(super) fn field<T: Clone>(
        &self,
        row: &Row,
        key: &'static str,
        old: Option<&T>,
        cleared: Option<T>,
        default: impl FnOnce() -> T,
        parse: impl FnOnce(&str) -> Cell<T>,
    ) -> Cell<T> {
        match (self.given(row, key), old) {
            (Given::Value(v), _) => parse(v),
            (Given::Empty, Some(_)) if self.clear_empty && cleared.is_some() => Ok(cleared.unwrap_or_else(default)),
            (_, Some(o)) => Ok(o.clone()),
            (_, None) => Ok(default()),
        }
    }

    /// How the file names a column (or its Chinese name, when absent).
    pub(super) fn name(&self, key: &str) -> String {
        match self.index.get(key) {
            Some(&i) => self.header[i].trim().to_string(),
            None => match columns::column(self.kind, key) {
                Some(c) => format!("{} (not in the file)", c.zh),
                None => key.to_string(),
            },
        }
    }
}

pub(super) fn parse_with<T>(
    key: &'static str,
    value: &str,
    f: impl FnOnce(&str) -> Result<T, resolve::Unresolved>,
) -> Cell<T> {
    f(value).map_err(|reason| CellError {
        key,
        value: value.to_string(),
        reason: reason.into(),
    })
}

/// A required name cell, normalized (see `resolve::name`).
pub(super) fn name_cell(cols: &Cols, row: &Row, key: &'static str) -> Cell<String> {
    cols.required(row, key).map(resolve::name)
}

pub(super) fn region_cell(cols: &Cols, row: &Row, key: &'static str) -> Cell<Option<RegionId>> {
    cols.value(row, key)
        .map(|v| parse_with(key, v, resolve::region))
        .transpose()
}
