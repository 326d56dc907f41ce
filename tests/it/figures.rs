//! Every dashboard figure on a small hand-made city whose answers are worked
//! out below, case by case.

use crate::common;

use chrono::NaiveDate;
use common::*;
use skillbridge::domain::*;
use skillbridge::figures::{self, Figures, Mark, Pace, Pipeline, Settings};
use skillbridge::service::Data;
use skillbridge::store::{Stamp, Store};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn on(d: NaiveDate) -> Stamp {
    Stamp {
        operator: "wang.fang".into(),
        at: d.and_hms_opt(2, 0, 0).unwrap().and_utc().timestamp(),
        today: d,
    }
}

fn walk(store: &Store, case: CaseId, moves: &[(NaiveDate, Move)]) {
    for (d, mv) in moves {
        store.transition(case, mv.clone(), &on(*d), EARLY).unwrap();
    }
}

fn certify_on(store: &Store, case: CaseId, d: NaiveDate, level: SkillLevel) {
    walk(
        store,
        case,
        &[(d, Move::StartTraining), (d, Move::SendToEvaluation), (d, pass(level))],
    );
}

fn demand(store: &Store, e: EnterpriseId, occ: u16, region: u8, headcount: u32, status: DemandStatus) -> JobDemand {
    let kind = OccupationId(occ).get().unwrap().kind;
    store
        .save(JobDemand {
            id: DemandId(0),
            external_id: None,
            enterprise: e,
            occupation: OccupationId(occ),
            region: RegionId(region),
            kind,
            headcount,
            wage_min: 5000,
            wage_max: 7000,
            min_level: None,
            posted: day(7, 1),
            status,
        })
        .unwrap()
}

#[allow(clippy::too_many_arguments)]
fn class(
    store: &Store,
    inst: InstitutionId,
    occ: u16,
    region: u8,
    kind: ClassKind,
    program: u8,
    capacity: u32,
    status: ClassStatus,
    linked: Vec<DemandId>,
) -> TrainingClass {
    store
        .save(TrainingClass {
            id: ClassId(0),
            name: format!("班{occ}-{region}-{program}"),
            institution: inst,
            occupation: OccupationId(occ),
            region: RegionId(region),
            kind,
            program: ProgramId(program),
            quarter: Quarter { year: 2025, q: 4 },
            start: day(7, 1),
            end: day(11, 30),
            capacity,
            target_level: SkillLevel::L4,
            linked_demands: linked,
            status,
        })
        .unwrap()
}

struct Built {
    data: Data,
    cases: Vec<CaseId>,
}

