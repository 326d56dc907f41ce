//! Nothing acknowledged is ever lost: `skillbridge torture` does
//! acknowledged writes from several threads and logs each one after its
//! flush returned; this test kills it with SIGKILL at a random moment,
//! reopens the database and checks that it opens, that `check` is clean and
//! that every acknowledged write is there.
//!
//! 50 kills by default; `SKILLBRIDGE_CRASH_ITERATIONS=1000` for the long
//! run. `SKILLBRIDGE_CRASH_SEED` repeats a run's choice of kill moments (the
//! seed is printed).

use skillbridge::domain::*;
use skillbridge::store::Store;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The acknowledgement log's line format: the same file the workload
/// writes it with.
#[path = "../../src/cli/torture/ack.rs"]
mod ack;
use ack::Ack;

/// Kills in a row on one database before starting a fresh one: recovery of
/// an already recovered database is tested too, while `check` stays quick.
const CHAIN: usize = 5;

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    Some(
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a whole number")),
    )
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// What the acknowledgement log promises.
#[derive(Default)]
struct Promised {
    trainees: HashMap<TraineeId, String>,
    /// case → (trainee, class, events, state at that event)
    cases: HashMap<CaseId, (TraineeId, ClassId, u32, CaseState)>,
    /// class → capacities it may hold (the last acknowledged one and any
    /// tried after it)
    capacities: HashMap<ClassId, BTreeSet<u32>>,
    demands: HashMap<DemandId, u32>,
    /// Acknowledged writes in the log.
    writes: u64,
}

fn read_log(path: &Path) -> Promised {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut p = Promised::default();
    // A line without its newline was cut by the kill: not acknowledged.
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    for line in complete.lines() {
        let ack = Ack::parse(line).unwrap_or_else(|| panic!("unreadable ack line {line:?}"));
        if !matches!(ack, Ack::CapacityTry { .. }) {
            p.writes += 1;
        }
        match ack {
            Ack::Class { id, capacity } | Ack::Capacity { class: id, capacity } => {
                p.capacities.insert(id, BTreeSet::from([capacity]));
            }
            // A capacity tried on a class whose capacity nothing promised
            // (its creation was not acknowledged) promises nothing either.
            Ack::CapacityTry { class, capacity } => {
                if let Some(allowed) = p.capacities.get_mut(&class) {
                    allowed.insert(capacity);
                }
            }
            Ack::Demand { id, headcount } => {
                p.demands.insert(id, headcount);
            }
            Ack::Trainee { id, id_number } => {
                p.trainees.insert(id, id_number);
            }
            Ack::Case {
                id,
                trainee,
                class,
                events,
                state,
            } => {
                let e = p.cases.entry(id).or_insert((trainee, class, 0, CaseState::Enrolled));
                assert!(events > e.2, "case {id}: event count went back in the log");
                *e = (trainee, class, events, state);
            }
        }
    }
    p
}

/// Every promise the database breaks. `kills` is how many runs on this
/// database were killed so far.
fn lost(store: &Store, p: &Promised, kills: u32) -> Vec<String> {
    let mut lost = Vec::new();
    for (id, id_number) in &p.trainees {
        match store.get::<Trainee>(id.0) {
            Ok(Some(t)) if t.id_number.as_str() == id_number => {}
            other => lost.push(format!("trainee {id} ({id_number}): {other:?}")),
        }
        let by_number = IdNumber::parse_on(id_number, far_future())
            .ok()
            .and_then(|n| store.trainee_by_id_number(&n).ok().flatten());
        if by_number.map(|t| t.id) != Some(*id) {
            lost.push(format!("trainee {id}: ID number {id_number} does not find it"));
        }
    }
    for (id, (trainee, class, events, state)) in &p.cases {
        let case = match store.get::<Case>(id.0) {
            Ok(Some(c)) => c,
            other => {
                lost.push(format!("case {id}: {other:?}"));
                continue;
            }
        };
        if case.trainee != *trainee || case.class != *class {
            lost.push(format!("case {id}: belongs to {} in {}", case.trainee, case.class));
        }
        // Each case is moved by one thread at a time, so each killed run
        // can have left at most one move on disk unacknowledged (the next
        // run carries on from there).
        if case.events < *events || case.events > events + kills {
            lost.push(format!(
                "case {id}: {} events, {events} acknowledged, {kills} kills",
                case.events
            ));
        }
        let evs = store.events_of(*id).unwrap();
        match evs.get(*events as usize - 1) {
            Some(ev) if ev.to == *state => {}
            other => lost.push(format!(
                "case {id}: event {} is {other:?}, acknowledged {state}",
                events - 1
            )),
        }
    }
    for (id, allowed) in &p.capacities {
        match store.get::<TrainingClass>(id.0) {
            Ok(Some(c)) if allowed.contains(&c.capacity) => {}
            other => lost.push(format!("class {id}: capacity one of {allowed:?}, found {other:?}")),
        }
    }
    for (id, headcount) in &p.demands {
        match store.get::<JobDemand>(id.0) {
            Ok(Some(d)) if d.headcount == *headcount => {}
            other => lost.push(format!("demand {id}: headcount {headcount}, found {other:?}")),
        }
    }
    lost
}

