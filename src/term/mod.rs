//! The terminal layer the workspace and the kiosk share: the [`Screen`]
//! trait every full-screen session implements, the local driver (this
//! terminal, crossterm) and the remote driver (bytes from an SSH channel),
//! and the guard that gives a terminal back on every exit path. Nothing
//! here knows what a screen shows.

pub mod bytes;
pub mod local;
pub mod remote;

use crate::keymap::{Key, KeyCode, Mods};
use ratatui::crossterm::event::{KeyCode as CKey, KeyEvent, KeyModifiers};
use std::time::{Duration, Instant};

/// A full-screen session a driver runs: keys and pasted text in, frames out.
/// Time comes in as an `Instant` the driver passes, so a screen's clock
/// (an idle reset) is testable without sleeping.
pub trait Screen {
    fn key(&mut self, key: Key, now: Instant);
    fn paste(&mut self, text: String, now: Instant);
    /// Take in finished work and changes made elsewhere; call often.
    fn tick(&mut self, now: Instant);
    /// True while work the screen waits for (a search) is running.
    fn busy(&self) -> bool;
    /// `Some(farewell)` once the screen has ended itself.
    fn ended(&self) -> Option<String>;
    /// True when a session left without a key for long is closed (an
    /// operator's); false when the screen resets itself (a kiosk).
    fn closes_when_idle(&self) -> bool;
    /// How long until the screen changes by the clock alone, if it will.
    fn wake_in(&self, _now: Instant) -> Option<Duration> {
        None
    }
    /// A version of what the screen shows that moves when data changes
    /// elsewhere (so a driver knows to draw again).
    fn data_version(&self) -> u64;
    /// Draw one frame. The screen takes back what the frame laid out
    /// (rows that fit, scroll positions) as a message to itself.
    fn draw(&mut self, frame: &mut ratatui::Frame);
}

/// The widest and tallest terminal a remote session draws (a 4K screen
/// with a small font is under 700 columns): a client that claims more gets
/// this much, before any buffer is made.
pub const MAX_COLS: u16 = 1000;
pub const MAX_ROWS: u16 = 1000;
/// The most cells a remote session's screen holds (columns × rows): two
/// frame buffers of this many cells are about 25 MB. A taller claim at
/// full width loses rows.
pub const MAX_CELLS: u32 = 250_000;

/// A terminal size a client sent (pty-req, window-change), clamped to
/// [`MAX_COLS`] × [`MAX_ROWS`] and [`MAX_CELLS`], at least 1 × 1.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let cols = cols.clamp(1, u32::from(MAX_COLS));
    let rows = rows.clamp(1, u32::from(MAX_ROWS)).min(MAX_CELLS / cols);
    // Both fit in u16: at most 1000.
    (cols as u16, rows as u16)
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_are_clamped_before_any_buffer() {
        use super::*;
        assert_eq!(clamp_size(80, 24), (80, 24));
        assert_eq!(clamp_size(0, 0), (1, 1));
        assert_eq!(clamp_size(65535, 65535), (1000, 250));
        assert_eq!(clamp_size(u32::MAX, 10), (1000, 10));
        assert_eq!(clamp_size(200, 60_000), (200, 1000));
        let (c, r) = clamp_size(999, 999);
        assert!(u32::from(c) * u32::from(r) <= MAX_CELLS);
    }
}
