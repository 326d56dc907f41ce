//! Everything one session shows, as plain data: the four lists, the stack
//! of dialogs over them, the status line. `update` changes it; the view
//! builder and the renderer only read it.

use super::dashboard::DashboardState;
use super::filters::FilterField;
use super::form::Form;
use super::intake::{Intake, Pick};
use crate::domain::{CaseId, ClassId, DemandId, Event, Kind, Move, RecordRef, TraineeId};
use crate::i18n::{Lang, Strings};
use crate::keymap::Context;
use crate::service::matching::{ClassMatch, DemandMatch};
use crate::service::{Actor, Filters, Sort};
use chrono::NaiveDate;
use std::sync::Arc;
use std::time::Duration;
use tui_input::Input;

/// One list: its search line, results, selection, filters and order.
#[derive(Debug, Clone)]
pub struct ListView {
    pub kind: Kind,
    pub input: Input,
    /// Keys of the records shown, of this list's kind, in order.
    pub ids: Arc<[u64]>,
    pub selected: usize,
    /// First visible row, as the last frame laid it out.
    pub offset: usize,
    pub filters: Filters,
    pub sort: usize,
    pub generation: u64,
    pub pending: bool,
    /// The search asked for is a new query, filter or order: its answer
    /// puts the cursor on the first row. (A search after a change of the
    /// data keeps the cursor on the record it was on.)
    pub to_top: bool,
    /// Enter was pressed while this list's search was on its way: the
    /// answer opens what it puts first (never the row shown before).
    pub open_on_answer: bool,
    pub elapsed: Duration,
}

impl ListView {
    pub fn new(kind: Kind) -> Self {
        ListView {
            kind,
            input: Input::default(),
            ids: Arc::default(),
            selected: 0,
            offset: 0,
            filters: Filters::default(),
            sort: 0,
            generation: 0,
            pending: true,
            to_top: true,
            open_on_answer: false,
            elapsed: Duration::ZERO,
        }
    }

    pub fn selected_id(&self) -> Option<u64> {
        self.ids.get(self.selected).copied()
    }

    /// The highlighted record.
    pub fn selected_ref(&self) -> Option<RecordRef> {
        self.selected_id().map(|id| RecordRef::new(self.kind, id))
    }

