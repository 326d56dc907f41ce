//! Roles and district scope, held by the service: each role's refused
//! commands (and the role each refusal names), an operator scoped to a
//! district who cannot open, search or change a trainee of another, and
//! reveals, exports and imports recorded as access records.

use crate::common;

use common::{city, day, id_number, stamp};
use skillbridge::domain::access::OPERATOR_REVEALS_PER_DAY;
use skillbridge::domain::*;
use skillbridge::io::export::Format;
use skillbridge::search::Query;
use skillbridge::service::access::{AccessKind, Action, Actor, AuditFilter, Role};
use skillbridge::service::{Filters, SearchSpec, Service, Sort};
use skillbridge::store::{Store, StoreError};
use std::path::Path;
use std::sync::Arc;

/// 京口区 (321102) and 丹阳市 (321181).
const JINGKOU: RegionId = RegionId(0);
const DANYANG: RegionId = RegionId(3);

struct Town {
    svc: Arc<Service>,
    class: ClassId,
    demand: DemandId,
    /// A trainee of 京口 and one of 丹阳, each enrolled in the class.
    jingkou: (TraineeId, CaseId),
    danyang: (TraineeId, CaseId),
    _dir: tempfile::TempDir,
}

fn person(store: &Store, n: u16, name: &str, region: RegionId) -> TraineeId {
    store
        .save(Trainee {
            id: TraineeId(0),
            name: name.into(),
            id_number: id_number(n),
            mobile: Mobile::parse("13912341111").ok(),
            key_group: None,
            region,
            wanted: vec![OccupationId(3)].into(),
            created: day(8, 1),
        })
        .unwrap()
        .id
}

fn town() -> Town {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let c = city(&store, 10, 5);
    let a = person(&store, 11, "京口学员", JINGKOU);
    let b = person(&store, 12, "丹阳学员", DANYANG);
    let ca = store.enroll(a, c.class.id, &stamp(), "").unwrap().id;
    let cb = store.enroll(b, c.class.id, &stamp(), "").unwrap().id;
    Town {
        svc: Service::open(store).unwrap(),
        class: c.class.id,
        demand: c.demand.id,
        jingkou: (a, ca),
        danyang: (b, cb),
        _dir: dir,
    }
}

fn denied(e: StoreError) -> String {
    assert!(matches!(e, StoreError::Denied(_)), "not a refusal by role: {e}");
    e.to_string()
}

fn zhao() -> Actor {
    Actor::operator("zhao").in_districts(vec![JINGKOU])
}

fn new_trainee(n: u16, region: RegionId) -> Trainee {
    Trainee {
        id: TraineeId(0),
        name: format!("新学员{n}").into(),
        id_number: id_number(n),
        mobile: None,
        key_group: None,
        region,
        wanted: vec![].into(),
        created: day(9, 1),
    }
}

