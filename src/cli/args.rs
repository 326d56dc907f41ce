//! The command line as clap reads it: global options and one subcommand.

use clap::{Args, Parser, Subcommand};
use skillbridge::demo;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "skillbridge",
    version,
    about = "Job demands, training classes and trainees' cases for an employment center"
)]
pub struct Cli {
    /// Database directory (default: the platform data directory; SKILLBRIDGE_DB overrides).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Key bindings file laid over the shipped keymap (default: keymap.toml in the config directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub keymap: Option<PathBuf>,
    /// Interface language: zh (default) or en.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Operator name recorded in the audit trail (default: $USER).
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the synthetic demo city (only where PATH holds no database) and open it.
    Demo(DemoArgs),
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
    Torture(TortureArgs),
    /// Open the operator workspace (the default command).
    Tui,
    /// Create an empty database at --db (the workspace opens only a database
    /// that exists: a mistyped path is refused, never made silently).
    Init {
        /// The city pack to load (a directory, see `packs/`); default: Zhenjiang's.
        #[arg(long, value_name = "DIR")]
        pack: Option<PathBuf>,
    },
    /// Search one kind of record as the workspace does, for scripts and quick lookups.
    Search(SearchArgs),
    /// Serve the workspace over SSH: one process holds the database, every operator connects.
    Serve(ServeArgs),
    /// Open the public self-service kiosk: open classes and jobs, nothing personal, no changes.
    Kiosk(KioskArgs),
    /// Validate or print key bindings.
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
    /// Import a spreadsheet of one kind (CSV in UTF-8 or GBK, .xlsx, or an export's JSON).
    Import(ImportArgs),
    /// Export one kind (or `all` into the directory --out) as files import reads back.
    Export(ExportArgs),
    /// Write a consistent backup of the whole database (cases and events included) to FILE.
    Backup { file: PathBuf },
    /// Read a damaged database's files directly (never through sled) and
    /// write every record that still decodes to FILE, a backup `restore`
    /// accepts; reports what was lost.
    Salvage { file: PathBuf },
    /// Restore a backup into a new database at --db PATH (never over an existing one), then check it.
    Restore { file: PathBuf },
    /// Write the dashboard's figures (targets, trades, districts, programs,
    /// alliances, institutions, weeks) without the workspace.
    Report(ReportArgs),
    /// Show the labor force the per-10,000 target is read against, or store N.
    LaborForce { value: Option<String> },
    /// List the access records: reveals, exports, imports, backups, restores.
    Audit(AuditArgs),
    /// Show the business date, or move a demo database's simulated date
    /// forward to DATE (YYYY-MM-DD): follow-ups fall due as they would.
    Today { date: Option<String> },
    /// Training-subsidy claims: list, build from a class, 申报/初审/复核/拨付/退回, ledger, export.
    Claims(super::subsidy::ClaimsArgs),
    /// Check a city pack, or write the database's reference data as one.
    Pack {
        #[command(subcommand)]
        command: PackCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum PackCommand {
    /// Check a city pack directory and list every problem as FILE:LINE:COL (exit 2 on any).
    Check { dir: PathBuf },
    /// Write the database's city pack (regions, occupations, programs,
    /// alliances, key groups, baseline, targets) into DIR.
    Write {
        dir: PathBuf,
        /// Write the Zhenjiang catalog compiled into the program instead.
        #[arg(long)]
        compiled: bool,
    },
}

// The options of `skillbridge audit`.
#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Only records at or after this: a date (2025-10-01), a date and time
    /// (2025-10-01T08:30, China Standard Time) or an age (90m, 24h, 7d).
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only this operator's records (the name as their key names them).
    #[arg(long, value_name = "NAME")]
    pub operator: Option<String>,
    /// Only this kind: reveal, export, import, backup or restore.
    #[arg(long, value_name = "KIND")]
    pub what: Option<String>,
    /// One JSON object per record.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum KeymapCommand {
    /// Check a keymap file (default: the user's keymap file) and list every problem.
    Check { path: Option<PathBuf> },
    /// Print the effective key bindings.
    Print,
}

// The options of `skillbridge demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// How many trainees (with their cases) the city has.
    #[arg(long, default_value_t = demo::DEFAULT_TRAINEES)]
    pub trainees: usize,
    /// Seed of the generator: the same seed gives the same city.
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    pub seed: u64,
    /// Create the database and exit without opening it.
    #[arg(long)]
    pub build_only: bool,
    /// Build the demo from this city pack (default: Zhenjiang's, the full demo city).
    #[arg(long, value_name = "DIR")]
    pub pack: Option<PathBuf>,
}

