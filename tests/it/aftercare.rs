//! After the job (issue 18): follow-ups, notes, not-hired reasons and
//! corrections through the store and the service, and a property test
//! that the counters and `check` stay consistent under random corrections.

use crate::common;

use chrono::NaiveDate;
use common::*;
use proptest::prelude::*;
use skillbridge::domain::access::{Actor, Role};
use skillbridge::domain::aftercare::{AftercareError, CorrectionRight, FollowUpOutcome, LeaveReason, NotHiredReason};
use skillbridge::domain::*;
use skillbridge::service::Service;
use skillbridge::store::{META_AS_OF, Stamp, Store, StoreError};

fn on(d: NaiveDate, who: &str) -> Stamp {
    Stamp {
        operator: who.into(),
        at: d
            .and_hms_opt(9, 30, 0)
            .unwrap()
            .and_local_timezone(china_time())
            .unwrap()
            .timestamp(),
        today: d,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn refusal(e: StoreError) -> AftercareError {
    match e {
        StoreError::Aftercare { source, .. } => source,
        other => panic!("expected a follow-up refusal, got {other}"),
    }
}

/// A case hired on 2025-10-15 into the city's one-post demand.
fn hired(store: &Store) -> (City, Case) {
    let city = city(store, 4, 1);
    let t = trainee(store, 1);
    let case = store.enroll(t.id, city.class.id, &stamp(), "").unwrap();
    certify(store, case.id, SkillLevel::L4);
    store
        .transition(case.id, Move::Refer(city.demand.id), &stamp(), "")
        .unwrap();
    let s = on(date(2025, 10, 15), "wang.fang");
    let case = store.transition(case.id, Move::Hire, &s, "").unwrap();
    (city, case)
}

#[test]
fn a_hire_schedules_follow_ups_that_record_when_due() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let (_, case) = hired(&store);
    let op = "wang.fang";
    // Not due before 2026-01-15; not scheduled at 4 months.
    let e = store
        .follow_up(
            case.id,
            3,
            FollowUpOutcome::Retained,
            None,
            &on(date(2026, 1, 14), op),
            "",
        )
        .unwrap_err();
    assert_eq!(
        refusal(e),
        AftercareError::NotDue {
            months: 3,
            due: date(2026, 1, 15)
        }
    );
    let e = store
        .follow_up(
            case.id,
            4,
            FollowUpOutcome::Retained,
            None,
            &on(date(2026, 3, 1), op),
            "",
        )
        .unwrap_err();
    assert!(matches!(refusal(e), AftercareError::NotScheduled { months: 4, .. }));
    for n in 0..3 {
        store
            .follow_up(
                case.id,
                3,
                FollowUpOutcome::NotReached,
                None,
                &on(date(2026, 1, 15 + n), op),
                "",
            )
            .unwrap();
    }
    // Three attempts closed it.
    let e = store
        .follow_up(
            case.id,
            3,
            FollowUpOutcome::Retained,
            None,
            &on(date(2026, 1, 20), op),
            "",
        )
        .unwrap_err();
    assert_eq!(refusal(e), AftercareError::Closed { months: 3 });
    let c = store
        .follow_up(
            case.id,
            6,
            FollowUpOutcome::Left(LeaveReason::Quit),
            Some(4800),
            &on(date(2026, 4, 20), op),
            "",
        )
        .unwrap();
    assert_eq!(c.state, CaseState::Employed(c.state.hired().unwrap()));
    assert_eq!(c.events, 10);
    // The schedule is a setting.
    store
        .set_meta(skillbridge::store::aftercare::META_FOLLOWUP_MONTHS, "12")
        .unwrap();
    store
        .follow_up(
            case.id,
            12,
            FollowUpOutcome::Retained,
            None,
            &on(date(2026, 10, 15), op),
            "",
        )
        .unwrap();
    let report = store.check();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn notes_and_not_hired_reasons_are_events_that_change_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let city = city(&store, 4, 2);
    let t = trainee(&store, 1);
    let case = store.enroll(t.id, city.class.id, &stamp(), "").unwrap();
    let c = store.add_note(case.id, &stamp(), "  本人希望晚班  ").unwrap();
    assert_eq!((c.state.clone(), c.events), (CaseState::Enrolled, 2));
    let evs = store.events_of(case.id).unwrap();
    assert_eq!(
        (evs[1].note.as_str(), evs[1].operator.as_str()),
        ("本人希望晚班", "wang.fang")
    );
    assert_eq!(
        refusal(store.add_note(case.id, &stamp(), " ").unwrap_err()),
        AftercareError::EmptyNote
    );
    certify(&store, case.id, SkillLevel::L4);
    store
        .transition(case.id, Move::Refer(city.demand.id), &stamp(), "")
        .unwrap();
    let e = store
        .transition(case.id, Move::NotHireFor(NotHiredReason::Other), &stamp(), " ")
        .unwrap_err();
    assert_eq!(refusal(e), AftercareError::OtherNeedsText);
    let c = store
        .transition(case.id, Move::NotHireFor(NotHiredReason::PayMismatch), &stamp(), "")
        .unwrap();
    assert_eq!(c.state, CaseState::NotHired(city.demand.id));
    assert_eq!(store.demand_usage(city.demand.id).unwrap().taken(), 0);
    assert!(store.check().problems.is_empty());
}

#[test]
fn correcting_a_hire_gives_the_post_back_and_reopens_a_filled_demand() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let (city, case) = hired(&store);
    let demand = |s: &Store| s.get::<JobDemand>(city.demand.id.0).unwrap().unwrap().status;
    assert_eq!(demand(&store), DemandStatus::Filled);
    let today = date(2025, 10, 15);
    // Not the latest event: refused, naming it.
    let e = store
        .correct(case.id, 3, "录错", CorrectionRight::Any, &on(today, "li"))
        .unwrap_err();
    assert_eq!(refusal(e), AftercareError::NotLatest { latest: 5, asked: 3 });
    let c = store
        .correct(case.id, 5, "录错岗位", CorrectionRight::Any, &on(today, "li"))
        .unwrap();
    assert_eq!(c.state, CaseState::Referred(city.demand.id));
    let u = store.demand_usage(city.demand.id).unwrap();
    assert_eq!((u.referred, u.hired), (1, 0));
    assert_eq!(demand(&store), DemandStatus::Open);
    // Back to certified: the post is free; back again to awaiting
    // evaluation: the certification goes.
    store
        .correct(case.id, 4, "推荐错了", CorrectionRight::Any, &on(today, "li"))
        .unwrap();
    assert_eq!(store.demand_usage(city.demand.id).unwrap().taken(), 0);
    let c = store
        .correct(case.id, 3, "成绩录错", CorrectionRight::Any, &on(today, "li"))
        .unwrap();
    assert_eq!((c.state, c.certification), (CaseState::AwaitingEvaluation, None));
    // The history keeps both: 6 steps and 3 corrections.
    let evs = store.events_of(case.id).unwrap();
    assert_eq!(evs.len(), 9);
    assert!(matches!(evs[8].action, Some(Move::Correct { undoes: 3, .. })));
    let report = store.check();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn correcting_a_withdrawal_needs_the_seat_still_free() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let city = city(&store, 1, 1);
    let (a, b) = (trainee(&store, 1), trainee(&store, 2));
    let ca = store.enroll(a.id, city.class.id, &stamp(), "").unwrap();
    store
        .transition(
            ca.id,
            Move::Withdraw {
                reason: "搬家".into()
            },
            &stamp(),
            "",
        )
        .unwrap();
    store.enroll(b.id, city.class.id, &stamp(), "").unwrap();
    let e = store
        .correct(ca.id, 1, "退训录错", CorrectionRight::Any, &stamp())
        .unwrap_err();
    assert!(matches!(e, StoreError::ClassFull { .. }), "{e}");
    assert!(store.check().problems.is_empty());
}