#[test]
fn each_role_is_refused_what_it_may_not_do_and_told_which_role_may() {
    let t = town();
    let svc = &t.svc;
    let kiosk = Actor::new("lobby", Role::Kiosk);
    let op = Actor::operator("wang");
    let sup = Actor::new("li", Role::Supervisor);
    let admin = Actor::admin("root");
    let dir = tempfile::tempdir().unwrap();

    // A kiosk key runs no service command at all.
    let e = denied(svc.enroll(t.jingkou.0, t.class, &kiosk, "").unwrap_err());
    assert!(
        e.contains("lobby (kiosk) may not enroll or refer a trainee: that needs the operator role"),
        "{e}"
    );
    assert!(svc.trainee_for(&kiosk, t.jingkou.0).is_err());
    assert!(svc.reveal(&kiosk, t.jingkou.0).is_err());

    // An operator: intake, case steps, pairing; no corrections, reference
    // data, imports, exports, checks, backups or access records.
    let saved = svc.save(new_trainee(30, JINGKOU), &op).unwrap();
    svc.transition(t.jingkou.1, Move::StartTraining, &op, "").unwrap();
    let renamed = Trainee {
        name: "改名".into(),
        ..saved.clone()
    };
    let e = denied(svc.save(renamed.clone(), &op).unwrap_err());
    assert!(
        e.contains("may not change an existing record: that needs the supervisor role or higher"),
        "{e}"
    );
    // Contact details stay the operator's to keep up.
    let moved = Trainee {
        mobile: Mobile::parse("13800001111").ok(),
        ..saved.clone()
    };
    svc.save(moved, &op).unwrap();
    let inst = svc.read().data.institutions.values().next().cloned().unwrap();
    let e = denied(svc.save(inst.clone(), &op).unwrap_err());
    assert!(
        e.contains("institutions, enterprises or settings: that needs the supervisor role"),
        "{e}"
    );
    assert!(svc.check_as(&op).is_err());
    assert!(svc.set_meta_as(&op, "labor_force", "1").is_err());
    assert!(svc.access_records(&op, &AuditFilter::default()).is_err());
    let mut sink = Vec::new();
    let e = svc
        .export_as(&op, Kind::Institutions, Format::Csv, &mut sink, "test")
        .unwrap_err()
        .to_string();
    assert!(e.contains("needs the supervisor role"), "{e}");
    let e = svc
        .backup_as(&op, &dir.path().join("op.backup"), "test")
        .unwrap_err()
        .to_string();
    assert!(e.contains("may not take a backup: that needs the admin role"), "{e}");
    let csv = dir.path().join("i.csv");
    std::fs::write(&csv, "机构名称,区域,信用星级\n新机构,京口区,3\n").unwrap();
    let opts = skillbridge::io::import::Options::default();
    let e = svc
        .import_plan_as(&op, Kind::Institutions, &csv, &opts)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("may not import a spreadsheet: that needs the supervisor role"),
        "{e}"
    );

    // A supervisor: corrections, reference data, imports, the check,
    // exports without personal data; no backups or trainee exports.
    svc.save(renamed, &sup).unwrap();
    svc.save(inst, &sup).unwrap();
    assert!(svc.check_as(&sup).unwrap().problems.is_empty());
    svc.export_as(&sup, Kind::Institutions, Format::Csv, &mut sink, "test")
        .unwrap();
    let e = svc
        .export_as(&sup, Kind::Trainees, Format::Csv, &mut sink, "test")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("may not export personal data (trainees): that needs the admin role"),
        "{e}"
    );
    assert!(svc.backup_as(&sup, &dir.path().join("sup.backup"), "test").is_err());
    let plan = svc.import_plan_as(&sup, Kind::Institutions, &csv, &opts).unwrap();
    svc.import_apply_as(&sup, plan, &Default::default(), &mut |_, _| {})
        .unwrap();

    // An admin: everything.
    svc.backup_as(&admin, &dir.path().join("admin.backup"), "test").unwrap();
    svc.export_as(&admin, Kind::Trainees, Format::Csv, &mut sink, "test")
        .unwrap();

    // Every role's limits in one table, as the service checks them.
    for (actor, action, ok) in [
        (&op, Action::Pairing, true),
        (&op, Action::Reveal, true),
        (&op, Action::Correct, false),
        (&sup, Action::Reveal, true),
        (&sup, Action::Restore, false),
        (&admin, Action::Restore, true),
        (&kiosk, Action::Read, false),
    ] {
        assert_eq!(svc.may(actor, action).is_ok(), ok, "{} {action:?}", actor.role);
    }
}

#[test]
fn a_district_scoped_operator_cannot_open_search_or_change_another_districts_trainee() {
    let t = town();
    let svc = &t.svc;
    let zhao = zhao();
    let (theirs, their_case) = t.danyang;
    let (mine, my_case) = t.jingkou;

    // Open.
    assert_eq!(svc.trainee_for(&zhao, mine).unwrap().name, "京口学员");
    let e = denied(svc.trainee_for(&zhao, theirs).unwrap_err());
    assert!(
        e.contains("zhao serves 321102 京口区") && e.contains("321181 丹阳市"),
        "{e}"
    );
    assert!(svc.case_for(&zhao, their_case).is_err());
    assert!(svc.case_for(&zhao, my_case).is_ok());
    assert!(!svc.serves(&zhao, theirs) && svc.serves(&zhao, mine));
    assert!(svc.reveal(&zhao, theirs).is_err());

    // Search: by name, by ID number, by nothing at all.
    let search = |kind: Kind, q: &str, districts: Option<Vec<RegionId>>| -> Vec<u64> {
        let spec = SearchSpec {
            kind,
            query: Query::parse(q),
            filters: Filters::default(),
            sort: Sort::Relevance,
            districts,
        };
        svc.read().search(&spec, None, &|| false).unwrap().ids.to_vec()
    };
    let scope = zhao.districts.clone();
    assert_eq!(search(Kind::Trainees, "丹阳学员", None), vec![theirs.0]);
    assert!(search(Kind::Trainees, "丹阳学员", scope.clone()).is_empty());
    assert_eq!(search(Kind::Trainees, id_number(12).as_str(), None), vec![theirs.0]);
    assert!(search(Kind::Trainees, id_number(12).as_str(), scope.clone()).is_empty());
    assert_eq!(search(Kind::Trainees, "", scope.clone()), vec![mine.0]);
    assert_eq!(search(Kind::Cases, "", scope.clone()), vec![my_case.0]);
    assert_eq!(search(Kind::Cases, "", None).len(), 2);
    // Lists without personal data are not scoped.
    assert_eq!(
        search(Kind::Classes, "", scope.clone()).len(),
        search(Kind::Classes, "", None).len()
    );

    // Change: a case step, an enrollment, an edit, an intake elsewhere.
    let e = denied(svc.transition(their_case, Move::StartTraining, &zhao, "").unwrap_err());
    assert!(e.contains("may not move a case for trainee"), "{e}");
    svc.transition(my_case, Move::StartTraining, &zhao, "").unwrap();
    assert!(svc.enroll(theirs, t.class, &zhao, "").is_err());
    let theirs_rec = svc.read().data.trainees[&theirs].clone();
    let e = denied(
        svc.save(
            Trainee {
                mobile: None,
                ..theirs_rec.clone()
            },
            &zhao,
        )
        .unwrap_err(),
    );
    assert!(e.contains("丹阳"), "{e}");
    assert!(svc.save(new_trainee(40, DANYANG), &zhao).is_err());
    svc.save(new_trainee(41, JINGKOU), &zhao).unwrap();
    // Moving one of theirs out of the district is a change outside it too.
    let mine_rec = svc.read().data.trainees[&mine].clone();
    assert!(
        svc.save(
            Trainee {
                region: DANYANG,
                ..mine_rec
            },
            &zhao
        )
        .is_err()
    );
    // Nothing of theirs changed.
    assert_eq!(svc.read().data.trainees[&theirs], theirs_rec);
    assert_eq!(svc.read().data.cases[&their_case].state, CaseState::Enrolled);
    let _ = t.demand;
}

