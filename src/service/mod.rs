//! One service per process: owns the store and the in-memory indexes, runs
//! the commands (enroll, transition, save) and tells every session that
//! something changed (a version number that only grows), so every open
//! screen shows new data at once.

pub mod access;
pub mod aftercare;
pub mod cache;
mod commands;
pub mod data;
#[cfg(test)]
mod golden;
pub mod idmap;
mod list;
pub mod matching;
pub mod notes;
mod picture;
pub mod public;
mod records_codec;
mod reference;
pub mod results;
pub mod rows;
pub mod snapshot;
pub mod subsidy;
pub mod wish;

pub use access::{Actor, Guarded};
pub use data::Data;
pub use list::{Earlier, Filters, Found, SearchSpec, Sort};
pub use picture::Cached;

use crate::domain::*;
use crate::search::Index;
use crate::store::{Result, Stamp, Store};
use chrono::NaiveDate;
use list::sort_hits;
use picture::{build_indexes, release_free_memory};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

/// The data and indexes behind the lock.
pub struct Inner {
    pub data: Data,
    /// Shared so the persisted copy can be written from them in the
    /// background; a change meanwhile copies the one it changes.
    indexes: HashMap<Kind, Arc<Index>>,
    /// Per list, every id newest first (what a session with no query and
    /// no filter shows), made when first asked and dropped on a change.
    everything: Mutex<HashMap<Kind, Arc<[u64]>>>,
}

impl Inner {
    fn new(data: Data, indexes: HashMap<Kind, Arc<Index>>) -> Inner {
        Inner {
            data,
            indexes,
            everything: Mutex::default(),
        }
    }

    /// Every id of a list, newest first, shared.
    fn everything(&self, kind: Kind, index: &Index) -> Arc<[u64]> {
        let mut all = self.everything.lock().unwrap_or_else(|p| p.into_inner());
        all.entry(kind)
            .or_insert_with(|| index.ids().iter().rev().copied().collect())
            .clone()
    }

