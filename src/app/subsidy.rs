//! The training-subsidy overlay (#21): the claims, one claim with its
//! lines and steps and the keys of its review, and the ledger per
//! institution, program and quarter.
//!
//! The overlay keeps a brief of every claim (id, state, eligible, amount)
//! read when it opens and again when the data changes; the rows on screen
//! are built per frame by `view::subsidy` from the same order (newest
//! first). A step asks first; a return asks for its reason in a line of
//! its own (keys then go to the text, not to the step keys).

use super::msg::{Effect, Msg, Prep, Run};
use super::overlay::Outcome;
use super::state::{Confirm, Op, Overlay, State};
use super::update::{edit_of, move_cursor, not_here};
use crate::domain::RecordRef;
use crate::domain::subsidy::{ClaimId, ClaimState, Step};
use crate::i18n::fill;
use crate::i18n::subsidy::sub;
use crate::keymap::{Action, Context};
use crate::widgets::text;
use tui_input::Input;

/// The overlay's two views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubView {
    Claims,
    Ledger,
    /// The standard table (#21): see `app::standards`.
    Standards,
}

/// One claim as the overlay needs it to ask about a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimBrief {
    pub id: ClaimId,
    pub state: ClaimState,
    pub eligible: usize,
    pub amount: u64,
}

/// What the subsidy overlay keeps.
#[derive(Debug, Clone)]
pub struct SubsidyState {
    pub view: SubView,
    /// Every claim, newest first.
    pub claims: Vec<ClaimBrief>,
    pub selected: usize,
    pub ledger_row: usize,
    /// Rows of the ledger (to keep its cursor in range).
    pub ledger_rows: usize,
    /// The claim open in detail.
    pub open: Option<ClaimId>,
    pub scroll: usize,
    /// A return's reason being typed.
    pub reason: Option<Input>,
    /// The standard table as last read (for the keys of its view), the row
    /// (or uplift, after the rows) under the cursor, and the row the
    /// amount form open over it changes.
    pub table: Option<Box<crate::domain::subsidy::Standards>>,
    pub std_row: usize,
    pub editing: Option<(crate::domain::subsidy::Target, crate::domain::SkillLevel)>,
}

impl SubsidyState {
    pub fn new(claims: Vec<ClaimBrief>, ledger_rows: usize, focus: Option<ClaimId>) -> SubsidyState {
        let selected = focus.and_then(|f| claims.iter().position(|c| c.id == f)).unwrap_or(0);
        SubsidyState {
            view: SubView::Claims,
            claims,
            selected,
            ledger_row: 0,
            ledger_rows,
            open: focus,
            scroll: 0,
            reason: None,
            table: None,
            std_row: 0,
            editing: None,
        }
    }

    /// The claim the keys act on: the open one, else the selected row.
    pub fn current(&self) -> Option<&ClaimBrief> {
        match self.open {
            Some(id) => self.claims.iter().find(|c| c.id == id),
            None => self.claims.get(self.selected),
        }
    }

    /// The key contexts: typing a reason reads text.
    pub fn contexts(&self) -> &'static [Context] {
        if self.reason.is_some() {
            &[Context::Form, Context::Search, Context::Global]
        } else {
            &[Context::Subsidy, Context::Global]
        }
    }
}

/// The claims were read: open the overlay (on `focus`), or refresh it.
pub(super) fn loaded(st: &mut State, claims: Vec<ClaimBrief>, ledger_rows: usize, open: bool, focus: Option<ClaimId>) {
    if open {
        st.overlays.push(Overlay::Subsidy(Box::new(SubsidyState::new(
            claims,
            ledger_rows,
            focus,
        ))));
        return;
    }
    for o in &mut st.overlays {
        if let Overlay::Subsidy(s) = o {
            s.ledger_rows = ledger_rows;
            s.ledger_row = s.ledger_row.min(ledger_rows.saturating_sub(1));
            let keep = s.claims.get(s.selected).map(|c| c.id);
            s.claims = claims.clone();
            s.selected = focus
                .or(keep)
                .and_then(|id| s.claims.iter().position(|c| c.id == id))
                .unwrap_or(0)
                .min(s.claims.len().saturating_sub(1));
            if let Some(f) = focus {
                s.open = Some(f);
            }
        }
    }
}

