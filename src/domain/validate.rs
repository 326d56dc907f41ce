//! Field rules for records, shared by forms, import and the store.

use super::entities::*;
use super::kind::RecordRef;
use chrono::NaiveDate;
use thiserror::Error;

/// One field that breaks a rule: which record, which field, the value and
/// what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} {record}: field '{field}' = '{value}': {reason}", record_word(.record))]
pub struct ValidationError {
    pub record: RecordRef,
    pub field: &'static str,
    pub value: String,
    pub reason: Breach,
}

/// Which rule a field breaks, with what would be accepted (each language
/// words it; this is the English).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Breach {
    #[error("must not be empty")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    Control,
    #[error("credit stars are 1 to 5")]
    Stars,
    #[error("must be at least {min}")]
    AtLeast { min: u32 },
    #[error("must be at most {max}")]
    AtMost { max: u32 },
    #[error("must not exceed the maximum wage {max}")]
    AboveMaxWage { max: u32 },
    #[error("must be after the start date {start}")]
    NotAfterStart { start: NaiveDate },
    #[error("a project-based class links at least one demand")]
    ProjectNeedsDemand,
    #[error("only project-based classes link demands")]
    OnlyProjectLinks,
    /// A catalog reference (region, occupation, program) out of range.
    #[error("no such {what}: expected 0 to {max}")]
    NoSuch { what: &'static str, max: usize },
    #[error("{taken} posts are already referred or hired; headcount must be at least that")]
    BelowTaken { taken: u32 },
}

/// One record in an English message: `class`, `trainee`…
pub fn record_word(r: &RecordRef) -> &'static str {
    match r {
        RecordRef::Demand(_) => "demand",
        RecordRef::Class(_) => "class",
        RecordRef::Trainee(_) => "trainee",
        RecordRef::Case(_) => "case",
        RecordRef::Institution(_) => "institution",
        RecordRef::Enterprise(_) => "enterprise",
    }
}

fn err(record: RecordRef, field: &'static str, value: impl ToString, reason: Breach) -> ValidationError {
    ValidationError {
        record,
        field,
        value: value.to_string(),
        reason,
    }
}

fn name_rule(record: RecordRef, field: &'static str, name: &str, max: usize) -> Result<(), ValidationError> {
    let n = name.trim();
    if n.is_empty() {
        return Err(err(record, field, name, Breach::Empty));
    }
    if n.chars().count() > max {
        return Err(err(record, field, name, Breach::TooLong { max }));
    }
    if n.chars().any(char::is_control) {
        return Err(err(record, field, name.escape_debug(), Breach::Control));
    }
    Ok(())
}

impl Institution {
    pub fn validate(&self) -> Result<(), ValidationError> {
        let r = RecordRef::Institution(self.id);
        name_rule(r, "name", &self.name, 60)?;
        if !(1..=5).contains(&self.stars) {
            return Err(err(r, "stars", self.stars, Breach::Stars));
        }
        Ok(())
    }
}

impl Enterprise {
    pub fn validate(&self) -> Result<(), ValidationError> {
        let r = RecordRef::Enterprise(self.id);
        name_rule(r, "name", &self.name, 60)
    }
}

impl JobDemand {
    pub fn validate(&self) -> Result<(), ValidationError> {
        let r = RecordRef::Demand(self.id);
        if self.headcount < 1 {
            return Err(err(r, "headcount", self.headcount, Breach::AtLeast { min: 1 }));
        }
        if self.headcount > 10_000 {
            return Err(err(r, "headcount", self.headcount, Breach::AtMost { max: 10_000 }));
        }
        if self.wage_min > self.wage_max {
            return Err(err(
                r,
                "wage_min",
                self.wage_min,
                Breach::AboveMaxWage { max: self.wage_max },
            ));
        }
        Ok(())
    }
}

