//! `skillbridge search`: the workspace's search without the workspace. It
//! reads the persisted search index when it is current (see `cache`), so a
//! lookup does not load every record.

use super::cache;
use crate::domain::Kind;
use crate::search::{Index, Query};
use crate::store::{Result, Store};
use std::io::Write;
use std::time::Instant;

fn timing() -> bool {
    std::env::var_os("SKILLBRIDGE_TIMING").is_some()
}

/// The index of a kind: from the cache when current, else built and cached.
pub fn index_for(store: &Store, kind: Kind) -> Result<Index> {
    let t0 = Instant::now();
    let generation = store.generation()?;
    if timing() {
        eprintln!("generation read in {:?}", t0.elapsed());
    }
    if let Some(ix) = cache::read(store.path(), kind, generation) {
        if timing() {
            eprintln!("index from cache in {:?}", t0.elapsed());
        }
        return Ok(ix);
    }
    // Opening the service builds the missing indexes and writes them to
    // the cache; wait for that so the next lookup finds them.
    let svc = super::Service::open(store.clone())?;
    svc.wait_for_search_cache();
    let ix = svc.read().index(kind).cloned().unwrap_or_default();
    if timing() {
        eprintln!("index built in {:?}", t0.elapsed());
    }
    Ok(ix)
}

pub fn cli_search(
    store: &Store,
    kind: Kind,
    query: Option<&str>,
    limit: usize,
    json: bool,
    lines: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let ix = index_for(store, kind)?;
    if lines {
        for (id, _, _) in ix.iter() {
            writeln!(out, "{}", ix.full_line(id).unwrap_or_default())?;
        }
        return Ok(());
    }
    let t0 = Instant::now();
    let q = Query::parse(query.unwrap_or(""));
    let mut hits = ix.search(&q, None, &|| false).unwrap_or_default();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    if timing() {
        eprintln!("{} matches in {:?}", hits.len(), t0.elapsed());
    }
    for h in hits.iter().take(limit) {
        let Some(hay) = ix.get(h.id) else { continue };
        if json {
            let v = serde_json::json!({
                "kind": kind.name(),
                "id": h.id,
                "score": h.score,
                "line": hay.line(),
                "highlight": crate::search::highlight(&hay, &q),
                "also": ix.tags_of(h.id),
            });
            writeln!(out, "{v}")?;
        } else {
            writeln!(out, "{}", ix.full_line(h.id).unwrap_or_default())?;
        }
    }
    if !json && hits.len() > limit {
        eprintln!("{} of {} matches shown (--limit)", limit, hits.len());
    }
    Ok(())
}