    /// The order the list is sorted by.
    pub fn sort_order(&self) -> Sort {
        let sorts = Sort::choices(self.kind);
        sorts[self.sort % sorts.len()]
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

/// What a picker row stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickValue {
    Field(FilterField),
    /// A value for a form field.
    Pick(Pick),
    /// Apply a filter change.
    Filter(Filters),
    /// Open a record's detail.
    Open(RecordRef),
    /// The code (0-based) of a named choice (#18).
    Code(usize),
    /// A row of the reference-data view.
    Ref(super::reference::RefChoice),
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
    FormField(super::intake::F),
    FilterField,
    FilterValue(FilterField),
    /// The level field of the case-step form below.
    CaseFormLevel,
    /// A record's code to go to.
    Goto,
    /// The follow-ups due: a row opens its case.
    FollowUpsDue,
    /// A code field of the after-the-job form below, chosen by name (#18).
    AftercareCode(super::form::FieldId),
    /// A class to enroll a training wish's person in (#25).
    WishClass(crate::domain::wish::WishId),
    /// The reference-data view (occupations and regions).
    Reference(super::reference::RefStage),
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
    pub fn new(purpose: PickPurpose, title: String, initial: Option<char>, items: PickItems) -> Picker {
        Picker {
            purpose,
            title,
            input: Input::new(initial.map(String::from).unwrap_or_default()),
            items,
            selected: 0,
            generation: 0,
            waiting: false,
            choose_on_answer: false,
        }
    }

    /// A fixed list of labelled values, every row shown.
    pub fn fixed(purpose: PickPurpose, title: String, initial: Option<char>, all: Vec<(String, PickValue)>) -> Picker {
        let shown = (0..all.len()).collect();
        Picker::new(purpose, title, initial, PickItems::Fixed { all, shown })
    }

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

/// A change the operator is asked to confirm.
#[derive(Debug, Clone)]
pub enum Op {
    /// Enroll; the note goes into the event (a second class's reason, a
    /// warning the operator confirmed).
    Enroll {
        trainee: TraineeId,
        class: ClassId,
        note: String,
    },
    Move {
        case: CaseId,
        mv: Move,
    },
    /// The same step for many cases (a whole class), in one transaction.
    MoveMany {
        cases: Vec<CaseId>,
        mv: Move,
    },
    /// After the job (#18): a note, an undo of the last step, a referral
    /// that did not end in a hire, a follow-up.
    Note {
        case: CaseId,
        text: String,
    },
    Correct {
        case: CaseId,
        reason: String,
    },
    NotHired {
        case: CaseId,
        reason: crate::domain::aftercare::NotHiredReason,
        note: String,
    },
    FollowUp {
        case: CaseId,
        outcome: crate::domain::aftercare::FollowUpOutcome,
        wage: Option<u32>,
        note: String,
    },
    /// A subsidy claim's step (#21).
    ClaimStep {
        claim: crate::domain::subsidy::ClaimId,
        step: crate::domain::subsidy::Step,
    },
    /// Build a class's subsidy claim from its roster.
    BuildClaim(ClassId),
    /// A change of the city's reference data.
    Catalog(crate::pack::edit::CatalogEdit),
    /// A change of the subsidy standard table (#21).
    Standards(crate::domain::subsidy::StandardEdit),
    /// Close the record form below without saving.
    Discard,
    /// Quit the session although a form holds unsaved input.
    Quit,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub text: String,
    pub op: Op,
}

/// Import a spreadsheet from the workspace: a path, a kind, a dry run shown
/// first, then a confirmation before anything is written.
pub struct ImportDialog {
    pub kind: Kind,
    pub input: Input,
    pub error: Option<String>,
    pub plan: Option<crate::io::import::Plan>,
    /// An evaluation results sheet, checked (the kind `Cases` means results).
    pub results: Option<crate::service::results::ResultsPlan>,
    /// A check or a write was asked and has not answered.
    pub working: bool,
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

/// A dialog over the lists; the last one is on top.
#[derive(Debug)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Detail {
        record: RecordRef,
        scroll: usize,
    },
    Pairing(Pairing),
    Picker(Picker),
    Confirm(Confirm),
    Form(Form),
    Intake(Box<Intake>),
    Import(Box<ImportDialog>),
    Dashboard(DashboardState),
    /// Training wishes to call back (#25).
    Wishes(super::wish::WishQueue),
    /// A training wish taken at the desk (#25).
    DeskWish(Box<super::wish::DeskWish>),
    /// Training subsidies: claims, a claim's review, the ledger (#21).
    Subsidy(Box<super::subsidy::SubsidyState>),
}

impl Overlay {
    /// The key contexts this dialog resolves keys through, most specific first.
    pub fn contexts(&self) -> &'static [Context] {
        match self {
            Overlay::Help { .. } => &[Context::Help, Context::Global],
            Overlay::Detail { .. } => &[Context::Detail, Context::Global],
            Overlay::Pairing(_) => &[Context::Pairing, Context::Global],
            Overlay::Picker(_) => &[Context::Picker, Context::Search, Context::Global],
            Overlay::Confirm(_) => &[Context::Confirm, Context::Global],
            Overlay::Form(_) | Overlay::Intake(_) | Overlay::Import(_) => {
                &[Context::Form, Context::Search, Context::Global]
            }
            Overlay::Dashboard(_) => &[Context::Dashboard, Context::Global],
            Overlay::Wishes(_) => &[Context::Wishes, Context::Global],
            Overlay::DeskWish(_) => &[Context::Form, Context::Search, Context::Global],
            Overlay::Subsidy(s) => s.contexts(),
        }
    }
}

