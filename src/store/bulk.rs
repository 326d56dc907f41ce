//! Bulk loading for a database that is being built (the demo city, a
//! restore): records, their index entries, events and counters go in
//! without a transaction per record. Only for a database no one else has
//! open; callers build it in a scratch directory and move it into place
//! when complete.
//!
//! The writes are gathered per tree, sorted by key and handed to two writer
//! threads (the events on one, every other tree on the other: about half
//! the inserts each), which insert them one by one while the caller makes
//! the next records. Most of a build's time is sled's own work per insert
//! (a leaf split rewrites its parent every few inserts), so it is spread
//! over the cores rather than done after the records are made. Single inserts, not
//! `apply_batch`: a batch holds sled's global write lock and one epoch pin
//! for its whole length, so every node version it replaces stays alive
//! until it ends (building the 100k demo city took 13 s with batches of
//! 500 records and peaked at 2.5 GB with batches of 20,000).

use super::record::{DemandUsage, EVENT_VERSION, Record, event_key};
use super::{Result, Store, TreeName, codec};
use crate::domain::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// One tree's writes, by key (a later write of a key replaces an earlier).
type Run = BTreeMap<Vec<u8>, Vec<u8>>;
/// What the writer thread is handed at a time.
type Load = Vec<(sled::Tree, Run)>;

pub struct BulkWriter<'a> {
    store: &'a Store,
    batches: HashMap<TreeName, Run>,
    pending: usize,
    /// The writer threads, once started: one per [`lane`].
    writers: Vec<Writer>,
}

/// A writer thread and the way to it.
struct Writer {
    to: SyncSender<Load>,
    done: JoinHandle<std::result::Result<(), sled::Error>>,
}

/// Records gathered before they are handed to the writer thread.
const BATCH: usize = 2_000;
/// Loads waiting for the writer thread at most (bounds memory when the
/// caller makes records faster than sled takes them).
const QUEUE: usize = 4;
/// Writer threads.
const LANES: usize = 2;

/// The writer thread of a tree's writes.
fn lane(tree: TreeName) -> usize {
    usize::from(tree == TreeName::Events)
}

fn write_loads(from: Receiver<Load>) -> std::result::Result<(), sled::Error> {
    for load in from {
        for (tree, run) in load {
            for (k, v) in run {
                tree.insert(k, v)?;
            }
        }
    }
    Ok(())
}

impl<'a> BulkWriter<'a> {
    pub fn new(store: &'a Store) -> Self {
        BulkWriter {
            store,
            batches: HashMap::new(),
            pending: 0,
            writers: Vec::new(),
        }
    }

    fn insert(&mut self, tree: TreeName, key: &[u8], value: &[u8]) {
        self.batches
            .entry(tree)
            .or_default()
            .insert(key.to_vec(), value.to_vec());
    }

    /// A new id for a record about to be written.
    pub fn new_id(&self) -> Result<u64> {
        self.store.new_id()
    }

    pub fn put<R: Record>(&mut self, rec: &R) -> Result<()> {
        for e in rec.index_entries() {
            self.insert(e.tree, &e.key, &rec.key().to_be_bytes());
        }
        let bytes = codec::encode(R::VERSION, rec)
            .map_err(|e| self.store.corrupt(format!("{} {}: {e}", R::NAME, rec.key())))?;
        self.insert(R::TREE, &rec.key().to_be_bytes(), &bytes);
        self.tick()
    }

    pub fn put_event(&mut self, ev: &Event) -> Result<()> {
        let bytes = codec::encode(EVENT_VERSION, ev)
            .map_err(|e| self.store.corrupt(format!("event {}/{}: {e}", ev.case, ev.seq)))?;
        self.insert(TreeName::Events, &event_key(ev.case, ev.seq), &bytes);
        // A note's entry goes with its event (`store::notes`).
        if let Some((k, v)) = super::notes::bulk_entry(self.store, ev)? {
            self.insert(TreeName::CaseNotes, &k, &v);
        }
        self.tick()
    }

    pub fn set_seats_used(&mut self, class: ClassId, n: u32) -> Result<()> {
        self.insert(TreeName::ClassUsage, &class.0.to_be_bytes(), &n.to_be_bytes());
        self.tick()
    }

    pub fn set_demand_usage(&mut self, demand: DemandId, u: DemandUsage) -> Result<()> {
        self.insert(TreeName::DemandUsage, &demand.0.to_be_bytes(), &u.to_bytes());
        self.tick()
    }

    fn tick(&mut self) -> Result<()> {
        self.pending += 1;
        if self.pending >= BATCH {
            self.apply()?;
        }
        Ok(())
    }

    /// Hand what is gathered to the writer threads (started on first use).
    fn apply(&mut self) -> Result<()> {
        self.pending = 0;
        if self.batches.is_empty() {
            return Ok(());
        }
        let mut loads: Vec<Load> = (0..LANES).map(|_| Vec::new()).collect();
        for (tree, run) in self.batches.drain() {
            loads[lane(tree)].push((self.store.tree(tree).clone(), run));
        }
        if self.writers.is_empty() {
            for n in 0..LANES {
                let (to, from) = sync_channel::<Load>(QUEUE);
                let done = std::thread::Builder::new()
                    .name(format!("bulk-writer-{n}"))
                    .spawn(move || write_loads(from))
                    .map_err(|e| self.store.write_err(sled::Error::Io(e)))?;
                self.writers.push(Writer { to, done });
            }
        }
        let mut sent = true;
        for (w, load) in self.writers.iter().zip(loads) {
            if !load.is_empty() {
                sent &= w.to.send(load).is_ok();
            }
        }
        if sent {
            Ok(())
        } else {
            // A thread stopped at an error: it says which.
            self.join()
        }
    }

    /// Wait for the writer threads to write everything handed to them.
    fn join(&mut self) -> Result<()> {
        let mut out = Ok(());
        for Writer { to, done } in std::mem::take(&mut self.writers) {
            drop(to);
            let ended = match done.join() {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(self.store.write_err(e)),
                Err(_) => Err(self
                    .store
                    .write_err(sled::Error::ReportableBug("a bulk writer's thread panicked".into()))),
            };
            if out.is_ok() {
                out = ended;
            }
        }
        out
    }

    /// Write what is left, wait for it and flush. A writer that never
    /// gathered a whole batch (a restore's every 500 records) writes on
    /// this thread: no thread is started for it.
    pub fn finish(mut self) -> Result<()> {
        if self.writers.is_empty() {
            for (tree, run) in std::mem::take(&mut self.batches) {
                let tree = self.store.tree(tree);
                for (k, v) in run {
                    tree.insert(k, v).map_err(|e| self.store.write_err(e))?;
                }
            }
        } else {
            self.apply()?;
            self.join()?;
        }
        self.store.bump_generation()?;
        self.store.flush()
    }
}

impl Drop for BulkWriter<'_> {
    /// A writer given up on (an error on the way) still lets its threads
    /// end before the store is closed.
    fn drop(&mut self) {
        let _ = self.join();
    }
}
