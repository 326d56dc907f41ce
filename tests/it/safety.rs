//! An operator never acts on a record other than the one shown: a new
//! search, filter or order puts the cursor on its first row, the detail
//! shows the highlighted row, Enter opens it.

use crate::common;

use common::ui::*;
use proptest::prelude::*;
use skillbridge::app::view::record::DetailLine;
use skillbridge::app::{App, Msg, Overlay};
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

/// The view at a size, its layout taken back as a driver would.
fn frame(a: &mut App, w: u16, h: u16) -> skillbridge::app::view::View {
    let v = a.view(ratatui::layout::Rect::new(0, 0, w, h));
    a.update(Msg::Viewport(v.viewport()));
    v
}

/// The title line of the detail pane.
fn pane_title(v: &skillbridge::app::view::View) -> Option<String> {
    v.pane.iter().find_map(|l| match l {
        DetailLine::Title(t) => Some(t.clone()),
        _ => None,
    })
}

#[test]
fn a_new_search_puts_the_cursor_on_its_first_row() {
    let svc = demo_service();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-4");
    // Pick a case that is not the first of its trade's cases.
    let (case, trade) = {
        let inner = svc.read();
        let c = inner.data.cases.values().nth(5).unwrap();
        let class = &inner.data.classes[&c.class];
        (c.id, class.occupation.zh().to_string())
    };
    type_text(&mut a, &format!("'{case}"));
    assert_eq!(a.state.list().selected_id(), Some(case.0));
    press(&mut a, "ctrl-u");
    type_text(&mut a, &trade);
    let l = a.state.list();
    assert!(l.ids.contains(&case.0), "{case} is still found by {trade}");
    assert_ne!(l.ids[0], case.0, "{case} is not the first row");
    assert_eq!(l.selected, 0, "the cursor is on the first row, not on {case}");
    let v = frame(&mut a, 120, 40);
    let top = CaseId(a.state.list().ids[0]).to_string();
    assert!(pane_title(&v).unwrap().starts_with(&top), "the detail shows {top}");
    press(&mut a, "enter");
    match a.state.overlays.last() {
        Some(Overlay::Detail { record, .. }) => assert_eq!(record.to_string(), top),
        other => panic!("{other:?}"),
    }
}

#[test]
fn enter_typed_before_the_search_answers_opens_the_record_typed() {
    let svc = demo_service();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-4");
    // A case the list does not show first before the search.
    let case = svc.read().data.cases.values().nth(7).unwrap().id;
    assert_ne!(a.state.list().selected_id(), Some(case.0));
    // Typed and entered at once: no answer has been taken in yet.
    for c in format!("'{case}").chars() {
        a.key(skillbridge::keymap::Key::ch(c));
    }
    a.key("enter".parse().unwrap());
    assert!(a.state.overlays.is_empty(), "nothing opens before the answer");
    a.tick();
    match a.state.overlays.last() {
        Some(Overlay::Detail { record, .. }) => assert_eq!(record.to_string(), case.to_string()),
        other => panic!("the case typed is open, not {other:?}"),
    }
    // An Enter followed by more typing was for the query before it.
    press(&mut a, "esc ctrl-u");
    for c in format!("'{case}").chars() {
        a.key(skillbridge::keymap::Key::ch(c));
    }
    a.key("enter".parse().unwrap());
    a.key(skillbridge::keymap::Key::ch('9'));
    a.tick();
    assert!(a.state.overlays.is_empty(), "{:?}", a.state.overlays.last());
}

#[test]
fn a_change_of_order_puts_the_cursor_on_top_and_in_view() {
    let mut a = app(demo_service(), Lang::En);
    frame(&mut a, 80, 24);
    press(&mut a, "pagedown pagedown pagedown");
    assert!(a.state.list().selected > 0);
    press(&mut a, "ctrl-o");
    let v = frame(&mut a, 80, 24);
    assert_eq!((a.state.list().selected, v.list.offset), (0, 0));
}

#[test]
fn a_change_elsewhere_keeps_the_cursor_on_its_record() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::En);
    press(&mut a, "alt-3 down down down");
    let before = a.state.list().selected_id();
    // Another session registers someone: this list refreshes, the cursor stays.
    let mut b = app(svc.clone(), Lang::En);
    press(&mut b, "alt-3 ctrl-n");
    type_text(&mut b, "新来");
    press(&mut b, "tab");
    type_text(&mut b, "11010519491231002X");
    press(&mut b, "tab tab");
    type_text(&mut b, "jk");
    press(&mut b, "enter tab");
    type_text(&mut b, "hg");
    press(&mut b, "enter ctrl-s");
    assert!(b.state.overlays.is_empty(), "{:?}", b.state.status);
    a.tick();
    assert_eq!(a.state.list().selected_id(), before);
}

