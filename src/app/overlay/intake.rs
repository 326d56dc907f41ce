//! A record form on screen: typing, moving between fields, the pickers of
//! its reference fields, the live ID-number check, saving (and saving and
//! starting the next), and leaving with unsaved input.

use super::Outcome;
use crate::app::intake::{Carry, F, Intake, Pick, Source};
use crate::app::msg::{Effect, Msg, Prep, Run, Saved};
use crate::app::state::{Confirm, Op, Overlay, PickItems, PickPurpose, PickValue, Picker, State};
use crate::app::update::{edit_of, not_here, nothing_selected};
use crate::domain::{RecordRef, RegionId, TraineeId};
use crate::i18n::fill;
use crate::keymap::Action;
use crate::widgets::text::{self, Edit};
use std::sync::Arc;

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let (t, lang, today) = (st.t(), st.lang, st.today);
    let Some(Overlay::Intake(form)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    if let Some(edit) = edit_of(&msg) {
        let f = form.focused().f;
        if f.is_pick() {
            match edit {
                Edit::Insert(c) => open_picker(st, f, Some(c), fx),
                Edit::DeleteBack | Edit::Clear | Edit::DeleteWord => form.unpick(),
                _ => {}
            }
        } else {
            if text::apply(&mut form.focused_mut().input, &edit, None) {
                form.dirty = true;
                form.focused_mut().error = None;
            }
            if f == F::IdNumber
                && let Some(n) = form.live_check(t, lang, today)
            {
                fx.push(Effect::Prepare(Prep::Registered(n)));
            }
        }
        return Outcome::Stay;
    }
    let Msg::Action(a) = msg else {
        return Outcome::Stay;
    };
    let n = form.fields.len().max(1);
    match a {
        Action::NextField | Action::Down => form.focus = (form.focus + 1) % n,
        Action::PrevField | Action::Up => form.focus = (form.focus + n - 1) % n,
        Action::Open => {
            let f = form.focused().f;
            if f.is_pick() {
                open_picker(st, f, None, fx);
            } else if form.focus + 1 == n {
                save(st, false, fx);
            } else {
                form.focus += 1;
            }
        }
        Action::Save => save(st, false, fx),
        Action::SaveAndNext => save(st, true, fx),
        Action::OpenExisting => match form.existing {
            Some(id) => {
                st.tab = crate::domain::Kind::Trainees;
                return Outcome::Replace(Overlay::Detail {
                    record: RecordRef::Trainee(id),
                    scroll: 0,
                });
            }
            None => not_here(st, a),
        },
        Action::Cancel | Action::Back => {
            if form.dirty {
                return Outcome::Push(Overlay::Confirm(Confirm {
                    text: t.i_discard.to_string(),
                    op: Op::Discard,
                }));
            }
            return Outcome::Pop;
        }
        other => not_here(st, other),
    }
    Outcome::Stay
}

/// Ask to save the form on top (checked against the records first).
fn save(st: &mut State, next: bool, fx: &mut Vec<Effect>) {
    if let Some(Overlay::Intake(form)) = st.overlays.last() {
        fx.push(Effect::Run(Run::Save {
            form: form.clone(),
            next,
        }));
    }
}

/// The picker of a reference field; typing a first character opens it
/// with that character.
fn open_picker(st: &mut State, f: F, initial: Option<char>, fx: &mut Vec<Effect>) {
    let (t, lang) = (st.t(), st.lang);
    let Some(Overlay::Intake(form)) = st.overlays.last() else {
        return;
    };
    let items = match form.source(f, t, lang) {
        Source::Fixed(v) => {
            let all: Vec<(String, PickValue)> = v.into_iter().map(|(l, x)| (l, PickValue::Pick(x))).collect();
            let shown = (0..all.len()).collect();
            PickItems::Fixed { all, shown }
        }
        Source::Search(kind) => PickItems::Search {
            kind,
            ids: Arc::default(),
        },
        Source::Classes => {
            fx.push(Effect::Prepare(Prep::EnrollClasses {
                wanted: form.wanted(),
                region: form.region(),
                initial,
            }));
            return;
        }
    };
    let picker = Picker::new(PickPurpose::FormField(f), f.label(t).to_string(), initial, items);
    super::picker::open(st, picker, fx);
}

/// The ranked classes, read: the class picker.
pub(crate) fn classes_loaded(st: &mut State, items: Vec<(String, Pick)>, initial: Option<char>, fx: &mut Vec<Effect>) {
    let t = st.t();
    let all = items.into_iter().map(|(l, x)| (l, PickValue::Pick(x))).collect();
    let picker = Picker::fixed(
        PickPurpose::FormField(F::EnrollClass),
        F::EnrollClass.label(t).to_string(),
        initial,
        all,
    );
    super::picker::open(st, picker, fx);
}

/// A value chosen for a field of the form on top (its picker closed).
pub(crate) fn chosen(st: &mut State, f: F, v: Pick, fx: &mut Vec<Effect>) {
    let Some(Overlay::Intake(form)) = st.overlays.last_mut() else {
        return;
    };
    form.choose(f, v);
    // A demand's district follows its enterprise; a class's its institution.
    match v {
        Pick::Enterprise(e) => fx.push(Effect::Prepare(Prep::RegionOf(RecordRef::Enterprise(e)))),
        Pick::Institution(i) => fx.push(Effect::Prepare(Prep::RegionOf(RecordRef::Institution(i)))),
        _ => {}
    }
    if form.focus + 1 < form.fields.len() {
        form.focus += 1;
    }
}

pub(crate) fn region_loaded(st: &mut State, r: RegionId) {
    if let Some(Overlay::Intake(form)) = st.overlays.last_mut() {
        form.default_region(r);
    }
}

pub(crate) fn registered(st: &mut State, existing: Option<(TraineeId, String)>) {
    let t = st.t();
    if let Some(Overlay::Intake(form)) = st.overlays.last_mut() {
        form.registered(existing, t);
    }
}

/// A record's form, read: open it.
pub(crate) fn opened(st: &mut State, form: Option<Box<Intake>>) {
    match form {
        Some(f) => st.overlays.push(Overlay::Intake(f)),
        None => nothing_selected(st),
    }
}

/// How the save went: close or clear the form, or show it with its errors.
pub(crate) fn saved(st: &mut State, saved: Saved, _fx: &mut Vec<Effect>) {
    let t = st.t();
    let today = st.today;
    match saved {
        Saved::Refused { form, error } => {
            replace_form(st, form);
            match error {
                Some(e) => st.err(fill(t.refused, &[&e])),
                None => st.err(t.i_fix.to_string()),
            }
        }
        Saved::EnrollRefused { form, error } => {
            replace_form(st, form);
            st.saved += 1;
            st.err(fill(t.i_enroll_failed, &[&error]));
        }
        Saved::Done { name, enrolled, next } => {
            if let Some(Overlay::Intake(form)) = st.overlays.last_mut() {
                if next && form.editing.is_none() {
                    let carry: Carry = form.carry();
                    **form = Intake::new(form.kind, today, &carry);
                } else {
                    st.overlays.pop();
                }
            }
            st.saved += 1;
            let n = st.saved;
            let text = match enrolled {
                Some(class) => fill(t.i_saved_enrolled, &[&name, &class, &n]),
                None => fill(t.i_saved, &[&name, &n]),
            };
            st.ok(text);
        }
    }
}

fn replace_form(st: &mut State, form: Box<Intake>) {
    if let Some(Overlay::Intake(f)) = st.overlays.last_mut() {
        *f = form;
    }
}
