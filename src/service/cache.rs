//! The persisted search index: per kind, each record's search line with its
//! pinyin forms, stamped with the store's generation (which every write
//! moves). A stale or damaged file is ignored and rebuilt, never trusted.
//!
//! Format (UTF-8 text): `skillbridge-search 1 <generation> <count>` then one
//! record per line, `id TAB line TAB initials TAB pinyin`.

use super::rows::Kind;
use crate::search::{Hay, Index};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const MAGIC: &str = "skillbridge-search 1";

pub fn dir(db: &Path) -> PathBuf {
    db.join("search-cache")
}

fn file(db: &Path, kind: Kind) -> PathBuf {
    dir(db).join(format!("{}.tsv", kind.name()))
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Write the index atomically (a temp file renamed over the old one).
pub fn write(db: &Path, kind: Kind, generation: u64, ix: &Index) -> std::io::Result<()> {
    std::fs::create_dir_all(dir(db))?;
    let path = file(db, kind);
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    {
        let mut w = BufWriter::new(std::fs::File::create(&tmp)?);
        writeln!(w, "{MAGIC} {generation} {}", ix.len())?;
        for (id, hay) in ix.iter() {
            writeln!(
                w,
                "{id}\t{}\t{}\t{}",
                clean(&hay.line),
                clean(&hay.initials),
                clean(&hay.pinyin)
            )?;
        }
        w.flush()?;
    }
    std::fs::rename(&tmp, &path)
}

/// The cached index, if it is for this generation and reads whole.
pub fn read(db: &Path, kind: Kind, generation: u64) -> Option<Index> {
    let text = std::fs::read_to_string(file(db, kind)).ok()?;
    let mut lines = text.split('\n');
    let header = lines.next()?;
    let rest = header.strip_prefix(MAGIC)?.trim();
    let mut parts = rest.split(' ');
    let gen_found: u64 = parts.next()?.parse().ok()?;
    let count: usize = parts.next()?.parse().ok()?;
    if gen_found != generation {
        return None;
    }
    let mut ix = Index::new();
    for l in lines.filter(|l| !l.is_empty()) {
        let mut f = l.splitn(4, '\t');
        let id: u64 = f.next()?.parse().ok()?;
        let line = f.next()?;
        let initials = f.next()?;
        let pinyin = f.next()?;
        ix.upsert(
            id,
            Hay::from_parts(line.to_string(), initials.to_string(), pinyin.to_string()),
        );
    }
    (ix.len() == count).then_some(ix)
}
