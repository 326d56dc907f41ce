//! Where data lives: the platform data directory (via `directories`),
//! overridden by `--db` or `SKILLBRIDGE_DB`; and how files are kept
//! private to the service account: the process's umask (every file and
//! directory the program creates is 0600 / 0700 from the start), files
//! written to a path a user names (`--out`) never through a link, onto a
//! device or over a file unless asked, and the checks `serve` makes on the
//! files it trusts (like sshd's StrictModes).

use std::borrow::Cow;
use std::fs::File;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const ENV_DB: &str = "SKILLBRIDGE_DB";

/// The local workspace's access file (role and districts), overriding
/// `<config dir>/access`.
pub const ENV_ACCESS: &str = "SKILLBRIDGE_ACCESS";

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

/// The local workspace's access file: `$SKILLBRIDGE_ACCESS`, else
/// `<config dir>/access`.
pub fn access_file() -> PathBuf {
    std::env::var_os(ENV_ACCESS)
        .map(PathBuf::from)
        .unwrap_or_else(|| config_dir().join("access"))
}

/// Where a served process reads imports from unless `--import-dir` says.
pub fn import_dir() -> PathBuf {
    data_dir().join("imports")
}

/// Make every file and directory this process creates private to its
/// user (umask 077: files 0600, directories 0700), before anything is
/// created, so no file is ever wider for a moment. Call first in `main`.
pub fn private_umask() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Why a file the program writes or trusts was refused.
#[derive(Debug, Error)]
pub enum FileError {
    #[error("{path} already exists: choose another name, or pass --force to replace it")]
    Exists { path: PathBuf },
    #[error("{path} is a symbolic link: skillbridge does not write through links; name the target itself")]
    Link { path: PathBuf },
    #[error("{path} is not a regular file (a device, a pipe or a directory): name a file")]
    NotRegular { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} is writable by {who} (mode {mode:04o}): anyone who can write it can let themselves in. Fix it with `chmod go-w {path}`"
    )]
    WritableByOthers {
        path: PathBuf,
        who: &'static str,
        mode: u32,
    },
    #[error(
        "{path} is readable by other users (mode {mode:04o}): it is the server's secret key. Fix it with `chmod 600 {path}`"
    )]
    ReadableByOthers { path: PathBuf, mode: u32 },
    #[error(
        "{path} belongs to user id {owner}, not to this account ({me}) or root: `chown` it to the account that runs skillbridge"
    )]
    Owner { path: PathBuf, owner: u32, me: u32 },
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> FileError + '_ {
    move |source| FileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuse to write to `path` when it is a link, a device (anything not a
/// regular file), or an existing file and `force` is false. A missing
/// path is fine.
pub fn check_out(path: &Path, force: bool) -> Result<(), FileError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(path)(e)),
        Ok(m) if m.file_type().is_symlink() => Err(FileError::Link {
            path: path.to_path_buf(),
        }),
        Ok(m) if !m.is_file() => Err(FileError::NotRegular {
            path: path.to_path_buf(),
        }),
        Ok(_) if !force => Err(FileError::Exists {
            path: path.to_path_buf(),
        }),
        Ok(_) => Ok(()),
    }
}

/// Create `path` for writing, private to this user (0600) from the first
/// byte: never through a symbolic link, never onto a device, and over an
/// existing regular file only with `force` (it is then truncated and made
/// 0600). For reports, exports, rejects and backups a user names.
pub fn create_private(path: &Path, force: bool) -> Result<File, FileError> {
    check_out(path, force)?;
    let mut o = std::fs::OpenOptions::new();
    o.write(true);
    if force {
        o.create(true).truncate(true);
    } else {
        o.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NOCTTY | libc::O_NONBLOCK);
    }
    let file = o.open(path).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => FileError::Link {
            path: path.to_path_buf(),
        },
        _ if e.kind() == std::io::ErrorKind::AlreadyExists => FileError::Exists {
            path: path.to_path_buf(),
        },
        _ => io_err(path)(e),
    })?;
    let meta = file.metadata().map_err(io_err(path))?;
    if !meta.is_file() {
        return Err(FileError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(io_err(path))?;
        }
    }
    Ok(file)
}

/// Write `bytes` to `path` through [`create_private`].
pub fn write_private(path: &Path, bytes: &[u8], force: bool) -> Result<(), FileError> {
    use std::io::Write;
    let mut f = create_private(path, force)?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// Create `dir` (and its parents) private to this user; an existing one
/// is made 0700 when it is wider.
pub fn private_dir(dir: &Path) -> Result<(), FileError> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(io_err(dir))?;
    tighten(dir, 0o700)
}

#[cfg(unix)]
fn tighten(path: &Path, mode: u32) -> Result<(), FileError> {
    use std::os::unix::fs::PermissionsExt;
    let m = std::fs::symlink_metadata(path).map_err(io_err(path))?;
    if m.file_type().is_symlink() {
        return Ok(());
    }
    if m.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io_err(path))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_path: &Path, _mode: u32) -> Result<(), FileError> {
    Ok(())
}

/// Make a database directory made by an older skillbridge (or copied in
/// with a wide umask) private: the directory and every directory under
/// it 0700, every file 0600. Links are left alone. Returns how many
/// entries were changed.
pub fn tighten_tree(dir: &Path) -> Result<usize, FileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut changed = 0;
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let m = std::fs::symlink_metadata(&d).map_err(io_err(&d))?;
            if m.file_type().is_symlink() {
                continue;
            }
            let (want, wide) = if m.is_dir() { (0o700, 0o077) } else { (0o600, 0o077) };
            if m.permissions().mode() & wide != 0 {
                tighten(&d, want)?;
                changed += 1;
            }
            if m.is_dir() {
                for e in std::fs::read_dir(&d).map_err(io_err(&d))? {
                    stack.push(e.map_err(io_err(&d))?.path());
                }
            }
        }
        Ok(changed)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(0)
    }
}

