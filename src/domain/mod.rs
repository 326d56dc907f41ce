//! The domain: types and rules, with no storage and no terminal.

pub mod access;
pub mod aftercare;
pub mod case;
pub mod catalog;
pub mod date_serde;
pub mod entities;
pub mod idno;
pub mod kind;
pub mod notes;
pub mod pack;
pub mod rules;
pub mod subsidy;
pub mod validate;
pub mod wish;

pub use case::{CaseState, Evaluation, Move, MoveKind, StateKind, TransitionError, legal_moves, next_state};
pub use catalog::{
    ALLIANCES, AllianceId, DEFAULT_KEY_GROUPS, OCCUPATIONS, OccupationId, PROGRAMS, PostKind, ProgramId, REGIONS,
    RegionId, SkillLevel,
};
pub use entities::*;
pub use idno::{IdNumber, IdNumberError, Mobile, MobileError, Sex, mask_numbers};
pub use kind::{Kind, RecordRef, UnknownKind};
pub use validate::{Breach, ValidationError};

/// China Standard Time (UTC+8, no daylight saving): the time every screen
/// shows, whatever the server's own zone.
pub fn china_time() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"))
}
