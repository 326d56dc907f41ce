//! Store round trips, transactions, refusals and the integrity check.

use crate::common;

use common::*;
use skillbridge::domain::*;
use skillbridge::search::Query;
use skillbridge::service::{Data, Filters, SearchSpec, Service, Sort};
use skillbridge::store::{Store, StoreError};
use std::sync::{Arc, Barrier};

/// The ids a service's list of `kind` shows under `filters` (how the
/// workspace finds records by occupation or region).
fn listed(store: &Store, kind: Kind, filters: Filters) -> Vec<u64> {
    let svc = Service::open(store.clone()).unwrap();
    let spec = SearchSpec {
        kind,
        query: Query::parse(""),
        filters,
        sort: Sort::Relevance,
        districts: None,
    };
    let found = svc.read().search(&spec, None, &|| false).unwrap();
    svc.wait_for_search_cache();
    found.ids.to_vec()
}

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

#[test]
fn every_entity_round_trips_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let (city, t, case, events);
    {
        let store = Store::open(&path).unwrap();
        city = common::city(&store, 10, 3);
        t = trainee(&store, 1);
        case = store.enroll(t.id, city.class.id, &stamp(), "walk-in").unwrap();
        certify(&store, case.id, SkillLevel::L4);
        events = store.events_of(case.id).unwrap();
        assert_eq!(events.len(), 4);
        assert_eq!(
            store.get::<Institution>(city.institution.id.0).unwrap(),
            Some(city.institution.clone())
        );
        // drop without an explicit flush: every acknowledged write was flushed.
    }
    let store = Store::reopen(&path).unwrap();
    assert_eq!(
        store.get::<Institution>(city.institution.id.0).unwrap(),
        Some(city.institution)
    );
    assert_eq!(
        store.get::<Enterprise>(city.enterprise.id.0).unwrap(),
        Some(city.enterprise)
    );
    assert_eq!(store.get::<JobDemand>(city.demand.id.0).unwrap(), Some(city.demand));
    assert_eq!(
        store.get::<TrainingClass>(city.class.id.0).unwrap(),
        Some(city.class.clone())
    );
    assert_eq!(store.get::<Trainee>(t.id.0).unwrap(), Some(t.clone()));
    let back = store.get::<Case>(case.id.0).unwrap().unwrap();
    assert_eq!(back.state, CaseState::Certified(SkillLevel::L4));
    assert_eq!(back.certification.as_ref().unwrap().certificate, "ZJ-TEST-1");
    assert_eq!(store.events_of(case.id).unwrap(), events);
    assert_eq!(store.trainee_by_id_number(&t.id_number).unwrap(), Some(t.clone()));
    let data = Data::load(&store).unwrap();
    assert_eq!(data.class_cases(city.class.id).count(), 1);
    assert_eq!(data.trainee_cases(t.id).count(), 1);
    let occupation = |o| Filters {
        occupation: Some(OccupationId(o)),
        ..Filters::default()
    };
    let region = |r| Filters {
        region: Some(RegionId(r)),
        ..Filters::default()
    };
    assert_eq!(listed(&store, Kind::Demands, occupation(3)).len(), 1);
    assert_eq!(listed(&store, Kind::Classes, region(0)).len(), 1);
    assert_eq!(store.seats_used(city.class.id).unwrap(), 1);
    let report = store.check();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn updates_move_index_entries() {
    let (_d, store) = fresh();
    let city = common::city(&store, 10, 3);
    let mut c = city.class.clone();
    c.occupation = OccupationId(1);
    c.region = RegionId(3);
    store.save(c).unwrap();
    let occupation = |o| Filters {
        occupation: Some(OccupationId(o)),
        ..Filters::default()
    };
    assert!(listed(&store, Kind::Classes, occupation(3)).is_empty());
    assert_eq!(listed(&store, Kind::Classes, occupation(1)).len(), 1);
    let region = Filters {
        region: Some(RegionId(3)),
        ..Filters::default()
    };
    assert_eq!(listed(&store, Kind::Classes, region).len(), 1);
    assert!(store.check().problems.is_empty());
}

#[test]
fn duplicate_id_number_is_refused_naming_the_existing_person() {
    let (_d, store) = fresh();
    let first = trainee(&store, 7);
    let mut second = first.clone();
    second.id = TraineeId(0);
    second.name = "另一个人".into();
    match store.save(second) {
        Err(StoreError::DuplicateIdNumber { existing, id_number }) => {
            assert_eq!(existing, first.id);
            assert_eq!(id_number, first.id_number.as_str());
        }
        other => panic!("expected a duplicate refusal, got {other:?}"),
    }
    assert_eq!(store.count::<Trainee>(), 1);
}

