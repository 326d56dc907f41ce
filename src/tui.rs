//! The local terminal driver: crossterm events → keymap → `App::update`,
//! drawing after each batch of input. The terminal is restored on every
//! exit path (a guard for errors, ratatui's panic hook for panics).

use crate::app::searcher::BackgroundSearcher;
use crate::app::{App, Msg};
use crate::i18n::Lang;
use crate::keymap::{Key, KeyCode, KeyMap, Mods};
use crate::service::Service;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode as CKey, KeyEvent, KeyEventKind, KeyModifiers,
};
use ratatui::crossterm::execute;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

/// Turn a crossterm key into ours.
pub fn convert(k: &KeyEvent) -> Option<Key> {
    let code = match k.code {
        CKey::Char(c) => KeyCode::Char(c),
        CKey::Enter => KeyCode::Enter,
        CKey::Esc => KeyCode::Esc,
        CKey::Tab => KeyCode::Tab,
        CKey::BackTab => KeyCode::BackTab,
        CKey::Backspace => KeyCode::Backspace,
        CKey::Delete => KeyCode::Delete,
        CKey::Insert => KeyCode::Insert,
        CKey::Up => KeyCode::Up,
        CKey::Down => KeyCode::Down,
        CKey::Left => KeyCode::Left,
        CKey::Right => KeyCode::Right,
        CKey::Home => KeyCode::Home,
        CKey::End => KeyCode::End,
        CKey::PageUp => KeyCode::PageUp,
        CKey::PageDown => KeyCode::PageDown,
        CKey::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let mods = Mods {
        ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
        alt: k.modifiers.contains(KeyModifiers::ALT),
        shift: k.modifiers.contains(KeyModifiers::SHIFT),
    };
    Some(Key::new(code, mods))
}

struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Run the workspace on this terminal until the operator quits. The first
/// frame is painted before `load` reads the database.
pub fn run(
    load: impl FnOnce() -> anyhow::Result<Arc<Service>>,
    keymap: Arc<KeyMap>,
    operator: &str,
    lang: Lang,
) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "standard input/output is not a terminal: skillbridge draws a full-screen interface there. \
             In scripts use `skillbridge stats`, `skillbridge check` or `skillbridge demo --build-only`"
        );
    }
    let mut terminal = ratatui::init();
    let restore = Restore;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let loading = match lang {
        Lang::Zh => "技能桥 skillbridge — 正在载入…",
        Lang::En => "skillbridge — loading…",
    };
    terminal.draw(|f| f.render_widget(ratatui::widgets::Paragraph::new(loading), f.area()))?;
    let svc = load()?;
    let searcher = Box::new(BackgroundSearcher::new(svc.clone(), None));
    let mut app = App::new(svc, keymap, searcher, operator, lang);
    // Paint the first frame before any result arrives.
    loop {
        app.tick();
        terminal.draw(|f| crate::ui::draw(f, &app))?;
        if app.state.quit {
            break;
        }
        let wait = if app.busy() {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(120)
        };
        if event::poll(wait)? {
            // Drain every pending event before drawing again.
            loop {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => {
                        if let Some(key) = convert(&k) {
                            app.key(key);
                        }
                    }
                    Event::Paste(s) => app.update(Msg::Paste(s)),
                    _ => {}
                }
                if app.state.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
    }
    // Give the terminal back first, then (nothing writes now) leave the
    // records and search index for the next start.
    drop(restore);
    app.svc.save_search_cache();
    Ok(())
}
