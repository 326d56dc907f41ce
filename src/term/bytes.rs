//! Key input from the raw bytes a remote (SSH) client sends: escape sequences split
//! across packets, a lone Esc (told apart from the start of a sequence by a
//! short wait), bracketed paste, and UTF-8 typed by Chinese input methods.
//! terminput does the decoding; this keeps the bytes that belong together.

use crate::keymap::{Key, KeyCode, Mods};
use std::time::{Duration, Instant};
use terminput::{Event as TEvent, KeyCode as TKey, KeyEventKind, KeyModifiers};

/// How long a lone Esc waits for the rest of a sequence.
pub const ESC_WAIT: Duration = Duration::from_millis(30);

/// What the bytes meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    Paste(String),
}

#[derive(Debug, Default)]
pub struct Parser {
    buf: Vec<u8>,
    /// When a lone Esc at the end of the input arrived.
    esc_since: Option<Instant>,
}

fn convert(ev: TEvent) -> Option<Input> {
    match ev {
        TEvent::Key(k) if k.kind != KeyEventKind::Release => {
            let code = match k.code {
                TKey::Char(c) => KeyCode::Char(c),
                TKey::Enter => KeyCode::Enter,
                TKey::Esc => KeyCode::Esc,
                TKey::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                TKey::Tab => KeyCode::Tab,
                TKey::Backspace => KeyCode::Backspace,
                TKey::Delete => KeyCode::Delete,
                TKey::Insert => KeyCode::Insert,
                TKey::Up => KeyCode::Up,
                TKey::Down => KeyCode::Down,
                TKey::Left => KeyCode::Left,
                TKey::Right => KeyCode::Right,
                TKey::Home => KeyCode::Home,
                TKey::End => KeyCode::End,
                TKey::PageUp => KeyCode::PageUp,
                TKey::PageDown => KeyCode::PageDown,
                TKey::F(n) => KeyCode::F(n),
                _ => return None,
            };
            let mods = Mods {
                ctrl: k.modifiers.contains(KeyModifiers::CTRL),
                alt: k.modifiers.contains(KeyModifiers::ALT),
                shift: k.modifiers.contains(KeyModifiers::SHIFT),
            };
            Some(Input::Key(Key::new(code, mods)))
        }
        TEvent::Paste(s) => Some(Input::Paste(s)),
        _ => None,
    }
}

impl Parser {
    pub fn new() -> Self {
        Parser::default()
    }

    /// Feed the bytes of one packet; returns what they complete.
    pub fn feed(&mut self, bytes: &[u8], now: Instant) -> Vec<Input> {
        self.buf.extend_from_slice(bytes);
        self.esc_since = None;
        let out = self.drain();
        if self.buf == [0x1b] {
            self.esc_since = Some(now);
        }
        out
    }

    /// A lone Esc that has waited long enough is an Esc.
    pub fn tick(&mut self, now: Instant) -> Vec<Input> {
        match self.esc_since {
            Some(t) if now.duration_since(t) >= ESC_WAIT && self.buf == [0x1b] => {
                self.buf.clear();
                self.esc_since = None;
                vec![Input::Key(Key::plain(KeyCode::Esc))]
            }
            _ => Vec::new(),
        }
    }

    /// True when a lone Esc is waiting.
    pub fn pending(&self) -> bool {
        self.esc_since.is_some()
    }

    fn drain(&mut self) -> Vec<Input> {
        let mut out = Vec::new();
        'outer: while !self.buf.is_empty() {
            let len = self.buf.len();
            for n in 1..=len {
                // An Esc with bytes after it starts a sequence (or an alt-key).
                if n == 1 && self.buf[0] == 0x1b {
                    if len == 1 {
                        break 'outer;
                    }
                    continue;
                }
                // Two Escs in a row: the first was a lone Esc.
                if n == 2 && self.buf[0] == 0x1b && self.buf[1] == 0x1b {
                    self.buf.remove(0);
                    out.push(Input::Key(Key::plain(KeyCode::Esc)));
                    continue 'outer;
                }
                match TEvent::parse_from(&self.buf[..n]) {
                    Ok(Some(ev)) => {
                        out.extend(convert(ev));
                        self.buf.drain(..n);
                        continue 'outer;
                    }
                    Ok(None) => {}
                    Err(_) => {
                        // Not a sequence we know: drop what was read.
                        self.buf.drain(..n);
                        continue 'outer;
                    }
                }
            }
            // Incomplete: wait for the next packet.
            break;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &[Input]) -> Vec<String> {
        v.iter()
            .map(|i| match i {
                Input::Key(k) => k.to_string(),
                Input::Paste(s) => format!("paste:{s}"),
            })
            .collect()
    }

    #[test]
    fn plain_keys_and_controls() {
        let mut p = Parser::new();
        let now = Instant::now();
        assert_eq!(
            keys(&p.feed(b"hg\r\x10\x7f\t", now)),
            ["h", "g", "enter", "ctrl-p", "backspace", "tab"]
        );
    }

    #[test]
    fn escape_sequences_split_across_packets() {
        let mut p = Parser::new();
        let now = Instant::now();
        assert!(p.feed(b"\x1b", now).is_empty());
        assert!(p.feed(b"[", now).is_empty());
        assert_eq!(keys(&p.feed(b"A", now)), ["up"]);
        assert!(p.feed(b"\x1b[1", now).is_empty());
        assert_eq!(keys(&p.feed(b";5C", now)), ["ctrl-right"]);
        assert_eq!(keys(&p.feed(b"\x1bOP\x1b[Z", now)), ["f1", "shift-tab"]);
    }

    #[test]
    fn a_lone_esc_waits_then_counts() {
        let mut p = Parser::new();
        let t0 = Instant::now();
        assert!(p.feed(b"\x1b", t0).is_empty());
        assert!(p.tick(t0 + Duration::from_millis(5)).is_empty());
        assert_eq!(keys(&p.tick(t0 + ESC_WAIT)), ["esc"]);
        assert!(!p.pending());
        // Esc then a letter in one packet is alt-letter.
        assert_eq!(keys(&p.feed(b"\x1b4", t0)), ["alt-4"]);
        // Esc, then Down, in one packet.
        assert_eq!(keys(&p.feed(b"\x1b\x1b[B", t0)), ["esc", "down"]);
        // Esc Esc: one now, the second after the wait.
        assert_eq!(keys(&p.feed(b"\x1b\x1b", t0)), ["esc"]);
        assert_eq!(keys(&p.tick(t0 + ESC_WAIT)), ["esc"]);
    }

    #[test]
    fn chinese_utf8_even_split_mid_character() {
        let mut p = Parser::new();
        let now = Instant::now();
        let bytes = "焊工".as_bytes();
        assert!(p.feed(&bytes[..2], now).is_empty());
        assert_eq!(keys(&p.feed(&bytes[2..4], now)), ["焊"]);
        assert_eq!(keys(&p.feed(&bytes[4..], now)), ["工"]);
    }

    #[test]
    fn bracketed_paste() {
        let mut p = Parser::new();
        let now = Instant::now();
        assert!(p.feed("\x1b[200~王".as_bytes(), now).is_empty());
        assert_eq!(keys(&p.feed("芳 hg\x1b[201~x".as_bytes(), now)), ["paste:王芳 hg", "x"]);
    }

    #[test]
    fn garbage_never_panics() {
        let mut p = Parser::new();
        let now = Instant::now();
        for b in 0u8..=255 {
            let _ = p.feed(&[0x1b, b'[', b, 0xff, 0xfe], now);
        }
        let _ = p.tick(now + ESC_WAIT);
    }
}
