//! Which kind of record, and a typed reference to one record: the one
//! vocabulary the store, search, service, import/export, app and screens
//! share (each used to have its own enum, converted by hand).

use super::entities::{CaseId, ClassId, DemandId, EnterpriseId, InstitutionId, TraineeId};
use std::fmt;
use std::str::FromStr;

/// A kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Demands,
    Classes,
    Trainees,
    Cases,
    Institutions,
    Enterprises,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Demands,
        Kind::Classes,
        Kind::Trainees,
        Kind::Cases,
        Kind::Institutions,
        Kind::Enterprises,
    ];

    /// The kinds spreadsheets carry, in the order an import into an empty
    /// database needs them (a class names its institution and linked
    /// demands, a demand its enterprise).
    pub const IMPORTABLE: [Kind; 5] = [
        Kind::Institutions,
        Kind::Enterprises,
        Kind::Demands,
        Kind::Classes,
        Kind::Trainees,
    ];

    /// The workspace's tabs, in order.
    pub const TABS: [Kind; 6] = [
        Kind::Demands,
        Kind::Classes,
        Kind::Trainees,
        Kind::Cases,
        Kind::Institutions,
        Kind::Enterprises,
    ];

    /// The plural English name commands and files use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Demands => "demands",
            Kind::Classes => "classes",
            Kind::Trainees => "trainees",
            Kind::Cases => "cases",
            Kind::Institutions => "institutions",
            Kind::Enterprises => "enterprises",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Kind::Demands => "岗位需求",
            Kind::Classes => "培训班",
            Kind::Trainees => "学员",
            Kind::Cases => "服务记录",
            Kind::Institutions => "培训机构",
            Kind::Enterprises => "企业",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == s)
    }

    /// True for the kinds spreadsheets import and export.
    pub fn importable(self) -> bool {
        Kind::IMPORTABLE.contains(&self)
    }

    /// Position among the workspace's tabs (0 for a kind with no tab).
    pub fn tab_index(self) -> usize {
        Kind::TABS.iter().position(|k| *k == self).unwrap_or(0)
    }

    /// A kind named in English (plural or singular) or in Chinese, among
    /// the importable kinds.
    pub fn parse_importable(s: &str) -> Result<Kind, UnknownKind> {
        Kind::parse_among(s, &Kind::IMPORTABLE)
    }

    /// Any kind, cases too (what goes out as a list).
    pub fn parse_any(s: &str) -> Result<Kind, UnknownKind> {
        Kind::parse_among(s, &Kind::ALL)
    }

    fn parse_among(s: &str, kinds: &[Kind]) -> Result<Kind, UnknownKind> {
        let t = s.trim().to_ascii_lowercase();
        for &k in kinds {
            let singular = match k {
                Kind::Classes => "class",
                other => other.name().trim_end_matches('s'),
            };
            if t == k.name() || t == singular || s.trim() == k.zh() {
                return Ok(k);
            }
        }
        Err(UnknownKind(s.to_string()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown kind name; says which are accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind '{0}': expected one of institutions, enterprises, demands, classes, trainees")]
pub struct UnknownKind(pub String);

/// Parses the importable kinds (what a command line names).
impl FromStr for Kind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::parse_importable(s)
    }
}

/// One record, by kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordRef {
    Demand(DemandId),
    Class(ClassId),
    Trainee(TraineeId),
    Case(CaseId),
    Institution(InstitutionId),
    Enterprise(EnterpriseId),
}

impl RecordRef {
    /// The record of `kind` with the store's key `id` (search results and
    /// lists carry raw keys of one kind).
    pub fn new(kind: Kind, id: u64) -> RecordRef {
        match kind {
            Kind::Demands => RecordRef::Demand(DemandId(id)),
            Kind::Classes => RecordRef::Class(ClassId(id)),
            Kind::Trainees => RecordRef::Trainee(TraineeId(id)),
            Kind::Cases => RecordRef::Case(CaseId(id)),
            Kind::Institutions => RecordRef::Institution(InstitutionId(id)),
            Kind::Enterprises => RecordRef::Enterprise(EnterpriseId(id)),
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            RecordRef::Demand(_) => Kind::Demands,
            RecordRef::Class(_) => Kind::Classes,
            RecordRef::Trainee(_) => Kind::Trainees,
            RecordRef::Case(_) => Kind::Cases,
            RecordRef::Institution(_) => Kind::Institutions,
            RecordRef::Enterprise(_) => Kind::Enterprises,
        }
    }

    /// A record's code as the screens show it (`D12`, `t6693`, `K20001`).
    pub fn parse(code: &str) -> Option<RecordRef> {
        let code = code.trim();
        let mut chars = code.chars();
        let kind = match chars.next()?.to_ascii_uppercase() {
            'D' => Kind::Demands,
            'C' => Kind::Classes,
            'T' => Kind::Trainees,
            'K' => Kind::Cases,
            'I' => Kind::Institutions,
            'E' => Kind::Enterprises,
            _ => return None,
        };
        let digits = chars.as_str();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().map(|id| RecordRef::new(kind, id))
    }

    /// The store's key.
    pub fn raw(self) -> u64 {
        match self {
            RecordRef::Demand(x) => x.0,
            RecordRef::Class(x) => x.0,
            RecordRef::Trainee(x) => x.0,
            RecordRef::Case(x) => x.0,
            RecordRef::Institution(x) => x.0,
            RecordRef::Enterprise(x) => x.0,
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordRef::Demand(x) => x.fmt(f),
            RecordRef::Class(x) => x.fmt(f),
            RecordRef::Trainee(x) => x.fmt(f),
            RecordRef::Case(x) => x.fmt(f),
            RecordRef::Institution(x) => x.fmt(f),
            RecordRef::Enterprise(x) => x.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_in_both_languages() {
        assert_eq!("trainees".parse::<Kind>(), Ok(Kind::Trainees));
        assert_eq!("class".parse::<Kind>(), Ok(Kind::Classes));
        assert_eq!("学员".parse::<Kind>(), Ok(Kind::Trainees));
        let e = "people".parse::<Kind>().unwrap_err();
        assert!(e.to_string().contains("expected one of"), "{e}");
        assert!("cases".parse::<Kind>().is_err(), "cases are not imported");
    }

    #[test]
    fn a_reference_keeps_its_kind_and_key() {
        for k in Kind::ALL {
            let r = RecordRef::new(k, 42);
            assert_eq!((r.kind(), r.raw()), (k, 42));
            assert_eq!(Kind::from_name(k.name()), Some(k));
        }
        assert_eq!(RecordRef::new(Kind::Cases, 20001).to_string(), "K20001");
        assert_eq!(RecordRef::parse(" t6693"), Some(RecordRef::Trainee(TraineeId(6693))));
        assert_eq!(RecordRef::parse("D12"), Some(RecordRef::Demand(DemandId(12))));
        assert_eq!(RecordRef::parse("D"), None);
        assert_eq!(RecordRef::parse("X12"), None);
        assert_eq!(RecordRef::parse("D1a"), None);
    }
}
