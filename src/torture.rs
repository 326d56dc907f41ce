//! The crash-test workload behind the hidden `skillbridge torture` command.
//!
//! Several threads do acknowledged writes in a loop on one store: intakes of
//! trainees, enrollments, every kind of case move (referrals among them),
//! class capacity edits, new classes and demands. A write is acknowledged
//! only after the store's flush has returned, and only then is one line
//! appended to the acknowledgement log (one `write` of the whole line, so a
//! process killed with SIGKILL leaves at most a partial last line, which
//! readers ignore). The log is not fsynced: it only has to survive the
//! process, not the machine.
//!
//! `tests/crash.rs` kills this process at random moments, reopens the
//! database and checks that every acknowledged write is there. Refused
//! operations (a full class, an illegal move…) are part of the workload and
//! are not logged; a fault of the disk or the database stops the run.

use crate::domain::*;
use crate::store::{Stamp, Store, StoreError};
use chrono::NaiveDate;
use std::fmt;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use thiserror::Error;

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub db: PathBuf,
    pub ack_log: PathBuf,
    pub seed: u64,
    pub threads: usize,
    /// Stop after this many acknowledgements (runs until killed otherwise).
    pub max_acks: Option<u64>,
    /// Stop after this long, a safety net for a test that dies before it
    /// kills its child.
    pub max_time: Option<Duration>,
}

#[derive(Debug, Error)]
pub enum TortureError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the acknowledgement log {path}: {source}. Pass --ack-log with a writable file path")]
    Log {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("a torture thread panicked: {0}")]
    Panicked(String),
}

/// What a finished run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub acks: u64,
    pub refused: u64,
}

/// One acknowledged write, as one line of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ack {
    /// A class was created with this capacity.
    Class { id: ClassId, capacity: u32 },
    /// A demand was created with this headcount.
    Demand { id: DemandId, headcount: u32 },
    /// A trainee was taken in with this ID number.
    Trainee { id: TraineeId, id_number: String },
    /// A case has (at least) `events` events, the last of which moved it to `state`.
    Case {
        id: CaseId,
        trainee: TraineeId,
        class: ClassId,
        events: u32,
        state: CaseState,
    },
    /// Written *before* a capacity edit is tried: the class may hold this
    /// capacity from now on even if no acknowledgement follows.
    CapacityTry { class: ClassId, capacity: u32 },
    /// A capacity edit was acknowledged.
    Capacity { class: ClassId, capacity: u32 },
}

impl Ack {
    /// Parse one line of the log; `None` for anything else.
    pub fn parse(line: &str) -> Option<Ack> {
        let f: Vec<&str> = line.split(' ').collect();
        let n = |i: usize| f.get(i).and_then(|s| s.parse::<u64>().ok());
        let n32 = |i: usize| f.get(i).and_then(|s| s.parse::<u32>().ok());
        Some(match (*f.first()?, f.len()) {
            ("class", 3) => Ack::Class {
                id: ClassId(n(1)?),
                capacity: n32(2)?,
            },
            ("demand", 3) => Ack::Demand {
                id: DemandId(n(1)?),
                headcount: n32(2)?,
            },
            ("trainee", 3) => Ack::Trainee {
                id: TraineeId(n(1)?),
                id_number: f[2].to_string(),
            },
            ("case", 6) => Ack::Case {
                id: CaseId(n(1)?),
                trainee: TraineeId(n(2)?),
                class: ClassId(n(3)?),
                events: n32(4)?,
                state: parse_state(f[5])?,
            },
            ("capacity-try", 3) => Ack::CapacityTry {
                class: ClassId(n(1)?),
                capacity: n32(2)?,
            },
            ("capacity", 3) => Ack::Capacity {
                class: ClassId(n(1)?),
                capacity: n32(2)?,
            },
            _ => return None,
        })
    }
}

