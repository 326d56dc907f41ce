//! The help screen: every key of every context, scrolled.

use super::Outcome;
use crate::app::msg::Msg;
use crate::app::state::{Overlay, State};
use crate::keymap::Action;

pub(super) fn update(st: &mut State, msg: Msg) -> Outcome {
    let page = st.page;
    let Some(Overlay::Help { scroll }) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    match msg {
        Msg::Action(Action::Back | Action::Help | Action::Cancel) => Outcome::Pop,
        Msg::Action(a @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown)) => {
            *scroll = match a {
                Action::Up => scroll.saturating_sub(1),
                Action::Down => *scroll + 1,
                Action::PageUp => scroll.saturating_sub(page),
                _ => *scroll + page,
            };
            Outcome::Stay
        }
        _ => Outcome::Stay,
    }
}
