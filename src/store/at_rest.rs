//! The database at rest: which database and generation a closed database
//! is, known without opening it. sled 0.34 takes half a second or more to
//! open a million records (it reads its page table); a one-shot `search`
//! needs only the identity and the generation, to know that its cached
//! index is current.
//!
//! A process that closes the database (`Store::close_at_rest`) writes
//! `PATH/at-rest`: the database's identity and generation and the
//! signature of sled's log file (`PATH/db`: device, inode, length, modified
//! and changed times). Any write to the database writes that log, so while
//! the log's signature is the one recorded, the database is still that
//! generation ([`read`]).
//!
//! - The signature is taken ([`settled`]) after a flush and before the
//!   generation is read, and the record is made ([`record`]) only if the
//!   log still has that signature once the database is closed: a write by
//!   any other handle in between (which sled writes to the log by the time
//!   it closes) means no record, never a wrong one.
//! - Both sides hold a shared lock on the log file while they look: sled
//!   holds it exclusively as long as the database is open, so a database
//!   a process has open is never taken to be at rest, and no writer can
//!   start in between.
//! - A write in the same tick of the file clock as the write before would
//!   leave the modified time as it was: the signature is taken only once
//!   the log has been untouched for [`SETTLED`], so any later write is a
//!   later tick.

use super::codec;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const MAGIC: &str = "skillbridge-at-rest";
const VERSION: u16 = 1;

/// How long the log must have been untouched when the record is made
/// (many times the coarsest file clock: a jiffy at 100 Hz is 10 ms).
pub const SETTLED: Duration = Duration::from_millis(50);

/// How long [`record`] waits for sled to let go of the file after the
/// last handle was dropped (its flusher thread closes it a moment later).
const RELEASE_WAIT: Duration = Duration::from_secs(1);

fn file(path: &Path) -> PathBuf {
    path.join("at-rest")
}

fn log(path: &Path) -> PathBuf {
    path.join("db")
}

/// What identifies the log file's bytes on disk without reading them.
fn signature(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        format!(
            "{} {} {} {}.{} {}.{}",
            meta.dev(),
            meta.ino(),
            meta.len(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec()
        )
    }
    #[cfg(not(unix))]
    {
        format!("{} {:?}", meta.len(), meta.modified().ok())
    }
}

/// The log file, locked shared: `None` while a process has the database
/// open (or it has no log).
fn lock_shared(path: &Path) -> Option<std::fs::File> {
    let f = std::fs::File::open(log(path)).ok()?;
    f.try_lock_shared().ok()?;
    Some(f)
}

/// The log's signature once it has been untouched for [`SETTLED`] (the
/// rest of that while is waited out); take it after a flush, before the
/// generation is read. `None` when the log cannot be read, or keeps being
/// written.
pub fn settled(path: &Path) -> Option<Log> {
    for _ in 0..10 {
        let meta = std::fs::metadata(log(path)).ok()?;
        let age = SystemTime::now()
            .duration_since(meta.modified().ok()?)
            .unwrap_or(Duration::ZERO);
        if age >= SETTLED {
            return Some(Log(signature(&meta)));
        }
        std::thread::sleep(SETTLED - age);
    }
    None
}

/// The signature of the log at a moment (see [`settled`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log(String);

/// Record that the database at `path` is database `id` at `generation`,
/// as it was when its log had signature `seen` ([`settled`]). Call it once
/// the store is closed: it waits up to [`RELEASE_WAIT`] for sled to let go
/// of the log, and records nothing (returns `false`) if it does not, or if
/// the log was written since `seen`.
pub fn record(path: &Path, id: &str, generation: u64, seen: &Log) -> bool {
    let start = std::time::Instant::now();
    let lock = loop {
        match lock_shared(path) {
            Some(l) => break l,
            None if start.elapsed() < RELEASE_WAIT => std::thread::sleep(Duration::from_millis(2)),
            None => return false,
        }
    };
    let Ok(meta) = lock.metadata() else { return false };
    if signature(&meta) != seen.0 {
        return false;
    }
    let text = format!("{}\n{}\n", codec::stamp(MAGIC, VERSION, id, generation), seen.0);
    let ok = super::write_atomically(&file(path), |w| std::io::Write::write_all(w, text.as_bytes()));
    drop(lock);
    ok.is_ok()
}

/// A database found at rest: which one and at which generation. It stays
/// at rest while this is held (the log stays locked shared, so no process
/// can open the database): hold it while reading what was derived from
/// that generation.
#[derive(Debug)]
pub struct AtRest {
    pub database: String,
    pub generation: u64,
    _lock: std::fs::File,
}

/// The database at `path`, when it is at rest as last recorded: no process
/// has it open and its log is as it was. `None` otherwise (open it to
/// know).
pub fn read(path: &Path) -> Option<AtRest> {
    let lock = lock_shared(path)?;
    let meta = lock.metadata().ok()?;
    // A record is two short lines: a file of any size is read no further.
    let mut text = String::new();
    let mut f = std::fs::File::open(file(path)).ok()?.take(4096);
    f.read_to_string(&mut text).ok()?;
    let mut lines = text.lines();
    let (database, generation) = codec::read_stamp(lines.next()?, MAGIC, VERSION)?;
    (lines.next()? == signature(&meta)).then_some(AtRest {
        database,
        generation,
        _lock: lock,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(p: &Path) -> Option<(String, u64)> {
        read(p).map(|r| (r.database, r.generation))
    }

    #[test]
    fn a_database_is_at_rest_until_its_log_is_written_or_it_is_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path();
        std::fs::write(log(p), b"log").expect("log");
        assert_eq!(at(p), None, "nothing recorded yet");
        let t = std::time::Instant::now();
        let seen = settled(p).expect("settles");
        assert!(t.elapsed() >= SETTLED / 2, "a log just written is waited for");
        assert!(record(p, "abc", 7, &seen));
        assert_eq!(at(p), Some(("abc".to_string(), 7)));
        // Open (sled holds the log exclusively): not at rest, and nothing
        // is recorded over it.
        let held = std::fs::File::open(log(p)).expect("open");
        held.lock().expect("lock");
        assert_eq!(at(p), None);
        let t = std::time::Instant::now();
        assert!(!record(p, "abc", 8, &seen));
        assert!(t.elapsed() >= RELEASE_WAIT);
        drop(held);
        assert_eq!(at(p), Some(("abc".to_string(), 7)));
        // Written (same length, at once: a later tick, since the signature
        // was taken once the log had settled): not at rest, and a record
        // made with the signature seen before the write is refused.
        std::fs::write(log(p), b"LOG").expect("write");
        assert_eq!(at(p), None);
        assert!(!record(p, "abc", 8, &seen));
        assert_eq!(at(p), None);
        // Another build's record, or a damaged one, is not read.
        let seen = settled(p).expect("settles");
        assert!(record(p, "abc", 9, &seen));
        assert_eq!(at(p), Some(("abc".to_string(), 9)));
        // Found at rest, it stays so while held: no process can open it.
        let rest = read(p).expect("at rest");
        let f = std::fs::File::open(log(p)).expect("open");
        assert!(f.try_lock().is_err(), "sled's exclusive lock is refused");
        drop(rest);
        assert!(f.try_lock().is_ok());
        drop(f);
        let text = std::fs::read_to_string(file(p)).expect("read");
        std::fs::write(
            file(p),
            text.replacen("skillbridge-at-rest 1", "skillbridge-at-rest 0", 1),
        )
        .expect("w");
        assert_eq!(at(p), None);
        std::fs::write(file(p), "garbage").expect("w");
        assert_eq!(at(p), None);
    }
}
