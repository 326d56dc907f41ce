//! The commands, one module per family; `main` parses and dispatches. What
//! they share: the global options and opening a database that must exist.

pub mod access;
pub mod args;
pub mod audit;
pub mod check;
pub mod data;
pub mod guard;
pub mod keymap;
pub mod listed;
pub mod pack;
pub mod report;
pub mod salvage;
pub mod search;
pub mod serve;
pub mod subsidy;
pub mod today;
pub mod torture;
pub mod workspace;

use anyhow::Result;
use skillbridge::i18n::Lang;
use skillbridge::paths;
use skillbridge::say::Say;
use skillbridge::say::cli::{CliError, Line};
use skillbridge::store::Store;
use std::path::{Path, PathBuf};

/// The options every command takes (`--db`, `--keymap`, `--lang`, `--operator`).
pub struct Globals {
    pub db: Option<PathBuf>,
    pub keymap: Option<PathBuf>,
    pub lang: Option<String>,
    pub operator: Option<String>,
}

impl Globals {
    /// The operators' database: `--db`, else `SKILLBRIDGE_DB`, else the data directory's.
    pub fn db_path(&self) -> PathBuf {
        paths::db_path(self.db.clone())
    }

    /// The command line's language: `--lang`, else the locale (`zh_*`:
    /// Chinese), else English; machine output keeps its stable keys.
    pub fn cli_lang(&self) -> Result<Lang> {
        match &self.lang {
            Some(_) => self.lang(),
            None => Ok(locale_lang(|k| std::env::var(k).ok())),
        }
    }

    /// The interface language (Chinese unless `--lang en`).
    pub fn lang(&self) -> Result<Lang> {
        Ok(match &self.lang {
            Some(l) => Lang::parse(l).ok_or_else(|| CliError::UnknownLanguage { value: l.clone() })?,
            None => Lang::Zh,
        })
    }
}

/// The language the command line speaks before its options are checked
/// (for its own failures): `--lang` when it is one, else the locale.
pub fn cli_lang_of(lang: Option<&str>) -> Lang {
    match lang.and_then(Lang::parse) {
        Some(l) => l,
        None => locale_lang(|k| std::env::var(k).ok()),
    }
}

static SPOKEN: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// Set once by `main`: the language of lines said outside a command's own
/// code (opening a database, the guard).
pub fn set_spoken(lang: Lang) {
    let _ = SPOKEN.set(lang);
}

/// The command line's language as `main` set it (else the locale's).
pub fn spoken() -> Lang {
    *SPOKEN.get_or_init(|| cli_lang_of(None))
}

/// Print a line for people on standard output, in `lang`.
pub fn say(line: Line, lang: Lang) {
    println!("{}", line.say(lang));
}

/// Print a line for people on standard error, in `lang`.
pub fn tell(line: Line, lang: Lang) {
    eprintln!("{}", line.say(lang));
}

/// The command line's language from the locale, as other tools read it:
/// `LC_ALL`, then `LC_MESSAGES`, then `LANG`; `zh_*` is Chinese, anything
/// else (or nothing) English.
fn locale_lang(var: impl Fn(&str) -> Option<String>) -> Lang {
    let set = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| var(k).filter(|v| !v.is_empty()));
    match set {
        Some(v) if v.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

/// Open a database that must already exist (read commands never create one).
pub fn open_existing(path: &Path) -> Result<Store> {
    require_database(path)?;
    Ok(Store::open(path)?)
}

/// An existing database, for a long-running service.
pub fn open_existing_for_service(path: &Path) -> Result<Store> {
    require_database(path)?;
    Ok(Store::open_for_service(path)?)
}

pub fn require_database(path: &Path) -> Result<()> {
    if !path.join("db").exists() && !path.join("conf").exists() {
        return Err(CliError::NoDatabase {
            path: path.to_path_buf(),
        }
        .into());
    }
    make_private(path);
    Ok(())
}

/// An error and its causes, each said once: most of our errors already
/// name their cause in their own message ("cannot read: No such file…"),
/// and anyhow's chain would say it again.
pub fn describe(e: &anyhow::Error) -> String {
    let mut s = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !s.contains(&c) {
            s.push_str(": ");
            s.push_str(&c);
        }
    }
    s
}

/// An error in the reader's language: the first typed error of its chain
/// said whole (our typed errors name their cause themselves). An error
/// nothing below typed is said as it is in English, and in Chinese as a
/// failure with the words quoted.
pub fn describe_in(e: &anyhow::Error, lang: Lang) -> String {
    if lang == Lang::En {
        return describe(e);
    }
    for cause in e.chain() {
        if let Some(s) = say_typed(cause, lang) {
            return s;
        }
    }
    format!("操作失败（原始信息：「{}」）", describe(e))
}

/// One error of a chain, if it is of a type that says itself.
fn say_typed(e: &(dyn std::error::Error + 'static), lang: Lang) -> Option<String> {
    use skillbridge::domain::{
        IdNumberError, MobileError, TransitionError, UnknownKind, ValidationError, access::BadSetting, access::Denied,
        rules::RuleError,
    };
    use skillbridge::io::{
        backup::BackupError, export::ExportError, import::ImportError, salvage::SalvageError, table::TableError,
    };
    use skillbridge::store::{StoreError, sledlog::ScanError};
    macro_rules! try_say {
        ($($t:ty),*) => {$(
            if let Some(x) = e.downcast_ref::<$t>() {
                return Some(x.say(lang));
            }
        )*};
    }
    try_say!(
        CliError,
        StoreError,
        ImportError,
        ExportError,
        BackupError,
        SalvageError,
        ScanError,
        TableError,
        skillbridge::paths::FileError,
        skillbridge::keymap::KeymapError,
        skillbridge::figures::SettingError,
        Denied,
        BadSetting,
        RuleError,
        TransitionError,
        ValidationError,
        IdNumberError,
        MobileError,
        UnknownKind
    );
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return Some(format!("读写失败：{}", skillbridge::say::io_error(io, lang)));
    }
    None
}

/// A database made by an older skillbridge (or copied with a wide umask)
/// is made private (directories 0700, files 0600) when it is opened.
pub fn make_private(path: &Path) {
    match paths::tighten_tree(path) {
        Ok(0) => {}
        Ok(count) => tell(
            Line::MadePrivate {
                count,
                path: path.to_path_buf(),
            },
            spoken(),
        ),
        Err(source) => tell(
            Line::CannotMakePrivate {
                path: path.to_path_buf(),
                source,
            },
            spoken(),
        ),
    }
}

#[cfg(test)]
mod locale_tests {
    use super::*;

    #[test]
    fn the_locale_picks_the_command_lines_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(locale_lang(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(locale_lang(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")])), Lang::En);
        assert_eq!(locale_lang(env(&[("LC_ALL", ""), ("LANG", "zh_TW")])), Lang::Zh);
        assert_eq!(locale_lang(env(&[])), Lang::En);
    }
}
