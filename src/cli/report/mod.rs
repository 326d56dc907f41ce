//! `skillbridge report`: the dashboard's figures without the terminal, as
//! Markdown (for people), CSV (one long table: `section,id,name_zh,name_en,
//! metric,value`) or JSON (the figures as they are, `targets` at the top,
//! each with `goal`, `actual` and `share`). `skillbridge labor-force` shows
//! or sets the labor force the per-10,000 target is read against.

mod csv;
mod markdown;
mod subsidy;

use super::args::ReportArgs;
use super::open_existing;
use anyhow::{Context, Result};
use serde::Serialize;
use skillbridge::figures::{self, Figures, Settings, format as num};
use skillbridge::i18n::Lang;
use skillbridge::say::cli::Line;
use skillbridge::service::Service;
use skillbridge::store::Store;
use std::path::Path;
use std::process::ExitCode;

/// The report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Csv,
    Json,
}

/// The settings of a database, or the `--labor-force` given for one report.
fn settings_of(store: &Store, labor_force: Option<&str>) -> Result<Settings> {
    if let Some(v) = labor_force {
        return Ok(Settings {
            labor_force: Settings::parse_labor_force(v, "--labor-force")?,
        });
    }
    let stored = store.meta(figures::META_LABOR_FORCE)?;
    let place = format!(
        "setting '{}' of the database at {}; change it with `skillbridge labor-force N`",
        figures::META_LABOR_FORCE,
        store.path().display()
    );
    Ok(Settings::from_meta(stored.as_deref(), &place)?)
}

/// `skillbridge labor-force [N]`: show the setting of the database at
/// `db`, or store a new one.
pub fn labor_force(db: &Path, value: Option<&str>, lang: Lang) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let said = match value {
        None => show_labor_force(&store)?,
        Some(v) => set_labor_force(&store, v)?,
    };
    super::say(said, lang);
    Ok(ExitCode::SUCCESS)
}

fn show_labor_force(store: &Store) -> Result<Line> {
    let s = settings_of(store, None)?;
    Ok(Line::LaborForce {
        value: s.labor_force,
        stored: store.meta(figures::META_LABOR_FORCE)?.is_some(),
        baseline: num::value(s.baseline_per_10k(), false),
    })
}

fn set_labor_force(store: &Store, value: &str) -> Result<Line> {
    let n = Settings::parse_labor_force(value, "the labor-force argument")?;
    store.set_meta(figures::META_LABOR_FORCE, &n.to_string())?;
    let s = Settings { labor_force: n };
    Ok(Line::LaborForceSet {
        value: n,
        path: store.path().to_path_buf(),
        baseline: num::value(s.baseline_per_10k(), false),
    })
}

/// Compute the figures of the database at `db` on its business date and write them.
/// `lang`: `--lang`, for the Markdown headings and names.
pub fn report(db: &Path, req: &ReportArgs, lang: Option<&str>) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let lang = match lang {
        None => Lang::Zh,
        Some(l) => {
            Lang::parse(l).ok_or_else(|| skillbridge::say::cli::CliError::UnknownLanguage { value: l.to_string() })?
        }
    };
    let settings = settings_of(&store, req.labor_force.as_deref())?;
    let demo = store.meta(skillbridge::demo::META_DEMO)?;
    let svc = Service::open(store)?;
    let fig = figures::compute(&svc.read().data, settings, svc.today());
    let text = match req.format {
        Format::Json => json(&fig, demo.as_deref())?,
        Format::Csv => csv::csv(&fig),
        Format::Md => markdown::markdown(&fig, demo.as_deref(), lang),
    };
    match &req.out {
        // Private from the first byte; never through a link, onto a device
        // or over a file without --force.
        Some(path) => skillbridge::paths::write_private(path, text.as_bytes(), req.force)
            .with_context(|| format!("cannot write the report to {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    figures: &'a Figures,
    /// Set on a demo database: says the data is synthetic.
    #[serde(skip_serializing_if = "Option::is_none")]
    demo: Option<&'a str>,
}

/// The figures as one JSON object.
fn json(fig: &Figures, demo: Option<&str>) -> Result<String> {
    let mut s = serde_json::to_string_pretty(&JsonReport { figures: fig, demo })?;
    s.push('\n');
    Ok(s)
}
