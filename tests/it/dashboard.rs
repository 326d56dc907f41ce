//! The dashboard, driven by key strings through the shipped keymap and
//! rendered on ratatui's TestBackend.

use crate::common;

use common::ui::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use skillbridge::app::dashboard::{DashboardState, Dir, View, neighbor};
use skillbridge::app::{App, Overlay};
use skillbridge::domain::Kind;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

fn dash(a: &App) -> &DashboardState {
    match a.state.overlays.last() {
        Some(Overlay::Dashboard(d)) => d,
        other => panic!("the dashboard is not open: {other:?}"),
    }
}

const VIEWS: [(&str, View, &str); 9] = [
    ("1", View::Targets, "targets"),
    ("2", View::Trades, "trades"),
    ("3", View::Districts, "districts"),
    ("4", View::Map, "map"),
    ("5", View::Programs, "programs"),
    ("6", View::Alliances, "alliances"),
    ("7", View::Institutions, "institutions"),
    ("8", View::Charts, "charts"),
    ("9", View::Aftercare, "aftercare"),
];

/// The dashboard opened and shown view by view up to `name`.
fn at(lang: Lang, name: &str) -> App {
    let mut a = app(demo_service(), lang);
    press(&mut a, "f3");
    for (key, view, n) in VIEWS {
        press(&mut a, key);
        assert_eq!(dash(&a).view, view);
        if n == name {
            return a;
        }
    }
    panic!("no view '{name}'")
}

fn shot(name: &str, lang: Lang, w: u16, h: u16) {
    let l = if lang == Lang::Zh { "zh" } else { "en" };
    insta::assert_snapshot!(format!("dashboard_{name}_{l}_{w}x{h}"), render(&at(lang, name), w, h));
}

/// One test per snapshot: every view in both languages at 80×24 and 120×40.
macro_rules! views {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;
            #[test]
            fn zh_80x24() {
                shot(stringify!($name), Lang::Zh, 80, 24)
            }
            #[test]
            fn zh_120x40() {
                shot(stringify!($name), Lang::Zh, 120, 40)
            }
            #[test]
            fn en_80x24() {
                shot(stringify!($name), Lang::En, 80, 24)
            }
            #[test]
            fn en_120x40() {
                shot(stringify!($name), Lang::En, 120, 40)
            }
        }
    )*};
}

views!(
    targets,
    trades,
    districts,
    map,
    programs,
    alliances,
    institutions,
    charts
);

/// Every line between the dashboard's top and bottom borders ends on its
/// right border: no double-width text spills over it.
#[test]
fn the_frame_stays_whole_at_every_size() {
    let svc = demo_service();
    for lang in [Lang::Zh, Lang::En] {
        let mut a = app(svc.clone(), lang);
        press(&mut a, "f3");
        for (key, _, name) in VIEWS {
            press(&mut a, key);
            for (w, h) in [(60, 20), (80, 24), (100, 30), (120, 40), (160, 50)] {
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| {
                    skillbridge::ui::draw(f, &a);
                })
                .unwrap();
                let buf = t.backend().buffer();
                // Header, search line; the dashboard's box; status, footer.
                assert_eq!(buf[(w - 1, 2)].symbol(), "┐", "{name} {w}x{h}");
                for y in 3..h - 3 {
                    assert_eq!(buf[(w - 1, y)].symbol(), "│", "{name} {lang:?} {w}x{h}: line {y}");
                    assert_eq!(buf[(0, y)].symbol(), "│", "{name} {lang:?} {w}x{h}: line {y}");
                }
                assert_eq!(buf[(w - 1, h - 3)].symbol(), "┘", "{name} {w}x{h}");
            }
        }
    }
}

#[test]
fn every_view_survives_every_size() {
    let mut a = app(demo_service(), Lang::Zh);
    press(&mut a, "f3");
    for (key, _, _) in VIEWS {
        press(&mut a, key);
        for w in [
            1u16, 2, 5, 10, 19, 20, 21, 30, 40, 69, 70, 79, 80, 99, 100, 109, 110, 150, 200,
        ] {
            for h in [1u16, 2, 3, 5, 6, 7, 8, 10, 15, 16, 24, 30, 40, 60] {
                let _ = render(&a, w, h);
            }
        }
    }
}

#[test]
fn f3_and_alt5_open_it_tab_cycles_and_esc_closes() {
    let mut a = app(demo_service(), Lang::En);
    press(&mut a, "f3");
    assert_eq!(dash(&a).view, View::Targets);
    press(&mut a, "tab tab");
    assert_eq!(dash(&a).view, View::Districts);
    press(&mut a, "shift-tab shift-tab shift-tab");
    assert_eq!(dash(&a).view, View::Aftercare);
    press(&mut a, "esc");
    assert!(a.state.overlays.is_empty());
    press(&mut a, "alt-5");
    assert_eq!(dash(&a).view, View::Targets);
    // Help opens over it and returns to it.
    press(&mut a, "f1");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Help { .. })));
    press(&mut a, "esc");
    dash(&a);
    press(&mut a, "f3");
    assert!(a.state.overlays.is_empty());
    // Enter where there is nothing to filter by says so.
    press(&mut a, "f3 enter");
    dash(&a);
    let st = a.state.status.clone().unwrap();
    assert!(st.error && st.text.starts_with("not available here"), "{}", st.text);
}