impl fmt::Display for Ack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ack::Class { id, capacity } => write!(f, "class {} {capacity}", id.0),
            Ack::Demand { id, headcount } => write!(f, "demand {} {headcount}", id.0),
            Ack::Trainee { id, id_number } => write!(f, "trainee {} {id_number}", id.0),
            Ack::Case {
                id,
                trainee,
                class,
                events,
                state,
            } => write!(
                f,
                "case {} {} {} {events} {}",
                id.0,
                trainee.0,
                class.0,
                state_token(state)
            ),
            Ack::CapacityTry { class, capacity } => write!(f, "capacity-try {} {capacity}", class.0),
            Ack::Capacity { class, capacity } => write!(f, "capacity {} {capacity}", class.0),
        }
    }
}

/// A case state as one token: `enrolled`, `certified:4`, `referred:17`…
pub fn state_token(s: &CaseState) -> String {
    let name = s.kind().name();
    match s {
        CaseState::Certified(l) => format!("{name}:{}", l.number()),
        CaseState::Referred(d) | CaseState::NotHired(d) | CaseState::Employed(d) => format!("{name}:{}", d.0),
        _ => name.to_string(),
    }
}

pub fn parse_state(token: &str) -> Option<CaseState> {
    let (name, arg) = match token.split_once(':') {
        Some((n, a)) => (n, Some(a)),
        None => (token, None),
    };
    let demand = || arg.and_then(|a| a.parse::<u64>().ok()).map(DemandId);
    let kind = StateKind::ALL.into_iter().find(|k| k.name() == name)?;
    Some(match kind {
        StateKind::Enrolled => CaseState::Enrolled,
        StateKind::InTraining => CaseState::InTraining,
        StateKind::AwaitingEvaluation => CaseState::AwaitingEvaluation,
        StateKind::Certified => CaseState::Certified(SkillLevel::from_number(arg?.parse().ok()?)?),
        StateKind::NotCertified => CaseState::NotCertified,
        StateKind::Referred => CaseState::Referred(demand()?),
        StateKind::NotHired => CaseState::NotHired(demand()?),
        StateKind::Employed => CaseState::Employed(demand()?),
        StateKind::Withdrawn => CaseState::Withdrawn,
    })
}

use crate::rng::Rng;

/// The acknowledgement log, shared by the threads.
struct AckLog {
    file: std::fs::File,
    path: PathBuf,
}

impl AckLog {
    fn write(&mut self, ack: &Ack) -> Result<(), TortureError> {
        let line = format!("{ack}\n");
        self.file
            .write_all(line.as_bytes())
            .and_then(|_| self.file.flush())
            .map_err(|source| TortureError::Log {
                path: self.path.clone(),
                source,
            })
    }
}

/// Records every thread may use.
struct World {
    institution: InstitutionId,
    enterprise: EnterpriseId,
    classes: Vec<ClassId>,
    demands: Vec<DemandId>,
    trainees: Vec<TraineeId>,
}

struct Shared {
    store: Store,
    log: Mutex<AckLog>,
    world: Mutex<World>,
    acks: AtomicU64,
    refused: AtomicU64,
    stop: AtomicBool,
    opts: Options,
    started: Instant,
}

const INSTITUTION: &str = "压力测试职业培训学校";
const ENTERPRISE: &str = "压力测试机械制造有限公司";
const MIN_CLASSES: usize = 3;
const MIN_DEMANDS: usize = 3;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn stamp() -> Stamp {
    Stamp {
        operator: "torture".into(),
        at: chrono::Utc::now().timestamp(),
        today: day(2025, 10, 15),
    }
}

impl Shared {
    /// Append a line to the log (an intent or an acknowledgement).
    fn log(&self, line: Ack) -> Result<(), TortureError> {
        self.log
            .lock()
            .map_err(|e| TortureError::Panicked(e.to_string()))?
            .write(&line)
    }

