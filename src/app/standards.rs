//! The subsidy standard table in the workspace (#21): the third view of the
//! subsidy overlay (F8, then `s` or Tab). It lists the rows (occupation or
//! group × level → amount) and the key groups' uplifts; a supervisor adds
//! a row (`n`), changes the selected row's amount (`e` or Enter), removes
//! it (`d`) and sets a key group's uplift (`u`), each with a small form
//! checked by the domain's rules field by field, then a confirmation, then
//! one audited write through the service. An operator sees the table and
//! is told, at the key, that changing it needs a supervisor.
//!
//! The overlay keeps the table as last read (for the keys); the screen is
//! built from the service each frame (`view::subsidy`).

use super::form::{FieldId, Form, FormPurpose};
use super::msg::{Effect, Loaded, Prep, Ran};
use super::overlay::Outcome;
use super::state::{Confirm, Op, Overlay, State};
use super::subsidy::{SubView, SubsidyState};
use crate::domain::access::Action as Right;
use crate::domain::subsidy::edit::{self, EditField, StandardEdit};
use crate::domain::subsidy::{Standards, SubsidyError};
use crate::i18n::subsidy::sub;
use crate::i18n::{Lang, fill};
use crate::keymap::Action;
use crate::say::Say;
use crate::store::StoreError;

/// The keys of the standard table's view.
pub fn handles(a: Action) -> bool {
    matches!(
        a,
        Action::StandardAdd | Action::StandardEdit | Action::StandardRemove | Action::UpliftEdit | Action::Open
    )
}

fn subsidy(st: &State) -> Option<&SubsidyState> {
    st.overlays.iter().rev().find_map(|o| match o {
        Overlay::Subsidy(s) => Some(&**s),
        _ => None,
    })
}

fn subsidy_mut(st: &mut State) -> Option<&mut SubsidyState> {
    st.overlays.iter_mut().rev().find_map(|o| match o {
        Overlay::Subsidy(s) => Some(&mut **s),
        _ => None,
    })
}

/// An edit in the session's language.
pub fn describe(e: &StandardEdit, lang: Lang) -> String {
    match lang {
        Lang::Zh => e.zh(),
        Lang::En => e.en(),
    }
}

/// The form's field an error of the domain belongs to.
fn field_of(f: EditField) -> FieldId {
    match f {
        EditField::Target => FieldId::StdTarget,
        EditField::Level => FieldId::Level,
        EditField::Amount => FieldId::StdAmount,
        EditField::KeyGroup => FieldId::StdKeyGroup,
        EditField::Percent => FieldId::StdPercent,
    }
}

/// A key of the view: check the right first, then open the form (or ask).
pub(super) fn key(st: &mut State, a: Action) -> Outcome {
    let lang = st.lang;
    let w = sub(lang);
    if let Err(d) = st.actor.may(Right::SubsidyStandards) {
        st.err(d.say(lang));
        return Outcome::Stay;
    }
    let Some(o) = subsidy_mut(st) else {
        return Outcome::Stay;
    };
    let Some(table) = o.table.as_deref() else {
        st.err(w.std_pick_row.to_string());
        return Outcome::Stay;
    };
    let n = table.rows.len();
    let row = table.rows.get(o.std_row).cloned();
    let uplift = o.std_row.checked_sub(n).and_then(|i| table.uplifts.get(i)).cloned();
    let uplift_form = |u: Option<&crate::domain::subsidy::Uplift>| {
        let mut f = Form::new(FormPurpose::StandardUplift, String::new(), None);
        if let Some(u) = u {
            f.fill(FieldId::StdKeyGroup, &u.key_group);
            f.fill(FieldId::StdPercent, &u.percent.to_string());
            f.focus = 1;
        }
        Outcome::Push(Overlay::Form(f))
    };
    let ask = |e: StandardEdit| {
        Outcome::Push(Overlay::Confirm(Confirm {
            text: fill(w.ask_std, &[&describe(&e, lang)]),
            op: Op::Standards(e),
        }))
    };
    match (a, row, uplift) {
        (Action::StandardAdd, _, _) => {
            Outcome::Push(Overlay::Form(Form::new(FormPurpose::StandardAdd, String::new(), None)))
        }
        (Action::UpliftEdit, _, u) => uplift_form(u.as_ref()),
        (Action::StandardEdit | Action::Open, Some(r), _) => {
            let subject = match lang {
                Lang::Zh => format!("{} {}（现 {} 元）", r.target.zh(), r.level.zh(), r.amount),
                Lang::En => format!("{} {} (now {} yuan)", r.target.en(), r.level.en(), r.amount),
            };
            o.editing = Some((r.target.clone(), r.level));
            let mut f = Form::new(FormPurpose::StandardAmount, subject, None);
            f.fill(FieldId::StdAmount, &r.amount.to_string());
            Outcome::Push(Overlay::Form(f))
        }
        (Action::StandardEdit | Action::Open, None, Some(u)) => uplift_form(Some(&u)),
        (Action::StandardRemove, Some(r), _) => ask(StandardEdit::Remove {
            target: r.target,
            level: r.level,
        }),
        (Action::StandardRemove, None, Some(u)) => ask(StandardEdit::Uplift {
            key_group: u.key_group,
            percent: 0,
        }),
        _ => {
            st.err(w.std_pick_row.to_string());
            Outcome::Stay
        }
    }
}

