#![allow(dead_code)]
//! Drive a workspace session through the real keymap and render it.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use skillbridge::app::App;
use skillbridge::app::searcher::SyncSearcher;
use skillbridge::i18n::Lang;
use skillbridge::keymap::{Key, KeyMap};
use skillbridge::service::Service;
use skillbridge::store::Store;
use std::sync::{Arc, OnceLock};

/// A small demo city, built once per test binary into a temp dir and
/// shared (sled allows one open per process: every test clones the service).
pub fn demo_service() -> Arc<Service> {
    static SVC: OnceLock<(tempfile::TempDir, Arc<Service>)> = OnceLock::new();
    SVC.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 600, seed: 7 }).unwrap();
        let svc = Service::open(store).unwrap();
        (dir, svc)
    })
    .1
    .clone()
}

/// A small demo city (200 trainees), built once per test binary and
/// shared, for tests that only read.
pub fn small_service() -> Arc<Service> {
    static SVC: OnceLock<(tempfile::TempDir, Arc<Service>)> = OnceLock::new();
    SVC.get_or_init(|| own_service(200)).1.clone()
}

/// A fresh demo city of its own (for tests that change data).
pub fn own_service(trainees: usize) -> (tempfile::TempDir, Arc<Service>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees, seed: 7 }).unwrap();
    let svc = Service::open(store).unwrap();
    (dir, svc)
}

pub fn app(svc: Arc<Service>, lang: Lang) -> App {
    let keymap = Arc::new(KeyMap::shipped().unwrap());
    let mut app = App::new(
        svc.clone(),
        keymap,
        Box::new(SyncSearcher::new(svc)),
        skillbridge::service::Actor::admin("demo"),
        lang,
    );
    app.tick();
    app
}

/// Press keys named as in keymap.toml, separated by spaces.
pub fn press(app: &mut App, keys: &str) {
    for k in keys.split_whitespace() {
        let key: Key = k.parse().unwrap_or_else(|e| panic!("bad key '{k}' in test: {e}"));
        app.key(key);
        app.tick();
    }
}

/// Type text into whatever field has focus.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.key(Key::ch(c));
        app.tick();
    }
}

pub fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        skillbridge::ui::draw(f, app);
    })
    .unwrap();
    t.backend().to_string()
}