/// The step an action takes.
fn step_of(a: Action) -> Option<Step> {
    Some(match a {
        Action::ClaimFile => Step::File,
        Action::ClaimRebuild => Step::Rebuild,
        Action::ClaimFirstApprove => Step::FirstApprove,
        Action::ClaimSecondApprove => Step::SecondApprove,
        Action::ClaimPay => Step::Pay,
        _ => return None,
    })
}

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let page = st.page;
    let lang = st.lang;
    let s = sub(lang);
    let Some(Overlay::Subsidy(o)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    // Typing a return's reason.
    if let Some(input) = o.reason.as_mut() {
        if let Some(edit) = edit_of(&msg) {
            text::apply(input, &edit, None);
            return Outcome::Stay;
        }
        match msg {
            Msg::Action(Action::Cancel | Action::Back) => o.reason = None,
            Msg::Action(Action::Open | Action::Save) => {
                let reason = input.value().trim().to_string();
                let Some(c) = o.current() else {
                    o.reason = None;
                    return Outcome::Stay;
                };
                let id = c.id;
                o.reason = None;
                return Outcome::Push(Overlay::Confirm(Confirm {
                    text: fill(s.ask_return, &[&id, &reason]),
                    op: Op::ClaimStep {
                        claim: id,
                        step: Step::Return { reason },
                    },
                }));
            }
            _ => {}
        }
        return Outcome::Stay;
    }
    let Msg::Action(a) = msg else {
        return Outcome::Stay;
    };
    // The claim keys do nothing on the standard table.
    if o.view == SubView::Standards && (step_of(a).is_some() || a == Action::ClaimReturn) {
        not_here(st, a);
        return Outcome::Stay;
    }
    if let Some(step) = step_of(a) {
        let Some(c) = o.current() else {
            not_here(st, a);
            return Outcome::Stay;
        };
        let what = if lang == crate::i18n::Lang::En {
            step.en()
        } else {
            step.zh()
        };
        let text = fill(s.ask_step, &[&c.id, &what, &c.eligible, &c.amount]);
        let claim = c.id;
        return Outcome::Push(Overlay::Confirm(Confirm {
            text,
            op: Op::ClaimStep { claim, step },
        }));
    }
    match a {
        Action::Back | Action::Cancel | Action::Subsidies => {
            if o.open.take().is_none() {
                return Outcome::Pop;
            }
            o.scroll = 0;
        }
        Action::NextTab | Action::PrevTab => {
            o.open = None;
            let forward = a == Action::NextTab;
            o.view = match (o.view, forward) {
                (SubView::Claims, true) | (SubView::Standards, false) => SubView::Ledger,
                (SubView::Ledger, true) | (SubView::Claims, false) => SubView::Standards,
                (SubView::Standards, true) | (SubView::Ledger, false) => SubView::Claims,
            };
            if o.view == SubView::Standards {
                fx.push(Effect::Prepare(Prep::Standards));
            }
        }
        Action::SubsidyStandards => {
            o.open = None;
            o.view = if o.view == SubView::Standards {
                SubView::Claims
            } else {
                fx.push(Effect::Prepare(Prep::Standards));
                SubView::Standards
            };
        }
        a if o.view == SubView::Standards && super::standards::handles(a) => {
            return super::standards::key(st, a);
        }
        Action::ClaimReturn => {
            if o.current().is_some() {
                o.reason = Some(Input::default());
            } else {
                not_here(st, a);
            }
        }
        Action::Open if o.view == SubView::Claims && o.open.is_none() => {
            o.open = o.claims.get(o.selected).map(|c| c.id);
            o.scroll = 0;
        }
        Action::ExportList => fx.push(Effect::Run(Run::ExportClaims)),
        Action::Up | Action::Down if o.open.is_some() => {
            o.scroll = if a == Action::Up {
                o.scroll.saturating_sub(1)
            } else {
                o.scroll + 1
            };
        }
        other => {
            let moved = match o.view {
                SubView::Claims if o.open.is_none() => move_cursor(&mut o.selected, o.claims.len(), other, page),
                SubView::Ledger => move_cursor(&mut o.ledger_row, o.ledger_rows, other, page),
                SubView::Standards => {
                    let n = o.table.as_ref().map_or(0, |t| t.rows.len() + t.uplifts.len());
                    move_cursor(&mut o.std_row, n, other, page)
                }
                _ => false,
            };
            if !moved {
                not_here(st, other);
            }
        }
    }
    Outcome::Stay
}

