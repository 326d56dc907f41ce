//! One terminal session (the Elm architecture): all view state, the
//! messages keys turn into, and `update`. Keys never reach `update`
//! directly: the keymap turns (context chain, key) into an [`Action`].

pub mod dashboard;
pub mod form;
pub mod intake;
pub mod searcher;

use crate::domain::*;
use crate::i18n::{Lang, Strings, fill};
use crate::keymap::{Action, Context, Key, KeyMap};
use crate::search::Query;
use crate::service::matching::{self, ClassMatch, DemandMatch};
use crate::service::{Filters, SearchSpec, Service, Sort};
use crate::store::StoreError;
use dashboard::DashboardState;
use form::{Form, FormPurpose};
use intake::{Built, Carry, F, Intake, RecordKind, Source};
use searcher::{Request, Searcher, Slot};
use std::cell::Cell;
use std::sync::Arc;
use std::time::Duration;
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Demands,
    Classes,
    Trainees,
    Cases,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Demands, Tab::Classes, Tab::Trainees, Tab::Cases];
    pub fn kind(self) -> Kind {
        match self {
            Tab::Demands => Kind::Demands,
            Tab::Classes => Kind::Classes,
            Tab::Trainees => Kind::Trainees,
            Tab::Cases => Kind::Cases,
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One list: its search line, results, selection, filters and order.
#[derive(Debug, Clone)]
pub struct ListView {
    pub input: Input,
    pub ids: Arc<[u64]>,
    pub selected: usize,
    /// First visible row (kept by the renderer).
    pub offset: Cell<usize>,
    pub filters: Filters,
    pub sort: usize,
    pub generation: u64,
    pub pending: bool,
    pub elapsed: Duration,
}

impl ListView {
    fn new() -> Self {
        ListView {
            input: Input::default(),
            ids: Arc::default(),
            selected: 0,
            offset: Cell::new(0),
            filters: Filters::default(),
            sort: 0,
            generation: 0,
            pending: true,
            elapsed: Duration::ZERO,
        }
    }
    pub fn selected_id(&self) -> Option<u64> {
        self.ids.get(self.selected).copied()
    }
}

#[derive(Debug, Clone)]
pub enum PairRows {
    Classes(DemandId, Vec<ClassMatch>),
    Demands(CaseId, Vec<DemandMatch>),
}

#[derive(Debug, Clone)]
pub struct Pairing {
    pub rows: PairRows,
    pub selected: usize,
}

impl Pairing {
    pub fn len(&self) -> usize {
        match &self.rows {
            PairRows::Classes(_, v) => v.len(),
            PairRows::Demands(_, v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Region,
    Trade,
    Status,
    Kind,
    Program,
}

impl FilterField {
    pub const ALL: [FilterField; 5] = [
        FilterField::Region,
        FilterField::Trade,
        FilterField::Status,
        FilterField::Kind,
        FilterField::Program,
    ];
    pub fn label(self, t: &Strings) -> &'static str {
        t.filter_fields[self as usize]
    }
    fn applies(self, tab: Tab) -> bool {
        match self {
            FilterField::Region | FilterField::Trade => true,
            FilterField::Status => tab != Tab::Trainees,
            FilterField::Kind => matches!(tab, Tab::Demands | Tab::Classes),
            FilterField::Program => matches!(tab, Tab::Classes | Tab::Cases),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickValue {
    Field(FilterField),
    /// A value for a form field.
    Value(u64),
    /// Apply a filter change.
    Filter(Filters),
}

#[derive(Debug, Clone)]
pub enum PickItems {
    /// Found by the search engine.
    Search { kind: Kind, ids: Arc<[u64]> },
    /// A fixed list, filtered by the typed text.
    Fixed {
        all: Vec<(String, PickValue)>,
        shown: Vec<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickPurpose {
    EnrollInto(ClassId),
    /// A reference field of the record form below.
    FormField(F),
    FilterField,
    FilterValue(FilterField),
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub purpose: PickPurpose,
    pub title: String,
    pub input: Input,
    pub items: PickItems,
    pub selected: usize,
    pub generation: u64,
    /// A search for the list was asked and has not answered yet.
    pub waiting: bool,
    /// A choice made (Enter) before the search behind the list answered:
    /// it is made when the answer comes, on the row it puts first.
    pub choose_on_answer: bool,
}

impl Picker {
    pub fn len(&self) -> usize {
        match &self.items {
            PickItems::Search { ids, .. } => ids.len(),
            PickItems::Fixed { shown, .. } => shown.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone)]
pub enum Op {
    Enroll {
        trainee: TraineeId,
        class: ClassId,
    },
    Move {
        case: CaseId,
        mv: Move,
    },
    /// Close the record form below without saving.
    Discard,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub text: String,
    pub op: Op,
}

#[derive(Debug)]
pub enum Overlay {
    Help { scroll: usize },
    Detail { kind: Kind, id: u64, scroll: usize },
    Pairing(Pairing),
    Picker(Picker),
    Confirm(Confirm),
    Form(Form),
    Intake(Box<Intake>),
    Import(Box<ImportDialog>),
    Dashboard(DashboardState),
}

/// Import a spreadsheet from the workspace: a path, a kind, a dry run shown
/// first, then a confirmation before anything is written.
pub struct ImportDialog {
    pub kind: crate::domain::Kind,
    pub input: Input,
    pub error: Option<String>,
    pub plan: Option<crate::io::import::Plan>,
}

impl std::fmt::Debug for ImportDialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportDialog")
            .field("kind", &self.kind)
            .field("path", &self.input.value())
            .field("error", &self.error)
            .field("planned", &self.plan.is_some())
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Everything one session shows.
pub struct State {
    pub lang: Lang,
    pub tab: Tab,
    pub lists: [ListView; 4],
    pub overlays: Vec<Overlay>,
    pub status: Option<Status>,
    pub operator: String,
    pub quit: bool,
    /// Timeline of the case in focus, loaded when the focus moves.
    pub case_events: Option<(CaseId, Vec<Event>)>,
    /// Rows that fit in the list (kept by the renderer, for paging).
    pub page: Cell<usize>,
    /// Records saved by this session's forms.
    pub saved: usize,
}

impl State {
    pub fn t(&self) -> &'static Strings {
        self.lang.t()
    }

    pub fn list(&self) -> &ListView {
        &self.lists[self.tab.index()]
    }

    fn list_mut(&mut self) -> &mut ListView {
        &mut self.lists[self.tab.index()]
    }

    /// The context chain keys resolve through.
    pub fn chain(&self) -> Vec<Context> {
        match self.overlays.last() {
            None => vec![Context::List, Context::Search, Context::Global],
            Some(Overlay::Help { .. }) => vec![Context::Help, Context::Global],
            Some(Overlay::Detail { .. }) => vec![Context::Detail, Context::Global],
            Some(Overlay::Pairing(_)) => vec![Context::Pairing, Context::Global],
            Some(Overlay::Picker(_)) => vec![Context::Picker, Context::Search, Context::Global],
            Some(Overlay::Confirm(_)) => vec![Context::Confirm, Context::Global],
            Some(Overlay::Form(_) | Overlay::Intake(_) | Overlay::Import(_)) => {
                vec![Context::Form, Context::Search, Context::Global]
            }
            Some(Overlay::Dashboard(_)) => vec![Context::Dashboard, Context::Global],
        }
    }

    /// The record the operator is looking at, if any.
    pub fn focus(&self) -> Option<(Kind, u64)> {
        for o in self.overlays.iter().rev() {
            if let Overlay::Detail { kind, id, .. } = o {
                return Some((*kind, *id));
            }
        }
        self.list().selected_id().map(|id| (self.tab.kind(), id))
    }

    fn ok(&mut self, text: String) {
        self.status = Some(Status { text, error: false });
    }

    fn err(&mut self, text: String) {
        self.status = Some(Status { text, error: true });
    }
}

/// Messages `update` handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Action(Action),
    /// A printable character for the focused text field.
    Char(char),
    /// Pasted text for the focused text field.
    Paste(String),
}

/// A session: state, the shared service, the keymap and a searcher.
pub struct App {
    pub svc: Arc<Service>,
    pub keymap: Arc<KeyMap>,
    pub state: State,
    searcher: Box<dyn Searcher>,
    next_gen: u64,
    seen_version: u64,
}

fn edit(input: &mut Input, msg: &Msg) -> bool {
    let req = match msg {
        Msg::Char(c) => InputRequest::InsertChar(*c),
        Msg::Paste(s) => {
            let mut changed = false;
            for c in s.chars().filter(|c| !c.is_control()) {
                changed |= input.handle(InputRequest::InsertChar(c)).is_some_and(|r| r.value);
            }
            return changed;
        }
        Msg::Action(a) => match a {
            Action::DeleteBack => InputRequest::DeletePrevChar,
            Action::DeleteForward => InputRequest::DeleteNextChar,
            Action::DeleteWord => InputRequest::DeletePrevWord,
            Action::ClearQuery => InputRequest::DeleteLine,
            Action::CursorLeft => InputRequest::GoToPrevChar,
            Action::CursorRight => InputRequest::GoToNextChar,
            Action::CursorHome => InputRequest::GoToStart,
            Action::CursorEnd => InputRequest::GoToEnd,
            Action::WordLeft => InputRequest::GoToPrevWord,
            Action::WordRight => InputRequest::GoToNextWord,
            _ => return false,
        },
    };
    input.handle(req).is_some_and(|r| r.value)
}

fn is_edit(msg: &Msg) -> bool {
    matches!(msg, Msg::Char(_) | Msg::Paste(_))
        || matches!(
            msg,
            Msg::Action(
                Action::DeleteBack
                    | Action::DeleteForward
                    | Action::DeleteWord
                    | Action::ClearQuery
                    | Action::CursorLeft
                    | Action::CursorRight
                    | Action::CursorHome
                    | Action::CursorEnd
                    | Action::WordLeft
                    | Action::WordRight
            )
        )
}

fn moved(selected: usize, len: usize, a: Action, page: usize) -> Option<usize> {
    if len == 0 {
        return Some(0);
    }
    let last = len - 1;
    Some(match a {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(page.max(1)),
        Action::PageDown => (selected + page.max(1)).min(last),
        Action::First => 0,
        Action::Last => last,
        _ => return None,
    })
}

fn store_message(e: &StoreError) -> String {
    e.to_string()
}

impl App {
    pub fn new(svc: Arc<Service>, keymap: Arc<KeyMap>, searcher: Box<dyn Searcher>, operator: &str, lang: Lang) -> App {
        let seen_version = svc.version();
        let mut app = App {
            svc,
            keymap,
            state: State {
                lang,
                tab: Tab::Demands,
                lists: [ListView::new(), ListView::new(), ListView::new(), ListView::new()],
                overlays: Vec::new(),
                status: None,
                operator: operator.to_string(),
                quit: false,
                case_events: None,
                page: Cell::new(10),
                saved: 0,
            },
            searcher,
            next_gen: 0,
            seen_version,
        };
        for i in 0..4 {
            app.search_list(i);
        }
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

    fn next_generation(&mut self) -> u64 {
        self.next_gen += 1;
        self.next_gen
    }

    fn search_list(&mut self, i: usize) {
        let generation = self.next_generation();
        let tab = Tab::ALL[i];
        let l = &mut self.state.lists[i];
        l.generation = generation;
        l.pending = true;
        let sorts = Sort::choices(tab.kind());
        let spec = SearchSpec {
            kind: tab.kind(),
            query: Query::parse(l.input.value()),
            filters: l.filters.clone(),
            sort: sorts[l.sort % sorts.len()],
        };
        self.searcher.submit(Request {
            slot: Slot::List(i),
            generation,
            spec,
        });
    }

    fn search_picker(&mut self) {
        let generation = self.next_generation();
        let Some(Overlay::Picker(p)) = self.state.overlays.last_mut() else {
            return;
        };
        p.generation = generation;
        match &mut p.items {
            PickItems::Search { kind, .. } => {
                p.waiting = true;
                let spec = SearchSpec {
                    kind: *kind,
                    query: Query::parse(p.input.value()),
                    filters: Filters::default(),
                    sort: Sort::Relevance,
                };
                self.searcher.submit(Request {
                    slot: Slot::Picker,
                    generation,
                    spec,
                });
            }
            PickItems::Fixed { all, shown } => {
                let q = Query::parse(p.input.value());
                *shown = all
                    .iter()
                    .enumerate()
                    .filter(|(_, (label, _))| {
                        crate::search::score(&crate::search::Hay::new(label.clone()), &q).is_some()
                    })
                    .map(|(i, _)| i)
                    .collect();
                p.selected = p.selected.min(shown.len().saturating_sub(1));
            }
        }
    }

    /// Take in finished searches and changes made elsewhere. Call often.
    pub fn tick(&mut self) {
        let v = self.svc.version();
        if v != self.seen_version {
            self.seen_version = v;
            for i in 0..4 {
                self.search_list(i);
            }
            if matches!(self.state.overlays.last(), Some(Overlay::Picker(_))) {
                self.search_picker();
            }
            self.refresh_pairing();
            self.state.case_events = None;
        }
        for r in self.searcher.poll() {
            match r.slot {
                Slot::List(i) => {
                    let l = &mut self.state.lists[i];
                    if r.generation != l.generation {
                        continue;
                    }
                    let keep = l.selected_id();
                    l.ids = r.found.ids;
                    l.pending = false;
                    l.elapsed = r.found.elapsed;
                    l.selected = keep
                        .and_then(|id| l.ids.iter().position(|x| *x == id))
                        .unwrap_or_else(|| l.selected.min(l.ids.len().saturating_sub(1)));
                }
                Slot::Picker => {
                    if let Some(Overlay::Picker(p)) = self.state.overlays.last_mut()
                        && p.generation == r.generation
                        && let PickItems::Search { ids, .. } = &mut p.items
                    {
                        *ids = r.found.ids;
                        p.selected = p.selected.min(ids.len().saturating_sub(1));
                        p.waiting = false;
                        if std::mem::take(&mut p.choose_on_answer) {
                            self.choose();
                        }
                    }
                }
            }
        }
        self.load_focus();
        self.refresh_dashboard();
    }

    /// Keep the timeline of the case in focus loaded.
    fn load_focus(&mut self) {
        let case = match self.state.focus() {
            Some((Kind::Cases, id)) => Some(CaseId(id)),
            _ => None,
        };
        match case {
            Some(c) if self.state.case_events.as_ref().map(|(id, _)| *id) != Some(c) => match self.svc.events(c) {
                Ok(ev) => self.state.case_events = Some((c, ev)),
                Err(e) => {
                    self.state.case_events = None;
                    self.state.err(store_message(&e));
                }
            },
            Some(_) => {}
            None => self.state.case_events = None,
        }
    }

    fn refresh_pairing(&mut self) {
        let today = self.svc.today();
        let inner = self.svc.read();
        for o in &mut self.state.overlays {
            if let Overlay::Pairing(p) = o {
                match &mut p.rows {
                    PairRows::Classes(d, rows) => *rows = matching::classes_for_demand(&inner.data, *d, today),
                    PairRows::Demands(c, rows) => *rows = matching::demands_for_case(&inner.data, *c),
                }
                p.selected = p.selected.min(p.len().saturating_sub(1));
            }
        }
    }

    pub fn update(&mut self, msg: Msg) {
        // Actions that mean the same everywhere.
        match msg {
            Msg::Action(Action::Quit) => {
                self.state.quit = true;
                return;
            }
            Msg::Action(Action::ToggleLanguage) => {
                self.state.lang = self.state.lang.toggle();
                return;
            }
            Msg::Action(Action::Help) if !matches!(self.state.overlays.last(), Some(Overlay::Help { .. })) => {
                self.state.overlays.push(Overlay::Help { scroll: 0 });
                return;
            }
            _ => {}
        }
        match self.state.overlays.last().map(std::mem::discriminant) {
            None => self.update_list(msg),
            Some(_) => self.update_overlay(msg),
        }
        self.load_focus();
    }

    fn update_list(&mut self, msg: Msg) {
        let page = self.state.page.get();
        if is_edit(&msg) {
            if edit(&mut self.state.list_mut().input, &msg) {
                self.state.list_mut().selected = 0;
                self.search_list(self.state.tab.index());
            }
            return;
        }
        let Msg::Action(a) = msg else { return };
        match a {
            Action::NextTab
            | Action::PrevTab
            | Action::TabDemands
            | Action::TabClasses
            | Action::TabTrainees
            | Action::TabCases => {
                let i = self.state.tab.index();
                self.state.tab = match a {
                    Action::NextTab => Tab::ALL[(i + 1) % 4],
                    Action::PrevTab => Tab::ALL[(i + 3) % 4],
                    Action::TabDemands => Tab::Demands,
                    Action::TabClasses => Tab::Classes,
                    Action::TabTrainees => Tab::Trainees,
                    _ => Tab::Cases,
                };
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::First | Action::Last => {
                let l = self.state.list_mut();
                if let Some(s) = moved(l.selected, l.ids.len(), a, page) {
                    l.selected = s;
                }
            }
            Action::Open => match self.state.list().selected_id() {
                Some(id) => self.state.overlays.push(Overlay::Detail {
                    kind: self.state.tab.kind(),
                    id,
                    scroll: 0,
                }),
                None => {
                    let t = self.state.t();
                    self.state.err(t.nothing_selected.to_string());
                }
            },
            Action::Pair => match self.state.focus() {
                Some((kind, id)) => self.pair(kind, id),
                None => {
                    let t = self.state.t();
                    self.state.err(t.nothing_selected.to_string());
                }
            },
            Action::Filter => self.open_filter_fields(),
            Action::Dashboard => self.open_dashboard(),
            Action::ClearFilters => {
                self.state.list_mut().filters = Filters::default();
                self.search_list(self.state.tab.index());
            }
            Action::New => {
                let kind = match self.state.tab {
                    Tab::Demands => RecordKind::Demand,
                    Tab::Classes => RecordKind::Class,
                    Tab::Trainees | Tab::Cases => RecordKind::Trainee,
                };
                self.open_intake(kind, None);
            }
            Action::NewInstitution => self.open_intake(RecordKind::Institution, None),
            Action::ImportFile => {
                let kind = match self.state.tab {
                    Tab::Demands => crate::domain::Kind::Demands,
                    Tab::Classes => crate::domain::Kind::Classes,
                    Tab::Trainees | Tab::Cases => crate::domain::Kind::Trainees,
                };
                self.state.overlays.push(Overlay::Import(Box::new(ImportDialog {
                    kind,
                    input: Input::default(),
                    error: None,
                    plan: None,
                })));
            }
            Action::NewEnterprise => self.open_intake(RecordKind::Enterprise, None),
            Action::Edit => match self.state.list().selected_id() {
                Some(id) => self.edit_record(self.state.tab.kind(), id),
                None => {
                    let t = self.state.t();
                    self.state.err(t.nothing_selected.to_string());
                }
            },
            Action::CycleSort => {
                let n = Sort::choices(self.state.tab.kind()).len();
                let l = self.state.list_mut();
                l.sort = (l.sort + 1) % n;
                self.search_list(self.state.tab.index());
            }
            other => self.not_here(other),
        }
    }

    fn not_here(&mut self, a: Action) {
        let t = self.state.t();
        let d = match self.state.lang {
            Lang::Zh => a.describe_zh(),
            Lang::En => a.describe_en(),
        };
        self.state.err(fill(t.not_here, &[&d]));
    }

    fn update_overlay(&mut self, msg: Msg) {
        let page = self.state.page.get();
        let Some(top) = self.state.overlays.last_mut() else {
            return;
        };
        match top {
            Overlay::Dashboard(_) => self.update_dashboard(msg),
            Overlay::Help { scroll } => match msg {
                Msg::Action(Action::Back | Action::Help | Action::Cancel) => {
                    self.state.overlays.pop();
                }
                Msg::Action(a @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown)) => {
                    *scroll = match a {
                        Action::Up => scroll.saturating_sub(1),
                        Action::Down => *scroll + 1,
                        Action::PageUp => scroll.saturating_sub(page),
                        _ => *scroll + page,
                    };
                }
                _ => {}
            },
            Overlay::Detail { kind, id, scroll } => {
                let (kind, id) = (*kind, *id);
                match msg {
                    Msg::Action(Action::Back) => {
                        self.state.overlays.pop();
                    }
                    Msg::Action(Action::Up) => *scroll = scroll.saturating_sub(1),
                    Msg::Action(Action::Down) => *scroll += 1,
                    Msg::Action(Action::Pair) => self.pair(kind, id),
                    Msg::Action(Action::Edit) => self.edit_record(kind, id),
                    Msg::Action(Action::EditInstitution) => {
                        let inst = self.svc.read().data.classes.get(&ClassId(id)).map(|c| c.institution.0);
                        match inst {
                            Some(i) if kind == Kind::Classes => self.edit_record(Kind::Institutions, i),
                            _ => self.not_here(Action::EditInstitution),
                        }
                    }
                    Msg::Action(Action::EditEnterprise) => {
                        let ent = self.svc.read().data.demands.get(&DemandId(id)).map(|d| d.enterprise.0);
                        match ent {
                            Some(e) if kind == Kind::Demands => self.edit_record(Kind::Enterprises, e),
                            _ => self.not_here(Action::EditEnterprise),
                        }
                    }
                    Msg::Action(Action::Enroll) => match kind {
                        Kind::Classes => self.open_trainee_picker(ClassId(id)),
                        Kind::Demands => self.pair(kind, id),
                        _ => self.not_here(Action::Enroll),
                    },
                    Msg::Action(a) => {
                        if kind == Kind::Cases {
                            self.case_action(CaseId(id), a);
                        } else {
                            self.not_here(a);
                        }
                    }
                    _ => {}
                }
            }
            Overlay::Pairing(p) => match msg {
                Msg::Action(Action::Back | Action::Cancel) => {
                    self.state.overlays.pop();
                }
                Msg::Action(
                    a @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::First | Action::Last),
                ) => {
                    if let Some(s) = moved(p.selected, p.len(), a, page) {
                        p.selected = s;
                    }
                }
                Msg::Action(Action::Open | Action::Enroll | Action::Refer) => {
                    let choice = match &p.rows {
                        PairRows::Classes(_, rows) => rows.get(p.selected).map(|m| Err(m.class)),
                        PairRows::Demands(case, rows) => rows.get(p.selected).map(|m| Ok((*case, m.demand))),
                    };
                    match choice {
                        Some(Err(class)) => self.open_trainee_picker(class),
                        Some(Ok((case, demand))) => self.ask_move(case, Move::Refer(demand)),
                        None => {
                            let t = self.state.t();
                            self.state.err(t.nothing_selected.to_string());
                        }
                    }
                }
                _ => {}
            },
            Overlay::Picker(p) => {
                if is_edit(&msg) {
                    if edit(&mut p.input, &msg) {
                        p.selected = 0;
                        // An Enter typed ahead was for the query before this edit.
                        p.choose_on_answer = false;
                        self.search_picker();
                    }
                    return;
                }
                match msg {
                    Msg::Action(Action::Cancel | Action::Back) => {
                        self.state.overlays.pop();
                    }
                    Msg::Action(
                        a @ (Action::Up
                        | Action::Down
                        | Action::PageUp
                        | Action::PageDown
                        | Action::First
                        | Action::Last),
                    ) => {
                        if let Some(s) = moved(p.selected, p.len(), a, page) {
                            p.selected = s;
                        }
                    }
                    Msg::Action(Action::Open) => self.choose(),
                    _ => {}
                }
            }
            Overlay::Confirm(_) => match msg {
                Msg::Action(Action::Confirm) => {
                    if let Some(Overlay::Confirm(c)) = self.state.overlays.pop() {
                        if let Op::Discard = c.op {
                            self.state.overlays.pop();
                        } else {
                            self.run(c.op);
                        }
                    }
                }
                Msg::Action(Action::Cancel | Action::Back) => {
                    self.state.overlays.pop();
                    let t = self.state.t();
                    self.state.ok(t.cancelled.to_string());
                }
                _ => {}
            },
            Overlay::Intake(_) => self.update_intake(msg),
            Overlay::Import(d) => {
                if is_edit(&msg) {
                    if d.plan.is_none() && edit(&mut d.input, &msg) {
                        d.error = None;
                    }
                    return;
                }
                match msg {
                    Msg::Action(Action::Cancel | Action::Back) => {
                        self.state.overlays.pop();
                    }
                    Msg::Action(Action::NextField | Action::PrevField) if d.plan.is_none() => {
                        let all = crate::domain::Kind::IMPORTABLE;
                        let i = all.iter().position(|k| *k == d.kind).unwrap_or(0);
                        d.kind = all[(i + 1) % all.len()];
                    }
                    Msg::Action(Action::Open | Action::Save | Action::Confirm) => self.import_step(),
                    _ => {}
                }
            }
            Overlay::Form(f) => {
                if is_edit(&msg) {
                    let input = f.focused();
                    edit(input, &msg);
                    return;
                }
                match msg {
                    Msg::Action(Action::NextField) => f.focus = (f.focus + 1) % f.fields.len().max(1),
                    Msg::Action(Action::PrevField) => {
                        f.focus = (f.focus + f.fields.len().max(1) - 1) % f.fields.len().max(1)
                    }
                    Msg::Action(Action::Cancel | Action::Back) => {
                        self.state.overlays.pop();
                    }
                    Msg::Action(Action::Save | Action::Open) => {
                        let t = self.state.lang.t();
                        if let Some(mv) = f.submit(t) {
                            let case = match f.purpose {
                                FormPurpose::Pass(c) | FormPurpose::Fail(c) | FormPurpose::Withdraw(c) => c,
                            };
                            // The form stays under the confirmation: a "no" returns to it as typed.
                            self.ask_move(case, mv);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn update_intake(&mut self, msg: Msg) {
        let t = self.state.t();
        let lang = self.state.lang;
        let today = self.svc.today();
        let svc = self.svc.clone();
        let Some(Overlay::Intake(form)) = self.state.overlays.last_mut() else {
            return;
        };
        if is_edit(&msg) {
            let f = form.focused().f;
            if f.is_pick() {
                match msg {
                    Msg::Char(c) => self.open_field_picker(f, Some(c)),
                    Msg::Action(Action::DeleteBack | Action::ClearQuery | Action::DeleteWord) => form.unpick(),
                    _ => {}
                }
            } else {
                if edit(&mut form.focused_mut().input, &msg) {
                    form.dirty = true;
                    form.focused_mut().error = None;
                }
                if f == F::IdNumber {
                    form.live_check(&svc.read().data, t, lang, today);
                }
            }
            return;
        }
        let Msg::Action(a) = msg else { return };
        let n = form.fields.len().max(1);
        match a {
            Action::NextField | Action::Down => form.focus = (form.focus + 1) % n,
            Action::PrevField | Action::Up => form.focus = (form.focus + n - 1) % n,
            Action::Open => {
                let f = form.focused().f;
                if f.is_pick() {
                    self.open_field_picker(f, None);
                } else if form.focus + 1 == n {
                    self.save_intake(false);
                } else {
                    form.focus += 1;
                }
            }
            Action::Save => self.save_intake(false),
            Action::SaveAndNext => self.save_intake(true),
            Action::OpenExisting => match form.existing {
                Some(id) => {
                    self.state.overlays.pop();
                    self.state.tab = Tab::Trainees;
                    self.state.overlays.push(Overlay::Detail {
                        kind: Kind::Trainees,
                        id: id.0,
                        scroll: 0,
                    });
                }
                None => self.not_here(a),
            },
            Action::Cancel | Action::Back => {
                if form.dirty {
                    self.state.overlays.push(Overlay::Confirm(Confirm {
                        text: t.i_discard.to_string(),
                        op: Op::Discard,
                    }));
                } else {
                    self.state.overlays.pop();
                }
            }
            other => self.not_here(other),
        }
    }

    /// Check the file (first Enter), then write it (second Enter, if clean).
    fn import_step(&mut self) {
        let t = self.state.t();
        let svc = self.svc.clone();
        let Some(Overlay::Import(d)) = self.state.overlays.last_mut() else {
            return;
        };
        match d.plan.take() {
            None => {
                let path = std::path::PathBuf::from(d.input.value().trim());
                let opts = crate::io::import::Options {
                    today: svc.today(),
                    ..Default::default()
                };
                match crate::io::import::plan(svc.store(), d.kind, &path, &opts) {
                    Ok(p) => d.plan = Some(p),
                    Err(e) => d.error = Some(e.to_string()),
                }
            }
            Some(plan) if !plan.rejects.is_empty() => d.plan = Some(plan),
            Some(plan) => {
                let res = crate::io::import::apply(
                    svc.store(),
                    plan,
                    &crate::io::import::ApplyOptions::default(),
                    &mut |_, _| {},
                );
                match res {
                    Ok(report) => {
                        self.state.overlays.pop();
                        if let Err(e) = svc.reload() {
                            self.state.err(store_message(&e));
                            return;
                        }
                        self.state.ok(fill(t.imp_done, &[&report]));
                    }
                    Err(e) => {
                        d.error = Some(e.to_string());
                        // Batches before the failure are written: show them.
                        if let Err(e) = svc.reload() {
                            self.state.err(store_message(&e));
                        }
                    }
                }
            }
        }
    }

    /// Open a record form; `id` edits an existing record.
    pub fn open_intake(&mut self, kind: RecordKind, id: Option<u64>) {
        let today = self.svc.today();
        let form = match id {
            None => Some(Intake::new(kind, today, &Carry::default())),
            Some(id) => Intake::edit(kind, id, &self.svc.read().data, today),
        };
        match form {
            Some(f) => self.state.overlays.push(Overlay::Intake(Box::new(f))),
            None => {
                let t = self.state.t();
                self.state.err(t.nothing_selected.to_string());
            }
        }
    }

    fn edit_record(&mut self, kind: Kind, id: u64) {
        let rk = match kind {
            Kind::Demands => RecordKind::Demand,
            Kind::Classes => RecordKind::Class,
            Kind::Trainees => RecordKind::Trainee,
            Kind::Institutions => RecordKind::Institution,
            Kind::Enterprises => RecordKind::Enterprise,
            Kind::Cases => {
                let trainee = self.svc.read().data.cases.get(&CaseId(id)).map(|c| c.trainee.0);
                match trainee {
                    Some(t) => return self.open_intake(RecordKind::Trainee, Some(t)),
                    None => return,
                }
            }
        };
        self.open_intake(rk, Some(id));
    }

    fn open_field_picker(&mut self, f: F, initial: Option<char>) {
        let t = self.state.t();
        let lang = self.state.lang;
        let today = self.svc.today();
        let Some(Overlay::Intake(form)) = self.state.overlays.last() else {
            return;
        };
        let source = form.source(f, &self.svc.read().data, t, lang, today);
        let items = match source {
            Source::Fixed(v) => {
                let all: Vec<(String, PickValue)> = v.into_iter().map(|(l, x)| (l, PickValue::Value(x))).collect();
                let shown = (0..all.len()).collect();
                PickItems::Fixed { all, shown }
            }
            Source::Search(kind) => PickItems::Search {
                kind,
                ids: Arc::default(),
            },
        };
        self.state.overlays.push(Overlay::Picker(Picker {
            purpose: PickPurpose::FormField(f),
            title: f.label(t).to_string(),
            input: Input::new(initial.map(String::from).unwrap_or_default()),
            items,
            selected: 0,
            generation: 0,
            waiting: false,
            choose_on_answer: false,
        }));
        self.search_picker();
    }

    fn save_intake(&mut self, next: bool) {
        let t = self.state.t();
        let today = self.svc.today();
        let svc = self.svc.clone();
        let operator = self.state.operator.clone();
        let Some(Overlay::Intake(form)) = self.state.overlays.last_mut() else {
            return;
        };
        let built = form.build(&svc.read().data, t, today);
        let Some(built) = built else {
            self.state.err(t.i_fix.to_string());
            return;
        };
        let mut enrolled: Option<String> = None;
        let saved_name = match built {
            Built::Trainee(tr, class) => match svc.save(tr) {
                Ok(saved) => {
                    if let Some(c) = class {
                        match svc.enroll(saved.id, c, &operator, "intake") {
                            Ok(_) => {
                                enrolled = svc.read().data.classes.get(&c).map(|k| k.name.clone());
                            }
                            Err(e) => {
                                // The person is saved: the form now edits them.
                                form.editing = Some(saved.id.0);
                                form.store_error(&e, t);
                                self.state.saved += 1;
                                self.state.err(fill(t.i_enroll_failed, &[&e]));
                                return;
                            }
                        }
                    }
                    Ok(saved.name.into())
                }
                Err(e) => Err(e),
            },
            Built::Demand(d) => svc.save(d).map(|d| {
                format!(
                    "{} {} {}",
                    d.id,
                    d.occupation.zh(),
                    svc.read().data.enterprise_name(d.enterprise)
                )
            }),
            Built::Class(c) => svc.save(c).map(|c| format!("{} {}", c.id, c.name)),
            Built::Institution(i) => svc.save(i).map(|i| format!("{} {}", i.id, i.name)),
            Built::Enterprise(e) => svc.save(e).map(|e| format!("{} {}", e.id, e.name)),
        };
        match saved_name {
            Err(e) => {
                form.store_error(&e, t);
                self.state.err(fill(t.refused, &[&e]));
            }
            Ok(name) => {
                if next && form.editing.is_none() {
                    let carry = form.carry();
                    **form = Intake::new(form.kind, today, &carry);
                } else {
                    self.state.overlays.pop();
                }
                self.state.saved += 1;
                let n = self.state.saved;
                let text = match enrolled {
                    Some(class) => fill(t.i_saved_enrolled, &[&name, &class, &n]),
                    None => fill(t.i_saved, &[&name, &n]),
                };
                self.state.ok(text);
            }
        }
        self.tick();
    }

    /// One key on a case: check the move is legal here, then ask.
    fn case_action(&mut self, case: CaseId, a: Action) {
        let mk = match a {
            Action::StartTraining => MoveKind::StartTraining,
            Action::SendToEvaluation => MoveKind::SendToEvaluation,
            Action::RecordPass => MoveKind::Certify,
            Action::RecordFail => MoveKind::Fail,
            Action::Retake => MoveKind::Retake,
            Action::Refer => MoveKind::Refer,
            Action::Hire => MoveKind::Hire,
            Action::NotHire => MoveKind::NotHire,
            Action::Withdraw => MoveKind::Withdraw,
            other => return self.not_here(other),
        };
        let (state, subject, target) = {
            let inner = self.svc.read();
            let Some(c) = inner.data.cases.get(&case) else { return };
            let class = inner.data.classes.get(&c.class);
            let subject = format!(
                "{} · {}",
                inner
                    .data
                    .trainees
                    .get(&c.trainee)
                    .map(|t| t.name.as_str())
                    .unwrap_or("?"),
                class.map(|k| k.name.as_str()).unwrap_or("?")
            );
            (c.state.clone(), subject, class.map(|k| k.target_level))
        };
        let legal = legal_moves(&state);
        if !legal.contains(&mk) {
            let names: Vec<&str> = legal
                .iter()
                .map(|m| match self.state.lang {
                    Lang::Zh => m.zh(),
                    Lang::En => m.name(),
                })
                .collect();
            let t = self.state.t();
            let text = match self.state.lang {
                Lang::Zh => format!(
                    "{}：当前状态「{}」，可办理：{}",
                    mk.zh(),
                    state.kind().zh(),
                    if names.is_empty() {
                        t.no_moves.to_string()
                    } else {
                        names.join("、")
                    }
                ),
                Lang::En => format!(
                    "cannot {} a case that is {}; legal moves: {}",
                    mk.name(),
                    state.kind().en(),
                    if names.is_empty() {
                        t.no_moves.to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            };
            self.state.err(text);
            return;
        }
        match mk {
            MoveKind::Certify => {
                self.state
                    .overlays
                    .push(Overlay::Form(Form::new(FormPurpose::Pass(case), subject, target)))
            }
            MoveKind::Fail => {
                self.state
                    .overlays
                    .push(Overlay::Form(Form::new(FormPurpose::Fail(case), subject, None)))
            }
            MoveKind::Withdraw => {
                self.state
                    .overlays
                    .push(Overlay::Form(Form::new(FormPurpose::Withdraw(case), subject, None)))
            }
            MoveKind::Refer => self.pair(Kind::Cases, case.0),
            MoveKind::StartTraining => self.ask_move(case, Move::StartTraining),
            MoveKind::SendToEvaluation => self.ask_move(case, Move::SendToEvaluation),
            MoveKind::Retake => self.ask_move(case, Move::Retake),
            MoveKind::Hire => self.ask_move(case, Move::Hire),
            MoveKind::NotHire => self.ask_move(case, Move::NotHire),
        }
    }

    fn ask_move(&mut self, case: CaseId, mv: Move) {
        let t = self.state.t();
        let text = {
            let inner = self.svc.read();
            let who = inner
                .data
                .cases
                .get(&case)
                .and_then(|c| inner.data.trainees.get(&c.trainee))
                .map(|t| t.name.clone())
                .unwrap_or_default();
            match &mv {
                Move::Refer(d) => {
                    let what = inner
                        .data
                        .demands
                        .get(d)
                        .map(|x| {
                            format!(
                                "{} {} {}",
                                x.id,
                                x.occupation.zh(),
                                inner.data.enterprise_name(x.enterprise)
                            )
                        })
                        .unwrap_or_default();
                    fill(t.ask_refer, &[&who, &what])
                }
                other => {
                    let name = match self.state.lang {
                        Lang::Zh => other.kind().zh(),
                        Lang::En => other.kind().name(),
                    };
                    fill(t.ask_move, &[&name, &format!("{who} ({case})")])
                }
            }
        };
        self.state.overlays.push(Overlay::Confirm(Confirm {
            text,
            op: Op::Move { case, mv },
        }));
    }

    fn run(&mut self, op: Op) {
        let t = self.state.t();
        let operator = self.state.operator.clone();
        match op {
            Op::Enroll { trainee, class } => match self.svc.enroll(trainee, class, &operator, "") {
                Ok(case) => {
                    let (who, what) = {
                        let inner = self.svc.read();
                        (
                            inner
                                .data
                                .trainees
                                .get(&trainee)
                                .map(|t| t.name.clone())
                                .unwrap_or_default(),
                            inner
                                .data
                                .classes
                                .get(&class)
                                .map(|c| c.name.clone())
                                .unwrap_or_default(),
                        )
                    };
                    // Close the picker that led here; the pairing stays for the next one.
                    if matches!(self.state.overlays.last(), Some(Overlay::Picker(_))) {
                        self.state.overlays.pop();
                    }
                    self.state.ok(fill(t.done_enroll, &[&who, &what, &case.id]));
                }
                Err(e) => self.state.err(fill(t.refused, &[&store_message(&e)])),
            },
            Op::Move { case, mv } => match self.svc.transition(case, mv, &operator, "") {
                Ok(c) => {
                    // Close the form and the pairing that led here.
                    while matches!(self.state.overlays.last(), Some(Overlay::Form(_) | Overlay::Pairing(_))) {
                        self.state.overlays.pop();
                    }
                    let state = match self.state.lang {
                        Lang::Zh => c.state.kind().zh(),
                        Lang::En => c.state.kind().en(),
                    };
                    self.state.ok(fill(t.done_move, &[&case, &state]));
                    self.state.case_events = None;
                }
                Err(e) => self.state.err(fill(t.refused, &[&store_message(&e)])),
            },
            Op::Discard => {}
        }
        self.tick();
    }

    /// Pairing for a record: a demand gets ranked classes; a class gets the
    /// trainee picker; a certified case or trainee gets ranked demands.
    fn pair(&mut self, kind: Kind, id: u64) {
        let t = self.state.t();
        let today = self.svc.today();
        let rows = {
            let inner = self.svc.read();
            let data = &inner.data;
            match kind {
                Kind::Demands => Ok(PairRows::Classes(
                    DemandId(id),
                    matching::classes_for_demand(data, DemandId(id), today),
                )),
                Kind::Classes => Err(Some(ClassId(id))),
                Kind::Cases => match data.cases.get(&CaseId(id)) {
                    Some(c) if matches!(c.state, CaseState::Certified(_) | CaseState::NotHired(_)) => {
                        Ok(PairRows::Demands(c.id, matching::demands_for_case(data, c.id)))
                    }
                    _ => Err(None),
                },
                Kind::Trainees => match data.referable_case(TraineeId(id)) {
                    Some(c) => Ok(PairRows::Demands(c.id, matching::demands_for_case(data, c.id))),
                    None => Err(None),
                },
                _ => Err(None),
            }
        };
        match rows {
            Ok(rows) => self
                .state
                .overlays
                .push(Overlay::Pairing(Pairing { rows, selected: 0 })),
            Err(Some(class)) => self.open_trainee_picker(class),
            Err(None) => {
                let msg = if kind == Kind::Trainees {
                    t.no_referable
                } else {
                    t.pair_needs
                };
                self.state.err(msg.to_string());
            }
        }
    }

    fn open_trainee_picker(&mut self, class: ClassId) {
        let t = self.state.t();
        let name = self
            .svc
            .read()
            .data
            .classes
            .get(&class)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        self.state.overlays.push(Overlay::Picker(Picker {
            purpose: PickPurpose::EnrollInto(class),
            title: fill(t.pick_trainee, &[&name]),
            input: Input::default(),
            items: PickItems::Search {
                kind: Kind::Trainees,
                ids: Arc::default(),
            },
            selected: 0,
            generation: 0,
            waiting: false,
            choose_on_answer: false,
        }));
        self.search_picker();
    }

    fn open_filter_fields(&mut self) {
        let t = self.state.t();
        let tab = self.state.tab;
        let all: Vec<(String, PickValue)> = FilterField::ALL
            .iter()
            .filter(|f| f.applies(tab))
            .map(|f| (f.label(t).to_string(), PickValue::Field(*f)))
            .collect();
        let shown = (0..all.len()).collect();
        self.state.overlays.push(Overlay::Picker(Picker {
            purpose: PickPurpose::FilterField,
            title: t.pick_filter.to_string(),
            input: Input::default(),
            items: PickItems::Fixed { all, shown },
            selected: 0,
            generation: 0,
            waiting: false,
            choose_on_answer: false,
        }));
    }

    fn open_filter_values(&mut self, field: FilterField) {
        let t = self.state.t();
        let tab = self.state.tab;
        let base = self.state.list().filters.clone();
        let mut all: Vec<(String, PickValue)> = Vec::new();
        let mut cleared = base.clone();
        match field {
            FilterField::Region => cleared.region = None,
            FilterField::Trade => cleared.occupation = None,
            FilterField::Status => {
                cleared.demand_status = None;
                cleared.class_status = None;
                cleared.case_state = None;
            }
            FilterField::Kind => {
                cleared.post_kind = None;
                cleared.class_kind = None;
            }
            FilterField::Program => cleared.program = None,
        }
        all.push((t.all.to_string(), PickValue::Filter(cleared.clone())));
        let en = self.state.lang == Lang::En;
        let mut add = |label: String, f: Filters| all.push((label, PickValue::Filter(f)));
        match field {
            FilterField::Region => {
                for r in crate::domain::REGIONS.iter() {
                    add(
                        format!("{} {}", r.zh, if en { r.en } else { "" }).trim().to_string(),
                        Filters {
                            region: Some(r.id),
                            ..cleared.clone()
                        },
                    );
                }
            }
            FilterField::Trade => {
                for o in crate::domain::OCCUPATIONS.iter() {
                    add(
                        format!("{} {}", o.zh, o.en),
                        Filters {
                            occupation: Some(o.id),
                            ..cleared.clone()
                        },
                    );
                }
            }
            FilterField::Status => match tab {
                Tab::Demands => {
                    for s in [DemandStatus::Open, DemandStatus::Filled, DemandStatus::Closed] {
                        add(
                            if en { s.name().into() } else { s.zh().into() },
                            Filters {
                                demand_status: Some(s),
                                ..cleared.clone()
                            },
                        );
                    }
                }
                Tab::Classes => {
                    for s in [
                        ClassStatus::Planned,
                        ClassStatus::Open,
                        ClassStatus::Running,
                        ClassStatus::Finished,
                        ClassStatus::Cancelled,
                    ] {
                        add(
                            if en { s.name().into() } else { s.zh().into() },
                            Filters {
                                class_status: Some(s),
                                ..cleared.clone()
                            },
                        );
                    }
                }
                _ => {
                    for s in StateKind::ALL {
                        add(
                            if en { s.en().into() } else { s.zh().into() },
                            Filters {
                                case_state: Some(s),
                                ..cleared.clone()
                            },
                        );
                    }
                }
            },
            FilterField::Kind => {
                if tab == Tab::Demands {
                    for k in [PostKind::Skilled, PostKind::TechnicalManagement] {
                        add(
                            if en { k.en().into() } else { k.zh().into() },
                            Filters {
                                post_kind: Some(k),
                                ..cleared.clone()
                            },
                        );
                    }
                } else {
                    for k in [ClassKind::Subsidized, ClassKind::Certification, ClassKind::ProjectBased] {
                        add(
                            if en { k.name().into() } else { k.zh().into() },
                            Filters {
                                class_kind: Some(k),
                                ..cleared.clone()
                            },
                        );
                    }
                }
            }
            FilterField::Program => {
                for p in crate::domain::PROGRAMS.iter() {
                    add(
                        if en { p.en.into() } else { p.zh.into() },
                        Filters {
                            program: Some(p.id),
                            ..cleared.clone()
                        },
                    );
                }
            }
        }
        let shown = (0..all.len()).collect();
        self.state.overlays.push(Overlay::Picker(Picker {
            purpose: PickPurpose::FilterValue(field),
            title: fill(t.pick_value, &[&field.label(t)]),
            input: Input::default(),
            items: PickItems::Fixed { all, shown },
            selected: 0,
            generation: 0,
            waiting: false,
            choose_on_answer: false,
        }));
    }

    fn choose(&mut self) {
        let Some(Overlay::Picker(p)) = self.state.overlays.last_mut() else {
            return;
        };
        // Enter typed ahead of the search's answer (a fast typist, a slow
        // link) chooses what the answer puts first, not "nothing".
        if let PickItems::Search { ids, .. } = &p.items
            && ids.is_empty()
            && p.waiting
        {
            p.choose_on_answer = true;
            return;
        }
        let Some(Overlay::Picker(p)) = self.state.overlays.last() else {
            return;
        };
        let t = self.state.t();
        match (&p.purpose, &p.items) {
            (PickPurpose::EnrollInto(class), PickItems::Search { ids, .. }) => {
                let class = *class;
                let Some(&tid) = ids.get(p.selected) else {
                    self.state.err(t.nothing_selected.to_string());
                    return;
                };
                let text = {
                    let inner = self.svc.read();
                    let who = inner
                        .data
                        .trainees
                        .get(&TraineeId(tid))
                        .map(|x| format!("{} {}", x.name, x.id_number))
                        .unwrap_or_default();
                    let what = inner
                        .data
                        .classes
                        .get(&class)
                        .map(|c| c.name.clone())
                        .unwrap_or_default();
                    fill(t.ask_enroll, &[&who, &what])
                };
                self.state.overlays.push(Overlay::Confirm(Confirm {
                    text,
                    op: Op::Enroll {
                        trainee: TraineeId(tid),
                        class,
                    },
                }));
            }
            (PickPurpose::FormField(f), items) => {
                let f = *f;
                let value = match items {
                    PickItems::Search { ids, .. } => ids.get(p.selected).copied(),
                    PickItems::Fixed { all, shown } => match shown.get(p.selected).and_then(|i| all.get(*i)) {
                        Some((_, PickValue::Value(v))) => Some(*v),
                        _ => None,
                    },
                };
                let Some(value) = value else {
                    self.state.err(t.nothing_selected.to_string());
                    return;
                };
                self.state.overlays.pop();
                let data = self.svc.clone();
                if let Some(Overlay::Intake(form)) = self.state.overlays.last_mut() {
                    form.choose(f, value);
                    form.default_region_from(&data.read().data);
                    if form.focus + 1 < form.fields.len() {
                        form.focus += 1;
                    }
                }
            }
            (_, PickItems::Fixed { all, shown }) => {
                let Some(value) = shown.get(p.selected).and_then(|i| all.get(*i)).map(|(_, v)| v.clone()) else {
                    return;
                };
                self.state.overlays.pop();
                match value {
                    PickValue::Field(f) => self.open_filter_values(f),
                    PickValue::Filter(filters) => {
                        let l = self.state.list_mut();
                        l.filters = filters;
                        l.selected = 0;
                        self.search_list(self.state.tab.index());
                    }
                    PickValue::Value(_) => {}
                }
            }
            _ => {}
        }
    }
}
