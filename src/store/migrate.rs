//! Schema migrations. A database records the schema version that wrote it
//! (meta `schema_version`). Opening an older one runs the steps from its
//! version up to `SCHEMA_VERSION` in order: first the whole directory is
//! backed up (`PATH.bak-YYYYmmddHHMMSS`, see `backup`), then each step runs
//! and is followed by its version bump and a flush, and at the end the
//! indexes, counters and demand status are rebuilt from the records (so a
//! step only has to convert records). A step that fails leaves the version
//! at the step's start; opening again resumes there.
//!
//! Version 1 is the first schema; the step from 1 drops the six index
//! trees nothing read. When a format changes: bump `SCHEMA_VERSION` (and
//! the record's `Record::VERSION` when its encoding changes, and
//! `RECORDS_SCHEMA` when a record changes), add a `Step { from: <old
//! version>, … }` (usually one `upgrade_records` call), and commit a
//! database written by the old program under `tests/fixtures/` so
//! `tests/it/upgrade.rs` migrates it.

use super::record::{Record, u64_from};
use super::tree::DROPPED_IN_SCHEMA_2;
use super::{Result, Store, StoreError, backup, codec};

/// One migration: takes a database from schema `from` to `from + 1`.
#[derive(Clone, Copy)]
pub struct Step {
    pub from: u32,
    /// What the step changes, for messages.
    pub what: &'static str,
    /// Returns how many records it rewrote. Must be safe to run again on a
    /// database it already (partly) converted.
    pub run: fn(&Store) -> Result<usize>,
}

/// Every step this program knows, oldest first.
pub static STEPS: &[Step] = &[
    Step {
        from: 1,
        what: "drop the indexes of demands and classes by occupation and region and of cases by class and trainee",
        run: drop_unread_indexes,
    },
    Step {
        from: 2,
        what: "keep the compiled-in Zhenjiang regions, occupations, programs and alliances in the database as its city pack",
        run: pack_from_compiled_catalog,
    },
    Step {
        from: 3,
        what: "fill the case notes tree from the notes in the cases' events",
        run: super::notes::fill_from_events,
    },
    Step {
        from: 4,
        what: "allow a case's events to be kept as one run (nothing to convert: single events read as before)",
        run: |_| Ok(0),
    },
];

/// Schema 2 → 3: a database written before city packs meant the catalog
/// compiled into the program (Zhenjiang's): it gets exactly that as its
/// pack, so every id its records hold keeps its meaning. A database that
/// already has a pack keeps it (the step can run again).
fn pack_from_compiled_catalog(store: &Store) -> Result<usize> {
    Ok(if store.ensure_pack()? {
        crate::domain::pack::Pack::zhenjiang().occupations.len()
    } else {
        0
    })
}

/// Schema 1 → 2: remove the index trees nothing read. Returns how many
/// entries they held. A tree already gone is skipped, so the step can run
/// again after a crash.
fn drop_unread_indexes(store: &Store) -> Result<usize> {
    let mut n = 0;
    for name in DROPPED_IN_SCHEMA_2 {
        if store.db.tree_names().iter().any(|t| t.as_ref() == name.as_bytes()) {
            n += store.db.open_tree(name).map_err(|e| store.write_err(e))?.len();
            store.db.drop_tree(name).map_err(|e| store.write_err(e))?;
        }
    }
    store.flush()?;
    Ok(n)
}

/// The steps from `from` up to `to`, or `None` where one is missing.
pub fn plan(steps: &[Step], from: u32, to: u32) -> Option<Vec<&Step>> {
    (from..to).map(|v| steps.iter().find(|s| s.from == v)).collect()
}

/// Migrate an open database from schema `from` to `to` with `steps`:
/// backup, steps with their version bumps, rebuild. Returns the store,
/// reopened, at version `to`.
pub(crate) fn upgrade(store: Store, from: u32, to: u32, steps: &[Step], cache_bytes: u64) -> Result<Store> {
    let path = store.path().to_path_buf();
    let Some(plan) = plan(steps, from, to) else {
        return Err(StoreError::OldSchema {
            path,
            found: from,
            oldest: steps.iter().map(|s| s.from).min().unwrap_or(to),
        });
    };
    drop(store);
    let backup = backup::backup_dir(&path)?;
    let store = Store::retry_locked(|| Store::open_unchecked(&path, cache_bytes))?;
    let failed = |step: &Step, e: StoreError| StoreError::Migration {
        path: path.clone(),
        from: step.from,
        step: step.what,
        backup: backup.clone(),
        detail: e.to_string(),
    };
    for step in plan {
        (step.run)(&store).map_err(|e| failed(step, e))?;
        store.set_schema_version(step.from + 1).map_err(|e| failed(step, e))?;
    }
    let rebuild = store.plan_repair()?;
    if !rebuild.damaged.is_empty() {
        return Err(store.unrepairable(&rebuild.damaged));
    }
    store.apply_repair(&rebuild.edits)?;
    Ok(store)
}

