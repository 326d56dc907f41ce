//! One SSH connection's screen: its own thread running an `App` over the
//! shared service, drawn with ratatui into the channel. A client that stops
//! reading only loses frames (the next one is drawn whole); a panic ends
//! this session only.

use super::input::{Input, Parser};
use super::keys::Person;
use crate::app::App;
use crate::app::searcher::BackgroundSearcher;
use crate::i18n::Lang;
use crate::keymap::KeyMap;
use crate::service::Service;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::Sender;
use tokio::sync::mpsc::error::TrySendError;

/// What the connection tells its session.
#[derive(Debug)]
pub enum ToSession {
    Bytes(Vec<u8>),
    Resize(u16, u16),
    Close,
}

/// Bytes for the client, through a bounded queue.
pub struct ChannelOut {
    tx: Sender<Vec<u8>>,
    sink: Vec<u8>,
    /// Set when a frame was dropped because the client is not reading.
    pub lagged: Arc<AtomicBool>,
}

impl ChannelOut {
    pub fn new(tx: Sender<Vec<u8>>) -> Self {
        ChannelOut {
            tx,
            sink: Vec::new(),
            lagged: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl Write for ChannelOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.sink.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.sink.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.sink);
        match self.tx.try_send(bytes) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => {
                self.lagged.store(true, Ordering::Release);
                Ok(())
            }
            Err(TrySendError::Closed(_)) => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client went away",
            )),
        }
    }
}

pub struct Settings {
    pub svc: Arc<Service>,
    pub keymap: Arc<KeyMap>,
    pub lang: Lang,
    pub idle: Duration,
    pub stopping: Arc<AtomicBool>,
}

fn say(out: &mut ChannelOut, text: &str) {
    let _ = execute!(out, LeaveAlternateScreen, Show, DisableBracketedPaste);
    let _ = write!(out, "\r\n{text}\r\n");
    let _ = out.flush();
}

