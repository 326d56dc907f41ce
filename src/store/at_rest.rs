//! The database at rest: which database and generation a closed database
//! is, known without opening it. sled 0.34 takes half a second or more to
//! open a million records (it reads its page table); a one-shot `search`
//! needs only the identity and the generation, to know that its cached
//! index is current.
//!
//! A process that closed the database ([`record`]) writes `PATH/at-rest`:
//! the database's identity and generation and the signature of sled's log
//! file (`PATH/db`: device, inode, length, modified and changed times). Any
//! write to the database writes that log, so while the log's signature is
//! the one recorded, the database is still that generation ([`read`]).
//!
//! Both sides hold a shared lock on the log file while they look: sled
//! holds it exclusively as long as the database is open, so a database
//! another process has open is never taken to be at rest, and no writer
//! can start in between. A write in the same tick of the file clock as the
//! last one recorded would leave the modified time as it was: the record
//! is made only once the log is [`SETTLED`] (waiting out the rest of that
//! while, under the lock), so any later write is a later tick.

use super::codec;
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

/// Record that the database at `path` is database `id` at `generation`.
/// Call it once the last handle of the store is dropped, with what the
/// store said just before; it does nothing (and returns `false`) when the
/// database is open again, or still held by sled, after [`RELEASE_WAIT`].
pub fn record(path: &Path, id: &str, generation: u64) -> bool {
    let start = std::time::Instant::now();
    let lock = loop {
        match lock_shared(path) {
            Some(l) => break l,
            None if start.elapsed() < RELEASE_WAIT => std::thread::sleep(Duration::from_millis(5)),
            None => return false,
        }
    };
    let Ok(meta) = lock.metadata() else { return false };
    if let Some(age) = meta
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        && age < SETTLED
    {
        std::thread::sleep(SETTLED - age);
    }
    let text = format!(
        "{}\n{}\n",
        codec::stamp(MAGIC, VERSION, id, generation),
        signature(&meta)
    );
    let tmp = file(path).with_extension(format!("tmp{}", std::process::id()));
    let ok = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, file(path)));
    if ok.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    drop(lock);
    ok.is_ok()
}

/// The identity and generation of the database at `path` when it is at
/// rest as last recorded: no process has it open and its log is as it
/// was. `None` otherwise (open it to know).
pub fn read(path: &Path) -> Option<(String, u64)> {
    let lock = lock_shared(path)?;
    let meta = lock.metadata().ok()?;
    let text = std::fs::read_to_string(file(path)).ok()?;
    let mut lines = text.lines();
    let stamp = codec::read_stamp(lines.next()?, MAGIC, VERSION)?;
    (lines.next()? == signature(&meta)).then_some(stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_is_at_rest_until_its_log_is_written_or_it_is_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path();
        std::fs::write(log(p), b"log").expect("log");
        assert_eq!(read(p), None, "nothing recorded yet");
        assert!(record(p, "abc", 7));
        assert_eq!(read(p), Some(("abc".to_string(), 7)));
        // Open (sled holds the log exclusively): not at rest, and nothing
        // is recorded over it.
        let held = std::fs::File::open(log(p)).expect("open");
        held.lock().expect("lock");
        assert_eq!(read(p), None);
        let t = std::time::Instant::now();
        assert!(!record(p, "abc", 8));
        assert!(t.elapsed() >= RELEASE_WAIT);
        drop(held);
        assert_eq!(read(p), Some(("abc".to_string(), 7)));
        // Written (same length, at once: a later tick, since the record
        // waited for the log to settle).
        std::fs::write(log(p), b"LOG").expect("write");
        assert_eq!(read(p), None);
        // Another build's record, or a damaged one, is not read.
        assert!(record(p, "abc", 9));
        let text = std::fs::read_to_string(file(p)).expect("read");
        std::fs::write(
            file(p),
            text.replacen("skillbridge-at-rest 1", "skillbridge-at-rest 0", 1),
        )
        .expect("w");
        assert_eq!(read(p), None);
        std::fs::write(file(p), "garbage").expect("w");
        assert_eq!(read(p), None);
    }
}
