use crate::domain::rules::RuleError;
use crate::domain::{CaseId, ClassId, DemandId, SkillLevel, TraineeId, TransitionError, ValidationError};
use std::path::PathBuf;
use thiserror::Error;

/// Everything the store can refuse or fail at. Callers match on the
/// variants; the messages are meant for the operator.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "the database at {path} is already open in another process (only one process may hold it). \
         Close the other skillbridge, or connect to the server that holds it{hint}"
    )]
    Locked { path: PathBuf, hint: String },
    #[error(
        "the database at {path} was written by a newer skillbridge (schema version {found}; this program reads up to {supported}). \
         Upgrade skillbridge; the database was not changed"
    )]
    NewerSchema { path: PathBuf, found: u32, supported: u32 },
    #[error(
        "the database at {path} has schema version {found}, older than any this program can upgrade (it upgrades \
         from version {oldest} on); the database was not changed. Open it with the skillbridge release that wrote \
         it and export its data"
    )]
    OldSchema { path: PathBuf, found: u32, oldest: u32 },
    #[error(
        "upgrading the database at {path} failed at the step from schema version {from} ('{step}'): {detail}. \
         A copy taken before the upgrade is at {backup}; fix the cause and open the database again to resume \
         (finished steps are kept), or put the copy back"
    )]
    Migration {
        path: PathBuf,
        from: u32,
        step: &'static str,
        backup: PathBuf,
        detail: String,
    },
    #[error("cannot open the database at {path}: {source}. Check that the directory exists and is writable")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the database at {path} could not be read or written: {detail}. This change was not saved; every change \
         acknowledged before it is safe. Check the disk and the permissions, then restart skillbridge"
    )]
    Write { path: PathBuf, detail: String },
    #[error(
        "disk full at {path} while {doing}: this change was not saved; every change acknowledged before it is safe. \
         Free space on the disk that holds {path}, then restart skillbridge"
    )]
    DiskFull { path: PathBuf, doing: &'static str },
    #[error(
        "the database at {path} is on a read-only file system ({doing}): skillbridge writes there even to read \
         (it keeps a lock and a log), and nothing was changed. Remount it read-write, or copy the directory to a \
         writable place and pass --db with the copy"
    )]
    ReadOnly { path: PathBuf, doing: &'static str },
    #[error(
        "no permission to use the database at {path} ({doing}: {detail}); nothing was changed. Give this user read and \
         write access to the directory and every file in it; if `lsattr` shows the immutable flag 'i', remove it with \
         `chattr -i`"
    )]
    PermissionDenied {
        path: PathBuf,
        doing: &'static str,
        detail: String,
    },
    #[error(
        "cannot create the database directory {path}: {detail}. Pass --db with a directory path whose parents exist \
         and are directories"
    )]
    BadPath { path: PathBuf, detail: String },
    #[error(
        "the database directory {path} disappeared while skillbridge was using it, so this change could not be \
         saved there. Put the directory back (or restore a backup) and restart skillbridge"
    )]
    Vanished { path: PathBuf },
    #[error(
        "the directory {path} does not hold a readable skillbridge database ({detail}); nothing was changed. \
         If it should, restore it from a backup (`skillbridge restore FILE`, or a copy named like \
         {path}.bak-YYYYmmddHHMMSS), or run `skillbridge salvage FILE --db {path}` to save every record that \
         still reads; to start afresh, pass --db with an empty directory"
    )]
    Unreadable { path: PathBuf, detail: String },
    #[error(
        "the database at {path} is damaged: {detail}. Run `skillbridge check --db {path}` to list the damage; \
         `skillbridge check --repair` rebuilds indexes and counters (after backing the directory up), while a \
         damaged record itself can only come back from a backup: restore the last one, or run \
         `skillbridge salvage FILE --db {path}` to save every record that still reads"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "cannot back up the database at {path} to {backup}: {detail}; nothing was changed. A backup needs as much \
         free space beside the database as the database takes"
    )]
    Backup {
        path: PathBuf,
        backup: PathBuf,
        detail: String,
    },
    #[error(
        "repair left the database at {path} as it was: {count} records do not decode ({list}), and their index \
         entries and counters cannot be rebuilt without them. Restore the last good backup (a copy named like \
         {path}.bak-YYYYmmddHHMMSS)"
    )]
    Unrepairable { path: PathBuf, count: usize, list: String },
    #[error("{kind} {id} does not exist")]
    NotFound { kind: &'static str, id: String },
    #[error("a trainee with ID number {id_number} already exists ({existing}); open that record instead")]
    DuplicateIdNumber { id_number: String, existing: TraineeId },
    #[error("{kind} named '{name}' already exists ({existing})")]
    DuplicateName {
        kind: &'static str,
        name: String,
        existing: String,
    },
    #[error("class {class} is full: {used} of {capacity} seats taken")]
    ClassFull { class: ClassId, used: u32, capacity: u32 },
    #[error("class {class} is {} and takes no enrollments", .status.name())]
    ClassClosed {
        class: ClassId,
        status: crate::domain::ClassStatus,
    },
    #[error("trainee {trainee} is already enrolled in class {class} (case {case})")]
    AlreadyEnrolled {
        trainee: TraineeId,
        class: ClassId,
        case: CaseId,
    },
    #[error("demand {demand} has no open post: {why}")]
    DemandUnavailable { demand: DemandId, why: Unavailable },
    #[error("demand {demand} asks for {} or higher; the trainee is certified at {}", .required.en(), .has.en())]
    LevelTooLow {
        demand: DemandId,
        required: SkillLevel,
        has: SkillLevel,
    },
    #[error("capacity {capacity} is below the {used} seats already taken in class {class}")]
    CapacityBelowEnrolled { class: ClassId, capacity: u32, used: u32 },
    #[error("case {case}: {source}")]
    Transition {
        case: CaseId,
        #[source]
        source: TransitionError,
    },
    /// A follow-up, a note or a correction the case's chain refuses.
    #[error("case {case}: {source}")]
    Aftercare {
        case: CaseId,
        #[source]
        source: crate::domain::aftercare::AftercareError,
    },
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A rule of the program (class dates, ages, results and scores).
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// The one asking may not do this (their role or districts).
    #[error(transparent)]
    Denied(#[from] crate::domain::access::Denied),
    /// A training wish or callback outcome refused (#25).
    #[error(transparent)]
    Wish(#[from] crate::domain::wish::WishError),
    /// A subsidy claim step or standard table refused (#21).
    #[error(transparent)]
    Subsidy(#[from] crate::domain::subsidy::SubsidyError),
}

/// Why a demand takes no referral.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Unavailable {
    #[error("it is {}", .0.name())]
    Status(crate::domain::DemandStatus),
    #[error("all {headcount} posts are taken ({referred} referred, {hired} hired)")]
    Taken { headcount: u32, referred: u32, hired: u32 },
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// A refusal by the rules (a full class, an illegal move, a duplicate…):
    /// nothing was written and the database is fine. Anything else is a
    /// fault of the disk or the database itself.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            StoreError::NotFound { .. }
                | StoreError::DuplicateIdNumber { .. }
                | StoreError::DuplicateName { .. }
                | StoreError::ClassFull { .. }
                | StoreError::ClassClosed { .. }
                | StoreError::AlreadyEnrolled { .. }
                | StoreError::DemandUnavailable { .. }
                | StoreError::LevelTooLow { .. }
                | StoreError::CapacityBelowEnrolled { .. }
                | StoreError::Transition { .. }
                | StoreError::Aftercare { .. }
                | StoreError::Invalid(_)
                | StoreError::Rule(_)
                | StoreError::Denied(_)
                | StoreError::Wish(_)
                | StoreError::Subsidy(_)
        )
    }
}