    /// A list's index changed: its shared list of every id is stale.
    fn changed(&mut self, kind: Kind) {
        self.everything
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&kind);
    }

    pub fn index(&self, kind: Kind) -> Option<&Index> {
        self.indexes.get(&kind).map(|a| &**a)
    }

    fn reindex(&mut self, kind: Kind, id: u64) {
        if let Some((h, tags)) = rows::hay(&self.data, kind, id) {
            Arc::make_mut(self.indexes.entry(kind).or_default()).upsert_tagged(id, h, &tags);
            self.changed(kind);
        }
    }

    fn reindex_cases_of_trainee(&mut self, t: TraineeId) {
        let ids: Vec<u64> = self.data.trainee_cases(t).map(|c| c.id.0).collect();
        for id in ids {
            self.reindex(Kind::Cases, id);
        }
    }

    fn reindex_cases_of_class(&mut self, c: ClassId) {
        let ids: Vec<u64> = self.data.class_cases(c).map(|c| c.id.0).collect();
        for id in ids {
            self.reindex(Kind::Cases, id);
        }
    }

    /// Search, filter and sort. `None` when cancelled.
    pub fn search(
        &self,
        spec: &SearchSpec,
        within: Option<Earlier<'_>>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Found> {
        // A Cases query with a note prefix searches the notes (#18).
        if let Some(nq) = notes::note_query(spec.kind, &spec.query.raw) {
            return self.search_notes(spec, &nq, cancelled);
        }
        let start = Instant::now();
        let index = self.indexes.get(&spec.kind)?;
        // An operator's district scope is a filter no later step may lose:
        // records outside it are dropped before anything is kept, so
        // neither the list shown nor the matches a keystroke narrows from
        // hold one (and no list shared with other sessions is used).
        let scoped = spec.scoped();
        if !scoped
            && spec.query.is_empty()
            && spec.filters.is_empty()
            && matches!(spec.sort, Sort::Relevance | Sort::Newest)
        {
            return Some(Found {
                hits: Arc::default(),
                ids: self.everything(spec.kind, index),
                at: None,
                elapsed: start.elapsed(),
            });
        }
        if !scoped && spec.filters.is_empty() && spec.sort == Sort::Relevance && !spec.query.is_empty() {
            // What an operator types: ranked straight from the scan. What is
            // shown and what a narrowing search starts from are one copy.
            let (ids, at) =
                index.search_ranked_at(&spec.query, within.map(|e| e.ids), within.and_then(|e| e.at), cancelled)?;
            return Some(Found {
                hits: ids.clone(),
                ids,
                at,
                elapsed: start.elapsed(),
            });
        }
        let mut hits = index.search(&spec.query, within.map(|e| e.ids), cancelled)?;
        let data = &self.data;
        if scoped {
            hits.retain(|h| spec.in_scope(data, h.id));
        }
        if spec.query.is_empty() {
            // Nothing to narrow from later: only what is shown is kept.
            hits.retain(|h| spec.filters.keep(data, spec.kind, h.id));
            sort_hits(data, spec, &mut hits);
            return Some(Found {
                hits: Arc::default(),
                ids: hits.iter().map(|h| h.id).collect(),
                at: None,
                elapsed: start.elapsed(),
            });
        }
        if spec.filters.is_empty() {
            // What is shown and what a narrowing search starts from are the
            // same records: sort them once and keep one copy.
            sort_hits(data, spec, &mut hits);
            let ids: Arc<[u64]> = hits.iter().map(|h| h.id).collect();
            return Some(Found {
                hits: ids.clone(),
                ids,
                at: None,
                elapsed: start.elapsed(),
            });
        }
        let all: Arc<[u64]> = hits.iter().map(|h| h.id).collect();
        hits.retain(|h| spec.filters.keep(data, spec.kind, h.id));
        sort_hits(data, spec, &mut hits);
        Some(Found {
            hits: all,
            ids: hits.iter().map(|h| h.id).collect(),
            at: None,
            elapsed: start.elapsed(),
        })
    }
}

/// What [`Service::open_overlapped`] read while sled opened, not yet
/// checked against the database.
struct Early {
    records: Option<cache::Unchecked<Data>>,
    indexes: Vec<(Kind, cache::Unchecked<Index>)>,
}

/// The process-wide service.
/// Where a start found what it needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Startup {
    /// The records came from the snapshot, not from walking the database.
    pub records_from_snapshot: bool,
    /// How many kinds' search indexes came from the persisted cache.
    pub indexes_from_cache: usize,
}

/// `Service::synced` when the picture matches no known generation (a write
/// failed after its commit, a write bypassed the service, a reload failed).
const UNSYNCED: u64 = u64::MAX;

pub struct Service {
    store: Store,
    startup: Startup,
    /// The generation the persisted search cache was written for.
    cached_generation: AtomicU64,
    /// The thread writing the cache after a start that had to build it.
    cache_writer: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Held by every write through the service, from the store's commit
    /// to the in-memory picture's update, and by the exit save.
    write_gate: std::sync::Mutex<()>,
    /// The store generation the in-memory picture is known to match, or
    /// [`UNSYNCED`]: only a matching picture may be persisted.
    synced: AtomicU64,
    inner: RwLock<Inner>,
    version: AtomicU64,
    today: NaiveDate,
    simulated: bool,
    /// Where imports may read from, when set (a served process).
    import_dir: std::sync::OnceLock<std::path::PathBuf>,
}

impl Service {
    /// Load everything from the store; take the search indexes from the
    /// persisted cache when it is current (read while the records load),
    /// else build them and persist them in the background.
    pub fn open(store: Store) -> Result<Arc<Service>> {
        Self::open_with(store, None)
    }