/// Wait until this process's sled threads let go of the database, so the
/// next torture run does not find it "open in another process".
fn wait_released(db: &Path) {
    let file = std::fs::File::open(db.join("db")).unwrap();
    let start = Instant::now();
    while file.try_lock().is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{} stays locked",
            db.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A date after every birth date the workload makes.
fn far_future() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap()
}

#[test]
fn killed_at_random_moments_nothing_acknowledged_is_lost() {
    let iterations = env_u64("SKILLBRIDGE_CRASH_ITERATIONS").unwrap_or(50);
    let seed = env_u64("SKILLBRIDGE_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    });
    eprintln!("crash test: {iterations} kills, SKILLBRIDGE_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let started = Instant::now();
    // Distinct acknowledged writes, and checks of them (a write is checked
    // again after every later kill on the same database).
    let (mut distinct, mut checked, mut lost_total, mut with_acks) = (0u64, 0u64, 0usize, 0u64);
    let mut dir = tempfile::tempdir().unwrap();
    for i in 0..iterations as usize {
        if i % CHAIN == 0 {
            dir = tempfile::tempdir().unwrap();
        }
        let db = dir.path().join("db");
        let log = dir.path().join("acks");
        let before = read_log(&log).writes;
        let stderr = std::fs::File::create(dir.path().join("stderr")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
            .arg("torture")
            .arg("--db")
            .arg(&db)
            .arg("--ack-log")
            .arg(&log)
            .args(["--seed", &(seed ^ i as u64).to_string(), "--threads", "3"])
            .args(["--max-seconds", "60"])
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        // Mostly mid-run; one kill in ten lands in start-up or recovery.
        let delay = if rng.below(10) == 0 {
            rng.below(40)
        } else {
            40 + rng.below(260)
        };
        std::thread::sleep(Duration::from_millis(delay));
        if let Some(status) = child.try_wait().unwrap() {
            let err = std::fs::read_to_string(dir.path().join("stderr")).unwrap_or_default();
            panic!("kill {i}: torture exited on its own ({status}) before the kill: {err}");
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let promised = read_log(&log);
        if promised.writes > before {
            with_acks += 1;
        }
        let store = match Store::reopen(&db) {
            Ok(s) => s,
            Err(e) => {
                let kept = dir.keep();
                panic!(
                    "kill {i} after {delay} ms (seed {seed}; database and log kept in {}): the database does not \
                     open: {e}",
                    kept.display()
                );
            }
        };
        let report = store.check();
        let missing = lost(&store, &promised, (i % CHAIN) as u32 + 1);
        if !report.problems.is_empty() || !missing.is_empty() {
            drop(store);
            let kept = dir.keep();
            panic!(
                "kill {i} after {delay} ms (seed {seed}; database and log kept in {}): check found {:#?}; {} \
                 acknowledged writes lost: {missing:#?}",
                kept.display(),
                report.problems,
                missing.len()
            );
        }
        distinct += promised.writes - before;
        checked += promised.writes;
        lost_total += missing.len();
        drop(store);
        wait_released(&db);
    }
    eprintln!(
        "crash test: {iterations} kills ({with_acks} after new acknowledgements), {distinct} acknowledged writes, \
         {checked} checks of them after kills, {lost_total} lost, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
