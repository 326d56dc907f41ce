//! Key input from the raw bytes a remote (SSH) client sends: escape sequences split
//! across packets, a lone Esc (told apart from the start of a sequence by a
//! short wait), bracketed paste, and UTF-8 typed by Chinese input methods.
//! terminput does the decoding; this keeps the bytes that belong together.

use crate::keymap::{Key, KeyCode, Mods};
use std::time::{Duration, Instant};
use terminput::{Event as TEvent, KeyCode as TKey, KeyEventKind, KeyModifiers};

/// How long a lone Esc waits for the rest of a sequence.
pub const ESC_WAIT: Duration = Duration::from_millis(30);

/// The longest escape sequence waited for: bytes that start one and make
/// none within this many are dropped (a key's sequence is under 20).
pub const MAX_SEQUENCE: usize = 64;

/// The most of one bracketed paste that is kept (bytes of UTF-8): the
/// rest is dropped as it arrives, so a paste of any size costs this much
/// memory and time. A field takes at most
/// [`MAX_FIELD_CHARS`](crate::widgets::text::MAX_FIELD_CHARS) characters anyway.
pub const MAX_PASTE: usize = 16 * 1024;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// What the bytes meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    Paste(String),
}

#[derive(Debug, Default)]
pub struct Parser {
    /// Bytes of a key sequence not complete yet (at most [`MAX_SEQUENCE`]),
    /// or, inside a paste, what may be the start of its end marker.
    buf: Vec<u8>,
    /// When a lone Esc at the end of the input arrived.
    esc_since: Option<Instant>,
    /// Inside a bracketed paste: the text kept so far (at most [`MAX_PASTE`] bytes).
    paste: Option<Vec<u8>>,
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

/// How many bytes at the end of `data` could begin `marker`.
fn partial_suffix(data: &[u8], marker: &[u8]) -> usize {
    (1..marker.len())
        .rev()
        .find(|n| data.len() >= *n && marker.starts_with(&data[data.len() - n..]))
        .unwrap_or(0)
}

impl Parser {
    pub fn new() -> Self {
        Parser::default()
    }

    /// Feed the bytes of one packet; returns what they complete. Time and
    /// memory are linear in the bytes, whatever they hold: a paste keeps
    /// at most [`MAX_PASTE`] bytes, a sequence at most [`MAX_SEQUENCE`].
    pub fn feed(&mut self, bytes: &[u8], now: Instant) -> Vec<Input> {
        self.esc_since = None;
        let mut out = Vec::new();
        let mut data = std::mem::take(&mut self.buf);
        data.extend_from_slice(bytes);
        let mut at = 0;
        loop {
            if self.paste.is_some() {
                let rest = &data[at..];
                match memchr::memmem::find(rest, PASTE_END) {
                    Some(end) => {
                        self.keep_paste(&rest[..end]);
                        out.push(self.finish_paste());
                        at += end + PASTE_END.len();
                    }
                    None => {
                        let hold = partial_suffix(rest, PASTE_END);
                        self.keep_paste(&rest[..rest.len() - hold]);
                        self.buf = rest[rest.len() - hold..].to_vec();
                        return out;
                    }
                }
            }
            let rest = &data[at..];
            match memchr::memmem::find(rest, PASTE_START) {
                Some(start) => {
                    out.extend(self.keys(&rest[..start]));
                    // A sequence cut short by the paste is dropped.
                    self.buf.clear();
                    self.paste = Some(Vec::new());
                    at += start + PASTE_START.len();
                }
                None => {
                    out.extend(self.keys(rest));
                    break;
                }
            }
        }
        if self.buf == [0x1b] {
            self.esc_since = Some(now);
        }
        out
    }

    fn keep_paste(&mut self, bytes: &[u8]) {
        if let Some(p) = &mut self.paste {
            let room = MAX_PASTE.saturating_sub(p.len());
            p.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
    }

    /// The paste kept so far, as text (cut at a character boundary: a
    /// paste cut at [`MAX_PASTE`] may end mid-character).
    fn finish_paste(&mut self) -> Input {
        let bytes = self.paste.take().unwrap_or_default();
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let mut v = e.into_bytes();
                v.truncate(valid);
                String::from_utf8(v).unwrap_or_default()
            }
        };
        Input::Paste(text)
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

    /// The keys in what was held plus `bytes`; an incomplete sequence at
    /// the end is held for the next packet.
    fn keys(&mut self, bytes: &[u8]) -> Vec<Input> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.extend_from_slice(bytes);
        let mut out = Vec::new();
        let mut i = 0;
        'outer: while i < buf.len() {
            let rest = &buf[i..];
            let len = rest.len();
            for n in 1..=len.min(MAX_SEQUENCE) {
                // An Esc with bytes after it starts a sequence (or an alt-key).
                if n == 1 && rest[0] == 0x1b {
                    if len == 1 {
                        break 'outer;
                    }
                    continue;
                }
                // Two Escs in a row: the first was a lone Esc.
                if n == 2 && rest[0] == 0x1b && rest[1] == 0x1b {
                    i += 1;
                    out.push(Input::Key(Key::plain(KeyCode::Esc)));
                    continue 'outer;
                }
                match TEvent::parse_from(&rest[..n]) {
                    Ok(Some(ev)) => {
                        out.extend(convert(ev));
                        i += n;
                        continue 'outer;
                    }
                    Ok(None) => {}
                    Err(_) => {
                        // Not a sequence we know: drop what was read.
                        i += n;
                        continue 'outer;
                    }
                }
            }
            if len >= MAX_SEQUENCE {
                // No key within the longest sequence: not one we know.
                i += 1;
                continue;
            }
            // Incomplete: wait for the next packet.
            break;
        }
        buf.drain(..i);
        self.buf = buf;
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
    fn a_paste_split_anywhere_is_one_paste() {
        let whole = "x\x1b[200~王芳 hg\x1b[201~y".as_bytes();
        for cut in 0..whole.len() {
            for cut2 in cut..whole.len() {
                let mut p = Parser::new();
                let now = Instant::now();
                let mut got = p.feed(&whole[..cut], now);
                got.extend(p.feed(&whole[cut..cut2], now));
                got.extend(p.feed(&whole[cut2..], now));
                assert_eq!(keys(&got), ["x", "paste:王芳 hg", "y"], "cut at {cut}, {cut2}");
            }
        }
    }

    #[test]
    fn huge_input_costs_bounded_memory_and_linear_time() {
        let mut p = Parser::new();
        let now = Instant::now();
        let t0 = Instant::now();
        // 8 MB in one paste, in 32 KB packets: kept to MAX_PASTE.
        assert!(p.feed(b"\x1b[200~", now).is_empty());
        let chunk = vec![b'a'; 32 * 1024];
        for _ in 0..256 {
            assert!(p.feed(&chunk, now).is_empty());
            assert!(p.buf.len() < PASTE_END.len());
        }
        let got = p.feed(b"\x1b[201~", now);
        assert_eq!(got, vec![Input::Paste("a".repeat(MAX_PASTE))]);
        // An endless sequence start: dropped, never held whole.
        let mut junk = b"\x1b[".to_vec();
        junk.extend(std::iter::repeat_n(b'1', 1 << 20));
        let _ = p.feed(&junk, now);
        assert!(p.buf.len() <= MAX_SEQUENCE);
        // 1 MB of plain keys in one packet.
        assert_eq!(p.feed(&vec![b'k'; 1 << 20], now).len(), 1 << 20);
        assert!(t0.elapsed() < Duration::from_secs(20), "{:?}", t0.elapsed());
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