#[test]
fn reveals_exports_and_imports_are_recorded_and_an_operator_reveals_a_limited_number() {
    let t = town();
    let svc = &t.svc;
    let op = Actor::operator("wang");
    let admin = Actor::admin("root");

    let r = svc.reveal(&op, t.jingkou.0).unwrap();
    assert_eq!(r.id_number, id_number(11));
    let mut sink = Vec::new();
    let n = svc
        .export_as(&admin, Kind::Trainees, Format::Csv, &mut sink, "to a test")
        .unwrap();
    assert_eq!(n, 2);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("t.csv");
    std::fs::write(&csv, format!("姓名,身份证号\n新来的,{}\n", id_number(50))).unwrap();
    let plan = svc
        .import_plan_as(&admin, Kind::Trainees, &csv, &Default::default())
        .unwrap();
    svc.import_apply_as(&admin, plan, &Default::default(), &mut |_, _| {})
        .unwrap();
    svc.backup_as(&admin, &dir.path().join("b.backup"), "test").unwrap();

    let all = svc.access_records(&admin, &AuditFilter::default()).unwrap();
    let seen: Vec<(AccessKind, &str, u64)> = all.iter().map(|e| (e.what, e.operator.as_str(), e.people)).collect();
    assert_eq!(
        seen,
        vec![
            (AccessKind::Reveal, "wang", 1),
            (AccessKind::Export, "root", 2),
            (AccessKind::Import, "root", 1),
            (AccessKind::Backup, "root", 3),
        ]
    );
    assert_eq!(all[0].role, "operator");
    assert!(all[0].detail.contains("京口学员"), "{}", all[0].detail);
    let only_wang = AuditFilter {
        operator: Some("wang".into()),
        ..Default::default()
    };
    assert_eq!(svc.access_records(&admin, &only_wang).unwrap().len(), 1);

    // An operator's reveals are limited a day; a supervisor's are not.
    for _ in 1..OPERATOR_REVEALS_PER_DAY {
        svc.reveal(&op, t.jingkou.0).unwrap();
    }
    let e = denied(svc.reveal(&op, t.jingkou.0).unwrap_err());
    assert!(e.contains("a supervisor may reveal more"), "{e}");
    svc.reveal(&Actor::new("li", Role::Supervisor), t.jingkou.0).unwrap();
}

#[test]
fn a_served_import_reads_only_the_import_directory() {
    let t = town();
    let svc = &t.svc;
    let admin = Actor::admin("root");
    let dir = tempfile::tempdir().unwrap();
    let imports = dir.path().join("imports");
    std::fs::create_dir(&imports).unwrap();
    svc.restrict_imports_to(imports.clone());
    let secret = dir.path().join("secret.csv");
    std::fs::write(&secret, "db_password=hunter2\n").unwrap();
    std::os::unix::fs::symlink(&secret, imports.join("link.csv")).unwrap();
    let opts = skillbridge::io::import::Options::default();
    for path in [secret.clone(), imports.join("link.csv"), imports.join("../secret.csv")] {
        let e = svc
            .import_plan_as(&admin, Kind::Trainees, &path, &opts)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("imports only regular files under"),
            "{}: {e}",
            path.display()
        );
        assert!(!e.contains("hunter2"), "{e}");
    }
    std::fs::write(imports.join("ok.csv"), "机构名称,区域,信用星级\n又一机构,京口区,3\n").unwrap();
    assert!(
        svc.import_plan_as(&admin, Kind::Institutions, Path::new("ok.csv"), &opts)
            .is_ok()
    );
}
