//! A record's detail: scroll it, pair it, edit it, enroll into it, and on
//! a case the case's steps.

use super::Outcome;
use crate::app::msg::{Effect, Msg, Prep};
use crate::app::state::{Overlay, State};
use crate::app::update::not_here;
use crate::app::{case, list};
use crate::domain::RecordRef;
use crate::keymap::Action;

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let Some(Overlay::Detail { record, scroll }) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    let record = *record;
    let Msg::Action(a) = msg else {
        return Outcome::Stay;
    };
    match a {
        Action::Back => return Outcome::Pop,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll += 1,
        Action::Pair => fx.push(Effect::Prepare(Prep::Pair(record))),
        Action::Reveal => list::reveal(st, Some(record), fx),
        Action::ExportList => match record {
            RecordRef::Class(c) => fx.push(Effect::Run(crate::app::msg::Run::ExportRoster(c))),
            _ => not_here(st, a),
        },
        Action::Edit => list::edit(fx, record),
        Action::BuildClaim => return crate::app::subsidy::ask_build(st, record),
        Action::EditInstitution => match record {
            RecordRef::Class(_) => fx.push(Effect::Prepare(Prep::EditOwner(record))),
            _ => not_here(st, a),
        },
        Action::EditEnterprise => match record {
            RecordRef::Demand(_) => fx.push(Effect::Prepare(Prep::EditOwner(record))),
            _ => not_here(st, a),
        },
        Action::ClassStartTraining | Action::ClassSendToEvaluation => match record {
            RecordRef::Class(c) => {
                let mk = if a == Action::ClassStartTraining {
                    crate::domain::MoveKind::StartTraining
                } else {
                    crate::domain::MoveKind::SendToEvaluation
                };
                fx.push(Effect::Prepare(Prep::ClassStep(c, mk)));
            }
            _ => not_here(st, a),
        },
        Action::Enroll => match record {
            RecordRef::Class(c) => fx.push(Effect::Prepare(Prep::TraineePicker(c))),
            RecordRef::Demand(_) => fx.push(Effect::Prepare(Prep::Pair(record))),
            _ => not_here(st, a),
        },
        other => match record {
            RecordRef::Case(c) => case::key(st, c, other, fx),
            _ => not_here(st, other),
        },
    }
    Outcome::Stay
}
