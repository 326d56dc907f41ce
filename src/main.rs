//! The command line: the edge where errors become messages and exit codes.
//! Each subcommand goes to the module of its family under `cli/`.

mod cli;

use anyhow::Result;
use clap::Parser;
use cli::args::{Cli, Command, KeymapCommand};
use cli::{Globals, access, audit, check, keymap, report, search, serve, torture, workspace};
use skillbridge::service::access::Action;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Every file and directory made from here on is private to this account.
    skillbridge::paths::private_umask();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("skillbridge: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// One subcommand, handed to the module of its family.
fn run(cli: Cli) -> Result<ExitCode> {
    let Cli {
        db,
        keymap,
        lang,
        operator,
        command,
    } = cli;
    let g = Globals {
        db,
        keymap,
        lang,
        operator,
    };
    match command {
        Some(Command::Keymap { command }) => match command {
            KeymapCommand::Check { path } => keymap::check(path),
            KeymapCommand::Print => keymap::print(g.keymap.as_deref()),
        },
        Some(Command::Demo(args)) => workspace::demo(&g, &args),
        Some(Command::Stats { json }) => check::stats(&g.db_path(), json),
        Some(Command::Check { repair: true }) => {
            access::require(&g, Action::Restore)?;
            check::repair(&g.db_path())
        }
        Some(Command::Check { repair: false }) => {
            access::require(&g, Action::Check)?;
            check::check(&g.db_path())
        }
        Some(Command::Import(args)) => access::import(&g, args),
        Some(Command::Export {
            kind,
            format,
            out,
            force,
        }) => access::export(&g, &kind, format, out, force),
        Some(Command::Backup { file }) => access::backup(&g, &file),
        Some(Command::Restore { file }) => access::restore(&g, &file),
        Some(Command::Audit(args)) => audit::audit(&g, &args),
        Some(Command::Serve(args)) => serve::serve(&g, args),
        Some(Command::Torture(args)) => torture::command(g.db, args),
        Some(Command::Search(args)) => search::search(&g, &args),
        Some(Command::Report(args)) => report::report(&g.db_path(), &args, g.lang.as_deref()),
        Some(Command::LaborForce { value }) => {
            if value.is_some() {
                access::require(&g, Action::ReferenceData)?;
            }
            report::labor_force(&g.db_path(), value.as_deref())
        }
        Some(Command::Kiosk(args)) => serve::kiosk(&g, &args),
        Some(Command::Tui) | None => workspace::tui(&g),
    }
}