    /// Log a write whose flush has returned.
    fn ack(&self, ack: Ack) -> Result<(), TortureError> {
        self.log(ack)?;
        let n = self.acks.fetch_add(1, Ordering::SeqCst) + 1;
        if self.opts.max_acks.is_some_and(|max| n >= max) {
            self.stop.store(true, Ordering::SeqCst);
        }
        Ok(())
    }

    fn world(&self) -> Result<std::sync::MutexGuard<'_, World>, TortureError> {
        self.world.lock().map_err(|e| TortureError::Panicked(e.to_string()))
    }

    /// Keep a refusal, stop on a fault.
    fn refused<T>(&self, r: Result<T, StoreError>) -> Result<Option<T>, TortureError> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_refusal() => {
                self.refused.fetch_add(1, Ordering::Relaxed);
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.opts.max_time.is_some_and(|t| self.started.elapsed() >= t)
    }

    fn new_class(&self, rng: &mut Rng) -> Result<(), TortureError> {
        let institution = self.world()?.institution;
        let class = TrainingClass {
            id: ClassId(0),
            name: format!("压测焊工班{}", rng.below(100_000)),
            institution,
            occupation: OccupationId(3),
            region: RegionId(rng.below(REGIONS.len() as u64) as u8),
            kind: ClassKind::Subsidized,
            program: ProgramId(1),
            quarter: Quarter { year: 2025, q: 4 },
            start: day(2025, 10, 1),
            end: day(2025, 11, 30),
            capacity: 3 + rng.below(10) as u32,
            target_level: SkillLevel::L4,
            linked_demands: vec![],
            status: ClassStatus::Open,
        };
        if let Some(c) = self.refused(self.store.save(class))? {
            self.ack(Ack::Class {
                id: c.id,
                capacity: c.capacity,
            })?;
            self.world()?.classes.push(c.id);
        }
        Ok(())
    }

    fn new_demand(&self, rng: &mut Rng) -> Result<(), TortureError> {
        let enterprise = self.world()?.enterprise;
        let demand = JobDemand {
            id: DemandId(0),
            external_id: None,
            enterprise,
            occupation: OccupationId(3),
            region: RegionId(rng.below(REGIONS.len() as u64) as u8),
            kind: PostKind::Skilled,
            headcount: 2 + rng.below(5) as u32,
            wage_min: 5000,
            wage_max: 8000,
            // Some demands ask for more than most certificates give.
            min_level: Some(if rng.percent(20) {
                SkillLevel::L3
            } else {
                SkillLevel::L5
            }),
            posted: day(2025, 9, 1),
            status: DemandStatus::Open,
        };
        if let Some(d) = self.refused(self.store.save(demand))? {
            self.ack(Ack::Demand {
                id: d.id,
                headcount: d.headcount,
            })?;
            self.world()?.demands.push(d.id);
        }
        Ok(())
    }

    fn intake(&self, rng: &mut Rng) -> Result<(), TortureError> {
        const ADDRESSES: [&str; 6] = ["321102", "321111", "321112", "321181", "321182", "321183"];
        let address = ADDRESSES[rng.below(ADDRESSES.len() as u64) as usize];
        let birth = day(1965, 1, 1) + chrono::Duration::days(rng.below(14_600) as i64);
        let Some(id_number) = IdNumber::from_parts(address, birth, rng.below(1000) as u16) else {
            return Ok(());
        };
        let n = rng.below(100_000_000);
        let trainee = Trainee {
            id: TraineeId(0),
            name: format!("压测学员{n}").into(),
            id_number,
            mobile: Mobile::parse(&format!("139{n:08}")).ok(),
            key_group: None,
            region: RegionId(rng.below(REGIONS.len() as u64) as u8),
            wanted: [OccupationId(3)].into_iter().collect(),
            created: day(2025, 10, 15),
        };
        // A duplicate ID number is refused: intake then means the existing
        // person, whose record some other write put there (not this one).
        if let Some(t) = self.refused(self.store.save(trainee))? {
            self.ack(Ack::Trainee {
                id: t.id,
                id_number: t.id_number.as_str().to_string(),
            })?;
            self.world()?.trainees.push(t.id);
        }
        Ok(())
    }

    fn enroll(&self, rng: &mut Rng, mine: &mut Vec<Case>) -> Result<(), TortureError> {
        let (trainee, class) = {
            let w = self.world()?;
            (rng.try_pick(&w.trainees).copied(), rng.try_pick(&w.classes).copied())
        };
        let (Some(trainee), Some(class)) = (trainee, class) else {
            return Ok(());
        };
        if let Some(case) = self.refused(self.store.enroll(trainee, class, &stamp(), "torture"))? {
            self.ack_case(&case)?;
            mine.push(case);
        }
        Ok(())
    }

    fn ack_case(&self, case: &Case) -> Result<(), TortureError> {
        self.ack(Ack::Case {
            id: case.id,
            trainee: case.trainee,
            class: case.class,
            events: case.events,
            state: case.state.clone(),
        })
    }

    /// Move one of this thread's open cases: mostly the step the state
    /// calls for, sometimes any move at all (illegal ones are refused).
    fn advance(&self, rng: &mut Rng, mine: &mut Vec<Case>) -> Result<(), TortureError> {
        if mine.is_empty() {
            return Ok(());
        }
        let i = rng.below(mine.len() as u64) as usize;
        let demand = rng.try_pick(&self.world()?.demands).copied().unwrap_or(DemandId(0));
        let mv = if rng.percent(15) {
            any_move(rng, demand)
        } else {
            natural_move(rng, &mine[i].state, demand)
        };
        if let Some(case) = self.refused(self.store.transition(mine[i].id, mv, &stamp(), "torture"))? {
            self.ack_case(&case)?;
            if case.state.is_final() {
                mine.swap_remove(i);
            } else {
                mine[i] = case;
            }
        }
        Ok(())
    }

    /// Change a class's capacity, sometimes below its seats taken (refused).
    fn edit_capacity(&self, rng: &mut Rng) -> Result<(), TortureError> {
        let Some(class) = rng.try_pick(&self.world()?.classes).copied() else {
            return Ok(());
        };
        let Some(mut c) = self.store.get::<TrainingClass>(class.0)? else {
            return Ok(());
        };
        let used = self.store.seats_used(class)?;
        c.capacity = (used + rng.below(4) as u32).saturating_sub(1);
        self.log(Ack::CapacityTry {
            class,
            capacity: c.capacity,
        })?;
        if let Some(c) = self.refused(self.store.save(c))? {
            self.ack(Ack::Capacity {
                class,
                capacity: c.capacity,
            })?;
        }
        Ok(())
    }

    fn work(&self, thread: usize, mut mine: Vec<Case>) -> Result<(), TortureError> {
        let mut rng = Rng(self.opts.seed ^ (thread as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        while !self.stopping() {
            let roll = rng.below(100);
            match roll {
                0..15 => self.intake(&mut rng)?,
                15..35 => self.enroll(&mut rng, &mut mine)?,
                35..90 => self.advance(&mut rng, &mut mine)?,
                // Capacity edits come from one thread only, so the log's
                // try/ack pairs for a class never interleave.
                90..95 if thread == 0 => self.edit_capacity(&mut rng)?,
                90..95 => self.advance(&mut rng, &mut mine)?,
                95..98 => self.new_demand(&mut rng)?,
                _ => self.new_class(&mut rng)?,
            }
        }
        Ok(())
    }
}

fn evaluation(rng: &mut Rng, pass: bool) -> Evaluation {
    let score = |rng: &mut Rng| {
        if pass {
            60 + rng.below(41) as u8
        } else {
            rng.below(60) as u8
        }
    };
    Evaluation {
        theory: score(rng),
        practical: score(rng),
        panel: pass,
    }
}

fn natural_move(rng: &mut Rng, state: &CaseState, demand: DemandId) -> Move {
    if rng.percent(4) {
        return Move::Withdraw {
            reason: "moved away".into(),
        };
    }
    match state {
        CaseState::Enrolled => Move::StartTraining,
        CaseState::InTraining => Move::SendToEvaluation,
        CaseState::AwaitingEvaluation if rng.percent(70) => Move::Certify {
            level: [SkillLevel::L5, SkillLevel::L4, SkillLevel::L3, SkillLevel::L2][rng.below(4) as usize],
            certificate: format!("ZJ-TORTURE-{}", rng.below(1_000_000)),
            evaluation: evaluation(rng, true),
        },
        CaseState::AwaitingEvaluation => Move::Fail {
            evaluation: evaluation(rng, false),
        },
        CaseState::NotCertified => Move::Retake,
        CaseState::Certified(_) | CaseState::NotHired(_) => Move::Refer(demand),
        CaseState::Referred(_) if rng.percent(60) => Move::Hire,
        CaseState::Referred(_) => Move::NotHire,
        CaseState::Employed(_) | CaseState::Withdrawn => Move::Hire,
    }
}

fn any_move(rng: &mut Rng, demand: DemandId) -> Move {
    let pass = rng.percent(50);
    match rng.below(9) {
        0 => Move::StartTraining,
        1 => Move::SendToEvaluation,
        2 => Move::Certify {
            level: SkillLevel::L4,
            certificate: String::new(),
            evaluation: evaluation(rng, pass),
        },
        3 => Move::Fail {
            evaluation: evaluation(rng, pass),
        },
        4 => Move::Retake,
        5 => Move::Refer(DemandId(demand.0 + rng.below(2))),
        6 => Move::Hire,
        7 => Move::NotHire,
        _ => Move::Withdraw {
            reason: if rng.percent(50) {
                " ".into()
            } else {
                "found work".into()
            },
        },
    }
}

/// Find or create the institution, enterprise, classes and demands the
/// workload needs; a database left by an earlier (killed) run is reused.
fn setup(shared: &Shared, rng: &mut Rng) -> Result<(), TortureError> {
    let store = &shared.store;
    let institution = match store.institution_by_name(INSTITUTION)? {
        Some(i) => i,
        None => store.save(Institution {
            id: InstitutionId(0),
            name: INSTITUTION.into(),
            region: RegionId(0),
            stars: 4,
        })?,
    };
    let enterprise = match store.enterprise_by_name(ENTERPRISE)? {
        Some(e) => e,
        None => store.save(Enterprise {
            id: EnterpriseId(0),
            name: ENTERPRISE.into(),
            region: RegionId(0),
            industry: "机械制造".into(),
            alliance: None,
        })?,
    };
    {
        let mut w = shared.world()?;
        w.institution = institution.id;
        w.enterprise = enterprise.id;
        w.classes = store.all::<TrainingClass>()?.into_iter().map(|c| c.id).collect();
        w.demands = store.all::<JobDemand>()?.into_iter().map(|d| d.id).collect();
        w.trainees = store.all::<Trainee>()?.into_iter().map(|t| t.id).collect();
    }
    while shared.world()?.classes.len() < MIN_CLASSES {
        shared.new_class(rng)?;
    }
    while shared.world()?.demands.len() < MIN_DEMANDS {
        shared.new_demand(rng)?;
    }
    Ok(())
}

/// Run the workload until killed, or until `max_acks` / `max_time`.
pub fn run(opts: &Options) -> Result<Summary, TortureError> {
    let store = Store::open(&opts.db)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&opts.ack_log)
        .map_err(|source| TortureError::Log {
            path: opts.ack_log.clone(),
            source,
        })?;
    let threads = opts.threads.max(1);
    let shared = Arc::new(Shared {
        store,
        log: Mutex::new(AckLog {
            file,
            path: opts.ack_log.clone(),
        }),
        world: Mutex::new(World {
            institution: InstitutionId(0),
            enterprise: EnterpriseId(0),
            classes: vec![],
            demands: vec![],
            trainees: vec![],
        }),
        acks: AtomicU64::new(0),
        refused: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        opts: opts.clone(),
        started: Instant::now(),
    });
    let mut rng = Rng(opts.seed);
    setup(&shared, &mut rng)?;
    // Open cases left by an earlier run are shared out by id, so each case
    // is only ever moved by one thread and its acknowledged event count
    // only grows.
    let mut open: Vec<Vec<Case>> = vec![Vec::new(); threads];
    for c in shared.store.all::<Case>()? {
        if !c.state.is_final() {
            open[(c.id.0 % threads as u64) as usize].push(c);
        }
    }
    let handles: Vec<_> = open
        .into_iter()
        .enumerate()
        .map(|(t, mine)| {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let r = shared.work(t, mine);
                if r.is_err() {
                    shared.stop.store(true, Ordering::SeqCst);
                }
                r
            })
        })
        .collect();
    let mut first_err = None;
    for h in handles {
        let r = h
            .join()
            .unwrap_or_else(|p| Err(TortureError::Panicked(format!("{p:?}"))));
        if let Err(e) = r {
            first_err.get_or_insert(e);
        }
    }
    if let Some(e) = first_err {
        return Err(e);
    }
    Ok(Summary {
        acks: shared.acks.load(Ordering::SeqCst),
        refused: shared.refused.load(Ordering::SeqCst),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ack_lines_round_trip() {
        let acks = [
            Ack::Class {
                id: ClassId(3),
                capacity: 9,
            },
            Ack::Demand {
                id: DemandId(4),
                headcount: 2,
            },
            Ack::Trainee {
                id: TraineeId(5),
                id_number: "11010519491231002X".into(),
            },
            Ack::Case {
                id: CaseId(6),
                trainee: TraineeId(5),
                class: ClassId(3),
                events: 4,
                state: CaseState::Certified(SkillLevel::L3),
            },
            Ack::Case {
                id: CaseId(6),
                trainee: TraineeId(5),
                class: ClassId(3),
                events: 5,
                state: CaseState::Referred(DemandId(4)),
            },
            Ack::CapacityTry {
                class: ClassId(3),
                capacity: 0,
            },
            Ack::Capacity {
                class: ClassId(3),
                capacity: 7,
            },
        ];
        for a in acks {
            assert_eq!(Ack::parse(&a.to_string()), Some(a.clone()), "{a}");
        }
        for bad in [
            "",
            "case 1 2",
            "case 1 2 3 4 certified:9",
            "trainee x 1",
            "case 1 2 3 4 referred",
        ] {
            assert_eq!(Ack::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_state_has_a_token() {
        for s in [
            CaseState::Enrolled,
            CaseState::InTraining,
            CaseState::AwaitingEvaluation,
            CaseState::Certified(SkillLevel::L1),
            CaseState::NotCertified,
            CaseState::Referred(DemandId(1)),
            CaseState::NotHired(DemandId(2)),
            CaseState::Employed(DemandId(3)),
            CaseState::Withdrawn,
        ] {
            assert_eq!(parse_state(&state_token(&s)), Some(s));
        }
    }

    #[test]
    fn a_bounded_run_logs_exactly_what_it_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let opts = Options {
            db: dir.path().join("db"),
            ack_log: dir.path().join("acks"),
            seed: 11,
            threads: 2,
            max_acks: Some(120),
            max_time: Some(Duration::from_secs(60)),
        };
        let s = run(&opts).unwrap();
        assert!(s.acks >= 120, "{s:?}");
        let text = std::fs::read_to_string(&opts.ack_log).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|l| Ack::parse(l).is_some()), "{text}");
        let acked = lines.iter().filter(|l| !l.starts_with("capacity-try")).count() as u64;
        assert_eq!(acked, s.acks);
        assert!(lines.iter().any(|l| l.starts_with("case ")), "{text}");
        let store = Store::reopen(&opts.db).unwrap();
        assert!(store.check().problems.is_empty());
    }
}
