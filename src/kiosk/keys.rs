//! The kiosk's keys: a fixed small map per screen, not read from keymap.toml.
//!
//! A public screen must behave the same for every visitor: an operator's
//! keymap file (which may bind a key to `quit`, or unbind `esc`) must not
//! change it. So the map lives here, as data, and the only key that can be
//! set is the exit key (`--exit-key`, or none with `--no-exit`), checked
//! before this map. Resolution is the same two pure steps as the workspace:
//! (screen, key) → [`KAction`], then `Kiosk::update`. The keys line of each
//! screen is generated from this table, so it cannot name a key that does
//! nothing.
//!
//! | screen | keys |
//! |---|---|
//! | home | ↑↓ (also ←→ tab) choose · enter open · 1 classes · 2 jobs · f4 中文/English |
//! | a list | typing searches · backspace / ctrl-u edit · ↑↓ pageup pagedown move · enter details · f2 district · f3 trade · esc home |
//! | a class | ↑↓ scroll · esc back |
//! | a job | ↑↓ pick a class that trains for it · enter open it · esc back |
//! | a choice (district, trade) | typing narrows · ↑↓ move · enter choose · esc cancel |
//!
//! f4 switches the language on every screen.

use crate::keymap::{Key, KeyCode};

/// What a kiosk key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KAction {
    Up,
    Down,
    PageUp,
    PageDown,
    /// Open the highlighted thing (a home choice, a row, a class of a job).
    Open,
    OpenClasses,
    OpenJobs,
    Back,
    District,
    Trade,
    DeleteBack,
    ClearQuery,
    CursorLeft,
    CursorRight,
    Language,
    /// Open the wish form (想报名 / 想培训, #25).
    Wish,
    NextField,
    PrevField,
    /// Tick a box, or step a choice.
    Toggle,
}

/// Which screen a key is pressed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Where {
    Home,
    List,
    Class,
    Job,
    Choose,
    /// The wish form (#25).
    Wish,
    /// A wish's receipt: any key goes home.
    Receipt,
}

impl Where {
    pub const ALL: [Where; 7] = [
        Where::Home,
        Where::List,
        Where::Class,
        Where::Job,
        Where::Choose,
        Where::Wish,
        Where::Receipt,
    ];

    /// Screens with a text field: a printable key no binding takes is typed.
    pub fn types_text(self) -> bool {
        matches!(self, Where::List | Where::Choose | Where::Wish)
    }
}

/// What a keys-line entry says it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Move,
    Scroll,
    Open,
    Details,
    ViewClass,
    Classes,
    Jobs,
    District,
    Trade,
    Back,
    Home,
    Choose,
    Cancel,
    Language,
    /// Wishes (#25): open the form, move between its fields, choose, tick, send.
    Wish,
    Field,
    Pick,
    Tick,
    Submit,
}

