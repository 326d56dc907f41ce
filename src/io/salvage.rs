//! `salvage`: every record of a damaged database that still reads, written
//! to a backup file `restore` accepts, and a report of what was lost.
//!
//! The database's files are read without sled (`store::sledlog`), which a
//! damaged log can send into a loop, an unbounded allocation or a panic.
//! A record that does not decode is lost; so is one whose page is damaged
//! beyond a one-bit repair. What is kept is made whole so that `restore`
//! (and its `check`) accept it: a record that refers to a lost one is left
//! out too (a case without its trainee), a case whose event history is not
//! complete is left out with it, a class keeps its other linked demands,
//! and a demand's filled status follows the hires that remain. Each of
//! these is in the report.

use super::backup::{self, BackupError, Contents, Summary};
use crate::domain::*;
use crate::store::codec;
use crate::store::sledlog::{self, Lost, Scan, ScanError};
use crate::store::{Record, StoreError, run};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SalvageError {
    #[error("no database at {path}: there is nothing to salvage (give the database directory with --db PATH)")]
    NoDatabase { path: PathBuf },
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Backup(#[from] BackupError),
}

/// What a salvage kept and what it could not.
#[derive(Debug)]
pub struct Report {
    pub summary: Summary,
    /// One line per loss: what, where, why.
    pub lost: Vec<String>,
    /// Damage put right (a wrong bit), which cost nothing.
    pub repaired: Vec<String>,
    /// How the files were read.
    pub notes: Vec<String>,
}

impl Report {
    /// Nothing was lost.
    pub fn complete(&self) -> bool {
        self.lost.is_empty()
    }
}

fn id_of(key: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(key.try_into().ok()?))
}

fn range_text(l: &Lost) -> String {
    let bound = |k: &[u8]| match id_of(k) {
        Some(n) => n.to_string(),
        None if k.is_empty() => String::new(),
        None => format!("'{}'", String::from_utf8_lossy(k)),
    };
    match (l.from.is_empty(), l.to.is_empty()) {
        (true, true) => format!("{}: every record", l.tree),
        (false, true) => format!("{}: records from {} on", l.tree, bound(&l.from)),
        (true, false) => format!("{}: records before {}", l.tree, bound(&l.to)),
        (false, false) => format!("{}: records from {} up to {}", l.tree, bound(&l.from), bound(&l.to)),
    }
}

/// Decode a tree's records; one that does not is reported.
fn decode<R: Record>(scan: &Scan, lost: &mut Vec<String>) -> Vec<R> {
    let tree = R::TREE.name();
    let mut out = Vec::new();
    for (k, v) in scan.trees.get(tree).into_iter().flatten() {
        match codec::decode::<R>(v, R::VERSION) {
            Ok((_, r)) if id_of(k) == Some(r.key()) => out.push(r),
            Ok((_, r)) => lost.push(format!("{tree} {}: stored under another key, left out", r.key())),
            Err(e) => lost.push(format!(
                "{tree} {}: does not decode ({e}), left out",
                id_of(k).map(|n| n.to_string()).unwrap_or_else(|| format!("{k:?}"))
            )),
        }
    }
    out
}

/// Read the database at `db` without sled and write what it holds to `out`.
pub fn salvage(db: &Path, out: &Path) -> Result<Report, SalvageError> {
    if !db.join("db").is_file() {
        return Err(SalvageError::NoDatabase { path: db.to_path_buf() });
    }
    if out.exists() {
        return Err(BackupError::Exists {
            path: out.to_path_buf(),
        }
        .into());
    }
    // No process may be writing while the files are read.
    let _lock = crate::store::backup::lock_database(db)?;
    let scan = sledlog::scan(db)?;
    let mut lost: Vec<String> = scan
        .lost
        .iter()
        .map(|l| format!("{} ({})", range_text(l), l.why))
        .collect();
    for d in &scan.damage {
        if !scan.lost.iter().any(|l| l.why.contains(&format!("byte {}", d.offset))) {
            lost.push(d.to_string());
        }
    }
    let mut c = Contents::default();
    for (k, v) in scan.trees.get("meta").into_iter().flatten() {
        c.meta.push((String::from_utf8_lossy(k).into_owned(), v.clone()));
    }
    c.institutions = decode(&scan, &mut lost);
    c.enterprises = decode(&scan, &mut lost);
    c.demands = decode(&scan, &mut lost);
    c.classes = decode(&scan, &mut lost);
    c.trainees = decode(&scan, &mut lost);
    c.cases = decode(&scan, &mut lost);
    for (k, v) in scan.trees.get("events").into_iter().flatten() {
        // Every event that decodes is kept, each of a case's run on its own.
        for (i, ev) in run::each(k, v).into_iter().enumerate() {
            match ev {
                Ok(ev) => c.events.push(ev),
                Err(e) => {
                    let at = if run::is_run(k) {
                        format!(" #{i}")
                    } else {
                        String::new()
                    };
                    lost.push(format!("events {k:02x?}{at}: does not decode ({}), left out", e.detail));
                }
            }
        }
    }
    make_whole(&mut c, &mut lost);
    let summary = backup::write(&c, out)?;
    Ok(Report {
        summary,
        lost,
        repaired: scan.repaired.iter().map(|d| d.to_string()).collect(),
        notes: scan.notes,
    })
}

