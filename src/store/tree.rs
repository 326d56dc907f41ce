//! The trees of the database, and the index entries a record implies.

use crate::domain::Kind;

/// Every tree of the database. A kind's records live in `Records(kind)`,
/// named as the kind is (`trainees`, `cases`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TreeName {
    Meta,
    Records(Kind),
    Events,
    IdxTraineeIdNumber,
    IdxInstitutionName,
    IdxEnterpriseName,
    /// trainee ++ class → case, for cases that hold a seat (one per pair).
    IdxEnrollment,
    /// class → seats used (u32).
    ClassUsage,
    /// demand → (referred u32, hired u32).
    DemandUsage,
    /// case ++ event seq → the note that event carries (`store::notes`),
    /// written with its event; derived from the events.
    CaseNotes,
}

/// Trees schema 1 kept and schema 2 dropped: secondary indexes that were
/// written, checked and repaired on every save but read by nothing (the
/// service answers these questions from its in-memory picture).
pub const DROPPED_IN_SCHEMA_2: [&str; 6] = [
    "idx_demand_occupation",
    "idx_demand_region",
    "idx_class_occupation",
    "idx_class_region",
    "idx_case_class",
    "idx_case_trainee",
];

impl TreeName {
    /// Every tree, in the order of [`TreeName::slot`].
    pub const ALL: [TreeName; 15] = [
        TreeName::Meta,
        TreeName::Records(Kind::Demands),
        TreeName::Records(Kind::Classes),
        TreeName::Records(Kind::Trainees),
        TreeName::Records(Kind::Cases),
        TreeName::Records(Kind::Institutions),
        TreeName::Records(Kind::Enterprises),
        TreeName::Events,
        TreeName::IdxTraineeIdNumber,
        TreeName::IdxInstitutionName,
        TreeName::IdxEnterpriseName,
        TreeName::IdxEnrollment,
        TreeName::ClassUsage,
        TreeName::DemandUsage,
        TreeName::CaseNotes,
    ];

    /// The tree's position in `Store::trees` and in a transaction's view.
    pub(crate) fn slot(self) -> usize {
        match self {
            TreeName::Meta => 0,
            TreeName::Records(k) => 1 + Kind::ALL.iter().position(|x| *x == k).unwrap_or(0),
            TreeName::Events => 7,
            TreeName::IdxTraineeIdNumber => 8,
            TreeName::IdxInstitutionName => 9,
            TreeName::IdxEnterpriseName => 10,
            TreeName::IdxEnrollment => 11,
            TreeName::ClassUsage => 12,
            TreeName::DemandUsage => 13,
            TreeName::CaseNotes => 14,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TreeName::Meta => "meta",
            TreeName::Records(k) => k.name(),
            TreeName::Events => "events",
            TreeName::IdxTraineeIdNumber => "idx_trainee_id_number",
            TreeName::IdxInstitutionName => "idx_institution_name",
            TreeName::IdxEnterpriseName => "idx_enterprise_name",
            TreeName::IdxEnrollment => "idx_enrollment",
            TreeName::ClassUsage => "class_usage",
            TreeName::DemandUsage => "demand_usage",
            TreeName::CaseNotes => "case_notes",
        }
    }

    pub fn is_index(self) -> bool {
        self.name().starts_with("idx_")
    }
}

/// One secondary-index entry a record implies: its key maps to the record
/// id. (Every index left is unique; schema 1 also had non-unique ones.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndexEntry {
    pub tree: TreeName,
    pub key: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tree_has_its_own_slot_and_name() {
        for (i, t) in TreeName::ALL.iter().enumerate() {
            assert_eq!(t.slot(), i, "{t:?}");
        }
        let names: std::collections::BTreeSet<&str> = TreeName::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names.len(), TreeName::ALL.len());
        for k in Kind::ALL {
            assert_eq!(TreeName::Records(k).name(), k.name());
        }
        assert!(DROPPED_IN_SCHEMA_2.iter().all(|d| !names.contains(d)));
    }
}
