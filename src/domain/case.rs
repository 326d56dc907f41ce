//! The case state machine: one trainee in one class.
//!
//! ```text
//! Enrolled → InTraining → AwaitingEvaluation → Certified(level) → Referred(demand) → Employed
//!                                           ↘ NotCertified → AwaitingEvaluation (retake)
//!                                                       Referred → NotHired → Referred (another demand)
//! any state before Employed → Withdrawn (reason)
//! ```

use super::catalog::SkillLevel;
use super::entities::DemandId;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Where a case stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseState {
    Enrolled,
    InTraining,
    AwaitingEvaluation,
    Certified(SkillLevel),
    NotCertified,
    Referred(DemandId),
    NotHired(DemandId),
    Employed(DemandId),
    Withdrawn,
}

/// The kind of a state, without its data: for counting and display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StateKind {
    Enrolled,
    InTraining,
    AwaitingEvaluation,
    Certified,
    NotCertified,
    Referred,
    NotHired,
    Employed,
    Withdrawn,
}

impl StateKind {
    pub const ALL: [StateKind; 9] = [
        StateKind::Enrolled,
        StateKind::InTraining,
        StateKind::AwaitingEvaluation,
        StateKind::Certified,
        StateKind::NotCertified,
        StateKind::Referred,
        StateKind::NotHired,
        StateKind::Employed,
        StateKind::Withdrawn,
    ];
    /// The stable machine name (used in JSON and the CLI).
    pub fn name(self) -> &'static str {
        match self {
            StateKind::Enrolled => "enrolled",
            StateKind::InTraining => "in_training",
            StateKind::AwaitingEvaluation => "awaiting_evaluation",
            StateKind::Certified => "certified",
            StateKind::NotCertified => "not_certified",
            StateKind::Referred => "referred",
            StateKind::NotHired => "not_hired",
            StateKind::Employed => "employed",
            StateKind::Withdrawn => "withdrawn",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            StateKind::Enrolled => "已报名",
            StateKind::InTraining => "培训中",
            StateKind::AwaitingEvaluation => "待评价",
            StateKind::Certified => "已取证",
            StateKind::NotCertified => "未通过",
            StateKind::Referred => "已推荐",
            StateKind::NotHired => "未录用",
            StateKind::Employed => "已就业",
            StateKind::Withdrawn => "已退训",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            StateKind::Enrolled => "enrolled",
            StateKind::InTraining => "in training",
            StateKind::AwaitingEvaluation => "awaiting evaluation",
            StateKind::Certified => "certified",
            StateKind::NotCertified => "not certified",
            StateKind::Referred => "referred",
            StateKind::NotHired => "not hired",
            StateKind::Employed => "employed",
            StateKind::Withdrawn => "withdrawn",
        }
    }
}

impl CaseState {
    pub fn kind(&self) -> StateKind {
        match self {
            CaseState::Enrolled => StateKind::Enrolled,
            CaseState::InTraining => StateKind::InTraining,
            CaseState::AwaitingEvaluation => StateKind::AwaitingEvaluation,
            CaseState::Certified(_) => StateKind::Certified,
            CaseState::NotCertified => StateKind::NotCertified,
            CaseState::Referred(_) => StateKind::Referred,
            CaseState::NotHired(_) => StateKind::NotHired,
            CaseState::Employed(_) => StateKind::Employed,
            CaseState::Withdrawn => StateKind::Withdrawn,
        }
    }
    /// A case that holds a seat in its class.
    pub fn holds_seat(&self) -> bool {
        !matches!(self, CaseState::Withdrawn)
    }
    /// The demand a case currently holds a referral slot of.
    pub fn referral(&self) -> Option<DemandId> {
        match self {
            CaseState::Referred(d) => Some(*d),
            _ => None,
        }
    }
    /// The demand a case was hired into.
    pub fn hired(&self) -> Option<DemandId> {
        match self {
            CaseState::Employed(d) => Some(*d),
            _ => None,
        }
    }
    pub fn is_final(&self) -> bool {
        matches!(self, CaseState::Employed(_) | CaseState::Withdrawn)
    }
}

impl fmt::Display for CaseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseState::Certified(l) => write!(f, "certified ({})", l.en()),
            CaseState::Referred(d) => write!(f, "referred (demand #{})", d.0),
            CaseState::NotHired(d) => write!(f, "not hired (demand #{})", d.0),
            CaseState::Employed(d) => write!(f, "employed (demand #{})", d.0),
            other => f.write_str(other.kind().en()),
        }
    }
}

/// An evaluation result: theory and practical scores out of 100.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Evaluation {
    pub theory: u8,
    pub practical: u8,
    /// Panel review passed (needed for 二级 and 一级).
    pub panel: bool,
}

