//! The kiosk on this terminal, through the shared local driver. Only the
//! configured exit key ends it: raw mode delivers ctrl-c, ctrl-z and ctrl-\
//! as keys, not signals, so with `--no-exit` no key does.

use super::{Kiosk, Settings};
use crate::service::public::PublicView;
use crate::term::{Screen, local};
use std::time::{Duration, Instant};

impl Screen for Kiosk {
    fn key(&mut self, key: crate::keymap::Key, now: Instant) {
        Kiosk::key(self, key, now);
    }
    fn paste(&mut self, text: String, now: Instant) {
        Kiosk::paste(self, &text, now);
    }
    fn tick(&mut self, now: Instant) {
        Kiosk::tick(self, now);
    }
    fn busy(&self) -> bool {
        Kiosk::busy(self)
    }
    fn ended(&self) -> Option<String> {
        self.exited().then(String::new)
    }
    /// A kiosk resets itself when idle; only its client or the server ends it.
    fn closes_when_idle(&self) -> bool {
        false
    }
    fn wake_in(&self, now: Instant) -> Option<Duration> {
        match (self.idle_left(now), self.receipt_left(now)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
    fn data_version(&self) -> u64 {
        self.view().version()
    }
    fn draw(&mut self, frame: &mut ratatui::Frame) {
        let laid = super::ui::draw(frame, self);
        self.update(super::Msg::Laid(laid));
    }
}

/// Run a kiosk on this terminal until its exit key is pressed.
pub fn run(view: PublicView, settings: Settings) -> anyhow::Result<()> {
    run_with(view, settings, None)
}

/// Run a kiosk that may take training wishes through `inbox` (#25).
pub fn run_with(
    view: PublicView,
    settings: Settings,
    inbox: Option<crate::service::wish::WishInbox>,
) -> anyhow::Result<()> {
    local::require_terminal(
        "the kiosk draws a full-screen interface there. Run it on the lobby terminal (or in tmux/screen)",
    )?;
    let lang = settings.lang;
    let loading = match lang {
        crate::i18n::Lang::Zh => "技能桥 skillbridge — 正在载入…",
        crate::i18n::Lang::En => "skillbridge — loading…",
    };
    let searcher = Box::new(super::searcher::BackgroundSearcher::new(view.clone(), None));
    local::run(loading, || {
        let k = Kiosk::new(view, settings, searcher);
        Ok(match inbox {
            Some(i) => k.with_inbox(i),
            None => k,
        })
    })?;
    Ok(())
}
