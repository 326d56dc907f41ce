//! Transactions over every tree: each write the store acknowledges is one
//! sled transaction that also moves the write generation, flushed before
//! it returns.

use super::record::{DemandUsage, EVENT_VERSION, Editable, Record, event_key, u32_from, u64_from};
use super::{GENERATION, Result, Store, StoreError, TreeName, codec};
use crate::domain::*;
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use std::path::{Path, PathBuf};

pub(crate) type Abort = ConflictableTransactionError<StoreError>;
pub(crate) type TxResult<T> = std::result::Result<T, Abort>;

pub(crate) fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

/// A transaction's view of every tree.
pub struct Tx<'a> {
    trees: &'a [TransactionalTree],
    pub(crate) path: &'a Path,
}

impl Tx<'_> {
    pub(crate) fn tree(&self, t: TreeName) -> &TransactionalTree {
        &self.trees[t.slot()]
    }

    fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.to_path_buf(),
            detail,
        }
    }

    pub(crate) fn get<R: Record>(&self, key: u64) -> TxResult<Option<R>> {
        match self.tree(R::TREE).get(key.to_be_bytes())? {
            None => Ok(None),
            Some(v) => match codec::decode::<R>(&v, R::VERSION) {
                Ok((_, r)) => Ok(Some(r)),
                Err(e) => abort(self.corrupt(format!("{} {}: {e}", R::TREE.name(), key))),
            },
        }
    }

    pub(crate) fn need<R: Record>(&self, key: u64, shown: String) -> TxResult<R> {
        match self.get::<R>(key)? {
            Some(r) => Ok(r),
            None => abort(StoreError::NotFound {
                kind: R::NAME,
                id: shown,
            }),
        }
    }

    /// Write `new` over `old`, moving its index entries. A unique entry held
    /// by another record aborts with `Err(Ok(existing id))`.
    pub(crate) fn put<R: Record>(
        &self,
        old: Option<&R>,
        new: &R,
    ) -> TxResult<std::result::Result<(), (TreeName, u64)>> {
        let new_entries = new.index_entries();
        if let Some(old) = old {
            for e in old.index_entries() {
                if !new_entries.contains(&e) {
                    self.tree(e.tree).remove(e.key)?;
                }
            }
        }
        for e in &new_entries {
            if let Some(v) = self.tree(e.tree).get(&e.key)? {
                let holder = u64_from(&v).unwrap_or(0);
                if holder != new.key() {
                    return Ok(Err((e.tree, holder)));
                }
            }
            self.tree(e.tree).insert(e.key.clone(), &new.key().to_be_bytes())?;
        }
        let bytes = match codec::encode(R::VERSION, new) {
            Ok(b) => b,
            Err(e) => return abort(self.corrupt(format!("{} {}: {e}", R::TREE.name(), new.key()))),
        };
        self.tree(R::TREE).insert(&new.key().to_be_bytes(), bytes)?;
        Ok(Ok(()))
    }

    pub(crate) fn seats_used(&self, class: ClassId) -> TxResult<u32> {
        Ok(self
            .tree(TreeName::ClassUsage)
            .get(class.0.to_be_bytes())?
            .and_then(|v| u32_from(&v))
            .unwrap_or(0))
    }

    pub(crate) fn set_seats_used(&self, class: ClassId, n: u32) -> TxResult<()> {
        self.tree(TreeName::ClassUsage)
            .insert(&class.0.to_be_bytes(), &n.to_be_bytes())?;
        Ok(())
    }

    pub(crate) fn demand_usage(&self, demand: DemandId) -> TxResult<DemandUsage> {
        Ok(self
            .tree(TreeName::DemandUsage)
            .get(demand.0.to_be_bytes())?
            .and_then(|v| DemandUsage::from_bytes(&v))
            .unwrap_or_default())
    }

    pub(crate) fn set_demand_usage(&self, demand: DemandId, u: DemandUsage) -> TxResult<()> {
        self.tree(TreeName::DemandUsage)
            .insert(&demand.0.to_be_bytes(), &u.to_bytes())?;
        Ok(())
    }

    pub(crate) fn put_event(&self, ev: &Event) -> TxResult<()> {
        let bytes = match codec::encode(EVENT_VERSION, ev) {
            Ok(b) => b,
            Err(e) => return abort(self.corrupt(format!("event {}/{}: {e}", ev.case, ev.seq))),
        };
        self.tree(TreeName::Events).insert(&event_key(ev.case, ev.seq), bytes)?;
        // A note's entry goes with its event (`store::notes`).
        self.put_note(ev)?;
        Ok(())
    }

    /// Every write moves the generation (caches compare it).
    fn bump_generation(&self) -> TxResult<()> {
        let meta = self.tree(TreeName::Meta);
        let g = meta.get(GENERATION)?.and_then(|v| u64_from(&v)).unwrap_or(0);
        meta.insert(GENERATION, &(g + 1).to_be_bytes())?;
        Ok(())
    }
}

