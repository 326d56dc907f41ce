//! The remote driver: one connection's screen drawn with ratatui into a
//! byte channel (an SSH session's), keys parsed from the bytes the client
//! sends. A client that stops reading only loses frames (the next one is
//! drawn whole); a session left without a key too long is closed with a
//! message; a stopping server says so.

use super::Screen;
use super::bytes::{Input, Parser};
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

/// How a remote session is run.
pub struct Drive<'a> {
    /// Who the session is for (log lines).
    pub who: &'a str,
    /// A session that closes when idle closes after this long without a key.
    pub idle: Duration,
    /// Set when the server stops: every session ends with a message.
    pub stopping: &'a AtomicBool,
}

fn say(out: &mut ChannelOut, text: &str) {
    let _ = execute!(out, LeaveAlternateScreen, Show, DisableBracketedPaste);
    let _ = write!(out, "\r\n{text}\r\n");
    let _ = out.flush();
}

/// The one loop behind every connection: bytes in, frames out, until the
/// screen ends, the client goes, the session idles out or the server stops.
pub fn drive(
    how: &Drive<'_>,
    mut screen: impl Screen,
    size: (u16, u16),
    rx: Receiver<ToSession>,
    mut out: ChannelOut,
    mut last_words: ChannelOut,
) {
    let who = how.who;
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
    let mut seen = screen.data_version();
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
        let clock = screen.wake_in(now).is_some_and(|w| w.is_zero());
        screen.tick(now);
        if busy_before || screen.data_version() != seen || clock {
            seen = screen.data_version();
            dirty = true;
        }
        if let Some(bye) = screen.ended() {
            farewell = bye;
            break;
        }
        if how.stopping.load(Ordering::Acquire) {
            farewell = "skillbridge: the server is stopping; your saved work is safe. Reconnect later.".into();
            break;
        }
        if screen.closes_when_idle() && last_key.elapsed() >= how.idle {
            farewell = format!(
                "skillbridge: closed after {} minutes without a key; saved work is kept. Reconnect any time.",
                how.idle.as_secs() / 60
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
