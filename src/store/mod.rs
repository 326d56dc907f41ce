//! The sled store: one tree per entity, big-endian u64 keys, values in a
//! versioned envelope (see `codec`), secondary indexes and usage counters kept
//! in the same multi-tree transactions as the records they follow. Every
//! acknowledged write is flushed before it returns.

pub mod backup;
pub mod batch;
pub mod bulk;
pub mod check;
pub mod codec;
pub mod error;
pub mod migrate;
mod ops;
pub mod repair;
pub use ops::Stamp;

pub use error::{Result, StoreError};

use crate::domain::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use std::path::{Path, PathBuf};

/// Schema version this program writes. A database with a higher one is
/// refused; a lower one is migrated on open (see `migrate`).
pub const SCHEMA_VERSION: u32 = 1;

/// Default sled page-cache size. sled's own default (1 GiB) is far more than
/// a city needs; 64 MiB holds the working set of 100k trainees.
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// sled page cache for a long-running workspace, server or kiosk. Their
/// records and search indexes live in the service's memory, so sled's cache
/// only serves writes and event timelines: a small one keeps the resident
/// size down (100k trainees: 8 MB less than with 64 MiB) at no cost to a
/// keystroke, which never reads sled.
pub const SERVICE_CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// Every tree of the database. The discriminant is the tree's position in
/// `Store::trees` and in a transaction's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TreeName {
    Meta,
    Institutions,
    Enterprises,
    Demands,
    Classes,
    Trainees,
    Cases,
    Events,
    IdxTraineeIdNumber,
    IdxInstitutionName,
    IdxEnterpriseName,
    IdxDemandOccupation,
    IdxDemandRegion,
    IdxClassOccupation,
    IdxClassRegion,
    IdxCaseClass,
    IdxCaseTrainee,
    /// trainee ++ class → case, for cases that hold a seat (one per pair).
    IdxEnrollment,
    /// class → seats used (u32).
    ClassUsage,
    /// demand → (referred u32, hired u32).
    DemandUsage,
}

impl TreeName {
    pub const ALL: [TreeName; 20] = [
        TreeName::Meta,
        TreeName::Institutions,
        TreeName::Enterprises,
        TreeName::Demands,
        TreeName::Classes,
        TreeName::Trainees,
        TreeName::Cases,
        TreeName::Events,
        TreeName::IdxTraineeIdNumber,
        TreeName::IdxInstitutionName,
        TreeName::IdxEnterpriseName,
        TreeName::IdxDemandOccupation,
        TreeName::IdxDemandRegion,
        TreeName::IdxClassOccupation,
        TreeName::IdxClassRegion,
        TreeName::IdxCaseClass,
        TreeName::IdxCaseTrainee,
        TreeName::IdxEnrollment,
        TreeName::ClassUsage,
        TreeName::DemandUsage,
    ];
    pub fn name(self) -> &'static str {
        match self {
            TreeName::Meta => "meta",
            TreeName::Institutions => "institutions",
            TreeName::Enterprises => "enterprises",
            TreeName::Demands => "demands",
            TreeName::Classes => "classes",
            TreeName::Trainees => "trainees",
            TreeName::Cases => "cases",
            TreeName::Events => "events",
            TreeName::IdxTraineeIdNumber => "idx_trainee_id_number",
            TreeName::IdxInstitutionName => "idx_institution_name",
            TreeName::IdxEnterpriseName => "idx_enterprise_name",
            TreeName::IdxDemandOccupation => "idx_demand_occupation",
            TreeName::IdxDemandRegion => "idx_demand_region",
            TreeName::IdxClassOccupation => "idx_class_occupation",
            TreeName::IdxClassRegion => "idx_class_region",
            TreeName::IdxCaseClass => "idx_case_class",
            TreeName::IdxCaseTrainee => "idx_case_trainee",
            TreeName::IdxEnrollment => "idx_enrollment",
            TreeName::ClassUsage => "class_usage",
            TreeName::DemandUsage => "demand_usage",
        }
    }
    pub fn is_index(self) -> bool {
        self.name().starts_with("idx_")
    }
}

/// One secondary-index entry a record implies. A unique entry maps its key to
/// the record id; a non-unique entry's key ends with the record id and maps
/// to nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndexEntry {
    pub tree: TreeName,
    pub key: Vec<u8>,
    pub unique: bool,
}

