//! `skillbridge search`: the workspace's search without the workspace. It
//! reads the persisted search index when it is current (see
//! `service::cache`), so a lookup does not load every record.
//! `SKILLBRIDGE_TIMING` prints how long each step took.

use super::args::SearchArgs;
use super::open_existing;
use anyhow::{Context, Result};
use skillbridge::domain::Kind;
use skillbridge::search::{Index, Query};
use skillbridge::service::{Service, cache};
use skillbridge::store::Store;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

fn timing() -> bool {
    std::env::var_os("SKILLBRIDGE_TIMING").is_some()
}

/// Search the database at `db` and print the results to standard output.
pub fn search(db: &Path, req: &SearchArgs) -> Result<ExitCode> {
    let kind = Kind::from_name(&req.kind).with_context(|| {
        format!(
            "unknown kind '{}': expected demands, classes, trainees, cases, institutions or enterprises",
            req.kind
        )
    })?;
    let t0 = Instant::now();
    let store = open_existing(db)?;
    if timing() {
        eprintln!("store opened in {:?}", t0.elapsed());
    }
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let ix = index_for(&store, kind)?;
    if req.lines {
        for (id, _, _) in ix.iter() {
            writeln!(out, "{}", ix.full_line(id).unwrap_or_default())?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    print_hits(&ix, kind, req, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// The index of a kind: from the cache when current, else built and cached.
fn index_for(store: &Store, kind: Kind) -> Result<Index> {
    let t0 = Instant::now();
    let generation = store.generation()?;
    let id = store.database_id()?;
    if timing() {
        eprintln!("generation read in {:?}", t0.elapsed());
    }
    if let Some(ix) = cache::read(store.path(), kind, &id, generation) {
        if timing() {
            eprintln!("index from cache in {:?}", t0.elapsed());
        }
        return Ok(ix);
    }
    // Opening the service builds the missing indexes and writes them to
    // the cache; wait for that so the next lookup finds them.
    let svc = Service::open(store.clone())?;
    svc.wait_for_search_cache();
    let ix = svc.read().index(kind).cloned().unwrap_or_default();
    if timing() {
        eprintln!("index built in {:?}", t0.elapsed());
    }
    Ok(ix)
}

/// The query's best matches, one line (or one JSON object) each.
fn print_hits(ix: &Index, kind: Kind, req: &SearchArgs, out: &mut dyn Write) -> Result<()> {
    let t0 = Instant::now();
    let q = Query::parse(req.query.as_deref().unwrap_or(""));
    let mut hits = ix.search(&q, None, &|| false).unwrap_or_default();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    if timing() {
        eprintln!("{} matches in {:?}", hits.len(), t0.elapsed());
    }
    for h in hits.iter().take(req.limit) {
        let Some(hay) = ix.get(h.id) else { continue };
        if req.json {
            let v = serde_json::json!({
                "kind": kind.name(),
                "id": h.id,
                "score": h.score,
                "line": hay.line(),
                "highlight": skillbridge::search::highlight(&hay, &q),
                "also": ix.tags_of(h.id),
            });
            writeln!(out, "{v}")?;
        } else {
            writeln!(out, "{}", ix.full_line(h.id).unwrap_or_default())?;
        }
    }
    if !req.json && hits.len() > req.limit {
        eprintln!("{} of {} matches shown (--limit)", req.limit, hits.len());
    }
    Ok(())
}
