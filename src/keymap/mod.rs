//! Key bindings: `keymap.toml` at the repository root is the shipped
//! default, compiled in; a user file overrides it key by key. Keys resolve
//! to actions in two pure steps (context chain → key → action), so the whole
//! map is testable without a terminal.
//!
//! A bad file is reported whole: every problem as `FILE:LINE:COL: [context]
//! message`, with a "did you mean" for near misses.

mod action;
mod key;

pub use action::Action;
pub use key::{KEY_NAMES, Key, KeyCode, KeyError, Mods};

use crate::suggest::hint as suggest;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

/// The shipped default keymap.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymap.toml");

/// Where a key is pressed: each screen has a chain of contexts, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Search,
    Detail,
    Pairing,
    Picker,
    Confirm,
    Form,
    Help,
    Dashboard,
    /// The callback queue of training wishes (#25).
    Wishes,
    Subsidy,
}

impl Context {
    pub const ALL: [Context; 12] = [
        Context::Global,
        Context::List,
        Context::Search,
        Context::Detail,
        Context::Pairing,
        Context::Picker,
        Context::Confirm,
        Context::Form,
        Context::Help,
        Context::Dashboard,
        Context::Wishes,
        Context::Subsidy,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Search => "search",
            Context::Detail => "detail",
            Context::Pairing => "pairing",
            Context::Picker => "picker",
            Context::Confirm => "confirm",
            Context::Form => "form",
            Context::Help => "help",
            Context::Dashboard => "dashboard",
            Context::Wishes => "wishes",
            Context::Subsidy => "subsidy",
        }
    }
    /// The context as the Chinese help names it.
    pub fn zh(self) -> &'static str {
        match self {
            Context::Global => "所有界面",
            Context::List => "列表",
            Context::Search => "输入框",
            Context::Detail => "详情",
            Context::Pairing => "匹配",
            Context::Picker => "选择框",
            Context::Confirm => "确认",
            Context::Form => "表单",
            Context::Help => "帮助",
            Context::Dashboard => "看板",
            Context::Wishes => "培训意向",
            Context::Subsidy => "培训补贴",
        }
    }
    pub fn from_name(s: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == s)
    }
}

/// Actions deliberately left without a default key (reachable otherwise).
pub const INTENTIONALLY_UNBOUND: &[Action] = &[
    // Quitting without the unsaved-input question is for an operator who
    // binds it; no shipped key loses typed input.
    Action::QuitNow,
];

/// The word that removes a default binding in a user file.
pub const UNBIND: &str = "none";

/// One problem in a keymap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub context: Option<String>,
    pub message: String,
    /// What is wrong, with its data (each language words it: `say`).
    pub flaw: Flaw,
}