/// `B` on a class's detail: ask, then build its claim.
pub(super) fn ask_build(st: &mut State, record: RecordRef) -> Outcome {
    let s = sub(st.lang);
    match record {
        RecordRef::Class(c) => Outcome::Push(Overlay::Confirm(Confirm {
            text: fill(s.ask_build, &[&c]),
            op: Op::BuildClaim(c),
        })),
        _ => {
            st.err(s.not_a_class.to_string());
            Outcome::Stay
        }
    }
}

/// F8 on a list: read the claims and open the overlay.
pub(super) fn open(fx: &mut Vec<Effect>) {
    fx.push(Effect::Prepare(Prep::Claims {
        open: true,
        focus: None,
    }));
}

/// A claim step or a build finished.
pub(super) fn ran(st: &mut State, result: Result<(String, ClaimId), String>, fx: &mut Vec<Effect>) {
    match result {
        Ok((said, id)) => {
            st.ok(said);
            let open = !st.overlays.iter().any(|o| matches!(o, Overlay::Subsidy(_)));
            fx.push(Effect::Prepare(Prep::Claims { open, focus: Some(id) }));
        }
        Err(e) => st.err(e),
    }
}

/// Read the claims for the overlay (runner side).
pub(super) fn brief(svc: &crate::service::Service, open: bool, focus: Option<ClaimId>) -> super::msg::Loaded {
    let claims: Vec<ClaimBrief> = svc
        .claims()
        .iter()
        .map(|c| ClaimBrief {
            id: c.id,
            state: c.state,
            eligible: c.eligible(),
            amount: c.total(),
        })
        .collect();
    let ledger_rows = crate::domain::subsidy::ledger(&svc.claims()).len();
    super::msg::Loaded::Claims {
        claims,
        ledger_rows,
        open,
        focus,
    }
}

/// Carry out a claim step or a build (runner side).
pub(super) fn write(svc: &crate::service::Service, st: &State, op: Op) -> super::msg::Ran {
    use crate::say::Say;
    let s = sub(st.lang);
    let en = st.lang == crate::i18n::Lang::En;
    let result = match op {
        Op::ClaimStep { claim, step } => svc.claim_step(claim, step, &st.actor),
        Op::BuildClaim(class) => svc.build_claim(class, &st.actor),
        _ => return super::msg::Ran::Subsidy(Err(String::new())),
    };
    super::msg::Ran::Subsidy(
        result
            .map(|c| {
                let state = if en { c.state.en() } else { c.state.zh() };
                (fill(s.done_step, &[&c.id, &state, &c.eligible(), &c.total()]), c.id)
            })
            .map_err(|e| e.say(st.lang)),
    )
}

/// Write the 申报花名册 to the exports directory (runner side).
pub(super) fn export(svc: &crate::service::Service, st: &State) -> Result<String, String> {
    use crate::say::Say;
    let s = sub(st.lang);
    let name = format!(
        "{}-{}.xlsx",
        s.roster_name,
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    );
    let en = st.lang == crate::i18n::Lang::En;
    svc.export_claims(&st.actor, crate::io::export::Format::Xlsx, en, &name)
        .map(|(path, n)| fill(s.exported, &[&n, &path.display()]))
        .map_err(|e| e.say(st.lang))
}
