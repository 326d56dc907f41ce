//! The workload's moves: intakes, enrollments, case moves, capacity edits,
//! new classes and demands, each acknowledged in the log after its flush.

use super::ack::Ack;
use super::{Options, TortureError};
use chrono::NaiveDate;
use skillbridge::domain::*;
use skillbridge::rng::Rng;
use skillbridge::store::{Stamp, Store, StoreError};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// The acknowledgement log, shared by the threads.
pub(super) struct AckLog {
    pub file: std::fs::File,
    pub path: PathBuf,
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

pub(super) struct Shared {
    pub store: Store,
    log: Mutex<AckLog>,
    world: Mutex<World>,
    pub acks: AtomicU64,
    pub refused: AtomicU64,
    pub stop: AtomicBool,
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
    pub(super) fn new(store: Store, log: AckLog, opts: Options) -> Shared {
        Shared {
            store,
            log: Mutex::new(log),
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
            opts,
            started: Instant::now(),
        }
    }

    /// Find or create the institution, enterprise, classes and demands the
    /// workload needs; a database left by an earlier (killed) run is reused.
    pub(super) fn setup(&self, rng: &mut Rng) -> Result<(), TortureError> {
        let store = &self.store;
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
            let mut w = self.world()?;
            w.institution = institution.id;
            w.enterprise = enterprise.id;
            w.classes = store.all::<TrainingClass>()?.into_iter().map(|c| c.id).collect();
            w.demands = store.all::<JobDemand>()?.into_iter().map(|d| d.id).collect();
            w.trainees = store.all::<Trainee>()?.into_iter().map(|t| t.id).collect();
        }
        while self.world()?.classes.len() < MIN_CLASSES {
            self.new_class(rng)?;
        }
        while self.world()?.demands.len() < MIN_DEMANDS {
            self.new_demand(rng)?;
        }
        Ok(())
    }

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

    pub(super) fn work(&self, thread: usize, mut mine: Vec<Case>) -> Result<(), TortureError> {
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
