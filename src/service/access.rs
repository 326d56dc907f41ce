//! Who may do what through the service, and the access records.
//!
//! Every command of the service takes the [`Actor`] it runs for and asks
//! [`Actor::may`] (the role) and, for a trainee or a case, whether the
//! actor serves the trainee's district. The record commands (`save`,
//! `enroll`, `transition`) check in `mod.rs`; the commands on whole files
//! (imports, exports, backups, the check) have their checked forms here
//! (`*_as`), and so do reveals and the access records.
//!
//! Personal data leaves the service whole only through [`Service::reveal`]
//! (one person, recorded), exports of trainees and backups (recorded):
//! screens show [`IdNumber::masked`] and [`Mobile::masked`] otherwise.

use super::{Cached, Data, Service};
use crate::domain::*;
use crate::io::backup::{BackupError, Summary};
use crate::io::export::{ExportError, Format};
use crate::io::import::{ApplyOptions, ImportError, Options, Plan, Report};
use crate::store::{Result, StoreError, check};
use std::io::Write;
use std::path::{Path, PathBuf};

pub use crate::domain::access::{
    Action, Actor, BadSetting, Denied, OPERATOR_REVEALS_PER_DAY, Role, parse_district, parse_settings,
};
pub use crate::store::{AccessEvent, AccessKind, AuditFilter};

/// One person's numbers, whole, for a reveal on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revealed {
    pub trainee: TraineeId,
    pub id_number: IdNumber,
    pub mobile: Option<Mobile>,
}

/// What a save of a record is, for the role check.
pub trait Guarded: Cached {
    /// The action of saving `self` over `old` (`None`: a new record).
    fn action(&self, old: Option<&Self>) -> Action;
    /// The district a scoped operator must serve to save it (personal
    /// data only: trainees).
    fn district(&self) -> Option<RegionId> {
        None
    }
    /// The record as the picture holds it now.
    fn current(data: &Data, id: u64) -> Option<&Self>;
}

/// A new trainee, demand or class is intake; changing one is a correction,
/// except a trainee's contact details (mobile, district, key group, wanted
/// trades), which the operator who serves them keeps up to date.
impl Guarded for Trainee {
    fn action(&self, old: Option<&Self>) -> Action {
        match old {
            None => Action::Intake,
            Some(o) if o.name == self.name && o.id_number == self.id_number && o.created == self.created => {
                Action::Intake
            }
            Some(_) => Action::Correct,
        }
    }
    fn district(&self) -> Option<RegionId> {
        Some(self.region)
    }
    fn current(data: &Data, id: u64) -> Option<&Self> {
        data.trainees.get(&TraineeId(id))
    }
}

impl Guarded for JobDemand {
    fn action(&self, old: Option<&Self>) -> Action {
        if old.is_some() { Action::Correct } else { Action::Intake }
    }
    fn current(data: &Data, id: u64) -> Option<&Self> {
        data.demands.get(&DemandId(id))
    }
}

impl Guarded for TrainingClass {
    fn action(&self, old: Option<&Self>) -> Action {
        if old.is_some() { Action::Correct } else { Action::Intake }
    }
    fn current(data: &Data, id: u64) -> Option<&Self> {
        data.classes.get(&ClassId(id))
    }
}

impl Guarded for Institution {
    fn action(&self, _old: Option<&Self>) -> Action {
        Action::ReferenceData
    }
    fn current(data: &Data, id: u64) -> Option<&Self> {
        data.institutions.get(&InstitutionId(id))
    }
}

impl Guarded for Enterprise {
    fn action(&self, _old: Option<&Self>) -> Action {
        Action::ReferenceData
    }
    fn current(data: &Data, id: u64) -> Option<&Self> {
        data.enterprises.get(&EnterpriseId(id))
    }
}

fn trainee_label(t: &Trainee) -> String {
    format!("trainee {} {}", t.id, t.name)
}

