//! The command line: the edge where errors become messages and exit codes.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use skillbridge::i18n::Lang;
use skillbridge::keymap::KeyMap;
use skillbridge::service::Service;
use skillbridge::store::Store;
use skillbridge::{demo, paths, stats};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

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
    /// Key bindings file laid over the shipped keymap (default: keymap.toml in the config directory).
    #[arg(long, global = true, value_name = "PATH")]
    keymap: Option<PathBuf>,
    /// Interface language: zh (default) or en.
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    /// Operator name recorded in the audit trail (default: $USER).
    #[arg(long, global = true, value_name = "NAME")]
    operator: Option<String>,
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
    Check,
    /// Open the operator workspace (the default command).
    Tui,
    /// Validate or print key bindings.
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
    /// Write the dashboard's figures (targets, trades, districts, programs,
    /// alliances, institutions, weeks) without the workspace.
    Report {
        /// md (tables for people), csv (one long table) or json (one object).
        #[arg(long, value_enum, default_value = "md")]
        format: skillbridge::report::Format,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Workers in the city, for this report only (default: the database's setting, else 2,000,000).
        #[arg(long, value_name = "N")]
        labor_force: Option<String>,
    },
    /// Show the labor force the per-10,000 target is read against, or store N.
    LaborForce { value: Option<String> },
}

#[derive(Subcommand, Debug)]
enum KeymapCommand {
    /// Check a keymap file (default: the user's keymap file) and list every problem.
    Check { path: Option<PathBuf> },
    /// Print the effective key bindings.
    Print,
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

/// Everything the workspace needs, checked before the terminal changes.
struct Session {
    keymap: Arc<KeyMap>,
    lang: Lang,
    operator: String,
}

fn session(cli: &Cli) -> Result<Session> {
    let keymap = load_keymap(cli.keymap.as_deref())?;
    let lang = match &cli.lang {
        Some(l) => Lang::parse(l).with_context(|| format!("unknown language '{l}': expected zh or en"))?,
        None => Lang::Zh,
    };
    let operator = cli
        .operator
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "operator".into());
    Ok(Session {
        keymap: Arc::new(keymap),
        lang,
        operator,
    })
}

fn load_keymap(explicit: Option<&Path>) -> Result<KeyMap> {
    let user = paths::config_dir().join("keymap.toml");
    KeyMap::load(explicit, &user).map_err(|e| anyhow::anyhow!("the keymap has problems:\n{e}"))
}

/// Logs go to a file, never to the screen the workspace draws on.
fn start_log() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = paths::log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let file = tracing_appender::rolling::never(&dir, "skillbridge.log");
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

fn open_workspace(store: Store, s: Session) -> Result<ExitCode> {
    let _log = start_log();
    let svc = Service::open(store)?;
    tracing::info!(db = %svc.store().path().display(), operator = %s.operator, "workspace opened");
    skillbridge::tui::run(svc, s.keymap, &s.operator, s.lang)?;
    Ok(ExitCode::SUCCESS)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Some(Command::Keymap { command }) => match command {
            KeymapCommand::Check { path } => {
                let path = path.unwrap_or_else(|| paths::config_dir().join("keymap.toml"));
                match KeyMap::with_user_file(&path) {
                    Ok(_) => {
                        println!("ok: {} is a valid keymap", path.display());
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => {
                        eprintln!("{e}");
                        Ok(ExitCode::from(2))
                    }
                }
            }
            KeymapCommand::Print => {
                print!("{}", load_keymap(cli.keymap.as_deref())?.to_toml());
                Ok(ExitCode::SUCCESS)
            }
        },
        Some(Command::Demo {
            trainees,
            seed,
            build_only,
        }) => {
            let s = if build_only { None } else { Some(session(&cli)?) };
            let path = paths::demo_path(cli.db.clone());
            let built = ensure_demo(&path, &demo::Options { trainees, seed })?;
            let store = if built {
                open_just_built(&path)?
            } else {
                Store::open(&path)?
            };
            if built {
                eprintln!("built the demo city at {}", path.display());
            } else {
                eprintln!("opened the existing database at {} (left as it is)", path.display());
            }
            match s {
                Some(s) => open_workspace(store, s),
                None => Ok(ExitCode::SUCCESS),
            }
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
        Some(Command::Check) => {
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
        Some(Command::Report {
            format,
            out,
            ref labor_force,
        }) => {
            let store = open_existing(&paths::db_path(cli.db.clone()))?;
            let req = skillbridge::report::Request {
                format,
                out: out.as_deref(),
                labor_force: labor_force.as_deref(),
                lang: cli.lang.as_deref(),
            };
            skillbridge::report::run(store, &req)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::LaborForce { ref value }) => {
            let store = open_existing(&paths::db_path(cli.db.clone()))?;
            println!("{}", skillbridge::report::labor_force(&store, value.as_deref())?);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Tui) | None => {
            let s = session(&cli)?;
            let store = Store::open(&paths::db_path(cli.db.clone()))?;
            open_workspace(store, s)
        }
    }
}

/// Open a database that must already exist (read commands never create one).
fn open_existing(path: &Path) -> Result<Store> {
    if !path.join("db").exists() && !path.join("conf").exists() {
        anyhow::bail!(
            "no database at {}: create one with `skillbridge demo --db {}` or pass --db PATH",
            path.display(),
            path.display()
        );
    }
    Ok(Store::open(path)?)
}

/// Open a database this process has just built and closed. sled's I/O
/// threads can keep its lock for a moment after the last handle is dropped
/// (then the open fails as if another process held it): wait for them, a
/// few seconds at most.
fn open_just_built(path: &Path) -> Result<Store> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match Store::open(path) {
            Err(skillbridge::store::StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
    }
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
    std::fs::create_dir_all(parent).with_context(|| format!("cannot create directory {}", parent.display()))?;
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
