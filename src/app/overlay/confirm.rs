//! "Are you sure?": yes runs the change (or discards the form below), no
//! returns to what led here as it was.

use super::Outcome;
use crate::app::msg::{Effect, Msg, Run};
use crate::app::state::{Op, Overlay, State};
use crate::keymap::Action;

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    match msg {
        Msg::Action(Action::Confirm) => {
            if let Some(Overlay::Confirm(c)) = st.overlays.pop() {
                match c.op {
                    // The form under the question goes too.
                    Op::Discard => return Outcome::Pop,
                    Op::Quit => st.quit = true,
                    op => fx.push(Effect::Run(Run::Op(op))),
                }
            }
            Outcome::Stay
        }
        Msg::Action(Action::Cancel | Action::Back) => {
            let t = st.t();
            st.ok(t.cancelled.to_string());
            Outcome::Pop
        }
        _ => Outcome::Stay,
    }
}
