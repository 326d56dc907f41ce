//! The walls around the public view: the kiosk's code reaches data only
//! through it, and it offers reads and nothing else.

use super::*;

/// Every .rs file under `dir`, folders included.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Identifiers in code (comments dropped).
fn code_tokens(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for tok in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
            if !tok.is_empty() {
                out.push((n + 1, tok.to_string()));
            }
        }
    }
    out
}

#[test]
fn the_kiosk_module_reaches_data_only_through_the_public_view() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/kiosk");
    let forbidden = [
        "Service",
        "Inner",
        "Data",
        "data",
        "Store",
        "store",
        "Trainee",
        "TraineeId",
        "Case",
        "CaseId",
        "IdNumber",
        "id_number",
        "Mobile",
        "mobile",
        "operator",
        "svc",
        "enroll",
        "transition",
        "save",
    ];
    let mut offenders = Vec::new();
    let mut files = 0;
    for p in rust_files(&dir) {
        files += 1;
        // The wish form (#25) holds what a visitor types into its mobile
        // field and sends it through the kiosk's one write, its inbox
        // (which reads nothing back, `service::wish`): the mobile's names
        // in that file only.
        let wish_form = p.file_name().is_some_and(|n| n == "wish.rs");
        for (line, tok) in code_tokens(&p) {
            let name = tok.rsplit("::").next().unwrap_or(&tok);
            if wish_form && matches!(name, "mobile" | "Mobile") {
                continue;
            }
            if forbidden.contains(&name) {
                offenders.push(format!("{}:{line}: {tok}", p.display()));
            }
            // The only way into the service layer is its public module.
            // (and the inbox a wish is sent through).
            if tok.contains("service::") && !tok.contains("service::public") && !tok.contains("service::wish::") {
                offenders.push(format!("{}:{line}: {tok}", p.display()));
            }
        }
    }
    assert!(files >= 4, "src/kiosk has {files} files");
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn the_public_view_offers_reads_and_nothing_else() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service/public.rs");
    let text = std::fs::read_to_string(path).unwrap();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut fns: Vec<&str> = code
        .split("pub fn ")
        .skip(1)
        .filter_map(|rest| rest.split(['(', '<']).next())
        .collect();
    fns.sort_unstable();
    fns.dedup();
    // Each added method is a decision: review it for personal data and writes.
    let reviewed = [
        "class",
        "classes",
        "classes_for_job",
        "enterprise_names",
        "institutions",
        "is_simulated",
        "job",
        "jobs",
        "new",
        "open_classes",
        "open_jobs",
        "regions",
        "search",
        "today",
        "totals",
        "trades",
        "version",
    ];
    assert_eq!(fns, reviewed);
    for word in [
        "impl Deref",
        "impl DerefMut",
        "impl AsRef",
        "impl Borrow",
        "pub svc",
        "pub(crate) svc",
    ] {
        assert!(!code.contains(word), "public.rs has '{word}'");
    }
    // No record type the view hands out has a field for a person.
    for word in ["Trainee", "Case", "IdNumber", "Mobile", "operator", "Event", "Stamp"] {
        assert!(!code.contains(word), "public.rs names '{word}'");
    }
}
