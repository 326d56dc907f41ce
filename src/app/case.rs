//! Case steps from the keys: which key is which move, whether the case's
//! state allows it, the dialog that asks for the step's details, the
//! confirmation, and what the status line says after.

use super::form::{FieldId, Form, FormPurpose};
use super::msg::{Effect, Prep};
use super::state::{Confirm, Op, Overlay, State};
use super::update::not_here;
use crate::domain::*;
use crate::i18n::{Lang, fill};
use crate::keymap::Action;
use crate::say::Say;
use crate::store::StoreError;

/// The move a case key asks for.
pub fn move_of(a: Action) -> Option<MoveKind> {
    Some(match a {
        Action::StartTraining => MoveKind::StartTraining,
        Action::SendToEvaluation => MoveKind::SendToEvaluation,
        Action::RecordPass => MoveKind::Certify,
        Action::RecordFail => MoveKind::Fail,
        Action::Retake => MoveKind::Retake,
        Action::Refer => MoveKind::Refer,
        Action::Hire => MoveKind::Hire,
        Action::NotHire => MoveKind::NotHire,
        Action::Withdraw => MoveKind::Withdraw,
        Action::AddNote => MoveKind::Note,
        Action::CorrectStep => MoveKind::Correct,
        Action::FollowUp => MoveKind::FollowUp,
        _ => return None,
    })
}

/// The key of a move (for the keys line); follow-ups, notes and
/// corrections are not steps of the state machine and have none here.
pub fn action_of(m: MoveKind) -> Option<Action> {
    Some(match m {
        MoveKind::StartTraining => Action::StartTraining,
        MoveKind::SendToEvaluation => Action::SendToEvaluation,
        MoveKind::Certify => Action::RecordPass,
        MoveKind::Fail => Action::RecordFail,
        MoveKind::Retake => Action::Retake,
        MoveKind::Refer => Action::Refer,
        MoveKind::Hire => Action::Hire,
        MoveKind::NotHire => Action::NotHire,
        MoveKind::Withdraw => Action::Withdraw,
        MoveKind::FollowUp | MoveKind::Note | MoveKind::Correct => return None,
    })
}

/// A key on a case's detail: read the case, then `act`.
pub(super) fn key(st: &mut State, case: CaseId, a: Action, fx: &mut Vec<Effect>) {
    match move_of(a) {
        Some(mk) => fx.push(Effect::Prepare(Prep::CaseAction(case, mk))),
        None => not_here(st, a),
    }
}

/// With the case read: refuse a move its state does not allow (naming the
/// legal ones), else ask for the step's details or a confirmation.
pub(super) fn act(
    st: &mut State,
    case: CaseId,
    mk: MoveKind,
    state: &CaseState,
    subject: String,
    target: Option<SkillLevel>,
    fx: &mut Vec<Effect>,
) {
    let form = |purpose, target| Overlay::Form(Form::new(purpose, subject.clone(), target));
    // After the job: not steps of the state machine.
    match mk {
        MoveKind::Note => return st.overlays.push(form(FormPurpose::Note(case), None)),
        MoveKind::Correct => return st.overlays.push(form(FormPurpose::Correct(case), None)),
        MoveKind::FollowUp if state.hired().is_none() => {
            let t = st.t();
            return st.err(fill(t.not_employed, &[&subject]));
        }
        MoveKind::FollowUp => {
            // The outcome's picker opens over the form at once (#18).
            st.overlays.push(form(FormPurpose::FollowUp(case), None));
            let (t, lang) = (st.t(), st.lang);
            if let Some(p) = super::overlay::form::code_picker(FieldId::Outcome, t, lang) {
                st.overlays.push(Overlay::Picker(p));
            }
            return;
        }
        _ => {}
    }
    let legal = legal_moves(state);
    if !legal.contains(&mk) {
        let names: Vec<&str> = legal
            .iter()
            .map(|m| match st.lang {
                Lang::Zh => m.zh(),
                Lang::En => m.name(),
            })
            .collect();
        let t = st.t();
        let none = t.no_moves.to_string();
        let text = match st.lang {
            Lang::Zh => format!(
                "{}：当前状态「{}」，可办理：{}",
                mk.zh(),
                state.kind().zh(),
                if names.is_empty() { none } else { names.join("、") }
            ),
            Lang::En => format!(
                "cannot {} a case that is {}; legal moves: {}",
                mk.name(),
                state.kind().en(),
                if names.is_empty() { none } else { names.join(", ") }
            ),
        };
        st.err(text);
        return;
    }
    match mk {
        MoveKind::Certify => st.overlays.push(form(FormPurpose::Pass(case), target)),
        MoveKind::Fail => st.overlays.push(form(FormPurpose::Fail(case), target)),
        MoveKind::Withdraw => st.overlays.push(form(FormPurpose::Withdraw(case), None)),
        MoveKind::Refer => fx.push(Effect::Prepare(Prep::Pair(RecordRef::Case(case)))),
        MoveKind::StartTraining => fx.push(ask(case, Move::StartTraining)),
        MoveKind::SendToEvaluation => fx.push(ask(case, Move::SendToEvaluation)),
        MoveKind::Retake => fx.push(ask(case, Move::Retake)),
        MoveKind::Hire => fx.push(ask(case, Move::Hire)),
        MoveKind::NotHire => {
            // The reasons' picker opens over the form at once (#18).
            st.overlays.push(form(FormPurpose::NotHire(case), None));
            let (t, lang) = (st.t(), st.lang);
            if let Some(p) = super::overlay::form::code_picker(FieldId::NotHiredCode, t, lang) {
                st.overlays.push(Overlay::Picker(p));
            }
        }
        // Never legal moves of a state (legal_moves lists none of them).
        MoveKind::FollowUp | MoveKind::Note | MoveKind::Correct => {}
    }
}