    /// Open the store with `open_store` while the records snapshot and the
    /// search indexes of the database at `db` are read and decoded on
    /// other threads: at a million records sled's open and the decoding
    /// each take the better part of a second, and neither needs the other.
    /// What was read is used only if its stamp then matches the opened
    /// database's identity and generation (read under sled's lock), so a
    /// write in between makes it ignored, never trusted.
    pub fn open_overlapped<E: From<crate::store::StoreError>>(
        db: &std::path::Path,
        open_store: impl FnOnce() -> std::result::Result<Store, E>,
    ) -> std::result::Result<Arc<Service>, E> {
        let t0 = Instant::now();
        let timing = std::env::var_os("SKILLBRIDGE_TIMING").is_some();
        let (store, early) = std::thread::scope(|sc| {
            let indexes = sc.spawn(|| {
                let read = Kind::ALL
                    .iter()
                    .filter_map(|k| cache::read_stamped(db, *k).map(|ix| (*k, ix)))
                    .collect::<Vec<_>>();
                if timing {
                    eprintln!("{} indexes read early in {:?}", read.len(), t0.elapsed());
                }
                read
            });
            let records = sc.spawn(|| {
                let read = snapshot::read_stamped(db);
                if timing {
                    eprintln!("records snapshot read early in {:?}", t0.elapsed());
                }
                read
            });
            let store = open_store();
            if timing {
                eprintln!("store opened in {:?}", t0.elapsed());
            }
            let early = Early {
                records: records.join().ok().flatten(),
                indexes: indexes.join().unwrap_or_default(),
            };
            (store, early)
        });
        Ok(Self::open_with(store?, Some(early))?)
    }

    fn open_with(store: Store, early: Option<Early>) -> Result<Arc<Service>> {
        let t0 = Instant::now();
        let generation = store.generation()?;
        let id = store.database_id()?;
        let db = store.path().to_path_buf();
        // Only this process has the database open (sled's lock): any
        // half-written cache file is a leftover of one that died.
        cache::clear_leftovers(&db);
        let (data, cached, from_snapshot) = std::thread::scope(|sc| {
            let (early_records, early_indexes) = match early {
                Some(e) => (Some(e.records), Some(e.indexes)),
                None => (None, None),
            };
            let cached = sc.spawn(|| match early_indexes {
                Some(read) => read
                    .into_iter()
                    .filter_map(|(k, u)| u.take(&id, generation).map(|ix| (k, Arc::new(ix))))
                    .collect::<HashMap<Kind, Arc<Index>>>(),
                None => Kind::ALL
                    .iter()
                    .filter_map(|k| cache::read(&db, *k, &id, generation).map(|ix| (*k, Arc::new(ix))))
                    .collect::<HashMap<Kind, Arc<Index>>>(),
            });
            let picture = match early_records {
                Some(r) => r.and_then(|r| r.take(&id, generation)),
                None => snapshot::read(&db, &id, generation),
            };
            let (data, from_snapshot) = match picture {
                // Follow-ups and not-hired steps come with the snapshot.
                Some(mut d) => (
                    d.load_wishes(&store)
                        .and_then(|()| d.load_claims(&store))
                        .and_then(|()| d.load_notes(&store))
                        .map(|()| d),
                    true,
                ),
                None => (Data::load(&store), false),
            };
            (data, cached.join().unwrap_or_default(), from_snapshot)
        });
        let data = data?;
        let loaded = t0.elapsed();
        let from_cache = cached.len();
        let mut inner = Inner::new(data, cached);
        let missing: Vec<Kind> = Kind::ALL
            .iter()
            .copied()
            .filter(|k| !inner.indexes.contains_key(k))
            .collect();
        build_indexes(&mut inner, &missing);
        if std::env::var_os("SKILLBRIDGE_TIMING").is_some() {
            eprintln!(
                "records read in {loaded:?} (from {}; {from_cache} indexes from the cache), then {} built in {:?}",
                if from_snapshot { "the snapshot" } else { "the database" },
                missing.len(),
                t0.elapsed() - loaded
            );
        }
        let as_of = store
            .meta(crate::store::META_AS_OF)?
            .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
        release_free_memory();
        let svc = Arc::new(Service {
            store,
            startup: Startup {
                records_from_snapshot: from_snapshot,
                indexes_from_cache: from_cache,
            },
            cached_generation: AtomicU64::new(generation),
            cache_writer: std::sync::Mutex::new(None),
            write_gate: std::sync::Mutex::new(()),
            synced: AtomicU64::new(generation),
            inner: RwLock::new(inner),
            version: AtomicU64::new(1),
            today: as_of.unwrap_or_else(|| {
                chrono::Utc::now()
                    .with_timezone(&crate::domain::china_time())
                    .date_naive()
            }),
            simulated: as_of.is_some(),
            import_dir: std::sync::OnceLock::new(),
        });
        // Which cases are each trainee's and each class's, made once the
        // service can search, on a thread of their own (a start does not
        // wait on them; whatever asks first makes them if this has not).
        let links = svc.clone();
        if let Err(e) = std::thread::Builder::new().name("case-links".into()).spawn(move || {
            links.read().data.make_links();
            // What making them used and let go of (their sort's
            // buffers) goes back, as after a load.
            release_free_memory();
        }) {
            tracing::warn!("cannot start the case links' thread (they are made when first asked for): {e}");
        }
        if !missing.is_empty() || !from_snapshot {
            // No write can have happened yet, and a write that lands while
            // this runs only makes the files older than the store (so
            // ignored at the next start), never newer.
            let writer = svc.clone();
            let handle = std::thread::Builder::new()
                .name("search-cache".into())
                .spawn(move || writer.write_caches(generation, &missing, !from_snapshot))
                .map_err(|e| tracing::warn!("cannot start the cache writer: {e}"))
                .ok();
            *svc.cache_writer.lock().unwrap_or_else(|p| p.into_inner()) = handle;
        }
        Ok(svc)
    }

