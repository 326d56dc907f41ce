//! The records skillbridge keeps.

use super::case::{CaseState, Evaluation, Move};
use super::catalog::{AllianceId, OccupationId, PostKind, ProgramId, RegionId, SkillLevel};
use super::idno::{IdNumber, Mobile};
use chrono::NaiveDate;
pub use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::fmt;

macro_rules! id_type {
    ($($name:ident => $prefix:literal),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
        pub struct $name(pub u64);
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    )*};
}

id_type! {
    InstitutionId => "I",
    EnterpriseId => "E",
    DemandId => "D",
    ClassId => "C",
    TraineeId => "T",
    CaseId => "K",
}

/// A training institution with its credit star rating (信用星级).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub id: InstitutionId,
    pub name: String,
    pub region: RegionId,
    /// 1 to 5.
    pub stars: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    pub id: EnterpriseId,
    pub name: String,
    pub region: RegionId,
    pub industry: String,
    pub alliance: Option<AllianceId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DemandStatus {
    Open,
    /// Every post is taken (set when the last hire lands).
    Filled,
    Closed,
}

impl DemandStatus {
    pub fn name(self) -> &'static str {
        match self {
            DemandStatus::Open => "open",
            DemandStatus::Filled => "filled",
            DemandStatus::Closed => "closed",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            DemandStatus::Open => "招聘中",
            DemandStatus::Filled => "已满",
            DemandStatus::Closed => "已关闭",
        }
    }
}

/// A job demand collected from an employer: `headcount` posts of one trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDemand {
    pub id: DemandId,
    /// An id from the source list, when imported.
    pub external_id: Option<String>,
    pub enterprise: EnterpriseId,
    pub occupation: OccupationId,
    pub region: RegionId,
    pub kind: PostKind,
    pub headcount: u32,
    /// Monthly wage range in yuan.
    pub wage_min: u32,
    pub wage_max: u32,
    pub min_level: Option<SkillLevel>,
    #[serde(deserialize_with = "super::date_serde::de")]
    pub posted: NaiveDate,
    pub status: DemandStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClassKind {
    /// 政府补贴类培训
    Subsidized,
    /// 技能等级认定
    Certification,
    /// 项目化培训
    ProjectBased,
}

impl ClassKind {
    pub fn name(self) -> &'static str {
        match self {
            ClassKind::Subsidized => "subsidized",
            ClassKind::Certification => "certification",
            ClassKind::ProjectBased => "project-based",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            ClassKind::Subsidized => "政府补贴类培训",
            ClassKind::Certification => "技能等级认定",
            ClassKind::ProjectBased => "项目化培训",
        }
    }
    pub fn is_regular(self) -> bool {
        !matches!(self, ClassKind::ProjectBased)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClassStatus {
    Planned,
    Open,
    Running,
    Finished,
    Cancelled,
}

impl ClassStatus {
    pub fn name(self) -> &'static str {
        match self {
            ClassStatus::Planned => "planned",
            ClassStatus::Open => "open",
            ClassStatus::Running => "running",
            ClassStatus::Finished => "finished",
            ClassStatus::Cancelled => "cancelled",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            ClassStatus::Planned => "计划中",
            ClassStatus::Open => "报名中",
            ClassStatus::Running => "开班中",
            ClassStatus::Finished => "已结业",
            ClassStatus::Cancelled => "已取消",
        }
    }
    /// A class that still takes enrollments.
    pub fn accepts_enrollment(self) -> bool {
        matches!(self, ClassStatus::Planned | ClassStatus::Open | ClassStatus::Running)
    }
}

/// A quarter of a year, e.g. 2025 Q3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quarter {
    pub year: u16,
    pub q: u8,
}

