//! The sled store: one tree per entity, big-endian u64 keys, values in a
//! versioned envelope (see `codec`), secondary indexes and usage counters kept
//! in the same multi-tree transactions as the records they follow. Every
//! acknowledged write is flushed before it returns.
//!
//! - `tree`: the trees; `record`: what each kind keeps and checks;
//!   `tx`: transactions and saves; `read`: reads; `ops`: enroll and move a
//!   case; `batch` and `bulk`: many records at once.
//! - `derived`: what the indexes, counters and demand status must hold,
//!   computed from the records; `check` reports its differences (and what
//!   repair cannot fix), `repair` writes them; `migrate`: schema upgrades;
//!   `backup`: copies of the directory; `fault`: errors an operator can act on.

pub mod aftercare;
pub mod at_rest;
pub mod audit;
pub mod backup;
pub mod batch;
pub mod bulk;
pub mod carried;
pub mod check;
pub mod codec;
mod derived;
pub mod error;
mod fault;
#[cfg(test)]
pub(crate) mod golden;
pub mod migrate;
pub mod notes;
mod ops;
pub mod pack;
pub mod progress;
mod read;
mod record;
pub mod repair;
pub mod run;
pub mod sledlog;
pub mod subsidy;
mod tree;
mod tx;
pub mod wish;

pub use audit::{AccessEvent, AccessKind, AuditFilter};
pub use error::{Result, StoreError, Unavailable};
pub use fault::SERVER_NOTE;
pub use ops::{META_ENROLL_SHARE, Stamp};
pub use record::{DemandUsage, EVENT_VERSION, Editable, Record, enrollment_key, event_key, name_key};
pub use tree::{IndexEntry, TreeName};
pub use tx::Tx;

pub(crate) use record::{demand_status, u32_from, u64_from};

use fault::{FileId, RELEASE_WAIT, clear_interrupted_snapshots, io_fault, log_file_id, open_error};
use std::path::{Path, PathBuf};

/// Schema version this program writes. A database with a higher one is
/// refused; a lower one is migrated on open (see `migrate`).
///
/// 2: the six secondary indexes nothing read (demands and classes by
/// occupation and by region, cases by class and by trainee) are gone.
/// 3: the city's reference data is in the database (the `pack_*` trees,
/// see `pack`); older databases get the compiled-in Zhenjiang catalog.
/// 4: case notes have a tree of their own beside their events (`notes`),
/// filled from the events of an older database (#18).
/// 5: a case's events may be kept as one item, a run (`run`), as a bulk
/// load writes them; nothing older needs converting, but a program of
/// schema 4 would take a run for a damaged event.
pub const SCHEMA_VERSION: u32 = 5;

/// The meta key of a simulated business date: a database that has one (the
/// demo city) runs at that date instead of the clock's. The name is kept
/// from when only the demo had one.
pub const META_AS_OF: &str = "demo_as_of";

/// The last schema version that changed what a record holds or how it is
/// encoded: what a backup file's header names as its `schema`. Schema 2
/// only dropped index trees, which a backup never holds, so its backups
/// are the records of schema 1 and an older skillbridge restores them.
pub const RECORDS_SCHEMA: u32 = 1;

/// Default sled page-cache size. sled's own default (1 GiB) is far more than
/// a city needs; 64 MiB holds the working set of 100k trainees.
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// sled page cache for a long-running workspace, server or kiosk. Their
/// records and search indexes live in the service's memory, so sled's cache
/// only serves writes and event timelines: a small one keeps the resident
/// size down (100k trainees: 8 MB less than with 64 MiB) at no cost to a
/// keystroke, which never reads sled.
pub const SERVICE_CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// Meta key of the write generation.
pub const GENERATION: &[u8] = b"generation";

/// Meta key of the database's identity: a random id made with the database
/// (or at the first open by a program that has them), never copied by a
/// backup, so that files derived from one database are never taken for
/// another's, even at the same generation.
pub const DATABASE_ID: &str = "database_id";

/// The open database. Cheap to clone (sled handles are reference counted);
/// open it once per process and share the clone.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    path: PathBuf,
    trees: Vec<sled::Tree>,
    /// The log file's identity at open, to notice the directory vanishing.
    log_file: Option<FileId>,
}