impl IndexEntry {
    fn multi(tree: TreeName, prefix: &[u8], id: u64) -> Self {
        let mut key = prefix.to_vec();
        key.extend_from_slice(&id.to_be_bytes());
        IndexEntry {
            tree,
            key,
            unique: false,
        }
    }
    fn unique(tree: TreeName, key: Vec<u8>) -> Self {
        IndexEntry {
            tree,
            key,
            unique: true,
        }
    }
}

/// A kind of record kept in its own tree.
pub trait Record: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    const TREE: TreeName;
    const KIND: &'static str;
    /// Envelope version this program writes for the record.
    const VERSION: u16 = 1;
    fn key(&self) -> u64;
    fn set_key(&mut self, key: u64);
    fn index_entries(&self) -> Vec<IndexEntry>;
}

macro_rules! record {
    ($t:ty, $tree:ident, $kind:literal, $id:ident, |$s:ident| $idx:expr) => {
        impl Record for $t {
            const TREE: TreeName = TreeName::$tree;
            const KIND: &'static str = $kind;
            fn key(&self) -> u64 {
                self.id.0
            }
            fn set_key(&mut self, key: u64) {
                self.id = $id(key);
            }
            fn index_entries(&self) -> Vec<IndexEntry> {
                let $s = self;
                $idx
            }
        }
    };
}

pub fn name_key(name: &str) -> Vec<u8> {
    name.trim().as_bytes().to_vec()
}

record!(Institution, Institutions, "institution", InstitutionId, |s| vec![
    IndexEntry::unique(TreeName::IdxInstitutionName, name_key(&s.name))
]);
record!(Enterprise, Enterprises, "enterprise", EnterpriseId, |s| vec![
    IndexEntry::unique(TreeName::IdxEnterpriseName, name_key(&s.name))
]);
record!(JobDemand, Demands, "demand", DemandId, |s| vec![
    IndexEntry::multi(TreeName::IdxDemandOccupation, &s.occupation.0.to_be_bytes(), s.id.0),
    IndexEntry::multi(TreeName::IdxDemandRegion, &[s.region.0], s.id.0),
]);
record!(TrainingClass, Classes, "class", ClassId, |s| vec![
    IndexEntry::multi(TreeName::IdxClassOccupation, &s.occupation.0.to_be_bytes(), s.id.0),
    IndexEntry::multi(TreeName::IdxClassRegion, &[s.region.0], s.id.0),
]);
record!(Trainee, Trainees, "trainee", TraineeId, |s| vec![IndexEntry::unique(
    TreeName::IdxTraineeIdNumber,
    s.id_number.as_str().as_bytes().to_vec()
)]);
record!(Case, Cases, "case", CaseId, |s| {
    let mut v = vec![
        IndexEntry::multi(TreeName::IdxCaseClass, &s.class.0.to_be_bytes(), s.id.0),
        IndexEntry::multi(TreeName::IdxCaseTrainee, &s.trainee.0.to_be_bytes(), s.id.0),
    ];
    if s.state.holds_seat() {
        v.push(IndexEntry::unique(
            TreeName::IdxEnrollment,
            enrollment_key(s.trainee, s.class),
        ));
    }
    v
});

pub fn enrollment_key(trainee: TraineeId, class: ClassId) -> Vec<u8> {
    let mut k = trainee.0.to_be_bytes().to_vec();
    k.extend_from_slice(&class.0.to_be_bytes());
    k
}

pub fn event_key(case: CaseId, seq: u32) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..8].copy_from_slice(&case.0.to_be_bytes());
    k[8..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// Meta key of the write generation.
pub const GENERATION: &[u8] = b"generation";

/// Events are keyed by (case, seq) and never change.
pub const EVENT_VERSION: u16 = 1;

/// How many posts of a demand are taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemandUsage {
    /// Cases currently referred to the demand.
    pub referred: u32,
    /// Cases hired into the demand.
    pub hired: u32,
}

impl DemandUsage {
    pub fn taken(self) -> u32 {
        self.referred + self.hired
    }
    fn to_bytes(self) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&self.referred.to_be_bytes());
        b[4..].copy_from_slice(&self.hired.to_be_bytes());
        b
    }
    fn from_bytes(b: &[u8]) -> Option<Self> {
        if b.len() != 8 {
            return None;
        }
        Some(DemandUsage {
            referred: u32::from_be_bytes(b[..4].try_into().ok()?),
            hired: u32::from_be_bytes(b[4..].try_into().ok()?),
        })
    }
}

