//! The words of every typed refusal and failure, in each language: the
//! English is each error's own message (its `Display`), the Chinese is
//! `zh.rs`, one exhaustive match per error type (a new variant does not
//! compile until it has its Chinese). Screens, the import report and the
//! command line call [`Say::say`] with the session's language.

pub mod cli;
mod files;
mod subsidy;
pub mod wish;
mod zh;

use crate::domain::rules::{Closed, RuleError, Warning};
use crate::domain::{
    Breach, IdNumberError, MobileError, TransitionError, UnknownKind, ValidationError, access::Denied,
};
use crate::i18n::Lang;
use crate::io::import::{Diff, ImportError, Plan, Problem, Reject, Report, UnknownColumn, Why};
use crate::io::table::{Excess, Note, TableError};
use crate::store::{StoreError, Unavailable};
use std::path::Path;

/// A message in the reader's language.
pub trait Say {
    fn say(&self, lang: Lang) -> String;
}

/// English is the type's own message; Chinese is `zh::$f`.
macro_rules! said {
    ($($t:ty => $f:ident),* $(,)?) => {$(
        impl Say for $t {
            fn say(&self, lang: Lang) -> String {
                match lang {
                    Lang::En => self.to_string(),
                    Lang::Zh => zh::$f(self),
                }
            }
        }
    )*};
}

said! {
    StoreError => store,
    Unavailable => unavailable,
    RuleError => rule,
    Closed => closed,
    Warning => warning,
    TransitionError => transition,
    ValidationError => validation,
    Breach => breach,
    Denied => denied,
    IdNumberError => id_number,
    MobileError => mobile,
    UnknownKind => unknown_kind,
    ImportError => import,
    TableError => table,
    Excess => excess,
    Why => why,
    Report => report,
    Note => note,
    UnknownColumn => unknown_column,
    crate::io::export::ExportError => export,
    crate::pack::PackError => pack,
    crate::pack::PackProblem => pack_problem,
    crate::pack::Issue => pack_issue,
    crate::pack::edit::CatalogError => catalog_error,
}

/// What the system said about a file, in the reader's language (Chinese:
/// what happened, with the system's error number).
pub fn io_error(e: &std::io::Error, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => zh::io_error(e),
    }
}

/// A keymap problem at its place (`FILE:LINE:COL: …`).
pub fn keymap_problem(p: &crate::keymap::Problem, lang: Lang) -> String {
    match lang {
        Lang::En => p.to_string(),
        Lang::Zh => files::problem(p),
    }
}

impl Say for crate::domain::subsidy::SubsidyError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => subsidy::subsidy(self),
        }
    }
}

impl Say for crate::domain::subsidy::StandardsError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => subsidy::standards(self),
        }
    }
}

/// `column 'X' = 'value': reason` in the reader's language.
pub fn problem(p: &Problem, lang: Lang) -> String {
    match lang {
        Lang::En => p.detail(),
        Lang::Zh => zh::problem(p),
    }
}

/// One line per problem of a bad row: `FILE:ROW: …`.
pub fn reject_lines(r: &Reject, path: &Path, lang: Lang) -> Vec<String> {
    r.problems
        .iter()
        .map(|p| format!("{}:{}: {}", path.display(), r.line, problem(p, lang)))
        .collect()
}

/// Every problem of a row, joined (the rejects file's reason column).
pub fn reject_detail(r: &Reject, lang: Lang) -> String {
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    r.problems
        .iter()
        .map(|p| problem(p, lang))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A bad row's problems in Chinese (the rejects file's 错误原因 column
/// under `--lang zh`).
pub fn reject_detail_zh(r: &Reject) -> String {
    reject_detail(r, Lang::Zh)
}

/// A change to a stored record, field by field: `FILE:ROW: … differs: …`.
pub fn diff(d: &Diff, path: &Path, lang: Lang) -> String {
    match lang {
        Lang::En => d.message(path),
        Lang::Zh => zh::diff(d, path),
    }
}

/// Every bad row's problems of a plan, one line each.
pub fn plan_rejects(p: &Plan, lang: Lang) -> Vec<String> {
    p.rejects.iter().flat_map(|r| reject_lines(r, &p.path, lang)).collect()
}

/// A plan's remarks (encoding, title rows…) and its columns not imported.
pub fn plan_notes(p: &Plan, lang: Lang) -> Vec<String> {
    p.notes
        .iter()
        .map(|n| n.say(lang))
        .chain(p.warnings.iter().map(|w| w.say(lang)))
        .collect()
}

/// Every change a plan makes to stored records, one line each.
pub fn plan_diffs(p: &Plan, lang: Lang) -> Vec<String> {
    p.diffs.iter().map(|d| diff(d, &p.path, lang)).collect()
}

#[cfg(test)]
mod tests;

impl Say for crate::domain::subsidy::StandardEditError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => subsidy::standard_edit(self),
        }
    }
}