/// Leave out what refers to a lost record, so that `restore` accepts the rest.
fn make_whole(c: &mut Contents, lost: &mut Vec<String>) {
    let institutions: HashSet<InstitutionId> = c.institutions.iter().map(|i| i.id).collect();
    let enterprises: HashSet<EnterpriseId> = c.enterprises.iter().map(|e| e.id).collect();
    c.demands.retain(|d| {
        let keep = enterprises.contains(&d.enterprise);
        if !keep {
            lost.push(format!(
                "demands {}: left out, its enterprise {} was lost",
                d.id, d.enterprise
            ));
        }
        keep
    });
    let demands: HashSet<DemandId> = c.demands.iter().map(|d| d.id).collect();
    c.classes.retain(|cl| {
        let keep = institutions.contains(&cl.institution);
        if !keep {
            lost.push(format!(
                "classes {}: left out, its institution {} was lost",
                cl.id, cl.institution
            ));
        }
        keep
    });
    for cl in &mut c.classes {
        let before = cl.linked_demands.len();
        cl.linked_demands.retain(|d| demands.contains(d));
        if cl.linked_demands.len() != before {
            lost.push(format!(
                "classes {}: {} linked demands were lost and are no longer linked",
                cl.id,
                before - cl.linked_demands.len()
            ));
        }
    }
    let classes: HashSet<ClassId> = c.classes.iter().map(|cl| cl.id).collect();
    let trainees: HashSet<TraineeId> = c.trainees.iter().map(|t| t.id).collect();
    let mut events: BTreeMap<CaseId, Vec<Event>> = BTreeMap::new();
    for ev in std::mem::take(&mut c.events) {
        events.entry(ev.case).or_default().push(ev);
    }
    let mut kept_events = Vec::new();
    c.cases.retain(|case| {
        let mut why = Vec::new();
        if !trainees.contains(&case.trainee) {
            why.push(format!("its trainee {} was lost", case.trainee));
        }
        if !classes.contains(&case.class) {
            why.push(format!("its class {} was lost", case.class));
        }
        for d in case.state.referral().into_iter().chain(case.state.hired()) {
            if !demands.contains(&d) {
                why.push(format!("its demand {d} was lost"));
            }
        }
        let evs = events.remove(&case.id).unwrap_or_default();
        let whole = evs.len() == case.events as usize && evs.iter().enumerate().all(|(i, e)| e.seq as usize == i);
        if !whole {
            why.push(format!(
                "{} of its {} events were lost",
                (case.events as usize).saturating_sub(evs.len()),
                case.events
            ));
        }
        if why.is_empty() {
            kept_events.extend(evs);
            true
        } else {
            lost.push(format!("cases {}: left out, {}", case.id, why.join(", ")));
            false
        }
    });
    for (case, evs) in events {
        lost.push(format!(
            "events of case {case}: {} left out, the case was lost",
            evs.len()
        ));
    }
    c.events = kept_events;
    // A demand is filled when its remaining hires fill it.
    let mut hired: HashMap<DemandId, u32> = HashMap::new();
    for case in &c.cases {
        if let Some(d) = case.state.hired() {
            *hired.entry(d).or_default() += 1;
        }
    }
    for d in &mut c.demands {
        let status = crate::store::demand_status(d.status, hired.get(&d.id).copied().unwrap_or(0), d.headcount);
        if status != d.status {
            lost.push(format!(
                "demands {}: status {} → {} to follow the hires that remain",
                d.id,
                d.status.name(),
                status.name()
            ));
            d.status = status;
        }
    }
}