impl TrainingClass {
    pub fn validate(&self) -> Result<(), ValidationError> {
        let r = RecordRef::Class(self.id);
        name_rule(r, "name", &self.name, 80)?;
        if self.capacity < 1 {
            return Err(err(r, "capacity", self.capacity, Breach::AtLeast { min: 1 }));
        }
        if self.end <= self.start {
            return Err(err(r, "end", self.end, Breach::NotAfterStart { start: self.start }));
        }
        if self.kind == ClassKind::ProjectBased && self.linked_demands.is_empty() {
            return Err(err(r, "linked_demands", "", Breach::ProjectNeedsDemand));
        }
        if self.kind != ClassKind::ProjectBased && !self.linked_demands.is_empty() {
            return Err(err(
                r,
                "linked_demands",
                self.linked_demands.len(),
                Breach::OnlyProjectLinks,
            ));
        }
        Ok(())
    }
}

impl Trainee {
    pub fn validate(&self) -> Result<(), ValidationError> {
        let r = RecordRef::Trainee(self.id);
        name_rule(r, "name", &self.name, 40)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    fn class() -> TrainingClass {
        TrainingClass {
            id: ClassId(1),
            name: "焊工班".into(),
            institution: InstitutionId(1),
            occupation: OccupationId(3),
            region: RegionId(0),
            kind: ClassKind::Subsidized,
            program: ProgramId(0),
            quarter: Quarter { year: 2025, q: 3 },
            start: d(8, 1),
            end: d(9, 1),
            capacity: 30,
            target_level: SkillLevel::L4,
            linked_demands: vec![],
            status: ClassStatus::Open,
        }
    }

    #[test]
    fn class_rules() {
        assert!(class().validate().is_ok());
        let mut c = class();
        c.end = c.start;
        assert_eq!(c.validate().unwrap_err().field, "end");
        let mut c = class();
        c.capacity = 0;
        assert_eq!(c.validate().unwrap_err().field, "capacity");
        let mut c = class();
        c.kind = ClassKind::ProjectBased;
        let e = c.validate().unwrap_err();
        assert_eq!(e.field, "linked_demands");
        assert!(e.to_string().contains("at least one demand"), "{e}");
        c.linked_demands.push(DemandId(3));
        assert!(c.validate().is_ok());
        let mut c = class();
        c.name = " ".into();
        assert_eq!(c.validate().unwrap_err().field, "name");
    }

    #[test]
    fn demand_rules() {
        let mut dm = JobDemand {
            id: DemandId(1),
            external_id: None,
            enterprise: EnterpriseId(1),
            occupation: OccupationId(3),
            region: RegionId(0),
            kind: PostKind::Skilled,
            headcount: 1,
            wage_min: 5000,
            wage_max: 8000,
            min_level: None,
            posted: d(8, 1),
            status: DemandStatus::Open,
        };
        assert!(dm.validate().is_ok());
        dm.headcount = 0;
        assert_eq!(dm.validate().unwrap_err().field, "headcount");
        dm.headcount = 2;
        dm.wage_min = 9000;
        let e = dm.validate().unwrap_err();
        assert_eq!(e.field, "wage_min");
        assert!(e.to_string().contains("8000"));
    }

    #[test]
    fn institution_and_names() {
        let mut i = Institution {
            id: InstitutionId(1),
            name: "镇江技工学校".into(),
            region: RegionId(0),
            stars: 5,
        };
        assert!(i.validate().is_ok());
        i.stars = 6;
        assert!(i.validate().unwrap_err().to_string().contains("1 to 5"));
        i.stars = 0;
        assert!(i.validate().is_err());
        i.stars = 3;
        i.name = "a\u{7}b".into();
        assert!(i.validate().unwrap_err().to_string().contains("control"));
        let e = Enterprise {
            id: EnterpriseId(1),
            name: "".into(),
            region: RegionId(0),
            industry: String::new(),
            alliance: None,
        };
        assert!(e.validate().is_err());
    }
}
