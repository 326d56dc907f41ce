//! Pickers: a searched list of records (a trainee to enroll, an enterprise
//! for a form) or a fixed list (a form's choices, filter fields and values),
//! narrowed by typing. Enter chooses; an Enter typed before the search
//! answered chooses what the answer puts first.

use super::Outcome;
use crate::app::filters;
use crate::app::form::{Form, FormPurpose};
use crate::app::intake::Pick;
use crate::app::msg::{Effect, Enrolling, Msg, Prep};
use crate::app::state::{Confirm, Op, Overlay, PickItems, PickPurpose, PickValue, Picker, State};
use crate::app::update::{edit_of, move_cursor, nothing_selected, search_list, search_picker};
use crate::domain::{ClassId, Kind, RecordRef, TraineeId};
use crate::i18n::fill;
use crate::keymap::Action;
use crate::widgets::text;
use std::sync::Arc;

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let page = st.page;
    let Some(Overlay::Picker(p)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    if let Some(edit) = edit_of(&msg) {
        if text::apply(&mut p.input, &edit, None) {
            p.selected = 0;
            // An Enter typed ahead was for the query before this edit.
            p.choose_on_answer = false;
            search_picker(st, fx);
        }
        return Outcome::Stay;
    }
    let Msg::Action(a) = msg else {
        return Outcome::Stay;
    };
    let len = p.len();
    if move_cursor(&mut p.selected, len, a, page) {
        return Outcome::Stay;
    }
    match a {
        Action::Cancel | Action::Back => Outcome::Pop,
        Action::Open => choose(st, fx),
        _ => Outcome::Stay,
    }
}

/// Open a picker and fill it (a search list asks the engine).
pub(crate) fn open(st: &mut State, picker: Picker, fx: &mut Vec<Effect>) {
    st.overlays.push(Overlay::Picker(picker));
    search_picker(st, fx);
}

/// The trainee picker of a class, its name read.
pub(crate) fn open_trainees(st: &mut State, class: ClassId, name: &str, fx: &mut Vec<Effect>) {
    let t = st.t();
    let items = PickItems::Search {
        kind: Kind::Trainees,
        ids: Arc::default(),
    };
    open(
        st,
        Picker::new(
            PickPurpose::EnrollInto(class),
            fill(t.pick_trainee, &[&name]),
            None,
            items,
        ),
        fx,
    );
}

/// With the names and the rules read: refuse, ask why a second class, or
/// confirm the enrollment (saying any warning, which the event keeps).
pub(crate) fn ask_enroll(st: &mut State, e: Enrolling) {
    let t = st.t();
    if let Some(why) = e.refusal {
        st.err(fill(t.refused, &[&why]));
        return;
    }
    if let Some(busy) = &e.busy_in {
        let subject = fill(t.form_second_class, &[&e.who, busy]);
        let mut form = Form::new(
            FormPurpose::SecondClass {
                trainee: e.trainee,
                class: e.class,
            },
            subject,
            None,
        );
        form.names = (e.who.clone(), e.what.clone());
        st.overlays.push(Overlay::Form(form));
        return;
    }
    let mut text = fill(t.ask_enroll, &[&e.who, &e.what]);
    if let Some(w) = &e.warning {
        text.push(' ');
        text.push_str(&fill(t.enroll_warning, &[w]));
    }
    st.overlays.push(Overlay::Confirm(Confirm {
        text,
        op: Op::Enroll {
            trainee: e.trainee,
            class: e.class,
            note: e.warning.map(|w| format!("confirmed: {w}")).unwrap_or_default(),
        },
    }));
}