/// A raw change to one tree (repair and migrations write these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    Put(TreeName, Vec<u8>, Vec<u8>),
    Remove(TreeName, Vec<u8>),
}

impl Store {
    /// Run `f` in one transaction over every tree, then flush.
    pub(crate) fn transact<T>(&self, f: impl Fn(&Tx<'_>) -> TxResult<T>) -> Result<T> {
        let out = self.trees.as_slice().transaction(|view: &Vec<TransactionalTree>| {
            let tx = Tx {
                trees: view.as_slice(),
                path: &self.path,
            };
            let out = f(&tx)?;
            tx.bump_generation()?;
            Ok(out)
        });
        let out = match out {
            Ok(v) => v,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(self.write_err(e)),
        };
        self.flush()?;
        Ok(out)
    }

    /// Apply raw edits in one transaction, then flush. Counters and indexes
    /// change under any cached picture (a repair, an upgrade): the
    /// generation moves in the same transaction, so none is trusted after
    /// it, crash or not.
    pub(crate) fn apply_edits(&self, edits: &[Edit]) -> Result<()> {
        self.transact(|tx| {
            for edit in edits {
                match edit {
                    Edit::Put(t, k, v) => {
                        tx.tree(*t).insert(k.as_slice(), v.as_slice())?;
                    }
                    Edit::Remove(t, k) => {
                        tx.tree(*t).remove(k.as_slice())?;
                    }
                }
            }
            Ok(())
        })
    }

    /// Create (id 0) or update a record, keeping its indexes, then flush.
    pub fn save<R: Editable>(&self, record: R) -> Result<R> {
        let mut record = record;
        Editable::validate(&record)?;
        if record.key() == 0 {
            record.set_key(self.new_id()?);
        }
        self.transact(|tx| {
            let mut rec = record.clone();
            let old = tx.get::<R>(rec.key())?;
            rec.check_refs(tx)?;
            match tx.put(old.as_ref(), &rec)? {
                Ok(()) => Ok(rec),
                Err((tree, holder)) => abort(duplicate_error(&rec, tree, holder)),
            }
        })
    }
}

pub(crate) fn duplicate_error<R: Record>(rec: &R, tree: TreeName, holder: u64) -> StoreError {
    let key = || {
        rec.index_entries()
            .into_iter()
            .find(|e| e.tree == tree)
            .map(|e| String::from_utf8_lossy(&e.key).into_owned())
            .unwrap_or_default()
    };
    match tree {
        TreeName::IdxTraineeIdNumber => StoreError::DuplicateIdNumber {
            id_number: key(),
            existing: TraineeId(holder),
        },
        TreeName::IdxInstitutionName => StoreError::DuplicateName {
            kind: R::NAME,
            name: key(),
            existing: InstitutionId(holder).to_string(),
        },
        TreeName::IdxEnterpriseName => StoreError::DuplicateName {
            kind: R::NAME,
            name: key(),
            existing: EnterpriseId(holder).to_string(),
        },
        other => StoreError::Corrupt {
            path: PathBuf::new(),
            detail: format!("unexpected unique conflict in {}", other.name()),
        },
    }
}
