//! Pairing: a demand's ranked classes (Enter: enroll someone into one) or
//! a certified case's ranked demands (Enter: refer to one).

use super::Outcome;
use crate::app::case;
use crate::app::msg::{Effect, Msg, PairRefusal, Prep};
use crate::app::state::{Overlay, PairRows, Pairing, State};
use crate::app::update::{move_cursor, nothing_selected};
use crate::domain::Move;
use crate::keymap::Action;

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let page = st.page;
    let Some(Overlay::Pairing(p)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    let Msg::Action(a) = msg else {
        return Outcome::Stay;
    };
    let len = p.len();
    if move_cursor(&mut p.selected, len, a, page) {
        return Outcome::Stay;
    }
    match a {
        Action::Back | Action::Cancel => return Outcome::Pop,
        Action::Open | Action::Enroll | Action::Refer => {
            let choice = match &p.rows {
                PairRows::Classes(_, rows) => rows.get(p.selected).map(|m| Err(m.class)),
                PairRows::Demands(case, rows) => rows.get(p.selected).map(|m| Ok((*case, m.demand))),
            };
            match choice {
                Some(Err(class)) => fx.push(Effect::Prepare(Prep::TraineePicker(class))),
                Some(Ok((case, demand))) => fx.push(case::ask(case, Move::Refer(demand))),
                None => nothing_selected(st),
            }
        }
        _ => {}
    }
    Outcome::Stay
}

/// The ranked rows, read: show them (a class's pairing is its trainee picker).
pub(crate) fn opened(st: &mut State, rows: Result<PairRows, PairRefusal>, _fx: &mut Vec<Effect>) {
    match rows {
        Ok(rows) => st.overlays.push(Overlay::Pairing(Pairing { rows, selected: 0 })),
        Err(why) => {
            let t = st.t();
            let msg = match why {
                PairRefusal::NoReferable => t.no_referable,
                PairRefusal::NeedsPartner => t.pair_needs,
            };
            st.err(msg.to_string());
        }
    }
}

/// The data changed: the open pairings' rows, read again (in stack order).
pub(crate) fn refreshed(st: &mut State, all: Vec<PairRows>) {
    let mut fresh = all.into_iter();
    for o in &mut st.overlays {
        if let Overlay::Pairing(p) = o
            && let Some(rows) = fresh.next()
        {
            p.rows = rows;
            p.selected = p.selected.min(p.len().saturating_sub(1));
        }
    }
}
