//! The persisted search index: per kind, each record's search line with its
//! pinyin forms and its shared texts, stamped with the store's generation
//! (which every write moves). A stale or damaged file is ignored and
//! rebuilt, never trusted.
//!
//! Format (UTF-8 text): the stamp line `skillbridge-search <version>
//! <build> <generation>` (see `store::codec::stamp`; the version is
//! `codec::SEARCH_CACHE_VERSION`), then the index as [`Index::write_tsv`]
//! writes it. A cache written by another version of skillbridge, or of the
//! pinyin tables, is rebuilt rather than read.

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

/// Write the index as the picture of `generation`.
pub fn write(db: &Path, kind: Kind, generation: u64, ix: &Index) -> std::io::Result<()> {
    write_atomically(&file(db, kind), |w| {
        writeln!(w, "{}", codec::stamp(MAGIC, SEARCH_CACHE_VERSION, generation))?;
        ix.write_tsv(w)
    })
}

/// The cached index, if it is for this generation and reads whole.
pub fn read(db: &Path, kind: Kind, generation: u64) -> Option<Index> {
    let text = std::fs::read_to_string(file(db, kind)).ok()?;
    let (header, rest) = text.split_once('\n')?;
    if codec::read_stamp(header, MAGIC, SEARCH_CACHE_VERSION)? != generation {
        return None;
    }
    Index::read_tsv(rest)
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
        write(dir.path(), Kind::Trainees, 5, &ix).expect("write");
        let back = read(dir.path(), Kind::Trainees, 5).expect("read");
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
        assert!(read(dir.path(), Kind::Trainees, 6).is_none());
        let path = file(dir.path(), Kind::Trainees);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(
            &path,
            text.replacen(codec::build_id(), "skillbridge-0.0.1+pinyin-0.1.0", 1),
        )
        .expect("other build");
        assert!(read(dir.path(), Kind::Trainees, 5).is_none());
        let older = format!("{MAGIC} {} ", SEARCH_CACHE_VERSION - 1);
        std::fs::write(
            &path,
            text.replacen(&format!("{MAGIC} {SEARCH_CACHE_VERSION} "), &older, 1),
        )
        .expect("older format");
        assert!(read(dir.path(), Kind::Trainees, 5).is_none());
        std::fs::write(&path, &text[..text.len() - 20]).expect("cut");
        assert!(read(dir.path(), Kind::Trainees, 5).is_none());
        std::fs::write(&path, text.replace("\n3\t1\t", "\n3\t99\t")).expect("bad list");
        assert!(read(dir.path(), Kind::Trainees, 5).is_none());
        let (head, rest) = text.split_once('\n').expect("header");
        let (_, after_counts) = rest.split_once('\n').expect("counts");
        std::fs::write(&path, format!("{head}\n100000000000 2 3\n{after_counts}")).expect("huge count");
        assert!(read(dir.path(), Kind::Trainees, 5).is_none());
    }
}
