//! Batched writes: many records of one kind in ONE transaction, flushed
//! once. Each record goes through the same steps as `Store::save` (field
//! rules, `check_refs`, `Tx::put` with its index entries and uniqueness
//! checks), so a batch is either written whole or not at all. Importers use
//! it to write thousands of rows without a flush per row.

use super::record::Editable;
use super::tx::{abort, duplicate_error};
use super::{Result, Store, StoreError};
use std::cell::Cell;

/// A batch that was refused: which record (its position in the batch) and why.
/// Nothing of the batch was written.
#[derive(Debug, thiserror::Error)]
#[error("record {index} of the batch: {source}")]
pub struct BatchError {
    pub index: usize,
    #[source]
    pub source: StoreError,
}

impl Store {
    /// Create (id 0) or update every record in one transaction over every
    /// tree, then flush once. Records are written in order and new ids are
    /// handed out in that order. Either the whole batch is written or none
    /// of it: the first record that breaks a rule aborts the transaction and
    /// is named by its position in `records`.
    pub fn save_many<R: Editable>(&self, records: Vec<R>) -> std::result::Result<Vec<R>, BatchError> {
        let mut prepared = Vec::with_capacity(records.len());
        for (index, mut record) in records.into_iter().enumerate() {
            Editable::validate(&record).map_err(|e| BatchError {
                index,
                source: e.into(),
            })?;
            if record.key() == 0 {
                record.set_key(self.new_id().map_err(|source| BatchError { index, source })?);
            }
            prepared.push(record);
        }
        let at = Cell::new(0usize);
        self.transact(|tx| {
            let mut written = Vec::with_capacity(prepared.len());
            for (index, record) in prepared.iter().enumerate() {
                at.set(index);
                let mut rec = record.clone();
                let old = tx.get::<R>(rec.key())?;
                rec.check_refs(tx)?;
                if let Err((tree, holder)) = tx.put(old.as_ref(), &rec)? {
                    return abort(duplicate_error(&rec, tree, holder));
                }
                written.push(rec);
            }
            Ok(written)
        })
        .map_err(|source| BatchError {
            index: at.get(),
            source,
        })
    }

    /// Make sure every id handed out from now on is above `max` (after a
    /// restore wrote records with the ids they had, into a database whose id
    /// generator starts at zero).
    pub(crate) fn advance_ids_past(&self, max: u64) -> Result<()> {
        while self.new_id()? <= max {}
        Ok(())
    }
}
