#![allow(dead_code)]
//! A small hand-made city for integration tests.

pub mod ssh;
pub mod subsidy;
pub mod tmux;
pub mod ui;

use chrono::NaiveDate;
use skillbridge::domain::*;
use skillbridge::store::{Stamp, Store};

pub fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

pub fn stamp() -> Stamp {
    Stamp {
        operator: "wang.fang".into(),
        at: 1_760_000_000,
        today: day(10, 15),
    }
}

pub struct City {
    pub institution: Institution,
    pub enterprise: Enterprise,
    pub demand: JobDemand,
    pub class: TrainingClass,
}

pub fn id_number(n: u16) -> IdNumber {
    IdNumber::from_parts("321102", day(1, 1) - chrono::Duration::days(365 * 30), n).unwrap()
}

pub fn trainee(store: &Store, n: u16) -> Trainee {
    store
        .save(Trainee {
            id: TraineeId(0),
            name: format!("测试{n}").into(),
            id_number: id_number(n),
            mobile: Mobile::parse("13912345678").ok(),
            key_group: None,
            region: RegionId(0),
            wanted: vec![OccupationId(3)].into(),
            created: day(8, 1),
        })
        .unwrap()
}

pub fn city(store: &Store, capacity: u32, headcount: u32) -> City {
    let institution = store
        .save(Institution {
            id: InstitutionId(0),
            name: "京口测试职业培训学校".into(),
            region: RegionId(0),
            stars: 4,
        })
        .unwrap();
    let enterprise = store
        .save(Enterprise {
            id: EnterpriseId(0),
            name: "京口测试机械有限公司".into(),
            region: RegionId(0),
            industry: "机械制造".into(),
            alliance: None,
        })
        .unwrap();
    let demand = store
        .save(JobDemand {
            id: DemandId(0),
            external_id: Some("X-1".into()),
            enterprise: enterprise.id,
            occupation: OccupationId(3),
            region: RegionId(0),
            kind: PostKind::Skilled,
            headcount,
            wage_min: 6000,
            wage_max: 9000,
            min_level: Some(SkillLevel::L4),
            posted: day(7, 1),
            status: DemandStatus::Open,
        })
        .unwrap();
    let class = store
        .save(TrainingClass {
            id: ClassId(0),
            name: "焊工补贴培训班".into(),
            institution: institution.id,
            occupation: OccupationId(3),
            region: RegionId(0),
            kind: ClassKind::Subsidized,
            program: ProgramId(1),
            quarter: Quarter { year: 2025, q: 4 },
            start: day(7, 1),
            end: day(11, 30),
            capacity,
            target_level: SkillLevel::L4,
            linked_demands: vec![],
            status: ClassStatus::Open,
        })
        .unwrap();
    // The test city takes enrollments until its classes end (a policy a
    // city may set), so tests enroll on any day of the class.
    store.set_meta(skillbridge::store::META_ENROLL_SHARE, "1").unwrap();
    City {
        institution,
        enterprise,
        demand,
        class,
    }
}

/// The note of an evaluation before the class ends: its documented reason.
pub const EARLY: &str = "early completion: test city";

pub fn pass(level: SkillLevel) -> Move {
    Move::Certify {
        level,
        certificate: "ZJ-TEST-1".into(),
        evaluation: Evaluation {
            theory: 80,
            practical: 85,
            panel: level.needs_panel(),
        },
    }
}

/// Walk a case to Certified at `level`.
pub fn certify(store: &Store, case: CaseId, level: SkillLevel) {
    let s = stamp();
    store.transition(case, Move::StartTraining, &s, "").unwrap();
    store.transition(case, Move::SendToEvaluation, &s, EARLY).unwrap();
    store.transition(case, pass(level), &s, "").unwrap();
}

/// `sled::open` on a database this process just closed: sled's IO pool
/// thread holds the file lock for a moment after the last handle drops.
pub fn raw_open(path: &std::path::Path) -> sled::Db {
    let start = std::time::Instant::now();
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(e) if start.elapsed() < std::time::Duration::from_secs(5) => {
                assert!(e.to_string().contains("could not acquire lock"), "{e}");
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => panic!("cannot open {} raw: {e}", path.display()),
        }
    }
}

/// Run the binary with `args` and `--db db` (never a database named by the
/// environment).
pub fn run_bin(args: &[&str], db: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("SKILLBRIDGE_DB")
        // The command line follows the locale: these tests read its English.
        .env("LC_ALL", "C")
        .output()
        .unwrap()
}

/// Run the binary with `--db db`; (succeeded, stdout + stderr). Fails the
/// test if the binary panicked.
pub fn run_cli(args: &[&str], db: &std::path::Path) -> (bool, String) {
    let out = run_bin(args, db);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("panicked"), "the binary panicked: {text}");
    (out.status.success(), text)
}

/// Build a demo city of `trainees` with the binary, into `dir/city`.
/// A demo city built in-process into a new database at `path` (the bulk
/// writer's layout: a case's events in one run).
pub fn demo_store(path: &std::path::Path, trainees: usize, seed: u64) -> Store {
    let store = Store::open(path).unwrap();
    skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees, seed }).unwrap();
    store
}

pub fn demo_city(dir: &std::path::Path, trainees: usize) -> std::path::PathBuf {
    let db = dir.join("city");
    let (ok, text) = run_cli(&["demo", "--build-only", "--trainees", &trainees.to_string()], &db);
    assert!(ok, "demo build failed: {text}");
    db
}