/// What is wrong at a keymap problem's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flaw {
    /// The file cannot be read.
    Unreadable {
        kind: std::io::ErrorKind,
    },
    /// Not TOML; the parser's own words.
    NotToml {
        detail: String,
    },
    UnknownContext {
        name: String,
    },
    NotTable {
        context: String,
    },
    BadKey {
        key: String,
        error: KeyError,
    },
    UnknownAction {
        action: String,
        key: String,
    },
    ActionNotString {
        key: String,
    },
    Twice {
        key: String,
        first: String,
        line: usize,
        col: usize,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.col)?;
        if let Some(c) = &self.context {
            write!(f, "[{c}] ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem a keymap file has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for KeymapError {}

#[derive(Debug, Clone)]
pub struct Binding {
    pub key: Key,
    /// `None` unbinds the key.
    pub action: Option<Action>,
}

/// The effective map.
#[derive(Debug, Clone, Default)]
pub struct KeyMap {
    map: HashMap<Context, BTreeMap<Key, Action>>,
    /// Bindings in file order per context, for help and the footer.
    order: HashMap<Context, Vec<(Key, Action)>>,
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// Parse one keymap file into bindings per context, or every problem in it.
pub fn parse(text: &str, file: &str) -> Result<Vec<(Context, Vec<Binding>)>, KeymapError> {
    let mut problems = Vec::new();
    let at = |span: std::ops::Range<usize>, context: Option<&str>, message: String, flaw: Flaw| {
        let (line, col) = line_col(text, span.start);
        Problem {
            file: file.to_string(),
            line,
            col,
            context: context.map(str::to_string),
            message,
            flaw,
        }
    };
    let doc = match toml::de::DeTable::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            return Err(KeymapError {
                problems: vec![at(
                    span,
                    None,
                    format!("not valid TOML: {}", e.message().trim()),
                    Flaw::NotToml {
                        detail: e.message().trim().to_string(),
                    },
                )],
            });
        }
    };
    let mut out = Vec::new();
    for (name, value) in doc.get_ref().iter() {
        let cname: &str = name.get_ref().as_ref();
        let Some(ctx) = Context::from_name(cname) else {
            problems.push(at(
                name.span(),
                None,
                format!(
                    "unknown context '{cname}'{}; valid contexts: {}",
                    suggest(cname, Context::ALL.iter().map(|c| c.name())),
                    Context::ALL.map(|c| c.name()).join(", ")
                ),
                Flaw::UnknownContext {
                    name: cname.to_string(),
                },
            ));
            continue;
        };
        let toml::de::DeValue::Table(table) = value.get_ref() else {
            problems.push(at(
                value.span(),
                Some(cname),
                format!(
                    "'{cname}' must be a table of \"key\" = \"action\" lines, e.g. [{cname}] then \"ctrl-s\" = \"save\""
                ),
                Flaw::NotTable {
                    context: cname.to_string(),
                },
            ));
            continue;
        };
        let mut seen: HashMap<Key, (String, usize, usize)> = HashMap::new();
        let mut bindings = Vec::new();
        for (k, v) in table.iter() {
            let kstr: &str = k.get_ref().as_ref();
            let key = match kstr.parse::<Key>() {
                Ok(key) => Some(key),
                Err(e) => {
                    let hint = match &e {
                        KeyError::UnknownName(n) => suggest(n, key::KEY_NAMES),
                        KeyError::UnknownModifier(m) => suggest(m, ["ctrl", "alt", "shift"]),
                        KeyError::Empty => String::new(),
                    };
                    problems.push(at(
                        k.span(),
                        Some(cname),
                        format!("in key '{kstr}': {e}{hint}"),
                        Flaw::BadKey {
                            key: kstr.to_string(),
                            error: e.clone(),
                        },
                    ));
                    None
                }
            };
            let action = match v.get_ref() {
                toml::de::DeValue::String(s) => {
                    let s: &str = s.as_ref();
                    if s == UNBIND {
                        Some(None)
                    } else {
                        match Action::from_name(s) {
                            Some(a) => Some(Some(a)),
                            None => {
                                problems.push(at(
                                    v.span(),
                                    Some(cname),
                                    format!(
                                        "unknown action '{s}' for key '{kstr}'{}; valid actions: {}, or '{UNBIND}' to unbind",
                                        suggest(s, Action::ALL.iter().map(|a| a.name())),
                                        Action::ALL.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
                                    ),
                                    Flaw::UnknownAction {
                                        action: s.to_string(),
                                        key: kstr.to_string(),
                                    },
                                ));
                                None
                            }
                        }
                    }
                }
                _ => {
                    problems.push(at(
                        v.span(),
                        Some(cname),
                        format!("the action for key '{kstr}' must be a quoted action name, e.g. \"save\""),
                        Flaw::ActionNotString { key: kstr.to_string() },
                    ));
                    None
                }
            };
            if let Some(key) = key {
                let (line, col) = line_col(text, k.span().start);
                if let Some((first, l0, c0)) = seen.get(&key) {
                    problems.push(at(
                        k.span(),
                        Some(cname),
                        format!("key '{kstr}' is bound twice: '{first}' at {l0}:{c0} is the same key ({key})"),
                        Flaw::Twice {
                            key: kstr.to_string(),
                            first: first.clone(),
                            line: *l0,
                            col: *c0,
                        },
                    ));
                } else {
                    seen.insert(key, (kstr.to_string(), line, col));
                }
                if let Some(action) = action {
                    bindings.push(Binding { key, action });
                }
            }
        }
        out.push((ctx, bindings));
    }
    problems.sort_by_key(|p| (p.line, p.col));
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(KeymapError { problems })
    }
}

impl KeyMap {
    /// The shipped map.
    pub fn shipped() -> Result<KeyMap, KeymapError> {
        let mut m = KeyMap::default();
        m.apply(parse(DEFAULT_KEYMAP, "keymap.toml (built in)")?);
        Ok(m)
    }

    /// The shipped map with a user file's bindings over it.
    pub fn with_user_file(path: &Path) -> Result<KeyMap, KeymapError> {
        let text = std::fs::read_to_string(path).map_err(|e| KeymapError {
            problems: vec![Problem {
                file: path.display().to_string(),
                line: 0,
                col: 0,
                context: None,
                message: format!("cannot read the keymap file: {e}"),
                flaw: Flaw::Unreadable { kind: e.kind() },
            }],
        })?;
        let user = parse(&text, &path.display().to_string())?;
        let mut m = KeyMap::shipped()?;
        m.apply(user);
        Ok(m)
    }

