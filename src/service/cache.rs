//! The persisted search index: per kind, each record's search line with its
//! pinyin forms and its shared texts, stamped with the database's identity
//! and its generation (which every write moves), and checksummed. A stale,
//! foreign or damaged file is ignored and rebuilt, never trusted; `check`
//! reports a damaged or foreign one ([`verify`]) and `check --repair`
//! removes it.
//!
//! Format: the stamp line `skillbridge-search <version> <build>
//! <database> <generation>` (see `store::codec::stamp`; the version is
//! `codec::SEARCH_CACHE_VERSION`), then the payload's length (u64 LE), the
//! index as [`Index::write_bin`] writes it, and the CRC-32 of the payload
//! (u32 LE) — the same framing as the records snapshot. A cache written by
//! another version of skillbridge, or of the pinyin tables, is rebuilt
//! rather than read. The index is binary so that a start copies its arrays
//! instead of parsing text and working out each record's masks again.

use crate::domain::Kind;
use crate::search::Index;
use crate::store::codec::{self, SEARCH_CACHE_VERSION};
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &str = "skillbridge-search";

pub fn dir(db: &Path) -> PathBuf {
    db.join("search-cache")
}

fn file(db: &Path, kind: Kind) -> PathBuf {
    dir(db).join(format!("{}.idx", kind.name()))
}

/// Remove half-written files (`*.tmp*`) a process that died left behind,
/// and the search index files of the text format earlier versions wrote.
pub fn clear_leftovers(db: &Path) {
    let Ok(entries) = std::fs::read_dir(dir(db)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // `*.tsv`: the text form earlier versions wrote (now `*.idx`).
        if name.contains(".tmp") || name.ends_with(".tsv") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Write a stamped, checksummed file: the stamp line, the payload's
/// length, the payload, its CRC-32 (the framing [`unframe`] reads).
pub(super) fn write_framed(path: &Path, stamp: &str, payload: &[u8]) -> std::io::Result<()> {
    crate::store::write_atomically(path, |w| {
        writeln!(w, "{stamp}")?;
        w.write_all(&(payload.len() as u64).to_le_bytes())?;
        w.write_all(payload)?;
        w.write_all(&crc32fast::hash(payload).to_le_bytes())
    })
}

/// Write the index as the picture of `generation` of database `id`.
pub fn write(db: &Path, kind: Kind, id: &str, generation: u64, ix: &Index) -> std::io::Result<()> {
    let stamp = codec::stamp(MAGIC, SEARCH_CACHE_VERSION, id, generation);
    let mut payload = Vec::new();
    // The payload follows the stamp line and its length (u64).
    ix.write_bin(&mut payload, stamp.len() + 1 + 8)?;
    write_framed(&file(db, kind), &stamp, &payload)
}

/// A file's stamp (database, generation) and payload.
pub(super) type Stamped<'a> = (Stamp, &'a [u8]);

/// A stamp's database and generation.
type Stamp = (String, u64);

/// A file's stamp, payload and the bytes of its checksum.
type Framed<'a> = (Stamp, &'a [u8], &'a [u8]);

/// The stamp's (database, generation) and the payload of a file
/// [`write_framed`] wrote, when its checksum holds; `Ok(None)` for a file
/// of another kind or version; `Err` says why it is damaged.
pub(super) fn unframe<'a>(bytes: &'a [u8], magic: &str, version: u16) -> Result<Option<Stamped<'a>>, String> {
    let Some((stamp, payload, crc)) = frame(bytes, magic, version)? else {
        return Ok(None);
    };
    if !sum_matches(crc32fast::hash(payload), crc) {
        return Err("checksum mismatch".into());
    }
    Ok(Some((stamp, payload)))
}

/// Whether a payload's CRC-32 is the checksum its file holds.
fn sum_matches(sum: u32, crc: &[u8]) -> bool {
    crc == sum.to_le_bytes()
}

/// The stamp, the payload and the bytes of the checksum the file says the
/// payload has (not yet compared: see [`unframe`]).
fn frame<'a>(bytes: &'a [u8], magic: &str, version: u16) -> Result<Option<Framed<'a>>, String> {
    // The stamp line is short: a file whose first 200 bytes hold no line
    // end is not one of ours.
    let Some(end) = bytes.iter().take(200).position(|b| *b == b'\n') else {
        return Ok(None);
    };
    let Some(stamp) = std::str::from_utf8(&bytes[..end])
        .ok()
        .and_then(|line| codec::read_stamp(line, magic, version))
    else {
        return Ok(None);
    };
    let rest = &bytes[end + 1..];
    let len = rest
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .and_then(|l| usize::try_from(l).ok())
        .ok_or("its length field does not read")?;
    let payload = 8usize
        .checked_add(len)
        .and_then(|stop| rest.get(8..stop))
        .ok_or("it is shorter than its length field says (cut short?)")?;
    let crc = rest.get(8 + len..).ok_or("it has no checksum")?;
    Ok(Some((stamp, payload, crc)))
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

/// How the cache file of `kind` stands against database `id` at `generation`.
pub fn standing(db: &Path, kind: Kind, id: &str, generation: u64) -> Option<Standing> {
    let bytes = std::fs::read(file(db, kind)).ok()?;
    Some(stand(&bytes, MAGIC, SEARCH_CACHE_VERSION, id, generation))
}

