//! The command line: the edge where errors become messages and exit codes.
//! Each subcommand goes to the module of its family under `cli/`.

mod cli;

use anyhow::Result;
use clap::Parser;
use cli::args::{Cli, Command, KeymapCommand, PackCommand};
use cli::{Globals, access, audit, check, keymap, pack, report, salvage, search, serve, today, torture, workspace};
use skillbridge::service::access::Action;
use std::process::ExitCode;

/// Allocation failures end the process with a code the guard reads.
#[global_allocator]
static ALLOCATOR: cli::guard::OutOfMemory = cli::guard::OutOfMemory;

fn main() -> ExitCode {
    // Every file and directory made from here on is private to this account.
    skillbridge::paths::private_umask();
    let cli = Cli::parse();
    let lang = cli::cli_lang_of(cli.lang.as_deref());
    cli::set_spoken(lang);
    if std::env::var_os(cli::guard::CHILD).is_some() {
        cli::guard::child_setup();
    } else if let Some((db, input)) = guarded(&cli) {
        return match cli::guard::run(&db, input.as_deref()) {
            Ok(code) => code,
            Err(e) => failed(&e, lang),
        };
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => failed(&e, lang),
    }
}

/// A command that failed: its error on standard error, in the command
/// line's language, and exit 1.
fn failed(e: &anyhow::Error, lang: skillbridge::i18n::Lang) -> ExitCode {
    let sep = if lang == skillbridge::i18n::Lang::Zh {
        "："
    } else {
        ": "
    };
    eprintln!("skillbridge{sep}{}", cli::describe_in(e, lang));
    ExitCode::FAILURE
}

/// A one-shot command on a database runs as a watched child (see
/// `cli::guard`): the database it reads, and the file it reads besides.
fn guarded(cli: &Cli) -> Option<(std::path::PathBuf, Option<std::path::PathBuf>)> {
    let db = || skillbridge::paths::db_path(cli.db.clone());
    match cli.command.as_ref()? {
        Command::Stats { .. }
        | Command::Check { .. }
        | Command::Search(_)
        | Command::Export(_)
        | Command::Backup { .. }
        | Command::Report(_)
        | Command::LaborForce { .. } => Some((db(), None)),
        Command::Import(args) => Some((db(), Some(args.file.clone()))),
        Command::Restore { file } | Command::Salvage { file } => Some((db(), Some(file.clone()))),
        _ => None,
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
            KeymapCommand::Check { path } => keymap::check(path, g.cli_lang()?),
            KeymapCommand::Print => keymap::print(g.keymap.as_deref()),
        },
        Some(Command::Demo(args)) => workspace::demo(&g, &args),
        Some(Command::Stats { json }) => check::stats(&g.db_path(), json, g.cli_lang()?),
        Some(Command::Check { repair: true }) => {
            access::require(&g, Action::Restore)?;
            check::repair(&g.db_path(), g.cli_lang()?)
        }
        Some(Command::Check { repair: false }) => {
            access::require(&g, Action::Check)?;
            check::check(&g.db_path(), g.cli_lang()?)
        }
        Some(Command::Import(args)) => access::import(&g, args),
        Some(Command::Export(args)) => access::export(&g, args),
        Some(Command::Salvage { file }) => {
            access::require(&g, Action::Backup)?;
            salvage::salvage(&g.db_path(), &file, g.cli_lang()?)
        }
        Some(Command::Backup { file }) => access::backup(&g, &file),
        Some(Command::Restore { file }) => access::restore(&g, &file),
        Some(Command::Audit(args)) => audit::audit(&g, &args),
        Some(Command::Serve(args)) => serve::serve(&g, args),
        Some(Command::Torture(args)) => torture::command(g.db, args),
        Some(Command::Search(args)) => search::search(&g, &args),
        Some(Command::Report(args)) => report::report(&g.db_path(), &args, g.lang.as_deref()),
        Some(Command::Today { date }) => {
            if date.is_some() {
                access::require(&g, Action::ReferenceData)?;
            }
            today::today(&g.db_path(), date.as_deref())
        }
        Some(Command::LaborForce { value }) => {
            if value.is_some() {
                access::require(&g, Action::ReferenceData)?;
            }
            report::labor_force(&g.db_path(), value.as_deref(), g.cli_lang()?)
        }
        Some(Command::Kiosk(args)) => serve::kiosk(&g, &args),
        Some(Command::Claims(args)) => cli::subsidy::claims(&g, args),
        Some(Command::Init { pack }) => workspace::init(&g, pack.as_deref()),
        Some(Command::Pack { command }) => match command {
            PackCommand::Check { dir } => pack::check(&g, &dir),
            PackCommand::Write { dir, compiled } => pack::write(&g, &dir, compiled),
        },
        Some(Command::Tui) | None => workspace::tui(&g),
    }
}
