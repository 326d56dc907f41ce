//! The workspace as a full-screen [`Screen`]: an [`App`] drawn by `ui`,
//! run on this terminal (`run`) or over SSH (`server`) by the shared
//! terminal drivers.

use crate::app::searcher::BackgroundSearcher;
use crate::app::{App, Msg};
use crate::i18n::Lang;
use crate::keymap::{Key, KeyMap};
use crate::service::{Actor, Service};
use crate::term::{Screen, local};
use std::sync::Arc;
use std::time::Instant;

/// An operator's workspace as a screen.
pub struct Workspace {
    pub app: App,
}

impl Workspace {
    /// A workspace whose searches run on their own thread.
    pub fn background(svc: Arc<Service>, keymap: Arc<KeyMap>, actor: Actor, lang: Lang) -> Workspace {
        let searcher = Box::new(BackgroundSearcher::new(svc.clone(), None));
        Workspace {
            app: App::new(svc, keymap, searcher, actor, lang),
        }
    }
}

impl Screen for Workspace {
    fn key(&mut self, key: Key, _now: Instant) {
        self.app.key(key);
    }
    fn paste(&mut self, text: String, _now: Instant) {
        self.app.update(Msg::Paste(text));
    }
    fn tick(&mut self, now: Instant) {
        self.app.tick();
        self.app.expire(now);
    }
    fn wake_in(&self, now: Instant) -> Option<std::time::Duration> {
        self.app
            .state
            .revealed
            .as_ref()
            .map(|s| s.until.saturating_duration_since(now))
    }
    fn busy(&self) -> bool {
        self.app.busy()
    }
    fn ended(&self) -> Option<String> {
        self.app.state.quit.then(|| match self.app.state.lang {
            Lang::Zh => "再见。".into(),
            Lang::En => "Goodbye.".into(),
        })
    }
    fn closes_when_idle(&self) -> bool {
        true
    }
    fn data_version(&self) -> u64 {
        self.app.svc.version()
    }
    fn draw(&mut self, frame: &mut ratatui::Frame) {
        let vp = crate::ui::draw(frame, &self.app);
        if vp != self.app.state.viewport() {
            self.app.update(Msg::Viewport(vp));
        }
    }
}

/// Run the workspace on this terminal until the operator quits. The first
/// frame is painted before `load` reads the database.
pub fn run(
    load: impl FnOnce() -> anyhow::Result<Arc<Service>>,
    keymap: Arc<KeyMap>,
    actor: Actor,
    lang: Lang,
) -> anyhow::Result<()> {
    local::require_terminal(
        "skillbridge draws a full-screen interface there. \
         In scripts use `skillbridge stats`, `skillbridge check` or `skillbridge demo --build-only`",
    )?;
    let loading = match lang {
        Lang::Zh => "技能桥 skillbridge — 正在载入…",
        Lang::En => "skillbridge — loading…",
    };
    let ws = local::run(loading, || Ok(Workspace::background(load()?, keymap, actor, lang)))?;
    // The terminal is back; nothing writes now: leave the records and the
    // search index for the next start.
    ws.app.svc.save_search_cache();
    let svc = ws.app.svc.clone();
    drop(ws);
    svc.close_at_rest();
    Ok(())
}