pub const PASS_MARK: u8 = 60;

/// A step a case can take.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Move {
    StartTraining,
    SendToEvaluation,
    /// A pass: the level certified and the certificate number.
    Certify {
        level: SkillLevel,
        certificate: String,
        evaluation: Evaluation,
    },
    /// A fail.
    Fail {
        evaluation: Evaluation,
    },
    /// NotCertified → AwaitingEvaluation.
    Retake,
    Refer(DemandId),
    Hire,
    NotHire,
    Withdraw {
        reason: String,
    },
    // Appended after the first format (EVENT_VERSION 1): an event of
    // version 1 reads unchanged. These are read by `aftercare::apply`;
    // only `NotHireFor` is a step of the state machine.
    /// A follow-up after a hire: the state stays Employed.
    FollowUp {
        months: u8,
        outcome: super::aftercare::FollowUpOutcome,
        wage: Option<u32>,
    },
    /// A case note (the event's note holds the text): the state stays.
    Note,
    /// Undo event `undoes`, the latest step not yet undone.
    Correct {
        undoes: u32,
        reason: String,
    },
    /// Not hired, with the reason code (`Other`: the note says what).
    NotHireFor(super::aftercare::NotHiredReason),
}

/// The kind of a move, without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MoveKind {
    StartTraining,
    SendToEvaluation,
    Certify,
    Fail,
    Retake,
    Refer,
    Hire,
    NotHire,
    Withdraw,
    FollowUp,
    Note,
    Correct,
}

impl MoveKind {
    pub fn name(self) -> &'static str {
        match self {
            MoveKind::StartTraining => "start training",
            MoveKind::SendToEvaluation => "send to evaluation",
            MoveKind::Certify => "record a pass",
            MoveKind::Fail => "record a fail",
            MoveKind::Retake => "retake the evaluation",
            MoveKind::Refer => "refer to a demand",
            MoveKind::Hire => "hired",
            MoveKind::NotHire => "not hired",
            MoveKind::Withdraw => "withdraw",
            MoveKind::FollowUp => "record a follow-up",
            MoveKind::Note => "add a note",
            MoveKind::Correct => "correct a step",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            MoveKind::StartTraining => "开始培训",
            MoveKind::SendToEvaluation => "送评价",
            MoveKind::Certify => "评价通过",
            MoveKind::Fail => "评价未通过",
            MoveKind::Retake => "补考",
            MoveKind::Refer => "推荐岗位",
            MoveKind::Hire => "已录用",
            MoveKind::NotHire => "未录用",
            MoveKind::Withdraw => "退训",
            MoveKind::FollowUp => "就业回访",
            MoveKind::Note => "备注",
            MoveKind::Correct => "更正",
        }
    }
}

impl Move {
    pub fn kind(&self) -> MoveKind {
        match self {
            Move::StartTraining => MoveKind::StartTraining,
            Move::SendToEvaluation => MoveKind::SendToEvaluation,
            Move::Certify { .. } => MoveKind::Certify,
            Move::Fail { .. } => MoveKind::Fail,
            Move::Retake => MoveKind::Retake,
            Move::Refer(_) => MoveKind::Refer,
            Move::Hire => MoveKind::Hire,
            Move::NotHire | Move::NotHireFor(_) => MoveKind::NotHire,
            Move::Withdraw { .. } => MoveKind::Withdraw,
            Move::FollowUp { .. } => MoveKind::FollowUp,
            Move::Note => MoveKind::Note,
            Move::Correct { .. } => MoveKind::Correct,
        }
    }
}

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("cannot {} a case that is {state}; legal moves: {}", .attempted.name(), list_moves(.legal))]
    Illegal {
        state: CaseState,
        attempted: MoveKind,
        legal: Vec<MoveKind>,
    },
    #[error("score {value} for {what} is out of range: expected 0 to 100")]
    ScoreOutOfRange { what: &'static str, value: u8 },
    #[error(
        "a pass needs theory and practical scores of at least {PASS_MARK}; got theory {theory}, practical {practical}"
    )]
    PassBelowMark { theory: u8, practical: u8 },
    #[error("{} also needs a passed panel review", .0.en())]
    PanelRequired(SkillLevel),
    #[error(
        "a fail needs a score under {PASS_MARK} or a failed panel review; theory {theory} and practical {practical} pass"
    )]
    FailAboveMark { theory: u8, practical: u8 },
    #[error("a certificate number is required for a pass")]
    CertificateMissing,
    #[error("a reason is required to withdraw")]
    ReasonMissing,
}

