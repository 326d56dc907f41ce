//! Golden test of the record format: one small fixed record of every kind
//! (and an event), encoded as the store writes it and compared byte for
//! byte with `golden/records.txt`. A change of encoding fails here until
//! the record's `Record::VERSION` (or `EVENT_VERSION`) moves, a migration
//! step converts the old records, and the file is blessed again:
//! `SKILLBRIDGE_BLESS=1 cargo test --lib golden`.

use super::codec;
use super::record::{EVENT_VERSION, Record};
use crate::domain::*;
use chrono::NaiveDate;

/// Fixed records that touch every field type (shared with the service's
/// golden tests of the snapshot and the search cache).
pub(crate) struct Sample {
    pub institution: Institution,
    pub enterprise: Enterprise,
    pub demand: JobDemand,
    pub class: TrainingClass,
    pub trainee: Trainee,
    pub case: Case,
    pub event: Event,
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).expect("a real date")
}

pub(crate) fn sample() -> Sample {
    let institution = Institution {
        id: InstitutionId(1),
        name: "丹阳示例职业培训学校".into(),
        region: RegionId(3),
        stars: 4,
    };
    let enterprise = Enterprise {
        id: EnterpriseId(2),
        name: "丹阳示例光学有限公司".into(),
        region: RegionId(3),
        industry: "眼镜".into(),
        alliance: Some(AllianceId(0)),
    };
    let demand = JobDemand {
        id: DemandId(3),
        external_id: Some("DY-001".into()),
        enterprise: enterprise.id,
        occupation: OccupationId(3),
        region: RegionId(3),
        kind: PostKind::Skilled,
        headcount: 2,
        wage_min: 5000,
        wage_max: 7000,
        min_level: Some(SkillLevel::L4),
        posted: day(8, 1),
        status: DemandStatus::Open,
    };
    let class = TrainingClass {
        id: ClassId(4),
        name: "焊工（中级）第1期".into(),
        institution: institution.id,
        occupation: OccupationId(3),
        region: RegionId(3),
        kind: ClassKind::ProjectBased,
        program: ProgramId(1),
        quarter: Quarter { year: 2025, q: 3 },
        start: day(8, 15),
        end: day(9, 30),
        capacity: 30,
        target_level: SkillLevel::L4,
        linked_demands: vec![demand.id],
        status: ClassStatus::Running,
    };
    let trainee = Trainee {
        id: TraineeId(5),
        name: "王示例".into(),
        id_number: IdNumber::from_parts("321181", NaiveDate::from_ymd_opt(1990, 3, 4).expect("date"), 12)
            .expect("an ID number"),
        mobile: Some(Mobile::parse("13800000000").expect("a mobile")),
        key_group: Some("农村转移劳动力".into()),
        region: RegionId(3),
        wanted: vec![OccupationId(3), OccupationId(1)].into(),
        created: day(8, 10),
    };
    let evaluation = Evaluation {
        theory: 78,
        practical: 85,
        panel: false,
    };
    let certify = Move::Certify {
        level: SkillLevel::L4,
        certificate: "ZJ-2025-0001".into(),
        evaluation: evaluation.clone(),
    };
    let case = Case {
        id: CaseId(6),
        trainee: trainee.id,
        class: class.id,
        state: CaseState::Certified(SkillLevel::L4),
        certification: Some(Certification {
            level: SkillLevel::L4,
            certificate: "ZJ-2025-0001".into(),
            evaluation,
            date: day(10, 8),
        }),
        events: 4,
        opened: day(8, 12),
    };
    let event = Event {
        case: case.id,
        seq: 3,
        at: 1_759_900_000,
        operator: "wang.fang".into(),
        from: Some(CaseState::AwaitingEvaluation),
        to: CaseState::Certified(SkillLevel::L4),
        action: Some(certify),
        note: "理论78 实操85".into(),
    };
    Sample {
        institution,
        enterprise,
        demand,
        class,
        trainee,
        case,
        event,
    }
}