/// An operator's step in the lists.
#[derive(Debug, Clone)]
enum Step {
    Type(char),
    Keys(&'static str),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        prop::sample::select(vec!['h', 'g', '焊', '工', 'k', '2', '0', 'd', 'y', ' ']).prop_map(Step::Type),
        prop::sample::select(vec![
            "backspace",
            "ctrl-u",
            "ctrl-o",
            "down",
            "up",
            "pagedown",
            "pageup",
            "ctrl-end",
            "ctrl-home",
            "tab",
            "ctrl-x",
        ])
        .prop_map(Step::Keys),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// After any sequence of queries, orders, filters and moves, the
    /// highlighted row is on screen and the detail shows it.
    #[test]
    fn the_highlighted_row_is_visible_and_shown(steps in prop::collection::vec(step(), 1..25), tall in any::<bool>()) {
        let (w, h) = if tall { (120, 40) } else { (80, 24) };
        let mut a = app(demo_service(), Lang::Zh);
        frame(&mut a, w, h);
        for s in steps {
            match s {
                Step::Type(c) => type_text(&mut a, &c.to_string()),
                Step::Keys(k) => press(&mut a, k),
            }
            let v = frame(&mut a, w, h);
            let l = a.state.list();
            if let Some(id) = l.selected_ref() {
                let rows = v.viewport().rows;
                prop_assert!(v.list.offset <= l.selected && l.selected < v.list.offset + rows,
                    "row {} not in view ({}+{rows})", l.selected, v.list.offset);
                let title = pane_title(&v).unwrap_or_default();
                prop_assert!(title.starts_with(&id.to_string()), "detail {title:?} for {id}");
            }
        }
    }
}

#[test]
fn ctrl_c_in_a_form_with_input_asks_first_and_keeps_it() {
    let mut a = app(small_service(), Lang::Zh);
    press(&mut a, "alt-3 ctrl-n");
    type_text(&mut a, "王小二");
    press(&mut a, "ctrl-c");
    assert!(!a.state.quit, "ctrl-c did not quit at once");
    let Some(Overlay::Confirm(c)) = a.state.overlays.last() else {
        panic!("no question: {:?}", a.state.overlays.last())
    };
    assert!(c.text.contains("未保存"), "{}", c.text);
    // "No" returns to the form as typed.
    press(&mut a, "n");
    let Some(Overlay::Intake(f)) = a.state.overlays.last() else {
        panic!("the form is gone")
    };
    assert_eq!(f.fields[0].input.value(), "王小二");
    // "Yes" quits.
    press(&mut a, "ctrl-c y");
    assert!(a.state.quit);
}

#[test]
fn ctrl_c_with_nothing_typed_quits_and_a_keymap_can_quit_without_asking() {
    let mut a = app(small_service(), Lang::En);
    press(&mut a, "alt-3 ctrl-n");
    press(&mut a, "ctrl-c");
    assert!(a.state.quit, "an empty form asks nothing");
    // The import dialog with a path typed asks too.
    let mut a = app(small_service(), Lang::En);
    press(&mut a, "f6");
    type_text(&mut a, "/tmp/x.csv");
    press(&mut a, "ctrl-c");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Confirm(_))));
    // An operator who wants the old ctrl-c binds quit-now.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keymap.toml");
    std::fs::write(&file, "[global]\n\"ctrl-c\" = \"quit-now\"\n").unwrap();
    let keymap = std::sync::Arc::new(skillbridge::keymap::KeyMap::with_user_file(&file).unwrap());
    let svc = small_service();
    let mut a = App::new(
        svc.clone(),
        keymap,
        Box::new(skillbridge::app::searcher::SyncSearcher::new(svc)),
        skillbridge::service::Actor::admin("t"),
        Lang::En,
    );
    press(&mut a, "alt-3 ctrl-n");
    type_text(&mut a, "x");
    press(&mut a, "ctrl-c");
    assert!(a.state.quit);
}

#[test]
fn a_group_code_is_labelled_as_the_group_s() {
    let svc = demo_service();
    let lathe = svc
        .read()
        .data
        .demands
        .values()
        .find(|d| d.occupation.zh() == "车工")
        .map(|d| d.id)
        .unwrap();
    for (lang, group) in [
        (Lang::Zh, "车工（所属职业组 6-18-01）"),
        (Lang::En, "(in group 6-18-01)"),
    ] {
        let mut a = app(svc.clone(), lang);
        type_text(&mut a, &format!("'{lathe}"));
        let v = frame(&mut a, 120, 40);
        let trade = v
            .pane
            .iter()
            .find_map(|l| match l {
                DetailLine::Field(label, value) if value.contains("车工") && !label.is_empty() => Some(value.clone()),
                _ => None,
            })
            .unwrap();
        assert!(trade.contains(group), "{trade}");
        assert!(
            !trade.ends_with("车工 6-18-01"),
            "not shown as the occupation's own code: {trade}"
        );
    }
}
