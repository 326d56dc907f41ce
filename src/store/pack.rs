//! The city pack in the database: five trees of their own, apart from the
//! record trees (so `check`, `is_empty` and backups of records are as they
//! were): `pack_city` (one entry: the city, key groups, baseline and
//! targets) and `pack_regions`, `pack_occupations`, `pack_programs`,
//! `pack_alliances` (id, big-endian, → the row). Rows are only ever added
//! or rewritten, never removed: records hold their ids.
//!
//! A database gets its pack when it is made (Zhenjiang's unless
//! `init --pack` or `demo --pack` gives another); one written before packs
//! gets the compiled-in Zhenjiang catalog by the schema-3 migration. Every
//! open installs the database's pack as the process's catalog
//! (`domain::catalog::install`). A change is written with its access record
//! (`AccessKind::Catalog`) and a move of the write generation in one
//! transaction.

use super::audit::{AUDIT_TREE, AUDIT_VERSION, AccessEvent};
use super::{GENERATION, Result, Store, StoreError, TreeName, codec, u64_from};
use crate::domain::catalog;
use crate::domain::catalog::{Baseline, Targets};
use crate::domain::pack::{CityRow, KeyGroupRow, Pack};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

/// Envelope version of every pack row.
pub const PACK_VERSION: u16 = 1;

pub const PACK_CITY: &str = "pack_city";
pub const PACK_REGIONS: &str = "pack_regions";
pub const PACK_OCCUPATIONS: &str = "pack_occupations";
pub const PACK_PROGRAMS: &str = "pack_programs";
pub const PACK_ALLIANCES: &str = "pack_alliances";

/// The pack's trees, in the order of [`PackTrees`].
pub const PACK_TREES: [&str; 5] = [PACK_CITY, PACK_REGIONS, PACK_OCCUPATIONS, PACK_PROGRAMS, PACK_ALLIANCES];

const CITY_KEY: &[u8] = b"city";

/// What `pack_city` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CityEntry {
    city: CityRow,
    key_groups: Vec<KeyGroupRow>,
    baseline: Baseline,
    targets: Targets,
}

fn key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

impl Store {
    fn pack_tree(&self, name: &str) -> Result<sled::Tree> {
        self.db.open_tree(name).map_err(|e| self.write_err(e))
    }

