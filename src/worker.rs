//! Searches off the key path, for the workspace and the kiosk alike. A
//! session submits requests, each for a slot (a list, a picker); only the
//! newest request of a slot runs, and a newer one cancels an older one
//! mid-scan (fzf and atuin drain pending input the same way), so typing
//! never waits. [`Inline`] answers in place (tests, scripts);
//! [`Background`] answers from its own thread.
//!
//! What a search does is the closure a worker is made with: it gets the
//! request and a `cancelled` check to poll while it scans.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

/// A request or an answer: which slot it is for, and how new it is.
pub trait Tagged {
    type Slot: Copy + Eq + Hash + Send + Sync + 'static;
    fn slot(&self) -> Self::Slot;
    fn generation(&self) -> u64;
}

/// A searcher a session holds.
pub trait Searcher<Q, A>: Send {
    fn submit(&mut self, req: Q);
    /// The answers that arrived since the last poll, the newest per slot.
    fn poll(&mut self) -> Vec<A>;
    /// True while a submitted request has not answered.
    fn busy(&self) -> bool;
}

/// The search a worker runs: `None` when cancelled.
pub type Run<Q, A> = Box<dyn FnMut(&Q, &(dyn Fn() -> bool + Sync)) -> Option<A> + Send>;

/// Runs each request as it is submitted.
pub struct Inline<Q, A> {
    run: Run<Q, A>,
    out: Vec<A>,
}

impl<Q, A: Tagged> Inline<Q, A> {
    pub fn with(run: Run<Q, A>) -> Self {
        Inline { run, out: Vec::new() }
    }
}

impl<Q: Send, A: Tagged + Send> Searcher<Q, A> for Inline<Q, A> {
    fn submit(&mut self, req: Q) {
        if let Some(a) = (self.run)(&req, &|| false) {
            self.out.retain(|o| o.slot() != a.slot());
            self.out.push(a);
        }
    }
    fn poll(&mut self) -> Vec<A> {
        std::mem::take(&mut self.out)
    }
    fn busy(&self) -> bool {
        false
    }
}

/// Runs requests on a worker thread; only the newest request per slot runs.
pub struct Background<Q: Tagged, A> {
    tx: Sender<Q>,
    rx: Receiver<A>,
    latest: Arc<Mutex<HashMap<Q::Slot, u64>>>,
    newest: Arc<AtomicU64>,
    outstanding: HashMap<Q::Slot, u64>,
}

impl<Q, A> Background<Q, A>
where
    Q: Tagged + Send + 'static,
    A: Tagged<Slot = Q::Slot> + Send + 'static,
{
    /// `wake` is called when an answer is ready (e.g. to wake an event loop).
    pub fn with(name: &str, mut run: Run<Q, A>, wake: Option<Box<dyn Fn() + Send>>) -> Self {
        let (tx, req_rx) = mpsc::channel::<Q>();
        let (resp_tx, rx) = mpsc::channel::<A>();
        let latest: Arc<Mutex<HashMap<Q::Slot, u64>>> = Arc::new(Mutex::new(HashMap::new()));
        let newest = Arc::new(AtomicU64::new(0));
        let (latest_w, newest_w) = (latest.clone(), newest.clone());
        let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
            while let Ok(first) = req_rx.recv() {
                // Drain: keep only the newest request per slot.
                let mut pending: Vec<Q> = vec![first];
                while let Ok(r) = req_rx.try_recv() {
                    pending.retain(|p| p.slot() != r.slot());
                    pending.push(r);
                }
                for req in pending {
                    let (slot, generation) = (req.slot(), req.generation());
                    let (latest, newest) = (latest_w.clone(), newest_w.clone());
                    let cancelled = move || {
                        newest.load(Ordering::Acquire) > generation
                            && latest
                                .lock()
                                .map(|m| m.get(&slot).copied().unwrap_or(0) != generation)
                                .unwrap_or(false)
                    };
                    if let Some(answer) = run(&req, &cancelled) {
                        if resp_tx.send(answer).is_err() {
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
            tracing::error!("cannot start the {name} thread: {e}");
        }
        Background {
            tx,
            rx,
            latest,
            newest,
            outstanding: HashMap::new(),
        }
    }
}

impl<Q, A> Searcher<Q, A> for Background<Q, A>
where
    Q: Tagged + Send,
    A: Tagged<Slot = Q::Slot> + Send,
{
    fn submit(&mut self, req: Q) {
        let (slot, generation) = (req.slot(), req.generation());
        if let Ok(mut m) = self.latest.lock() {
            m.insert(slot, generation);
        }
        self.newest.fetch_max(generation, Ordering::AcqRel);
        self.outstanding.insert(slot, generation);
        if self.tx.send(req).is_err() {
            // No worker (it could not start): nothing will answer.
            self.outstanding.remove(&slot);
        }
    }
    fn poll(&mut self) -> Vec<A> {
        let mut out: Vec<A> = Vec::new();
        while let Ok(r) = self.rx.try_recv() {
            if self.outstanding.get(&r.slot()) == Some(&r.generation()) {
                self.outstanding.remove(&r.slot());
            }
            out.retain(|o| o.slot() != r.slot());
            out.push(r);
        }
        out
    }
    fn busy(&self) -> bool {
        !self.outstanding.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[derive(Debug, Clone, PartialEq)]
    struct Job(u8, u64);
    impl Tagged for Job {
        type Slot = u8;
        fn slot(&self) -> u8 {
            self.0
        }
        fn generation(&self) -> u64 {
            self.1
        }
    }

    fn echo() -> Run<Job, Job> {
        Box::new(|j: &Job, _: &(dyn Fn() -> bool + Sync)| Some(j.clone()))
    }

    #[test]
    fn inline_keeps_the_newest_answer_per_slot() {
        let mut s = Inline::with(echo());
        s.submit(Job(1, 1));
        s.submit(Job(2, 2));
        s.submit(Job(1, 3));
        assert_eq!(s.poll(), vec![Job(2, 2), Job(1, 3)]);
        assert!(s.poll().is_empty() && !s.busy());
    }

    #[test]
    fn background_answers_and_a_newer_request_cancels_an_older_one() {
        // The first request scans until cancelled; the second answers at once.
        let run: Run<Job, Job> = Box::new(|j: &Job, cancelled: &(dyn Fn() -> bool + Sync)| {
            if j.1 == 1 {
                let start = Instant::now();
                while !cancelled() {
                    if start.elapsed() > Duration::from_secs(10) {
                        return Some(j.clone());
                    }
                    std::thread::yield_now();
                }
                return None;
            }
            Some(j.clone())
        });
        let mut s = Background::with("test-worker", run, None);
        s.submit(Job(7, 1));
        s.submit(Job(7, 2));
        assert!(s.busy());
        let start = Instant::now();
        let mut got = Vec::new();
        while s.busy() && start.elapsed() < Duration::from_secs(5) {
            got.extend(s.poll());
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(got, vec![Job(7, 2)], "the older scan was cancelled, not answered");
    }
}
