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
//!
//! The secondary indexes (an ID number, a name, a trainee and class) are
//! keyed in no order the records come in: written per batch, each batch
//! touched leaves all over the tree, every one rewritten again and again
//! and left half full. They are gathered whole, compactly, and written in
//! key order at the end instead (a 1M demo city on disk went from 1.7 to
//! 1.2 GB; its build took as long, 85–87 s run in turn).

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
    /// The index trees' writes, kept to the end ([`deferred`]).
    later: HashMap<TreeName, Gathered>,
    pending: usize,
    /// The writer threads, once started: one per [`lane`].
    writers: Vec<Writer>,
    /// The events of the case being written, kept as one run
    /// (`store::run`) until another case's event comes.
    events: Option<super::run::Run>,
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

/// Trees whose keys come in no order the records do: written at the end,
/// in key order.
fn deferred(tree: TreeName) -> bool {
    matches!(
        tree,
        TreeName::IdxTraineeIdNumber
            | TreeName::IdxInstitutionName
            | TreeName::IdxEnterpriseName
            | TreeName::IdxEnrollment
    )
}

/// One tree's writes held to the end: keys and values back to back in one
/// buffer (a million index entries in ~35 MB, where a map of them took
/// three times that).
#[derive(Default)]
struct Gathered {
    bytes: Vec<u8>,
    /// Per write: where its key starts, the key's and the value's length.
    at: Vec<(usize, u32, u32)>,
}

impl Gathered {
    fn push(&mut self, key: &[u8], value: &[u8]) {
        let len = |b: &[u8]| u32::try_from(b.len()).unwrap_or(u32::MAX);
        self.at.push((self.bytes.len(), len(key), len(value)));
        self.bytes.extend_from_slice(key);
        self.bytes.extend_from_slice(value);
    }

    /// A write's key and value.
    fn pair(&self, (at, k, v): (usize, u32, u32)) -> (&[u8], &[u8]) {
        let (k, v) = (k as usize, v as usize);
        (&self.bytes[at..at + k], &self.bytes[at + k..at + k + v])
    }

    /// The writes put in key order, the last write of a key winning.
    fn sorted(mut self) -> Self {
        let mut at = std::mem::take(&mut self.at);
        // Stable: of equal keys the later write stays later.
        at.sort_by(|a, b| self.pair(*a).0.cmp(self.pair(*b).0));
        let mut out: Vec<(usize, u32, u32)> = Vec::with_capacity(at.len());
        for w in at {
            match out.last_mut() {
                Some(last) if self.pair(*last).0 == self.pair(w).0 => *last = w,
                _ => out.push(w),
            }
        }
        self.at = out;
        self
    }

    /// Insert the writes into `tree`, in key order.
    fn write(self, tree: &sled::Tree) -> std::result::Result<(), sled::Error> {
        let sorted = self.sorted();
        for w in &sorted.at {
            let (k, v) = sorted.pair(*w);
            tree.insert(k, v)?;
        }
        Ok(())
    }
}

