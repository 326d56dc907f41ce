//! The workspace's searches, run by the shared worker (`crate::worker`):
//! one slot per list and one for the picker; a query that only grows
//! narrows from the slot's previous results.

use crate::domain::Kind;
use crate::search::Positions;
use crate::search::Query;
use crate::service::{Earlier, Found, SearchSpec, Service};
use crate::worker::{self, Run, Tagged};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    List(Kind),
    Picker,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub slot: Slot,
    pub generation: u64,
    pub spec: SearchSpec,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub slot: Slot,
    pub generation: u64,
    pub found: Found,
    /// True when the search narrowed from earlier results.
    pub narrowed: bool,
}

impl Tagged for Request {
    type Slot = Slot;
    fn slot(&self) -> Slot {
        self.slot
    }
    fn generation(&self) -> u64 {
        self.generation
    }
}

impl Tagged for Response {
    type Slot = Slot;
    fn slot(&self) -> Slot {
        self.slot
    }
    fn generation(&self) -> u64 {
        self.generation
    }
}

pub use crate::worker::Searcher;

/// What a slot last found, for narrowing.
struct Last {
    kind: Kind,
    query: Query,
    version: u64,
    /// Shared with the list the session shows (no copy).
    hits: Arc<[u64]>,
    /// Where they are in the index, when few.
    at: Option<Positions>,
}

/// The search itself: the service's, narrowing where it can.
fn engine(svc: Arc<Service>) -> Run<Request, Response> {
    let mut last: HashMap<Slot, Last> = HashMap::new();
    Box::new(move |req: &Request, cancelled: &(dyn Fn() -> bool + Sync)| {
        let version = svc.version();
        let within = last.get(&req.slot).and_then(|l| {
            (l.kind == req.spec.kind && l.version == version && req.spec.query.narrows(&l.query))
                .then(|| (l.hits.clone(), l.at.clone()))
        });
        let narrowed = within.is_some();
        let earlier = within.as_ref().map(|(ids, at)| Earlier { ids, at: at.as_ref() });
        let found = svc.read().search(&req.spec, earlier, cancelled)?;
        // Only a non-empty query can be narrowed from: an empty one would
        // keep a copy of every id for nothing (megabytes per idle session).
        if req.spec.query.is_empty() {
            last.remove(&req.slot);
        } else {
            last.insert(
                req.slot,
                Last {
                    kind: req.spec.kind,
                    query: req.spec.query.clone(),
                    version,
                    hits: found.hits.clone(),
                    at: found.at.clone(),
                },
            );
        }
        Some(Response {
            slot: req.slot,
            generation: req.generation,
            found,
            narrowed,
        })
    })
}

/// Runs each search as it is submitted (tests, scripts).
pub type SyncSearcher = worker::Inline<Request, Response>;

impl SyncSearcher {
    pub fn new(svc: Arc<Service>) -> Self {
        worker::Inline::with(engine(svc))
    }
}

/// Runs searches on a worker thread so typing never waits.
pub type BackgroundSearcher = worker::Background<Request, Response>;

impl BackgroundSearcher {
    /// `wake` is called when a result is ready (e.g. to wake an event loop).
    pub fn new(svc: Arc<Service>, wake: Option<Box<dyn Fn() + Send>>) -> Self {
        worker::Background::with("search", engine(svc), wake)
    }
}