fn u32_from(b: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

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

/// Which file a path names (device and inode on Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId(u64, u64);

/// The identity of sled's log file `PATH/db`, or `None` when it is gone.
fn log_file_id(path: &Path) -> Option<FileId> {
    let meta = std::fs::metadata(path.join("db")).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FileId(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(FileId(0, 0))
    }
}

type Abort = ConflictableTransactionError<StoreError>;
type TxResult<T> = std::result::Result<T, Abort>;

fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

/// A transaction's view of every tree.
pub struct Tx<'a> {
    trees: &'a [TransactionalTree],
    path: &'a Path,
}

impl Tx<'_> {
    fn tree(&self, t: TreeName) -> &TransactionalTree {
        &self.trees[t as usize]
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
                kind: R::KIND,
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
            if e.unique {
                if let Some(v) = self.tree(e.tree).get(&e.key)? {
                    let holder = u64_from(&v).unwrap_or(0);
                    if holder != new.key() {
                        return Ok(Err((e.tree, holder)));
                    }
                }
                self.tree(e.tree).insert(e.key.clone(), &new.key().to_be_bytes())?;
            } else {
                self.tree(e.tree).insert(e.key.clone(), &[])?;
            }
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
        Ok(())
    }
}

pub(crate) fn u64_from(b: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(b.try_into().ok()?))
}

/// Records an operator can create and edit directly (cases change only
/// through enrollment and transitions).
pub trait Editable: Record {
    fn validate(&self) -> std::result::Result<(), ValidationError>;
    /// Rules that need other records, checked inside the write transaction.
    fn check_refs(&mut self, _tx: &Tx<'_>) -> TxResult<()> {
        Ok(())
    }
}

fn region_ok(record: String, r: RegionId) -> std::result::Result<(), ValidationError> {
    if r.get().is_none() {
        return Err(ValidationError {
            record,
            field: "region",
            value: r.0.to_string(),
            reason: format!("no such region: expected 0 to {}", REGIONS.len() - 1),
        });
    }
    Ok(())
}

fn occupation_ok(record: String, o: OccupationId) -> std::result::Result<(), ValidationError> {
    if o.get().is_none() {
        return Err(ValidationError {
            record,
            field: "occupation",
            value: o.0.to_string(),
            reason: format!("no such occupation: expected 0 to {}", OCCUPATIONS.len() - 1),
        });
    }
    Ok(())
}

impl Editable for Institution {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        Institution::validate(self)?;
        region_ok(format!("institution {}", self.id), self.region)
    }
}

impl Editable for Enterprise {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        Enterprise::validate(self)?;
        region_ok(format!("enterprise {}", self.id), self.region)
    }
}

impl Editable for Trainee {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        Trainee::validate(self)?;
        region_ok(format!("trainee {}", self.id), self.region)?;
        for o in &self.wanted {
            occupation_ok(format!("trainee {}", self.id), *o)?;
        }
        Ok(())
    }
}

impl Editable for JobDemand {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        JobDemand::validate(self)?;
        region_ok(format!("demand {}", self.id), self.region)?;
        occupation_ok(format!("demand {}", self.id), self.occupation)
    }
    fn check_refs(&mut self, tx: &Tx<'_>) -> TxResult<()> {
        tx.need::<Enterprise>(self.enterprise.0, self.enterprise.to_string())?;
        let used = tx.demand_usage(self.id)?;
        if self.headcount < used.taken() {
            return abort(StoreError::Invalid(ValidationError {
                record: format!("demand {}", self.id),
                field: "headcount",
                value: self.headcount.to_string(),
                reason: format!(
                    "{} posts are already referred or hired; headcount must be at least that",
                    used.taken()
                ),
            }));
        }
        // "filled" follows the hires; an operator's "closed" stands.
        self.status = match self.status {
            DemandStatus::Closed => DemandStatus::Closed,
            _ if used.hired >= self.headcount => DemandStatus::Filled,
            _ => DemandStatus::Open,
        };
        Ok(())
    }
}

