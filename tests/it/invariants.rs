//! Invariants under random work: random sequences of legal and illegal
//! operations (intakes, enrollments, every kind of case move, referrals to
//! random demands, capacity, headcount and status edits) run from several
//! threads at once on one store. After each sequence `Store::check()` must
//! be clean, and the same invariants are asserted directly: seats used =
//! active enrollments ≤ capacity, referrals + hires ≤ headcount, every
//! case's event chain legal, indexes equal to the primary data, and every
//! failure a refusal by the rules, never a fault.
//!
//! 48 sequences by default; `SKILLBRIDGE_PROPTEST_CASES=N` runs at least N.

use crate::common;

use common::*;
use proptest::prelude::*;
use skillbridge::domain::*;
use skillbridge::service::Data;
use skillbridge::store::{Stamp, Store, StoreError};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier, Mutex};

const THREADS: usize = 3;

/// Sequences run and cases reaching each state, printed (with
/// `--nocapture`) after the configured number of sequences.
static SEQUENCES: AtomicU32 = AtomicU32::new(0);
static STATES: [AtomicU32; 9] = [const { AtomicU32::new(0) }; 9];
static APPLIED: AtomicU32 = AtomicU32::new(0);
static REFUSED: AtomicU32 = AtomicU32::new(0);

const DEFAULT_CASES: u32 = 48;

/// The test's own case count, or `SKILLBRIDGE_PROPTEST_CASES` when that is larger.
fn cases(default: u32) -> u32 {
    match std::env::var("SKILLBRIDGE_PROPTEST_CASES") {
        Ok(v) => v
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("SKILLBRIDGE_PROPTEST_CASES={v:?} is not a whole number"))
            .max(default),
        Err(_) => default,
    }
}

#[derive(Debug, Clone)]
enum MoveSpec {
    /// The move the case's current state calls for (read before the move,
    /// so another thread may have moved it meanwhile): a pass or a fail at
    /// an evaluation, a hire or not after a referral, a referral to one of
    /// the demands.
    Next {
        pass: bool,
        demand: u8,
    },
    Start,
    SendToEvaluation,
    Certify {
        level: u8,
        theory: u8,
        practical: u8,
        panel: bool,
        certificate: bool,
    },
    Fail {
        theory: u8,
        practical: u8,
        panel: bool,
    },
    Retake,
    /// An index into the demands; one past the end names no demand.
    Refer(u8),
    Hire,
    NotHire,
    Withdraw {
        reason: bool,
    },
}

#[derive(Debug, Clone)]
enum Op {
    /// A new trainee; a small seed space makes duplicate ID numbers common.
    Intake(u16),
    /// A trainee with a region that does not exist.
    BadTrainee,
    Enroll {
        trainee: u8,
        class: u8,
    },
    Move {
        case: u8,
        mv: MoveSpec,
    },
    Capacity {
        class: u8,
        capacity: u8,
    },
    Headcount {
        demand: u8,
        headcount: u8,
    },
    ClassStatus {
        class: u8,
        status: u8,
    },
    DemandClosed {
        demand: u8,
        closed: bool,
    },
}

fn move_spec() -> impl Strategy<Value = MoveSpec> {
    prop_oneof![
        24 => (prop::bool::weighted(0.7), 0u8..4).prop_map(|(pass, demand)| MoveSpec::Next { pass, demand }),
        3 => Just(MoveSpec::Start),
        3 => Just(MoveSpec::SendToEvaluation),
        3 => (1u8..=5, 0u8..=110, 0u8..=110, any::<bool>(), prop::bool::weighted(0.9)).prop_map(
            |(level, theory, practical, panel, certificate)| MoveSpec::Certify {
                level,
                theory,
                practical,
                panel,
                certificate
            }
        ),
        2 => (0u8..=110, 0u8..=110, any::<bool>()).prop_map(|(theory, practical, panel)| MoveSpec::Fail {
            theory,
            practical,
            panel
        }),
        2 => Just(MoveSpec::Retake),
        4 => (0u8..4).prop_map(MoveSpec::Refer),
        3 => Just(MoveSpec::Hire),
        2 => Just(MoveSpec::NotHire),
        1 => prop::bool::weighted(0.8).prop_map(|reason| MoveSpec::Withdraw { reason }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u16..40).prop_map(Op::Intake),
        1 => Just(Op::BadTrainee),
        5 => (any::<u8>(), any::<u8>()).prop_map(|(trainee, class)| Op::Enroll { trainee, class }),
        12 => (any::<u8>(), move_spec()).prop_map(|(case, mv)| Op::Move { case, mv }),
        2 => (any::<u8>(), 0u8..6).prop_map(|(class, capacity)| Op::Capacity { class, capacity }),
        2 => (any::<u8>(), 0u8..5).prop_map(|(demand, headcount)| Op::Headcount { demand, headcount }),
        1 => (any::<u8>(), 0u8..5).prop_map(|(class, status)| Op::ClassStatus { class, status }),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(demand, closed)| Op::DemandClosed { demand, closed }),
    ]
}

