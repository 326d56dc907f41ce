//! What the store keeps per kind of record: its tree, its envelope
//! version, its keys and index entries, and the rules checked before a
//! write (`Editable`).

use super::tx::{Tx, TxResult, abort};
use super::{IndexEntry, StoreError, TreeName};
use crate::domain::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A kind of record kept in its own tree.
pub trait Record: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    const KIND: Kind;
    /// The tree that holds the kind.
    const TREE: TreeName = TreeName::Records(Self::KIND);
    /// One record, for messages ("trainee T12 does not exist").
    const NAME: &'static str;
    /// Envelope version this program writes for the record.
    const VERSION: u16 = 1;
    fn key(&self) -> u64;
    fn set_key(&mut self, key: u64);
    fn index_entries(&self) -> Vec<IndexEntry>;
}

macro_rules! record {
    ($t:ty, $kind:ident, $name:literal, $id:ident, |$s:ident| $idx:expr) => {
        impl Record for $t {
            const KIND: Kind = Kind::$kind;
            const NAME: &'static str = $name;
            fn key(&self) -> u64 {
                self.id.0
            }
            fn set_key(&mut self, key: u64) {
                self.id = $id(key);
            }
            fn index_entries(&self) -> Vec<IndexEntry> {
                let $s = self;
                $idx
            }
        }
    };
}

fn entry(tree: TreeName, key: Vec<u8>) -> IndexEntry {
    IndexEntry { tree, key }
}

pub fn name_key(name: &str) -> Vec<u8> {
    name.trim().as_bytes().to_vec()
}

record!(Institution, Institutions, "institution", InstitutionId, |s| vec![
    entry(TreeName::IdxInstitutionName, name_key(&s.name))
]);
record!(Enterprise, Enterprises, "enterprise", EnterpriseId, |s| vec![entry(
    TreeName::IdxEnterpriseName,
    name_key(&s.name)
)]);
record!(JobDemand, Demands, "demand", DemandId, |_s| vec![]);
record!(TrainingClass, Classes, "class", ClassId, |_s| vec![]);
record!(Trainee, Trainees, "trainee", TraineeId, |s| vec![entry(
    TreeName::IdxTraineeIdNumber,
    s.id_number.as_str().as_bytes().to_vec()
)]);
record!(Case, Cases, "case", CaseId, |s| {
    if s.state.holds_seat() {
        vec![entry(TreeName::IdxEnrollment, enrollment_key(s.trainee, s.class))]
    } else {
        vec![]
    }
});

pub fn enrollment_key(trainee: TraineeId, class: ClassId) -> Vec<u8> {
    let mut k = trainee.0.to_be_bytes().to_vec();
    k.extend_from_slice(&class.0.to_be_bytes());
    k
}

pub fn event_key(case: CaseId, seq: u32) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..8].copy_from_slice(&case.0.to_be_bytes());
    k[8..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// Events are keyed by (case, seq) and never change. Version 2 added the
/// moves of follow-ups, notes, corrections and not-hired reasons at the
/// end of `Move`: a version 1 event reads as it is, and an older program
/// refuses a version 2 one instead of misreading it.
pub const EVENT_VERSION: u16 = 2;

/// How many posts of a demand are taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemandUsage {
    /// Cases currently referred to the demand.
    pub referred: u32,
    /// Cases hired into the demand.
    pub hired: u32,
}

impl DemandUsage {
    pub fn taken(self) -> u32 {
        self.referred + self.hired
    }
    pub(crate) fn to_bytes(self) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&self.referred.to_be_bytes());
        b[4..].copy_from_slice(&self.hired.to_be_bytes());
        b
    }
    pub(crate) fn from_bytes(b: &[u8]) -> Option<Self> {
        if b.len() != 8 {
            return None;
        }
        Some(DemandUsage {
            referred: u32::from_be_bytes(b[..4].try_into().ok()?),
            hired: u32::from_be_bytes(b[4..].try_into().ok()?),
        })
    }
}

pub(crate) fn u32_from(b: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

pub(crate) fn u64_from(b: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(b.try_into().ok()?))
}

