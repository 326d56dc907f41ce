//! Searches run off the key path. A session submits a request per slot
//! (each list, the picker); a newer request for a slot cancels the older
//! one mid-scan; a query that only grows narrows from the previous results.
//! [`SyncSearcher`] runs in place (tests, scripts); [`BackgroundSearcher`]
//! runs on its own thread so typing never waits.

use crate::domain::Kind;
use crate::search::Query;
use crate::service::{Found, SearchSpec, Service};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    List(usize),
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

pub trait Searcher: Send {
    fn submit(&mut self, req: Request);
    fn poll(&mut self) -> Vec<Response>;
    /// True while a submitted search has not answered.
    fn busy(&self) -> bool;
}

/// What a slot last found, for narrowing.
struct Last {
    kind: Kind,
    query: Query,
    version: u64,
    /// Shared with the list the session shows (no copy).
    hits: Arc<[u64]>,
}

/// The search itself, shared by both searchers.
struct Engine {
    svc: Arc<Service>,
    last: HashMap<Slot, Last>,
}

impl Engine {
    fn run(&mut self, req: &Request, cancelled: &(dyn Fn() -> bool + Sync)) -> Option<Response> {
        let version = self.svc.version();
        let within: Option<Arc<[u64]>> = self.last.get(&req.slot).and_then(|l| {
            (l.kind == req.spec.kind && l.version == version && req.spec.query.narrows(&l.query))
                .then(|| l.hits.clone())
        });
        let narrowed = within.is_some();
        let found = {
            let inner = self.svc.read();
            inner.search(&req.spec, within.as_deref(), cancelled)?
        };
        // Only a non-empty query can be narrowed from: an empty one would
        // keep a copy of every id for nothing (megabytes per idle session).
        if req.spec.query.is_empty() {
            self.last.remove(&req.slot);
        } else {
            self.last.insert(
                req.slot,
                Last {
                    kind: req.spec.kind,
                    query: req.spec.query.clone(),
                    version,
                    hits: found.hits.clone(),
                },
            );
        }
        Some(Response {
            slot: req.slot,
            generation: req.generation,
            found,
            narrowed,
        })
    }
}

/// Runs each search as it is submitted.
pub struct SyncSearcher {
    engine: Engine,
    out: Vec<Response>,
}

impl SyncSearcher {
    pub fn new(svc: Arc<Service>) -> Self {
        SyncSearcher {
            engine: Engine {
                svc,
                last: HashMap::new(),
            },
            out: Vec::new(),
        }
    }
}

impl Searcher for SyncSearcher {
    fn submit(&mut self, req: Request) {
        if let Some(r) = self.engine.run(&req, &|| false) {
            self.out.retain(|o| o.slot != r.slot);
            self.out.push(r);
        }
    }
    fn poll(&mut self) -> Vec<Response> {
        std::mem::take(&mut self.out)
    }
    fn busy(&self) -> bool {
        false
    }
}

/// Runs searches on a worker thread; only the newest request per slot runs.
pub struct BackgroundSearcher {
    tx: Sender<Request>,
    rx: Receiver<Response>,
    latest: Arc<Mutex<HashMap<Slot, u64>>>,
    newest_gen: Arc<AtomicU64>,
    outstanding: HashMap<Slot, u64>,
}

impl BackgroundSearcher {
    /// `wake` is called when a result is ready (e.g. to wake an event loop).
    pub fn new(svc: Arc<Service>, wake: Option<Box<dyn Fn() + Send>>) -> Self {
        let (tx, req_rx) = mpsc::channel::<Request>();
        let (resp_tx, rx) = mpsc::channel::<Response>();
        let latest: Arc<Mutex<HashMap<Slot, u64>>> = Arc::new(Mutex::new(HashMap::new()));
        let newest_gen = Arc::new(AtomicU64::new(0));
        let latest_w = latest.clone();
        let newest_w = newest_gen.clone();
        let spawned = std::thread::Builder::new().name("search".into()).spawn(move || {
            let mut engine = Engine {
                svc,
                last: HashMap::new(),
            };
            while let Ok(first) = req_rx.recv() {
                // Drain: keep only the newest request per slot.
                let mut pending: Vec<Request> = vec![first];
                while let Ok(r) = req_rx.try_recv() {
                    pending.retain(|p| p.slot != r.slot);
                    pending.push(r);
                }
                for req in pending {
                    let slot = req.slot;
                    let generation = req.generation;
                    let latest = latest_w.clone();
                    let newest = newest_w.clone();
                    let cancelled = move || {
                        newest.load(Ordering::Acquire) > generation
                            && latest
                                .lock()
                                .map(|m| m.get(&slot).copied().unwrap_or(0) != generation)
                                .unwrap_or(false)
                    };
                    if let Some(resp) = engine.run(&req, &cancelled) {
                        if resp_tx.send(resp).is_err() {
                            return;
                        }
                        if let Some(w) = &wake {
                            w();
                        }
                    }
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start the search thread: {e}");
        }
        BackgroundSearcher {
            tx,
            rx,
            latest,
            newest_gen,
            outstanding: HashMap::new(),
        }
    }
}

impl Searcher for BackgroundSearcher {
    fn submit(&mut self, req: Request) {
        if let Ok(mut m) = self.latest.lock() {
            m.insert(req.slot, req.generation);
        }
        self.newest_gen.fetch_max(req.generation, Ordering::AcqRel);
        self.outstanding.insert(req.slot, req.generation);
        let _ = self.tx.send(req);
    }
    fn poll(&mut self) -> Vec<Response> {
        let mut out: Vec<Response> = Vec::new();
        while let Ok(r) = self.rx.try_recv() {
            if self.outstanding.get(&r.slot) == Some(&r.generation) {
                self.outstanding.remove(&r.slot);
            }
            out.retain(|o| o.slot != r.slot);
            out.push(r);
        }
        out
    }
    fn busy(&self) -> bool {
        !self.outstanding.is_empty()
    }
}
