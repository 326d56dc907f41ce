//! `update(&mut State, Msg) -> Vec<Effect>`: the one place a session's
//! state changes. It reads no service: what it needs from the database it
//! asks for as an [`Effect`], and the answer comes back as a message.

use super::msg::{Effect, Loaded, Msg, Prep, Ran};
use super::overlay::{self, Outcome};
use super::searcher::{Request, Response, Slot};
use super::state::{Confirm, Op, Overlay, PickItems, PickPurpose, PickValue, Picker, REVEAL_FOR, State, Viewport};
use super::{case, list};
use crate::domain::{Kind, RecordRef};
use crate::i18n::{Lang, fill};
use crate::keymap::Action;
use crate::search::{Hay, Query};
use crate::service::{Filters, SearchSpec, Sort};
use crate::widgets::cursor::Step;
use crate::widgets::text::Edit;

/// Handle one message; return what to do about it.
pub fn update(st: &mut State, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    let focus_may_move = !matches!(msg, Msg::Events(..) | Msg::Viewport(_));
    match msg {
        Msg::Viewport(vp) => viewport(st, vp),
        Msg::Found(r) => found(st, r, &mut fx),
        Msg::Changed => changed(st, &mut fx),
        Msg::Events(case, events) => match events {
            Ok(ev) => st.case_events = Some((case, ev)),
            Err(e) => {
                st.case_events = None;
                st.err(e);
            }
        },
        Msg::Loaded(l) => loaded(st, l, &mut fx),
        Msg::Ran(r) => ran(st, r, &mut fx),
        Msg::Action(Action::Quit) if st.unsaved() && !matches!(st.overlays.last(), Some(Overlay::Confirm(_))) => {
            let t = st.t();
            st.overlays.push(Overlay::Confirm(Confirm {
                text: t.quit_unsaved.to_string(),
                op: Op::Quit,
            }));
        }
        Msg::Action(Action::Quit | Action::QuitNow) => st.quit = true,
        Msg::Action(Action::ToggleLanguage) => st.lang = st.lang.toggle(),
        Msg::Action(Action::Help) if !matches!(st.overlays.last(), Some(Overlay::Help { .. })) => {
            st.overlays.push(Overlay::Help { scroll: 0 });
        }
        input => {
            if st.overlays.is_empty() {
                list::update(st, input, &mut fx);
            } else {
                let out = overlay::update(st, input, &mut fx);
                apply(st, out);
            }
        }
    }
    if focus_may_move {
        load_focus(st, &mut fx);
    }
    fx
}

/// Carry out what an overlay asked of the stack.
pub(super) fn apply(st: &mut State, out: Outcome) {
    match out {
        Outcome::Stay => {}
        Outcome::Pop => {
            st.overlays.pop();
        }
        Outcome::Push(o) => st.overlays.push(o),
        Outcome::Replace(o) => {
            st.overlays.pop();
            st.overlays.push(o);
        }
    }
}

/// Keep the timeline of the case in focus loaded.
fn load_focus(st: &mut State, fx: &mut Vec<Effect>) {
    match st.focus() {
        Some(RecordRef::Case(c)) => {
            if st.case_events.as_ref().map(|(id, _)| *id) != Some(c) {
                fx.push(Effect::LoadEvents(c));
            }
        }
        _ => st.case_events = None,
    }
}

fn viewport(st: &mut State, vp: Viewport) {
    st.page = vp.rows.max(1);
    st.list_mut().offset = vp.offset;
}

/// The text edit a message makes, if it is one.
pub(super) fn edit_of(msg: &Msg) -> Option<Edit> {
    Some(match msg {
        Msg::Char(c) => Edit::Insert(*c),
        Msg::Paste(s) => Edit::Paste(s.clone()),
        Msg::Action(a) => match a {
            Action::DeleteBack => Edit::DeleteBack,
            Action::DeleteForward => Edit::DeleteForward,
            Action::DeleteWord => Edit::DeleteWord,
            Action::ClearQuery => Edit::Clear,
            Action::CursorLeft => Edit::Left,
            Action::CursorRight => Edit::Right,
            Action::CursorHome => Edit::Home,
            Action::CursorEnd => Edit::End,
            Action::WordLeft => Edit::WordLeft,
            Action::WordRight => Edit::WordRight,
            _ => return None,
        },
        _ => return None,
    })
}

/// The cursor move an action makes, if it is one.
pub(super) fn step_of(a: Action) -> Option<Step> {
    Some(match a {
        Action::Up => Step::Up,
        Action::Down => Step::Down,
        Action::PageUp => Step::PageUp,
        Action::PageDown => Step::PageDown,
        Action::First => Step::First,
        Action::Last => Step::Last,
        _ => return None,
    })
}

