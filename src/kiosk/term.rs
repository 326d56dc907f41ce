//! The local kiosk driver: this terminal, crossterm events → [`Kiosk`].
//! The same pattern as the workspace driver: refuse when not a terminal,
//! restore the terminal on every exit path (a guard for errors, ratatui's
//! panic hook for panics), drain pending input before drawing.
//!
//! Only the configured exit key ends the loop. Raw mode delivers ctrl-c,
//! ctrl-z and ctrl-\ as keys, not signals, so with `--no-exit` no key does.

use super::searcher::BackgroundSearcher;
use super::{Kiosk, Settings};
use crate::service::public::PublicView;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::execute;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Run a kiosk on this terminal until its exit key is pressed.
pub fn run(view: PublicView, settings: Settings) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "standard input/output is not a terminal: the kiosk draws a full-screen interface there. \
             Run it on the lobby terminal (or in tmux/screen)"
        );
    }
    let mut terminal = ratatui::init();
    let _restore = Restore;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let searcher = Box::new(BackgroundSearcher::new(view.clone(), None));
    let mut kiosk = Kiosk::new(view, settings, searcher);
    loop {
        kiosk.tick(Instant::now());
        terminal.draw(|f| super::ui::draw(f, &kiosk))?;
        if kiosk.exited() {
            break;
        }
        // Wake for search results, the idle reset, and changes made by others.
        let mut wait = if kiosk.busy() {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(250)
        };
        if let Some(left) = kiosk.idle_left(Instant::now()) {
            wait = wait.min(left.max(Duration::from_millis(10)));
        }
        if event::poll(wait)? {
            loop {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => {
                        if let Some(key) = crate::tui::convert(&k) {
                            kiosk.key(key, Instant::now());
                        }
                    }
                    Event::Paste(s) => kiosk.paste(&s, Instant::now()),
                    _ => {}
                }
                if kiosk.exited() || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
    }
    Ok(())
}