/// How a framed file's bytes stand against database `id` at `generation`.
pub(super) fn stand(bytes: &[u8], magic: &str, version: u16, id: &str, generation: u64) -> Standing {
    match unframe(bytes, magic, version) {
        Err(why) => Standing::Damaged { why },
        Ok(None) => Standing::OtherVersion,
        Ok(Some(((owner, _), _))) if owner != id => Standing::Foreign { id: owner },
        Ok(Some(((_, g), _))) if g != generation => Standing::Stale,
        Ok(Some(_)) => Standing::Current,
    }
}

/// The cached index, if it is for this database at this generation, its
/// checksum holds and it reads whole.
pub fn read(db: &Path, kind: Kind, id: &str, generation: u64) -> Option<Index> {
    read_stamped(db, kind).and_then(|s| s.take(id, generation))
}

/// A derived file read whole (an index, the records), before the database
/// is asked which generation it is at, so both can be read at the same time.
pub struct Unchecked<T> {
    pub(super) database: String,
    pub(super) generation: u64,
    pub(super) value: T,
}

impl<T> Unchecked<T> {
    /// What the file holds, if it is the picture of `generation` of database `id`.
    pub fn take(self, id: &str, generation: u64) -> Option<T> {
        (self.database == id && self.generation == generation).then_some(self.value)
    }
}

/// The cache file of `kind`, if its checksum holds and it reads whole;
/// whether it is current is for [`Unchecked::take`] to say. For a process
/// that keeps the index and changes it: checked through a shared map as
/// [`map_stamped`] checks it, then mapped privately (see
/// `search::mapped::Private`), so nothing is copied and a change copies
/// only the pages it writes. Kept in the shared map when it cannot be
/// mapped privately (its first change then copies it), and read into
/// memory when it cannot be mapped at all.
pub fn read_stamped(db: &Path, kind: Kind) -> Option<Unchecked<Index>> {
    let file = std::fs::File::open(file(db, kind)).ok()?;
    match map_checked(&file) {
        Some(Ok(mut u)) => {
            // The shared map (and its pages in this process) goes with the
            // arrays it held: unmapped when this returns.
            u.value.privately(&file);
            Some(u)
        }
        Some(Err(())) => None,
        None => {
            // The file already open, not its path again.
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut &file, &mut bytes).ok()?;
            let ((database, generation), payload) = unframe(&bytes, MAGIC, SEARCH_CACHE_VERSION).ok()??;
            Some(Unchecked {
                database,
                generation,
                value: Index::read_bin(payload)?,
            })
        }
    }
}

/// The cache file of `kind` mapped into memory and checked as
/// [`read_stamped`] checks it, its arrays read in place rather than copied:
/// for a one-shot search, which reads each record once.
pub fn map_stamped(db: &Path, kind: Kind) -> Option<Unchecked<Index>> {
    map_checked(&std::fs::File::open(file(db, kind)).ok()?)?.ok()
}

/// `file` mapped (shared, read only) and checked: `None` when it cannot be
/// mapped, `Some(Err)` when it is not a whole cache file.
fn map_checked(file: &std::fs::File) -> Option<Result<Unchecked<Index>, ()>> {
    // SAFETY: cache files are never written in place, only replaced whole
    // by a rename (`store::write_atomically`), so the mapped file does not change.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(file) }.ok()?;
    let map: crate::search::Map = std::sync::Arc::new(map);
    let Some(((database, generation), payload, crc)) = frame(&map, MAGIC, SEARCH_CACHE_VERSION).ok().flatten() else {
        return Some(Err(()));
    };
    let at = payload.as_ptr() as usize - map.as_ptr() as usize;
    let range = at..at + payload.len();
    // The checksum on one core while the other checks the arrays (every
    // offset and boundary, as a copied read does): both must hold.
    let (sum, value) = std::thread::scope(|sc| {
        let sum = sc.spawn(|| crc32fast::hash(payload));
        let value = Index::map_bin(&map, range);
        (sum.join().ok(), value)
    });
    Some(match (sum, value) {
        (Some(sum), Some(value)) if sum_matches(sum, crc) => Ok(Unchecked {
            database,
            generation,
            value,
        }),
        _ => Err(()),
    })
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
        let bytes = std::fs::read(&path).expect("read");
        let swap = |from: &str, to: &str| -> Vec<u8> {
            let at = bytes
                .windows(from.len())
                .position(|w| w == from.as_bytes())
                .expect("in the file");
            [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
        };
        std::fs::write(&path, swap(codec::build_id(), "skillbridge-0.0.1+pinyin-0.1.0")).expect("other build");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        assert_eq!(
            standing(dir.path(), Kind::Trainees, "db1", 5),
            Some(Standing::OtherVersion)
        );
        let older = format!("{MAGIC} {} ", SEARCH_CACHE_VERSION - 1);
        std::fs::write(&path, swap(&format!("{MAGIC} {SEARCH_CACHE_VERSION} "), &older)).expect("older format");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        std::fs::write(&path, &bytes[..bytes.len() - 20]).expect("cut");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        assert!(matches!(
            verify(dir.path(), "db1", 5)[0].standing,
            Standing::Damaged { .. }
        ));
        // One byte changed: the checksum fails, and check says so.
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x10;
        std::fs::write(&path, &flipped).expect("one byte");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        assert_eq!(
            verify(dir.path(), "db1", 5)[0].standing,
            Standing::Damaged {
                why: "checksum mismatch".into()
            }
        );
        // A huge length field: refused before anything is reserved.
        let end = bytes.iter().position(|b| *b == b'\n').expect("stamp") + 1;
        let mut huge = bytes.clone();
        huge[end..end + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, &huge).expect("huge");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_none());
        std::fs::write(&path, &bytes).expect("whole again");
        assert!(read(dir.path(), Kind::Trainees, "db1", 5).is_some());
    }
}