/// The city (see the comments for every record's role in the answers).
fn build(store: &Store) -> Built {
    // I1 (京口, 4 stars), E1 (京口, no alliance), D1 welder ×6 in 京口,
    // C1 welder subsidized class in 京口, program 1, 10 seats, open.
    let c = city(store, 10, 6);
    let i2 = store
        .save(Institution {
            id: InstitutionId(0),
            name: "丹阳测试技工学校".into(),
            region: RegionId(3),
            stars: 5,
        })
        .unwrap();
    let e2 = store
        .save(Enterprise {
            id: EnterpriseId(0),
            name: "高新区测试船舶重工有限公司".into(),
            region: RegionId(7),
            industry: "船舶海工".into(),
            alliance: Some(AllianceId(1)),
        })
        .unwrap();
    // D2 welder ×4 in 高新区 (E2, marine alliance).
    let d2 = demand(store, e2.id, 3, 7, 4, DemandStatus::Open);
    // D3 elder-care ×2 in 丹阳, closed: no open posts.
    demand(store, c.enterprise.id, 4, 3, 2, DemandStatus::Closed);
    // D4 technical-management ×5 in 京口 (E2).
    demand(store, e2.id, 16, 0, 5, DemandStatus::Open);
    // D5 assembly fitter ×3 in 高新区 (E2).
    let d5 = demand(store, e2.id, 1, 7, 3, DemandStatus::Open);
    // C2 welder certification class in 丹阳, program 2, 5 seats, running.
    let c2 = class(
        store,
        i2.id,
        3,
        3,
        ClassKind::Certification,
        2,
        5,
        ClassStatus::Running,
        vec![],
    );
    // C3 project-based assembly-fitter class in 高新区, program 7, 4 seats,
    // built on D5: the marine alliance by its demand's enterprise (its
    // trade alone would give the aerospace alliance).
    let c3 = class(
        store,
        i2.id,
        1,
        7,
        ClassKind::ProjectBased,
        7,
        4,
        ClassStatus::Open,
        vec![d5.id],
    );
    // C4 elder-care subsidized class in 句容, program 7, 6 seats; finished later.
    let c4 = class(
        store,
        i2.id,
        4,
        5,
        ClassKind::Subsidized,
        7,
        6,
        ClassStatus::Open,
        vec![],
    );
    let t: Vec<TraineeId> = (1..=8).map(|n| trainee(store, n).id).collect();
    let enroll = |tr: usize, cl: ClassId, d: NaiveDate| store.enroll(t[tr - 1], cl, &on(d), "").unwrap().id;
    let c1 = c.class.id;

    // K1: T1 in C1, enrolled before the period; still enrolled.
    let k1 = enroll(1, c1, date(2024, 12, 20));
    // K2: T2 in C1, enrolled 08-01 (Q3), certified level 4 on 09-20 (Q3).
    let k2 = enroll(2, c1, date(2025, 8, 1));
    certify_on(store, k2, date(2025, 9, 20), SkillLevel::L4);
    // K3: T3 in C1, enrolled 10-02, withdrawn 10-05.
    let k3 = enroll(3, c1, date(2025, 10, 2));
    walk(
        store,
        k3,
        &[(date(2025, 10, 5), Move::Withdraw { reason: "moved".into() })],
    );
    // K4: T4 in C1, enrolled 10-03, certified level 3 on 10-10, referred to D1 and hired.
    let k4 = enroll(4, c1, date(2025, 10, 3));
    certify_on(store, k4, date(2025, 10, 10), SkillLevel::L3);
    walk(
        store,
        k4,
        &[
            (date(2025, 10, 11), Move::Refer(c.demand.id)),
            (date(2025, 10, 12), Move::Hire),
        ],
    );
    // K5: T5 in C1, enrolled 10-03, failed on 10-10.
    let k5 = enroll(5, c1, date(2025, 10, 3));
    let fail = Move::Fail {
        evaluation: Evaluation {
            theory: 40,
            practical: 30,
            panel: false,
        },
    };
    walk(
        store,
        k5,
        &[
            (date(2025, 10, 4), Move::StartTraining),
            (date(2025, 10, 9), Move::SendToEvaluation),
            (date(2025, 10, 10), fail),
        ],
    );
    // K6: T2 again, in C2, enrolled 10-05, certified level 2 on 10-12, referred to D2.
    let k6 = enroll(2, c2.id, date(2025, 10, 5));
    certify_on(store, k6, date(2025, 10, 12), SkillLevel::L2);
    walk(store, k6, &[(date(2025, 10, 13), Move::Refer(d2.id))]);
    // K7: T6 in C2, enrolled 10-05, in training.
    let k7 = enroll(6, c2.id, date(2025, 10, 5));
    walk(store, k7, &[(date(2025, 10, 6), Move::StartTraining)]);
    // K8: T7 in C3, enrolled 10-06.
    let k8 = enroll(7, c3.id, date(2025, 10, 6));
    // K9: T8 in C3, enrolled 10-06, certified level 5 on 10-14, referred to D5, not hired.
    let k9 = enroll(8, c3.id, date(2025, 10, 6));
    certify_on(store, k9, date(2025, 10, 14), SkillLevel::L5);
    walk(
        store,
        k9,
        &[
            (date(2025, 10, 14), Move::Refer(d5.id)),
            (date(2025, 10, 15), Move::NotHire),
        ],
    );
    // K10: T1 again, in C4, enrolled 09-01 (Q3), certified level 4 on 09-25.
    let k10 = enroll(1, c4.id, date(2025, 9, 1));
    certify_on(store, k10, date(2025, 9, 25), SkillLevel::L4);
    store
        .save(TrainingClass {
            status: ClassStatus::Finished,
            ..c4
        })
        .unwrap();
    assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
    Built {
        data: Data::load(store).unwrap(),
        cases: vec![k1, k2, k3, k4, k5, k6, k7, k8, k9, k10],
    }
}

