//! Backup and restore: the whole database (cases and events included) in a
//! format of our own that a newer skillbridge on another machine can read.
//! Not sled's files: those are tied to sled's on-disk format and version.
//!
//! # Format (version 2)
//!
//! A UTF-8 text file, one item per line (`\n`):
//!
//! ```text
//! SKILLBRIDGE-BACKUP 2                       magic and format version
//! header {"schema":1,"program":"0.1.0","created":"…","counts":{"meta":2,"institution":30,…}}
//! meta 1 {"key":"demo","value":"…"}          settings (schema_version is not kept: restore writes its own)
//! pack 1 {"key":"…","value":"…"}             the city pack: pack, pack_region, pack_occupation,
//! …                                          pack_program, pack_alliance
//! institution 1 {…}                          KIND RECORD-VERSION JSON, by kind in this order:
//! enterprise 1 {…}                           institution, enterprise, demand, class, trainee,
//! …                                          case, event
//! wish 1 {"key":"…","value":"…"}             then the wishes and subsidies: wish, wish_event,
//! …                                          wish_waiting, standards, claim, claim_event, subsidy_index
//! end 1 {"records":N,"crc32":"89abcdef"}     N item lines above; CRC-32 (IEEE) of every byte before this line
//! ```
//!
//! The pack, wish and subsidy lines are their tree's entries as stored
//! (`store::carried`): key and value in hex, each value the store's own
//! versioned envelope. The pack comes before the records, which are
//! checked against its regions and trades. Version 1 (before these kinds)
//! is still read: it restores with no wishes or claims, no standard table
//! and Zhenjiang's pack, as the migration gives a database written before
//! them. A group (pack, wishes, subsidies) the file holds replaces the new
//! database's default for it whole.
//!
//! `schema` is the schema of the records the file holds (`RECORDS_SCHEMA`:
//! the last database schema that changed a record; 1). A database schema
//! that only changes indexes or counters, which a backup never holds, does
//! not change it, so such a backup still restores into an older program.
//!
//! Each record is the record's serde JSON with its id, at the record version
//! the store writes (`Record::VERSION`, `EVENT_VERSION`); a newer program
//! migrates older versions and refuses newer ones. Indexes and seat and
//! headcount counters are not kept: restore rebuilds them from the records.

use crate::domain::*;
use crate::store::bulk::BulkWriter;
use crate::store::{DemandUsage, EVENT_VERSION, RECORDS_SCHEMA, Record, Store, StoreError, TreeName};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const MAGIC: &str = "SKILLBRIDGE-BACKUP";
pub const FORMAT_VERSION: u32 = 2;

/// Records restored between flushes. sled holds a large batch in memory
/// until it is flushed: restoring 100k trainees peaked at 730 MB RSS with
/// the BulkWriter's own 20k batches, 290 MB flushing every 2,000 and 110 MB
/// (check included) every 500, which was also the fastest.
const FLUSH_EVERY: u64 = 500;

/// The kinds in file order.
pub const KINDS: [&str; 20] = [
    "meta",
    "pack",
    "pack_region",
    "pack_occupation",
    "pack_program",
    "pack_alliance",
    "institution",
    "enterprise",
    "demand",
    "class",
    "trainee",
    "case",
    "event",
    "wish",
    "wish_event",
    "wish_waiting",
    "standards",
    "claim",
    "claim_event",
    "subsidy_index",
];

/// The kinds a version 1 backup holds (every count line shows them).
pub const RECORD_KINDS: [&str; 8] = [
    "meta",
    "institution",
    "enterprise",
    "demand",
    "class",
    "trainee",
    "case",
    "event",
];

/// The carried kinds a summary line shows (when its counts hold them).
pub const SHOWN_CARRIED: [&str; 6] = ["wish", "wish_event", "standards", "claim", "claim_event", "pack"];

