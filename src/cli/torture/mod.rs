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
//! `tests/e2e/crash.rs` kills this process at random moments, reopens the
//! database and checks that every acknowledged write is there. Refused
//! operations (a full class, an illegal move…) are part of the workload and
//! are not logged; a fault of the disk or the database stops the run.

mod ack;
mod work;

use super::args::TortureArgs;
use anyhow::Context;
use skillbridge::domain::Case;
use skillbridge::rng::Rng;
use skillbridge::store::{Store, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use thiserror::Error;
use work::{AckLog, Shared};

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

/// `skillbridge torture`: never on the operators' default database, which
/// it would fill with test data.
pub fn command(db: Option<PathBuf>, args: TortureArgs) -> anyhow::Result<ExitCode> {
    let db = db.context("torture writes test data and needs an explicit --db PATH (never the default database)")?;
    let s = run(&Options {
        db,
        ack_log: args.ack_log,
        seed: args.seed,
        threads: args.threads,
        max_acks: args.max_acks,
        max_time: args.max_seconds.map(Duration::from_secs),
    })?;
    eprintln!("torture: {} writes acknowledged, {} refused", s.acks, s.refused);
    Ok(ExitCode::SUCCESS)
}

/// Run the workload until killed, or until `max_acks` / `max_time`.
pub fn run(opts: &Options) -> Result<Summary, TortureError> {
    let store = Store::open(&opts.db)?;
    // Its classes take enrollments until they end (a city's policy), so
    // every thread keeps enrolling on its fixed business date.
    store.set_meta(skillbridge::store::META_ENROLL_SHARE, "1")?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&opts.ack_log)
        .map_err(|source| TortureError::Log {
            path: opts.ack_log.clone(),
            source,
        })?;
    let threads = opts.threads.max(1);
    let log = AckLog {
        file,
        path: opts.ack_log.clone(),
    };
    let shared = Arc::new(Shared::new(store, log, opts.clone()));
    shared.setup(&mut Rng(opts.seed))?;
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
    use super::ack::*;
    use super::*;
    use skillbridge::domain::*;

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