fn figures_on(today: NaiveDate) -> (Figures, Built) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let b = build(&store);
    (figures::compute(&b.data, Settings::default(), today), b)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn targets_count_the_period_and_the_quarter() {
    let (f, b) = figures_on(date(2025, 10, 15));
    assert_eq!(b.cases.len(), 10);
    let t = &f.targets;
    // Subsidized trainings: cases in C1, C3 (project) and C4 that hold a
    // seat, enrolled in the period: K2 K4 K5 K8 K9 K10 (K1 is before the
    // period, K3 withdrew, K6 K7 are in a certification class).
    assert_eq!(t.subsidized_trainings.actual, 6.0);
    assert_eq!(t.subsidized_trainings.goal, 80_000.0);
    assert_eq!(t.subsidized_trainings.share, 6.0 / 80_000.0);
    // Skilled: T2 (K2 and K6, once), T4, T8, T1.
    assert_eq!(t.skilled_talents.actual, 4.0);
    assert_eq!(t.skilled_talents.share, 4.0 / 60_000.0);
    // High-skill: T4 (level 3), T2 (level 2).
    assert_eq!(t.high_skill_talents.actual, 2.0);
    assert_eq!(t.high_skill_talents.goal, 15_000.0);
    // Per 10,000: (226,300 + 2) × 10,000 ÷ 2,000,000 = 1,131.51, from a
    // baseline of 1,131.5: 0.01 of the 68.5 to go.
    let r = &t.high_skill_per_10k;
    assert!(close(r.actual, 1_131.51), "{}", r.actual);
    assert!(close(r.baseline, 1_131.5));
    assert!(close(r.share, 0.01 / 68.5), "{}", r.share);
    // 2025-10-15 is day 288 of 1,095.
    assert!(close(f.period.elapsed, 288.0 / 1095.0));
    assert!(close(t.subsidized_trainings.expected, 80_000.0 * 288.0 / 1095.0));
    assert_eq!(t.subsidized_trainings.pace, Pace::Behind);
    assert_eq!(r.pace, Pace::Behind);

    // This quarter (2025Q4, day 15 of 92): K4 K5 K8 K9 trainings; T4 T2 T8 certified; T4 T2 high-skill.
    let q = &f.quarter;
    assert_eq!(q.quarter, "2025Q4");
    assert_eq!((q.span.start, q.span.end), (date(2025, 10, 1), date(2025, 12, 31)));
    assert!(close(q.span.elapsed, 15.0 / 92.0));
    assert_eq!(q.targets.subsidized_trainings.actual, 4.0);
    assert!(close(q.targets.subsidized_trainings.goal, 80_000.0 / 12.0));
    assert_eq!(q.targets.skilled_talents.actual, 3.0);
    assert!(close(q.targets.skilled_talents.goal, 5_000.0));
    assert_eq!(q.targets.high_skill_talents.actual, 2.0);
    assert!(close(q.targets.high_skill_talents.goal, 1_250.0));
    assert!(close(q.targets.high_skill_per_10k.actual, 0.01));
    assert!(close(q.targets.high_skill_per_10k.goal, 68.5 / 12.0));
}

