//! Where data lives: the platform data directory (via `directories`),
//! overridden by `--db` or `SKILLBRIDGE_DB`.

use std::path::PathBuf;

pub const ENV_DB: &str = "SKILLBRIDGE_DB";

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("org", "skillbridge", "skillbridge")
}

/// The data directory (databases, logs, host key).
pub fn data_dir() -> PathBuf {
    dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".skillbridge"))
}

/// The config directory (keymap.toml, settings).
pub fn config_dir() -> PathBuf {
    dirs()
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".skillbridge"))
}

/// The operators' database: `--db`, else `$SKILLBRIDGE_DB`, else the data dir.
pub fn db_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os(ENV_DB).map(PathBuf::from))
        .unwrap_or_else(|| data_dir().join("db"))
}

/// The demo city's database, kept apart from real data unless `--db` says otherwise.
pub fn demo_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os(ENV_DB).map(PathBuf::from))
        .unwrap_or_else(|| data_dir().join("demo-db"))
}

pub fn log_dir() -> PathBuf {
    data_dir().join("logs")
}