fn list_moves(moves: &[MoveKind]) -> String {
    if moves.is_empty() {
        "none (the case is closed)".to_string()
    } else {
        moves.iter().map(|m| m.name()).collect::<Vec<_>>().join(", ")
    }
}

/// The moves a state allows.
pub fn legal_moves(state: &CaseState) -> &'static [MoveKind] {
    use MoveKind as M;
    match state {
        CaseState::Enrolled => &[M::StartTraining, M::Withdraw],
        CaseState::InTraining => &[M::SendToEvaluation, M::Withdraw],
        CaseState::AwaitingEvaluation => &[M::Certify, M::Fail, M::Withdraw],
        CaseState::Certified(_) => &[M::Refer, M::Withdraw],
        CaseState::NotCertified => &[M::Retake, M::Withdraw],
        CaseState::Referred(_) => &[M::Hire, M::NotHire, M::Withdraw],
        CaseState::NotHired(_) => &[M::Refer, M::Withdraw],
        CaseState::Employed(_) | CaseState::Withdrawn => &[],
    }
}

fn check_scores(e: &Evaluation) -> Result<(), TransitionError> {
    for (what, value) in [("theory", e.theory), ("practical", e.practical)] {
        if value > 100 {
            return Err(TransitionError::ScoreOutOfRange { what, value });
        }
    }
    Ok(())
}