/// A carried kind's tree (`store::carried`) and group; `None` for a record kind.
pub fn carried_tree(kind: &str) -> Option<(&'static str, Group)> {
    use crate::store::{pack, subsidy, wish};
    Some(match kind {
        "pack" => (pack::PACK_CITY, Group::Pack),
        "pack_region" => (pack::PACK_REGIONS, Group::Pack),
        "pack_occupation" => (pack::PACK_OCCUPATIONS, Group::Pack),
        "pack_program" => (pack::PACK_PROGRAMS, Group::Pack),
        "pack_alliance" => (pack::PACK_ALLIANCES, Group::Pack),
        "wish" => (wish::INBOX_TREE, Group::Wish),
        "wish_event" => (wish::EVENTS_TREE, Group::Wish),
        "wish_waiting" => (wish::WAITING_TREE, Group::Wish),
        "standards" => (subsidy::STANDARDS_TREE, Group::Subsidy),
        "claim" => (subsidy::CLAIMS_TREE, Group::Subsidy),
        "claim_event" => (subsidy::CLAIM_EVENTS_TREE, Group::Subsidy),
        "subsidy_index" => (subsidy::INDEX_TREE, Group::Subsidy),
        _ => return None,
    })
}

/// Carried trees that a restore replaces together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Pack,
    Wish,
    Subsidy,
}

impl Group {
    fn kinds(self) -> impl Iterator<Item = &'static str> {
        KINDS
            .iter()
            .copied()
            .filter(move |k| carried_tree(k).map(|(_, g)| g) == Some(self))
    }
}

/// One entry of a carried tree, as a line holds it.
#[derive(Debug, Serialize, Deserialize)]
struct RawLine {
    key: String,
    value: String,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} already exists: choose another file name or move it away (a backup never overwrites a file)")]
    Exists { path: PathBuf },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path} is not a skillbridge backup: its first line is '{found}', expected '{MAGIC} <version>'")]
    NotBackup { path: PathBuf, found: String },
    #[error(
        "{path} is backup format {found}, newer than this skillbridge reads (up to {supported}): restore it with a newer skillbridge"
    )]
    NewerFormat { path: PathBuf, found: u32, supported: u32 },
    #[error(
        "{path} holds schema version {found}, newer than this skillbridge reads (up to {supported}): restore it with a newer skillbridge"
    )]
    NewerSchema { path: PathBuf, found: u32, supported: u32 },
    #[error("{path}:{line}: {detail}")]
    Damaged { path: PathBuf, line: usize, detail: String },
    #[error(
        "{path} ends before its closing 'end' line: the file is cut short (an interrupted copy?); nothing was restored"
    )]
    Truncated { path: PathBuf },
    #[error(
        "{path}: checksum mismatch (the file says {expected}, its content gives {found}): the file is damaged; nothing was restored"
    )]
    Checksum {
        path: PathBuf,
        expected: String,
        found: String,
    },
    #[error("{path}: the header counts {expected} {kind} records but the file holds {found}; nothing was restored")]
    Counts {
        path: PathBuf,
        kind: String,
        expected: u64,
        found: u64,
    },
    #[error(
        "{path} already holds a database{detail}: restore never overwrites one. Restore into a new path with --db PATH, or move that directory away"
    )]
    NotEmpty { path: PathBuf, detail: String },
    #[error(
        "{path}{detail}: restore makes a new database directory there, so the path must not exist or be an empty directory; nothing was restored. Give another path with --db PATH"
    )]
    NotADirectory { path: PathBuf, detail: String },
    #[error("the restored database fails its check ({} problems, first: {}); nothing was put at {path}", .problems.len(), .problems.first().map(String::as_str).unwrap_or(""))]
    Check { path: PathBuf, problems: Vec<String> },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Header {
    pub schema: u32,
    pub program: String,
    /// RFC 3339, UTC.
    pub created: String,
    pub counts: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    records: u64,
    crc32: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct MetaEntry {
    key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    /// A value that is not UTF-8, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hex: Option<String>,
}

/// What a backup or restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub path: PathBuf,
    pub counts: BTreeMap<String, u64>,
}

impl Summary {
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
    pub fn describe(&self) -> String {
        let parts: Vec<String> = RECORD_KINDS
            .iter()
            .chain(SHOWN_CARRIED.iter().filter(|k| self.counts.contains_key(**k)))
            .map(|k| format!("{} {k}", self.counts.get(*k).copied().unwrap_or(0)))
            .collect();
        parts.join(", ")
    }
}

struct Out<W: Write> {
    w: W,
    crc: crc32fast::Hasher,
    lines: u64,
}

impl<W: Write> Out<W> {
    fn line(&mut self, s: &str) -> std::io::Result<()> {
        self.crc.update(s.as_bytes());
        self.crc.update(b"\n");
        self.w.write_all(s.as_bytes())?;
        self.w.write_all(b"\n")
    }
    fn item(&mut self, kind: &str, version: u16, json: &str) -> std::io::Result<()> {
        self.lines += 1;
        self.line(&format!("{kind} {version} {json}"))
    }
}