/// The city one sequence works on.
struct World {
    store: Store,
    classes: Vec<ClassId>,
    /// The last one names a demand that does not exist.
    demands: Vec<DemandId>,
    trainees: Mutex<Vec<TraineeId>>,
    cases: Mutex<Vec<CaseId>>,
}

fn pick<T: Copy>(items: &[T], i: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[i as usize % items.len()])
}

fn level(n: u8) -> SkillLevel {
    SkillLevel::from_number(n).unwrap_or(SkillLevel::L5)
}

fn new_trainee(seed: u16) -> Trainee {
    Trainee {
        id: TraineeId(0),
        name: format!("随机{seed}").into(),
        id_number: id_number(500 + seed),
        mobile: None,
        key_group: None,
        region: RegionId((seed % 8) as u8),
        wanted: vec![OccupationId(3)].into(),
        created: day(8, 1),
    }
}

fn to_move(w: &World, case: CaseId, mv: &MoveSpec) -> Move {
    match mv {
        MoveSpec::Next { pass, demand } => {
            let state = w.store.get::<Case>(case.0).ok().flatten().map(|c| c.state);
            let (theory, practical) = if *pass { (75, 80) } else { (40, 80) };
            let next = match state {
                Some(CaseState::Enrolled) => MoveSpec::Start,
                Some(CaseState::InTraining) => MoveSpec::SendToEvaluation,
                Some(CaseState::AwaitingEvaluation) if *pass => MoveSpec::Certify {
                    level: 3 + demand % 3,
                    theory,
                    practical,
                    panel: false,
                    certificate: true,
                },
                Some(CaseState::AwaitingEvaluation) => MoveSpec::Fail {
                    theory,
                    practical,
                    panel: false,
                },
                Some(CaseState::NotCertified) => MoveSpec::Retake,
                Some(CaseState::Referred(_)) if *pass => MoveSpec::Hire,
                Some(CaseState::Referred(_)) => MoveSpec::NotHire,
                _ => MoveSpec::Refer(*demand),
            };
            to_move(w, case, &next)
        }
        MoveSpec::Start => Move::StartTraining,
        MoveSpec::SendToEvaluation => Move::SendToEvaluation,
        MoveSpec::Certify {
            level: l,
            theory,
            practical,
            panel,
            certificate,
        } => Move::Certify {
            level: level(*l),
            certificate: if *certificate { "ZJ-P-1".into() } else { " ".into() },
            evaluation: Evaluation {
                theory: *theory,
                practical: *practical,
                panel: *panel,
            },
        },
        MoveSpec::Fail {
            theory,
            practical,
            panel,
        } => Move::Fail {
            evaluation: Evaluation {
                theory: *theory,
                practical: *practical,
                panel: *panel,
            },
        },
        MoveSpec::Retake => Move::Retake,
        MoveSpec::Refer(i) => Move::Refer(w.demands[*i as usize % w.demands.len()]),
        MoveSpec::Hire => Move::Hire,
        MoveSpec::NotHire => Move::NotHire,
        MoveSpec::Withdraw { reason } => Move::Withdraw {
            reason: if *reason { "moved".into() } else { "".into() },
        },
    }
}