#[test]
fn an_earlier_business_date_sees_only_what_had_happened() {
    let (f, _) = figures_on(date(2025, 9, 30));
    // By 09-30: K2 and K10 trained (Q3); T2 and T1 certified at level 4.
    assert_eq!(f.targets.subsidized_trainings.actual, 2.0);
    assert_eq!(f.targets.skilled_talents.actual, 2.0);
    assert_eq!(f.targets.high_skill_talents.actual, 0.0);
    assert_eq!(f.quarter.quarter, "2025Q3");
    assert_eq!(f.quarter.targets.subsidized_trainings.actual, 2.0);
    assert_eq!(f.quarter.targets.skilled_talents.actual, 2.0);
    assert_eq!(f.quarter.span.elapsed, 1.0);
    // Before the period nothing counts and the pace has not started.
    let (f, _) = figures_on(date(2024, 12, 31));
    assert_eq!(f.targets.subsidized_trainings.actual, 0.0);
    assert_eq!(f.targets.subsidized_trainings.pace, Pace::NotStarted);
    assert!(f.weeks.is_empty());
}

#[test]
fn a_different_labor_force_moves_only_the_rate() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let b = build(&store);
    let f = figures::compute(&b.data, Settings { labor_force: 2_263_000 }, date(2025, 10, 15));
    // 226,300 × 10,000 ÷ 2,263,000 = 1,000 at the baseline; 2 more add 2 × 10,000 ÷ 2,263,000.
    assert!(close(f.basis.baseline_per_10k, 1_000.0));
    assert!(close(
        f.targets.high_skill_per_10k.actual,
        1_000.0 + 20_000.0 / 2_263_000.0
    ));
    assert!(close(
        f.targets.high_skill_per_10k.share,
        (20_000.0 / 2_263_000.0) / 200.0
    ));
    assert_eq!(f.targets.skilled_talents.actual, 4.0);
}

/// A pipeline in column order: posts open (skilled), classes, seats, seats
/// open, enrolled, in training, certified, waiting, employed.
#[allow(clippy::too_many_arguments)]
fn pipe(
    posts_open: u64,
    classes: u64,
    seats: u64,
    seats_open: u64,
    enrolled: u64,
    in_training: u64,
    certified: u64,
    waiting: u64,
    employed: u64,
) -> Pipeline {
    Pipeline {
        posts_open,
        tm_posts_open: 0,
        classes,
        seats,
        seats_open,
        enrolled,
        in_training,
        certified,
        waiting,
        employed,
    }
}

#[test]
fn trades_put_the_worst_shortage_first() {
    let (f, _) = figures_on(date(2025, 10, 15));
    // Only the 16 skilled trades; technical-management posts are counted apart.
    assert_eq!(f.trades.len(), 16);
    assert_eq!(f.totals.technical_management_posts_open, 5);
    let order: Vec<u16> = f.trades.iter().map(|r| r.id).collect();
    assert_eq!(order, vec![3, 1, 0, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 4]);
    // Welder: D1 6 − 1 hired + D2 4 − 1 referred = 8 open posts; C1 6 of 10
    // seats left + C2 3 of 5; in training K1 K7; waiting K2; gap 8 − 2 − 1 = 5.
    let w = &f.trades[0];
    assert_eq!(w.figures, pipe(8, 2, 15, 9, 6, 2, 3, 1, 1));
    assert_eq!((w.gap, w.mark), (5, Mark::Shortage));
    // Assembly fitter: D5 3 open; C3 2 of 4 left; K8 in training, K9 waiting.
    let a = &f.trades[1];
    assert_eq!(a.figures, pipe(3, 1, 4, 2, 2, 1, 1, 1, 0));
    assert_eq!((a.gap, a.mark), (1, Mark::Shortage));
    // Elder care: D3 closed; C4 finished (no open seats); K10 waiting.
    let e = &f.trades[15];
    assert_eq!(e.figures, pipe(0, 1, 6, 0, 1, 0, 1, 1, 0));
    assert_eq!((e.gap, e.mark), (-1, Mark::Covered));
    assert_eq!(f.trades[2].figures, Pipeline::default());
}