// The options of `skillbridge torture` (hidden).
#[derive(Args, Debug)]
pub struct TortureArgs {
    /// File that gets one line per acknowledged write (appended).
    #[arg(long, value_name = "FILE")]
    pub ack_log: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Stop after this many acknowledged writes.
    #[arg(long)]
    pub max_acks: Option<u64>,
    /// Stop after this many seconds.
    #[arg(long)]
    pub max_seconds: Option<u64>,
}

// The options of `skillbridge search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// demands, classes, trainees, cases, institutions or enterprises.
    pub kind: String,
    /// fzf-style query: space = AND, 'exact, ^prefix, suffix$, !not.
    #[arg(required_unless_present = "lines")]
    pub query: Option<String>,
    /// At most this many results (best first).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// One JSON object per result.
    #[arg(long)]
    pub json: bool,
    /// Print every record's searchable line, one per line.
    #[arg(long, conflicts_with = "query")]
    pub lines: bool,
    /// Show ID numbers and mobiles whole (they are masked by default):
    /// needs the admin role and is recorded as a reveal of every person shown.
    #[arg(long)]
    pub reveal: bool,
}

// The options of `skillbridge serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT")]
    pub listen: String,
    /// OpenSSH authorized-keys file; the comment names the operator and may set
    /// role=kiosk|operator|supervisor|admin and districts=CODES (default:
    /// authorized_keys in the data directory). Refused when others may write it.
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: Option<PathBuf>,
    /// The server's ed25519 host key, made on first start (default: host_key in the data directory).
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,
    /// Close a session after this many minutes without a key.
    #[arg(long, default_value_t = 30, value_name = "MINUTES")]
    pub idle_minutes: u64,
    /// Connections open at once (at most half the open-file limit).
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: u64,
    /// Connections open at once that have not signed in yet (like OpenSSH's MaxStartups).
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_startups: u64,
    /// Seconds a connection has to sign in (like OpenSSH's LoginGraceTime).
    #[arg(long, default_value_t = 20, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub login_grace_secs: u64,
    /// The only directory imports may read from, over SSH and from F6
    /// (default: imports in the data directory).
    #[arg(long, value_name = "DIR")]
    pub import_dir: Option<PathBuf>,
}

// The options of `skillbridge kiosk`.
#[derive(Args, Debug)]
pub struct KioskArgs {
    /// Seconds without a key before it returns to its home screen and clears the search.
    #[arg(long, value_name = "N", default_value_t = skillbridge::kiosk::DEFAULT_IDLE_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_secs: u64,
    /// The key that ends the kiosk, written as in keymap.toml (e.g. ctrl-c, ctrl-alt-q, f12).
    #[arg(long, value_name = "KEY", default_value = "ctrl-c")]
    pub exit_key: String,
    /// No key ends the kiosk: stop it from outside (e.g. its service manager).
    #[arg(long, conflicts_with = "exit_key")]
    pub no_exit: bool,
}

