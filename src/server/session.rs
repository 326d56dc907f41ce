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

/// What a connection shows: the operators' workspace or the public kiosk.
trait Screen {
    fn key(&mut self, key: crate::keymap::Key, now: Instant);
    fn paste(&mut self, text: String, now: Instant);
    fn tick(&mut self, now: Instant);
    fn busy(&self) -> bool;
    /// `Some(farewell)` once the screen has ended itself.
    fn ended(&self) -> Option<String>;
    /// Close after this long without a key (`None`: never; a kiosk resets itself).
    fn idle_limit(&self) -> Option<Duration>;
    /// Something changed by the clock alone (e.g. a kiosk's idle reset).
    fn clock_redraw(&self, _now: Instant) -> bool {
        false
    }
    fn draw(&self, f: &mut ratatui::Frame);
}

struct Operator {
    app: App,
    lang: Lang,
    idle: Duration,
}

impl Screen for Operator {
    fn key(&mut self, key: crate::keymap::Key, _now: Instant) {
        self.app.key(key);
    }
    fn paste(&mut self, text: String, _now: Instant) {
        self.app.update(crate::app::Msg::Paste(text));
    }
    fn tick(&mut self, _now: Instant) {
        self.app.tick();
    }
    fn busy(&self) -> bool {
        self.app.busy()
    }
    fn ended(&self) -> Option<String> {
        self.app.state.quit.then(|| match self.lang {
            Lang::Zh => "再见。".into(),
            Lang::En => "Goodbye.".into(),
        })
    }
    fn idle_limit(&self) -> Option<Duration> {
        Some(self.idle)
    }
    fn draw(&self, f: &mut ratatui::Frame) {
        crate::ui::draw(f, &self.app)
    }
}

struct Lobby(crate::kiosk::Kiosk);

impl Screen for Lobby {
    fn key(&mut self, key: crate::keymap::Key, now: Instant) {
        self.0.key(key, now);
    }
    fn paste(&mut self, text: String, now: Instant) {
        self.0.paste(&text, now);
    }
    fn tick(&mut self, now: Instant) {
        self.0.tick(now);
    }
    fn busy(&self) -> bool {
        self.0.busy()
    }
    fn ended(&self) -> Option<String> {
        self.0.exited().then(String::new)
    }
    fn idle_limit(&self) -> Option<Duration> {
        None
    }
    fn clock_redraw(&self, now: Instant) -> bool {
        self.0.idle_left(now).is_some_and(|l| l.is_zero())
    }
    fn draw(&self, f: &mut ratatui::Frame) {
        crate::kiosk::ui::draw(f, &self.0)
    }
}

/// Run one operator's screen until they quit, go idle, or the server stops.
pub fn run(
    settings: Settings,
    person: Person,
    size: (u16, u16),
    rx: Receiver<ToSession>,
    out: ChannelOut,
    last_words: ChannelOut,
) {
    let searcher = Box::new(BackgroundSearcher::new(settings.svc.clone(), None));
    let app = App::new(
        settings.svc.clone(),
        settings.keymap.clone(),
        searcher,
        &person.name,
        settings.lang,
    );
    let screen = Operator {
        app,
        lang: settings.lang,
        idle: settings.idle,
    };
    drive(&settings, &person.name, screen, size, rx, out, last_words);
}

/// A kiosk key's screen: the public lobby view over the same live service.
/// No key ends it (the lobby machine must not drop to a shell); idle brings
/// it home; it ends when the client goes or the server stops.
pub fn run_kiosk(
    settings: Settings,
    size: (u16, u16),
    rx: Receiver<ToSession>,
    out: ChannelOut,
    last_words: ChannelOut,
) {
    use crate::kiosk::{Kiosk, searcher::BackgroundSearcher as KioskSearcher};
    use crate::service::public::PublicView;
    let view = PublicView::new(settings.svc.clone());
    let kiosk_settings = crate::kiosk::Settings {
        lang: settings.lang,
        exit_key: None,
        ..Default::default()
    };
    let searcher = Box::new(KioskSearcher::new(view.clone(), None));
    let screen = Lobby(Kiosk::new(view, kiosk_settings, searcher));
    drive(&settings, "kiosk", screen, size, rx, out, last_words);
}

/// The one loop behind every connection: bytes in, frames out.
fn drive(
    settings: &Settings,
    who: &str,
    mut screen: impl Screen,
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
            tracing::warn!("session of {who}: cannot start the screen: {e}");
            return;
        }
    };
    let mut parser = Parser::new();
    let mut last_key = Instant::now();
    let mut dirty = true;
    let mut seen = settings.svc.version();
    let farewell: String;
    loop {
        let wait = if parser.pending() || screen.busy() {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(40)
        };
        match rx.recv_timeout(wait) {
            Ok(ToSession::Bytes(b)) => {
                last_key = Instant::now();
                for input in parser.feed(&b, last_key) {
                    match input {
                        Input::Key(k) => screen.key(k, last_key),
                        Input::Paste(s) => screen.paste(s, last_key),
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
        let now = Instant::now();
        for input in parser.tick(now) {
            if let Input::Key(k) = input {
                screen.key(k, now);
                dirty = true;
            }
        }
        let busy_before = screen.busy();
        screen.tick(now);
        if busy_before || settings.svc.version() != seen || screen.clock_redraw(now) {
            seen = settings.svc.version();
            dirty = true;
        }
        if let Some(bye) = screen.ended() {
            farewell = bye;
            break;
        }
        if settings.stopping.load(Ordering::Acquire) {
            farewell = "skillbridge: the server is stopping; your saved work is safe. Reconnect later.".into();
            break;
        }
        if screen.idle_limit().is_some_and(|idle| last_key.elapsed() >= idle) {
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
            if let Err(e) = terminal.draw(|f| screen.draw(f)) {
                tracing::info!("session of {who} ended: {e}");
                return;
            }
            dirty = false;
        }
    }
    tracing::info!("session of {who} closed");
    drop(terminal);
    say(&mut last_words, &farewell);
}