impl Editable for TrainingClass {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        TrainingClass::validate(self)?;
        region_ok(format!("class {}", self.id), self.region)?;
        occupation_ok(format!("class {}", self.id), self.occupation)?;
        if self.program.get().is_none() {
            return Err(ValidationError {
                record: format!("class {}", self.id),
                field: "program",
                value: self.program.0.to_string(),
                reason: format!("no such program: expected 0 to {}", PROGRAMS.len() - 1),
            });
        }
        Ok(())
    }
    fn check_refs(&mut self, tx: &Tx<'_>) -> TxResult<()> {
        tx.need::<Institution>(self.institution.0, self.institution.to_string())?;
        for d in &self.linked_demands {
            tx.need::<JobDemand>(d.0, d.to_string())?;
        }
        let used = tx.seats_used(self.id)?;
        if self.capacity < used {
            return abort(StoreError::CapacityBelowEnrolled {
                class: self.id,
                capacity: self.capacity,
                used,
            });
        }
        Ok(())
    }
}

fn open_error(path: &Path, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io) => {
            let msg = io.to_string();
            if msg.contains("could not acquire lock") || io.kind() == std::io::ErrorKind::WouldBlock {
                StoreError::Locked {
                    path: path.to_path_buf(),
                    hint: server_hint(path),
                }
            } else if let Some(e) = io_fault(path, &io, "opening") {
                e
            } else {
                StoreError::Open {
                    path: path.to_path_buf(),
                    source: io,
                }
            }
        }
        sled::Error::Corruption { .. } | sled::Error::Unsupported(_) => StoreError::Unreadable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        sled::Error::ReportableBug(_) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        other => StoreError::Open {
            path: path.to_path_buf(),
            source: std::io::Error::other(other.to_string()),
        },
    }
}

/// The operator-facing error for an IO failure whose cause the operator can
/// fix (a full disk, a read-only mount, permissions, a bad path), or `None`.
fn io_fault(path: &Path, io: &std::io::Error, doing: &'static str) -> Option<StoreError> {
    use std::io::ErrorKind as K;
    // Linux errno values, for errors that reach us without a precise kind.
    const EPERM: i32 = 1;
    const ENOENT: i32 = 2;
    const EACCES: i32 = 13;
    const ENOTDIR: i32 = 20;
    const ENOSPC: i32 = 28;
    const EROFS: i32 = 30;
    const EDQUOT: i32 = 122;
    let path = path.to_path_buf();
    let raw = io.raw_os_error();
    let kind = io.kind();
    if matches!(kind, K::StorageFull | K::QuotaExceeded) || matches!(raw, Some(ENOSPC | EDQUOT)) {
        Some(StoreError::DiskFull { path, doing })
    } else if kind == K::ReadOnlyFilesystem || raw == Some(EROFS) {
        Some(StoreError::ReadOnly { path, doing })
    } else if kind == K::PermissionDenied || matches!(raw, Some(EPERM | EACCES)) {
        Some(StoreError::PermissionDenied {
            path,
            doing,
            detail: io.to_string(),
        })
    } else if doing == "opening" && (kind == K::NotADirectory || matches!(raw, Some(ENOTDIR | ENOENT))) {
        let detail = match path.ancestors().skip(1).find(|a| a.is_file()) {
            Some(file) => format!("{} is a file, not a directory", file.display()),
            None => io.to_string(),
        };
        Some(StoreError::BadPath { path, detail })
    } else {
        None
    }
}

