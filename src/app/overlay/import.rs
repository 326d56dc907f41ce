//! Importing a spreadsheet from the workspace: a path and a kind (or an
//! evaluation agency's results, the kind `Cases`), the dry run's report
//! (first Enter), then the write (second Enter, only when every row is
//! good). Both steps run through the service.

use super::Outcome;
use crate::app::msg::{Effect, Msg, Prep, Run};
use crate::app::state::{Overlay, State};
use crate::app::update::edit_of;
use crate::domain::Kind;
use crate::i18n::fill;
use crate::keymap::Action;
use crate::widgets::text;

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let Some(Overlay::Import(d)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    if let Some(edit) = edit_of(&msg) {
        if d.plan.is_none() && d.results.is_none() && text::apply(&mut d.input, &edit, None) {
            d.error = None;
        }
        return Outcome::Stay;
    }
    match msg {
        Msg::Action(Action::Cancel | Action::Back) => return Outcome::Pop,
        Msg::Action(Action::NextField | Action::PrevField) if d.plan.is_none() && d.results.is_none() => {
            let all = Kind::TABS;
            let i = all.iter().position(|k| *k == d.kind).unwrap_or(0);
            d.kind = all[(i + 1) % all.len()];
        }
        Msg::Action(Action::Open | Action::Save | Action::Confirm) if d.kind == Kind::Cases => match d.results.take() {
            None => {
                let path = std::path::PathBuf::from(d.input.value().trim());
                d.working = true;
                fx.push(Effect::Prepare(Prep::ResultsPlan(path)));
            }
            // A sheet with bad rows is never written from here.
            Some(plan) if !plan.rejects.is_empty() || plan.steps.is_empty() => d.results = Some(plan),
            Some(plan) => {
                d.working = true;
                fx.push(Effect::Run(Run::Results(Box::new(plan))));
            }
        },
        Msg::Action(a @ (Action::Open | Action::Save | Action::Confirm)) => match d.plan.take() {
            None => {
                let path = std::path::PathBuf::from(d.input.value().trim());
                d.working = true;
                fx.push(Effect::Prepare(Prep::ImportPlan { kind: d.kind, path }));
            }
            // A file with bad rows is never written from here.
            Some(plan) if !plan.rejects.is_empty() => d.plan = Some(plan),
            // Changes to stored records are written only when asked (ctrl-s).
            Some(mut plan) => {
                plan.update = a == Action::Save;
                d.working = true;
                fx.push(Effect::Run(Run::Import(Box::new(plan))));
            }
        },
        _ => {}
    }
    Outcome::Stay
}

/// The dry run's answer.
pub(crate) fn planned(st: &mut State, plan: Result<Box<crate::io::import::Plan>, String>) {
    if let Some(Overlay::Import(d)) = st.overlays.last_mut() {
        d.working = false;
        match plan {
            Ok(p) => d.plan = Some(*p),
            Err(e) => d.error = Some(e),
        }
    }
}

/// The results sheet's check.
pub(crate) fn results_planned(st: &mut State, plan: Result<Box<crate::service::results::ResultsPlan>, String>) {
    if let Some(Overlay::Import(d)) = st.overlays.last_mut() {
        d.working = false;
        match plan {
            Ok(p) => d.results = Some(*p),
            Err(e) => d.error = Some(e),
        }
    }
}

/// The write's answer.
pub(crate) fn imported(st: &mut State, result: Result<String, String>) {
    let t = st.t();
    match result {
        Ok(report) => {
            if matches!(st.overlays.last(), Some(Overlay::Import(_))) {
                st.overlays.pop();
            }
            st.ok(fill(t.imp_done, &[&report]));
        }
        Err(e) => {
            if let Some(Overlay::Import(d)) = st.overlays.last_mut() {
                d.working = false;
                d.plan = None;
                d.results = None;
                d.error = Some(e);
            }
        }
    }
}