fn service_at(dir: &std::path::Path, today: NaiveDate) -> (std::sync::Arc<Service>, City, CaseId) {
    let store = Store::open(&dir.join("db")).unwrap();
    let city = city(&store, 4, 1);
    let t = trainee(&store, 1);
    store.set_meta(META_AS_OF, &today.to_string()).unwrap();
    let svc = Service::open(store).unwrap();
    let admin = Actor::admin("root");
    let case = svc.enroll(t.id, city.class.id, &admin, "").unwrap();
    for mv in [
        Move::StartTraining,
        Move::SendToEvaluation,
        pass(SkillLevel::L4),
        Move::Refer(city.demand.id),
    ] {
        svc.transition(case.id, mv, &admin, EARLY).unwrap();
    }
    (svc, city, case.id)
}

#[test]
fn the_service_lists_what_is_due_and_guards_who_corrects() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, city, case) = service_at(dir.path(), date(2025, 10, 15));
    let wang = Actor::operator("wang");
    let zhao = Actor::operator("zhao");
    let li = Actor::new("li", Role::Supervisor);
    svc.transition(case, Move::Hire, &wang, "").unwrap();
    assert_eq!(svc.aftercare(case).map(|a| a.hired), Some(date(2025, 10, 15)));
    assert!(svc.follow_ups_due(&wang).is_empty(), "nothing due on the hire day");
    // Another operator may not undo wang's step; wang may, today.
    let e = svc.correct(case, &zhao, 5, "录错").unwrap_err();
    assert!(matches!(refusal(e), AftercareError::NotYours { .. }));
    svc.correct(case, &wang, 5, "录错").unwrap();
    assert_eq!(svc.aftercare(case), None);
    assert_eq!(svc.read().data.usage(city.demand.id).hired, 0);
    svc.transition(case, Move::Hire, &wang, "").unwrap();
    drop(svc);
    // Four months on: the 3-month follow-up is due, 31 days over.
    let store = Store::open(&dir.path().join("db")).unwrap();
    store.set_meta(META_AS_OF, "2026-02-15").unwrap();
    let svc = Service::open(store).unwrap();
    let due = svc.follow_ups_due(&wang);
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].case, due[0].months, due[0].due, due[0].overdue_days),
        (case, 3, date(2026, 1, 15), 31)
    );
    // An operator of another district sees none of it.
    assert!(
        svc.follow_ups_due(&Actor::operator("x").in_districts(vec![RegionId(5)]))
            .is_empty()
    );
    // Another operator's follow-up is the supervisor's to correct; a note
    // is never undone (the follow-up before it is the latest step).
    svc.follow_up(case, &wang, 3, FollowUpOutcome::Retained, Some(6500), "")
        .unwrap();
    assert!(svc.follow_ups_due(&wang).is_empty());
    svc.add_note(case, &zhao, "雇主反映表现良好").unwrap();
    // Events: 5 the hire, 6 its correction, 7 the hire again, 8 the
    // follow-up, 9 the note.
    let e = svc.correct(case, &zhao, 9, "录错").unwrap_err();
    assert_eq!(refusal(e), AftercareError::NotLatest { latest: 8, asked: 9 });
    let e = svc.correct(case, &zhao, 8, "录错").unwrap_err();
    assert!(matches!(refusal(e), AftercareError::NotYours { .. }));
    svc.correct(case, &li, 8, "回访对象错了").unwrap();
    assert_eq!(svc.follow_ups_due(&wang).len(), 1);
    assert!(svc.check().problems.is_empty());
}

