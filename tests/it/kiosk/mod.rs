//! Kiosk mode: every screen walked on a demo city and checked for personal
//! data, snapshots in both languages, the idle reset with injected time, the
//! exit key setting, live data, and the walls around the public view.

mod behaviour;
mod cli;
mod leaks;
mod lists;
mod walls;
mod wishes;

use crate::common;

use common::ui::{demo_service, own_service};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::keymap::Key;
use skillbridge::kiosk::searcher::SyncSearcher;
use skillbridge::kiosk::{Kiosk, Page, Settings};
use skillbridge::service::Service;
use skillbridge::service::public::{Listing, PublicView};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn kiosk_with(svc: Arc<Service>, settings: Settings, now: Instant) -> Kiosk {
    let view = PublicView::new(svc);
    let mut k = Kiosk::new(view.clone(), settings, Box::new(SyncSearcher::new(view)));
    k.tick(now);
    k
}

pub(super) fn kiosk(svc: Arc<Service>, lang: Lang, now: Instant) -> Kiosk {
    kiosk_with(
        svc,
        Settings {
            lang,
            ..Settings::default()
        },
        now,
    )
}

/// Press keys named as in keymap.toml, separated by spaces.
pub(super) fn press(k: &mut Kiosk, keys: &str, now: Instant) {
    for name in keys.split_whitespace() {
        let key: Key = name.parse().unwrap_or_else(|e| panic!("bad key '{name}' in test: {e}"));
        k.key(key, now);
        k.tick(now);
    }
}

pub(super) fn type_text(k: &mut Kiosk, text: &str, now: Instant) {
    for c in text.chars() {
        k.key(Key::ch(c), now);
        k.tick(now);
    }
}

pub(super) fn terminal(k: &Kiosk, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        skillbridge::kiosk::ui::draw(f, k);
    })
    .unwrap();
    t
}

pub(super) fn render(k: &Kiosk, w: u16, h: u16) -> String {
    terminal(k, w, h).backend().to_string()
}

/// The text of a buffer, row by row: a wide character once, without the
/// cell it covers (so "王芳" reads as drawn, not "王 芳").
pub(super) fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += skillbridge::ui::unicode_width(sym).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

pub(super) fn screen_text(k: &Kiosk, w: u16, h: u16) -> String {
    buffer_text(terminal(k, w, h).backend().buffer())
}

pub(super) fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// A kiosk after walking the screens' key path up to `step`.
pub(super) fn at(lang: Lang, step: &str) -> Kiosk {
    let now = Instant::now();
    let mut k = kiosk(demo_service(), lang, now);
    macro_rules! stop {
        ($name:literal) => {
            if step == $name {
                return k;
            }
        };
    }
    stop!("home");
    press(&mut k, "enter", now);
    stop!("classes");
    type_text(&mut k, "hg", now);
    stop!("classes_hg");
    press(&mut k, "enter", now);
    stop!("class");
    press(&mut k, "esc ctrl-u f2", now);
    stop!("choose_district");
    type_text(&mut k, "dy", now);
    press(&mut k, "enter", now);
    stop!("classes_danyang");
    press(&mut k, "esc down", now);
    stop!("home_jobs");
    press(&mut k, "enter", now);
    stop!("jobs");
    press(&mut k, "f3", now);
    stop!("choose_trade");
    type_text(&mut k, "welder", now);
    press(&mut k, "enter", now);
    stop!("jobs_welder");
    press(&mut k, "enter", now);
    stop!("job");
    press(&mut k, "down enter", now);
    stop!("job_class");
    panic!("no step '{step}' on the key path")
}

pub(super) fn shot(step: &str, lang: Lang) {
    let l = lang_name(lang);
    insta::assert_snapshot!(format!("{step}_{l}_80x24"), render(&at(lang, step), 80, 24));
}

/// One test per snapshot: every kiosk screen in both languages.
macro_rules! screens {
    ($($step:ident),* $(,)?) => {$(
        mod $step {
            use super::*;
            #[test]
            fn zh() {
                shot(stringify!($step), Lang::Zh)
            }
            #[test]
            fn en() {
                shot(stringify!($step), Lang::En)
            }
        }
    )*};
}

screens!(
    home,
    classes,
    classes_hg,
    class,
    choose_district,
    classes_danyang,
    home_jobs,
    jobs,
    choose_trade,
    jobs_welder,
    job,
    job_class
);