/// sled 0.34 writes a snapshot to `snap.<lsn>.generating`, syncs it and
/// renames it to `snap.<lsn>`. A process killed in between leaves the
/// temporary file behind, and sled's next open takes it for the newest
/// snapshot and fails ("Read corrupted data"): the crash test found a
/// database that would not open after a kill during start-up. Such a file is
/// never a finished snapshot (the log still holds everything), so it is
/// removed — under sled's own lock, so that a file another process is still
/// writing is never touched. Failures are left for sled's open to report.
fn clear_interrupted_snapshots(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else { return };
    let stale: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with("snap.") && n.ends_with(".generating"))
        })
        .collect();
    if stale.is_empty() {
        return;
    }
    let Ok(lock) = std::fs::File::open(path.join("db")) else {
        return;
    };
    if lock.try_lock().is_ok() {
        for p in stale {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// How long `Store::reopen` waits for sled's IO threads to let go of a
/// database this process closed.
const RELEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The file a running server leaves beside the database so that a second
/// process can say how to connect instead of failing on the lock.
pub const SERVER_NOTE: &str = "server.addr";

fn server_hint(path: &Path) -> String {
    match std::fs::read_to_string(path.join(SERVER_NOTE)) {
        Ok(addr) if !addr.trim().is_empty() => {
            let addr = addr.trim();
            let port = addr.rsplit(':').next().unwrap_or("2222");
            format!(": a skillbridge server holds it at {addr}; connect with `ssh -p {port} <host>`")
        }
        _ => String::new(),
    }
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
        match store.check_schema()? {
            None => Ok(store),
            Some(older) => migrate::upgrade(store, older, SCHEMA_VERSION, migrate::STEPS, cache_bytes),
        }
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
            .map_err(|e| self.write_err(e))?
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
        &self.trees[t as usize]
    }

    pub(crate) fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            detail,
        }
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

    /// Run `f` in one transaction over every tree, then flush.
    pub(crate) fn transact<T>(&self, f: impl Fn(&Tx<'_>) -> TxResult<T>) -> Result<T> {
        let out = self.trees.as_slice().transaction(|view: &Vec<TransactionalTree>| {
            let tx = Tx {
                trees: view.as_slice(),
                path: &self.path,
            };
            let out = f(&tx)?;
            // Every write moves the generation (caches compare it).
            let meta = tx.tree(TreeName::Meta);
            let g = meta.get(GENERATION)?.and_then(|v| u64_from(&v)).unwrap_or(0);
            meta.insert(GENERATION, &(g + 1).to_be_bytes())?;
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

    pub fn get<R: Record>(&self, key: u64) -> Result<Option<R>> {
        match self
            .tree(R::TREE)
            .get(key.to_be_bytes())
            .map_err(|e| self.write_err(e))?
        {
            None => Ok(None),
            Some(v) => codec::decode::<R>(&v, R::VERSION)
                .map(|(_, r)| Some(r))
                .map_err(|e| self.corrupt(format!("{} {key}: {e}", R::TREE.name()))),
        }
    }

    /// Every record of a kind, in key order.
    pub fn all<R: Record>(&self) -> Result<Vec<R>> {
        let tree = self.tree(R::TREE);
        let mut out = Vec::with_capacity(tree.len());
        for item in tree.iter() {
            let (k, v) = item.map_err(|e| self.write_err(e))?;
            let key = u64_from(&k).unwrap_or(0);
            let (_, r) = codec::decode::<R>(&v, R::VERSION)
                .map_err(|e| self.corrupt(format!("{} {key}: {e}", R::TREE.name())))?;
            out.push(r);
        }
        Ok(out)
    }

    pub fn count<R: Record>(&self) -> usize {
        self.tree(R::TREE).len()
    }

    fn ids_with_prefix(&self, tree: TreeName, prefix: &[u8]) -> Result<Vec<u64>> {
        let mut out = Vec::new();
        for item in self.tree(tree).scan_prefix(prefix) {
            let (k, _) = item.map_err(|e| self.write_err(e))?;
            if k.len() == prefix.len() + 8 {
                out.extend(u64_from(&k[prefix.len()..]));
            }
        }
        Ok(out)
    }

    fn load_ids<R: Record>(&self, ids: Vec<u64>) -> Result<Vec<R>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            match self.get::<R>(id)? {
                Some(r) => out.push(r),
                None => {
                    return Err(self.corrupt(format!(
                        "an index names {} {id}, which does not exist (run `skillbridge check`)",
                        R::KIND
                    )));
                }
            }
        }
        Ok(out)
    }

    pub fn cases_of_class(&self, class: ClassId) -> Result<Vec<Case>> {
        let ids = self.ids_with_prefix(TreeName::IdxCaseClass, &class.0.to_be_bytes())?;
        self.load_ids(ids)
    }

    pub fn cases_of_trainee(&self, trainee: TraineeId) -> Result<Vec<Case>> {
        let ids = self.ids_with_prefix(TreeName::IdxCaseTrainee, &trainee.0.to_be_bytes())?;
        self.load_ids(ids)
    }

    pub fn demands_of_occupation(&self, occ: OccupationId) -> Result<Vec<JobDemand>> {
        let ids = self.ids_with_prefix(TreeName::IdxDemandOccupation, &occ.0.to_be_bytes())?;
        self.load_ids(ids)
    }

    pub fn classes_of_occupation(&self, occ: OccupationId) -> Result<Vec<TrainingClass>> {
        let ids = self.ids_with_prefix(TreeName::IdxClassOccupation, &occ.0.to_be_bytes())?;
        self.load_ids(ids)
    }

    pub fn demands_in_region(&self, region: RegionId) -> Result<Vec<JobDemand>> {
        let ids = self.ids_with_prefix(TreeName::IdxDemandRegion, &[region.0])?;
        self.load_ids(ids)
    }

    pub fn classes_in_region(&self, region: RegionId) -> Result<Vec<TrainingClass>> {
        let ids = self.ids_with_prefix(TreeName::IdxClassRegion, &[region.0])?;
        self.load_ids(ids)
    }

    pub fn events_of(&self, case: CaseId) -> Result<Vec<Event>> {
        let mut out = Vec::new();
        for item in self.tree(TreeName::Events).scan_prefix(case.0.to_be_bytes()) {
            let (_, v) = item.map_err(|e| self.write_err(e))?;
            let (_, ev) = codec::decode::<Event>(&v, EVENT_VERSION)
                .map_err(|e| self.corrupt(format!("events of case {case}: {e}")))?;
            out.push(ev);
        }
        Ok(out)
    }

    pub fn trainee_by_id_number(&self, id_number: &IdNumber) -> Result<Option<Trainee>> {
        self.unique_lookup(TreeName::IdxTraineeIdNumber, id_number.as_str().as_bytes())
    }

    pub fn institution_by_name(&self, name: &str) -> Result<Option<Institution>> {
        self.unique_lookup(TreeName::IdxInstitutionName, &name_key(name))
    }

    pub fn enterprise_by_name(&self, name: &str) -> Result<Option<Enterprise>> {
        self.unique_lookup(TreeName::IdxEnterpriseName, &name_key(name))
    }

    fn unique_lookup<R: Record>(&self, tree: TreeName, key: &[u8]) -> Result<Option<R>> {
        match self.tree(tree).get(key).map_err(|e| self.write_err(e))? {
            None => Ok(None),
            Some(v) => match u64_from(&v) {
                Some(id) => self.get::<R>(id),
                None => Err(self.corrupt(format!("{} holds a malformed id", tree.name()))),
            },
        }
    }

    pub fn seats_used(&self, class: ClassId) -> Result<u32> {
        Ok(self
            .tree(TreeName::ClassUsage)
            .get(class.0.to_be_bytes())
            .map_err(|e| self.write_err(e))?
            .and_then(|v| u32_from(&v))
            .unwrap_or(0))
    }

    pub fn demand_usage(&self, demand: DemandId) -> Result<DemandUsage> {
        Ok(self
            .tree(TreeName::DemandUsage)
            .get(demand.0.to_be_bytes())
            .map_err(|e| self.write_err(e))?
            .and_then(|v| DemandUsage::from_bytes(&v))
            .unwrap_or_default())
    }

    /// A free-form setting kept in the meta tree.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .tree(TreeName::Meta)
            .get(key.as_bytes())
            .map_err(|e| self.write_err(e))?
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
            .map_err(|e| self.write_err(e))?
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

fn duplicate_error<R: Record>(rec: &R, tree: TreeName, holder: u64) -> StoreError {
    match tree {
        TreeName::IdxTraineeIdNumber => {
            let id_number = String::from_utf8_lossy(
                rec.index_entries()
                    .iter()
                    .find(|e| e.tree == tree)
                    .map(|e| e.key.as_slice())
                    .unwrap_or_default(),
            )
            .into_owned();
            StoreError::DuplicateIdNumber {
                id_number,
                existing: TraineeId(holder),
            }
        }
        TreeName::IdxInstitutionName | TreeName::IdxEnterpriseName => {
            let name = rec
                .index_entries()
                .iter()
                .find(|e| e.tree == tree)
                .map(|e| String::from_utf8_lossy(&e.key).into_owned())
                .unwrap_or_default();
            let existing = if tree == TreeName::IdxInstitutionName {
                InstitutionId(holder).to_string()
            } else {
                EnterpriseId(holder).to_string()
            };
            StoreError::DuplicateName {
                kind: R::KIND,
                name,
                existing,
            }
        }
        other => StoreError::Corrupt {
            path: PathBuf::new(),
            detail: format!("unexpected unique conflict in {}", other.name()),
        },
    }
}
