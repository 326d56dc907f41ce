//! The remote driver: one connection's screen drawn with ratatui into a
//! byte channel (an SSH session's), keys parsed from the bytes the client
//! sends. A client that stops reading only loses frames (the next one is
//! drawn whole); a client that sends faster than its session reads waits
//! (at most [`INPUT_BUDGET`] bytes are queued: the connection stops reading
//! the socket until the session catches up); input still queued when the
//! client leaves is dropped; a session left without a key too long is
//! closed with a message; a stopping server says so.

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
use tokio::sync::Semaphore;
use tokio::sync::mpsc::Sender;
use tokio::sync::mpsc::error::TrySendError;

/// What the connection tells its session.
#[derive(Debug)]
pub enum ToSession {
    Bytes(Vec<u8>),
    Resize(u16, u16),
    Close,
    /// End the session with this message (its key was revoked…).
    End(String),
}

/// The most bytes of input queued for one session: a client that sends
/// faster waits for its session (back-pressure down to TCP).
pub const INPUT_BUDGET: usize = 16 * 1024;

/// The connection's end of a session's input.
pub struct InputTx {
    tx: std::sync::mpsc::Sender<ToSession>,
    budget: Arc<Semaphore>,
    gone: Arc<AtomicBool>,
}

/// The session's end of its input.
pub struct InputRx {
    rx: Receiver<ToSession>,
    budget: Arc<Semaphore>,
    gone: Arc<AtomicBool>,
}

/// A session's input queue, bounded by [`INPUT_BUDGET`] bytes.
pub fn input_queue() -> (InputTx, InputRx) {
    let (tx, rx) = std::sync::mpsc::channel();
    let budget = Arc::new(Semaphore::new(INPUT_BUDGET));
    let gone = Arc::new(AtomicBool::new(false));
    (
        InputTx {
            tx,
            budget: budget.clone(),
            gone: gone.clone(),
        },
        InputRx { rx, budget, gone },
    )
}

/// A way to end a session from elsewhere (its key was revoked), kept
/// apart from its input.
#[derive(Clone)]
pub struct Ender {
    tx: std::sync::mpsc::Sender<ToSession>,
    gone: Arc<AtomicBool>,
}

impl Ender {
    /// End the session with this message; its queued input is dropped.
    pub fn end(&self, message: String) {
        self.gone.store(true, Ordering::Release);
        let _ = self.tx.send(ToSession::End(message));
    }
}

impl InputTx {
    pub fn ender(&self) -> Ender {
        Ender {
            tx: self.tx.clone(),
            gone: self.gone.clone(),
        }
    }

    /// Queue bytes for the session, waiting while [`INPUT_BUDGET`] bytes
    /// are queued already. False when the session has ended.
    pub async fn bytes(&self, data: &[u8]) -> bool {
        for chunk in data.chunks(INPUT_BUDGET) {
            // The chunk is at most INPUT_BUDGET bytes, so it fits in a u32.
            match self.budget.acquire_many(chunk.len() as u32).await {
                Ok(permit) => permit.forget(),
                Err(_) => return false,
            }
            if self.tx.send(ToSession::Bytes(chunk.to_vec())).is_err() {
                return false;
            }
        }
        true
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        let _ = self.tx.send(ToSession::Resize(cols, rows));
    }

    /// The client left: what it sent and the session has not read yet is
    /// dropped, and the session ends.
    pub fn close(&self) {
        self.gone.store(true, Ordering::Release);
        let _ = self.tx.send(ToSession::Close);
    }
}

impl Drop for InputTx {
    fn drop(&mut self) {
        self.close();
    }
}

impl InputRx {
    /// The next message, or what the client leaving means, within `wait`.
    fn next(&self, wait: Duration) -> Result<ToSession, RecvTimeoutError> {
        if self.gone.load(Ordering::Acquire) {
            // Skip queued input: only the last word counts.
            loop {
                match self.rx.try_recv() {
                    Ok(ToSession::Bytes(b)) => self.budget.add_permits(b.len()),
                    Ok(m @ ToSession::End(_)) => return Ok(m),
                    Ok(_) => {}
                    Err(_) => return Ok(ToSession::Close),
                }
            }
        }
        self.rx.recv_timeout(wait)
    }

    /// True once the client has left (input still queued is not wanted).
    fn gone(&self) -> bool {
        self.gone.load(Ordering::Acquire)
    }

    fn done_with(&self, bytes: usize) {
        self.budget.add_permits(bytes);
    }
}

impl Drop for InputRx {
    fn drop(&mut self) {
        // A connection waiting for room must not wait for a session that ended.
        self.budget.close();
    }
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
    rx: InputRx,
    mut out: ChannelOut,
    mut last_words: ChannelOut,
) {
    let who = how.who;
    let lagged = out.lagged.clone();
    let _ = execute!(out, EnterAlternateScreen, EnableBracketedPaste, Clear(ClearType::All));
    let backend = CrosstermBackend::new(out);
    let size = super::clamp_size(u32::from(size.0), u32::from(size.1));
    let viewport = Viewport::Fixed(Rect::new(0, 0, size.0, size.1));
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
        match rx.next(wait) {
            Ok(ToSession::Bytes(b)) => {
                last_key = Instant::now();
                for input in parser.feed(&b, last_key) {
                    if rx.gone() {
                        break;
                    }
                    match input {
                        Input::Key(k) => screen.key(k, last_key),
                        Input::Paste(s) => screen.paste(s, last_key),
                    }
                }
                rx.done_with(b.len());
                // Anything else already queued goes in before drawing.
                dirty = true;
                continue;
            }
            Ok(ToSession::Resize(w, h)) => {
                let (w, h) = super::clamp_size(u32::from(w), u32::from(h));
                let _ = terminal.resize(Rect::new(0, 0, w, h));
                dirty = true;
            }
            Ok(ToSession::Close) | Err(RecvTimeoutError::Disconnected) => {
                farewell = String::new();
                break;
            }
            Ok(ToSession::End(message)) => {
                farewell = message;
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
