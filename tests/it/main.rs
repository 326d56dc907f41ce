//! In-process integration tests, one binary (linking 24 test executables
//! dominated the CI run): the store, import and export, figures, and every
//! screen driven through the real keymap on ratatui's TestBackend.
//! Tests that drive the real binary in a terminal live in `tests/e2e`.

#[path = "../common/mod.rs"]
mod common;

mod access;
mod aftercare;
mod aftercare_ui;
mod backup_all;
mod batch;
mod borders;
mod chinese;
mod chinese_cli;
mod classwork;
mod cli;
mod dashboard;
mod exchange;
mod faults;
mod figures;
mod files;
mod hostile;
mod import;
mod intake;
mod invariants;
mod keymap_files;
mod kiosk;
mod layers;
mod masking;
mod notes_search;
mod pack_check;
mod pack_import;
mod precision;
mod repair;
mod report;
mod roundtrip;
mod rules;
mod safety;
mod salvage;
mod search_cli;
mod standards_ui;
mod startup;
mod store;
mod subsidy;
mod subsidy_ui;
mod upgrade;
mod wishes;
mod workspace;
