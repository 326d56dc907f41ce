//! A copy of the whole database directory, taken while no process holds it:
//! the copy is made under the same file lock sled takes on `PATH/db`, so no
//! skillbridge can open the database halfway through. Repair and
//! migrations take one before they change anything.

use super::fault::{RELEASE_WAIT, io_fault, server_hint};
use super::{Result, StoreError};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Copy the database directory at `path` to `PATH.bak-YYYYmmddHHMMSS`
/// beside it (with `-1`, `-2`… if that exists) and return the copy's path.
/// The copy is synced to disk. A failed copy is removed again.
pub fn backup_dir(path: &Path) -> Result<PathBuf> {
    let name = match path.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        None => {
            return Err(StoreError::BadPath {
                path: path.to_path_buf(),
                detail: "it names no directory to back up".into(),
            });
        }
    };
    let stamp = chrono::Local::now().format("%Y%m%d%H%M%S").to_string();
    let mut backup = path.with_file_name(format!("{name}.bak-{stamp}"));
    let mut n = 1;
    while backup.exists() {
        backup = path.with_file_name(format!("{name}.bak-{stamp}-{n}"));
        n += 1;
    }
    let _lock = lock_unheld(path)?;
    if let Err(e) = copy_tree(path, &backup) {
        let _ = std::fs::remove_dir_all(&backup);
        let detail = match io_fault(&backup, &e, "backing up") {
            Some(StoreError::DiskFull { .. }) => "the disk is full".to_string(),
            _ => e.to_string(),
        };
        return Err(StoreError::Backup {
            path: path.to_path_buf(),
            backup,
            detail,
        });
    }
    Ok(backup)
}

/// Hold the database at `path` against every other process (as `salvage`
/// does while it reads the files): sled's own lock, released when the
/// returned file is dropped.
pub fn lock_database(path: &Path) -> Result<File> {
    lock_unheld(path)
}

/// Take sled's lock on `PATH/db` ourselves, waiting (up to
/// `RELEASE_WAIT`) for this process's own sled threads to let go of a
/// database it just closed. Dropping the file releases the lock.
fn lock_unheld(path: &Path) -> Result<File> {
    let file = File::open(path.join("db")).map_err(|e| {
        io_fault(path, &e, "backing up").unwrap_or(StoreError::Open {
            path: path.to_path_buf(),
            source: e,
        })
    })?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::WouldBlock) if start.elapsed() < RELEASE_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: path.to_path_buf(),
                    hint: server_hint(path),
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(StoreError::Open {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        }
    }
}

/// The copy is private (directories 0700, files 0600) whatever the
/// original's modes: a copy of every trainee's data is never wider.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir(to)?;
    set_mode(to, 0o700)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst)?;
            set_mode(&dst, 0o600)?;
            File::open(&dst)?.sync_all()?;
        }
    }
    File::open(to)?.sync_all()
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_backup_is_a_whole_copy_and_waits_for_no_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let store = Store::open(&path).unwrap();
        store.set_meta("note", "before the backup").unwrap();
        // Held by a running store: refused, naming the path.
        let e = backup_dir(&path).unwrap_err();
        assert!(matches!(e, StoreError::Locked { .. }), "{e}");
        drop(store);
        let first = backup_dir(&path).unwrap();
        let second = backup_dir(&path).unwrap();
        assert_ne!(first, second);
        for b in [&first, &second] {
            let name = b.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with("db.bak-20"), "{name}");
            let copy = Store::reopen(b).unwrap();
            assert_eq!(copy.meta("note").unwrap().as_deref(), Some("before the backup"));
        }
        // The original is untouched and opens.
        assert!(Store::reopen(&path).is_ok());
    }
}
