//! The small form of a case step (evaluation results, a withdrawal
//! reason): fields, then a confirmation over the form.

use super::Outcome;
use crate::app::case;
use crate::app::form::FieldId;
use crate::app::form::FormPurpose;
use crate::app::msg::{Effect, Msg, Run};
use crate::app::state::{Confirm, Op, Overlay, PickPurpose, PickValue, Picker, State};
use crate::app::update::edit_of;
use crate::i18n::fill;
use crate::keymap::Action;
use crate::widgets::text;

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let t = st.t();
    let lang = st.lang;
    let Some(Overlay::Form(f)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    if let Some(edit) = edit_of(&msg) {
        f.dirty |= text::apply(f.focused(), &edit, None);
        return Outcome::Stay;
    }
    let n = f.fields.len().max(1);
    match msg {
        Msg::Action(Action::NextField) => f.focus = (f.focus + 1) % n,
        Msg::Action(Action::PrevField) => f.focus = (f.focus + n - 1) % n,
        Msg::Action(Action::Cancel | Action::Back) => return Outcome::Pop,
        // Enter on the level chooses it from the five levels by name.
        Msg::Action(Action::Open) if f.focused_id() == Some(FieldId::Level) => {
            let rows = crate::app::intake::fixed_items(crate::app::intake::F::TargetLevel, t, st.lang)
                .into_iter()
                .map(|(label, pick)| (label, PickValue::Pick(pick)))
                .collect();
            let title = FieldId::Level.label(t).to_string();
            return Outcome::Push(Overlay::Picker(Picker::fixed(
                PickPurpose::CaseFormLevel,
                title,
                None,
                rows,
            )));
        }
        // Enter on a code field chooses it by name (#18).
        Msg::Action(Action::Open)
            if f.focused_id()
                .is_some_and(|id| !crate::app::form::code_names(id).is_empty()) =>
        {
            if let Some(p) = f.focused_id().and_then(|id| code_picker(id, t, lang)) {
                return Outcome::Push(Overlay::Picker(p));
            }
        }
        // The subsidy standard table's forms (#21).
        Msg::Action(Action::Save | Action::Open)
            if matches!(
                f.purpose,
                FormPurpose::StandardAdd | FormPurpose::StandardAmount | FormPurpose::StandardUplift
            ) =>
        {
            return crate::app::standards::submit(st);
        }
        Msg::Action(Action::Save | Action::Open) => match f.purpose {
            FormPurpose::SecondClass { trainee, class } => {
                if let Some(reason) = f.reason(t) {
                    let text = fill(t.ask_enroll_second, &[&f.names.0, &f.names.1, &reason]);
                    let note = format!("second class: {reason}");
                    return Outcome::Push(Overlay::Confirm(Confirm {
                        text,
                        op: Op::Enroll { trainee, class, note },
                    }));
                }
            }
            FormPurpose::Note(_) | FormPurpose::Correct(_) | FormPurpose::NotHire(_) | FormPurpose::FollowUp(_) => {
                match f.aftercare(t, lang) {
                    // A note is written at once; the form closes when it is.
                    Some((op, None)) => fx.push(Effect::Run(Run::Op(op))),
                    Some((op, Some(text))) => return Outcome::Push(Overlay::Confirm(Confirm { text, op })),
                    None => {}
                }
            }
            purpose => {
                if let (Some(mv), Some(case)) = (f.submit(t), purpose.case()) {
                    // The form stays under the confirmation: a "no" returns to it as typed.
                    fx.push(case::ask(case, mv));
                }
            }
        },
        _ => {}
    }
    Outcome::Stay
}

/// The picker of a code field of an after-the-job form (#18): its choices
/// by name, numbered ("1 企业未录用"), so typing the number or a few
/// letters narrows them.
pub(crate) fn code_picker(id: FieldId, t: &crate::i18n::Strings, lang: crate::i18n::Lang) -> Option<Picker> {
    let names = crate::app::form::code_names(id);
    let title = match id {
        FieldId::NotHiredCode => t.pick_codes[0],
        FieldId::Outcome => t.pick_codes[1],
        FieldId::LeaveCode => t.pick_codes[2],
        _ => return None,
    };
    let rows = names
        .iter()
        .enumerate()
        .map(|(i, (zh, en))| {
            let name = if lang == crate::i18n::Lang::Zh { zh } else { en };
            (format!("{} {name}", i + 1), PickValue::Code(i))
        })
        .collect();
    Some(Picker::fixed(
        PickPurpose::AftercareCode(id),
        title.to_string(),
        None,
        rows,
    ))
}
