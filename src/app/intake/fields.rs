//! The fields of the record forms and the typed values a pick field holds.

use crate::domain::*;
use crate::i18n::Strings;

/// Every field any record form has; the discriminant indexes `Strings::i_fields`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    Name,
    IdNumber,
    Mobile,
    KeyGroup,
    Region,
    Wanted,
    EnrollClass,
    Enterprise,
    Trade,
    PostKind,
    Headcount,
    WageMin,
    WageMax,
    MinLevel,
    Posted,
    DemandStatus,
    ExternalId,
    ClassName,
    Institution,
    ClassKind,
    Program,
    Start,
    End,
    Capacity,
    TargetLevel,
    Linked,
    ClassStatus,
    Stars,
    Industry,
    Alliance,
}

impl F {
    pub fn label(self, t: &Strings) -> &'static str {
        t.i_fields[self as usize]
    }

    /// A field chosen from a list (possibly several values).
    pub fn is_pick(self) -> bool {
        !matches!(
            self,
            F::Name
                | F::IdNumber
                | F::Mobile
                | F::Headcount
                | F::WageMin
                | F::WageMax
                | F::Posted
                | F::ExternalId
                | F::ClassName
                | F::Start
                | F::End
                | F::Capacity
                | F::Industry
        )
    }

    pub fn is_multi(self) -> bool {
        matches!(self, F::Wanted | F::Linked)
    }

    pub(super) fn optional(self) -> bool {
        matches!(
            self,
            F::Mobile
                | F::KeyGroup
                | F::EnrollClass
                | F::MinLevel
                | F::ExternalId
                | F::Alliance
                | F::Industry
                | F::Linked
        )
    }
}

/// A value chosen for a pick field, typed by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Region(RegionId),
    Occupation(OccupationId),
    Program(ProgramId),
    /// One of the default key groups (by position), or none.
    KeyGroup(Option<usize>),
    /// The class to enroll a new trainee in, or none.
    Class(Option<ClassId>),
    Enterprise(EnterpriseId),
    Institution(InstitutionId),
    Demand(DemandId),
    PostKind(PostKind),
    /// A demand's minimum level; `None`: any level.
    MinLevel(Option<SkillLevel>),
    Level(SkillLevel),
    DemandStatus(DemandStatus),
    ClassKind(ClassKind),
    ClassStatus(ClassStatus),
    Stars(u8),
    Alliance(Option<AllianceId>),
}

impl Pick {
    /// The pick of a record found by a search picker.
    pub fn of_record(r: RecordRef) -> Option<Pick> {
        match r {
            RecordRef::Enterprise(e) => Some(Pick::Enterprise(e)),
            RecordRef::Institution(i) => Some(Pick::Institution(i)),
            RecordRef::Demand(d) => Some(Pick::Demand(d)),
            RecordRef::Class(c) => Some(Pick::Class(Some(c))),
            _ => None,
        }
    }
}

/// The fields of each record form, in order.
pub(super) fn fields_of(kind: Kind) -> &'static [F] {
    match kind {
        Kind::Trainees | Kind::Cases => &[
            F::Name,
            F::IdNumber,
            F::Mobile,
            F::Region,
            F::KeyGroup,
            F::Wanted,
            F::EnrollClass,
        ],
        Kind::Demands => &[
            F::Enterprise,
            F::Trade,
            F::Region,
            F::PostKind,
            F::Headcount,
            F::WageMin,
            F::WageMax,
            F::MinLevel,
            F::Posted,
            F::ExternalId,
            F::DemandStatus,
        ],
        Kind::Classes => &[
            F::Institution,
            F::Trade,
            F::Region,
            F::ClassKind,
            F::Program,
            F::Start,
            F::End,
            F::Capacity,
            F::TargetLevel,
            F::Linked,
            F::ClassName,
            F::ClassStatus,
        ],
        Kind::Institutions => &[F::Name, F::Region, F::Stars],
        Kind::Enterprises => &[F::Name, F::Region, F::Industry, F::Alliance],
    }
}

/// The class kinds and statuses a form offers, in order.
pub const CLASS_KINDS: [ClassKind; 3] = [ClassKind::Subsidized, ClassKind::Certification, ClassKind::ProjectBased];
pub const CLASS_STATUSES: [ClassStatus; 5] = [
    ClassStatus::Planned,
    ClassStatus::Open,
    ClassStatus::Running,
    ClassStatus::Finished,
    ClassStatus::Cancelled,
];