    /// Write the given kinds' indexes, and the records when asked, as the
    /// picture of `generation`.
    fn write_caches(&self, generation: u64, kinds: &[Kind], records: bool) {
        let db = self.store.path();
        let Ok(id) = self.store.database_id() else {
            return;
        };
        // The lock is held only to share the indexes (a reference each, no
        // copy) and to encode the records; the files are written without it,
        // so writes and searches never wait on the disk (seconds at a
        // million records). A write that lands meanwhile copies the one
        // index it changes instead of waiting.
        let (indexes, payload) = {
            let r = self.read();
            let indexes: Vec<(Kind, Arc<Index>)> = kinds
                .iter()
                .filter_map(|k| r.indexes.get(k).map(|ix| (*k, ix.clone())))
                .collect();
            (indexes, records.then(|| snapshot::encode(&r.data)))
        };
        for (kind, ix) in indexes {
            if let Err(e) = cache::write(db, kind, &id, generation, &ix) {
                tracing::warn!("cannot write the search cache in {}: {e}", cache::dir(db).display());
                return;
            }
        }
        if let Some(Err(e)) = payload.map(|p| p.and_then(|p| snapshot::write_encoded(db, &id, generation, &p))) {
            tracing::warn!("cannot write the records snapshot in {}: {e}", cache::dir(db).display());
        }
    }

    /// Where this start found its records and indexes.
    pub fn startup(&self) -> Startup {
        self.startup
    }

    /// Wait until the search cache written after start-up is on disk.
    pub fn wait_for_search_cache(&self) {
        let handle = self.cache_writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(h) = handle {
            let _ = h.join();
        }
    }