/// Ask to confirm a move (the names are read first).
pub(super) fn ask(case: CaseId, mv: Move) -> Effect {
    Effect::Prepare(Prep::AskMove(case, mv))
}

/// With the names read: the confirmation of a move.
pub(super) fn ask_move(st: &mut State, case: CaseId, mv: Move, who: &str, what: &str) {
    let t = st.t();
    let text = match &mv {
        Move::Refer(_) => fill(t.ask_refer, &[&who, &what]),
        other => {
            let name = match st.lang {
                Lang::Zh => other.kind().zh(),
                Lang::En => other.kind().name(),
            };
            fill(t.ask_move, &[&name, &format!("{who} ({case})")])
        }
    };
    st.overlays.push(Overlay::Confirm(Confirm {
        text,
        op: Op::Move { case, mv },
    }));
}

/// With a class's cases read: refuse when none can take the step, else
/// ask, naming who moves and who does not (and why).
pub(super) fn ask_class_step(st: &mut State, step: super::msg::ClassStep) {
    let t = st.t();
    let name = match st.lang {
        Lang::Zh => step.mv.kind().zh(),
        Lang::En => step.mv.kind().name(),
    };
    let sep = if st.lang == Lang::Zh { "、" } else { ", " };
    let staying: Vec<String> = step
        .staying
        .iter()
        .map(|(who, why)| format!("{who}（{why}）"))
        .collect();
    if step.moving.is_empty() {
        st.err(fill(t.class_step_none, &[&step.name, &name, &staying.join(sep)]));
        return;
    }
    let moving: Vec<&str> = step.moving.iter().map(|(_, who)| who.as_str()).collect();
    let mut text = fill(t.ask_class_step, &[&name, &step.name, &moving.len(), &moving.join(sep)]);
    if !staying.is_empty() {
        text.push_str(&fill(t.class_step_staying, &[&staying.len(), &staying.join(sep)]));
    }
    st.overlays.push(Overlay::Confirm(Confirm {
        text,
        op: Op::MoveMany {
            cases: step.moving.iter().map(|(c, _)| *c).collect(),
            mv: step.mv,
        },
    }));
}

pub(super) fn moved_many(st: &mut State, result: Result<Vec<Case>, StoreError>, mv: &Move) {
    let t = st.t();
    match result {
        Ok(cases) => {
            let name = match st.lang {
                Lang::Zh => mv.kind().zh(),
                Lang::En => mv.kind().name(),
            };
            st.ok(fill(t.done_many, &[&cases.len(), &name]));
            st.case_events = None;
        }
        Err(e) => st.err(fill(t.refused, &[&e.say(t.lang)])),
    }
}

pub(super) fn enrolled(st: &mut State, result: Result<Case, StoreError>, who: &str, what: &str) {
    let t = st.t();
    match result {
        Ok(case) => {
            // Close the reason form and the picker that led here; the
            // pairing stays for the next one.
            if matches!(st.overlays.last(), Some(Overlay::Form(f)) if f.purpose.case().is_none()) {
                st.overlays.pop();
            }
            if matches!(st.overlays.last(), Some(Overlay::Picker(_))) {
                st.overlays.pop();
            }
            st.ok(fill(t.done_enroll, &[&who, &what, &case.id]));
        }
        Err(e) => st.err(fill(t.refused, &[&e.say(t.lang)])),
    }
}

/// A note or a follow-up written: say so and close its form.
pub(super) fn recorded(st: &mut State, result: Result<Case, StoreError>, mk: MoveKind) {
    let t = st.t();
    match result {
        Ok(c) => {
            while matches!(st.overlays.last(), Some(Overlay::Form(_))) {
                st.overlays.pop();
            }
            let name = match st.lang {
                Lang::Zh => mk.zh(),
                Lang::En => mk.name(),
            };
            st.ok(fill(t.done_note, &[&format!("{name} ({})", c.id)]));
            st.case_events = None;
        }
        Err(e) => st.err(fill(t.refused, &[&e.say(t.lang)])),
    }
}

pub(super) fn moved(st: &mut State, result: Result<Case, StoreError>) {
    let t = st.t();
    match result {
        Ok(c) => {
            // Close the form and the pairing that led here.
            while matches!(st.overlays.last(), Some(Overlay::Form(_) | Overlay::Pairing(_))) {
                st.overlays.pop();
            }
            let state = match st.lang {
                Lang::Zh => c.state.kind().zh(),
                Lang::En => c.state.kind().en(),
            };
            st.ok(fill(t.done_move, &[&c.id, &state]));
            st.case_events = None;
        }
        Err(e) => st.err(fill(t.refused, &[&e.say(t.lang)])),
    }
}