/// For a step that changes how one kind of record is encoded: rewrite
/// every record of `New::TREE` written at an older envelope version,
/// decoded as `Old` and converted by `convert` (which gets the version
/// found). Records already at `New::VERSION` are skipped, so a step cut
/// short by a crash simply runs again. Returns how many were rewritten.
pub fn upgrade_records<Old, New>(store: &Store, convert: impl Fn(u16, Old) -> New) -> Result<usize>
where
    Old: serde::de::DeserializeOwned,
    New: Record,
{
    let tree = store.tree(New::TREE);
    let mut batch = sled::Batch::default();
    let mut n = 0;
    for item in tree.iter() {
        let (k, v) = item.map_err(|e| store.read_err(e))?;
        let at = || format!("{} {}", New::TREE.name(), u64_from(&k).unwrap_or_default());
        let found = codec::version_of(&v).map_err(|e| store.corrupt(format!("{}: {e}", at())))?;
        if found >= New::VERSION {
            continue;
        }
        let (_, old) = codec::decode::<Old>(&v, found).map_err(|e| store.corrupt(format!("{}: {e}", at())))?;
        let bytes =
            codec::encode(New::VERSION, &convert(found, old)).map_err(|e| store.corrupt(format!("{}: {e}", at())))?;
        batch.insert(k, bytes);
        n += 1;
    }
    tree.apply_batch(batch).map_err(|e| store.write_err(e))?;
    store.flush()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;
    use crate::store::{SCHEMA_VERSION, TreeName};
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};
    use std::path::{Path, PathBuf};

    /// A trainee as an imagined schema 0 wrote it: no key group, no wanted
    /// occupations, and no ID-number index.
    #[derive(Serialize, Deserialize)]
    struct TraineeV0 {
        id: TraineeId,
        name: String,
        id_number: IdNumber,
        mobile: Option<Mobile>,
        region: RegionId,
        created: NaiveDate,
    }

    fn to_v1(_found: u16, t: TraineeV0) -> Trainee {
        Trainee {
            id: t.id,
            name: t.name.into(),
            id_number: t.id_number,
            mobile: t.mobile,
            key_group: None,
            region: t.region,
            wanted: vec![].into(),
            created: t.created,
        }
    }

    fn step_0(store: &Store) -> Result<usize> {
        upgrade_records::<TraineeV0, Trainee>(store, to_v1)
    }

    fn failing_step(_: &Store) -> Result<usize> {
        Err(StoreError::DiskFull {
            path: PathBuf::from("/somewhere"),
            doing: "saving",
        })
    }

    const CACHE: u64 = 8 * 1024 * 1024;

    /// A schema-0 database: trainees in the old shape at envelope version
    /// 0, without their index entries.
    fn v0_database(path: &Path) -> Vec<Trainee> {
        let store = Store::open(path).unwrap();
        let d = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
        let mut trainees = Vec::new();
        for n in 0..5u16 {
            let t = store
                .save(Trainee {
                    id: TraineeId(0),
                    name: format!("旧版{n}").into(),
                    id_number: IdNumber::from_parts("321183", NaiveDate::from_ymd_opt(1990, 3, 1).unwrap(), n).unwrap(),
                    mobile: None,
                    key_group: None,
                    region: RegionId(5),
                    wanted: vec![].into(),
                    created: d,
                })
                .unwrap();
            let old = TraineeV0 {
                id: t.id,
                name: t.name.to_string(),
                id_number: t.id_number,
                mobile: None,
                region: t.region,
                created: d,
            };
            store
                .tree(Trainee::TREE)
                .insert(t.id.0.to_be_bytes(), codec::encode(0, &old).unwrap())
                .unwrap();
            trainees.push(t);
        }
        store.tree(TreeName::IdxTraineeIdNumber).clear().unwrap();
        store.set_schema_version(0).unwrap();
        trainees
    }

    fn open_old(path: &Path) -> Store {
        let store = Store::retry_locked(|| Store::open_unchecked(path, CACHE)).unwrap();
        assert_eq!(store.check_schema().unwrap(), Some(0));
        store
    }

    fn backups(dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains(".bak-"))
            .collect()
    }

    #[test]
    fn a_step_converts_old_records_bumps_the_version_and_rebuilds_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let trainees = v0_database(&path);
        let mut steps = vec![Step {
            from: 0,
            what: "trainees get a key group and wanted occupations",
            run: step_0,
        }];
        steps.extend(STEPS.iter().copied());
        let store = upgrade(open_old(&path), 0, SCHEMA_VERSION, &steps, CACHE).unwrap();
        assert_eq!(store.check_schema().unwrap(), None);
        for t in &trainees {
            let raw = store.tree(Trainee::TREE).get(t.id.0.to_be_bytes()).unwrap().unwrap();
            assert_eq!(codec::version_of(&raw), Ok(1));
            assert_eq!(store.get::<Trainee>(t.id.0).unwrap().as_ref(), Some(t));
            // The index schema 0 did not have was rebuilt.
            assert_eq!(store.trainee_by_id_number(&t.id_number).unwrap().as_ref(), Some(t));
        }
        assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
        // Running the step again changes nothing.
        assert_eq!(step_0(&store).unwrap(), 0);
        drop(store);
        // The backup holds the database as it was, at schema 0.
        let b = backups(dir.path());
        assert_eq!(b.len(), 1, "{b:?}");
        let copy = open_old(&b[0]);
        let raw = copy.tree(Trainee::TREE).iter().next().unwrap().unwrap().1;
        assert_eq!(codec::version_of(&raw), Ok(0));
    }

    #[test]
    fn a_failed_step_keeps_the_old_version_and_names_the_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        v0_database(&path);
        let steps = [Step {
            from: 0,
            what: "a step that fails",
            run: failing_step,
        }];
        let e = upgrade(open_old(&path), 0, 1, &steps, CACHE).err().expect("fails");
        let backup = backups(dir.path()).pop().expect("a backup was taken first");
        assert!(matches!(e, StoreError::Migration { from: 0, .. }), "{e}");
        let msg = e.to_string();
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains(&backup.display().to_string()), "{msg}");
        assert!(msg.contains("a step that fails") && msg.contains("disk full"), "{msg}");
        // Still at schema 0: the next open resumes there.
        drop(open_old(&path));
    }

    #[test]
    fn a_version_with_no_step_is_refused_before_anything_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        v0_database(&path);
        // This program's own steps start at version 1.
        let e = Store::reopen(&path).err().expect("no step from 0");
        assert!(matches!(e, StoreError::OldSchema { found: 0, .. }), "{e}");
        assert!(e.to_string().contains("was not changed"), "{e}");
        assert!(backups(dir.path()).is_empty());
        drop(open_old(&path));
        assert!(plan(STEPS, SCHEMA_VERSION, SCHEMA_VERSION).is_some_and(|p| p.is_empty()));
    }

    #[test]
    fn schema_2_drops_the_unread_index_trees_and_can_run_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let trainees = v0_database(&path);
        let store = open_old(&path);
        for name in DROPPED_IN_SCHEMA_2 {
            let t = store.db.open_tree(name).unwrap();
            t.insert(7u64.to_be_bytes(), &[]).unwrap();
        }
        let names = |s: &Store| -> Vec<String> {
            s.db.tree_names()
                .iter()
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .collect()
        };
        assert!(DROPPED_IN_SCHEMA_2.iter().all(|d| names(&store).iter().any(|n| n == d)));
        assert_eq!(drop_unread_indexes(&store).unwrap(), 6);
        assert!(
            DROPPED_IN_SCHEMA_2
                .iter()
                .all(|d| !names(&store).iter().any(|n| n == d))
        );
        assert_eq!(drop_unread_indexes(&store).unwrap(), 0, "a second run finds nothing");
        // The records are untouched.
        assert_eq!(store.count::<Trainee>(), trainees.len());
    }
}
