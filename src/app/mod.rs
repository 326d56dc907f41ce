//! One terminal session (the Elm architecture). Keys never reach `update`
//! directly: the keymap turns (context chain, key) into an [`Action`].
//!
//! - `state`: everything the session shows, as plain data;
//! - `msg`: the messages `update` takes and the effects it returns;
//! - `update`: `update(&mut State, Msg) -> Vec<Effect>`, touching no service;
//!   the lists in `list`, each dialog in `overlay/`, case steps in `case`,
//!   filters in `filters`, the dashboard in `dashboard`, record forms in
//!   `intake/` and case-step forms in `form`;
//! - `run`: the effects runner, the only part that talks to the service;
//! - `view`: what one frame shows, built with one read of the service.
//!
//! [`App`] ties them: a session's state, the shared service, the keymap and
//! a searcher.

pub mod case;
pub mod dashboard;
pub mod filters;
pub mod form;
pub mod intake;
pub mod list;
pub mod msg;
pub mod overlay;
pub mod reference;
mod run;
pub mod searcher;
pub mod standards;
pub mod state;
pub mod subsidy;
pub mod update;
pub mod view;
pub mod wish;

pub use msg::{Effect, Msg};
pub use state::*;

use crate::i18n::Lang;
use crate::keymap::{Context, Key, KeyMap};
use crate::say::Say;
use crate::service::{Actor, Service};
use searcher::{Request, Response, Searcher};
use std::collections::VecDeque;
use std::sync::Arc;

/// A session: state, the shared service, the keymap and a searcher.
pub struct App {
    pub svc: Arc<Service>,
    pub keymap: Arc<KeyMap>,
    pub state: State,
    searcher: Box<dyn Searcher<Request, Response>>,
    seen_version: u64,
}

impl App {
    pub fn new(
        svc: Arc<Service>,
        keymap: Arc<KeyMap>,
        searcher: Box<dyn Searcher<Request, Response>>,
        actor: Actor,
        lang: Lang,
    ) -> App {
        let seen_version = svc.version();
        let state = State::new(actor, lang, svc.today(), svc.is_simulated());
        let mut app = App {
            svc,
            keymap,
            state,
            searcher,
            seen_version,
        };
        let mut fx = Vec::new();
        for kind in crate::domain::Kind::TABS {
            update::search_list(&mut app.state, kind, &mut fx);
        }
        app.run_all(fx);
        app
    }

    /// Is a search still running?
    pub fn busy(&self) -> bool {
        self.searcher.busy()
    }

    /// Resolve a key through the keymap and handle it.
    pub fn key(&mut self, key: Key) {
        let chain = self.state.chain();
        if let Some(a) = self.keymap.resolve(&chain, key) {
            self.update(Msg::Action(a));
        } else if chain.contains(&Context::Search)
            && let Some(c) = key.text()
        {
            self.update(Msg::Char(c));
        }
    }

    /// Handle a message and everything it leads to.
    pub fn update(&mut self, msg: Msg) {
        let fx = update::update(&mut self.state, msg);
        self.run_all(fx);
        self.take_changes();
    }

    /// Take in finished searches and changes made elsewhere. Call often.
    /// A reveal that has run its time ends: the numbers are masked again.
    pub fn expire(&mut self, now: std::time::Instant) {
        if self.state.revealed.as_ref().is_some_and(|s| s.until <= now) {
            self.state.revealed = None;
        }
    }

    pub fn tick(&mut self) {
        self.take_changes();
        for r in self.searcher.poll() {
            self.dispatch(Msg::Found(r));
        }
    }

    /// A change of the data since last seen (this session's or another's).
    fn take_changes(&mut self) {
        let v = self.svc.version();
        if v != self.seen_version {
            self.seen_version = v;
            self.dispatch(Msg::Changed);
        }
    }

    fn dispatch(&mut self, msg: Msg) {
        let fx = update::update(&mut self.state, msg);
        self.run_all(fx);
    }

    /// Run effects, feeding each answer back through `update` (which may
    /// ask for more) until none is left.
    fn run_all(&mut self, fx: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = fx.into();
        while let Some(e) = queue.pop_front() {
            if let Some(reply) = self.run(e) {
                queue.extend(update::update(&mut self.state, reply));
            }
        }
    }

    /// Carry out one effect against the service.
    fn run(&mut self, e: Effect) -> Option<Msg> {
        match e {
            // Answers are taken in by `tick`, as they arrive.
            Effect::Search(req) => {
                self.searcher.submit(req);
                None
            }
            Effect::LoadEvents(case) => Some(Msg::Events(
                case,
                self.svc.events(case).map_err(|e| e.say(self.state.lang)),
            )),
            Effect::Prepare(p) => Some(Msg::Loaded(run::prepare(&self.svc, &self.state, p))),
            Effect::Run(r) => run::write(&self.svc, &self.state, r).map(Msg::Ran),
        }
    }

    /// What a frame of this size shows (one read of the service).
    pub fn view(&self, area: ratatui::layout::Rect) -> view::View {
        view::build(&self.state, &self.svc, area)
    }
}