fn to_json<T: Serialize>(path: &Path, what: &str, v: &T) -> Result<String, BackupError> {
    serde_json::to_string(v).map_err(|e| BackupError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(format!("{what} cannot be written as JSON: {e}")),
    })
}

/// Meta keys a backup never carries: the schema (restore writes its own)
/// and the database's identity (a restore is a new database, with its own).
const NOT_BACKED_UP: [&str; 2] = ["schema_version", crate::store::DATABASE_ID];

fn meta_entry(key: String, v: &[u8]) -> MetaEntry {
    match std::str::from_utf8(v) {
        Ok(s) => MetaEntry {
            key,
            value: Some(s.to_string()),
            hex: None,
        },
        Err(_) => MetaEntry {
            key,
            value: None,
            hex: Some(hex(v)),
        },
    }
}

/// Everything a backup holds, in memory.
#[derive(Debug, Default, Clone)]
pub struct Contents {
    /// Settings: (key, value).
    pub meta: Vec<(String, Vec<u8>)>,
    pub institutions: Vec<Institution>,
    pub enterprises: Vec<Enterprise>,
    pub demands: Vec<JobDemand>,
    pub classes: Vec<TrainingClass>,
    pub trainees: Vec<Trainee>,
    pub cases: Vec<Case>,
    pub events: Vec<Event>,
    /// Carried trees' entries by kind (`carried_tree`); a kind not here
    /// has none.
    pub carried: BTreeMap<String, Vec<crate::store::carried::RawEntry>>,
}

impl Contents {
    /// Every record of a database.
    pub fn read(store: &Store) -> Result<Contents, StoreError> {
        let mut meta = Vec::new();
        for (k, v) in store.read_tree(TreeName::Meta)? {
            meta.push((String::from_utf8_lossy(&k).into_owned(), v));
        }
        Ok(Contents {
            meta,
            institutions: store.all()?,
            enterprises: store.all()?,
            demands: store.all()?,
            classes: store.all()?,
            trainees: store.all()?,
            cases: store.all()?,
            events: store.all_events()?,
            carried: KINDS
                .iter()
                .filter_map(|k| carried_tree(k).map(|(t, _)| (k, t)))
                .map(|(k, t)| Ok((k.to_string(), store.carried_entries(t)?)))
                .collect::<Result<_, StoreError>>()?,
        })
    }

    pub fn counts(&self) -> BTreeMap<String, u64> {
        let meta = self
            .meta
            .iter()
            .filter(|(k, _)| !NOT_BACKED_UP.contains(&k.as_str()))
            .count();
        let mut counts: BTreeMap<String, u64> = RECORD_KINDS
            .iter()
            .zip([
                meta,
                self.institutions.len(),
                self.enterprises.len(),
                self.demands.len(),
                self.classes.len(),
                self.trainees.len(),
                self.cases.len(),
                self.events.len(),
            ])
            .map(|(k, n)| (k.to_string(), n as u64))
            .collect();
        // Only the kinds read (a salvage reads none of them).
        for (k, v) in &self.carried {
            counts.insert(k.clone(), v.len() as u64);
        }
        counts
    }
}

/// Write a backup of the whole database to `path` (which must not exist).
/// The file appears whole or not at all: it is written beside `path` and
/// renamed into place after it is synced. The store is held by this process
/// for the whole backup, so no write can land in between: the snapshot is
/// consistent.
pub fn backup(store: &Store, path: &Path) -> Result<Summary, BackupError> {
    if path.exists() {
        return Err(BackupError::Exists {
            path: path.to_path_buf(),
        });
    }
    write(&Contents::read(store)?, path)
}