/// Save on a standard form: each field read by the domain, each refusal on
/// its field; then the whole edit checked against the table as last read;
/// then the question.
pub(crate) fn submit(st: &mut State) -> Outcome {
    let lang = st.lang;
    let w = sub(lang);
    let (table, editing) = subsidy(st)
        .map(|o| (o.table.as_deref().cloned(), o.editing.clone()))
        .unwrap_or((None, None));
    let table = table.unwrap_or_else(Standards::sample);
    let Some(Overlay::Form(f)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    f.clear_errors();
    let mut bad: Vec<edit::StandardEditError> = Vec::new();
    let edit = match f.purpose {
        FormPurpose::StandardAdd => {
            let target = keep(&mut bad, edit::parse_target(f.text(FieldId::StdTarget)));
            let level = keep(&mut bad, edit::parse_level(f.text(FieldId::Level)));
            let amount = keep(&mut bad, edit::parse_amount(f.text(FieldId::StdAmount)));
            match (target, level, amount) {
                (Some(target), Some(level), Some(amount)) => Some(StandardEdit::Add { target, level, amount }),
                _ => None,
            }
        }
        FormPurpose::StandardAmount => {
            let amount = keep(&mut bad, edit::parse_amount(f.text(FieldId::StdAmount)));
            match (editing, amount) {
                (Some((target, level)), Some(amount)) => Some(StandardEdit::Amount { target, level, amount }),
                _ => None,
            }
        }
        FormPurpose::StandardUplift => {
            let key_group = keep(&mut bad, edit::parse_key_group(f.text(FieldId::StdKeyGroup), &table));
            let percent = keep(&mut bad, edit::parse_percent(f.text(FieldId::StdPercent)));
            match (key_group, percent) {
                (Some(key_group), Some(percent)) => Some(StandardEdit::Uplift { key_group, percent }),
                _ => None,
            }
        }
        _ => return Outcome::Stay,
    };
    // The whole edit against the table (a row already there, one gone).
    if let Some(e) = &edit
        && let Err(x) = table.apply(e)
    {
        bad.push(x);
    }
    if !bad.is_empty() {
        for e in bad.iter().rev() {
            f.refuse(field_of(e.field()), e.say(lang));
        }
        return Outcome::Stay;
    }
    match edit {
        Some(e) => Outcome::Push(Overlay::Confirm(Confirm {
            text: fill(w.ask_std, &[&describe(&e, lang)]),
            op: Op::Standards(e),
        })),
        None => Outcome::Stay,
    }
}

/// Carry out an edit (runner side).
pub(super) fn write(svc: &crate::service::Service, st: &State, e: &StandardEdit) -> Ran {
    let w = sub(st.lang);
    Ran::Standards(
        svc.edit_standards(e, &st.actor)
            .map(|_| fill(w.done_std, &[&describe(e, st.lang)]))
            .map_err(|x| {
                let field = match &x {
                    StoreError::Subsidy(SubsidyError::Edit(x)) => Some(x.field()),
                    _ => None,
                };
                (field, x.say(st.lang))
            }),
    )
}

fn is_standard_form(o: Option<&Overlay>) -> bool {
    matches!(
        o,
        Some(Overlay::Form(f)) if matches!(
            f.purpose,
            FormPurpose::StandardAdd | FormPurpose::StandardAmount | FormPurpose::StandardUplift
        )
    )
}

/// An edit finished: the form closes and the table is read again; a
/// refusal lands on its field when the form shows it.
pub(super) fn ran(st: &mut State, result: Result<String, (Option<EditField>, String)>, fx: &mut Vec<Effect>) {
    match result {
        Ok(said) => {
            if is_standard_form(st.overlays.last()) {
                st.overlays.pop();
            }
            if let Some(o) = subsidy_mut(st) {
                o.editing = None;
            }
            st.ok(said);
            fx.push(Effect::Prepare(Prep::Standards));
        }
        Err((field, said)) => {
            if is_standard_form(st.overlays.last())
                && let Some(Overlay::Form(f)) = st.overlays.last_mut()
                && let Some(id) = field.map(field_of)
                && f.fields.iter().any(|x| x.id == id)
            {
                f.refuse(id, said.clone());
            }
            st.err(said);
        }
    }
}

/// Read the table (runner side).
pub(super) fn read(svc: &crate::service::Service, st: &State) -> Loaded {
    Loaded::Standards(svc.subsidy_standards().map(Box::new).map_err(|e| e.say(st.lang)))
}

/// The table was read.
pub(super) fn loaded(st: &mut State, table: Result<Box<Standards>, String>) {
    match table {
        Ok(t) => {
            if let Some(o) = subsidy_mut(st) {
                let n = t.rows.len() + t.uplifts.len();
                o.std_row = o.std_row.min(n.saturating_sub(1));
                o.table = Some(t);
            }
        }
        Err(e) => st.err(e),
    }
}

/// The data changed: the table's view reads it again.
pub(super) fn changed(st: &State, fx: &mut Vec<Effect>) {
    if subsidy(st).is_some_and(|o| o.view == SubView::Standards || o.table.is_some()) {
        fx.push(Effect::Prepare(Prep::Standards));
    }
}

/// A field's value, or its refusal kept for the form.
fn keep<T>(bad: &mut Vec<edit::StandardEditError>, r: Result<T, edit::StandardEditError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            bad.push(e);
            None
        }
    }
}