#[test]
fn two_threads_racing_for_the_last_seat_exactly_one_wins() {
    for round in 0..20 {
        let (_d, store) = fresh();
        let city = common::city(&store, 1, 1);
        let a = trainee(&store, 2 * round + 1);
        let b = trainee(&store, 2 * round + 2);
        let barrier = Arc::new(Barrier::new(2));
        let results: Vec<_> = [a.id, b.id]
            .into_iter()
            .map(|t| {
                let store = store.clone();
                let barrier = barrier.clone();
                let class = city.class.id;
                std::thread::spawn(move || {
                    barrier.wait();
                    store.enroll(t, class, &stamp(), "")
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        let wins = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "round {round}: {results:?}");
        let loss = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        assert!(
            matches!(
                loss,
                StoreError::ClassFull {
                    used: 1,
                    capacity: 1,
                    ..
                }
            ),
            "{loss}"
        );
        assert_eq!(store.seats_used(city.class.id).unwrap(), 1);
        assert!(store.check().problems.is_empty());
    }
}

#[test]
fn enrollment_refusals() {
    let (_d, store) = fresh();
    let city = common::city(&store, 5, 1);
    let t = trainee(&store, 1);
    let case = store.enroll(t.id, city.class.id, &stamp(), "").unwrap();
    let again = store.enroll(t.id, city.class.id, &stamp(), "").unwrap_err();
    assert!(
        matches!(again, StoreError::AlreadyEnrolled { case: c, .. } if c == case.id),
        "{again}"
    );
    // A withdrawn case frees the seat and allows a new enrollment.
    store
        .transition(case.id, Move::Withdraw { reason: "ill".into() }, &stamp(), "")
        .unwrap();
    assert_eq!(store.seats_used(city.class.id).unwrap(), 0);
    store.enroll(t.id, city.class.id, &stamp(), "").unwrap();
    let mut finished = city.class.clone();
    finished.status = ClassStatus::Finished;
    store.save(finished).unwrap();
    let t2 = trainee(&store, 2);
    let e = store.enroll(t2.id, city.class.id, &stamp(), "").unwrap_err();
    assert!(e.to_string().contains("finished"), "{e}");
    let e = store
        .enroll(TraineeId(999_999), city.class.id, &stamp(), "")
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound { kind: "trainee", .. }), "{e}");
    // Capacity cannot drop below the seats taken.
    let mut small = store.get::<TrainingClass>(city.class.id.0).unwrap().unwrap();
    small.capacity = 0;
    assert!(store.save(small).is_err());
    assert!(store.check().problems.is_empty());
}

#[test]
fn referral_checks_headcount_level_and_fills_the_demand() {
    let (_d, store) = fresh();
    let city = common::city(&store, 5, 1);
    let (a, b, c) = (trainee(&store, 1), trainee(&store, 2), trainee(&store, 3));
    let ca = store.enroll(a.id, city.class.id, &stamp(), "").unwrap();
    let cb = store.enroll(b.id, city.class.id, &stamp(), "").unwrap();
    let cc = store.enroll(c.id, city.class.id, &stamp(), "").unwrap();
    certify(&store, ca.id, SkillLevel::L4);
    certify(&store, cb.id, SkillLevel::L4);
    certify(&store, cc.id, SkillLevel::L5);
    let d = city.demand.id;
    // Level 5 does not meet a demand for level 4.
    let e = store.transition(cc.id, Move::Refer(d), &stamp(), "").unwrap_err();
    assert!(matches!(e, StoreError::LevelTooLow { .. }), "{e}");
    store.transition(ca.id, Move::Refer(d), &stamp(), "").unwrap();
    let e = store.transition(cb.id, Move::Refer(d), &stamp(), "").unwrap_err();
    assert!(matches!(e, StoreError::DemandUnavailable { .. }), "{e}");
    assert!(e.to_string().contains("1 referred"), "{e}");
    // Not hired frees the post; the other trainee gets it and is hired.
    store.transition(ca.id, Move::NotHire, &stamp(), "").unwrap();
    store.transition(cb.id, Move::Refer(d), &stamp(), "").unwrap();
    let hired = store.transition(cb.id, Move::Hire, &stamp(), "").unwrap();
    assert_eq!(hired.state, CaseState::Employed(d));
    let demand = store.get::<JobDemand>(d.0).unwrap().unwrap();
    assert_eq!(demand.status, DemandStatus::Filled);
    let e = store.transition(ca.id, Move::Refer(d), &stamp(), "").unwrap_err();
    assert!(e.to_string().contains("filled"), "{e}");
    // Illegal moves are refused naming the state and the legal moves.
    let e = store.transition(cb.id, Move::StartTraining, &stamp(), "").unwrap_err();
    assert!(e.to_string().contains("none (the case is closed)"), "{e}");
    let events = store.events_of(ca.id).unwrap();
    assert_eq!(events.last().unwrap().operator, "wang.fang");
    assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
}

#[test]
fn a_future_schema_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    drop(Store::open(&path).unwrap());
    {
        let raw = raw_open(&path);
        raw.open_tree("meta")
            .unwrap()
            .insert("schema_version", &99u32.to_be_bytes())
            .unwrap();
        raw.flush().unwrap();
    }
    let e = Store::reopen(&path).err().expect("refused");
    assert!(matches!(e, StoreError::NewerSchema { found: 99, .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("newer skillbridge") && msg.contains(&path.display().to_string()),
        "{msg}"
    );
    let raw = raw_open(&path);
    assert_eq!(
        raw.open_tree("meta")
            .unwrap()
            .get("schema_version")
            .unwrap()
            .unwrap()
            .as_ref(),
        &99u32.to_be_bytes()
    );
}

#[test]
fn a_held_database_is_reported_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _held = Store::open(&path).unwrap();
    let e = Store::open(&path).err().expect("second open refused");
    assert!(matches!(e, StoreError::Locked { .. }), "{e}");
    // Another process.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["stats", "--db"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already open in another process"), "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(!err.contains("WouldBlock"), "{err}");
}

#[test]
fn check_finds_a_missing_index_entry_and_a_bad_counter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        let city = common::city(&store, 5, 1);
        let t = trainee(&store, 1);
        store.enroll(t.id, city.class.id, &stamp(), "").unwrap();
    }
    {
        let raw = raw_open(&path);
        raw.open_tree("idx_trainee_id_number").unwrap().clear().unwrap();
        let usage = raw.open_tree("class_usage").unwrap();
        let (k, _) = usage.iter().next().unwrap().unwrap();
        usage.insert(k, &7u32.to_be_bytes()).unwrap();
        raw.flush().unwrap();
    }
    let store = Store::reopen(&path).unwrap();
    let problems = store.check().problems;
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|p| p.contains("idx_trainee_id_number") && p.contains("missing")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|p| p.contains("counter says 7 seats used, cases say 1")),
        "{text:?}"
    );
}

