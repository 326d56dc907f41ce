//! Kiosk searches, over a [`PublicView`] only, run by the shared worker
//! (`crate::worker`): one slot, so a newer search cancels an older one
//! mid-scan and typing never waits.

use crate::service::public::{PublicQuery, PublicView};
use crate::worker::{self, Run, Tagged};

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

impl Tagged for Request {
    type Slot = ();
    fn slot(&self) {}
    fn generation(&self) -> u64 {
        self.generation
    }
}

impl Tagged for Response {
    type Slot = ();
    fn slot(&self) {}
    fn generation(&self) -> u64 {
        self.generation
    }
}

pub use crate::worker::Searcher;

fn engine(view: PublicView) -> Run<Request, Response> {
    Box::new(move |req: &Request, cancelled: &(dyn Fn() -> bool + Sync)| {
        view.search(&req.query, cancelled).map(|ids| Response {
            generation: req.generation,
            ids,
        })
    })
}

/// Answers each search as it is submitted (tests).
pub type SyncSearcher = worker::Inline<Request, Response>;

impl SyncSearcher {
    pub fn new(view: PublicView) -> Self {
        worker::Inline::with(engine(view))
    }
}

/// Answers from its own thread.
pub type BackgroundSearcher = worker::Background<Request, Response>;

impl BackgroundSearcher {
    /// `wake` is called when a result is ready.
    pub fn new(view: PublicView, wake: Option<Box<dyn Fn() + Send>>) -> Self {
        worker::Background::with("kiosk-search", engine(view), wake)
    }
}
