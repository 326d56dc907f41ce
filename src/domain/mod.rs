//! The domain: types and rules, with no storage and no terminal.

pub mod case;
pub mod catalog;
pub mod entities;
pub mod idno;
pub mod validate;

pub use case::{CaseState, Evaluation, Move, MoveKind, StateKind, TransitionError, legal_moves, next_state};
pub use catalog::{
    ALLIANCES, AllianceId, DEFAULT_KEY_GROUPS, OCCUPATIONS, OccupationId, PROGRAMS, PostKind, ProgramId, REGIONS,
    RegionId, SkillLevel,
};
pub use entities::*;
pub use idno::{IdNumber, IdNumberError, Mobile, MobileError, Sex};
pub use validate::ValidationError;
