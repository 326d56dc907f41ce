//! Kiosk searches, over a [`PublicView`] only. [`SyncSearcher`] answers in
//! place (tests); [`BackgroundSearcher`] answers from its own thread, and a
//! newer request cancels an older one mid-scan, so typing never waits.

use crate::service::public::{PublicQuery, PublicView};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

#[derive(Debug, Clone)]
pub struct Request {
    pub generation: u64,
    pub query: PublicQuery,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub generation: u64,
    pub ids: Vec<u64>,
}

pub trait Searcher: Send {
    fn submit(&mut self, req: Request);
    fn poll(&mut self) -> Vec<Response>;
    /// True while a submitted search has not answered.
    fn busy(&self) -> bool;
}

/// Runs each search as it is submitted.
pub struct SyncSearcher {
    view: PublicView,
    out: Vec<Response>,
}

impl SyncSearcher {
    pub fn new(view: PublicView) -> Self {
        SyncSearcher { view, out: Vec::new() }
    }
}

impl Searcher for SyncSearcher {
    fn submit(&mut self, req: Request) {
        if let Some(ids) = self.view.search(&req.query, &|| false) {
            self.out = vec![Response {
                generation: req.generation,
                ids,
            }];
        }
    }
    fn poll(&mut self) -> Vec<Response> {
        std::mem::take(&mut self.out)
    }
    fn busy(&self) -> bool {
        false
    }
}

/// Runs searches on a worker thread; only the newest request runs.
pub struct BackgroundSearcher {
    tx: Sender<Request>,
    rx: Receiver<Response>,
    newest: Arc<AtomicU64>,
    outstanding: Option<u64>,
}

impl BackgroundSearcher {
    /// `wake` is called when a result is ready (e.g. to wake an event loop).
    pub fn new(view: PublicView, wake: Option<Box<dyn Fn() + Send>>) -> Self {
        let (tx, req_rx) = mpsc::channel::<Request>();
        let (resp_tx, rx) = mpsc::channel::<Response>();
        let newest = Arc::new(AtomicU64::new(0));
        let newest_w = newest.clone();
        let spawned = std::thread::Builder::new().name("kiosk-search".into()).spawn(move || {
            while let Ok(mut req) = req_rx.recv() {
                // Drain: only the newest request matters.
                while let Ok(r) = req_rx.try_recv() {
                    req = r;
                }
                let generation = req.generation;
                let newest = newest_w.clone();
                let cancelled = move || newest.load(Ordering::Acquire) > generation;
                if let Some(ids) = view.search(&req.query, &cancelled) {
                    if resp_tx.send(Response { generation, ids }).is_err() {
                        return;
                    }
                    if let Some(w) = &wake {
                        w();
                    }
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start the kiosk search thread: {e}");
        }
        BackgroundSearcher {
            tx,
            rx,
            newest,
            outstanding: None,
        }
    }
}

impl Searcher for BackgroundSearcher {
    fn submit(&mut self, req: Request) {
        self.newest.fetch_max(req.generation, Ordering::AcqRel);
        self.outstanding = Some(req.generation);
        if self.tx.send(req).is_err() {
            // No worker (it could not start): nothing will answer.
            self.outstanding = None;
        }
    }
    fn poll(&mut self) -> Vec<Response> {
        let mut out = Vec::new();
        while let Ok(r) = self.rx.try_recv() {
            if self.outstanding == Some(r.generation) {
                self.outstanding = None;
            }
            out.push(r);
        }
        out
    }
    fn busy(&self) -> bool {
        self.outstanding.is_some()
    }
}
