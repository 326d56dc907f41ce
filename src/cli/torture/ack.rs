//! One line of the acknowledgement log per write: `class ID CAPACITY`,
//! `demand ID HEADCOUNT`, `trainee ID ID-NUMBER`, `case ID TRAINEE CLASS
//! EVENTS STATE`, `capacity-try CLASS CAPACITY` (written before the edit is
//! tried) and `capacity CLASS CAPACITY`. The crash test reads the log back
//! with this same file (`tests/e2e/crash.rs` includes it), so writer and
//! reader cannot drift apart.

use skillbridge::domain::*;
use std::fmt;

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
    #[cfg_attr(not(test), allow(dead_code))] // the reader is the crash test's
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

/// A token of [`state_token`] read back.
#[cfg_attr(not(test), allow(dead_code))] // the reader is the crash test's
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