#[test]
fn districts_programs_and_alliances() {
    let (f, _) = figures_on(date(2025, 10, 15));
    let d = &f.districts;
    assert_eq!(d.len(), 8);
    // 京口: D1 5 open skilled posts (D4's 5 technical-management posts
    // apart); C1 with K1 K2 K4 K5 holding seats.
    assert_eq!(
        d[0].figures,
        Pipeline {
            tm_posts_open: 5,
            ..pipe(5, 1, 10, 6, 4, 1, 2, 1, 1)
        }
    );
    assert_eq!(d[0].gap, 3);
    // 丹阳: D3 closed; C2 with K6 K7.
    assert_eq!(d[3].figures, pipe(0, 1, 5, 3, 2, 1, 1, 0, 0));
    // 句容: C4 finished with K10.
    assert_eq!(d[5].figures, pipe(0, 1, 6, 0, 1, 0, 1, 1, 0));
    // 高新区: D2 3 + D5 3; C3 with K8 K9.
    assert_eq!(d[7].figures, pipe(6, 1, 4, 2, 2, 1, 1, 1, 0));
    for i in [1, 2, 4, 6] {
        assert_eq!(d[i].figures, Pipeline::default(), "{}", d[i].zh);
    }
    // Program 1: C1. Program 2: C2. Program 7: C3 and C4, and D5 (C3 is built on it).
    let p = &f.programs;
    assert_eq!(p[1].figures, pipe(0, 1, 10, 6, 4, 1, 2, 1, 1));
    assert_eq!(p[2].figures, pipe(0, 1, 5, 3, 2, 1, 1, 0, 0));
    assert_eq!(p[7].figures, pipe(3, 2, 10, 2, 3, 1, 2, 2, 0));
    assert_eq!(p[0].figures, Pipeline::default());
    // Marine alliance: E2's open posts (D2 3, D5 3; D4 5 technical-management)
    // and the welder classes C1 C2 by trade and C3 by its linked demand.
    let a = &f.alliances;
    assert_eq!(
        a[1].figures,
        Pipeline {
            tm_posts_open: 5,
            ..pipe(6, 3, 19, 11, 8, 3, 4, 2, 1)
        }
    );
    assert_eq!(a[1].gap, 6 - 3 - 2);
    // Aerospace gets nothing: C3's demand decides, not its trade.
    assert_eq!(a[5].figures, Pipeline::default());
    // Elder care: C4 by trade.
    assert_eq!(a[7].figures, pipe(0, 1, 6, 0, 1, 0, 1, 1, 0));
}

#[test]
fn institution_scorecard() {
    let (f, _) = figures_on(date(2025, 10, 15));
    let s = &f.institutions;
    assert_eq!(s.len(), 2);
    // Five stars first: I2 with C2 C3 C4.
    let i2 = &s[0];
    assert_eq!((i2.stars, i2.classes, i2.seats, i2.enrolled), (5, 3, 15, 5));
    // Finished training: K6 K9 K10 of K6 K9 K10 (K7 K8 still training).
    assert_eq!(
        (i2.completion.num, i2.completion.den, i2.completion.rate),
        (3, 3, Some(1.0))
    );
    assert_eq!((i2.pass.num, i2.pass.den), (3, 3));
    assert_eq!(
        (i2.placement.num, i2.placement.den, i2.placement.rate),
        (0, 3, Some(0.0))
    );
    let i1 = &s[1];
    assert_eq!((i1.stars, i1.classes, i1.seats, i1.enrolled), (4, 1, 10, 4));
    // Finished: K2 K4 K5; dropped: K3 (withdrawn, no certificate).
    assert_eq!(
        (i1.completion.num, i1.completion.den, i1.completion.rate),
        (3, 4, Some(0.75))
    );
    // Passed K2 K4, failed K5.
    assert_eq!((i1.pass.num, i1.pass.den), (2, 3));
    assert_eq!(
        (i1.placement.num, i1.placement.den, i1.placement.rate),
        (1, 2, Some(0.5))
    );
}