/// The one transition function: the next state, or why not. Rules that
/// need other records (seats, open headcount, the level a demand asks for)
/// are checked by the store inside the same transaction.
pub fn next_state(state: &CaseState, mv: &Move) -> Result<CaseState, TransitionError> {
    let legal = legal_moves(state);
    if !legal.contains(&mv.kind()) {
        return Err(TransitionError::Illegal {
            state: state.clone(),
            attempted: mv.kind(),
            legal: legal.to_vec(),
        });
    }
    Ok(match (state, mv) {
        (CaseState::Enrolled, Move::StartTraining) => CaseState::InTraining,
        (CaseState::InTraining, Move::SendToEvaluation) => CaseState::AwaitingEvaluation,
        (
            CaseState::AwaitingEvaluation,
            Move::Certify {
                level,
                certificate,
                evaluation,
            },
        ) => {
            check_scores(evaluation)?;
            if evaluation.theory < PASS_MARK || evaluation.practical < PASS_MARK {
                return Err(TransitionError::PassBelowMark {
                    theory: evaluation.theory,
                    practical: evaluation.practical,
                });
            }
            if level.needs_panel() && !evaluation.panel {
                return Err(TransitionError::PanelRequired(*level));
            }
            if certificate.trim().is_empty() {
                return Err(TransitionError::CertificateMissing);
            }
            CaseState::Certified(*level)
        }
        (CaseState::AwaitingEvaluation, Move::Fail { evaluation }) => {
            check_scores(evaluation)?;
            // A fail on scores that pass is allowed only as a failed panel.
            if evaluation.theory >= PASS_MARK && evaluation.practical >= PASS_MARK && evaluation.panel {
                return Err(TransitionError::FailAboveMark {
                    theory: evaluation.theory,
                    practical: evaluation.practical,
                });
            }
            CaseState::NotCertified
        }
        (CaseState::NotCertified, Move::Retake) => CaseState::AwaitingEvaluation,
        (CaseState::Certified(_) | CaseState::NotHired(_), Move::Refer(d)) => CaseState::Referred(*d),
        (CaseState::Referred(d), Move::Hire) => CaseState::Employed(*d),
        (CaseState::Referred(d), Move::NotHire | Move::NotHireFor(_)) => CaseState::NotHired(*d),
        (_, Move::Withdraw { reason }) => {
            if reason.trim().is_empty() {
                return Err(TransitionError::ReasonMissing);
            }
            CaseState::Withdrawn
        }
        // legal_moves() and this match agree; anything else is illegal.
        _ => {
            return Err(TransitionError::Illegal {
                state: state.clone(),
                attempted: mv.kind(),
                legal: legal.to_vec(),
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(t: u8, p: u8, panel: bool) -> Evaluation {
        Evaluation {
            theory: t,
            practical: p,
            panel,
        }
    }

    fn all_states() -> Vec<CaseState> {
        vec![
            CaseState::Enrolled,
            CaseState::InTraining,
            CaseState::AwaitingEvaluation,
            CaseState::Certified(SkillLevel::L4),
            CaseState::NotCertified,
            CaseState::Referred(DemandId(7)),
            CaseState::NotHired(DemandId(7)),
            CaseState::Employed(DemandId(7)),
            CaseState::Withdrawn,
        ]
    }

    fn sample_moves() -> Vec<Move> {
        vec![
            Move::StartTraining,
            Move::SendToEvaluation,
            Move::Certify {
                level: SkillLevel::L4,
                certificate: "C-1".into(),
                evaluation: eval(80, 75, false),
            },
            Move::Fail {
                evaluation: eval(50, 70, false),
            },
            Move::Retake,
            Move::Refer(DemandId(9)),
            Move::Hire,
            Move::NotHire,
            Move::Withdraw {
                reason: "moved away".into(),
            },
        ]
    }

    /// Every (state, move) pair: legal ones land where the diagram says,
    /// illegal ones are refused naming the state and the legal moves.
    #[test]
    fn every_pair_of_state_and_move() {
        let expected = |s: &CaseState, m: &Move| -> Option<CaseState> {
            use CaseState as S;
            match (s, m) {
                (S::Enrolled, Move::StartTraining) => Some(S::InTraining),
                (S::InTraining, Move::SendToEvaluation) => Some(S::AwaitingEvaluation),
                (S::AwaitingEvaluation, Move::Certify { .. }) => Some(S::Certified(SkillLevel::L4)),
                (S::AwaitingEvaluation, Move::Fail { .. }) => Some(S::NotCertified),
                (S::NotCertified, Move::Retake) => Some(S::AwaitingEvaluation),
                (S::Certified(_), Move::Refer(d)) | (S::NotHired(_), Move::Refer(d)) => Some(S::Referred(*d)),
                (S::Referred(d), Move::Hire) => Some(S::Employed(*d)),
                (S::Referred(d), Move::NotHire) => Some(S::NotHired(*d)),
                (S::Employed(_), _) | (S::Withdrawn, _) => None,
                (_, Move::Withdraw { .. }) => Some(S::Withdrawn),
                _ => None,
            }
        };
        let mut legal_count = 0;
        for s in all_states() {
            for m in sample_moves() {
                let got = next_state(&s, &m);
                match expected(&s, &m) {
                    Some(to) => {
                        legal_count += 1;
                        assert_eq!(got, Ok(to), "{s:?} + {m:?}");
                        assert!(legal_moves(&s).contains(&m.kind()));
                    }
                    None => {
                        let e = got.expect_err("must be refused");
                        let msg = e.to_string();
                        assert!(msg.contains(&s.to_string()), "{msg}");
                        assert!(!legal_moves(&s).contains(&m.kind()));
                        for l in legal_moves(&s) {
                            assert!(msg.contains(l.name()), "{msg} lacks {}", l.name());
                        }
                    }
                }
            }
        }
        // 16 legal edges in the diagram (withdraw from 7 states among them).
        assert_eq!(legal_count, 16);
    }

    #[test]
    fn closed_cases_say_so() {
        let e = next_state(&CaseState::Employed(DemandId(1)), &Move::Hire).unwrap_err();
        assert!(e.to_string().contains("none (the case is closed)"), "{e}");
    }

    #[test]
    fn evaluation_rules() {
        let s = CaseState::AwaitingEvaluation;
        let pass = |level, t, p, panel, cert: &str| Move::Certify {
            level,
            certificate: cert.into(),
            evaluation: eval(t, p, panel),
        };
        assert!(matches!(
            next_state(&s, &pass(SkillLevel::L4, 59, 90, false, "C")),
            Err(TransitionError::PassBelowMark { .. })
        ));
        assert!(matches!(
            next_state(&s, &pass(SkillLevel::L4, 101, 90, false, "C")),
            Err(TransitionError::ScoreOutOfRange { .. })
        ));
        assert!(matches!(
            next_state(&s, &pass(SkillLevel::L2, 90, 90, false, "C")),
            Err(TransitionError::PanelRequired(SkillLevel::L2))
        ));
        assert_eq!(
            next_state(&s, &pass(SkillLevel::L2, 90, 90, true, "C")),
            Ok(CaseState::Certified(SkillLevel::L2))
        );
        assert!(matches!(
            next_state(&s, &pass(SkillLevel::L4, 90, 90, false, " ")),
            Err(TransitionError::CertificateMissing)
        ));
        assert!(matches!(
            next_state(
                &s,
                &Move::Fail {
                    evaluation: eval(90, 90, true)
                }
            ),
            Err(TransitionError::FailAboveMark { .. })
        ));
        // Failed panel with passing scores is a fail.
        assert_eq!(
            next_state(
                &s,
                &Move::Fail {
                    evaluation: eval(90, 90, false)
                }
            ),
            Ok(CaseState::NotCertified)
        );
        assert!(matches!(
            next_state(&s, &Move::Withdraw { reason: "  ".into() }),
            Err(TransitionError::ReasonMissing)
        ));
    }
}
