//! The service's commands beyond single records: spreadsheet imports,
//! backups, settings, the integrity check. Each runs through the write
//! gate, so no write of the service lands in the middle of it, and the
//! in-memory picture is brought up to date before the gate opens: a
//! running service never has its store written behind its back.

use super::{Data, Service, UNSYNCED, build_indexes, release_free_memory};
use crate::domain::*;
use crate::io::backup::{BackupError, Summary};
use crate::io::import::{self, ApplyOptions, ImportError, Options, Plan, Report};
use crate::io::table::Limits;
use crate::store::Result;
use crate::store::check;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::Ordering;

impl Service {
    /// The directory of the database (for messages and the server's note).
    pub fn db_path(&self) -> &Path {
        self.store.path()
    }

    /// Make every write so far durable (at shutdown).
    pub fn flush(&self) -> Result<()> {
        self.store.flush()
    }

    /// A setting kept in the database (the labor force, the demo's date…).
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.store.meta(key)
    }

    /// Store a setting. Settings are not part of the picture, so the
    /// picture stays as current as it was.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        let _gate = self.gate();
        self.store.set_meta(key, value)
    }

    /// The integrity check of the database (see `store::check`), with no
    /// write of the service in the middle of it.
    pub fn check(&self) -> check::Report {
        let _gate = self.gate();
        self.store.check()
    }

    /// Write a backup of the whole database to `path` (see `io::backup`).
    /// No write lands while it is taken, so it is one consistent state.
    pub fn backup(&self, path: &Path) -> std::result::Result<Summary, BackupError> {
        let _gate = self.gate();
        crate::io::backup::backup(&self.store, path)
    }

    /// Read a spreadsheet and check every row against the database, writing
    /// nothing: what `import_apply` would do. The file is read within
    /// [`Limits::SERVICE`] whatever `opts` asks: this process serves every
    /// session, and a hostile or damaged file must cost it little.
    pub fn import_plan(&self, kind: Kind, path: &Path, opts: &Options) -> std::result::Result<Plan, ImportError> {
        let opts = Options {
            limits: opts.limits.min(Limits::SERVICE),
            ..opts.clone()
        };
        let _gate = self.gate();
        let plan = import::plan(&self.store, kind, path, &opts);
        release_free_memory();
        plan
    }

    /// Write a plan in batches (see `io::import::apply`), then bring the
    /// picture up to date with what was written: the imported kind and the
    /// lists that show it (a class shows its institution, a case its
    /// trainee and class). Batches written before a failure are in the
    /// picture too.
    pub fn import_apply(
        &self,
        plan: Plan,
        opts: &ApplyOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> std::result::Result<Report, ImportError> {
        let _gate = self.gate();
        let kind = plan.kind;
        let before = self.store.generation().ok();
        let was = self.synced.swap(UNSYNCED, Ordering::AcqRel);
        let out = import::apply(&self.store, plan, opts, progress);
        let reloaded = if before.is_some_and(|b| b == was) {
            self.reload_kind(kind)
        } else {
            self.reload_all()
        };
        match reloaded {
            Ok(()) => {
                if let Ok(g) = self.store.generation() {
                    self.synced.store(g, Ordering::Release);
                }
            }
            Err(e) if out.is_ok() => return Err(ImportError::Store(Box::new(e))),
            Err(e) => tracing::warn!("reloading after a failed import: {e}"),
        }
        self.bump();
        out
    }

    /// Read one kind's records again and rebuild the search lists that
    /// show them. Call with the gate held.
    fn reload_kind(&self, kind: Kind) -> Result<()> {
        let store = &self.store;
        // Read outside the lock; swap the records and rebuild the lists
        // under one write lock, so no reader sees one without the other.
        let mut w;
        let lists: &[Kind] = match kind {
            Kind::Institutions => {
                let fresh = store.all::<Institution>()?.into_iter().map(|r| (r.id, r)).collect();
                w = self.write();
                w.data.institutions = fresh;
                &[Kind::Institutions, Kind::Classes]
            }
            Kind::Enterprises => {
                let fresh = store.all::<Enterprise>()?.into_iter().map(|r| (r.id, r)).collect();
                w = self.write();
                w.data.enterprises = fresh;
                &[Kind::Enterprises, Kind::Demands]
            }
            Kind::Demands => {
                let fresh = store.all::<JobDemand>()?.into_iter().map(|r| (r.id, r)).collect();
                w = self.write();
                w.data.demands = fresh;
                &[Kind::Demands]
            }
            Kind::Classes => {
                let fresh: BTreeMap<ClassId, TrainingClass> =
                    store.all::<TrainingClass>()?.into_iter().map(|r| (r.id, r)).collect();
                w = self.write();
                for id in fresh.keys() {
                    w.data.seats_used.entry(*id).or_insert(0);
                }
                w.data.classes = fresh;
                &[Kind::Classes, Kind::Cases]
            }
            Kind::Trainees => {
                let fresh = store.all::<Trainee>()?.into_iter().map(|r| (r.id, r)).collect();
                w = self.write();
                w.data.trainees = fresh;
                &[Kind::Trainees, Kind::Cases]
            }
            // Cases are never imported: nothing else can have changed.
            Kind::Cases => return self.reload_all(),
        };
        build_indexes(&mut w, lists);
        Ok(())
    }

    /// Read every record again and rebuild every list. Call with the gate held.
    pub(super) fn reload_all(&self) -> Result<()> {
        let data = Data::load(&self.store)?;
        {
            let mut w = self.write();
            w.data = data;
            build_indexes(&mut w, &Kind::ALL);
        }
        release_free_memory();
        Ok(())
    }
}
