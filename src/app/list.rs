//! Keys on the lists (no dialog open): typing searches, moving, tabs, and
//! the keys that open a dialog.

use super::filters;
use super::intake::{Carry, Intake};
use super::msg::{Effect, Msg, Prep, Run};
use super::state::{ImportDialog, Overlay, PickPurpose, Picker, State};
use super::update::{edit_of, move_cursor, not_here, nothing_selected, search_list};
use crate::domain::{Kind, RecordRef};
use crate::keymap::Action;
use crate::service::Filters;
use crate::service::Sort;
use crate::widgets::text;
use tui_input::Input;

/// The detail of the list's selected record.
pub(super) fn open_selected(st: &mut State) {
    match st.list().selected_ref() {
        Some(record) => st.overlays.push(Overlay::Detail { record, scroll: 0 }),
        None => nothing_selected(st),
    }
}

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) {
    if let Some(edit) = edit_of(&msg) {
        if text::apply(&mut st.list_mut().input, &edit, None) {
            st.list_mut().selected = 0;
            search_list(st, st.tab, fx);
        }
        return;
    }
    let Msg::Action(a) = msg else { return };
    let page = st.page;
    let l = st.list_mut();
    let len = l.ids.len();
    if move_cursor(&mut l.selected, len, a, page) {
        return;
    }
    match a {
        Action::NextTab
        | Action::PrevTab
        | Action::TabDemands
        | Action::TabClasses
        | Action::TabTrainees
        | Action::TabCases
        | Action::TabInstitutions
        | Action::TabEnterprises => {
            let i = st.tab.tab_index();
            let n = Kind::TABS.len();
            st.tab = match a {
                Action::NextTab => Kind::TABS[(i + 1) % n],
                Action::PrevTab => Kind::TABS[(i + n - 1) % n],
                Action::TabDemands => Kind::Demands,
                Action::TabClasses => Kind::Classes,
                Action::TabTrainees => Kind::Trainees,
                Action::TabCases => Kind::Cases,
                Action::TabInstitutions => Kind::Institutions,
                _ => Kind::Enterprises,
            };
        }
        // Enter typed ahead of the search's answer (a case code typed and
        // entered at once, a slow link) opens what the answer puts first:
        // the row the list showed before is another record.
        Action::Open if st.list().pending => st.list_mut().open_on_answer = true,
        Action::Open => open_selected(st),
        Action::Pair => match st.focus() {
            Some(r) => fx.push(Effect::Prepare(Prep::Pair(r))),
            None => nothing_selected(st),
        },
        Action::Filter => {
            let t = st.t();
            let rows = filters::field_rows(st.tab, t);
            st.overlays.push(Overlay::Picker(Picker::fixed(
                PickPurpose::FilterField,
                t.pick_filter.to_string(),
                None,
                rows,
            )));
        }
        Action::Dashboard => fx.push(Effect::Prepare(Prep::Figures { open: true })),
        Action::FollowUpsDue => fx.push(Effect::Prepare(Prep::FollowUpsDue)),
        Action::WishQueue => super::wish::open(st, fx),
        Action::Subsidies => super::subsidy::open(fx),
        Action::ReferenceView => super::reference::open(st),
        Action::Reveal => reveal(st, st.list().selected_ref(), fx),
        Action::ExportList => fx.push(Effect::Run(Run::ExportList {
            kind: st.tab,
            ids: st.list().ids.clone(),
        })),
        Action::Goto => {
            let t = st.t();
            st.overlays.push(Overlay::Picker(Picker::fixed(
                PickPurpose::Goto,
                t.goto_title.to_string(),
                None,
                Vec::new(),
            )));
        }
        Action::ClearFilters => {
            st.list_mut().filters = Filters::default();
            search_list(st, st.tab, fx);
        }
        Action::New => {
            let kind = match st.tab {
                Kind::Cases => Kind::Trainees,
                k => k,
            };
            open_blank(st, kind);
        }
        Action::NewInstitution => open_blank(st, Kind::Institutions),
        Action::NewEnterprise => open_blank(st, Kind::Enterprises),
        Action::ImportFile => {
            // On the cases' tab: an evaluation agency's results sheet.
            let kind = st.tab;
            st.overlays.push(Overlay::Import(Box::new(ImportDialog {
                kind,
                input: Input::default(),
                error: None,
                plan: None,
                results: None,
                working: false,
            })));
        }
        Action::Edit => match st.list().selected_ref() {
            Some(r) => edit(fx, r),
            None => nothing_selected(st),
        },
        Action::CycleSort => {
            let n = Sort::choices(st.tab).len();
            let l = st.list_mut();
            l.sort = (l.sort + 1) % n;
            search_list(st, st.tab, fx);
        }
        other => not_here(st, other),
    }
}

/// A blank record form.
fn open_blank(st: &mut State, kind: Kind) {
    let form = Intake::new(kind, st.today, &Carry::default());
    st.overlays.push(Overlay::Intake(Box::new(form)));
}

/// The form of a record (a case's form is its trainee's).
pub(super) fn edit(fx: &mut Vec<Effect>, r: RecordRef) {
    fx.push(Effect::Prepare(Prep::Edit(r)));
}

/// Ask to show the whole numbers of the person behind `record` (a trainee,
/// or a case's trainee); the runner records the reveal first.
pub fn reveal(st: &mut State, record: Option<RecordRef>, fx: &mut Vec<Effect>) {
    match record {
        Some(r @ (RecordRef::Trainee(_) | RecordRef::Case(_))) => fx.push(Effect::Run(Run::Reveal(r))),
        _ => {
            let t = st.t();
            st.err(t.reveal_nobody.to_string());
        }
    }
}
