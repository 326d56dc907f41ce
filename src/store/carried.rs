//! The trees a backup carries besides the records: the city pack, the
//! training wishes and the training subsidies. They are kept and put back
//! as they are on disk (key and value bytes; every value is already a
//! versioned envelope that a newer program decodes or migrates), so a
//! restore holds exactly what the database held, indexes included, and
//! `check` finds them as they were.

use super::pack::PACK_TREES;
use super::subsidy::{CLAIM_EVENTS_TREE, CLAIMS_TREE, INDEX_TREE, STANDARDS_TREE};
use super::wish::{EVENTS_TREE, INBOX_TREE, WAITING_TREE};
use super::{Result, Store};

/// Every carried tree.
pub const CARRIED_TREES: [&str; 12] = [
    PACK_TREES[0],
    PACK_TREES[1],
    PACK_TREES[2],
    PACK_TREES[3],
    PACK_TREES[4],
    INBOX_TREE,
    EVENTS_TREE,
    WAITING_TREE,
    STANDARDS_TREE,
    CLAIMS_TREE,
    CLAIM_EVENTS_TREE,
    INDEX_TREE,
];

/// A key and its value, as stored.
pub type RawEntry = (Vec<u8>, Vec<u8>);

impl Store {
    fn carried_tree(&self, name: &str) -> Result<sled::Tree> {
        if !CARRIED_TREES.contains(&name) {
            return Err(self.corrupt(format!("'{name}' is not a tree a backup carries")));
        }
        self.db.open_tree(name).map_err(|e| self.write_err(e))
    }

    /// Every entry of a carried tree, by key.
    pub fn carried_entries(&self, name: &str) -> Result<Vec<RawEntry>> {
        let mut out = Vec::new();
        for item in self.carried_tree(name)?.iter() {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            out.push((k.to_vec(), v.to_vec()));
        }
        Ok(out)
    }

    /// Empty a carried tree (a restore into a new database, before it puts
    /// back a backup's own pack, standards, wishes and claims in place of
    /// the new database's defaults). Only for a database being restored.
    pub fn clear_carried_tree(&self, name: &str) -> Result<()> {
        self.carried_tree(name)?.clear().map_err(|e| self.write_err(e))
    }

    /// Put one entry back into a carried tree (restore only).
    pub fn put_carried(&self, name: &str, key: &[u8], value: &[u8]) -> Result<()> {
        self.carried_tree(name)?
            .insert(key, value)
            .map_err(|e| self.write_err(e))?;
        Ok(())
    }
}