/// Run one operation; `Err` only for a fault (a refusal is `Ok`).
fn apply(w: &World, op: &Op, s: &Stamp) -> Result<(), StoreError> {
    let refusal_ok = |r: Result<(), StoreError>| match r {
        Err(e) if e.is_refusal() => {
            REFUSED.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Ok(()) => {
            APPLIED.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        other => other,
    };
    let store = &w.store;
    match op {
        Op::Intake(seed) => refusal_ok(store.save(new_trainee(*seed)).map(|t| {
            w.trainees.lock().unwrap().push(t.id);
        })),
        Op::BadTrainee => {
            let mut t = new_trainee(39);
            t.region = RegionId(200);
            match store.save(t) {
                Err(StoreError::Invalid(_)) => Ok(()),
                Err(e) => Err(e),
                Ok(t) => panic!("a trainee in region 200 was saved: {t:?}"),
            }
        }
        Op::Enroll { trainee, class } => {
            let trainee = pick(&w.trainees.lock().unwrap(), *trainee);
            let (Some(trainee), Some(class)) = (trainee, pick(&w.classes, *class)) else {
                return Ok(());
            };
            refusal_ok(store.enroll(trainee, class, s, "").map(|c| {
                w.cases.lock().unwrap().push(c.id);
            }))
        }
        Op::Move { case, mv } => {
            let Some(case) = pick(&w.cases.lock().unwrap(), *case) else {
                return Ok(());
            };
            refusal_ok(store.transition(case, to_move(w, case, mv), s, "").map(|_| ()))
        }
        Op::Capacity { class, capacity } => {
            let Some(class) = pick(&w.classes, *class) else {
                return Ok(());
            };
            let Some(mut c) = store.get::<TrainingClass>(class.0)? else {
                return Ok(());
            };
            c.capacity = u32::from(*capacity);
            refusal_ok(store.save(c).map(|_| ()))
        }
        Op::Headcount { demand, headcount } => {
            let Some(d) = pick(&w.demands[..w.demands.len() - 1], *demand) else {
                return Ok(());
            };
            let Some(mut d) = store.get::<JobDemand>(d.0)? else {
                return Ok(());
            };
            d.headcount = u32::from(*headcount);
            refusal_ok(store.save(d).map(|_| ()))
        }
        Op::ClassStatus { class, status } => {
            let Some(class) = pick(&w.classes, *class) else {
                return Ok(());
            };
            let Some(mut c) = store.get::<TrainingClass>(class.0)? else {
                return Ok(());
            };
            c.status = [
                ClassStatus::Planned,
                ClassStatus::Open,
                ClassStatus::Running,
                ClassStatus::Finished,
                ClassStatus::Cancelled,
            ][*status as usize % 5];
            refusal_ok(store.save(c).map(|_| ()))
        }
        Op::DemandClosed { demand, closed } => {
            let Some(d) = pick(&w.demands[..w.demands.len() - 1], *demand) else {
                return Ok(());
            };
            let Some(mut d) = store.get::<JobDemand>(d.0)? else {
                return Ok(());
            };
            d.status = if *closed {
                DemandStatus::Closed
            } else {
                DemandStatus::Open
            };
            refusal_ok(store.save(d).map(|_| ()))
        }
    }
}

fn build(store: Store, capacities: &[u32], headcounts: &[u32]) -> World {
    let c = city(&store, capacities[0], headcounts[0]);
    let mut classes = vec![c.class.id];
    for &capacity in &capacities[1..] {
        let mut more = c.class.clone();
        more.id = ClassId(0);
        more.capacity = capacity;
        classes.push(store.save(more).unwrap().id);
    }
    let mut demands = vec![c.demand.id];
    for (i, &headcount) in headcounts[1..].iter().enumerate() {
        let mut more = c.demand.clone();
        more.id = DemandId(0);
        more.headcount = headcount;
        more.min_level = [None, Some(SkillLevel::L3), Some(SkillLevel::L5)][i % 3];
        demands.push(store.save(more).unwrap().id);
    }
    demands.push(DemandId(9_999_999));
    let trainees = (1..=4).map(|n| trainee(&store, n).id).collect();
    World {
        store,
        classes,
        demands,
        trainees: Mutex::new(trainees),
        cases: Mutex::new(Vec::new()),
    }
}

/// The invariants, asserted on the primary data without `check`.
fn assert_invariants(store: &Store) -> Result<(), TestCaseError> {
    let cases = store.all::<Case>().unwrap();
    let classes = store.all::<TrainingClass>().unwrap();
    let demands = store.all::<JobDemand>().unwrap();
    let trainees = store.all::<Trainee>().unwrap();
    // What the service answers "the cases of a class / of a trainee" from.
    let data = Data::load(store).unwrap();
    for c in &classes {
        let active = cases.iter().filter(|k| k.class == c.id && k.state.holds_seat()).count() as u32;
        prop_assert_eq!(store.seats_used(c.id).unwrap(), active, "seats used of {}", c.id);
        prop_assert!(
            active <= c.capacity,
            "{}: {} active > capacity {}",
            c.id,
            active,
            c.capacity
        );
        let of_class: BTreeSet<CaseId> = data.class_cases(c.id).map(|k| k.id).collect();
        let want: BTreeSet<CaseId> = cases.iter().filter(|k| k.class == c.id).map(|k| k.id).collect();
        prop_assert_eq!(of_class, want, "cases_of_class({})", c.id);
    }
    for d in &demands {
        let referred = cases.iter().filter(|k| k.state.referral() == Some(d.id)).count() as u32;
        let hired = cases.iter().filter(|k| k.state.hired() == Some(d.id)).count() as u32;
        let u = store.demand_usage(d.id).unwrap();
        prop_assert_eq!((u.referred, u.hired), (referred, hired), "usage of {}", d.id);
        prop_assert!(
            referred + hired <= d.headcount,
            "{}: {}+{} > {}",
            d.id,
            referred,
            hired,
            d.headcount
        );
        if d.status != DemandStatus::Closed {
            prop_assert_eq!(
                d.status == DemandStatus::Filled,
                hired >= d.headcount,
                "status of {}",
                d.id
            );
        }
    }
    let mut seat_holders: HashMap<(TraineeId, ClassId), CaseId> = HashMap::new();
    for k in &cases {
        if k.state.holds_seat() {
            let twice = seat_holders.insert((k.trainee, k.class), k.id);
            prop_assert!(twice.is_none(), "{} holds two seats in {}", k.trainee, k.class);
        }
        let evs = store.events_of(k.id).unwrap();
        prop_assert_eq!(evs.len(), k.events as usize, "events of {}", k.id);
        let mut state: Option<CaseState> = None;
        for (i, ev) in evs.iter().enumerate() {
            prop_assert_eq!(ev.seq as usize, i);
            prop_assert_eq!(&ev.from, &state, "{} event {}", k.id, i);
            match (&ev.from, &ev.action) {
                (None, None) => prop_assert_eq!(&ev.to, &CaseState::Enrolled),
                (Some(from), Some(mv)) => {
                    let to = next_state(from, mv);
                    prop_assert_eq!(to.as_ref(), Ok(&ev.to), "{} event {}", k.id, i);
                }
                other => prop_assert!(false, "{} event {}: {:?}", k.id, i, other),
            }
            state = Some(ev.to.clone());
        }
        prop_assert_eq!(state.as_ref(), Some(&k.state), "last event of {}", k.id);
    }
    for t in &trainees {
        let found = store.trainee_by_id_number(&t.id_number).unwrap().map(|x| x.id);
        prop_assert_eq!(found, Some(t.id));
        let of_trainee: BTreeSet<CaseId> = data.trainee_cases(t.id).map(|k| k.id).collect();
        let want: BTreeSet<CaseId> = cases.iter().filter(|k| k.trainee == t.id).map(|k| k.id).collect();
        prop_assert_eq!(of_trainee, want);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(DEFAULT_CASES), ..ProptestConfig::default() })]

    #[test]
    fn random_work_from_several_threads_keeps_every_invariant(
        capacities in prop::collection::vec(1u32..4, 3),
        headcounts in prop::collection::vec(1u32..4, 3),
        work in prop::collection::vec(prop::collection::vec(op(), 0..40), THREADS),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let world = Arc::new(build(store, &capacities, &headcounts));
        let barrier = Arc::new(Barrier::new(THREADS));
        let handles: Vec<_> = work
            .into_iter()
            .map(|ops| {
                let world = world.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let s = stamp();
                    ops.iter().map(|op| apply(&world, op, &s).map_err(|e| format!("{op:?}: {e}"))).collect::<Result<Vec<()>, String>>()
                })
            })
            .collect();
        for h in handles {
            let r = h.join().expect("a worker thread panicked");
            prop_assert!(r.is_ok(), "a fault, not a refusal: {:?}", r);
        }
        let report = world.store.check();
        prop_assert!(report.problems.is_empty(), "check: {:?}", report.problems);
        assert_invariants(&world.store)?;
        for c in world.store.all::<Case>().unwrap() {
            let k = StateKind::ALL.iter().position(|k| *k == c.state.kind()).unwrap_or(0);
            STATES[k].fetch_add(1, Ordering::Relaxed);
        }
        if SEQUENCES.fetch_add(1, Ordering::Relaxed) + 1 == cases(DEFAULT_CASES) {
            let reached: Vec<String> = StateKind::ALL
                .iter()
                .zip(&STATES)
                .map(|(k, n)| format!("{} {}", k.name(), n.load(Ordering::Relaxed)))
                .collect();
            eprintln!(
                "invariants: {} sequences on {THREADS} threads, {} operations applied, {} refused; final case states: {}",
                cases(DEFAULT_CASES),
                APPLIED.load(Ordering::Relaxed),
                REFUSED.load(Ordering::Relaxed),
                reached.join(", ")
            );
        }
    }
}
