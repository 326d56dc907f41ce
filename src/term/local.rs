//! The local driver: this terminal, crossterm events → a [`Screen`],
//! drawing after each batch of input. The terminal is given back on every
//! exit path: a guard for errors and early returns, ratatui's panic hook
//! (installed by `ratatui::init`) for panics.

use super::{Screen, convert};
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::execute;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Gives the terminal back when dropped.
pub struct Guard;

impl Guard {
    /// Take the terminal: alternate screen, raw mode, bracketed paste.
    pub fn take() -> (ratatui::DefaultTerminal, Guard) {
        let terminal = ratatui::init();
        let _ = execute!(std::io::stdout(), EnableBracketedPaste);
        (terminal, Guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Refuse to draw a full screen where there is no terminal.
pub fn require_terminal(what_instead: &str) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("standard input/output is not a terminal: {what_instead}");
    }
    Ok(())
}

/// Run a screen on this terminal until it ends itself, then give the
/// terminal back and return the screen. `loading` is painted before `make`
/// runs (it may read a database for seconds).
pub fn run<S: Screen>(loading: &str, make: impl FnOnce() -> anyhow::Result<S>) -> anyhow::Result<S> {
    let (mut terminal, guard) = Guard::take();
    terminal.draw(|f| f.render_widget(ratatui::widgets::Paragraph::new(loading), f.area()))?;
    let mut screen = make()?;
    loop {
        let now = Instant::now();
        screen.tick(now);
        terminal.draw(|f| screen.draw(f))?;
        if screen.ended().is_some() {
            break;
        }
        let mut wait = if screen.busy() {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(120)
        };
        if let Some(w) = screen.wake_in(now) {
            wait = wait.min(w.max(Duration::from_millis(10)));
        }
        if event::poll(wait)? {
            // Drain every pending event before drawing again.
            loop {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => {
                        if let Some(key) = convert(&k) {
                            screen.key(key, Instant::now());
                        }
                    }
                    Event::Paste(s) => screen.paste(s, Instant::now()),
                    _ => {}
                }
                if screen.ended().is_some() || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
    }
    drop(guard);
    Ok(screen)
}