/// The Unix second now (access records use the real clock).
fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Service {
    /// May `by` do `action` at all (for a screen that greys out a key)?
    pub fn may(&self, by: &Actor, action: Action) -> std::result::Result<(), Denied> {
        by.may(action)
    }

    /// Check a save of `rec` by `by`: the role its action needs and, for a
    /// trainee, the district before and after.
    pub(super) fn guard_save<R: Guarded>(&self, by: &Actor, rec: &R) -> Result<()> {
        let r = self.read();
        let old = R::current(&r.data, rec.key());
        let action = rec.action(old);
        by.may(action)?;
        for region in [old.and_then(Guarded::district), rec.district()].into_iter().flatten() {
            let what = crate::domain::access::Subject {
                kind: R::KIND,
                key: crate::domain::RecordRef::new(R::KIND, rec.key()).to_string(),
                name: None,
            };
            by.may_in(action, region, what)?;
        }
        Ok(())
    }

    /// Check `action` on a trainee's record (or one of their cases).
    pub(super) fn guard_trainee(&self, by: &Actor, action: Action, trainee: TraineeId) -> Result<()> {
        by.may(action)?;
        if by.districts.is_none() {
            return Ok(());
        }
        let r = self.read();
        let t = r.data.trainees.get(&trainee).ok_or_else(|| StoreError::NotFound {
            kind: "trainee",
            id: trainee.to_string(),
        })?;
        let what = crate::domain::access::Subject {
            kind: crate::domain::Kind::Trainees,
            key: t.id.to_string(),
            name: Some(t.name.to_string()),
        };
        by.may_in(action, t.region, what)?;
        Ok(())
    }

    /// Check `action` on a case (its trainee's district).
    pub(super) fn guard_case(&self, by: &Actor, action: Action, case: CaseId) -> Result<()> {
        by.may(action)?;
        let trainee = self
            .read()
            .data
            .cases
            .get(&case)
            .map(|c| c.trainee)
            .ok_or_else(|| StoreError::NotFound {
                kind: "case",
                id: case.to_string(),
            })?;
        self.guard_trainee(by, action, trainee)
    }

    /// Open a trainee's record for `by`: refused outside their districts.
    /// The numbers in it are whole: show them masked unless revealed.
    pub fn trainee_for(&self, by: &Actor, id: TraineeId) -> Result<Trainee> {
        self.guard_trainee(by, Action::Read, id)?;
        self.read()
            .data
            .trainees
            .get(&id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound {
                kind: "trainee",
                id: id.to_string(),
            })
    }

    /// Open a case for `by`: refused outside their districts.
    pub fn case_for(&self, by: &Actor, id: CaseId) -> Result<Case> {
        self.guard_case(by, Action::Read, id)?;
        self.read()
            .data
            .cases
            .get(&id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound {
                kind: "case",
                id: id.to_string(),
            })
    }

    /// True when `by` may see this trainee (their district is served).
    pub fn serves(&self, by: &Actor, trainee: TraineeId) -> bool {
        self.guard_trainee(by, Action::Read, trainee).is_ok()
    }

    /// One person's whole ID number and mobile, recorded as a reveal by
    /// `by` before they are returned. An operator may reveal
    /// [`OPERATOR_REVEALS_PER_DAY`] people in 24 hours.
    pub fn reveal(&self, by: &Actor, trainee: TraineeId) -> Result<Revealed> {
        self.guard_trainee(by, Action::Reveal, trainee)?;
        if by.role == Role::Operator {
            let used = self.store.reveals_since(&by.name, now() - 24 * 3600)?;
            if used >= OPERATOR_REVEALS_PER_DAY {
                return Err(Denied::RevealLimit {
                    who: by.name.clone(),
                    role: by.role,
                    used,
                    limit: OPERATOR_REVEALS_PER_DAY,
                }
                .into());
            }
        }
        let t = self.trainee_for(by, trainee)?;
        self.record_access(by, AccessKind::Reveal, 1, &trainee_label(&t))?;
        Ok(Revealed {
            trainee,
            id_number: t.id_number,
            mobile: t.mobile,
        })
    }

    /// Record an access to personal data done by `by` (an export, an
    /// import, a reveal a screen did through another path). Durable
    /// before it returns; refused for a kiosk.
    pub fn record_access(&self, by: &Actor, what: AccessKind, people: u64, detail: &str) -> Result<()> {
        by.may(Action::Read)?;
        self.store.record_access(&AccessEvent {
            at: now(),
            operator: by.name.clone(),
            role: by.role.name().to_string(),
            what,
            people,
            detail: detail.to_string(),
        })
    }

    /// The access records the filter keeps, oldest first (supervisors and
    /// admins). There is no call that changes or removes one.
    pub fn access_records(&self, by: &Actor, filter: &AuditFilter) -> Result<Vec<AccessEvent>> {
        by.may(Action::ReadAudit)?;
        self.store.access_events(filter)
    }

    /// How many trainees the database holds (the people a backup or a
    /// trainees' export carries).
    fn people(&self) -> u64 {
        self.read().data.trainees.len() as u64
    }

    /// A backup of the whole database to `path` by `by` (admins), recorded.
    pub fn backup_as(&self, by: &Actor, path: &Path, how: &str) -> std::result::Result<Summary, BackupError> {
        by.may(Action::Backup).map_err(StoreError::from)?;
        let summary = self.backup(path)?;
        self.record_access(
            by,
            AccessKind::Backup,
            self.people(),
            &format!("{} {how}", path.display()),
        )?;
        Ok(summary)
    }

    /// The integrity check, for `by` (supervisors and admins).
    pub fn check_as(&self, by: &Actor) -> Result<check::Report> {
        by.may(Action::Check)?;
        Ok(self.check())
    }

    /// Store a setting, for `by` (supervisors and admins).
    pub fn set_meta_as(&self, by: &Actor, key: &str, value: &str) -> Result<()> {
        by.may(Action::ReferenceData)?;
        self.set_meta(key, value)
    }

    /// Export one kind to `out` for `by`: trainees (personal data) need an
    /// admin, the other kinds a supervisor. A trainees' export is recorded
    /// with how many people it held.
    pub fn export_as(
        &self,
        by: &Actor,
        kind: Kind,
        format: Format,
        out: &mut dyn Write,
        how: &str,
    ) -> std::result::Result<usize, ExportError> {
        let personal = matches!(kind, Kind::Trainees | Kind::Cases);
        by.may(if personal {
            Action::ExportPersonal
        } else {
            Action::Export
        })
        .map_err(StoreError::from)?;
        let n = crate::io::export::write(&self.store, kind, &crate::io::export::Options::new(format), out)?;
        if personal {
            self.record_access(by, AccessKind::Export, n as u64, &format!("{kind} {how}"))?;
        }
        Ok(n)
    }

    /// Write a list as it is shown (the records `ids` of `kind`, in that
    /// order) to a new file `name` in the exports directory, for `by`:
    /// the same role rules and access record as [`Service::export_as`].
    /// Returns the file and how many records it holds.
    pub fn export_list(
        &self,
        by: &Actor,
        kind: Kind,
        ids: &[u64],
        opts: &crate::io::export::Options,
        name: &str,
    ) -> std::result::Result<(PathBuf, usize), ExportError> {
        let personal = matches!(kind, Kind::Trainees | Kind::Cases);
        by.may(if personal {
            Action::ExportPersonal
        } else {
            Action::Export
        })
        .map_err(StoreError::from)?;
        let dir = self.export_dir();
        let io = |path: &Path, source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let path = dir.join(name);
        let mut bytes = Vec::new();
        let n = crate::io::export::write_ids(&self.store, kind, ids, opts, &mut bytes)?;
        crate::io::export::write_whole(&path, &bytes).map_err(|e| io(&path, e))?;
        if personal {
            self.record_access(
                by,
                AccessKind::Export,
                n as u64,
                &format!("{kind} to {}", path.display()),
            )?;
        }
        Ok((path, n))
    }

    /// Where the workspace writes the lists it exports: `exports/` beside
    /// the database.
    pub fn export_dir(&self) -> PathBuf {
        self.db_path()
            .parent()
            .map(|p| p.join("exports"))
            .unwrap_or_else(|| PathBuf::from("exports"))
    }

    /// Limit the files an import may read to those under `dir` (the
    /// server sets it: a session must not read any file the service
    /// account can).
    pub fn restrict_imports_to(&self, dir: PathBuf) {
        let _ = self.import_dir.set(dir);
    }

    /// The file an import names, where this process may read it (a served
    /// session: only under the import directory).
    pub fn importable_path(&self, path: &Path) -> std::result::Result<PathBuf, ImportError> {
        self.importable(path)
    }

    /// The directory imports are limited to, if any.
    pub fn import_dir(&self) -> Option<&Path> {
        self.import_dir.get().map(PathBuf::as_path)
    }

    /// `path` if an import may read it: anywhere for a local process, under
    /// the import directory (after following links) for a served one.
    fn importable(&self, path: &Path) -> std::result::Result<PathBuf, ImportError> {
        let Some(dir) = self.import_dir.get() else {
            return Ok(path.to_path_buf());
        };
        let outside = |detail: String| {
            ImportError::Store(Box::new(StoreError::NotFound {
                kind: "importable file",
                id: format!(
                    "{} ({detail}; the server imports only regular files under {})",
                    path.display(),
                    dir.display()
                ),
            }))
        };
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            dir.join(path)
        };
        let real = joined.canonicalize().map_err(|e| outside(e.to_string()))?;
        let root = dir
            .canonicalize()
            .map_err(|e| outside(format!("{}: {e}", dir.display())))?;
        if !real.starts_with(&root) {
            return Err(outside("outside the import directory".into()));
        }
        if !real.metadata().map(|m| m.is_file()).unwrap_or(false) {
            return Err(outside("not a regular file".into()));
        }
        Ok(real)
    }

    /// Check a spreadsheet for `by` (supervisors and admins): see
    /// [`Service::import_plan`]. A served process reads only files under
    /// its import directory.
    pub fn import_plan_as(
        &self,
        by: &Actor,
        kind: Kind,
        path: &Path,
        opts: &Options,
    ) -> std::result::Result<Plan, ImportError> {
        by.may(Action::Import)
            .map_err(|d| ImportError::Store(Box::new(d.into())))?;
        let path = self.importable(path)?;
        self.import_plan(kind, &path, opts)
    }

    /// Write a checked import for `by`; a trainees' import is recorded with
    /// how many people it added or changed.
    pub fn import_apply_as(
        &self,
        by: &Actor,
        plan: Plan,
        opts: &ApplyOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> std::result::Result<Report, ImportError> {
        by.may(Action::Import)
            .map_err(|d| ImportError::Store(Box::new(d.into())))?;
        let kind = plan.kind;
        let path = plan.path.clone();
        let report = self.import_apply(plan, opts, progress)?;
        if kind == Kind::Trainees && report.written {
            self.record_access(
                by,
                AccessKind::Import,
                (report.added + report.updated) as u64,
                &format!("trainees from {}", path.display()),
            )
            .map_err(|e| ImportError::Store(Box::new(e)))?;
        }
        Ok(report)
    }
}