/// "filled" follows the hires; an operator's "closed" stands.
pub(crate) fn demand_status(asked: DemandStatus, hired: u32, headcount: u32) -> DemandStatus {
    match asked {
        DemandStatus::Closed => DemandStatus::Closed,
        _ if hired >= headcount => DemandStatus::Filled,
        _ => DemandStatus::Open,
    }
}

/// Records an operator can create and edit directly (cases change only
/// through enrollment and transitions).
pub trait Editable: Record {
    fn validate(&self) -> std::result::Result<(), ValidationError>;
    /// Rules that need other records, checked inside the write transaction.
    fn check_refs(&mut self, _tx: &Tx<'_>) -> TxResult<()> {
        Ok(())
    }
}

fn region_ok(record: RecordRef, r: RegionId) -> std::result::Result<(), ValidationError> {
    if r.get().is_none() {
        return Err(ValidationError {
            record,
            field: "region",
            value: r.0.to_string(),
            reason: Breach::NoSuch {
                what: "region",
                max: REGIONS.len() - 1,
            },
        });
    }
    Ok(())
}

fn occupation_ok(record: RecordRef, o: OccupationId) -> std::result::Result<(), ValidationError> {
    if o.get().is_none() {
        return Err(ValidationError {
            record,
            field: "occupation",
            value: o.0.to_string(),
            reason: Breach::NoSuch {
                what: "occupation",
                max: OCCUPATIONS.len() - 1,
            },
        });
    }
    Ok(())
}

impl Editable for Institution {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        Institution::validate(self)?;
        region_ok(RecordRef::Institution(self.id), self.region)
    }
}

impl Editable for Enterprise {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        Enterprise::validate(self)?;
        region_ok(RecordRef::Enterprise(self.id), self.region)
    }
}

impl Editable for Trainee {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        Trainee::validate(self)?;
        region_ok(RecordRef::Trainee(self.id), self.region)?;
        for o in &self.wanted {
            occupation_ok(RecordRef::Trainee(self.id), *o)?;
        }
        Ok(())
    }
}

impl Editable for JobDemand {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        JobDemand::validate(self)?;
        region_ok(RecordRef::Demand(self.id), self.region)?;
        occupation_ok(RecordRef::Demand(self.id), self.occupation)
    }
    fn check_refs(&mut self, tx: &Tx<'_>) -> TxResult<()> {
        tx.need::<Enterprise>(self.enterprise.0, self.enterprise.to_string())?;
        let used = tx.demand_usage(self.id)?;
        if self.headcount < used.taken() {
            return abort(StoreError::Invalid(ValidationError {
                record: RecordRef::Demand(self.id),
                field: "headcount",
                value: self.headcount.to_string(),
                reason: Breach::BelowTaken { taken: used.taken() },
            }));
        }
        self.status = demand_status(self.status, used.hired, self.headcount);
        Ok(())
    }
}

impl Editable for TrainingClass {
    fn validate(&self) -> std::result::Result<(), ValidationError> {
        TrainingClass::validate(self)?;
        region_ok(RecordRef::Class(self.id), self.region)?;
        occupation_ok(RecordRef::Class(self.id), self.occupation)?;
        if self.program.get().is_none() {
            return Err(ValidationError {
                record: RecordRef::Class(self.id),
                field: "program",
                value: self.program.0.to_string(),
                reason: Breach::NoSuch {
                    what: "program",
                    max: PROGRAMS.len() - 1,
                },
            });
        }
        Ok(())
    }
    fn check_refs(&mut self, tx: &Tx<'_>) -> TxResult<()> {
        tx.need::<Institution>(self.institution.0, self.institution.to_string())?;
        for d in &self.linked_demands {
            tx.need::<JobDemand>(d.0, d.to_string())?;
        }
        let used = tx.seats_used(self.id)?;
        if self.capacity < used {
            return abort(StoreError::CapacityBelowEnrolled {
                class: self.id,
                capacity: self.capacity,
                used,
            });
        }
        Ok(())
    }
}