    /// Load the effective map: `explicit` (from `--keymap`) must exist; the
    /// config-dir file is used when present.
    pub fn load(explicit: Option<&Path>, config_file: &Path) -> Result<KeyMap, KeymapError> {
        match explicit {
            Some(p) => KeyMap::with_user_file(p),
            None if config_file.exists() => KeyMap::with_user_file(config_file),
            None => KeyMap::shipped(),
        }
    }

    fn apply(&mut self, layers: Vec<(Context, Vec<Binding>)>) {
        for (ctx, bindings) in layers {
            let map = self.map.entry(ctx).or_default();
            let order = self.order.entry(ctx).or_default();
            for b in bindings {
                order.retain(|(k, _)| *k != b.key);
                match b.action {
                    Some(a) => {
                        map.insert(b.key, a);
                        order.push((b.key, a));
                    }
                    None => {
                        map.remove(&b.key);
                    }
                }
            }
        }
    }

    /// The action for a key, looking through the chain most specific first.
    pub fn resolve(&self, chain: &[Context], key: Key) -> Option<Action> {
        chain
            .iter()
            .find_map(|c| self.map.get(c).and_then(|m| m.get(&key)).copied())
    }

    /// Keys bound to an action in a context, in file order.
    pub fn keys_for(&self, ctx: Context, action: Action) -> Vec<Key> {
        self.order
            .get(&ctx)
            .map(|v| v.iter().filter(|(_, a)| *a == action).map(|(k, _)| *k).collect())
            .unwrap_or_default()
    }

    /// The first key for an action anywhere in a chain (for footers).
    pub fn key_in_chain(&self, chain: &[Context], action: Action) -> Option<Key> {
        chain.iter().find_map(|c| self.keys_for(*c, action).into_iter().next())
    }

    /// Bindings of a context in file order.
    pub fn bindings(&self, ctx: Context) -> &[(Key, Action)] {
        self.order.get(&ctx).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Is the action bound anywhere?
    pub fn is_bound(&self, action: Action) -> bool {
        self.order.values().any(|v| v.iter().any(|(_, a)| *a == action))
    }

    /// The effective map as TOML (for `keymap print`).
    pub fn to_toml(&self) -> String {
        let mut s = String::from("# the effective skillbridge keymap\n");
        for ctx in Context::ALL {
            let b = self.bindings(ctx);
            if b.is_empty() {
                continue;
            }
            s.push_str(&format!("\n[{}]\n", ctx.name()));
            for (k, a) in b {
                s.push_str(&format!(
                    "{:<16} = \"{}\"  # {}\n",
                    format!("\"{k}\""),
                    a.name(),
                    a.describe_en()
                ));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_keymap_parses_and_binds_every_action() {
        let m = KeyMap::shipped().unwrap_or_else(|e| panic!("{e}"));
        for a in Action::ALL {
            assert!(
                m.is_bound(*a) || INTENTIONALLY_UNBOUND.contains(a),
                "action '{}' is neither bound nor listed as intentionally unbound",
                a.name()
            );
        }
        assert_eq!(
            m.resolve(&[Context::List, Context::Search, Context::Global], Key::ctrl('c')),
            Some(Action::Quit)
        );
    }

    #[test]
    fn user_bindings_override_key_by_key() {
        let mut m = KeyMap::shipped().unwrap();
        m.apply(parse("[list]\n\"ctrl-k\" = \"pair\"\n\"down\" = \"none\"\n", "u.toml").unwrap());
        assert_eq!(m.resolve(&[Context::List], Key::ctrl('k')), Some(Action::Pair));
        assert_eq!(m.resolve(&[Context::List], Key::plain(KeyCode::Down)), None);
        assert_eq!(m.resolve(&[Context::List], Key::plain(KeyCode::Up)), Some(Action::Up));
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = "[list]\n\"ctrl-s\" = \"sav\"\n\"ctrl-entr\" = \"open\"\n\"C-x\" = \"filter\"\n\"ctrl-x\" = \"filter\"\n[lsit]\n\"a\" = \"up\"\n";
        let e = parse(text, "my.toml").unwrap_err();
        let lines: Vec<String> = e.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(
            lines[0].starts_with("my.toml:2:12: [list] unknown action 'sav'"),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains("did you mean 'save'?"));
        assert!(
            lines[1].starts_with("my.toml:3:1: [list] in key 'ctrl-entr': unknown key name 'entr'"),
            "{}",
            lines[1]
        );
        assert!(lines[1].contains("did you mean 'enter'?"));
        assert!(
            lines[2].starts_with("my.toml:5:1: [list] key 'ctrl-x' is bound twice"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("my.toml:6:2: unknown context 'lsit'; did you mean 'list'?"),
            "{}",
            lines[3]
        );
    }
}