    fn rows<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for item in self.pack_tree(name)?.iter() {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            let (_, row) = codec::decode::<T>(&v, PACK_VERSION)
                .map_err(|e| self.corrupt(format!("{name} {}: {e}", u64_from(&k).unwrap_or_default())))?;
            out.push(row);
        }
        Ok(out)
    }

    /// The database's city pack; `None` when it has none (written before
    /// packs and not migrated yet).
    pub fn pack(&self) -> Result<Option<Pack>> {
        let Some(v) = self.pack_tree(PACK_CITY)?.get(CITY_KEY).map_err(|e| self.read_err(e))? else {
            return Ok(None);
        };
        let (_, city) =
            codec::decode::<CityEntry>(&v, PACK_VERSION).map_err(|e| self.corrupt(format!("{PACK_CITY}: {e}")))?;
        Ok(Some(Pack {
            city: city.city,
            regions: self.rows(PACK_REGIONS)?,
            occupations: self.rows(PACK_OCCUPATIONS)?,
            programs: self.rows(PACK_PROGRAMS)?,
            alliances: self.rows(PACK_ALLIANCES)?,
            key_groups: city.key_groups,
            baseline: city.baseline,
            targets: city.targets,
        }))
    }

    /// Write `pack` whole (every row; rows past its end removed), with an
    /// access record when given, and move the generation: one transaction,
    /// flushed.
    pub fn write_pack(&self, pack: &Pack, audit: Option<&AccessEvent>) -> Result<()> {
        let enc = |name: &str, id: u64, bytes: std::result::Result<Vec<u8>, codec::CodecError>| {
            bytes.map_err(|e| self.corrupt(format!("{name} {id}: {e}")))
        };
        let city = enc(
            PACK_CITY,
            0,
            codec::encode(
                PACK_VERSION,
                &CityEntry {
                    city: pack.city.clone(),
                    key_groups: pack.key_groups.clone(),
                    baseline: pack.baseline,
                    targets: pack.targets,
                },
            ),
        )?;
        let mut regions = Vec::new();
        for r in &pack.regions {
            regions.push((
                key(u64::from(r.id)),
                enc(PACK_REGIONS, u64::from(r.id), codec::encode(PACK_VERSION, r))?,
            ));
        }
        let mut occupations = Vec::new();
        for o in &pack.occupations {
            occupations.push((
                key(u64::from(o.id)),
                enc(PACK_OCCUPATIONS, u64::from(o.id), codec::encode(PACK_VERSION, o))?,
            ));
        }
        let mut programs = Vec::new();
        for p in &pack.programs {
            programs.push((
                key(u64::from(p.id)),
                enc(PACK_PROGRAMS, u64::from(p.id), codec::encode(PACK_VERSION, p))?,
            ));
        }
        let mut alliances = Vec::new();
        for a in &pack.alliances {
            alliances.push((
                key(u64::from(a.id)),
                enc(PACK_ALLIANCES, u64::from(a.id), codec::encode(PACK_VERSION, a))?,
            ));
        }
        let audit_entry = match audit {
            Some(ev) => Some((
                self.new_id()?.to_be_bytes(),
                codec::encode(AUDIT_VERSION, ev).map_err(|e| self.corrupt(e.to_string()))?,
            )),
            None => None,
        };
        let trees = [
            self.pack_tree(PACK_CITY)?,
            self.pack_tree(PACK_REGIONS)?,
            self.pack_tree(PACK_OCCUPATIONS)?,
            self.pack_tree(PACK_PROGRAMS)?,
            self.pack_tree(PACK_ALLIANCES)?,
            self.pack_tree(AUDIT_TREE)?,
            self.tree(TreeName::Meta).clone(),
        ];
        // Rows past the new pack's end (only when a whole pack replaces an
        // empty database's default).
        let stale = |t: &sled::Tree, n: usize| -> Result<Vec<sled::IVec>> {
            let mut out = Vec::new();
            for item in t.iter().keys() {
                let k = item.map_err(|e| self.read_err(e))?;
                if u64_from(&k).is_none_or(|id| id >= n as u64) {
                    out.push(k);
                }
            }
            Ok(out)
        };
        let stale = [
            stale(&trees[1], pack.regions.len())?,
            stale(&trees[2], pack.occupations.len())?,
            stale(&trees[3], pack.programs.len())?,
            stale(&trees[4], pack.alliances.len())?,
        ];
        let out = trees.as_slice().transaction(|t| {
            t[0].insert(CITY_KEY, city.as_slice())?;
            for (i, rows) in [&regions, &occupations, &programs, &alliances].into_iter().enumerate() {
                for k in &stale[i] {
                    t[i + 1].remove(k.clone())?;
                }
                for (k, v) in rows {
                    t[i + 1].insert(k, v.as_slice())?;
                }
            }
            if let Some((k, v)) = &audit_entry {
                t[5].insert(k, v.as_slice())?;
            }
            let g = t[6].get(GENERATION)?.and_then(|v| u64_from(&v)).unwrap_or(0);
            t[6].insert(GENERATION, &(g + 1).to_be_bytes())?;
            Ok::<(), ConflictableTransactionError<StoreError>>(())
        });
        match out {
            Ok(()) => {}
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(self.write_err(e)),
        }
        self.flush()
    }

    /// A database without a pack gets Zhenjiang's compiled-in catalog (what
    /// its records were written against). Returns whether it wrote one.
    pub fn ensure_pack(&self) -> Result<bool> {
        if self
            .pack_tree(PACK_CITY)?
            .contains_key(CITY_KEY)
            .map_err(|e| self.read_err(e))?
        {
            return Ok(false);
        }
        self.write_pack(&Pack::zhenjiang(), None)?;
        Ok(true)
    }

    /// Make the database's pack the process's catalog. Returns whether the
    /// catalog changed.
    pub fn install_catalog(&self) -> Result<bool> {
        Ok(match self.pack()? {
            Some(p) => catalog::install(p.to_catalog()),
            None => false,
        })
    }

    /// Replace the pack of a database that holds no records yet (`init
    /// --pack`, `demo --pack`), audited, and install it.
    pub fn replace_pack(&self, pack: &Pack, audit: &AccessEvent) -> Result<()> {
        if !self.is_empty() {
            return Err(
                self.corrupt("a city pack can replace the reference data only of a database with no records".into())
            );
        }
        self.write_pack(pack, Some(audit))?;
        self.install_catalog()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::AccessKind;

    #[test]
    fn a_new_database_holds_zhenjiangs_pack_and_a_written_one_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        assert_eq!(store.pack().unwrap(), Some(Pack::zhenjiang()));
        assert!(store.is_empty(), "a pack is not records");
        let mut p = Pack::zhenjiang();
        p.occupations.truncate(5);
        p.occupations[4].related.clear();
        p.occupations[3].related.clear();
        p.occupations[2].related.clear();
        p.occupations[1].related.clear();
        p.occupations[0].aliases.push("新别名".into());
        let g = store.generation().unwrap();
        let ev = AccessEvent {
            at: 1,
            operator: "t".into(),
            role: "admin".into(),
            what: AccessKind::Catalog,
            people: 0,
            detail: "test".into(),
        };
        store.write_pack(&p, Some(&ev)).unwrap();
        assert_eq!(store.generation().unwrap(), g + 1);
        assert_eq!(store.pack().unwrap(), Some(p));
        assert_eq!(store.access_events(&Default::default()).unwrap(), vec![ev]);
        assert!(store.check().problems.is_empty());
    }
}
