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
pub mod torture;
pub mod workspace;

use anyhow::{Context, Result};
use skillbridge::i18n::Lang;
use skillbridge::paths;
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
            Some(l) => Lang::parse(l).with_context(|| format!("unknown language '{l}': expected zh or en"))?,
            None => Lang::Zh,
        })
    }
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
        anyhow::bail!(
            "no database at {}: create one with `skillbridge init --db {}` (empty) or `skillbridge demo --db {}` (the demo city), or pass --db PATH",
            path.display(),
            path.display(),
            path.display()
        );
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

/// A database made by an older skillbridge (or copied with a wide umask)
/// is made private (directories 0700, files 0600) when it is opened.
pub fn make_private(path: &Path) {
    match paths::tighten_tree(path) {
        Ok(0) => {}
        Ok(n) => eprintln!(
            "made {n} files and directories of {} private to this account (0600/0700)",
            path.display()
        ),
        Err(e) => eprintln!("warning: cannot make {} private: {e}", path.display()),
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