/// One random operation on the little city.
#[derive(Debug, Clone)]
enum Op {
    Enroll(u8),
    /// The case's next step (pass or fail, hire or not, a referral).
    Step(u8, bool),
    Withdraw(u8),
    FollowUp(u8, u8),
    Note(u8),
    Correct(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..6).prop_map(Op::Enroll),
        (0u8..6, any::<bool>()).prop_map(|(c, b)| Op::Step(c, b)),
        (0u8..6).prop_map(Op::Withdraw),
        (0u8..6, 0u8..4).prop_map(|(c, o)| Op::FollowUp(c, o)),
        (0u8..6).prop_map(Op::Note),
        (0u8..6).prop_map(Op::Correct),
        (0u8..6).prop_map(Op::Correct),
    ]
}

fn next_move(state: &CaseState, yes: bool, demand: DemandId) -> Move {
    match state {
        CaseState::Enrolled => Move::StartTraining,
        CaseState::InTraining => Move::SendToEvaluation,
        CaseState::AwaitingEvaluation if yes => pass(SkillLevel::L4),
        CaseState::AwaitingEvaluation => Move::Fail {
            evaluation: Evaluation {
                theory: 30,
                practical: 70,
                panel: false,
            },
        },
        CaseState::NotCertified => Move::Retake,
        CaseState::Certified(_) | CaseState::NotHired(_) => Move::Refer(demand),
        CaseState::Referred(_) if yes => Move::Hire,
        CaseState::Referred(_) => Move::NotHireFor(NotHiredReason::TooFar),
        _ => Move::Hire,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    /// Random steps, follow-ups, notes and corrections on a class of 3
    /// seats and a demand of 2 posts: every failure is a refusal, and
    /// after each operation `check` is clean (seats, posts, demand status,
    /// every chain with its corrections).
    #[test]
    fn counters_and_check_hold_under_random_corrections(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let city = city(&store, 3, 2);
        let people: Vec<Trainee> = (1..=6).map(|n| trainee(&store, n)).collect();
        let mut cases: Vec<Option<CaseId>> = vec![None; 6];
        let mut day_n = 0i64;
        for op in ops {
            day_n += 20;
            let s = on(date(2025, 10, 15) + chrono::Duration::days(day_n), "wang");
            let case_of = |i: u8| cases[i as usize];
            let out = match op {
                Op::Enroll(i) => store.enroll(people[i as usize].id, city.class.id, &s, "").map(|c| {
                    cases[i as usize] = Some(c.id);
                }),
                Op::Step(i, yes) => match case_of(i) {
                    Some(c) => {
                        let state = store.get::<Case>(c.0).unwrap().unwrap().state;
                        store.transition(c, next_move(&state, yes, city.demand.id), &s, EARLY).map(drop)
                    }
                    None => Ok(()),
                },
                Op::Withdraw(i) => match case_of(i) {
                    Some(c) => store.transition(c, Move::Withdraw { reason: "r".into() }, &s, "").map(drop),
                    None => Ok(()),
                },
                Op::FollowUp(i, o) => match case_of(i) {
                    Some(c) => {
                        let outcome = [
                            FollowUpOutcome::Retained,
                            FollowUpOutcome::NotReached,
                            FollowUpOutcome::Left(LeaveReason::Other),
                            FollowUpOutcome::ChangedJob { employer: None, occupation: None },
                        ][o as usize % 4].clone();
                        let months = if o % 2 == 0 { 3 } else { 6 };
                        store.follow_up(c, months, outcome, None, &s, "").map(drop)
                    }
                    None => Ok(()),
                },
                Op::Note(i) => match case_of(i) {
                    Some(c) => store.add_note(c, &s, "备注").map(drop),
                    None => Ok(()),
                },
                Op::Correct(i) => match case_of(i) {
                    Some(c) => {
                        let n = store.get::<Case>(c.0).unwrap().unwrap().events;
                        // The latest event, or the one before it (a note
                        // may be the latest: then it is refused).
                        let last = n.saturating_sub(1 + (i as u32 % 2));
                        store.correct(c, last, "录错", CorrectionRight::Any, &s).map(drop)
                    }
                    None => Ok(()),
                },
            };
            if let Err(e) = out {
                prop_assert!(e.is_refusal(), "not a refusal: {e}");
            }
            let report = store.check();
            prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        }
    }
}

/// Retention in the figures and the report, on a hand-made city: four
/// hires on 2025-10-15 into the program 1 class of one institution, read
/// on 2026-02-15 (the 3-month follow-ups due, the 6-month ones not):
/// one 在岗 at 6,000 yuan, one 已离职, one closed after three attempts,
/// one not yet recorded. 3 months: 4 due, 3 closed, 1 employed (33 %);
/// 6 months: nothing due, no share ("—", never 0 %).
#[test]
fn retention_counts_closed_follow_ups_per_program_and_institution() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let cases: Vec<CaseId>;
    let (program, institution);
    {
        let store = Store::open(&db).unwrap();
        let city = city(&store, 4, 4);
        program = city.class.program;
        institution = city.institution.id;
        store.set_meta(META_AS_OF, "2025-10-15").unwrap();
        let svc = Service::open(store).unwrap();
        let admin = Actor::admin("root");
        cases = (1..=4)
            .map(|n| {
                let t = trainee_in(&svc, n);
                let c = svc.enroll(t, city.class.id, &admin, "").unwrap().id;
                for mv in [
                    Move::StartTraining,
                    Move::SendToEvaluation,
                    pass(SkillLevel::L4),
                    Move::Refer(city.demand.id),
                    Move::Hire,
                ] {
                    svc.transition(c, mv, &admin, EARLY).unwrap();
                }
                c
            })
            .collect();
    }
    let store = Store::open(&db).unwrap();
    store.set_meta(META_AS_OF, "2026-02-15").unwrap();
    let svc = Service::open(store).unwrap();
    let op = Actor::operator("wang");
    svc.follow_up(cases[0], &op, 3, FollowUpOutcome::Retained, Some(6000), "")
        .unwrap();
    svc.follow_up(
        cases[1],
        &op,
        3,
        FollowUpOutcome::Left(LeaveReason::Dismissed),
        None,
        "",
    )
    .unwrap();
    for _ in 0..3 {
        svc.follow_up(cases[2], &op, 3, FollowUpOutcome::NotReached, None, "")
            .unwrap();
    }
    let fig = skillbridge::figures::compute(&svc.read().data, Default::default(), svc.today());
    let row = fig.programs.iter().find(|r| r.id == u16::from(program.0)).unwrap();
    let inst = fig.institutions.iter().find(|r| r.id == institution.0).unwrap();
    for r in [&row.retained, &inst.retained] {
        let (m3, m6) = (r.retention_3m, r.retention_6m);
        assert_eq!((m3.due, m3.closed, m3.count), (4, 3, 1));
        assert!((m3.share().unwrap() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(m3.wage(), Some(6000));
        assert_eq!((m6.due, m6.closed, m6.share()), (0, 0, None));
    }
    // Another program has nothing due: no share either.
    let other = fig.programs.iter().find(|r| r.id != u16::from(program.0)).unwrap();
    assert_eq!(other.retained.retention_3m.share(), None);
    drop(svc);
    // The report, in JSON, CSV and Markdown.
    let out = run_bin(&["report", "--format", "json"], &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let find = |list: &str, id: u64| {
        json[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"].as_u64() == Some(id))
            .cloned()
            .unwrap()
    };
    for r in [
        find("programs", u64::from(program.0)),
        find("institutions", institution.0),
    ] {
        assert_eq!(r["retention_3m"]["count"], 1, "{r}");
        assert_eq!(r["retention_3m"]["closed"], 3);
        assert_eq!(r["retention_3m"]["due"], 4);
        assert!((r["retention_3m"]["share"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
        assert!(r["retention_6m"]["share"].is_null(), "{r}");
    }
    let (ok, csv) = run_cli(&["report", "--format", "csv"], &db);
    assert!(ok, "{csv}");
    assert!(
        csv.contains(&format!(
            "I{},京口测试职业培训学校,,retention_3m_count,1\n",
            institution.0
        )),
        "{csv}"
    );
    assert!(csv.contains(&format!(
        "I{},京口测试职业培训学校,,retention_6m_share,\n",
        institution.0
    )));
    let (ok, md) = run_cli(&["report", "--lang", "zh"], &db);
    assert!(ok, "{md}");
    assert!(
        md.contains("| 京口测试职业培训学校 | 4 | 33% (1/3) | 0 | — | 6,000 |"),
        "{md}"
    );
}

/// A trainee saved through the service (the city's district).
fn trainee_in(svc: &Service, n: u16) -> TraineeId {
    let t = Trainee {
        id: TraineeId(0),
        name: format!("测试{n}").into(),
        id_number: id_number(n),
        mobile: None,
        key_group: None,
        region: RegionId(0),
        wanted: vec![OccupationId(3)].into(),
        created: day(8, 1),
    };
    svc.save(t, &Actor::admin("root")).unwrap().id
}

/// Not-hired reasons per demand and per enterprise (#18): two referrals
/// not hired as 距离远, a third as 其他 then corrected (it no longer
/// counts); in the figures and the report (JSON, CSV, Markdown).
#[test]
fn not_hired_reasons_count_per_demand_and_enterprise() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let (town, demand): (City, DemandId);
    {
        let store = Store::open(&db).unwrap();
        town = city(&store, 4, 4);
        demand = town.demand.id;
        store.set_meta(META_AS_OF, "2025-10-15").unwrap();
        let svc = Service::open(store).unwrap();
        let admin = Actor::admin("root");
        let cases: Vec<CaseId> = (1..=3)
            .map(|n| {
                let t = trainee_in(&svc, n);
                let c = svc.enroll(t, town.class.id, &admin, "").unwrap().id;
                for mv in [
                    Move::StartTraining,
                    Move::SendToEvaluation,
                    pass(SkillLevel::L4),
                    Move::Refer(demand),
                ] {
                    svc.transition(c, mv, &admin, EARLY).unwrap();
                }
                c
            })
            .collect();
        svc.not_hired(cases[0], &admin, NotHiredReason::TooFar, "").unwrap();
        svc.not_hired(cases[1], &admin, NotHiredReason::TooFar, "").unwrap();
        svc.not_hired(cases[2], &admin, NotHiredReason::Other, "想回老家")
            .unwrap();
        let fig = skillbridge::figures::compute(&svc.read().data, Default::default(), svc.today());
        assert_eq!(fig.not_hired.total.total(), 3);
        let last = svc.events(cases[2]).unwrap().len() as u32 - 1;
        svc.correct(cases[2], &admin, last, "录错了，企业还在面试").unwrap();
        let fig = skillbridge::figures::compute(&svc.read().data, Default::default(), svc.today());
        let n = &fig.not_hired;
        assert_eq!((n.total.of(NotHiredReason::TooFar), n.total.total()), (2, 2));
        assert_eq!(n.demands.len(), 1);
        assert_eq!((n.demands[0].id, n.demands[0].reasons.total()), (demand.0, 2));
        assert_eq!(n.enterprises[0].id, town.enterprise.id.0);
        assert_eq!(n.enterprises[0].reasons.of(NotHiredReason::Other), 0);
        assert!(svc.check().problems.is_empty());
    }
    // Read again at a start: the same counts.
    let svc = Service::open(Store::open(&db).unwrap()).unwrap();
    let fig = skillbridge::figures::compute(&svc.read().data, Default::default(), svc.today());
    assert_eq!(fig.not_hired.total.of(NotHiredReason::TooFar), 2);
    drop(svc);
    let out = run_bin(&["report", "--format", "json"], &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &json["not_hired"]["enterprises"][0];
    assert_eq!(e["id"], town.enterprise.id.0, "{json}");
    assert_eq!(e["reasons"]["too_far"], 2);
    assert_eq!(e["reasons"]["other"], 0);
    assert_eq!(e["reasons"]["total"], 2);
    assert_eq!(json["not_hired"]["demands"][0]["id"], demand.0);
    let (ok, csv) = run_cli(&["report", "--format", "csv"], &db);
    assert!(ok, "{csv}");
    assert!(
        csv.contains(&format!("not_hired_demands,{demand},焊工,welder,too_far,2\n")),
        "{csv}"
    );
    assert!(csv.contains(&format!(
        "not_hired_enterprises,{},京口测试机械有限公司,,total,2\n",
        town.enterprise.id
    )));
    let (ok, md) = run_cli(&["report", "--lang", "zh"], &db);
    assert!(ok, "{md}");
    assert!(md.contains("## 未录用原因（按企业）"), "{md}");
    assert!(
        md.contains("| 京口测试机械有限公司 | 0 | 0 | 0 | 2 | 0 | 0 | 2 |"),
        "{md}"
    );
}
