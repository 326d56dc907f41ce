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
    /// Open the public self-service kiosk: open classes and jobs, nothing personal, no changes.
    Kiosk {
        /// Seconds without a key before it returns to its home screen and clears the search.
        #[arg(long, value_name = "N", default_value_t = skillbridge::kiosk::DEFAULT_IDLE_SECS,
              value_parser = clap::value_parser!(u64).range(1..))]
        idle_secs: u64,
        /// The key that ends the kiosk, written as in keymap.toml (e.g. ctrl-c, ctrl-alt-q, f12).
        #[arg(long, value_name = "KEY", default_value = "ctrl-c")]
        exit_key: String,
        /// No key ends the kiosk: stop it from outside (e.g. its service manager).
        #[arg(long, conflicts_with = "exit_key")]
        no_exit: bool,
    },
    /// Validate or print key bindings.
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
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
            let store = Store::open(&path)?;
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
        Some(Command::Kiosk {
            idle_secs,
            ref exit_key,
            no_exit,
        }) => {
            let settings = kiosk_settings(&cli, idle_secs, exit_key, no_exit)?;
            let store = open_existing(&paths::db_path(cli.db.clone()))?;
            let _log = start_log();
            let svc = Service::open(store)?;
            tracing::info!(db = %svc.store().path().display(), "kiosk opened");
            skillbridge::kiosk::term::run(skillbridge::service::public::PublicView::new(svc), settings)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Tui) | None => {
            let s = session(&cli)?;
            let store = Store::open(&paths::db_path(cli.db.clone()))?;
            open_workspace(store, s)
        }
    }
}

/// The kiosk's settings, checked before the terminal changes.
fn kiosk_settings(cli: &Cli, idle_secs: u64, exit_key: &str, no_exit: bool) -> Result<skillbridge::kiosk::Settings> {
    if let Some(k) = &cli.keymap {
        anyhow::bail!(
            "--keymap {} does not apply to the kiosk: its keys are fixed (see the README, Kiosk); \
             only the exit key is a setting (--exit-key KEY or --no-exit)",
            k.display()
        );
    }
    let lang = match &cli.lang {
        Some(l) => Lang::parse(l).with_context(|| format!("unknown language '{l}': expected zh or en"))?,
        None => Lang::Zh,
    };
    let exit_key = if no_exit {
        None
    } else {
        let key: skillbridge::keymap::Key = exit_key
            .parse()
            .map_err(|e| anyhow::anyhow!("--exit-key '{exit_key}': {e}"))?;
        if let Some(problem) = skillbridge::kiosk::keys::exit_key_problem(key) {
            anyhow::bail!("--exit-key {problem}");
        }
        Some(key)
    };
    Ok(skillbridge::kiosk::Settings {
        lang,
        idle: std::time::Duration::from_secs(idle_secs),
        exit_key,
    })
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