#[test]
fn a_corrupted_value_is_reported_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let id;
    {
        let store = Store::open(&path).unwrap();
        id = trainee(&store, 1).id;
    }
    {
        let raw = raw_open(&path);
        raw.open_tree("trainees")
            .unwrap()
            .insert(id.0.to_be_bytes(), &[0xB1, 0, 1, 0xff, 0xff])
            .unwrap();
        raw.flush().unwrap();
    }
    let store = Store::reopen(&path).unwrap();
    let e = store.get::<Trainee>(id.0).unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("trainees"), "{e}");
    assert!(!store.check().problems.is_empty());
}

/// A bulk load (the demo city, a restore) keeps each case's events as one
/// item, a run (schema 5); a transaction appends single events after it.
/// The case's events, all events, `check`, a backup and its restore all
/// read one unbroken sequence.
#[test]
fn a_bulk_loaded_case_keeps_its_events_in_one_run_and_appends_after_it() {
    use skillbridge::io::backup;
    use skillbridge::store::TreeName;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = demo_store(&path, 200, 5);
    let cases: Vec<Case> = store.all().unwrap();
    let events = store.all_events().unwrap();
    // A run per case that has events (and a single event where the demo
    // came back to a case later): far fewer items than events.
    let with_events = cases.iter().filter(|c| c.events > 0).count();
    let items = store.items_in(TreeName::Events);
    assert!(
        items >= with_events && items * 2 < events.len(),
        "{items} items, {} events",
        events.len()
    );
    // Notes appended after a run, twice, to two cases.
    let mut noted = Vec::new();
    for c in cases.iter().filter(|c| c.events > 1) {
        if store.add_note(c.id, &stamp(), "第一条补记").is_ok() {
            store.add_note(c.id, &stamp(), "第二条补记").unwrap();
            noted.push(c.clone());
            if noted.len() == 2 {
                break;
            }
        }
    }
    assert_eq!(noted.len(), 2, "no case took a note");
    assert_eq!(store.items_in(TreeName::Events), items + 4);
    for c in &noted {
        let evs = store.events_of(c.id).unwrap();
        assert_eq!(evs.len(), c.events as usize + 2);
        assert!(
            evs.iter()
                .enumerate()
                .all(|(i, e)| e.seq as usize == i && e.case == c.id)
        );
        assert_eq!(evs[evs.len() - 1].note, "第二条补记");
        assert_eq!(
            evs[..c.events as usize],
            events.iter().filter(|e| e.case == c.id).cloned().collect::<Vec<_>>()[..]
        );
    }
    assert_eq!(store.all_events().unwrap().len(), events.len() + 4);
    assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
    // A backup reads them all; its restore writes one run per case.
    let file = dir.path().join("city.sbk");
    backup::backup(&store, &file).unwrap();
    drop(store);
    let again = dir.path().join("restored");
    backup::restore(&file, &again).unwrap();
    let restored = Store::open(&again).unwrap();
    // The notes appended as single events are in their cases' runs now
    // (a restore ends its writer every so many lines, which may leave a
    // case's later events single, as the demo build may).
    let restored_items = restored.items_in(TreeName::Events);
    assert!(
        restored_items >= with_events && restored_items < items + 4,
        "{restored_items} items, {with_events} cases, {items} + 4 before"
    );
    assert_eq!(restored.all_events().unwrap().len(), events.len() + 4);
    for c in &noted {
        assert_eq!(restored.events_of(c.id).unwrap().last().unwrap().note, "第二条补记");
    }
    assert!(restored.check().problems.is_empty());
}
