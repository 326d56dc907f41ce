//! The dialogs over the lists, one file each. Each takes the message for
//! the dialog on top and says what becomes of the stack ([`Outcome`]); what
//! it needs from the database it asks for as an effect.

pub mod confirm;
pub mod detail;
pub mod form;
pub mod help;
pub mod import;
pub mod intake;
pub mod pairing;
pub mod picker;

use super::msg::{Effect, Msg};
use super::state::{Overlay, State};

/// What a dialog's key does to the stack of dialogs.
#[derive(Debug)]
pub enum Outcome {
    /// The dialog stays on top.
    Stay,
    /// The dialog closes.
    Pop,
    /// Another dialog opens over it.
    Push(Overlay),
    /// Another dialog takes its place.
    Replace(Overlay),
}

/// Route a message to the dialog on top.
pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    match st.overlays.last() {
        None => Outcome::Stay,
        Some(Overlay::Help { .. }) => help::update(st, msg),
        Some(Overlay::Detail { .. }) => detail::update(st, msg, fx),
        Some(Overlay::Pairing(_)) => pairing::update(st, msg, fx),
        Some(Overlay::Picker(_)) => picker::update(st, msg, fx),
        Some(Overlay::Confirm(_)) => confirm::update(st, msg, fx),
        Some(Overlay::Form(_)) => form::update(st, msg, fx),
        Some(Overlay::Intake(_)) => intake::update(st, msg, fx),
        Some(Overlay::Import(_)) => import::update(st, msg, fx),
        Some(Overlay::Dashboard(_)) => super::dashboard::update(st, msg, fx),
        Some(Overlay::Wishes(_)) => super::wish::update(st, msg, fx),
        Some(Overlay::DeskWish(_)) => super::wish::desk_update(st, msg, fx),
        Some(Overlay::Subsidy(_)) => super::subsidy::update(st, msg, fx),
    }
}