/// Move a list's selection if the action is a move; true if it was.
pub(super) fn move_cursor(selected: &mut usize, len: usize, a: Action, page: usize) -> bool {
    match step_of(a) {
        Some(step) => {
            *selected = crate::widgets::cursor::step(*selected, len, step, page);
            true
        }
        None => false,
    }
}

/// "Not here": an action this screen does not take.
pub(super) fn not_here(st: &mut State, a: Action) {
    let t = st.t();
    let d = match st.lang {
        Lang::Zh => a.describe_zh(),
        Lang::En => a.describe_en(),
    };
    st.err(fill(t.not_here, &[&d]));
}

pub(super) fn nothing_selected(st: &mut State) {
    let t = st.t();
    st.err(t.nothing_selected.to_string());
}

/// Search a list again for a new query, filter or order: the answer puts
/// the cursor on the first row.
pub(super) fn search_list(st: &mut State, kind: Kind, fx: &mut Vec<Effect>) {
    submit_list(st, kind, true, fx);
}

/// Search a list again after the data changed: the cursor stays on the
/// record it was on, if that is still found.
fn refresh_list(st: &mut State, kind: Kind, fx: &mut Vec<Effect>) {
    submit_list(st, kind, false, fx);
}

fn submit_list(st: &mut State, kind: Kind, to_top: bool, fx: &mut Vec<Effect>) {
    let generation = st.generation();
    let l = &mut st.lists[kind.tab_index()];
    l.generation = generation;
    // A refresh asked while a new query is still on its way keeps its reset.
    l.to_top = to_top || (l.to_top && l.pending);
    // An Enter typed ahead was for the query before this one.
    if to_top {
        l.open_on_answer = false;
    }
    l.pending = true;
    fx.push(Effect::Search(Request {
        slot: Slot::List(kind),
        generation,
        spec: SearchSpec {
            kind,
            query: Query::parse(l.input.value()),
            filters: l.filters.clone(),
            sort: l.sort_order(),
            districts: st.actor.districts.clone(),
        },
    }));
}

/// Search the picker on top again (a search list), or filter its fixed rows.
pub(super) fn search_picker(st: &mut State, fx: &mut Vec<Effect>) {
    let generation = st.generation();
    let Some(Overlay::Picker(p)) = st.overlays.last_mut() else {
        return;
    };
    p.generation = generation;
    match &mut p.items {
        PickItems::Search { kind, .. } => {
            p.waiting = true;
            fx.push(Effect::Search(Request {
                slot: Slot::Picker,
                generation,
                spec: SearchSpec {
                    kind: *kind,
                    query: Query::parse(p.input.value()),
                    filters: Filters::default(),
                    sort: Sort::Relevance,
                    districts: st.actor.districts.clone(),
                },
            }));
        }
        PickItems::Fixed { all, shown } => {
            // The best matches first (the exact name above a near one), the
            // list's own order among equals.
            let q = Query::parse(p.input.value());
            let mut scored: Vec<(i64, usize)> = all
                .iter()
                .enumerate()
                .filter_map(|(i, (label, _))| crate::search::score(&Hay::new(label.clone()), &q).map(|s| (s, i)))
                .collect();
            scored.sort_by_key(|(s, i)| (std::cmp::Reverse(*s), *i));
            *shown = scored.into_iter().map(|(_, i)| i).collect();
            p.selected = p.selected.min(shown.len().saturating_sub(1));
        }
    }
}

/// A search answered: show it if it is the newest asked for its slot.
fn found(st: &mut State, r: Response, fx: &mut Vec<Effect>) {
    match r.slot {
        Slot::List(kind) => {
            let l = &mut st.lists[kind.tab_index()];
            if r.generation != l.generation {
                return;
            }
            let keep = l.selected_id();
            l.ids = r.found.ids;
            l.pending = false;
            l.elapsed = r.found.elapsed;
            let to_top = std::mem::take(&mut l.to_top);
            (l.selected, l.offset) = crate::widgets::cursor::answered(keep, &l.ids, l.selected, l.offset, to_top);
            // Only while the list is still what the operator looks at.
            if std::mem::take(&mut l.open_on_answer) && st.tab == kind && st.overlays.is_empty() {
                super::list::open_selected(st);
            }
        }
        Slot::Picker => {
            if let Some(Overlay::Picker(p)) = st.overlays.last_mut()
                && p.generation == r.generation
                && let PickItems::Search { ids, .. } = &mut p.items
            {
                *ids = r.found.ids;
                p.selected = p.selected.min(ids.len().saturating_sub(1));
                p.waiting = false;
                if std::mem::take(&mut p.choose_on_answer) {
                    let out = overlay::picker::choose(st, fx);
                    apply(st, out);
                }
            }
        }
    }
}

