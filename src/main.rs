//! The command line: the edge where errors become messages and exit codes.

mod cli_io;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use skillbridge::i18n::Lang;
use skillbridge::keymap::KeyMap;
use skillbridge::service::Service;
use skillbridge::store::Store;
use skillbridge::{demo, paths, stats, torture};
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
    /// Open the operator workspace (the default command).
    Tui,
    /// Search one kind of record as the workspace does, for scripts and quick lookups.
    Search {
        /// demands, classes, trainees, cases, institutions or enterprises.
        kind: String,
        /// fzf-style query: space = AND, 'exact, ^prefix, suffix$, !not.
        #[arg(required_unless_present = "lines")]
        query: Option<String>,
        /// At most this many results (best first).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON object per result.
        #[arg(long)]
        json: bool,
        /// Print every record's searchable line, one per line.
        #[arg(long, conflicts_with = "query")]
        lines: bool,
    },
    /// Serve the workspace over SSH: one process holds the database, every operator connects.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT")]
        listen: String,
        /// OpenSSH authorized-keys file; the comment names the operator, `role=kiosk` gives the kiosk screen
        /// (default: authorized_keys in the data directory).
        #[arg(long, value_name = "FILE")]
        authorized_keys: Option<PathBuf>,
        /// The server's ed25519 host key, made on first start (default: host_key in the data directory).
        #[arg(long, value_name = "FILE")]
        host_key: Option<PathBuf>,
        /// Close a session after this many minutes without a key.
        #[arg(long, default_value_t = 30, value_name = "MINUTES")]
        idle_minutes: u64,
    },
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
    /// Import a spreadsheet of one kind (CSV in UTF-8 or GBK, .xlsx, or an export's JSON).
    Import {
        /// institutions, enterprises, demands, classes or trainees.
        kind: skillbridge::domain::Kind,
        file: PathBuf,
        /// Check every row and report what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the good rows and put the bad ones, with a reason column, in this CSV.
        #[arg(long, value_name = "REJECTS.csv")]
        skip_invalid: Option<PathBuf>,
    },
    /// Export one kind (or `all` into the directory --out) as files import reads back.
    Export {
        /// institutions, enterprises, demands, classes, trainees or all.
        kind: String,
        #[arg(long, default_value = "csv", value_name = "csv|json")]
        format: skillbridge::io::export::Format,
        /// The file (or, for `all`, the directory); standard output if absent.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write a consistent backup of the whole database (cases and events included) to FILE.
    Backup { file: PathBuf },
    /// Restore a backup into a new database at --db PATH (never over an existing one), then check it.
    Restore { file: PathBuf },
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

/// The workspace on this terminal. `open` runs after the first (loading)
/// frame is painted, so even a database that takes seconds to open shows
/// the operator something at once.
fn open_workspace(open: impl FnOnce() -> Result<Store>, s: Session) -> Result<ExitCode> {
    let _log = start_log();
    let operator = s.operator.clone();
    let load = move || -> Result<Arc<Service>> {
        let svc = Service::open(open()?)?;
        tracing::info!(db = %svc.db_path().display(), operator = %operator, "workspace opened");
        Ok(svc)
    };
    skillbridge::tui::run(load, s.keymap, &s.operator, s.lang)?;
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
                Store::open_for_service(&path)?
            };
            if built {
                eprintln!("built the demo city at {}", path.display());
            } else {
                eprintln!("opened the existing database at {} (left as it is)", path.display());
            }
            match s {
                Some(s) => open_workspace(|| Ok(store), s),
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
            let store = open_existing(&paths::db_path(cli.db.clone()))?;
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
        Some(Command::Import {
            kind,
            file,
            dry_run,
            skip_invalid,
        }) => {
            let store = Store::open(&paths::db_path(cli.db.clone()))?;
            cli_io::import(&store, kind, &file, dry_run, skip_invalid)
        }
        Some(Command::Export { kind, format, out }) => {
            let store = open_existing(&paths::db_path(cli.db.clone()))?;
            cli_io::export(&store, &kind, format, out)
        }
        Some(Command::Backup { file }) => {
            let store = open_existing(&paths::db_path(cli.db.clone()))?;
            cli_io::backup(&store, &file)
        }
        Some(Command::Restore { file }) => cli_io::restore(&file, &paths::db_path(cli.db.clone())),
        Some(Command::Serve {
            ref listen,
            ref authorized_keys,
            ref host_key,
            idle_minutes,
        }) => {
            let s = session(&cli)?;
            let _log = start_log();
            let store = Store::open_for_service(&paths::db_path(cli.db.clone()))?;
            let svc = Service::open(store)?;
            skillbridge::server::serve(
                svc,
                s.keymap,
                skillbridge::server::Options {
                    listen: listen.clone(),
                    host_key: host_key.clone().unwrap_or_else(|| paths::data_dir().join("host_key")),
                    authorized_keys: authorized_keys
                        .clone()
                        .unwrap_or_else(|| paths::data_dir().join("authorized_keys")),
                    idle: std::time::Duration::from_secs(idle_minutes.max(1) * 60),
                    lang: s.lang,
                },
            )?;
            Ok(ExitCode::SUCCESS)
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
        Some(Command::Search {
            ref kind,
            ref query,
            limit,
            json,
            lines,
        }) => {
            let kind = skillbridge::domain::Kind::from_name(kind).with_context(|| {
                format!(
                    "unknown kind '{kind}': expected demands, classes, trainees, cases, institutions or enterprises"
                )
            })?;
            let t0 = std::time::Instant::now();
            let store = open_existing(&paths::db_path(cli.db.clone()))?;
            if std::env::var_os("SKILLBRIDGE_TIMING").is_some() {
                eprintln!("store opened in {:?}", t0.elapsed());
            }
            let out = std::io::stdout();
            let mut out = std::io::BufWriter::new(out.lock());
            skillbridge::service::cli_search(&store, kind, query.as_deref(), limit, json, lines, &mut out)?;
            Ok(ExitCode::SUCCESS)
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
        Some(Command::Kiosk {
            idle_secs,
            ref exit_key,
            no_exit,
        }) => {
            let settings = kiosk_settings(&cli, idle_secs, exit_key, no_exit)?;
            let store = open_existing_for_service(&paths::db_path(cli.db.clone()))?;
            let _log = start_log();
            let svc = Service::open(store)?;
            tracing::info!(db = %svc.db_path().display(), "kiosk opened");
            skillbridge::kiosk::term::run(skillbridge::service::public::PublicView::new(svc), settings)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Tui) | None => {
            let s = session(&cli)?;
            let path = paths::db_path(cli.db.clone());
            open_workspace(move || Ok(Store::open_for_service(&path)?), s)
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
    require_database(path)?;
    Ok(Store::open(path)?)
}

/// An existing database, for a long-running service.
fn open_existing_for_service(path: &Path) -> Result<Store> {
    require_database(path)?;
    Ok(Store::open_for_service(path)?)
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

/// Open a database this process has just built and closed. sled's I/O
/// threads can keep its lock for a moment after the last handle is dropped
/// (then the open fails as if another process held it): wait for them, a
/// few seconds at most.
fn open_just_built(path: &Path) -> Result<Store> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match Store::open_for_service(path) {
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