/// One person's whole numbers, shown for a short time after a recorded
/// reveal; every other person's stay masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub trainee: TraineeId,
    pub id_number: String,
    pub mobile: Option<String>,
    /// When the numbers are masked again.
    pub until: std::time::Instant,
}

/// How long a reveal shows the numbers.
pub const REVEAL_FOR: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// What the last frame laid out, reported back by the renderer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    /// Rows of the list that fit on screen.
    pub rows: usize,
    /// The first row the list showed.
    pub offset: usize,
}

/// Everything one session shows.
pub struct State {
    pub lang: Lang,
    pub tab: Kind,
    /// One list per tab, in `Kind::TABS` order.
    pub lists: [ListView; 6],
    pub overlays: Vec<Overlay>,
    pub status: Option<Status>,
    pub operator: String,
    /// Who this session acts for: the operator's name, role and districts
    /// (every service command is checked against it).
    pub actor: Actor,
    pub quit: bool,
    /// Timeline of the case in focus, loaded when the focus moves.
    pub case_events: Option<(CaseId, Vec<Event>)>,
    /// Rows that fit in a list, as the last frame laid out (for paging).
    pub page: usize,
    /// Records saved by this session's forms.
    pub saved: usize,
    /// The business date (a demo database runs at its simulated date).
    pub today: NaiveDate,
    /// True on a demo database with a simulated date.
    pub simulated: bool,
    /// The last search generation handed out.
    pub next_gen: u64,
    /// A person whose numbers are shown whole for now (see [`Shown`]).
    pub revealed: Option<Shown>,
}

impl State {
    pub fn new(actor: Actor, lang: Lang, today: NaiveDate, simulated: bool) -> State {
        State {
            lang,
            tab: Kind::Demands,
            lists: Kind::TABS.map(ListView::new),
            overlays: Vec::new(),
            status: None,
            operator: actor.name.clone(),
            actor,
            quit: false,
            case_events: None,
            page: 10,
            saved: 0,
            today,
            simulated,
            next_gen: 0,
            revealed: None,
        }
    }

    pub fn t(&self) -> &'static Strings {
        self.lang.t()
    }

    pub fn list(&self) -> &ListView {
        &self.lists[self.tab.tab_index()]
    }

    pub fn list_mut(&mut self) -> &mut ListView {
        &mut self.lists[self.tab.tab_index()]
    }

    /// The context chain keys resolve through.
    pub fn chain(&self) -> Vec<Context> {
        match self.overlays.last() {
            None => vec![Context::List, Context::Search, Context::Global],
            Some(o) => o.contexts().to_vec(),
        }
    }

    /// The record the operator is looking at, if any.
    pub fn focus(&self) -> Option<RecordRef> {
        for o in self.overlays.iter().rev() {
            if let Overlay::Detail { record, .. } = o {
                return Some(*record);
            }
        }
        self.list().selected_ref()
    }

    pub fn ok(&mut self, text: String) {
        self.status = Some(Status { text, error: false });
    }

    pub fn err(&mut self, text: String) {
        self.status = Some(Status { text, error: true });
    }

    /// True when a form or dialog holds input that quitting would lose.
    pub fn unsaved(&self) -> bool {
        self.overlays.iter().any(|o| match o {
            Overlay::Intake(f) => f.dirty,
            Overlay::Form(f) => f.dirty,
            Overlay::Import(d) => !d.input.value().trim().is_empty(),
            Overlay::DeskWish(d) => !d.form.name.value().is_empty() || !d.form.mobile.value().is_empty(),
            _ => false,
        })
    }

    /// A new search generation.
    pub fn generation(&mut self) -> u64 {
        self.next_gen += 1;
        self.next_gen
    }
}

impl State {
    /// The layout the session last took back from a frame.
    pub fn viewport(&self) -> Viewport {
        Viewport {
            rows: self.page,
            offset: self.list().offset,
        }
    }
}