type Binding = (&'static str, KAction);

const EVERYWHERE: &[Binding] = &[("f4", KAction::Language)];

const HOME: &[Binding] = &[
    ("up", KAction::Up),
    ("down", KAction::Down),
    ("left", KAction::Up),
    ("right", KAction::Down),
    ("backtab", KAction::Up),
    ("tab", KAction::Down),
    ("enter", KAction::Open),
    ("1", KAction::OpenClasses),
    ("2", KAction::OpenJobs),
];

const LIST: &[Binding] = &[
    ("up", KAction::Up),
    ("down", KAction::Down),
    ("pageup", KAction::PageUp),
    ("pagedown", KAction::PageDown),
    ("enter", KAction::Open),
    ("f2", KAction::District),
    ("f3", KAction::Trade),
    ("f5", KAction::Wish),
    ("esc", KAction::Back),
    ("backspace", KAction::DeleteBack),
    ("ctrl-u", KAction::ClearQuery),
    ("left", KAction::CursorLeft),
    ("right", KAction::CursorRight),
];

const CLASS: &[Binding] = &[
    ("up", KAction::Up),
    ("down", KAction::Down),
    ("pageup", KAction::PageUp),
    ("pagedown", KAction::PageDown),
    ("esc", KAction::Back),
    ("backspace", KAction::Back),
    ("w", KAction::Wish),
    ("W", KAction::Wish),
];

const JOB: &[Binding] = &[
    ("up", KAction::Up),
    ("down", KAction::Down),
    ("pageup", KAction::PageUp),
    ("pagedown", KAction::PageDown),
    ("enter", KAction::Open),
    ("esc", KAction::Back),
    ("backspace", KAction::Back),
    ("w", KAction::Wish),
    ("W", KAction::Wish),
];

const CHOOSE: &[Binding] = &[
    ("up", KAction::Up),
    ("down", KAction::Down),
    ("pageup", KAction::PageUp),
    ("pagedown", KAction::PageDown),
    ("enter", KAction::Open),
    ("esc", KAction::Back),
    ("backspace", KAction::DeleteBack),
    ("ctrl-u", KAction::ClearQuery),
];

const WISH: &[Binding] = &[
    ("up", KAction::Up),
    ("down", KAction::Down),
    ("backtab", KAction::PrevField),
    ("tab", KAction::NextField),
    ("left", KAction::CursorLeft),
    ("right", KAction::CursorRight),
    ("space", KAction::Toggle),
    ("enter", KAction::Open),
    ("esc", KAction::Back),
    ("backspace", KAction::DeleteBack),
    ("ctrl-u", KAction::ClearQuery),
];

const RECEIPT: &[Binding] = &[("enter", KAction::Back), ("esc", KAction::Back)];

/// Every binding of a screen, most specific first.
pub fn bindings(w: Where) -> impl Iterator<Item = (Key, KAction)> {
    let own = match w {
        Where::Home => HOME,
        Where::List => LIST,
        Where::Class => CLASS,
        Where::Job => JOB,
        Where::Choose => CHOOSE,
        Where::Wish => WISH,
        Where::Receipt => RECEIPT,
    };
    // The table is checked by a test; a bad entry would only be skipped.
    own.iter()
        .chain(EVERYWHERE)
        .filter_map(|(k, a)| k.parse::<Key>().ok().map(|k| (k, *a)))
}

/// The action of a key on a screen.
pub fn resolve(w: Where, key: Key) -> Option<KAction> {
    bindings(w).find(|(k, _)| *k == key).map(|(_, a)| a)
}

/// The keys line of a screen: at most five entries, each the actions it
/// stands for and what it says.
pub fn footer(w: Where) -> &'static [(&'static [KAction], Label)] {
    use KAction as A;
    match w {
        Where::Home => &[
            (&[A::Up, A::Down], Label::Move),
            (&[A::Open], Label::Open),
            (&[A::OpenClasses], Label::Classes),
            (&[A::OpenJobs], Label::Jobs),
            (&[A::Language], Label::Language),
        ],
        Where::List => &[
            (&[A::Up, A::Down], Label::Move),
            (&[A::Open], Label::Details),
            (&[A::District], Label::District),
            (&[A::Trade], Label::Trade),
            (&[A::Back], Label::Home),
        ],
        Where::Class => &[
            (&[A::Up, A::Down], Label::Scroll),
            (&[A::Wish], Label::Wish),
            (&[A::Back], Label::Back),
        ],
        Where::Job => &[
            (&[A::Up, A::Down], Label::Move),
            (&[A::Open], Label::ViewClass),
            (&[A::Wish], Label::Wish),
            (&[A::Back], Label::Back),
        ],
        Where::Choose => &[
            (&[A::Up, A::Down], Label::Move),
            (&[A::Open], Label::Choose),
            (&[A::Back], Label::Cancel),
        ],
        Where::Wish => &[
            (&[A::Up, A::Down], Label::Field),
            (&[A::CursorLeft, A::CursorRight], Label::Pick),
            (&[A::Toggle], Label::Tick),
            (&[A::Open], Label::Submit),
            (&[A::Back], Label::Back),
        ],
        Where::Receipt => &[(&[A::Back], Label::Home)],
    }
}