#[test]
fn arrows_walk_the_map_and_enter_filters_every_list_by_the_district() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "f3 4");
    assert_eq!(dash(&a).region(), RegionId(0));
    let screen = render(&a, 120, 40);
    assert!(screen.contains("◉ 京口 "), "{screen}");
    press(&mut a, "right");
    let east = neighbor(RegionId(0), Dir::Right).unwrap();
    assert_eq!(dash(&a).region(), east);
    assert_eq!(east.zh(), "镇江新区");
    press(&mut a, "down");
    let south = neighbor(east, Dir::Down).unwrap();
    assert_eq!(dash(&a).region(), south);
    // The table shares the selection.
    press(&mut a, "3");
    assert_eq!(dash(&a).row(View::Districts), south.0 as usize);
    press(&mut a, "4 enter");
    assert!(a.state.overlays.is_empty());
    let st = a.state.status.clone().unwrap();
    assert_eq!(st.text, format!("列表已按区域筛选：{}", south.zh()));
    for l in &a.state.lists {
        assert_eq!(l.filters.region, Some(south));
    }
    let inner = svc.read();
    let demands = &a.state.lists[Kind::Demands.tab_index()].ids;
    assert!(!demands.is_empty());
    for id in demands.iter() {
        assert_eq!(inner.data.demands[&DemandId(*id)].region, south);
    }
    for id in a.state.lists[Kind::Classes.tab_index()].ids.iter() {
        assert_eq!(inner.data.classes[&ClassId(*id)].region, south);
    }
    let n = inner.data.demands.values().filter(|d| d.region == south).count();
    assert_eq!(demands.len(), n);
}

#[test]
fn enter_on_a_trade_or_a_program_filters_by_it() {
    let mut a = app(demo_service(), Lang::En);
    press(&mut a, "f3 2 down");
    let trade = OccupationId(dash(&a).figures.trades[1].id);
    press(&mut a, "enter");
    assert!(a.state.overlays.is_empty());
    for l in &a.state.lists {
        assert_eq!(l.filters.occupation, Some(trade));
    }
    assert_eq!(
        a.state.status.clone().unwrap().text,
        format!("lists filtered by Trade: {}", trade.en())
    );
    press(&mut a, "f3 5 end enter");
    for l in &a.state.lists {
        assert_eq!(l.filters.program, Some(ProgramId(7)));
        assert_eq!(l.filters.occupation, Some(trade), "filters add up");
    }
    press(&mut a, "alt-2");
    let inner = a.svc.read();
    for id in a.state.list().ids.iter() {
        let c = &inner.data.classes[&ClassId(*id)];
        assert_eq!((c.program, c.occupation), (ProgramId(7), trade));
    }
}

#[test]
fn figures_follow_another_session_and_are_not_recounted_without_a_change() {
    let (_dir, svc) = own_service(300);
    let mut one = app(svc.clone(), Lang::Zh);
    let mut two = app(svc.clone(), Lang::Zh);
    press(&mut one, "f3 2");
    assert_eq!(dash(&one).computed, 1);
    let before = dash(&one).figures.clone();
    for _ in 0..5 {
        let _ = render(&one, 120, 40);
        one.tick();
    }
    assert_eq!(dash(&one).computed, 1, "drawing and idle ticks never recount");
    let trades_before = render(&one, 120, 40);
    // The other session enrolls someone (pairing on a welder demand).
    type_text(&mut two, "hg");
    press(&mut two, "ctrl-p enter enter y");
    assert!(!two.state.status.clone().unwrap().error, "{:?}", two.state.status);
    one.tick();
    let d = dash(&one);
    assert_eq!(d.computed, 2);
    let after = &d.figures;
    assert_eq!(after.totals.cases, before.totals.cases + 1);
    let training = |f: &skillbridge::figures::Figures| f.trades.iter().map(|r| r.figures.in_training).sum::<u64>();
    assert_eq!(training(after), training(&before) + 1);
    let seats = |f: &skillbridge::figures::Figures| f.trades.iter().map(|r| r.figures.seats_open).sum::<u64>();
    assert_eq!(seats(after), seats(&before) - 1);
    assert_ne!(render(&one, 120, 40), trades_before, "the screen shows the change");
    one.tick();
    assert_eq!(dash(&one).computed, 2);
}

#[test]
fn a_bad_labor_force_setting_is_named_and_the_default_used() {
    let (_dir, svc) = own_service(100);
    svc.set_meta(skillbridge::figures::META_LABOR_FORCE, "two million")
        .unwrap();
    let mut a = app(svc.clone(), Lang::En);
    press(&mut a, "f3");
    let st = a.state.status.clone().unwrap();
    assert!(st.error, "{}", st.text);
    assert!(
        st.text
            .starts_with("labor-force setting ignored, using 2000000: labor force 'two million'")
            && st.text.contains("setting 'labor_force' of the database at")
            && st.text.contains("from 657000 to 100000000"),
        "{}",
        st.text
    );
    assert_eq!(dash(&a).figures.basis.labor_force, 2_000_000);
}

#[test]
fn a_drill_down_clears_the_query_and_says_so() {
    let mut a = app(demo_service(), Lang::Zh);
    // A query that finds nothing in 京口区's demands.
    type_text(&mut a, "zzzz");
    assert!(a.state.list().ids.is_empty());
    press(&mut a, "f3 3 enter");
    let st = a.state.status.clone().unwrap();
    assert!(st.text.ends_with("（已清空搜索词）"), "{}", st.text);
    for l in &a.state.lists {
        assert_eq!(l.input.value(), "", "the query is cleared");
        assert_eq!(l.filters.region, Some(RegionId(0)));
    }
    assert!(!a.state.list().ids.is_empty(), "京口区's demands are shown");
}