#[cfg(unix)]
fn me() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Owned by this account or root, and writable by no one else (a sticky
/// directory excepted, when `sticky_ok`).
#[cfg(unix)]
fn owned_and_not_writable(path: &Path, m: &std::fs::Metadata, sticky_ok: bool) -> Result<(), FileError> {
    use std::os::unix::fs::MetadataExt;
    if m.uid() != me() && m.uid() != 0 {
        return Err(FileError::Owner {
            path: path.to_path_buf(),
            owner: m.uid(),
            me: me(),
        });
    }
    let mode = m.mode() & 0o7777;
    if mode & 0o022 != 0 && !sticky_ok {
        return Err(FileError::WritableByOthers {
            path: path.to_path_buf(),
            who: if mode & 0o002 != 0 { "every user" } else { "its group" },
            mode,
        });
    }
    Ok(())
}

/// Refuse a file that grants access (authorized keys) when another user
/// could change it: the file or its directory writable by group or
/// others, or either owned by someone else than this account or root.
pub fn check_not_writable_by_others(path: &Path) -> Result<(), FileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let file = std::fs::metadata(path).map_err(io_err(path))?;
        if !file.is_file() {
            return Err(FileError::NotRegular {
                path: path.to_path_buf(),
            });
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        for (p, m) in [(path, file), (dir, std::fs::metadata(dir).map_err(io_err(dir))?)] {
            let mode = m.mode() & 0o7777;
            // A sticky directory (like /tmp) lets nobody replace another's file.
            let sticky_dir = m.is_dir() && mode & 0o1000 != 0;
            owned_and_not_writable(p, &m, sticky_dir)?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Refuse a secret (the host key) that another user could read or write.
pub fn check_secret(path: &Path) -> Result<(), FileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).map_err(io_err(path))?;
        owned_and_not_writable(path, &m, false)?;
        let mode = m.mode() & 0o7777;
        if mode & 0o044 != 0 {
            return Err(FileError::ReadableByOthers {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Text for one log line: control characters (a newline, an escape
/// sequence) written as `\n`, `\x1b`…, so what a client sends (a user
/// name, a command) can neither forge a line nor drive the terminal of
/// whoever reads the log.
pub fn escape_log(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    #[test]
    fn out_files_are_private_and_never_through_links_or_devices() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.md");
        write_private(&p, b"x", false).unwrap();
        assert_eq!(mode(&p), 0o600);
        let e = write_private(&p, b"y", false).unwrap_err();
        assert!(matches!(e, FileError::Exists { .. }), "{e}");
        assert!(e.to_string().contains("--force"));
        // An existing 0644 file given --force: replaced and made private.
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&p, b"y", true).unwrap();
        assert_eq!((std::fs::read(&p).unwrap(), mode(&p)), (b"y".to_vec(), 0o600));
        // A link, even with --force: refused, the target untouched.
        let target = dir.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for force in [false, true] {
            let e = write_private(&link, b"z", force).unwrap_err();
            assert!(matches!(e, FileError::Link { .. }), "{e}");
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        // A device.
        let e = write_private(Path::new("/dev/null"), b"z", true).unwrap_err();
        assert!(matches!(e, FileError::NotRegular { .. }), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn trusted_files_must_not_be_writable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("authorized_keys");
        std::fs::write(&keys, "").unwrap();
        std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o644)).unwrap();
        check_not_writable_by_others(&keys).unwrap();
        std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o666)).unwrap();
        let e = check_not_writable_by_others(&keys).unwrap_err().to_string();
        assert!(e.contains("writable by every user") && e.contains("chmod go-w"), "{e}");
        std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o775)).unwrap();
        let e = check_not_writable_by_others(&keys).unwrap_err().to_string();
        assert!(e.contains("its group"), "{e}");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();

        let host = dir.path().join("host_key");
        std::fs::write(&host, "").unwrap();
        std::fs::set_permissions(&host, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = check_secret(&host).unwrap_err().to_string();
        assert!(e.contains("readable by other users") && e.contains("chmod 600"), "{e}");
        std::fs::set_permissions(&host, std::fs::Permissions::from_mode(0o600)).unwrap();
        check_secret(&host).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn an_old_wide_database_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        std::fs::create_dir_all(db.join("blobs")).unwrap();
        std::fs::write(db.join("conf"), "").unwrap();
        for (p, m) in [(&db, 0o755), (&db.join("blobs"), 0o755), (&db.join("conf"), 0o644)] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
        }
        assert_eq!(tighten_tree(&db).unwrap(), 3);
        assert_eq!(
            (mode(&db), mode(&db.join("blobs")), mode(&db.join("conf"))),
            (0o700, 0o700, 0o600)
        );
        assert_eq!(tighten_tree(&db).unwrap(), 0);
    }

    #[test]
    fn log_text_cannot_forge_lines() {
        assert_eq!(escape_log("wang"), "wang");
        assert_eq!(
            escape_log("a\nINFO root signed in\u{1b}[2J"),
            "a\\nINFO root signed in\\x{1b}[2J"
        );
    }
}
