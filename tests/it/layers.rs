//! The layers hold: every `crate::…` path in a library module names a
//! module that the README's "Layout of `src/`" table lets it use. The table
//! is the rule and this test reads it, so the README cannot drift from the
//! code and a module cannot reach a layer above it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const EVERYTHING: &str = "everything";

/// The table: module → the modules it may use (`None`: anything).
fn table() -> BTreeMap<String, Option<BTreeSet<String>>> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("## Layout of `src/`")
        .expect("the README has a layout section");
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map(|i| i + 3).unwrap_or(section.len());
    let mut rows = BTreeMap::new();
    for line in section[..end].lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (path, may) = (cells[1], cells[cells.len() - 2]);
        let allowed = if may == EVERYTHING {
            None
        } else {
            Some(ticked(may).into_iter().collect())
        };
        for name in ticked(path) {
            let module = name.trim_end_matches('/').trim_end_matches(".rs").to_string();
            rows.insert(module, allowed.clone());
        }
    }
    rows
}

/// The `names` in backticks of a cell.
fn ticked(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// Code without comments, strings and char literals (so a path in a doc
/// comment or a message is not a use).
fn code(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        match b[i] {
            '/' if next == Some('/') => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            'r' if (next == Some('"') || next == Some('#')) && (i == 0 || !b[i - 1].is_alphanumeric()) => {
                // A raw string: r"…" or r#"…"#.
                let mut j = i + 1;
                let mut hashes = 0;
                while j < b.len() && b[j] == '#' {
                    hashes += 1;
                    j += 1;
                }
                if j < b.len() && b[j] == '"' {
                    j += 1;
                    let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                    while j < b.len() && !b[j..].iter().take(close.len()).copied().eq(close.chars()) {
                        j += 1;
                    }
                    i = j + close.len();
                    out.push_str("\"\"");
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                while i < b.len() && b[i] != '"' {
                    if b[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' if b.get(i + 2) == Some(&'\'') || (next == Some('\\') && b.get(i + 3) == Some(&'\'')) => {
                // A char literal ('x' or '\n'), not a lifetime.
                i += if next == Some('\\') { 4 } else { 3 };
                out.push_str("' '");
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The top-level modules a file's code reaches through `crate::`,
/// including `use crate::{a, b::c}` groups.
fn uses(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(tail) = rest.trim_start().strip_prefix("::") else {
            continue;
        };
        let tail = tail.trim_start();
        if let Some(group) = tail.strip_prefix('{') {
            // The top-level names of a (possibly nested) group.
            let mut depth = 0;
            let mut name = String::new();
            let mut at_top = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        at_top = true;
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && at_top {
                    if c.is_alphanumeric() || c == '_' {
                        name.push(c);
                    } else if !name.is_empty() {
                        found.insert(std::mem::take(&mut name));
                        at_top = false;
                    }
                }
            }
            if !name.is_empty() {
                found.insert(name);
            }
        } else {
            let name: String = tail.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_module_uses_only_the_layers_the_readme_allows() {
    let table = table();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" {
            continue;
        }
        seen.insert(top.clone());
        let Some(allowed) = table.get(&top) else {
            problems.push(format!(
                "src/{}: module '{top}' has no row in the README's layout table",
                rel.display()
            ));
            continue;
        };
        let Some(allowed) = allowed else { continue };
        let text = std::fs::read_to_string(f).unwrap();
        for used in uses(&code(&text)) {
            if used != top && !allowed.contains(&used) {
                problems.push(format!(
                    "src/{}: '{top}' uses '{used}', which the README's table does not allow (it may use: {})",
                    rel.display(),
                    allowed.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    for module in table.keys() {
        assert!(
            seen.contains(module),
            "the README's layout table names '{module}', which src/ does not have"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_parser_sees_groups_and_ignores_comments_and_strings() {
    let text = r#"
        use crate::{domain::Kind, service::{Data, Service}, i18n};
        // use crate::ui;
        /* crate::kiosk */
        let s = "crate::server";
        let c = '{';
        let x = crate::figures::compute(a);
        let y = not_crate::store;
    "#;
    let got: Vec<String> = uses(&code(text)).into_iter().collect();
    assert_eq!(got, ["domain", "figures", "i18n", "service"]);
}
