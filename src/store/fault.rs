//! Faults of the disk and of other processes, turned into errors an
//! operator can act on: a lock held elsewhere, a full disk, a read-only
//! mount, permissions, a bad path, a directory that vanished.

use super::StoreError;
use std::path::{Path, PathBuf};

/// Which file a path names (device and inode on Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileId(u64, u64);

/// The identity of sled's log file `PATH/db`, or `None` when it is gone.
pub(super) fn log_file_id(path: &Path) -> Option<FileId> {
    let meta = std::fs::metadata(path.join("db")).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FileId(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(FileId(0, 0))
    }
}

pub(super) fn open_error(path: &Path, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io) => {
            let msg = io.to_string();
            if msg.contains("could not acquire lock") || io.kind() == std::io::ErrorKind::WouldBlock {
                StoreError::Locked {
                    path: path.to_path_buf(),
                    hint: server_hint(path),
                }
            } else if let Some(e) = io_fault(path, &io, "opening") {
                e
            } else {
                StoreError::Open {
                    path: path.to_path_buf(),
                    source: io,
                }
            }
        }
        sled::Error::Corruption { .. } | sled::Error::Unsupported(_) => StoreError::Unreadable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        sled::Error::ReportableBug(_) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        other => StoreError::Open {
            path: path.to_path_buf(),
            source: std::io::Error::other(other.to_string()),
        },
    }
}

/// The operator-facing error for an IO failure whose cause the operator can
/// fix (a full disk, a read-only mount, permissions, a bad path), or `None`.
pub(super) fn io_fault(path: &Path, io: &std::io::Error, doing: &'static str) -> Option<StoreError> {
    use std::io::ErrorKind as K;
    // Linux errno values, for errors that reach us without a precise kind.
    const EPERM: i32 = 1;
    const ENOENT: i32 = 2;
    const EACCES: i32 = 13;
    const ENOTDIR: i32 = 20;
    const ENOSPC: i32 = 28;
    const EROFS: i32 = 30;
    const EDQUOT: i32 = 122;
    let path = path.to_path_buf();
    let raw = io.raw_os_error();
    let kind = io.kind();
    if matches!(kind, K::StorageFull | K::QuotaExceeded) || matches!(raw, Some(ENOSPC | EDQUOT)) {
        Some(StoreError::DiskFull { path, doing })
    } else if kind == K::ReadOnlyFilesystem || raw == Some(EROFS) {
        Some(StoreError::ReadOnly { path, doing })
    } else if kind == K::PermissionDenied || matches!(raw, Some(EPERM | EACCES)) {
        Some(StoreError::PermissionDenied {
            path,
            doing,
            detail: io.to_string(),
        })
    } else if doing == "opening" && (kind == K::NotADirectory || matches!(raw, Some(ENOTDIR | ENOENT))) {
        let detail = match path.ancestors().skip(1).find(|a| a.is_file()) {
            Some(file) => format!("{} is a file, not a directory", file.display()),
            None => io.to_string(),
        };
        Some(StoreError::BadPath { path, detail })
    } else {
        None
    }
}

/// sled 0.34 writes a snapshot to `snap.<lsn>.generating`, syncs it and
/// renames it to `snap.<lsn>`. A process killed in between leaves the
/// temporary file behind, and sled's next open takes it for the newest
/// snapshot and fails ("Read corrupted data"): the crash test found a
/// database that would not open after a kill during start-up. Such a file is
/// never a finished snapshot (the log still holds everything), so it is
/// removed — under sled's own lock, so that a file another process is still
/// writing is never touched. Failures are left for sled's open to report.
pub(super) fn clear_interrupted_snapshots(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else { return };
    let stale: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with("snap.") && n.ends_with(".generating"))
        })
        .collect();
    if stale.is_empty() {
        return;
    }
    let Ok(lock) = std::fs::File::open(path.join("db")) else {
        return;
    };
    if lock.try_lock().is_ok() {
        for p in stale {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// How long `Store::reopen` waits for sled's IO threads to let go of a
/// database this process closed.
pub(super) const RELEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The file a running server leaves beside the database so that a second
/// process can say how to connect instead of failing on the lock.
pub const SERVER_NOTE: &str = "server.addr";

pub(super) fn server_hint(path: &Path) -> String {
    match std::fs::read_to_string(path.join(SERVER_NOTE)) {
        Ok(addr) if !addr.trim().is_empty() => {
            let addr = addr.trim();
            let port = addr.rsplit(':').next().unwrap_or("2222");
            format!(
                ": a skillbridge server holds it at {addr}; connect with `ssh -p {port} <host>`. \
                 While it runs, an admin key does backup, check, export and import through it: \
                 `ssh -p {port} <host> backup > FILE`, `… check`, `… export KIND > FILE`, \
                 `… import KIND < FILE`, `… audit`"
            )
        }
        _ => String::new(),
    }
}