impl Store {
    /// Open (creating if missing) the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with_cache(path, DEFAULT_CACHE_BYTES)
    }

    /// Open for a long-running service (see [`SERVICE_CACHE_BYTES`]).
    pub fn open_for_service(path: &Path) -> Result<Store> {
        Self::open_with_cache(path, SERVICE_CACHE_BYTES)
    }

    pub fn open_with_cache(path: &Path, cache_bytes: u64) -> Result<Store> {
        let store = Self::open_unchecked(path, cache_bytes)?;
        let store = match store.check_schema()? {
            None => store,
            Some(older) => migrate::upgrade(store, older, SCHEMA_VERSION, migrate::STEPS, cache_bytes)?,
        };
        store.ensure_identity()?;
        store.ensure_pack()?;
        store.install_catalog()?;
        Ok(store)
    }

    /// Give the database its identity if it has none yet.
    fn ensure_identity(&self) -> Result<()> {
        if self.meta(DATABASE_ID)?.is_none_or(|id| id.trim().is_empty()) {
            let id: String = (0..16).map(|_| format!("{:02x}", rand::random::<u8>())).collect();
            self.set_meta(DATABASE_ID, &id)?;
        }
        Ok(())
    }

    /// The database's identity (see [`DATABASE_ID`]).
    pub fn database_id(&self) -> Result<String> {
        Ok(self.meta(DATABASE_ID)?.unwrap_or_default())
    }

    /// Open without looking at the schema version.
    fn open_unchecked(path: &Path, cache_bytes: u64) -> Result<Store> {
        clear_interrupted_snapshots(path);
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(cache_bytes)
            .flush_every_ms(Some(500))
            // Ids jump by twice this after a restart; keep them readable.
            .idgen_persist_interval(10_000);
        // A database this process just closed may still be held for a moment
        // by sled's background flusher: wait briefly before calling it locked.
        let mut tries = 0;
        let db = loop {
            match config.open().map_err(|e| open_error(path, e)) {
                Err(StoreError::Locked { .. }) if tries < 20 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => break other?,
            }
        };
        let mut trees = Vec::with_capacity(TreeName::ALL.len());
        for t in TreeName::ALL {
            trees.push(db.open_tree(t.name()).map_err(|e| open_error(path, e))?);
        }
        Ok(Store {
            db,
            path: path.to_path_buf(),
            trees,
            log_file: log_file_id(path),
        })
    }

    /// Open a database this process has just closed. sled finishes its
    /// last segment write on a pool thread that holds the file lock for a
    /// moment after the last handle is dropped; wait for that (up to 5 s)
    /// instead of reporting our own lock as another process's.
    pub fn reopen(path: &Path) -> Result<Store> {
        Self::retry_locked(|| Self::open(path))
    }

    fn retry_locked(open: impl Fn() -> Result<Store>) -> Result<Store> {
        let start = std::time::Instant::now();
        loop {
            match open() {
                Err(StoreError::Locked { .. }) if start.elapsed() < RELEASE_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                other => return other,
            }
        }
    }

    /// Refuse a newer schema, stamp a new database; `Some(version)` when
    /// the database is older and must be migrated.
    fn check_schema(&self) -> Result<Option<u32>> {
        let meta = self.tree(TreeName::Meta);
        let found = meta
            .get(b"schema_version")
            .map_err(|e| self.read_err(e))?
            .map(|v| u32_from(&v));
        match found {
            Some(Some(v)) if v > SCHEMA_VERSION => Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found: v,
                supported: SCHEMA_VERSION,
            }),
            Some(Some(v)) if v == SCHEMA_VERSION => Ok(None),
            Some(Some(v)) => Ok(Some(v)),
            Some(None) => Err(self.corrupt("meta schema_version is not a 4-byte number".into())),
            None => {
                let has_data = TreeName::ALL.iter().any(|t| !self.tree(*t).is_empty());
                if has_data {
                    return Err(self.corrupt(
                        "records exist but no schema version is recorded (not a skillbridge database?)".into(),
                    ));
                }
                self.set_schema_version(SCHEMA_VERSION)?;
                Ok(None)
            }
        }
    }

    pub(crate) fn set_schema_version(&self, version: u32) -> Result<()> {
        self.tree(TreeName::Meta)
            .insert(b"schema_version", &version.to_be_bytes())
            .map_err(|e| self.write_err(e))?;
        self.flush()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn tree(&self, t: TreeName) -> &sled::Tree {
        &self.trees[t.slot()]
    }

    pub(crate) fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            detail,
        }
    }

    /// A failed read: the disk's fault when the operating system says so,
    /// else damage (sled found a message that does not check, or a page it
    /// cannot make sense of) — never "this change was not saved".
    pub(crate) fn read_err(&self, e: sled::Error) -> StoreError {
        if let sled::Error::Io(io) = &e
            && let Some(mapped) = io_fault(&self.path, io, "reading")
        {
            return mapped;
        }
        self.corrupt(format!("reading it failed: {e}"))
    }

    pub(crate) fn write_err(&self, e: sled::Error) -> StoreError {
        if let sled::Error::Io(io) = &e
            && let Some(mapped) = io_fault(&self.path, io, "saving")
        {
            return mapped;
        }
        StoreError::Write {
            path: self.path.clone(),
            detail: e.to_string(),
        }
    }

    /// Make every write so far durable. A directory deleted or replaced
    /// under a running process still takes writes (into files no one will
    /// read again), so the flush is refused when the log file is no longer
    /// the one opened.
    /// Close this handle and, when it was the last one, record the
    /// database at rest (see [`at_rest`]): the next one-shot command can
    /// then know its identity and generation without opening it. Returns
    /// whether the record was made.
    pub fn close_at_rest(self) -> Result<bool> {
        // Flushed, the log's signature, then the generation: a write by
        // another handle after the signature changes the log by the close,
        // and then nothing is recorded (see `at_rest`).
        self.flush()?;
        let Some(seen) = at_rest::settled(&self.path) else {
            return Ok(false);
        };
        let (id, generation) = (self.database_id()?, self.generation()?);
        let path = self.path.clone();
        drop(self);
        Ok(at_rest::record(&path, &id, generation, &seen))
    }

    pub fn flush(&self) -> Result<()> {
        self.db.flush().map_err(|e| self.write_err(e))?;
        if log_file_id(&self.path) != self.log_file {
            return Err(StoreError::Vanished {
                path: self.path.clone(),
            });
        }
        Ok(())
    }

    pub(crate) fn new_id(&self) -> Result<u64> {
        self.db.generate_id().map(|id| id + 1).map_err(|e| self.write_err(e))
    }

    /// A free-form setting kept in the meta tree.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .tree(TreeName::Meta)
            .get(key.as_bytes())
            .map_err(|e| self.read_err(e))?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.tree(TreeName::Meta)
            .insert(key.as_bytes(), value.as_bytes())
            .map_err(|e| self.write_err(e))?;
        self.flush()
    }

    /// A number that changes with every write (for caches).
    pub fn generation(&self) -> Result<u64> {
        Ok(self
            .tree(TreeName::Meta)
            .get(GENERATION)
            .map_err(|e| self.read_err(e))?
            .and_then(|v| u64_from(&v))
            .unwrap_or(0))
    }

    /// Move the generation after writes made outside `transact` (bulk loads).
    pub(crate) fn bump_generation(&self) -> Result<()> {
        let g = self.generation()?;
        self.tree(TreeName::Meta)
            .insert(GENERATION, &(g + 1).to_be_bytes())
            .map_err(|e| self.write_err(e))?;
        Ok(())
    }

    /// True when the database holds no records at all.
    pub fn is_empty(&self) -> bool {
        TreeName::ALL
            .iter()
            .filter(|t| **t != TreeName::Meta)
            .all(|t| self.tree(*t).is_empty())
    }
}

/// Write `path` atomically: into a temp file beside it
/// (`<name>.tmp<pid>-<n>`, which the search cache's `clear_leftovers`
/// finds), renamed over the old one when whole.
pub fn write_atomically(
    path: &Path,
    body: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{seq}", std::process::id()));
    let written = (|| {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        body(&mut w)?;
        std::io::Write::flush(&mut w)
    })();
    match written {
        Ok(()) => std::fs::rename(&tmp, path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
