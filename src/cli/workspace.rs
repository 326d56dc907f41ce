//! The operator workspace on this terminal (`tui`, the default command) and
//! the demo city (`demo`), with what they need before the screen changes:
//! the keymap, the language, the operator, the log file.

use super::Globals;
use super::args::DemoArgs;
use anyhow::{Context, Result};
use skillbridge::demo;
use skillbridge::i18n::Lang;
use skillbridge::keymap::KeyMap;
use skillbridge::paths;
use skillbridge::say::cli::{CliError, Line};
use skillbridge::service::{Actor, Service};
use skillbridge::store::Store;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Everything the workspace needs, checked before the terminal changes.
pub struct Session {
    pub keymap: Arc<KeyMap>,
    pub lang: Lang,
    /// Who the workspace acts for (see `cli::access`).
    pub actor: Actor,
}

pub fn session(g: &Globals) -> Result<Session> {
    let keymap = load_keymap(g.keymap.as_deref())?;
    let lang = g.lang()?;
    let actor = super::access::local_actor(g)?;
    Ok(Session {
        keymap: Arc::new(keymap),
        lang,
        actor,
    })
}

/// The shipped keymap with the user's file (or `--keymap`) laid over it.
pub fn load_keymap(explicit: Option<&Path>) -> Result<KeyMap> {
    let user = paths::config_dir().join("keymap.toml");
    Ok(KeyMap::load(explicit, &user)?)
}

/// Logs go to a file, never to the screen the workspace draws on: one a
/// day (`skillbridge.YYYY-MM-DD.log`), the last [`LOG_DAYS`] kept, private
/// to this account.
pub fn start_log() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = paths::log_dir();
    paths::private_dir(&dir).ok()?;
    let file = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("skillbridge")
        .filename_suffix("log")
        .max_log_files(LOG_DAYS)
        .build(&dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Days of logs kept.
pub const LOG_DAYS: usize = 14;

/// `skillbridge` / `skillbridge tui`: the workspace on the operators'
/// database, which must exist (a mistyped --db is refused, as every other
/// command refuses it, instead of opening an empty city).
pub fn tui(g: &Globals) -> Result<ExitCode> {
    let path = g.db_path();
    super::require_database(&path)?;
    // Before the screen changes: it may say so.
    super::make_private(&path);
    let s = session(g)?;
    let db = path.clone();
    open_workspace(&db, move || Ok(Store::open_for_service(&path)?), s)
}

/// `skillbridge init`: an empty database at --db, where none is.
pub fn init(g: &Globals, pack_dir: Option<&Path>) -> Result<ExitCode> {
    let path = g.db_path();
    // A bad pack is refused before anything is made.
    let pack = pack_dir.map(|d| super::pack::read(g, d)).transpose()?;
    if super::require_database(&path).is_ok() {
        return Err(skillbridge::say::cli::CliError::AlreadyDatabase { path }.into());
    }
    let store = Store::open(&path)?;
    if let (Some(pack), Some(dir)) = (&pack, pack_dir) {
        super::pack::load_into(g, &store, pack, dir)?;
    }
    // The shipped sample subsidy standards (示例标准), until the city's are imported.
    let stamp = skillbridge::store::Stamp {
        operator: super::access::operator_name(g),
        at: chrono::Utc::now().timestamp(),
        today: chrono::Utc::now()
            .with_timezone(&skillbridge::domain::china_time())
            .date_naive(),
    };
    store.set_subsidy_standards(&skillbridge::domain::subsidy::Standards::sample(), &stamp)?;
    store.flush()?;
    super::say(Line::Created { path }, g.cli_lang()?);
    Ok(ExitCode::SUCCESS)
}

/// The workspace on this terminal. `open` runs after the first (loading)
/// frame is painted, so even a database that takes seconds to open shows
/// the operator something at once.
fn open_workspace(
    db: &std::path::Path,
    open: impl FnOnce() -> Result<Store> + Send + 'static,
    s: Session,
) -> Result<ExitCode> {
    let _log = start_log();
    let operator = format!("{} ({})", s.actor.name, s.actor.role);
    let db = db.to_path_buf();
    let load = move || -> Result<Arc<Service>> {
        let svc = Service::open_overlapped(&db, open)?;
        tracing::info!(db = %svc.db_path().display(), operator = %operator, "workspace opened");
        Ok(svc)
    };
    skillbridge::tui::run(load, s.keymap, s.actor, s.lang)?;
    Ok(ExitCode::SUCCESS)
}

/// `skillbridge demo`: build the demo city where nothing is, then open it
/// (or only build it).
pub fn demo(g: &Globals, args: &DemoArgs) -> Result<ExitCode> {
    let s = if args.build_only { None } else { Some(session(g)?) };
    let path = paths::demo_path(g.db.clone());
    let opts = demo::Options {
        trainees: args.trainees,
        seed: args.seed,
    };
    let pack = args
        .pack
        .as_deref()
        .map(|d| super::pack::read(g, d).map(|p| (p, d)))
        .transpose()?;
    let built = ensure_demo(&path, &opts, pack.as_ref().map(|(p, d)| (p, *d)), g)?;
    let store = if built {
        open_just_built(&path)?
    } else {
        Store::open_for_service(&path)?
    };
    let lang = g.cli_lang()?;
    if built {
        super::tell(Line::DemoBuilt { path: path.clone() }, lang);
    } else {
        super::tell(Line::DemoOpened { path: path.clone() }, lang);
    }
    match s {
        Some(s) => {
            // The build ran on mimalloc; the session that follows stays up.
            super::guard::give_back_at_once();
            open_workspace(&path, || Ok(store), s)
        }
        None => Ok(ExitCode::SUCCESS),
    }
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
fn ensure_demo(
    path: &Path,
    opts: &demo::Options,
    pack: Option<(&skillbridge::pack::Pack, &Path)>,
    g: &Globals,
) -> Result<bool> {
    if holds_database(path) {
        return Ok(false);
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| CliError::DemoDirectory {
        path: parent.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    let scratch = parent.join(format!(".{name}.building-{}", std::process::id()));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|source| CliError::DemoScratch {
            path: scratch.clone(),
            source,
        })?;
    }
    {
        let store = Store::open(&scratch)?;
        if let Some((pack, dir)) = pack {
            super::pack::load_into(g, &store, pack, dir)?;
        }
        super::pack::build_demo(&store, opts)
            .with_context(|| format!("building the demo city in {}", scratch.display()))?;
        store.flush()?;
    }
    if path.exists() {
        // An empty directory: rename(2) replaces it, but be explicit.
        let _ = std::fs::remove_dir(path);
    }
    std::fs::rename(&scratch, path).map_err(|source| CliError::DemoMove {
        from: scratch.clone(),
        to: path.to_path_buf(),
        source,
    })?;
    Ok(true)
}