/// The data changed: every list, the picker, the pairings, the timeline
/// and the dashboard follow.
fn changed(st: &mut State, fx: &mut Vec<Effect>) {
    for kind in Kind::TABS {
        refresh_list(st, kind, fx);
    }
    if matches!(st.overlays.last(), Some(Overlay::Picker(_))) {
        search_picker(st, fx);
    }
    if st.overlays.iter().any(|o| matches!(o, Overlay::Pairing(_))) {
        fx.push(Effect::Prepare(Prep::RefreshPairing));
    }
    if st.overlays.iter().any(|o| matches!(o, Overlay::Dashboard(_))) {
        fx.push(Effect::Prepare(Prep::Figures { open: false }));
    }
    super::wish::changed(st, fx);
    if st.overlays.iter().any(|o| matches!(o, Overlay::Subsidy(_))) {
        fx.push(Effect::Prepare(Prep::Claims {
            open: false,
            focus: None,
        }));
    }
    super::standards::changed(st, fx);
    st.case_events = None;
}

/// Data read for a dialog: open it.
fn loaded(st: &mut State, l: Loaded, fx: &mut Vec<Effect>) {
    match l {
        Loaded::Pairing(rows) => overlay::pairing::opened(st, rows, fx),
        Loaded::Pairings(all) => overlay::pairing::refreshed(st, all),
        Loaded::TraineePicker { class, name } => overlay::picker::open_trainees(st, class, &name, fx),
        Loaded::CaseAction {
            case,
            mk,
            state,
            subject,
            target,
        } => case::act(st, case, mk, &state, subject, target, fx),
        Loaded::AskMove { case, mv, who, what } => case::ask_move(st, case, mv, &who, &what),
        Loaded::AskEnroll(e) => overlay::picker::ask_enroll(st, *e),
        Loaded::Form(form) => overlay::intake::opened(st, form),
        Loaded::EnrollClasses { items, initial } => overlay::intake::classes_loaded(st, items, initial, fx),
        Loaded::Region(r) => overlay::intake::region_loaded(st, r),
        Loaded::Registered { existing } => overlay::intake::registered(st, existing),
        Loaded::Figures(f) => super::dashboard::figures_loaded(st, f),
        Loaded::ImportPlan(plan) => overlay::import::planned(st, plan),
        Loaded::ResultsPlan(plan) => overlay::import::results_planned(st, plan),
        Loaded::ClassStep(step) => case::ask_class_step(st, *step),
        Loaded::Exists(r, true) => {
            st.tab = r.kind();
            st.overlays.push(Overlay::Detail { record: r, scroll: 0 });
        }
        Loaded::Exists(r, false) => {
            let t = st.t();
            st.err(fill(t.goto_none, &[&r]));
        }
        Loaded::FollowUpsDue(rows) => {
            let t = st.t();
            if rows.is_empty() {
                st.ok(t.due_none.to_string());
            } else {
                let rows = rows
                    .into_iter()
                    .map(|(label, c)| (label, PickValue::Open(RecordRef::Case(c))))
                    .collect();
                st.overlays.push(Overlay::Picker(Picker::fixed(
                    PickPurpose::FollowUpsDue,
                    t.due_title.to_string(),
                    None,
                    rows,
                )));
            }
        }
        Loaded::WishQueue(rows) => super::wish::loaded(st, rows),
        Loaded::WishClasses(id, rows) => super::wish::classes_loaded(st, id, rows),
        Loaded::Nothing => nothing_selected(st),
        Loaded::Claims {
            claims,
            ledger_rows,
            open,
            focus,
        } => super::subsidy::loaded(st, claims, ledger_rows, open, focus),
        Loaded::Standards(table) => super::standards::loaded(st, table),
    }
}

/// A write finished: say how it went and close what led to it.
fn ran(st: &mut State, r: Ran, fx: &mut Vec<Effect>) {
    match r {
        Ran::Enrolled { result, who, what } => case::enrolled(st, result, &who, &what),
        Ran::Moved(result) => case::moved(st, result),
        Ran::Recorded(result, mk) => case::recorded(st, result, mk),
        Ran::MovedMany(result, mv) => case::moved_many(st, result, &mv),
        Ran::Saved(saved) => overlay::intake::saved(st, saved, fx),
        Ran::Imported(result) => overlay::import::imported(st, result),
        Ran::Revealed(Ok(shown)) => {
            let t = st.t();
            st.ok(fill(t.revealed, &[&shown.trainee, &REVEAL_FOR.as_secs()]));
            st.revealed = Some(shown);
        }
        Ran::Revealed(Err(e)) => st.err(e),
        Ran::Wish(r) => super::wish::ran(st, r),
        Ran::Exported(Ok(said)) => st.ok(said),
        Ran::Exported(Err(e)) => st.err(e),
        Ran::Subsidy(result) => super::subsidy::ran(st, result, fx),
        Ran::Reference(result) => super::reference::finished(st, result),
        Ran::Standards(result) => super::standards::ran(st, result, fx),
    }
}