/// How a key is written on the keys line: arrows as arrows, names capitalized.
pub fn key_label(k: Key) -> String {
    if k.mods.ctrl || k.mods.alt {
        return k.to_string();
    }
    match k.code {
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::Char(' ') => "␣".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::F(n) => format!("F{n}"),
        _ => k.to_string(),
    }
}

/// The keys an entry of the keys line shows: the first key of each action.
pub fn footer_keys(w: Where, actions: &[KAction]) -> Option<String> {
    let mut s = String::new();
    for a in actions {
        let (k, _) = bindings(w).find(|(_, b)| b == a)?;
        s.push_str(&key_label(k));
    }
    Some(s)
}

/// Why a key cannot be the exit key, if it cannot: a visitor would press
/// it in the ordinary course (it types into the search, or the kiosk uses it).
pub fn exit_key_problem(key: Key) -> Option<String> {
    if key.text().is_some() {
        return Some(format!(
            "'{key}' types into the search, so any visitor would press it; use a key with ctrl- or alt-, or a function key"
        ));
    }
    for w in Where::ALL {
        if let Some(a) = resolve(w, key) {
            return Some(format!(
                "'{key}' is a kiosk key ({a:?} on the {w:?} screen); pick one the kiosk does not use, e.g. ctrl-c or ctrl-alt-q"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_tables() -> [(&'static str, &'static [Binding]); 8] {
        [
            ("wish", WISH),
            ("receipt", RECEIPT),
            ("everywhere", EVERYWHERE),
            ("home", HOME),
            ("list", LIST),
            ("class", CLASS),
            ("job", JOB),
            ("choose", CHOOSE),
        ]
    }

    #[test]
    fn every_key_in_the_tables_parses_and_none_is_bound_twice() {
        for (name, table) in all_tables() {
            let mut seen = Vec::new();
            for (k, _) in table {
                let key: Key = k.parse().unwrap_or_else(|e| panic!("{name}: '{k}': {e}"));
                assert!(!seen.contains(&key), "{name}: '{k}' twice");
                seen.push(key);
            }
        }
    }

    #[test]
    fn keys_lines_have_at_most_five_entries_and_every_one_is_bound() {
        for w in Where::ALL {
            let f = footer(w);
            assert!(!f.is_empty() && f.len() <= 5, "{w:?}: {} entries", f.len());
            for (actions, _) in f {
                assert!(footer_keys(w, actions).is_some(), "{w:?}: {actions:?} is not bound");
            }
        }
        assert_eq!(
            footer_keys(Where::List, &[KAction::Up, KAction::Down]).as_deref(),
            Some("↑↓")
        );
        assert_eq!(footer_keys(Where::List, &[KAction::District]).as_deref(), Some("F2"));
    }

    #[test]
    fn no_screen_binds_ctrl_c_or_anything_that_exits() {
        // Exiting is only ever the configured exit key, checked before this map.
        for w in Where::ALL {
            assert_eq!(resolve(w, Key::ctrl('c')), None, "{w:?}");
            assert_eq!(resolve(w, Key::ctrl('d')), None, "{w:?}");
            assert_eq!(resolve(w, Key::ctrl('z')), None, "{w:?}");
        }
    }

    #[test]
    fn the_exit_key_must_be_one_no_visitor_presses_by_chance() {
        assert!(exit_key_problem(Key::ctrl('c')).is_none());
        assert!(exit_key_problem("ctrl-alt-q".parse().unwrap()).is_none());
        assert!(exit_key_problem("f12".parse().unwrap()).is_none());
        let q = exit_key_problem(Key::ch('q')).unwrap();
        assert!(q.contains("types into the search"), "{q}");
        let esc = exit_key_problem("esc".parse().unwrap()).unwrap();
        assert!(esc.contains("kiosk key"), "{esc}");
        assert!(exit_key_problem("f2".parse().unwrap()).is_some());
    }
}
