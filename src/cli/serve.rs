//! The long-running services: `skillbridge serve` (the workspace over SSH
//! for many operators) and `skillbridge kiosk` (the public self-service
//! screen on this terminal).

use super::args::{KioskArgs, ServeArgs};
use super::workspace::{session, start_log};
use super::{Globals, open_existing_for_service};
use anyhow::Result;
use skillbridge::paths;
use skillbridge::say::cli::CliError;
use skillbridge::service::Service;
use skillbridge::store::Store;
use std::process::ExitCode;
use std::time::Duration;

/// Serve the workspace over SSH until SIGTERM or ctrl-c.
pub fn serve(g: &Globals, req: ServeArgs) -> Result<ExitCode> {
    let s = session(g)?;
    let _log = start_log();
    let db = g.db_path();
    let t0 = std::time::Instant::now();
    let svc = Service::open_overlapped(&db, || Store::open_for_service(&db))?;
    if std::env::var_os("SKILLBRIDGE_TIMING").is_some() {
        eprintln!("service ready (search ready) in {:?}", t0.elapsed());
    }
    super::make_private(&db);
    let last = svc.clone();
    skillbridge::server::serve(
        svc,
        s.keymap,
        skillbridge::server::Options {
            listen: req.listen,
            host_key: req.host_key.unwrap_or_else(|| paths::data_dir().join("host_key")),
            authorized_keys: req
                .authorized_keys
                .unwrap_or_else(|| paths::data_dir().join("authorized_keys")),
            idle: Duration::from_secs(req.idle_minutes.max(1) * 60),
            lang: s.lang,
            limits: skillbridge::server::Limits {
                max_connections: usize::try_from(req.max_connections).unwrap_or(usize::MAX),
                max_startups: usize::try_from(req.max_startups).unwrap_or(usize::MAX),
                login_grace: Duration::from_secs(req.login_grace_secs),
            },
            import_dir: req.import_dir.unwrap_or_else(paths::import_dir),
        },
    )?;
    // Stopped and flushed: recorded at rest for the one-shot commands.
    last.close_at_rest();
    Ok(ExitCode::SUCCESS)
}

/// The kiosk on this terminal, over the existing database.
pub fn kiosk(g: &Globals, req: &KioskArgs) -> Result<ExitCode> {
    let settings = kiosk_settings(g, req)?;
    let store = open_existing_for_service(&g.db_path())?;
    let _log = start_log();
    let svc = Service::open(store)?;
    tracing::info!(db = %svc.db_path().display(), "kiosk opened");
    let inbox = skillbridge::service::wish::WishInbox::new(svc.clone(), "local");
    skillbridge::kiosk::term::run_with(
        skillbridge::service::public::PublicView::new(svc),
        settings,
        Some(inbox),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The kiosk's settings, checked before the terminal changes.
fn kiosk_settings(g: &Globals, req: &KioskArgs) -> Result<skillbridge::kiosk::Settings> {
    if let Some(k) = &g.keymap {
        return Err(CliError::KioskKeymap { path: k.clone() }.into());
    }
    let lang = g.lang()?;
    let exit_key = if req.no_exit {
        None
    } else {
        let key: skillbridge::keymap::Key = req.exit_key.parse().map_err(|error| CliError::ExitKeyBad {
            value: req.exit_key.clone(),
            error,
        })?;
        if let Some(problem) = skillbridge::kiosk::keys::exit_key_problem(key) {
            return Err(CliError::ExitKeyTaken {
                key: req.exit_key.clone(),
                types: key.text().is_some(),
                problem,
            }
            .into());
        }
        Some(key)
    };
    Ok(skillbridge::kiosk::Settings {
        lang,
        idle: Duration::from_secs(req.idle_secs),
        exit_key,
    })
}