impl Quarter {
    pub fn of(date: NaiveDate) -> Quarter {
        use chrono::Datelike;
        Quarter {
            year: date.year() as u16,
            q: (date.month0() / 3 + 1) as u8,
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

/// A class on the training menu (培训菜单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingClass {
    pub id: ClassId,
    pub name: String,
    pub institution: InstitutionId,
    pub occupation: OccupationId,
    pub region: RegionId,
    pub kind: ClassKind,
    pub program: ProgramId,
    pub quarter: Quarter,
    #[serde(deserialize_with = "super::date_serde::de")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "super::date_serde::de")]
    pub end: NaiveDate,
    pub capacity: u32,
    pub target_level: SkillLevel,
    /// Demands a project-based class is built on.
    pub linked_demands: Vec<DemandId>,
    pub status: ClassStatus,
}

impl TrainingClass {
    /// The name a class gets when none is typed, as the program's menu names
    /// them: trade, kind of class, district and month
    /// (焊工补贴培训班（丹徒·9月）).
    pub fn default_name(occupation: OccupationId, kind: ClassKind, district_short: &str, start: NaiveDate) -> String {
        let what = match kind {
            ClassKind::Subsidized => "补贴培训班",
            ClassKind::Certification => "等级认定班",
            ClassKind::ProjectBased => "项目化培训班",
        };
        format!(
            "{}{what}（{district_short}·{}月）",
            occupation.zh(),
            chrono::Datelike::month(&start)
        )
    }
}

/// Trades a trainee wants: nearly always one to three, kept inline.
pub type Wanted = SmallVec<[OccupationId; 3]>;

/// A trainee. A city keeps a million of these in memory, so the name, the
/// key group and the wanted trades are kept inline (no allocation each);
/// they encode exactly as `String`, `Option<String>` and `Vec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trainee {
    pub id: TraineeId,
    pub name: CompactString,
    pub id_number: IdNumber,
    pub mobile: Option<Mobile>,
    pub key_group: Option<CompactString>,
    pub region: RegionId,
    #[serde(deserialize_with = "wanted_from_list")]
    pub wanted: Wanted,
    #[serde(deserialize_with = "super::date_serde::de")]
    pub created: NaiveDate,
}

/// Read the wanted trades one at a time: a damaged length in the bytes
/// reserves nothing (SmallVec's own reading reserves all it claims), and
/// no `Vec` is made in between (a start decodes a million of these).
fn wanted_from_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Wanted, D::Error> {
    struct List;
    impl<'de> serde::de::Visitor<'de> for List {
        type Value = Wanted;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of trades")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Wanted, A::Error> {
            let mut out = Wanted::new();
            while let Some(o) = seq.next_element::<OccupationId>()? {
                out.push(o);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(List)
}

/// A certification a case earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    pub level: SkillLevel,
    /// Inline (no allocation): most cases of a city end certified.
    pub certificate: CompactString,
    pub evaluation: Evaluation,
    #[serde(deserialize_with = "super::date_serde::de")]
    pub date: NaiveDate,
}

/// One trainee in one class, walking the state machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub trainee: TraineeId,
    pub class: ClassId,
    pub state: CaseState,
    pub certification: Option<Certification>,
    /// Number of events so far; the next event's sequence number.
    pub events: u32,
    #[serde(deserialize_with = "super::date_serde::de")]
    pub opened: NaiveDate,
}

/// One step of a case, kept forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub case: CaseId,
    pub seq: u32,
    /// Unix seconds.
    pub at: i64,
    pub operator: String,
    /// `None` for the enrollment that opens the case.
    pub from: Option<CaseState>,
    pub to: CaseState,
    /// The move taken (`None` for the enrollment).
    pub action: Option<Move>,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Evaluation;

    /// The trainee and certification as they were, with `String` and `Vec`.
    #[derive(Serialize)]
    struct OldTrainee {
        id: TraineeId,
        name: String,
        id_number: IdNumber,
        mobile: Option<Mobile>,
        key_group: Option<String>,
        region: RegionId,
        wanted: Vec<OccupationId>,
        created: NaiveDate,
    }

    #[derive(Serialize)]
    struct OldCertification {
        level: SkillLevel,
        certificate: String,
        evaluation: Evaluation,
        date: NaiveDate,
    }

    #[test]
    fn inline_names_and_trades_encode_as_the_strings_and_lists_they_replaced() {
        let cfg = bincode::config::standard();
        let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let id_number = IdNumber::from_parts("321102", NaiveDate::from_ymd_opt(1990, 1, 2).unwrap(), 7).unwrap();
        // Short and long (past the inline size), none, one, many.
        for (name, group, wanted) in [
            ("谢明", Some("退役军人"), vec![OccupationId(3)]),
            ("欧阳娜娜娜娜娜娜娜娜娜娜娜娜", None, vec![]),
            (
                "Li",
                Some("一个很长的重点群体名称超过二十四字节"),
                vec![OccupationId(1), OccupationId(2), OccupationId(3), OccupationId(4)],
            ),
        ] {
            let t = Trainee {
                id: TraineeId(9),
                name: name.into(),
                id_number,
                mobile: Mobile::parse("13912345678").ok(),
                key_group: group.map(Into::into),
                region: RegionId(2),
                wanted: wanted.iter().copied().collect(),
                created: day,
            };
            let old = OldTrainee {
                id: t.id,
                name: name.to_string(),
                id_number,
                mobile: t.mobile,
                key_group: group.map(String::from),
                region: t.region,
                wanted: wanted.clone(),
                created: day,
            };
            let bytes = bincode::serde::encode_to_vec(&t, cfg).unwrap();
            assert_eq!(bytes, bincode::serde::encode_to_vec(&old, cfg).unwrap(), "{name}");
            let (back, _): (Trainee, usize) = bincode::serde::decode_from_slice(&bytes, cfg).unwrap();
            assert_eq!(back, t);
        }
        let evaluation = Evaluation {
            theory: 81,
            practical: 77,
            panel: true,
        };
        let c = Certification {
            level: SkillLevel::L3,
            certificate: "ZJ20250300012345".into(),
            evaluation: evaluation.clone(),
            date: day,
        };
        let old = OldCertification {
            level: c.level,
            certificate: c.certificate.to_string(),
            evaluation,
            date: day,
        };
        let bytes = bincode::serde::encode_to_vec(&c, cfg).unwrap();
        assert_eq!(bytes, bincode::serde::encode_to_vec(&old, cfg).unwrap());
    }
}