/// Write `contents` as a backup file at `path` (which must not exist),
/// whole or not at all.
pub fn write(contents: &Contents, path: &Path) -> Result<Summary, BackupError> {
    let io = |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.exists() {
        return Err(BackupError::Exists {
            path: path.to_path_buf(),
        });
    }
    let counts = contents.counts();
    let header = Header {
        schema: RECORDS_SCHEMA,
        program: env!("CARGO_PKG_VERSION").to_string(),
        created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        counts: counts.clone(),
    };
    let tmp = path.with_file_name(format!(
        ".{}.part",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut out = Out {
        w: std::io::BufWriter::new(file),
        crc: crc32fast::Hasher::new(),
        lines: 0,
    };
    let result = (|| -> Result<(), BackupError> {
        out.line(&format!("{MAGIC} {FORMAT_VERSION}")).map_err(io)?;
        out.line(&format!("header {}", to_json(path, "the header", &header)?))
            .map_err(io)?;
        for (k, v) in &contents.meta {
            if NOT_BACKED_UP.contains(&k.as_str()) {
                continue;
            }
            let m = meta_entry(k.clone(), v);
            out.item("meta", 1, &to_json(path, "a setting", &m)?).map_err(io)?;
        }
        fn carried<W: Write>(out: &mut Out<W>, c: &Contents, group: Group, path: &Path) -> Result<(), BackupError> {
            for kind in group.kinds() {
                for (k, v) in c.carried.get(kind).map(Vec::as_slice).unwrap_or(&[]) {
                    let line = RawLine {
                        key: hex(k),
                        value: hex(v),
                    };
                    out.item(kind, 1, &to_json(path, kind, &line)?)
                        .map_err(|source| BackupError::Io {
                            path: path.to_path_buf(),
                            source,
                        })?;
                }
            }
            Ok(())
        }
        carried(&mut out, contents, Group::Pack, path)?;
        fn records<R: Record, W: Write>(
            out: &mut Out<W>,
            kind: &str,
            items: &[R],
            path: &Path,
        ) -> Result<(), BackupError> {
            for r in items {
                crate::store::progress::tick();
                let json = to_json(path, R::NAME, r)?;
                out.item(kind, R::VERSION, &json).map_err(|source| BackupError::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
            }
            Ok(())
        }
        records(&mut out, "institution", &contents.institutions, path)?;
        records(&mut out, "enterprise", &contents.enterprises, path)?;
        records(&mut out, "demand", &contents.demands, path)?;
        records(&mut out, "class", &contents.classes, path)?;
        records(&mut out, "trainee", &contents.trainees, path)?;
        records(&mut out, "case", &contents.cases, path)?;
        for ev in &contents.events {
            out.item("event", EVENT_VERSION, &to_json(path, "an event", ev)?)
                .map_err(io)?;
        }
        carried(&mut out, contents, Group::Wish, path)?;
        carried(&mut out, contents, Group::Subsidy, path)?;
        let trailer = Trailer {
            records: out.lines,
            crc32: format!("{:08x}", out.crc.clone().finalize()),
        };
        let t = format!("end 1 {}\n", to_json(path, "the trailer", &trailer)?);
        out.w.write_all(t.as_bytes()).map_err(io)?;
        let file = out.w.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(Summary {
        path: path.to_path_buf(),
        counts,
    })
}

fn holds_anything(path: &Path) -> bool {
    std::fs::read_dir(path).map(|mut d| d.next().is_some()).unwrap_or(false)
}

/// Restore a backup into a new database at `target`: refuses a directory
/// that holds anything, builds into a scratch directory beside it, rebuilds
/// indexes and counters, runs `check`, and only then renames it into place.
pub fn restore(file: &Path, target: &Path) -> Result<Summary, BackupError> {
    if target.exists() && !target.is_dir() {
        return Err(BackupError::NotADirectory {
            path: target.to_path_buf(),
            detail: " is a file".into(),
        });
    }
    if holds_anything(target) && !target.join("db").exists() {
        // Never open (and so create) a database among someone's files.
        return Err(BackupError::NotADirectory {
            path: target.to_path_buf(),
            detail: " is a directory that holds other files".into(),
        });
    }
    if holds_anything(target) {
        let detail = match Store::open(target) {
            Ok(s) => {
                let n: usize = [
                    s.count::<Institution>(),
                    s.count::<Enterprise>(),
                    s.count::<JobDemand>(),
                    s.count::<TrainingClass>(),
                    s.count::<Trainee>(),
                    s.count::<Case>(),
                ]
                .iter()
                .sum();
                format!(" ({n} records)")
            }
            Err(e) => format!(" ({e})"),
        };
        return Err(BackupError::NotEmpty {
            path: target.to_path_buf(),
            detail,
        });
    }
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| BackupError::Io {
        path: parent.to_path_buf(),
        source,
    })?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    let scratch = parent.join(format!(".{name}.restoring-{}", std::process::id()));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|source| BackupError::Io {
            path: scratch.clone(),
            source,
        })?;
    }
    let result = (|| {
        let store = Store::open(&scratch)?;
        let summary = load(file, &store)?;
        let report = store.check();
        if !report.problems.is_empty() {
            return Err(BackupError::Check {
                path: target.to_path_buf(),
                problems: report.problems.iter().map(|p| p.to_string()).collect(),
            });
        }
        store.flush()?;
        Ok(summary)
    })();
    match result {
        Ok(summary) => {
            if target.exists() {
                // An empty directory: rename(2) replaces it, but be explicit.
                let _ = std::fs::remove_dir(target);
            }
            if let Err(source) = std::fs::rename(&scratch, target) {
                let _ = std::fs::remove_dir_all(&scratch);
                return Err(BackupError::Io {
                    path: target.to_path_buf(),
                    source,
                });
            }
            Ok(Summary {
                path: target.to_path_buf(),
                counts: summary.counts,
            })
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&scratch);
            Err(e)
        }
    }
}

/// Stream the file into an empty store (used by `restore`).
fn load(file: &Path, store: &Store) -> Result<Summary, BackupError> {
    let io = |source| BackupError::Io {
        path: file.to_path_buf(),
        source,
    };
    let damaged = |line: usize, detail: String| BackupError::Damaged {
        path: file.to_path_buf(),
        line,
        detail,
    };
    let mut reader = Lines {
        r: BufReader::new(std::fs::File::open(file).map_err(io)?),
        n: 0,
    };
    let mut crc = crc32fast::Hasher::new();
    let mut buf = String::new();
    let next = |reader: &mut Lines, buf: &mut String| -> Result<bool, BackupError> {
        reader.next(buf).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => damaged(reader.n + 1, "not UTF-8 text".into()),
            _ => io(e),
        })
    };

    // Magic and format version.
    if !next(&mut reader, &mut buf)? {
        return Err(BackupError::NotBackup {
            path: file.to_path_buf(),
            found: String::new(),
        });
    }
    crc.update(buf.as_bytes());
    let first = buf.trim_end().to_string();
    let version = first
        .strip_prefix(MAGIC)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .ok_or_else(|| BackupError::NotBackup {
            path: file.to_path_buf(),
            found: first.chars().take(40).collect(),
        })?;
    if version > FORMAT_VERSION {
        return Err(BackupError::NewerFormat {
            path: file.to_path_buf(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }

    // Header.
    if !next(&mut reader, &mut buf)? {
        return Err(BackupError::Truncated {
            path: file.to_path_buf(),
        });
    }
    crc.update(buf.as_bytes());
    let header: Header = buf
        .trim_end()
        .strip_prefix("header ")
        .ok_or_else(|| damaged(2, "expected the 'header' line".into()))
        .and_then(|j| serde_json::from_str(j).map_err(|e| damaged(2, format!("header: {e}"))))?;
    if header.schema > RECORDS_SCHEMA {
        return Err(BackupError::NewerSchema {
            path: file.to_path_buf(),
            found: header.schema,
            supported: RECORDS_SCHEMA,
        });
    }

    let mut w = BulkWriter::new(store);
    let mut counts: BTreeMap<String, u64> = KINDS.iter().map(|k| (k.to_string(), 0)).collect();
    let mut meta: Vec<(String, Vec<u8>)> = Vec::new();
    let mut seats: HashMap<ClassId, u32> = HashMap::new();
    let mut usage: HashMap<DemandId, DemandUsage> = HashMap::new();
    let mut max_id = 0u64;
    let mut items = 0u64;
    let mut last_kind = 0usize;
    // Groups whose defaults the file replaced; whether the pack is installed.
    let mut replaced: Vec<Group> = Vec::new();
    let mut catalog_pending = false;
    let trailer: Trailer = loop {
        if !next(&mut reader, &mut buf)? {
            return Err(BackupError::Truncated {
                path: file.to_path_buf(),
            });
        }
        let line_no = reader.n;
        if !buf.ends_with('\n') {
            // The last line stops mid-way: an interrupted copy, not bad JSON.
            return Err(BackupError::Truncated {
                path: file.to_path_buf(),
            });
        }
        let line = buf.trim_end_matches('\n');
        let mut parts = line.splitn(3, ' ');
        let (kind, ver, json) = match (parts.next(), parts.next(), parts.next()) {
            (Some(k), Some(v), Some(j)) => (k, v, j),
            _ => return Err(damaged(line_no, "expected 'KIND VERSION JSON'".into())),
        };
        let ver: u16 = ver
            .parse()
            .map_err(|_| damaged(line_no, format!("record version '{ver}' is not a number")))?;
        if kind == "end" {
            break serde_json::from_str(json).map_err(|e| damaged(line_no, format!("end line: {e}")))?;
        }
        crc.update(buf.as_bytes());
        let Some(pos) = KINDS.iter().position(|k| *k == kind) else {
            return Err(damaged(
                line_no,
                format!("unknown kind '{kind}': expected one of {}", KINDS.join(", ")),
            ));
        };
        if pos < last_kind {
            return Err(damaged(
                line_no,
                format!("'{kind}' after '{}': out of order", KINDS[last_kind]),
            ));
        }
        last_kind = pos;
        if version < 2 && !RECORD_KINDS.contains(&kind) {
            return Err(damaged(
                line_no,
                format!(
                    "'{kind}' in a format {version} backup, which holds only {}",
                    RECORD_KINDS.join(", ")
                ),
            ));
        }
        if catalog_pending && carried_tree(kind).is_none() {
            // The records that follow are checked against the restored pack.
            store.install_catalog()?;
            catalog_pending = false;
        }
        items += 1;
        if items.is_multiple_of(FLUSH_EVERY) {
            // Apply and flush, so sled does not hold the whole file in memory.
            std::mem::replace(&mut w, BulkWriter::new(store)).finish()?;
        }
        if let Some(c) = counts.get_mut(kind) {
            *c += 1;
        }
        if let Some((tree, group)) = carried_tree(kind) {
            if ver > 1 {
                return Err(damaged(
                    line_no,
                    format!(
                        "{kind} line version {ver} is newer than this skillbridge reads (up to 1): restore with a newer skillbridge"
                    ),
                ));
            }
            let raw: RawLine = serde_json::from_str(json).map_err(|e| damaged(line_no, format!("{kind}: {e}")))?;
            let (Some(k), Some(v)) = (unhex(&raw.key), unhex(&raw.value)) else {
                return Err(damaged(line_no, format!("{kind}: key and value must be hex")));
            };
            if !replaced.contains(&group) {
                replaced.push(group);
                for kind in group.kinds() {
                    if let Some((t, _)) = carried_tree(kind) {
                        store.clear_carried_tree(t)?;
                    }
                }
            }
            store.put_carried(tree, &k, &v)?;
            if group == Group::Pack {
                catalog_pending = true;
            }
            continue;
        }
        match kind {
            "meta" => {
                let m: MetaEntry = parse(json, ver, 1, line_no, kind, file)?;
                if NOT_BACKED_UP.contains(&m.key.as_str()) {
                    continue;
                }
                let value = match (m.value, m.hex) {
                    (Some(v), _) => v.into_bytes(),
                    (None, Some(h)) => unhex(&h).ok_or_else(|| damaged(line_no, "meta: bad hex".into()))?,
                    (None, None) => Vec::new(),
                };
                meta.push((m.key, value));
            }
            "institution" => put::<Institution>(&mut w, json, ver, line_no, file, &mut max_id)?,
            "enterprise" => put::<Enterprise>(&mut w, json, ver, line_no, file, &mut max_id)?,
            "demand" => put::<JobDemand>(&mut w, json, ver, line_no, file, &mut max_id)?,
            "class" => put::<TrainingClass>(&mut w, json, ver, line_no, file, &mut max_id)?,
            "trainee" => put::<Trainee>(&mut w, json, ver, line_no, file, &mut max_id)?,
            "case" => {
                let c: Case = parse(json, ver, Case::VERSION, line_no, kind, file)?;
                if c.state.holds_seat() {
                    *seats.entry(c.class).or_default() += 1;
                }
                if let Some(d) = c.state.referral() {
                    usage.entry(d).or_default().referred += 1;
                }
                if let Some(d) = c.state.hired() {
                    usage.entry(d).or_default().hired += 1;
                }
                max_id = max_id.max(c.id.0);
                w.put(&c)?;
            }
            _ => {
                let ev: Event = parse(json, ver, EVENT_VERSION, line_no, kind, file)?;
                w.put_event(&ev)?;
            }
        }
    };
    let found = format!("{:08x}", crc.finalize());
    if found != trailer.crc32 {
        return Err(BackupError::Checksum {
            path: file.to_path_buf(),
            expected: trailer.crc32,
            found,
        });
    }
    if trailer.records != items {
        return Err(BackupError::Counts {
            path: file.to_path_buf(),
            kind: "item".into(),
            expected: trailer.records,
            found: items,
        });
    }
    for k in KINDS {
        let expected = header.counts.get(k).copied().unwrap_or(0);
        let got = counts.get(k).copied().unwrap_or(0);
        if expected != got {
            return Err(BackupError::Counts {
                path: file.to_path_buf(),
                kind: k.to_string(),
                expected,
                found: got,
            });
        }
    }
    if catalog_pending {
        store.install_catalog()?;
    }
    for (class, n) in seats {
        w.set_seats_used(class, n)?;
    }
    for (demand, u) in usage {
        w.set_demand_usage(demand, u)?;
    }
    w.finish()?;
    for (k, v) in meta {
        store.set_meta(&k, &String::from_utf8_lossy(&v))?;
    }
    store.advance_ids_past(max_id)?;
    Ok(Summary {
        path: file.to_path_buf(),
        counts,
    })
}

struct Lines {
    r: BufReader<std::fs::File>,
    /// Lines read so far (the last one read is line `n`).
    n: usize,
}

impl Lines {
    fn next(&mut self, buf: &mut String) -> std::io::Result<bool> {
        buf.clear();
        let read = self.r.read_line(buf)?;
        if read > 0 {
            self.n += 1;
            // A line read is work done: the command's watchdog must not
            // take a long backup's reading for a hang.
            crate::store::progress::tick();
        }
        Ok(read > 0)
    }
}

fn parse<T: DeserializeOwned>(
    json: &str,
    ver: u16,
    supported: u16,
    line: usize,
    kind: &str,
    file: &Path,
) -> Result<T, BackupError> {
    if ver > supported {
        return Err(BackupError::Damaged {
            path: file.to_path_buf(),
            line,
            detail: format!(
                "{kind} record version {ver} is newer than this skillbridge reads (up to {supported}): restore with a newer skillbridge"
            ),
        });
    }
    serde_json::from_str(json).map_err(|e| BackupError::Damaged {
        path: file.to_path_buf(),
        line,
        detail: format!("{kind}: {e}"),
    })
}

/// A restored record is checked field by field with the rules a save
/// applies (a backup whose checksum holds may still have been edited, or
/// written by a program with a bug): an ID number's check digit and birth
/// date, a mobile's digits, a region or trade that exists.
trait Checked: Record {
    fn check_fields(&self) -> Result<(), String>;
}

fn editable<R: crate::store::Editable>(r: &R) -> Result<(), String> {
    crate::store::Editable::validate(r).map_err(|e| e.to_string())
}

impl Checked for Institution {
    fn check_fields(&self) -> Result<(), String> {
        editable(self)
    }
}
impl Checked for Enterprise {
    fn check_fields(&self) -> Result<(), String> {
        editable(self)
    }
}
impl Checked for JobDemand {
    fn check_fields(&self) -> Result<(), String> {
        editable(self)
    }
}
impl Checked for TrainingClass {
    fn check_fields(&self) -> Result<(), String> {
        editable(self)
    }
}
impl Checked for Trainee {
    fn check_fields(&self) -> Result<(), String> {
        // The text form is parsed again: a stored number is not re-checked by serde.
        let today = chrono::Utc::now().date_naive();
        IdNumber::parse_on(self.id_number.as_str(), today)
            .map_err(|e| format!("trainee {}: field 'id_number': {e}", self.id))?;
        if let Some(m) = &self.mobile {
            Mobile::parse(m.as_str()).map_err(|e| format!("trainee {}: field 'mobile': {e}", self.id))?;
        }
        editable(self)
    }
}

fn put<R: Checked>(
    w: &mut BulkWriter<'_>,
    json: &str,
    ver: u16,
    line: usize,
    file: &Path,
    max_id: &mut u64,
) -> Result<(), BackupError> {
    let r: R = parse(json, ver, R::VERSION, line, R::NAME, file)?;
    r.check_fields().map_err(|detail| BackupError::Damaged {
        path: file.to_path_buf(),
        line,
        detail: format!("{detail}; nothing was restored"),
    })?;
    *max_id = (*max_id).max(r.key());
    w.put(&r)?;
    Ok(())
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}