#[test]
fn weekly_counts_and_totals() {
    let (f, _) = figures_on(date(2025, 10, 15));
    // Monday 2024-12-30 (the week of 2025-01-01) to Monday 2025-10-13.
    assert_eq!(f.weeks.len(), 42);
    assert_eq!(f.weeks[0].start, date(2024, 12, 30));
    assert_eq!(f.weeks[41].start, date(2025, 10, 13));
    let week = |d: NaiveDate| f.weeks.iter().find(|w| w.start == d).unwrap();
    assert_eq!(week(date(2025, 7, 28)).enrollments, 1); // K2
    assert_eq!(week(date(2025, 9, 1)).enrollments, 1); // K10
    assert_eq!(week(date(2025, 9, 29)).enrollments, 5); // K3 K4 K5 K6 K7
    assert_eq!(week(date(2025, 10, 6)).enrollments, 2); // K8 K9
    assert_eq!(f.weeks.iter().map(|w| w.enrollments).sum::<u64>(), 9); // not K1
    assert_eq!(week(date(2025, 9, 15)).certifications, 1); // K2
    assert_eq!(week(date(2025, 9, 22)).certifications, 1); // K10
    assert_eq!(week(date(2025, 10, 6)).certifications, 2); // K4 K6
    assert_eq!(week(date(2025, 10, 13)).certifications, 1); // K9
    assert_eq!(f.weeks.iter().map(|w| w.certifications).sum::<u64>(), 5);

    let t = &f.totals;
    assert_eq!((t.institutions, t.enterprises, t.demands), (2, 2, 5));
    assert_eq!((t.demand_posts.skilled, t.demand_posts.technical_management), (15, 5));
    assert_eq!((t.classes.regular, t.classes.project), (3, 1));
    assert_eq!((t.seats.regular, t.seats.project), (21, 4));
    assert_eq!(t.seats_used, 9);
    assert_eq!((t.trainees, t.cases), (8, 10));
    let by: Vec<(&str, u64)> = t.cases_by_state.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        by,
        vec![
            ("awaiting_evaluation", 0),
            ("certified", 2),
            ("employed", 1),
            ("enrolled", 2),
            ("in_training", 1),
            ("not_certified", 1),
            ("not_hired", 1),
            ("referred", 1),
            ("withdrawn", 1),
        ]
    );
}

/// The weekly counts come from the cases' dates; they are the business
/// dates of the Enrolled and Certified events, as the event log says.
#[test]
fn weekly_counts_agree_with_the_event_log_on_a_demo_city() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 300, seed: 3 }).unwrap();
    let data = Data::load(&store).unwrap();
    let today = skillbridge::demo::as_of();
    let f = figures::compute(&data, Settings::default(), today);
    let china = skillbridge::domain::china_time();
    let (mut enrolled, mut certified) = (0u64, 0u64);
    for case in data.cases.values() {
        for ev in store.events_of(case.id).unwrap() {
            let d = chrono::DateTime::from_timestamp(ev.at, 0)
                .unwrap()
                .with_timezone(&china)
                .date_naive();
            if d < figures::period::start() || d > today {
                continue;
            }
            match (&ev.from, &ev.to) {
                (None, CaseState::Enrolled) => enrolled += 1,
                (_, CaseState::Certified(_)) => certified += 1,
                _ => {}
            }
        }
    }
    assert!(enrolled > 100 && certified > 20, "{enrolled} {certified}");
    assert_eq!(f.weeks.iter().map(|w| w.enrollments).sum::<u64>(), enrolled);
    assert_eq!(f.weeks.iter().map(|w| w.certifications).sum::<u64>(), certified);
}

/// The figures are computed without a terminal: no ratatui, no crossterm.
#[test]
fn the_figures_and_the_report_know_no_terminal() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(src.join("figures"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let report = src.join("cli/report");
    files.extend(std::fs::read_dir(report).unwrap().flatten().map(|e| e.path()));
    assert!(files.len() >= 4, "{files:?}");
    for p in files {
        let text = std::fs::read_to_string(&p).unwrap();
        for word in ["ratatui", "crossterm"] {
            assert!(!text.contains(word), "{} mentions {word}", p.display());
        }
    }
}