// The options of `skillbridge import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// institutions, enterprises, demands, classes, trainees, or results
    /// (an evaluation agency's sheet of scores for cases awaiting evaluation),
    /// or occupations / regions (reference data: `[[occupation]]` or
    /// `[[region]]` entries as in a city pack; an id the database has
    /// rewrites that entry, the next ids add entries).
    pub kind: ImportWhat,
    pub file: PathBuf,
    /// Check every row and report what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the good rows and put the bad ones, with a reason column, in this CSV.
    #[arg(long, value_name = "REJECTS.csv")]
    pub skip_invalid: Option<PathBuf>,
    /// Also write the changes the file makes to records that exist (each is
    /// listed field by field); without it only new records are written.
    #[arg(long)]
    pub update: bool,
    /// An empty cell clears the stored value (without it, it keeps it).
    #[arg(long)]
    pub clear_empty: bool,
    /// The sheet of a workbook to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// results: only the cases of this class (e.g. C451).
    #[arg(long, value_name = "CLASS")]
    pub class: Option<String>,
}

/// What `import` reads: records of a kind, or evaluation results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportWhat {
    Records(skillbridge::domain::Kind),
    Results,
    /// The training-subsidy standard table (TOML).
    Standards,
    /// Reference data: `occupations` or `regions` entries, as in a city pack.
    Catalog {
        occupations: bool,
    },
}

impl std::str::FromStr for ImportWhat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "results" | "result" | "评价结果" | "成绩" => Ok(ImportWhat::Results),
            "standards" | "subsidy-standards" | "补贴标准" => Ok(ImportWhat::Standards),
            "occupations" | "occupation" | "职业" => Ok(ImportWhat::Catalog { occupations: true }),
            "regions" | "region" | "区域" => Ok(ImportWhat::Catalog { occupations: false }),
            _ => s
                .parse()
                .map(ImportWhat::Records)
                .map_err(|e: skillbridge::domain::UnknownKind| format!("{e}, or results")),
        }
    }
}

// The options of `skillbridge export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// institutions, enterprises, demands, classes, trainees or all.
    pub kind: String,
    /// csv (UTF-8 with a BOM, safe to open in Excel), xlsx (ID numbers and mobiles as text) or json.
    #[arg(long, default_value = "csv", value_name = "csv|xlsx|json")]
    pub format: skillbridge::io::export::Format,
    /// CSV text encoding: utf8 (default) or gbk (what Chinese Excel saves).
    #[arg(long, default_value = "utf8", value_name = "utf8|gbk")]
    pub encoding: skillbridge::io::export::Encoding,
    /// Only the header row: an empty file of KIND to fill in.
    #[arg(long)]
    pub template: bool,
    /// The file (or, for `all`, the directory); standard output if absent.
    /// Never written through a link or onto a device.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file.
    #[arg(long)]
    pub force: bool,
    /// Only the records the workspace's search finds for Q, best first
    /// (the list as the tab shows it).
    #[arg(long, value_name = "Q")]
    pub query: Option<String>,
    /// Keep only records with this value, as the workspace's filter does:
    /// region=丹阳市, trade=焊工, program=…, state=已取证 (cases),
    /// status=招聘中 (demands) or 开班中 (classes). Repeatable.
    #[arg(long, value_name = "KEY=VALUE")]
    pub filter: Vec<String>,
    /// The order: relevance, newest, name, open-posts, wage, start, seats, stars, state.
    #[arg(long, value_name = "ORDER")]
    pub sort: Option<String>,
    /// Cases: only this class's (its roster, 花名册), e.g. C451.
    #[arg(long, value_name = "CLASS")]
    pub class: Option<String>,
}

// The options of `skillbridge report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// md (tables for people), csv (one long table) or json (one object).
    #[arg(long, value_enum, default_value = "md")]
    pub format: super::report::Format,
    /// Write to FILE instead of standard output (private to this account;
    /// never through a link or onto a device).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file.
    #[arg(long)]
    pub force: bool,
    /// Workers in the city, for this report only (default: the database's setting, else 2,000,000).
    #[arg(long, value_name = "N")]
    pub labor_force: Option<String>,
}
