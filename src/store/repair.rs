//! `skillbridge check --repair`: rebuild what is derived from the primary
//! records — the secondary indexes, the seat and post counters, a demand's
//! filled/open status — where it disagrees with them.
//!
//! The database directory is backed up first (`PATH.bak-YYYYmmddHHMMSS`,
//! see `backup`), and every change goes in one transaction. Nothing else of
//! a record is ever rewritten. A database with a record that does not
//! decode is left exactly as it is: that record's index entries and
//! counters cannot be rebuilt without it, and only a backup brings it back.
//! Problems repair cannot fix (a class over capacity, an illegal event
//! chain, a reference to a missing record) are reported for an operator.

use super::check::{Problem, load_records};
use super::tx::Edit;
use super::{Result, Store, StoreError, backup};
use std::fmt;
use std::path::{Path, PathBuf};

/// One thing repair changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub tree: &'static str,
    pub key: String,
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.tree, self.key, self.what)
    }
}

/// What `repair` did.
#[derive(Debug)]
pub struct RepairReport {
    pub path: PathBuf,
    /// The copy taken before the first change (none when nothing changed).
    pub backup: Option<PathBuf>,
    pub changes: Vec<Change>,
    /// What `check` still finds: problems only an operator can resolve.
    pub remaining: Vec<Problem>,
}

impl RepairReport {
    /// The report as the command line prints it.
    pub fn text(&self) -> String {
        let path = self.path.display();
        let mut out = String::new();
        if let Some(b) = &self.backup {
            out += &format!("backed up {path} to {}\n", b.display());
        }
        for c in &self.changes {
            out += &format!("repaired {c}\n");
        }
        if self.changes.is_empty() {
            out += &format!(
                "nothing to repair at {path}: indexes, counters and demand status match the records (the copy taken first was removed)\n"
            );
        } else {
            out += &format!("{} repairs at {path}\n", self.changes.len());
        }
        if self.remaining.is_empty() {
            out += "check finds no problems\n";
        } else {
            out += &format!(
                "{} problems remain that repair cannot fix; they need an operator:\n",
                self.remaining.len()
            );
            for p in &self.remaining {
                out += &format!("  {p}\n");
            }
        }
        out
    }
}

/// What repair would write, and what it would say about each write.
pub(super) struct Plan {
    pub(super) edits: Vec<(Edit, Change)>,
    /// Records that do not decode (repair refuses to run).
    pub(super) damaged: Vec<Problem>,
}

impl Store {
    /// Everything repair would change (what `derived` finds); never writes.
    pub(super) fn plan_repair(&self) -> Result<Plan> {
        let mut damaged = Vec::new();
        let records = load_records(self, &mut damaged);
        if !damaged.is_empty() {
            return Ok(Plan { edits: vec![], damaged });
        }
        let mut edits = Vec::new();
        for f in self.derive(&records)?.findings {
            let edit = f.edit().map_err(|e| self.corrupt(format!("{}: {e}", f.change())))?;
            edits.push((edit, f.change()));
        }
        Ok(Plan { edits, damaged })
    }

    /// Apply a plan in one transaction over every tree, then flush.
    pub(super) fn apply_repair(&self, edits: &[(Edit, Change)]) -> Result<()> {
        let edits: Vec<Edit> = edits.iter().map(|(e, _)| e.clone()).collect();
        self.apply_edits(&edits)
    }

    pub(super) fn unrepairable(&self, damaged: &[Problem]) -> StoreError {
        StoreError::Unrepairable {
            path: self.path.clone(),
            count: damaged.len(),
            list: damaged.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "),
        }
    }
}

/// Repair the database at `path` (which no process may hold): back it up
/// first, always, before anything is read (reading a damaged database can
/// be what fails), then rebuild indexes, counters and demand status from
/// the records. When nothing was changed, the copy is removed again.
pub fn repair(path: &Path) -> Result<RepairReport> {
    if !path.join("db").is_file() {
        return Err(StoreError::Open {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "there is no database here to repair"),
        });
    }
    let copy = backup::backup_dir(path)?;
    let discard = |copy: &Path| {
        let _ = std::fs::remove_dir_all(copy);
    };
    let store = match Store::reopen(path) {
        Ok(s) => s,
        Err(e) => {
            discard(&copy);
            return Err(e);
        }
    };
    let plan = match store.plan_repair() {
        Ok(p) => p,
        Err(e) => {
            discard(&copy);
            return Err(e);
        }
    };
    if !plan.damaged.is_empty() {
        discard(&copy);
        return Err(store.unrepairable(&plan.damaged));
    }
    // The subsidy index, rebuilt from the claims where it differs (#21).
    let subsidy = match store.repair_subsidy_index() {
        Ok(s) => s,
        Err(e) => {
            discard(&copy);
            return Err(e);
        }
    };
    let subsidy_change = subsidy.map(|(wrong, stray)| Change {
        tree: super::subsidy::INDEX_TREE,
        key: "-".into(),
        what: format!("rebuilt from the claims ({wrong} entries written, {stray} stray removed)"),
    });
    // The case notes tree, rebuilt from the events where it differs (#18).
    let notes = match store.repair_case_notes() {
        Ok(n) => n,
        Err(e) => {
            discard(&copy);
            return Err(e);
        }
    };
    let notes_change = notes.map(|(wrong, stray)| Change {
        tree: super::notes::NOTES_TREE,
        key: "-".into(),
        what: format!("rebuilt from the events ({wrong} entries written, {stray} stray removed)"),
    });
    if plan.edits.is_empty() && subsidy_change.is_none() && notes_change.is_none() {
        discard(&copy);
        return Ok(RepairReport {
            path: path.to_path_buf(),
            backup: None,
            changes: vec![],
            remaining: store.check().problems,
        });
    }
    store.apply_repair(&plan.edits)?;
    let mut changes: Vec<Change> = plan.edits.into_iter().map(|(_, c)| c).collect();
    changes.extend(subsidy_change);
    changes.extend(notes_change);
    Ok(RepairReport {
        path: path.to_path_buf(),
        backup: Some(copy),
        changes,
        remaining: store.check().problems,
    })
}
