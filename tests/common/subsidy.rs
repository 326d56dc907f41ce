#![allow(dead_code)]
//! A hand-made city for the subsidy tests (#21): two welders' classes that
//! have ended, five people, one of them already certified in the earlier
//! class; the business date 2025-12-10.

use super::*;
use skillbridge::domain::*;
use skillbridge::service::Service;
use skillbridge::store::Store;

/// A second class of the same trade that ended earlier, to hold a prior
/// subsidy, and the city: five people in the welders' class.
pub struct Town {
    pub class: ClassId,
    pub earlier: ClassId,
    pub people: Vec<TraineeId>,
}

fn town(store: &Store) -> Town {
    let c = city(store, 30, 5);
    let earlier = store
        .save(TrainingClass {
            id: ClassId(0),
            name: "焊工补贴培训班（早）".into(),
            start: day(6, 1),
            end: day(9, 30),
            quarter: Quarter { year: 2025, q: 3 },
            program: ProgramId(2),
            ..c.class.clone()
        })
        .unwrap();
    let s = stamp();
    let mut people = Vec::new();
    for n in 1..=5u16 {
        let mut t = trainee(store, n);
        if n == 2 {
            t.key_group = Some("就业困难人员".into());
            t = store.save(t).unwrap();
        }
        people.push(t.id);
    }
    // Person 4 was subsidized for welding at level 5 in the earlier class.
    let on = |m, d| skillbridge::store::Stamp {
        today: day(m, d),
        ..stamp()
    };
    let k = store.enroll(people[3], earlier.id, &on(6, 1), "").unwrap();
    store.transition(k.id, Move::StartTraining, &on(6, 2), "").unwrap();
    store.transition(k.id, Move::SendToEvaluation, &on(10, 1), "").unwrap();
    store.transition(k.id, pass(SkillLevel::L5), &on(10, 5), "").unwrap();
    for (i, t) in people.iter().enumerate() {
        let k = store.enroll(*t, c.class.id, &s, "second class: test").unwrap();
        if i != 2 {
            certify(store, k.id, SkillLevel::L5);
        }
    }
    Town {
        class: c.class.id,
        earlier: earlier.id,
        people,
    }
}

pub fn open(dir: &std::path::Path) -> (std::sync::Arc<Service>, Town) {
    let store = Store::open(&dir.join("db")).unwrap();
    let t = town(&store);
    store.set_meta(skillbridge::store::META_AS_OF, "2025-12-10").unwrap();
    (Service::open(store).unwrap(), t)
}

/// The town in `dir/db`, closed again (for the real binary to open).
pub fn make(dir: &std::path::Path) -> Town {
    let store = Store::open(&dir.join("db")).unwrap();
    let t = town(&store);
    store.set_meta(skillbridge::store::META_AS_OF, "2025-12-10").unwrap();
    store
        .set_subsidy_standards(&skillbridge::domain::subsidy::Standards::sample(), &stamp())
        .unwrap();
    store.flush().unwrap();
    t
}