    /// Persist the records and search indexes for the next start, when anything changed
    /// since they were last written. Call it when no write is in flight (at
    /// exit): the cache is stamped with the store's generation now.
    pub fn save_search_cache(&self) {
        self.wait_for_search_cache();
        // No write through the service runs while this does; one that
        // bypassed it shows as a generation the picture does not match.
        let _gate = self.gate();
        let Ok(generation) = self.store.generation() else {
            return;
        };
        if generation == self.cached_generation.load(Ordering::Acquire) {
            return;
        }
        if self.synced.load(Ordering::Acquire) != generation {
            tracing::info!(
                "the records in memory are not known to match generation {generation}: the next start rebuilds the caches"
            );
            return;
        }
        self.write_caches(generation, &Kind::ALL, true);
        self.cached_generation.store(generation, Ordering::Release);
    }

    /// Let go of this handle and, when it was the last one and no write
    /// came after the caller's last, record the database at rest (see
    /// `store::at_rest`): the next one-shot search then need not open it.
    /// Call it at exit, after [`Service::save_search_cache`]; whether the
    /// record was made is logged.
    pub fn close_at_rest(self: Arc<Self>) -> bool {
        let store = self.store.clone();
        drop(self);
        match store.close_at_rest() {
            Ok(made) => {
                tracing::info!(made, "database at rest recorded at exit");
                made
            }
            Err(e) => {
                tracing::warn!("the database could not be recorded at rest: {e}");
                false
            }
        }
    }

    /// The business date (a demo database runs at its simulated date).
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// True on a demo database with a simulated date.
    pub fn is_simulated(&self) -> bool {
        self.simulated
    }

