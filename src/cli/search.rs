//! `skillbridge search`: the workspace's search without the workspace. It
//! maps the persisted search index when it is current (see
//! `service::cache`), so a lookup does not load every record; on a
//! database at rest (see `store::at_rest`) it does not even open sled.
//! `SKILLBRIDGE_TIMING` prints how long each step took, and which way.
//!
//! ID numbers and mobiles are printed masked (`3211**********1234`,
//! `139****1111`), as on screen; a search by a whole or partial number
//! still finds them. `--reveal` prints them whole, for an admin, and is
//! recorded as a reveal of every trainee printed.

use super::args::SearchArgs;
use super::{Globals, open_existing};
use anyhow::Result;
use skillbridge::domain::{Kind, mask_numbers};
use skillbridge::search::{Index, Query};
use skillbridge::service::access::{AccessKind, Action};
use skillbridge::service::{Service, cache};
use skillbridge::store::Store;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

fn timing() -> bool {
    std::env::var_os("SKILLBRIDGE_TIMING").is_some()
}

/// Search the database and print the results to standard output.
pub fn search(g: &Globals, req: &SearchArgs) -> Result<ExitCode> {
    let by = super::access::require(
        g,
        if req.reveal {
            Action::ExportPersonal
        } else {
            Action::Read
        },
    )?;
    let db = &g.db_path();
    let kind = Kind::from_name(&req.kind).ok_or_else(|| skillbridge::say::cli::CliError::UnknownSearchKind {
        value: req.kind.clone(),
    })?;
    let t0 = Instant::now();
    // A database at rest (closed, unchanged since a command recorded its
    // generation) with a current cached index is searched without being
    // opened: sled's open alone takes half a second at a million records.
    // A reveal is recorded in the database, so it always opens it.
    if !req.reveal
        && let Some(ix) = at_rest_index(db, kind)
    {
        if timing() {
            eprintln!("database at rest, index mapped in {:?}", t0.elapsed());
        }
        print_index(&ix, kind, req)?;
        // Nothing to hand back: the process ends here.
        std::mem::forget(ix);
        return Ok(ExitCode::SUCCESS);
    }
    // The cached index is mapped while sled opens; it is used only if its
    // stamp then matches the database's identity and generation.
    let (store, cached) = std::thread::scope(|sc| {
        let cached = sc.spawn(|| cache::map_stamped(db, kind));
        let store = open_existing(db);
        (store, cached.join().ok().flatten())
    });
    let store = store?;
    if timing() {
        eprintln!("store opened (and the cache mapped) in {:?}", t0.elapsed());
    }
    let ix = index_for(&store, kind, cached)?;
    let shown = print_index(&ix, kind, req)?;
    // The process ends here: handing a million records' index back to the
    // allocator page by page would only delay the exit.
    std::mem::forget(ix);
    let personal = matches!(kind, Kind::Trainees | Kind::Cases);
    if req.reveal && personal && shown > 0 {
        let what = match &req.query {
            Some(q) => format!("search {} '{q}' --reveal", kind.name()),
            None => format!("search {} --lines --reveal", kind.name()),
        };
        store.record_access(&skillbridge::service::access::AccessEvent {
            at: chrono::Utc::now().timestamp(),
            operator: by.name.clone(),
            role: by.role.name().to_string(),
            what: AccessKind::Reveal,
            people: shown as u64,
            detail: what,
        })?;
    }
    // Closed and recorded at rest, so that the next search need not open it.
    let t1 = Instant::now();
    let recorded = store.close_at_rest()?;
    if timing() {
        eprintln!("closed (recorded at rest: {recorded}) in {:?}", t1.elapsed());
    }
    Ok(ExitCode::SUCCESS)
}

/// The cached index of `kind`, mapped, when the database is at rest at the
/// generation the cache was made from (see `store::at_rest`).
fn at_rest_index(db: &std::path::Path, kind: Kind) -> Option<Index> {
    // Held while the cache is mapped: no process opens the database (and
    // rewrites the cache) in between.
    let rest = skillbridge::store::at_rest::read(db)?;
    cache::map_stamped(db, kind)?.take(&rest.database, rest.generation)
}

/// Print the matches (or every line, `--lines`); how many were printed.
fn print_index(ix: &Index, kind: Kind, req: &SearchArgs) -> Result<usize> {
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let shown = if req.lines {
        for (id, _, _) in ix.iter() {
            let line = ix.full_line(id).unwrap_or_default();
            writeln!(out, "{}", shown(&line, req.reveal))?;
        }
        ix.len()
    } else {
        print_hits(ix, kind, req, &mut out)?
    };
    out.flush()?;
    Ok(shown)
}

/// A line as printed: numbers masked unless revealed.
fn shown(line: &str, reveal: bool) -> std::borrow::Cow<'_, str> {
    if reveal {
        std::borrow::Cow::Borrowed(line)
    } else {
        mask_numbers(line)
    }
}

/// The index of a kind: from the cache when current, else built and cached.
fn index_for(store: &Store, kind: Kind, cached: Option<cache::Unchecked<Index>>) -> Result<Index> {
    let t0 = Instant::now();
    let generation = store.generation()?;
    let id = store.database_id()?;
    if timing() {
        eprintln!("generation read in {:?}", t0.elapsed());
    }
    if let Some(ix) = cached.and_then(|c| c.take(&id, generation)) {
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

/// The query's best matches, one line (or one JSON object) each; returns
/// how many were printed.
fn print_hits(ix: &Index, kind: Kind, req: &SearchArgs, out: &mut dyn Write) -> Result<usize> {
    let t0 = Instant::now();
    let q = Query::parse(req.query.as_deref().unwrap_or(""));
    let mut hits = ix.search(&q, None, &|| false).unwrap_or_default();
    let total = hits.len();
    // Only the best `limit` are printed: pick them, then sort those (at a
    // million matches, sorting them all took longer than finding them).
    let cmp = |a: &skillbridge::search::Hit, b: &skillbridge::search::Hit| b.score.cmp(&a.score).then(a.id.cmp(&b.id));
    if req.limit < hits.len() {
        hits.select_nth_unstable_by(req.limit, cmp);
        hits.truncate(req.limit);
    }
    hits.sort_unstable_by(cmp);
    if timing() {
        eprintln!("{total} matches in {:?}", t0.elapsed());
    }
    for h in hits.iter().take(req.limit) {
        let Some(hay) = ix.get(h.id) else { continue };
        if req.json {
            let v = serde_json::json!({
                "kind": kind.name(),
                "id": h.id,
                "score": h.score,
                // Masking keeps the length, so the highlight still fits.
                "line": shown(hay.line(), req.reveal),
                "highlight": skillbridge::search::highlight(&hay, &q),
                "also": ix.tags_of(h.id),
            });
            writeln!(out, "{v}")?;
        } else {
            writeln!(out, "{}", shown(&ix.full_line(h.id).unwrap_or_default(), req.reveal))?;
        }
    }
    if !req.json && total > req.limit {
        super::tell(
            skillbridge::say::cli::Line::Shown {
                shown: req.limit,
                total,
            },
            super::spoken(),
        );
    }
    Ok(total.min(req.limit))
}