/// Run one operator's screen until they quit, go idle, or the server stops.
pub fn run(
    settings: Settings,
    person: Person,
    size: (u16, u16),
    rx: Receiver<ToSession>,
    mut out: ChannelOut,
    mut last_words: ChannelOut,
) {
    let lagged = out.lagged.clone();
    let _ = execute!(out, EnterAlternateScreen, EnableBracketedPaste, Clear(ClearType::All));
    let backend = CrosstermBackend::new(out);
    let viewport = Viewport::Fixed(Rect::new(0, 0, size.0.max(1), size.1.max(1)));
    let mut terminal = match Terminal::with_options(backend, TerminalOptions { viewport }) {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!("session of {}: cannot start the screen: {e}", person.name);
            return;
        }
    };
    let searcher = Box::new(BackgroundSearcher::new(settings.svc.clone(), None));
    let mut app = App::new(
        settings.svc.clone(),
        settings.keymap.clone(),
        searcher,
        &person.name,
        settings.lang,
    );
    let mut parser = Parser::new();
    let mut last_key = Instant::now();
    let mut dirty = true;
    let mut seen = settings.svc.version();
    let farewell: String;
    loop {
        let wait = if parser.pending() || app.busy() {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(40)
        };
        match rx.recv_timeout(wait) {
            Ok(ToSession::Bytes(b)) => {
                last_key = Instant::now();
                for input in parser.feed(&b, last_key) {
                    match input {
                        Input::Key(k) => app.key(k),
                        Input::Paste(s) => app.update(crate::app::Msg::Paste(s)),
                    }
                }
                // Anything else already queued goes in before drawing.
                dirty = true;
                continue;
            }
            Ok(ToSession::Resize(w, h)) => {
                let _ = terminal.resize(Rect::new(0, 0, w.max(1), h.max(1)));
                dirty = true;
            }
            Ok(ToSession::Close) | Err(RecvTimeoutError::Disconnected) => {
                farewell = String::new();
                break;
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        for input in parser.tick(Instant::now()) {
            if let Input::Key(k) = input {
                app.key(k);
                dirty = true;
            }
        }
        let busy_before = app.busy();
        app.tick();
        if busy_before || settings.svc.version() != seen {
            seen = settings.svc.version();
            dirty = true;
        }
        if app.state.quit {
            farewell = match settings.lang {
                Lang::Zh => "再见。".into(),
                Lang::En => "Goodbye.".into(),
            };
            break;
        }
        if settings.stopping.load(Ordering::Acquire) {
            farewell = "skillbridge: the server is stopping; your saved work is safe. Reconnect later.".into();
            break;
        }
        if last_key.elapsed() >= settings.idle {
            farewell = format!(
                "skillbridge: closed after {} minutes without a key; saved work is kept. Reconnect any time.",
                settings.idle.as_secs() / 60
            );
            break;
        }
        if dirty {
            if lagged.swap(false, Ordering::AcqRel) {
                // A frame was lost: draw the next one whole.
                let _ = terminal.clear();
            }
            if let Err(e) = terminal.draw(|f| crate::ui::draw(f, &app)) {
                tracing::info!("session of {} ended: {e}", person.name);
                return;
            }
            dirty = false;
        }
    }
    tracing::info!("session of {} closed", person.name);
    drop(terminal);
    say(&mut last_words, &farewell);
}

/// A kiosk key's screen: the public lobby view over the same live service.
/// No key ends it (the lobby machine must not drop to a shell); idle brings
/// it home; it ends when the client goes or the server stops.
pub fn run_kiosk(
    settings: Settings,
    size: (u16, u16),
    rx: Receiver<ToSession>,
    mut out: ChannelOut,
    mut last_words: ChannelOut,
) {
    use crate::kiosk::{Kiosk, searcher::BackgroundSearcher as KioskSearcher};
    use crate::service::public::PublicView;
    let lagged = out.lagged.clone();
    let _ = execute!(out, EnterAlternateScreen, EnableBracketedPaste, Clear(ClearType::All));
    let backend = CrosstermBackend::new(out);
    let viewport = Viewport::Fixed(Rect::new(0, 0, size.0.max(1), size.1.max(1)));
    let Ok(mut terminal) = Terminal::with_options(backend, TerminalOptions { viewport }) else {
        return;
    };
    let view = PublicView::new(settings.svc.clone());
    let kiosk_settings = crate::kiosk::Settings {
        lang: settings.lang,
        exit_key: None,
        ..Default::default()
    };
    let searcher = Box::new(KioskSearcher::new(view.clone(), None));
    let mut kiosk = Kiosk::new(view, kiosk_settings, searcher);
    let mut parser = Parser::new();
    let mut dirty = true;
    let mut seen = settings.svc.version();
    loop {
        let wait = if parser.pending() || kiosk.busy() {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(100)
        };
        match rx.recv_timeout(wait) {
            Ok(ToSession::Bytes(b)) => {
                let now = Instant::now();
                for input in parser.feed(&b, now) {
                    match input {
                        Input::Key(k) => kiosk.key(k, now),
                        Input::Paste(s) => kiosk.paste(&s, now),
                    }
                }
                dirty = true;
                continue;
            }
            Ok(ToSession::Resize(w, h)) => {
                let _ = terminal.resize(Rect::new(0, 0, w.max(1), h.max(1)));
                dirty = true;
            }
            Ok(ToSession::Close) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        for input in parser.tick(now) {
            if let Input::Key(k) = input {
                kiosk.key(k, now);
                dirty = true;
            }
        }
        let busy_before = kiosk.busy();
        kiosk.tick(now);
        // The idle reset and other sessions' changes redraw too.
        if busy_before || settings.svc.version() != seen || kiosk.idle_left(now).is_some_and(|l| l.is_zero()) {
            seen = settings.svc.version();
            dirty = true;
        }
        if settings.stopping.load(Ordering::Acquire) {
            break;
        }
        if dirty {
            if lagged.swap(false, Ordering::AcqRel) {
                let _ = terminal.clear();
            }
            if terminal.draw(|f| crate::kiosk::ui::draw(f, &kiosk)).is_err() {
                return;
            }
            dirty = false;
        }
    }
    drop(terminal);
    say(&mut last_words, "");
}
