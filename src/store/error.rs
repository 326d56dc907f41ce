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
    #[error("cannot open the database at {path}: {source}. Check that the directory exists and is writable")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the database at {path} could not be written: {detail}. Nothing after the last saved change was lost; free disk space or fix permissions and try again"
    )]
    Write { path: PathBuf, detail: String },
    #[error("the database at {path} is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
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
    #[error("class {class} is {status} and takes no enrollments")]
    ClassClosed { class: ClassId, status: &'static str },
    #[error("trainee {trainee} is already enrolled in class {class} (case {case})")]
    AlreadyEnrolled {
        trainee: TraineeId,
        class: ClassId,
        case: CaseId,
    },
    #[error("demand {demand} has no open post: {detail}")]
    DemandUnavailable { demand: DemandId, detail: String },
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
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

pub type Result<T> = std::result::Result<T, StoreError>;
