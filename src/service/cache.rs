//! The persisted search index: per kind, each record's search line with its
//! pinyin forms and its shared texts, stamped with the database's identity
//! and its generation (which every write moves), and checksummed. A stale,
//! foreign or damaged file is ignored and rebuilt, never trusted; `check`
//! reports a damaged or foreign one ([`verify`]) and `check --repair`
//! removes it.
//!
//! Format (UTF-8 text): the stamp line `skillbridge-search <version>
//! <build> <database> <generation>` (see `store::codec::stamp`; the version
//! is `codec::SEARCH_CACHE_VERSION`), the index as [`Index::write_tsv`]
//! writes it, and a last line `end <crc32>`: the CRC-32 of every byte
//! before it, in hex. A cache written by another version of skillbridge,
//! or of the pinyin tables, is rebuilt rather than read.

use crate::domain::Kind;
use crate::search::Index;
use crate::store::codec::{self, SEARCH_CACHE_VERSION};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const MAGIC: &str = "skillbridge-search";

pub fn dir(db: &Path) -> PathBuf {
    db.join("search-cache")
}

fn file(db: &Path, kind: Kind) -> PathBuf {
    dir(db).join(format!("{}.tsv", kind.name()))
}

/// Remove half-written files (`*.tmp*`) a process that died left behind.
pub fn clear_leftovers(db: &Path) {
    let Ok(entries) = std::fs::read_dir(dir(db)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        if name.to_string_lossy().contains(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Write `path` in the cache directory atomically: into a temp file (named
/// so `clear_leftovers` finds it), renamed over the old one when whole.
pub(super) fn write_atomically(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{seq}", std::process::id()));
    let written = (|| {
        let mut w = BufWriter::new(std::fs::File::create(&tmp)?);
        body(&mut w)?;
        w.flush()
    })();
    match written {
        Ok(()) => std::fs::rename(&tmp, path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// A writer that keeps the CRC-32 of what goes through it.
struct Summed<'a, W: Write> {
    w: &'a mut W,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Summed<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.w.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// Write the index as the picture of `generation` of database `id`.
pub fn write(db: &Path, kind: Kind, id: &str, generation: u64, ix: &Index) -> std::io::Result<()> {
    write_atomically(&file(db, kind), |w| {
        let mut s = Summed {
            w,
            crc: crc32fast::Hasher::new(),
        };
        writeln!(s, "{}", codec::stamp(MAGIC, SEARCH_CACHE_VERSION, id, generation))?;
        ix.write_tsv(&mut s)?;
        let crc = s.crc.finalize();
        writeln!(s.w, "end {crc:08x}")
    })
}

/// How a file under `search-cache/` stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Written for this database at this generation, checksum good: used.
    Current,
    /// For this database, an older or newer generation: rebuilt at the next start.
    Stale,
    /// Another format version or another skillbridge: rebuilt.
    OtherVersion,
    /// Stamped for another database: never read.
    Foreign { id: String },
    /// Its checksum fails, or it does not read: never read.
    Damaged { why: String },
}

/// The body of a cache file, if its checksum holds: (stamp line, index text).
fn checked(text: &str) -> Result<(&str, &str), String> {
    let body_end = text
        .trim_end_matches('\n')
        .rfind('\n')
        .ok_or("it has no checksum line")?
        + 1;
    let (body, last) = text.split_at(body_end);
    let want = last
        .trim_end()
        .strip_prefix("end ")
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .ok_or("its last line is not 'end <crc32>' (cut short?)")?;
    let found = crc32fast::hash(body.as_bytes());
    if found != want {
        return Err(format!(
            "checksum mismatch (the file says {want:08x}, its content gives {found:08x})"
        ));
    }
    body.split_once('\n').ok_or_else(|| "it has no stamp line".to_string())
}

/// How the cache file of `kind` stands against database `id` at `generation`.
pub fn standing(db: &Path, kind: Kind, id: &str, generation: u64) -> Option<Standing> {
    let bytes = std::fs::read(file(db, kind)).ok()?;
    Some(stand(&bytes, id, generation))
}

fn stand(bytes: &[u8], id: &str, generation: u64) -> Standing {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Standing::Damaged {
            why: "it is not UTF-8 text".into(),
        };
    };
    let first = text.split('\n').next().unwrap_or("");
    let Some((owner, g)) = codec::read_stamp(first, MAGIC, SEARCH_CACHE_VERSION) else {
        return Standing::OtherVersion;
    };
    if let Err(why) = checked(text) {
        return Standing::Damaged { why };
    }
    if owner != id {
        Standing::Foreign { id: owner }
    } else if g != generation {
        Standing::Stale
    } else {
        Standing::Current
    }
}

/// The cached index, if it is for this database at this generation, its
/// checksum holds and it reads whole.
pub fn read(db: &Path, kind: Kind, id: &str, generation: u64) -> Option<Index> {
    let text = std::fs::read_to_string(file(db, kind)).ok()?;
    if stand(text.as_bytes(), id, generation) != Standing::Current {
        return None;
    }
    let (_, rest) = checked(&text).ok()?;
    Index::read_tsv(rest)
}

/// A file under `search-cache/` that `check` reports: damaged, or made
/// from another database. (Stale files are expected: the next start
/// rebuilds them.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: PathBuf,
    pub standing: Standing,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.standing {
            Standing::Damaged { why } => write!(
                f,
                "{}: damaged ({why}); it is not used, and `check --repair` removes it (the next start rebuilds it)",
                self.path.display()
            ),
            Standing::Foreign { id } => write!(
                f,
                "{}: made from another database (id {id}); it is not used, and `check --repair` removes it",
                self.path.display()
            ),
            other => write!(f, "{}: {other:?}", self.path.display()),
        }
    }
}

/// Every derived file of the database at `db` that is damaged or foreign.
pub fn verify(db: &Path, id: &str, generation: u64) -> Vec<Finding> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        if let Some(s @ (Standing::Damaged { .. } | Standing::Foreign { .. })) = standing(db, kind, id, generation) {
            out.push(Finding {
                path: file(db, kind),
                standing: s,
            });
        }
    }
    if let Some(s @ (Standing::Damaged { .. } | Standing::Foreign { .. })) =
        super::snapshot::standing(db, id, generation)
    {
        out.push(Finding {
            path: super::snapshot::file(db),
            standing: s,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Hay, Query};

    fn sample() -> Index {
        let mut ix = Index::new();
        ix.upsert_tagged(3, Hay::new("王芳  焊工".into()), &["Danyang", "welder 电焊工"]);
        ix.upsert_tagged(7, Hay::new("李雷  车工".into()), &["Danyang"]);
        ix.upsert(9, Hay::new("K9  no tags".into()));
        ix
    }

    #[test]
    fn round_trip_keeps_every_form_and_tag() {
        let dir = tempfile::tempdir().expect("tmp");
        let ix = sample();
        write(dir.path(), Kind::Trainees, "db1", 5, &ix).expect("write");
        let back = read(dir.path(), Kind::Trainees, "db1", 5).expect("read");
        assert_eq!(back.len(), 3);
        for (a, b) in ix.iter().zip(back.iter()) {
            assert_eq!(a, b);
        }
        let q = Query::parse("danyang 焊");
        assert_eq!(
            back.search(&q, None, &|| false),
            ix.search(&q, None, &|| false),
            "the same hits from the cache"
        );
        // Another generation, another build, or a damaged file, is not used
        // (a count no file could hold included: nothing is reserved for it).
        assert!(read(dir.path(), Kind::Trainees, "db1", 6).is_none());
        // Another database at the same generation: never read, and reported.
        assert!(read(dir.path(), Kind::Trainees, "db2", 5).is_none());
        assert_eq!(
            verify(dir.path(), "db2", 5)[0].standing,
            Standing::Foreign { id: "db1".into() }
        );
        assert!(verify(dir.path(), "db1", 5).is_empty());
        let path = file(dir.path(), Kind::Trainees);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(
            &path,
            text.replacen(codec::build_id(), "skillbridge-0.0.1+pinyin-0.1.0", 1),
        )
        .expect("other build");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        let older = format!("{MAGIC} {} ", SEARCH_CACHE_VERSION - 1);
        std::fs::write(
            &path,
            text.replacen(&format!("{MAGIC} {SEARCH_CACHE_VERSION} "), &older, 1),
        )
        .expect("older format");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        std::fs::write(&path, &text[..text.len() - 20]).expect("cut");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        // One digit changed: the checksum fails, and check says so.
        std::fs::write(&path, text.replacen("\n3\t1\t", "\n3\t2\t", 1)).expect("one digit");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        assert!(matches!(
            verify(dir.path(), "db1", 5)[0].standing,
            Standing::Damaged { .. }
        ));
        std::fs::write(&path, text.replace("\n3\t1\t", "\n3\t99\t")).expect("bad list");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        let (head, rest) = text.split_once('\n').expect("header");
        let (_, after_counts) = rest.split_once('\n').expect("counts");
        std::fs::write(&path, format!("{head}\n100000000000 2 3\n{after_counts}")).expect("huge count");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
    }
}
