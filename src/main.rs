//! The command line: the edge where errors become messages and exit codes.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use skillbridge::store::Store;
use skillbridge::{demo, paths, stats, torture};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "skillbridge",
    version,
    about = "Job demands, training classes and trainees' cases for an employment center"
)]
struct Cli {
    /// Database directory (default: the platform data directory; SKILLBRIDGE_DB overrides).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the synthetic demo city (only where PATH holds no database) and open it.
    Demo {
        /// How many trainees (with their cases) the city has.
        #[arg(long, default_value_t = demo::DEFAULT_TRAINEES)]
        trainees: usize,
        /// Seed of the generator: the same seed gives the same city.
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
        /// Create the database and exit without opening it.
        #[arg(long)]
        build_only: bool,
    },
    /// Print the database's figures.
    Stats {
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Verify every index, counter, invariant and event chain; exit 1 on any problem.
    Check {
        /// Rebuild indexes, seat and post counters and demand status from the
        /// records where they disagree, after copying the database directory
        /// to PATH.bak-YYYYmmddHHMMSS; prints every change.
        #[arg(long)]
        repair: bool,
    },
    /// Crash-test workload: acknowledged writes in a loop, each logged to
    /// --ack-log after its flush returned (tests/crash.rs kills it).
    #[command(hide = true)]
    Torture {
        /// File that gets one line per acknowledged write (appended).
        #[arg(long, value_name = "FILE")]
        ack_log: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Stop after this many acknowledged writes.
        #[arg(long)]
        max_acks: Option<u64>,
        /// Stop after this many seconds.
        #[arg(long)]
        max_seconds: Option<u64>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("skillbridge: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Some(Command::Demo {
            trainees,
            seed,
            build_only,
        }) => {
            let path = paths::demo_path(cli.db);
            let built = ensure_demo(&path, &demo::Options { trainees, seed })?;
            let store = Store::open(&path)?;
            if built {
                eprintln!("built the demo city at {}", path.display());
            } else {
                eprintln!("opened the existing database at {} (left as it is)", path.display());
            }
            if !build_only {
                print!("{}", stats::compute(&store)?.text());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Stats { json }) => {
            let store = open_existing(&paths::db_path(cli.db))?;
            let s = stats::compute(&store)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                print!("{}", s.text());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { repair: true }) => {
            let path = paths::db_path(cli.db);
            require_database(&path)?;
            let report = skillbridge::store::repair::repair(&path)?;
            print!("{}", report.text());
            Ok(if report.remaining.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Check { repair: false }) => {
            let store = open_existing(&paths::db_path(cli.db))?;
            let report = store.check();
            for p in &report.problems {
                println!("{p}");
            }
            if report.problems.is_empty() {
                println!(
                    "ok: {} records and {} events checked at {}, no problems",
                    report.records,
                    report.events,
                    store.path().display()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                println!("{} problems at {}", report.problems.len(), store.path().display());
                Ok(ExitCode::FAILURE)
            }
        }
        Some(Command::Torture {
            ack_log,
            seed,
            threads,
            max_acks,
            max_seconds,
        }) => {
            // Never the operators' default database: it fills it with test data.
            let db = cli
                .db
                .context("torture writes test data and needs an explicit --db PATH (never the default database)")?;
            let s = torture::run(&torture::Options {
                db,
                ack_log,
                seed,
                threads,
                max_acks,
                max_time: max_seconds.map(std::time::Duration::from_secs),
            })?;
            eprintln!("torture: {} writes acknowledged, {} refused", s.acks, s.refused);
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let store = Store::open(&paths::db_path(cli.db))?;
            print!("{}", stats::compute(&store)?.text());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Open a database that must already exist (read commands never create one).
fn open_existing(path: &Path) -> Result<Store> {
    require_database(path)?;
    Ok(Store::open(path)?)
}

fn require_database(path: &Path) -> Result<()> {
    if !path.join("db").exists() && !path.join("conf").exists() {
        anyhow::bail!(
            "no database at {}: create one with `skillbridge demo --db {}` or pass --db PATH",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

fn holds_database(path: &Path) -> bool {
    std::fs::read_dir(path).map(|mut d| d.next().is_some()).unwrap_or(false)
}

/// Build the demo city at `path` unless something is there already. The city
/// is built in a scratch directory beside it and moved into place whole, so
/// an interrupted build never leaves half a city behind.
fn ensure_demo(path: &Path, opts: &demo::Options) -> Result<bool> {
    if holds_database(path) {
        return Ok(false);
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| {
        format!(
            "cannot create directory {}: pass --db with a directory path whose parents are directories",
            parent.display()
        )
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    let scratch = parent.join(format!(".{name}.building-{}", std::process::id()));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).with_context(|| format!("cannot remove {}", scratch.display()))?;
    }
    {
        let store = Store::open(&scratch)?;
        demo::build(&store, opts).with_context(|| format!("building the demo city in {}", scratch.display()))?;
        store.flush()?;
    }
    if path.exists() {
        // An empty directory: rename(2) replaces it, but be explicit.
        let _ = std::fs::remove_dir(path);
    }
    std::fs::rename(&scratch, path).with_context(|| {
        format!(
            "cannot move the built demo from {} to {}",
            scratch.display(),
            path.display()
        )
    })?;
    Ok(true)
}
