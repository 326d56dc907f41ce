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

use super::check::{Problem, Records, load_records, show_key};
use super::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

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
                "nothing to repair at {path}: indexes, counters and demand status match the records (no backup taken)\n"
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

pub(super) enum Edit {
    Put(TreeName, Vec<u8>, Vec<u8>),
    Remove(TreeName, Vec<u8>),
}

pub(super) struct Plan {
    pub(super) edits: Vec<(Edit, Change)>,
    /// Records that do not decode (repair refuses to run).
    pub(super) damaged: Vec<Problem>,
}

/// Expected index entries of some records; a unique key claimed by two
/// records is contested and left alone (check reports it).
fn expect_entries<R: Record>(
    want: &mut BTreeMap<TreeName, BTreeMap<Vec<u8>, Vec<u8>>>,
    contested: &mut BTreeSet<(TreeName, Vec<u8>)>,
    items: &[R],
) {
    for r in items {
        for e in r.index_entries() {
            let value = if e.unique {
                r.key().to_be_bytes().to_vec()
            } else {
                Vec::new()
            };
            if let Some(prev) = want.entry(e.tree).or_default().insert(e.key.clone(), value.clone())
                && prev != value
            {
                contested.insert((e.tree, e.key));
            }
        }
    }
}

fn describe_u32(stored: Option<&Vec<u8>>) -> String {
    match stored {
        None => "nothing".into(),
        Some(b) => u32_from(b).map_or_else(|| "malformed bytes".into(), |n| n.to_string()),
    }
}

impl Store {
    fn read_tree(&self, t: TreeName) -> Result<BTreeMap<Vec<u8>, Vec<u8>>> {
        let mut out = BTreeMap::new();
        for item in self.tree(t).iter() {
            let (k, v) = item.map_err(|e| self.write_err(e))?;
            out.insert(k.to_vec(), v.to_vec());
        }
        Ok(out)
    }

    /// Everything repair would change; never writes.
    pub(super) fn plan_repair(&self) -> Result<Plan> {
        let mut damaged = Vec::new();
        let Records {
            institutions,
            enterprises,
            demands,
            classes,
            trainees,
            cases,
        } = load_records(self, &mut damaged);
        if !damaged.is_empty() {
            return Ok(Plan { edits: vec![], damaged });
        }
        let mut edits = Vec::new();

        // Indexes.
        let mut want = BTreeMap::new();
        let mut contested = BTreeSet::new();
        expect_entries(&mut want, &mut contested, &institutions);
        expect_entries(&mut want, &mut contested, &enterprises);
        expect_entries(&mut want, &mut contested, &demands);
        expect_entries(&mut want, &mut contested, &classes);
        expect_entries(&mut want, &mut contested, &trainees);
        expect_entries(&mut want, &mut contested, &cases);
        for t in TreeName::ALL.into_iter().filter(|t| t.is_index()) {
            let want_t = want.remove(&t).unwrap_or_default();
            let have = self.read_tree(t)?;
            for (k, v) in &want_t {
                if contested.contains(&(t, k.clone())) {
                    continue;
                }
                let what = match have.get(k) {
                    Some(hv) if hv == v => continue,
                    Some(_) => "pointed at the wrong record; now points at the one that holds the key",
                    None => "was missing; added",
                };
                edits.push((
                    Edit::Put(t, k.clone(), v.clone()),
                    Change {
                        tree: t.name(),
                        key: show_key(k),
                        what: what.into(),
                    },
                ));
            }
            for k in have.keys().filter(|k| !want_t.contains_key(*k)) {
                edits.push((
                    Edit::Remove(t, k.clone()),
                    Change {
                        tree: t.name(),
                        key: show_key(k),
                        what: "named no record; removed".into(),
                    },
                ));
            }
        }

        // Counters, from the cases.
        let mut seats: HashMap<u64, u32> = HashMap::new();
        let mut usage: HashMap<u64, DemandUsage> = HashMap::new();
        for c in &cases {
            if c.state.holds_seat() {
                *seats.entry(c.class.0).or_default() += 1;
            }
            if let Some(d) = c.state.referral() {
                usage.entry(d.0).or_default().referred += 1;
            }
            if let Some(d) = c.state.hired() {
                usage.entry(d.0).or_default().hired += 1;
            }
        }
        let mut have = self.read_tree(TreeName::ClassUsage)?;
        for c in &classes {
            let key = c.id.0.to_be_bytes().to_vec();
            let want = seats.get(&c.id.0).copied().unwrap_or(0);
            let stored = have.remove(&key);
            let ok = match stored.as_deref() {
                None => want == 0,
                Some(b) => u32_from(b) == Some(want),
            };
            if !ok {
                edits.push((
                    Edit::Put(TreeName::ClassUsage, key, want.to_be_bytes().to_vec()),
                    Change {
                        tree: TreeName::ClassUsage.name(),
                        key: c.id.to_string(),
                        what: format!(
                            "seats used: the counter said {}, the cases hold {want}; set to {want}",
                            describe_u32(stored.as_ref())
                        ),
                    },
                ));
            }
        }
        for k in have.into_keys() {
            edits.push((
                Edit::Remove(TreeName::ClassUsage, k.clone()),
                Change {
                    tree: TreeName::ClassUsage.name(),
                    key: show_key(&k),
                    what: "counter for a class that does not exist; removed".into(),
                },
            ));
        }
        let mut have = self.read_tree(TreeName::DemandUsage)?;
        for d in &demands {
            let key = d.id.0.to_be_bytes().to_vec();
            let want = usage.get(&d.id.0).copied().unwrap_or_default();
            let stored = have.remove(&key);
            let ok = match stored.as_deref() {
                None => want == DemandUsage::default(),
                Some(b) => DemandUsage::from_bytes(b) == Some(want),
            };
            if !ok {
                let said = match stored.as_deref().map(DemandUsage::from_bytes) {
                    None => "nothing".to_string(),
                    Some(None) => "malformed bytes".to_string(),
                    Some(Some(u)) => format!("{} referred / {} hired", u.referred, u.hired),
                };
                edits.push((
                    Edit::Put(TreeName::DemandUsage, key, want.to_bytes().to_vec()),
                    Change {
                        tree: TreeName::DemandUsage.name(),
                        key: d.id.to_string(),
                        what: format!(
                            "posts taken: the counter said {said}, the cases hold {} referred / {} hired; set to that",
                            want.referred, want.hired
                        ),
                    },
                ));
            }
            // "filled" follows the hires; an operator's "closed" stands.
            let status = match d.status {
                DemandStatus::Closed => DemandStatus::Closed,
                _ if want.hired >= d.headcount => DemandStatus::Filled,
                _ => DemandStatus::Open,
            };
            if status != d.status {
                let mut fixed = d.clone();
                fixed.status = status;
                let bytes = codec::encode(JobDemand::VERSION, &fixed)
                    .map_err(|e| self.corrupt(format!("demand {}: {e}", d.id)))?;
                edits.push((
                    Edit::Put(TreeName::Demands, d.id.0.to_be_bytes().to_vec(), bytes),
                    Change {
                        tree: TreeName::Demands.name(),
                        key: d.id.to_string(),
                        what: format!(
                            "status was {} with {} of {} posts hired; now {}",
                            d.status.name(),
                            want.hired,
                            d.headcount,
                            status.name()
                        ),
                    },
                ));
            }
        }
        for k in have.into_keys() {
            edits.push((
                Edit::Remove(TreeName::DemandUsage, k.clone()),
                Change {
                    tree: TreeName::DemandUsage.name(),
                    key: show_key(&k),
                    what: "counter for a demand that does not exist; removed".into(),
                },
            ));
        }
        Ok(Plan { edits, damaged })
    }

