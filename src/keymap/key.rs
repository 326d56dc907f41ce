//! Keys as the keymap names them, independent of any terminal library.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Mods {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

/// A key with its modifiers, normalized: a character carries its own case
/// (shift is folded into it) and shift-tab is `BackTab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub mods: Mods,
}

impl Key {
    pub fn new(code: KeyCode, mods: Mods) -> Key {
        let mut k = Key { code, mods };
        match k.code {
            KeyCode::Char(c) => {
                if k.mods.shift && c.is_ascii_lowercase() {
                    k.code = KeyCode::Char(c.to_ascii_uppercase());
                }
                if !c.is_ascii_alphabetic() || k.mods.shift || c.is_ascii_uppercase() {
                    k.mods.shift = false;
                }
                if k.mods.ctrl && c.is_ascii_uppercase() {
                    // ctrl-A and ctrl-a are one key on a terminal.
                    k.code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::Tab if k.mods.shift => {
                k.code = KeyCode::BackTab;
                k.mods.shift = false;
            }
            KeyCode::BackTab => k.mods.shift = false,
            _ => {}
        }
        k
    }

    pub fn plain(code: KeyCode) -> Key {
        Key::new(code, Mods::default())
    }

    pub fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub fn ctrl(c: char) -> Key {
        Key::new(
            KeyCode::Char(c),
            Mods {
                ctrl: true,
                ..Mods::default()
            },
        )
    }

    /// A character to insert into a text field, if this key is one.
    pub fn text(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.mods.ctrl && !self.mods.alt => Some(c),
            _ => None,
        }
    }
}

pub const KEY_NAMES: [&str; 17] = [
    "enter",
    "esc",
    "tab",
    "backtab",
    "backspace",
    "delete",
    "insert",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "space",
    "minus",
];

/// Why a key string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    UnknownModifier(String),
    UnknownName(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => write!(f, "empty key: expected e.g. 'ctrl-s', 'enter', 'f1' or one character"),
            KeyError::UnknownModifier(m) => {
                write!(f, "unknown key modifier '{m}': expected ctrl-, alt- or shift-")
            }
            KeyError::UnknownName(n) => write!(
                f,
                "unknown key name '{n}': expected one character, f1-f12 or one of {}",
                KEY_NAMES.join(", ")
            ),
        }
    }
}

impl std::str::FromStr for Key {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Key, KeyError> {
        if s.is_empty() {
            return Err(KeyError::Empty);
        }
        let mut mods = Mods::default();
        let mut rest = s;
        loop {
            // One character left (e.g. "-" of "ctrl--"): that is the key.
            if rest.chars().count() <= 1 {
                break;
            }
            let Some(dash) = rest.find('-') else { break };
            if dash == 0 {
                break;
            }
            let m = &rest[..dash];
            match m.to_ascii_lowercase().as_str() {
                "ctrl" | "c" | "control" => mods.ctrl = true,
                "alt" | "a" | "meta" | "m" => mods.alt = true,
                "shift" | "s" => mods.shift = true,
                _ => return Err(KeyError::UnknownModifier(m.to_string())),
            }
            rest = &rest[dash + 1..];
        }
        if rest.is_empty() {
            return Err(KeyError::Empty);
        }
        let mut chars = rest.chars();
        let first = chars.next().unwrap_or(' ');
        let code = if chars.next().is_none() {
            KeyCode::Char(first)
        } else {
            let lower = rest.to_ascii_lowercase();
            match lower.as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                "minus" => KeyCode::Char('-'),
                _ => match lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(KeyError::UnknownName(rest.to_string())),
                },
            }
        };
        Ok(Key::new(code, mods))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.mods.alt {
            f.write_str("alt-")?;
        }
        if self.mods.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char('-') if self.mods != Mods::default() => f.write_str("minus"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::F(n) => write!(f, "f{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Key {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_normalizes() {
        assert_eq!(k("ctrl-s"), Key::ctrl('s'));
        assert_eq!(k("C-s"), Key::ctrl('s'));
        assert_eq!(k("ctrl-S"), Key::ctrl('s'));
        assert_eq!(k("shift-a"), Key::ch('A'));
        assert_eq!(k("A"), Key::ch('A'));
        assert_eq!(k("shift-tab"), Key::plain(KeyCode::BackTab));
        assert_eq!(
            k("ctrl--"),
            Key::new(
                KeyCode::Char('-'),
                Mods {
                    ctrl: true,
                    ..Mods::default()
                }
            )
        );
        assert_eq!(k("ctrl-minus"), k("ctrl--"));
        assert_eq!(k("-"), Key::ch('-'));
        assert_eq!(k("f1"), Key::plain(KeyCode::F(1)));
        assert_eq!(k("space"), Key::ch(' '));
        assert_eq!(k("?"), Key::ch('?'));
        assert_eq!(k("焊"), Key::ch('焊'));
        assert!(k("alt-1").mods.alt);
    }

    #[test]
    fn refusals_say_what_is_expected() {
        assert_eq!("".parse::<Key>(), Err(KeyError::Empty));
        let e = "ctlr-s".parse::<Key>().unwrap_err();
        assert_eq!(e, KeyError::UnknownModifier("ctlr".into()));
        assert!(e.to_string().contains("ctrl-, alt- or shift-"));
        let e = "ctrl-entr".parse::<Key>().unwrap_err();
        assert_eq!(e, KeyError::UnknownName("entr".into()));
        assert!("f13".parse::<Key>().is_err());
        assert!("ctrl-".parse::<Key>().is_err());
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "ctrl-s",
            "enter",
            "shift-tab",
            "f5",
            "alt-x",
            "A",
            "?",
            "ctrl-minus",
            "space",
            "pagedown",
        ] {
            assert_eq!(k(s).to_string(), s);
            assert_eq!(k(&k(s).to_string()), k(s));
        }
    }
}
