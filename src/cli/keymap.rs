//! `skillbridge keymap check` and `keymap print`.

use super::workspace::load_keymap;
use anyhow::Result;
use skillbridge::i18n::Lang;
use skillbridge::keymap::KeyMap;
use skillbridge::paths;
use skillbridge::say::cli::Line;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Check a keymap file (default: the user's): every problem listed, exit 2 on any.
pub fn check(path: Option<PathBuf>, lang: Lang) -> Result<ExitCode> {
    let path = path.unwrap_or_else(|| paths::config_dir().join("keymap.toml"));
    match KeyMap::with_user_file(&path) {
        Ok(_) => {
            super::say(Line::KeymapOk { path }, lang);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            for p in &e.problems {
                eprintln!("{}", skillbridge::say::keymap_problem(p, lang));
            }
            Ok(ExitCode::from(2))
        }
    }
}

/// Print the effective key bindings (the shipped ones with `--keymap` or the user's file over them).
pub fn print(explicit: Option<&Path>) -> Result<ExitCode> {
    print!("{}", load_keymap(explicit)?.to_toml());
    Ok(ExitCode::SUCCESS)
}