/// What a writer thread that panicked is reported as.
fn panicked() -> sled::Error {
    sled::Error::ReportableBug("a bulk writer's thread panicked".into())
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
            later: HashMap::new(),
            pending: 0,
            writers: Vec::new(),
            events: None,
        }
    }

    fn insert(&mut self, tree: TreeName, key: &[u8], value: &[u8]) {
        if deferred(tree) {
            self.later.entry(tree).or_default().push(key, value);
            return;
        }
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
        // A case's events from seq 0 on, in order, make its run; one that
        // does not follow on (another case's came between) is written
        // alone under its own key, after the run, as a transaction would.
        match &mut self.events {
            Some(run) if run.case == ev.case && run.next == ev.seq => run.push(&bytes),
            _ => {
                self.end_run();
                if ev.seq == 0 {
                    let mut run = super::run::Run::new(ev.case);
                    run.push(&bytes);
                    self.events = Some(run);
                } else {
                    self.insert(TreeName::Events, &event_key(ev.case, ev.seq), &bytes);
                }
            }
        }
        // A note's entry goes with its event (`store::notes`).
        if let Some((k, v)) = super::notes::bulk_entry(self.store, ev)? {
            self.insert(TreeName::CaseNotes, &k, &v);
        }
        self.tick()
    }

    /// Hand the run being written to the batch.
    fn end_run(&mut self) {
        if let Some(run) = self.events.take() {
            self.insert(TreeName::Events, &super::run::run_key(run.case), run.bytes());
        }
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
                Err(_) => Err(self.store.write_err(panicked())),
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
        self.end_run();
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
        self.write_later()?;
        self.store.bump_generation()?;
        self.store.flush()
    }

    /// The index trees, each in key order, the largest on a thread of its
    /// own beside the others.
    fn write_later(&mut self) -> Result<()> {
        let mut later: Vec<(TreeName, Gathered)> = self.later.drain().collect();
        if later.is_empty() {
            return Ok(());
        }
        later.sort_by_key(|(_, g)| std::cmp::Reverse(g.at.len()));
        let store = self.store;
        let write = |part: Vec<(TreeName, Gathered)>| -> std::result::Result<(), sled::Error> {
            for (tree, g) in part {
                g.write(store.tree(tree))?;
            }
            Ok(())
        };
        let rest = later.split_off(1);
        let (first, second) = std::thread::scope(|sc| {
            let other = sc.spawn(|| write(rest));
            let first = write(later);
            let second = other.join().unwrap_or_else(|_| Err(panicked()));
            (first, second)
        });
        first.and(second).map_err(|e| self.store.write_err(e))
    }
}

impl Drop for BulkWriter<'_> {
    /// A writer given up on (an error on the way) still lets its threads
    /// end before the store is closed.
    fn drop(&mut self) {
        let _ = self.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathered_writes_come_out_in_key_order_the_last_write_of_a_key_winning() {
        let mut g = Gathered::default();
        g.push(b"320102", b"old");
        g.push(b"110101", b"a");
        g.push(b"3201", b"short");
        g.push(b"320102", b"new");
        g.push(b"", b"empty key");
        let g = g.sorted();
        let got: Vec<(&[u8], &[u8])> = g.at.iter().map(|w| g.pair(*w)).collect();
        let want: Vec<(&[u8], &[u8])> = vec![
            (b"", b"empty key"),
            (b"110101", b"a"),
            (b"3201", b"short"),
            (b"320102", b"new"),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn index_entries_held_to_the_end_are_in_the_tree_when_the_writer_finishes() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("db")).expect("open");
        let mut w = BulkWriter::new(&store);
        // More than a batch, so the writer threads run beside the held writes.
        let n = BATCH as u64 * 2 + 7;
        for i in 0..n {
            w.insert(
                TreeName::IdxTraineeIdNumber,
                format!("{:018}", (i * 7919) % n).as_bytes(),
                &i.to_be_bytes(),
            );
            w.insert(TreeName::Records(Kind::Trainees), &i.to_be_bytes(), b"t");
            w.tick().expect("tick");
        }
        // A later write of a held key replaces the earlier.
        w.insert(TreeName::IdxTraineeIdNumber, format!("{:018}", 0).as_bytes(), b"latest");
        w.finish().expect("finish");
        let idx = store.tree(TreeName::IdxTraineeIdNumber);
        assert_eq!(idx.len() as u64, n);
        assert_eq!(store.tree(TreeName::Records(Kind::Trainees)).len() as u64, n);
        assert_eq!(
            idx.get(format!("{:018}", 0)).expect("get").as_deref(),
            Some(&b"latest"[..])
        );
        let k = format!("{:018}", 7919 % n);
        assert_eq!(idx.get(k).expect("get").as_deref(), Some(&1u64.to_be_bytes()[..]));
    }
}