/// Compare `actual` with the committed file `path` (relative to this
/// crate's root), or rewrite the file when `SKILLBRIDGE_BLESS` is set.
pub(crate) fn assert_golden(path: &str, actual: &str, bump: &str) {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("SKILLBRIDGE_BLESS").is_some() {
        std::fs::write(&full, actual).expect("write the golden file");
        return;
    }
    let expected = std::fs::read_to_string(&full).unwrap_or_default();
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{path} no longer matches what this program writes (first difference at line {}):\n\
             expected: {:?}\n  actual: {:?}\n\
             The persisted format changed: bump {bump}, then bless the file with \
             SKILLBRIDGE_BLESS=1 cargo test --lib golden",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first),
        );
    }
}

/// The moves version 2 of an event added, one event each.
fn aftercare_events(base: &Event) -> Vec<Event> {
    use crate::domain::aftercare::{FollowUpOutcome, LeaveReason, NotHiredReason};
    let employed = CaseState::Employed(DemandId(3));
    let ev = |seq, from: CaseState, to: CaseState, mv: Move, note: &str| Event {
        seq,
        from: Some(from),
        to,
        action: Some(mv),
        note: note.into(),
        ..base.clone()
    };
    vec![
        ev(
            5,
            employed.clone(),
            employed.clone(),
            Move::FollowUp {
                months: 3,
                outcome: FollowUpOutcome::ChangedJob {
                    employer: Some("镇江某厂".into()),
                    occupation: Some(crate::domain::OccupationId(4)),
                },
                wage: Some(5200),
            },
            "",
        ),
        ev(
            6,
            employed.clone(),
            employed.clone(),
            Move::FollowUp {
                months: 6,
                outcome: FollowUpOutcome::Left(LeaveReason::Family),
                wage: None,
            },
            "",
        ),
        ev(
            7,
            employed.clone(),
            employed.clone(),
            Move::Note,
            "已电话联系，本人在岗",
        ),
        ev(
            8,
            employed.clone(),
            employed,
            Move::Correct {
                undoes: 6,
                reason: "回访录错".into(),
            },
            "",
        ),
        ev(
            9,
            CaseState::Referred(DemandId(3)),
            CaseState::NotHired(DemandId(3)),
            Move::NotHireFor(NotHiredReason::Other),
            "岗位已招满",
        ),
    ]
}

/// An event as version 1 wrote it (the committed line before version 2)
/// reads unchanged.
#[test]
fn a_version_1_event_reads_as_it_was() {
    let v1 = include_str!("golden/event-v1.txt").trim();
    let bytes: Vec<u8> = (0..v1.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&v1[i..i + 2], 16).expect("hex"))
        .collect();
    assert_eq!(codec::version_of(&bytes), Ok(1));
    let (_, ev): (u16, Event) = codec::decode(&bytes, EVENT_VERSION).expect("decodes");
    assert_eq!(ev, sample().event);
}

fn line<R: Record>(r: &R) -> String {
    let bytes = codec::encode(R::VERSION, r).expect("encodes");
    format!("{} {} {}\n", R::NAME, R::VERSION, hex(&bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_record_encodes_as_committed() {
    let s = sample();
    let mut out = String::new();
    out += &line(&s.institution);
    out += &line(&s.enterprise);
    out += &line(&s.demand);
    out += &line(&s.class);
    out += &line(&s.trainee);
    out += &line(&s.case);
    let ev = codec::encode(EVENT_VERSION, &s.event).expect("encodes");
    out += &format!("event {EVENT_VERSION} {}\n", hex(&ev));
    for e in aftercare_events(&s.event) {
        let ev = codec::encode(EVENT_VERSION, &e).expect("encodes");
        out += &format!("event {EVENT_VERSION} {}\n", hex(&ev));
    }
    assert_golden(
        "src/store/golden/records.txt",
        &out,
        "the record's Record::VERSION (or EVENT_VERSION) and add a migration step",
    );
    // And each line decodes back to its record.
    let (_, back): (u16, Case) = codec::decode(&codec::encode(1, &s.case).expect("encodes"), 1).expect("decodes");
    assert_eq!(back, s.case);
}