/// Enter in a picker: act on the highlighted row.
pub(crate) fn choose(st: &mut State, fx: &mut Vec<Effect>) -> Outcome {
    let Some(Overlay::Picker(p)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    if p.purpose == PickPurpose::Goto {
        let typed = p.input.value().to_string();
        return match RecordRef::parse(&typed) {
            Some(r) => {
                fx.push(Effect::Prepare(Prep::Exists(r)));
                Outcome::Pop
            }
            None => {
                let t = st.t();
                st.err(fill(t.goto_bad, &[&typed.trim()]));
                Outcome::Stay
            }
        };
    }
    // Enter typed ahead of the search's answer (a fast typist, a slow
    // link) chooses what the answer puts first, not "nothing".
    if let PickItems::Search { ids, .. } = &p.items
        && ids.is_empty()
        && p.waiting
    {
        p.choose_on_answer = true;
        return Outcome::Stay;
    }
    let purpose = p.purpose;
    let value: Option<PickValue> = match &p.items {
        PickItems::Search { kind, ids } => ids
            .get(p.selected)
            .and_then(|id| Pick::of_record(RecordRef::new(*kind, *id)))
            .map(PickValue::Pick),
        PickItems::Fixed { all, shown } => shown.get(p.selected).and_then(|i| all.get(*i)).map(|(_, v)| v.clone()),
    };
    match purpose {
        PickPurpose::EnrollInto(class) => {
            let chosen = match &p.items {
                PickItems::Search { ids, .. } => ids.get(p.selected).copied(),
                PickItems::Fixed { .. } => None,
            };
            match chosen {
                Some(tid) => fx.push(Effect::Prepare(Prep::AskEnroll(TraineeId(tid), class))),
                None => nothing_selected(st),
            }
            Outcome::Stay
        }
        PickPurpose::FormField(f) => match value {
            Some(PickValue::Pick(v)) => {
                st.overlays.pop();
                super::intake::chosen(st, f, v, fx);
                Outcome::Stay
            }
            _ => {
                nothing_selected(st);
                Outcome::Stay
            }
        },
        PickPurpose::Goto => Outcome::Stay,
        PickPurpose::WishClass(id) => crate::app::wish::class_chosen(id, value, fx),
        PickPurpose::Reference(stage) => {
            let typed = p.input.value().to_string();
            crate::app::reference::choose(st, stage, value, typed, fx)
        }
        PickPurpose::FollowUpsDue => match value {
            Some(PickValue::Open(r)) => {
                fx.push(Effect::Prepare(Prep::Exists(r)));
                Outcome::Pop
            }
            _ => {
                nothing_selected(st);
                Outcome::Stay
            }
        },
        PickPurpose::AftercareCode(field) => {
            let Some(PickValue::Code(i)) = value else {
                nothing_selected(st);
                return Outcome::Stay;
            };
            let (t, lang) = (st.t(), st.lang);
            st.overlays.pop();
            let Some(Overlay::Form(f)) = st.overlays.last_mut() else {
                return Outcome::Stay;
            };
            f.set_code(field, i, lang);
            use crate::app::form::FieldId;
            // 已离职 asks why at once; otherwise on to the next field.
            let next = match (field, i) {
                (FieldId::Outcome, 2) => FieldId::LeaveCode,
                (FieldId::Outcome, _) | (FieldId::LeaveCode, _) => FieldId::Wage,
                _ => FieldId::Note,
            };
            f.focus_on(next);
            if next == FieldId::LeaveCode
                && let Some(p) = super::form::code_picker(next, t, lang)
            {
                return Outcome::Push(Overlay::Picker(p));
            }
            Outcome::Stay
        }
        PickPurpose::CaseFormLevel => {
            st.overlays.pop();
            if let (Some(PickValue::Pick(Pick::Level(l))), Some(Overlay::Form(f))) = (value, st.overlays.last_mut()) {
                f.set_level(l);
                f.focus = (f.focus + 1).min(f.fields.len().saturating_sub(1));
            }
            Outcome::Stay
        }
        PickPurpose::FilterField | PickPurpose::FilterValue(_) => match value {
            Some(PickValue::Field(field)) => {
                let t = st.t();
                let rows = filters::value_rows(field, st.tab, &st.list().filters, t, st.lang);
                let title = fill(t.pick_value, &[&field.label(t)]);
                Outcome::Replace(Overlay::Picker(Picker::fixed(
                    PickPurpose::FilterValue(field),
                    title,
                    None,
                    rows,
                )))
            }
            Some(PickValue::Filter(filters)) => {
                st.overlays.pop();
                let l = st.list_mut();
                l.filters = filters;
                l.selected = 0;
                search_list(st, st.tab, fx);
                Outcome::Stay
            }
            _ => Outcome::Stay,
        },
    }
}
