//! Export: every record of a kind as the columns `import` reads, references
//! by name, so that export → import into an empty database gives the same
//! data back (ids may differ). CSV is UTF-8 with a BOM (Excel then shows the
//! Chinese right) and Chinese headers; JSON is an array of objects keyed by
//! the English column names, one object per line.

use super::columns;
use super::import::demand_ref;
use crate::domain::Kind;
use crate::domain::*;
use crate::store::{Store, StoreError};
use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown format '{0}': expected csv or json")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("reading the database: {0}")]
    Store(#[from] StoreError),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn joined(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join("、")
}

/// Every record of `kind` as cells in the order of `columns::columns(kind)`.
pub fn rows(store: &Store, kind: Kind) -> Result<Vec<Vec<String>>, StoreError> {
    Ok(match kind {
        Kind::Institutions => store
            .all::<Institution>()?
            .into_iter()
            .map(|i| vec![i.name, i.region.zh().into(), i.stars.to_string()])
            .collect(),
        Kind::Enterprises => store
            .all::<Enterprise>()?
            .into_iter()
            .map(|e| {
                vec![
                    e.name,
                    e.region.zh().into(),
                    e.industry,
                    e.alliance.map(|a| a.zh().to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        Kind::Demands => {
            let names: HashMap<EnterpriseId, String> =
                store.all::<Enterprise>()?.into_iter().map(|e| (e.id, e.name)).collect();
            store
                .all::<JobDemand>()?
                .into_iter()
                .map(|d| {
                    vec![
                        demand_ref(&d),
                        names
                            .get(&d.enterprise)
                            .cloned()
                            .unwrap_or_else(|| d.enterprise.to_string()),
                        d.occupation.zh().into(),
                        d.region.zh().into(),
                        d.kind.zh().into(),
                        d.headcount.to_string(),
                        d.wage_min.to_string(),
                        d.wage_max.to_string(),
                        d.min_level.map(|l| l.zh().to_string()).unwrap_or_default(),
                        d.posted.to_string(),
                        // Filled follows the hires; only "closed" is an operator's word.
                        if d.status == DemandStatus::Closed {
                            DemandStatus::Closed.zh().into()
                        } else {
                            DemandStatus::Open.zh().into()
                        },
                    ]
                })
                .collect()
        }
        Kind::Classes => {
            let names: HashMap<InstitutionId, String> = store
                .all::<Institution>()?
                .into_iter()
                .map(|i| (i.id, i.name))
                .collect();
            let refs: HashMap<DemandId, String> = store
                .all::<JobDemand>()?
                .iter()
                .map(|d| (d.id, demand_ref(d)))
                .collect();
            store
                .all::<TrainingClass>()?
                .into_iter()
                .map(|c| {
                    vec![
                        c.name,
                        names
                            .get(&c.institution)
                            .cloned()
                            .unwrap_or_else(|| c.institution.to_string()),
                        c.occupation.zh().into(),
                        c.region.zh().into(),
                        c.kind.zh().into(),
                        c.program.zh().into(),
                        c.start.to_string(),
                        c.end.to_string(),
                        c.capacity.to_string(),
                        c.target_level.zh().into(),
                        joined(
                            c.linked_demands
                                .iter()
                                .map(|d| refs.get(d).cloned().unwrap_or_else(|| d.to_string())),
                        ),
                        c.status.zh().into(),
                    ]
                })
                .collect()
        }
        Kind::Trainees => store
            .all::<Trainee>()?
            .into_iter()
            .map(|t| {
                vec![
                    t.name.into(),
                    t.id_number.as_str().to_string(),
                    t.mobile.map(|m| m.as_str().to_string()).unwrap_or_default(),
                    t.region.zh().into(),
                    t.key_group.map(Into::into).unwrap_or_default(),
                    joined(t.wanted.iter().map(|o| o.zh().to_string())),
                    t.created.to_string(),
                ]
            })
            .collect(),
        // Cases travel in backups, not spreadsheets.
        Kind::Cases => Vec::new(),
    })
}

/// Write every record of `kind` to `out`; returns how many.
pub fn write(store: &Store, kind: Kind, format: Format, out: &mut dyn Write) -> Result<usize, ExportError> {
    let rows = rows(store, kind)?;
    let cols = columns::columns(kind);
    let io = |source| ExportError::Io {
        path: PathBuf::from("-"),
        source,
    };
    match format {
        Format::Csv => {
            out.write_all(&[0xEF, 0xBB, 0xBF]).map_err(io)?;
            let mut w = csv::Writer::from_writer(&mut *out);
            let header: Vec<&str> = cols.iter().map(|c| c.zh).collect();
            w.write_record(&header).map_err(|e| io(e.into()))?;
            for r in &rows {
                w.write_record(r).map_err(|e| io(e.into()))?;
            }
            w.flush().map_err(io)?;
        }
        Format::Json => {
            out.write_all(b"[").map_err(io)?;
            for (i, r) in rows.iter().enumerate() {
                let fields: Vec<String> = cols
                    .iter()
                    .zip(r)
                    .map(|(c, v)| {
                        format!(
                            "{}:{}",
                            serde_json::Value::from(c.key),
                            serde_json::Value::from(v.as_str())
                        )
                    })
                    .collect();
                let sep = if i == 0 { "\n" } else { ",\n" };
                write!(out, "{sep}{{{}}}", fields.join(",")).map_err(io)?;
            }
            out.write_all(b"\n]\n").map_err(io)?;
        }
    }
    Ok(rows.len())
}

/// Write to a file, whole or not at all (a temporary file renamed into place).
pub fn to_path(store: &Store, kind: Kind, format: Format, path: &Path) -> Result<usize, ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut buf = Vec::new();
    let n = write(store, kind, format, &mut buf).map_err(|e| match e {
        ExportError::Io { source, .. } => io(source),
        other => other,
    })?;
    let tmp = path.with_extension(format!("{}.part", format.extension()));
    std::fs::write(&tmp, &buf).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(n)
}

/// Every kind into `dir` as `<kind>.<format>`, in the order an import needs.
pub fn all_to_dir(store: &Store, format: Format, dir: &Path) -> Result<Vec<(Kind, PathBuf, usize)>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for kind in Kind::IMPORTABLE {
        let path = dir.join(format!("{}.{}", kind.name(), format.extension()));
        let n = to_path(store, kind, format, &path)?;
        out.push((kind, path, n));
    }
    Ok(out)
}