    /// Apply a plan in one transaction over every tree, then flush.
    pub(super) fn apply_repair(&self, edits: &[(Edit, Change)]) -> Result<()> {
        let out = self.trees.as_slice().transaction(|view: &Vec<TransactionalTree>| {
            for (edit, _) in edits {
                match edit {
                    Edit::Put(t, k, v) => {
                        view[*t as usize].insert(k.as_slice(), v.as_slice())?;
                    }
                    Edit::Remove(t, k) => {
                        view[*t as usize].remove(k.as_slice())?;
                    }
                }
            }
            // Counters and indexes change under any cached picture (a
            // repair, an upgrade): move the generation in the same
            // transaction, so none is trusted after it, crash or not.
            let meta = &view[TreeName::Meta as usize];
            let g = meta.get(GENERATION)?.and_then(|v| u64_from(&v)).unwrap_or(0);
            meta.insert(GENERATION, &(g + 1).to_be_bytes())?;
            Ok::<(), Abort>(())
        });
        match out {
            Ok(()) => {}
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(self.write_err(e)),
        }
        self.flush()
    }

    pub(super) fn unrepairable(&self, damaged: &[Problem]) -> StoreError {
        StoreError::Unrepairable {
            path: self.path.clone(),
            count: damaged.len(),
            list: damaged.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "),
        }
    }
}

/// Repair the database at `path` (which no process may hold): back it up,
/// then rebuild indexes, counters and demand status from the records. When
/// nothing disagrees, nothing is written and no backup is taken.
pub fn repair(path: &Path) -> Result<RepairReport> {
    if !path.join("db").is_file() {
        return Err(StoreError::Open {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "there is no database here to repair"),
        });
    }
    let store = Store::open(path)?;
    let plan = store.plan_repair()?;
    if !plan.damaged.is_empty() {
        return Err(store.unrepairable(&plan.damaged));
    }
    if plan.edits.is_empty() {
        return Ok(RepairReport {
            path: path.to_path_buf(),
            backup: None,
            changes: vec![],
            remaining: store.check().problems,
        });
    }
    drop(store);
    let backup = backup::backup_dir(path)?;
    let store = Store::reopen(path)?;
    // Planned again: the database was closed for the backup.
    let plan = store.plan_repair()?;
    if !plan.damaged.is_empty() {
        return Err(store.unrepairable(&plan.damaged));
    }
    store.apply_repair(&plan.edits)?;
    Ok(RepairReport {
        path: path.to_path_buf(),
        backup: Some(backup),
        changes: plan.edits.into_iter().map(|(_, c)| c).collect(),
        remaining: store.check().problems,
    })
}
