//! `Store::save_many`: many records in one transaction, whole or not at all.

use crate::common;

use common::*;
use skillbridge::domain::*;
use skillbridge::store::{Store, StoreError};

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

fn person(n: u16) -> Trainee {
    Trainee {
        id: TraineeId(0),
        name: format!("批量{n}").into(),
        id_number: id_number(n),
        mobile: None,
        key_group: None,
        region: RegionId(1),
        wanted: vec![OccupationId(2)].into(),
        created: day(9, 1),
    }
}

#[test]
fn a_batch_is_written_whole_with_ids_in_order_and_its_indexes() {
    let (_d, store) = fresh();
    let saved = store.save_many((1..=500).map(person).collect()).unwrap();
    assert_eq!(saved.len(), 500);
    assert!(
        saved.windows(2).all(|w| w[0].id < w[1].id),
        "ids follow the input order"
    );
    assert_eq!(store.count::<Trainee>(), 500);
    let t = store.trainee_by_id_number(&id_number(321)).unwrap().unwrap();
    assert_eq!(t.name, "批量321");
    // Updates move index entries like `save` does.
    let mut changed = saved[..2].to_vec();
    changed[0].id_number = id_number(900);
    changed[1].name = "改名".into();
    store.save_many(changed).unwrap();
    assert!(store.trainee_by_id_number(&id_number(1)).unwrap().is_none());
    assert!(store.trainee_by_id_number(&id_number(900)).unwrap().is_some());
    assert_eq!(store.count::<Trainee>(), 500);
    let report = store.check();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn one_bad_record_refuses_the_whole_batch_and_names_it() {
    let (_d, store) = fresh();
    let existing = trainee(&store, 7);
    // Record 3 of the batch has the ID number of a stored trainee.
    let mut batch: Vec<Trainee> = (100..110).map(person).collect();
    batch[3].id_number = existing.id_number;
    let e = store.save_many(batch).unwrap_err();
    assert_eq!(e.index, 3);
    assert!(
        matches!(e.source, StoreError::DuplicateIdNumber { existing: id, .. } if id == existing.id),
        "{e}"
    );
    assert_eq!(store.count::<Trainee>(), 1, "nothing of the batch was written");
    assert!(store.trainee_by_id_number(&id_number(100)).unwrap().is_none());

    // Two records of one batch with the same ID number.
    let mut batch: Vec<Trainee> = (200..205).map(person).collect();
    batch[4].id_number = id_number(201);
    let e = store.save_many(batch).unwrap_err();
    assert_eq!(e.index, 4);
    assert_eq!(store.count::<Trainee>(), 1);

    // A field rule (checked before the transaction) and a reference rule (inside it).
    let mut batch: Vec<Trainee> = (300..303).map(person).collect();
    batch[2].name = "  ".into();
    let e = store.save_many(batch).unwrap_err();
    assert_eq!(e.index, 2);
    assert!(
        e.to_string().contains("record 2 of the batch") && e.to_string().contains("name"),
        "{e}"
    );
    let city = city(&store, 10, 5);
    let mut demands = vec![city.demand.clone(), city.demand.clone()];
    demands[0].id = DemandId(0);
    demands[1].id = DemandId(0);
    demands[1].enterprise = EnterpriseId(424_242);
    let e = store.save_many(demands).unwrap_err();
    assert_eq!(e.index, 1);
    assert!(
        matches!(e.source, StoreError::NotFound { kind: "enterprise", .. }),
        "{e}"
    );
    assert_eq!(store.count::<JobDemand>(), 1);
    assert!(store.check().problems.is_empty());
}