    /// Grows with every change; sessions compare it to redraw.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    pub fn read(&self) -> RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    fn bump(&self) {
        self.version.fetch_add(1, Ordering::AcqRel);
    }

    fn gate(&self) -> std::sync::MutexGuard<'_, ()> {
        self.write_gate.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run a write of exactly one store transaction and its update of the
    /// picture, keeping track of whether the picture still matches the
    /// store: it does when it did before and either the write committed and
    /// was applied, or nothing was committed.
    fn gated<T>(&self, op: impl FnOnce() -> Result<T>) -> Result<T> {
        let _gate = self.gate();
        let before = self.store.generation().ok();
        let was = self.synced.swap(UNSYNCED, Ordering::AcqRel);
        let out = op();
        let after = self.store.generation().ok();
        let now = match (before, after) {
            (Some(b), Some(a)) if was == b && out.is_ok() && a == b + 1 => a,
            (Some(b), Some(a)) if was == b && out.is_err() && a == b => b,
            _ => UNSYNCED,
        };
        self.synced.store(now, Ordering::Release);
        out
    }

    /// A stamp for an operator's change now.
    pub fn stamp(&self, operator: &str) -> Stamp {
        let now = chrono::Utc::now().with_timezone(&crate::domain::china_time());
        let at = if self.simulated {
            self.today
                .and_time(now.time())
                .and_local_timezone(crate::domain::china_time())
                .earliest()
                .map(|t| t.timestamp())
                .unwrap_or_else(|| now.timestamp())
        } else {
            now.timestamp()
        };
        Stamp {
            operator: operator.to_string(),
            at,
            today: self.today,
        }
    }

    pub fn events(&self, case: CaseId) -> Result<Vec<Event>> {
        self.store.events_of(case)
    }

    /// The program's rules as this database sets them.
    pub fn policy(&self) -> crate::domain::rules::Policy {
        self.store.policy()
    }

    /// The open case that keeps a trainee busy in another class, if any.
    pub fn active_case(&self, trainee: TraineeId, besides: ClassId) -> Option<(CaseId, ClassId)> {
        let r = self.read();
        r.data
            .trainee_cases(trainee)
            .find(|c| c.class != besides && crate::domain::rules::is_active(&c.state))
            .map(|c| (c.id, c.class))
    }

    /// Enroll (seat check in one transaction), then refresh the picture. A
    /// trainee already busy in another class is enrolled only with a reason
    /// (`note`, kept in the event). `by` needs pairing rights over the
    /// trainee's district.
    pub fn enroll(&self, trainee: TraineeId, class: ClassId, by: &Actor, note: &str) -> Result<Case> {
        self.guard_trainee(by, access::Action::Pairing, trainee)?;
        let operator = by.name.as_str();
        self.gated(|| {
            // Under the gate no other write can slip in between the check and the write.
            crate::domain::rules::check_second_class(self.active_case(trainee, class), note)?;
            let case = self.store.enroll(trainee, class, &self.stamp(operator), note)?;
            let used = self.store.seats_used(class)?;
            {
                let mut w = self.write();
                w.data.seats_used.insert(class, used);
                w.data.add_case_links(&case);
                w.data.cases.insert(case.id, case.clone());
                w.reindex(Kind::Cases, case.id.0);
            }
            self.bump();
            Ok(case)
        })
    }

    /// Move a case one step (referral checks in one transaction), then
    /// refresh. `by` needs the right to move cases (to refer: pairing) over
    /// the trainee's district.
    pub fn transition(&self, case: CaseId, mv: Move, by: &Actor, note: &str) -> Result<Case> {
        let mut moved = self.transition_many(&[case], mv, by, note)?;
        moved.pop().ok_or_else(|| crate::store::StoreError::Corrupt {
            path: self.db_path().to_path_buf(),
            detail: format!("moving case {case} returned no case"),
        })
    }

    /// Move many cases the same step (a whole class) in one transaction,
    /// then refresh the picture: every case moves, or none does. `by` needs
    /// the right over every case's trainee.
    pub fn transition_many(&self, cases: &[CaseId], mv: Move, by: &Actor, note: &str) -> Result<Vec<Case>> {
        let steps: Vec<(CaseId, Move, String)> = cases.iter().map(|c| (*c, mv.clone(), note.to_string())).collect();
        self.transition_each(&steps, by)
    }

    /// Move each case its own step with its own note (a results sheet) in
    /// one transaction, then refresh the picture: every case moves, or none
    /// does. `by` needs the right over every case's trainee.
    pub fn transition_each(&self, steps: &[(CaseId, Move, String)], by: &Actor) -> Result<Vec<Case>> {
        for (case, mv, _) in steps {
            let action = match mv {
                Move::Refer(_) => access::Action::Pairing,
                _ => access::Action::CaseStep,
            };
            self.guard_case(by, action, *case)?;
        }
        let operator = by.name.as_str();
        self.gated(|| {
            let before: Vec<Case> = {
                let r = self.read();
                steps
                    .iter()
                    .filter_map(|(c, ..)| r.data.cases.get(c).cloned())
                    .collect()
            };
            let after = self.store.transition_each(steps, &self.stamp(operator))?;
            self.refresh_cases(&before, &after)?;
            Ok(after)
        })
    }

    /// Reload everything from the store (after a bulk change such as an import).
    pub fn reload(&self) -> Result<()> {
        let _gate = self.gate();
        self.synced.store(UNSYNCED, Ordering::Release);
        let before = self.store.generation().ok();
        self.reload_all()?;
        let after = self.store.generation().ok();
        // Matched only if nothing wrote while the records were read.
        if let (Some(b), Some(a)) = (before, after)
            && a == b
        {
            self.synced.store(a, Ordering::Release);
        }
        self.bump();
        Ok(())
    }

    /// Create or update a record, then refresh the picture. What `by` needs
    /// depends on the record and on whether it is new (see [`Guarded`]).
    pub fn save<R: Guarded>(&self, rec: R, by: &Actor) -> Result<R> {
        self.guard_save(by, &rec)?;
        self.gated(|| {
            let saved = self.store.save(rec)?;
            {
                let mut w = self.write();
                saved.clone().cache(&mut w);
            }
            self.bump();
            Ok(saved)
        })
    }
}
