//! What `update` takes in ([`Msg`]) and what it asks for ([`Effect`]).
//! `update` never reads or writes the service: it returns effects, the
//! runner carries them out against the service and feeds what came back in
//! as messages ([`Loaded`], [`Ran`], search answers).

use super::intake::{Intake, Pick};
use super::searcher::{Request, Response};
use super::state::{Op, PairRows, Viewport};
use crate::domain::*;
use crate::figures::{Figures, Settings};
use crate::keymap::Action;
use crate::store::StoreError;
use std::path::PathBuf;
use std::sync::Arc;

/// Messages `update` handles.
#[derive(Debug)]
pub enum Msg {
    Action(Action),
    /// A printable character for the focused text field.
    Char(char),
    /// Pasted text for the focused text field.
    Paste(String),
    /// What the last frame laid out.
    Viewport(Viewport),
    /// A search answered.
    Found(Response),
    /// The data changed (this session's write or another's).
    Changed,
    /// A case's timeline, read.
    Events(CaseId, Result<Vec<Event>, String>),
    /// Data read for a dialog.
    Loaded(Loaded),
    /// A write finished.
    Ran(Ran),
}

impl PartialEq for Msg {
    fn eq(&self, other: &Msg) -> bool {
        match (self, other) {
            (Msg::Action(a), Msg::Action(b)) => a == b,
            (Msg::Char(a), Msg::Char(b)) => a == b,
            (Msg::Paste(a), Msg::Paste(b)) => a == b,
            _ => false,
        }
    }
}

/// What `update` asks the runner to do.
#[derive(Debug)]
pub enum Effect {
    Search(Request),
    LoadEvents(CaseId),
    Prepare(Prep),
    Run(Run),
}

/// Data to read for a dialog; answered by a [`Loaded`].
#[derive(Debug, Clone)]
pub enum Prep {
    /// Ranked partners of a record (classes for a demand, demands for a case).
    Pair(RecordRef),
    /// Recompute the rows of the pairings open now.
    RefreshPairing,
    /// The trainee picker of a class (its title names the class).
    TraineePicker(ClassId),
    /// A case key: the case's state and names, to check and ask.
    CaseAction(CaseId, MoveKind),
    /// The confirmation of a move (who, and for a referral which post).
    AskMove(CaseId, Move),
    AskEnroll(TraineeId, ClassId),
    /// A record's form, filled from it.
    Edit(RecordRef),
    /// The form of a record's owner: a class's institution, a demand's enterprise.
    EditOwner(RecordRef),
    /// Open classes ranked for a trainee being registered.
    EnrollClasses {
        wanted: Vec<OccupationId>,
        region: Option<RegionId>,
        initial: Option<char>,
    },
    /// The district of a chosen enterprise or institution (a form's default).
    RegionOf(RecordRef),
    /// Is this ID number registered already?
    Registered(IdNumber),
    /// The dashboard's figures: on opening, or again after a change.
    Figures {
        open: bool,
    },
    /// A step for a whole class: who moves, who does not and why.
    ClassStep(ClassId, MoveKind),
    /// Is there such a record (to go to it)?
    Exists(RecordRef),
    /// The follow-ups due, oldest first, for a picker.
    FollowUpsDue,
    /// Training wishes to call back (#25).
    WishQueue,
    /// The intake form for a wish's person, prefilled.
    WishIntake(crate::domain::wish::WishId),
    /// The classes a wish's person may be enrolled in.
    WishClasses(crate::domain::wish::WishId),
    /// Check an evaluation agency's results sheet against the cases.
    ResultsPlan(PathBuf),
    /// Check a spreadsheet (the dry run) before anything is written.
    ImportPlan {
        kind: Kind,
        path: PathBuf,
    },
    /// The subsidy claims, briefly: open the overlay (on `focus`) or refresh it.
    Claims {
        open: bool,
        focus: Option<crate::domain::subsidy::ClaimId>,
    },
    /// The subsidy standard table, for its view (#21).
    Standards,
}

/// A write to carry out; answered by a [`Ran`].
#[derive(Debug)]
pub enum Run {
    Op(Op),
    /// Check and save a record form (and enroll a new trainee it names).
    Save {
        form: Box<Intake>,
        next: bool,
    },
    /// Write a checked import.
    Import(Box<crate::io::import::Plan>),
    /// Move the cases a checked results sheet names.
    Results(Box<crate::service::results::ResultsPlan>),
    /// Write the list shown (`ids` of `kind`, in order) to a spreadsheet.
    ExportList {
        kind: Kind,
        ids: Arc<[u64]>,
    },
    /// Write a class's roster: a spreadsheet and a page to print.
    ExportRoster(ClassId),
    /// Write the subsidy claims' roster (申报花名册) as a spreadsheet.
    ExportClaims,
    /// Show one person's whole numbers (recorded first): the person of a
    /// trainee or of a case.
    Reveal(RecordRef),
    /// A training wish's outcome, enrollment, desk registration or reveal (#25).
    Wish(super::wish::WishOp),
}

/// Why pairing has nothing to show for a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairRefusal {
    /// A trainee with no certified (or not hired) case.
    NoReferable,
    /// Pairing needs a demand, a class or a certified case.
    NeedsPartner,
}

#[derive(Debug)]
pub enum Loaded {
    Pairing(Result<PairRows, PairRefusal>),
    Pairings(Vec<PairRows>),
    TraineePicker {
        class: ClassId,
        name: String,
    },
    CaseAction {
        case: CaseId,
        mk: MoveKind,
        state: CaseState,
        subject: String,
        target: Option<SkillLevel>,
    },
    AskMove {
        case: CaseId,
        mv: Move,
        who: String,
        what: String,
    },
    AskEnroll(Box<Enrolling>),
    Form(Option<Box<Intake>>),
    EnrollClasses {
        items: Vec<(String, Pick)>,
        initial: Option<char>,
    },
    Region(RegionId),
    Registered {
        existing: Option<(TraineeId, String)>,
    },
    Figures(FiguresRead),
    ImportPlan(Result<Box<crate::io::import::Plan>, String>),
    ResultsPlan(Result<Box<crate::service::results::ResultsPlan>, String>),
    /// A class's step: who moves, who stays and why.
    ClassStep(Box<ClassStep>),
    /// A record to go to, and whether it exists.
    Exists(RecordRef, bool),
    /// The follow-ups due (a row's label, its case), oldest first.
    FollowUpsDue(Vec<(String, CaseId)>),
    /// The callback queue's rows (#25).
    WishQueue(Vec<crate::service::wish::QueueRow>),
    /// Classes for a wish (a row's label, the class).
    WishClasses(crate::domain::wish::WishId, Vec<(String, ClassId)>),
    /// The record is gone (deleted by nobody, but a stale id is possible).
    Nothing,
    /// The subsidy claims, newest first, and the ledger's row count.
    Claims {
        claims: Vec<super::subsidy::ClaimBrief>,
        ledger_rows: usize,
        open: bool,
        focus: Option<crate::domain::subsidy::ClaimId>,
    },
    /// The subsidy standard table, or why it cannot be read (#21).
    Standards(Result<Box<crate::domain::subsidy::Standards>, String>),
}

/// An enrollment about to be asked: the names, and what the rules say.
#[derive(Debug)]
pub struct Enrolling {
    pub trainee: TraineeId,
    pub class: ClassId,
    pub who: String,
    pub what: String,
    /// A rule refuses it (the class's dates, the person's age).
    pub refusal: Option<String>,
    /// A rule warns (past retirement age): said in the question, kept in the event.
    pub warning: Option<String>,
    /// The trainee is still in this other class (a second needs a reason).
    pub busy_in: Option<String>,
}

/// A step for a whole class, read before it is asked.
#[derive(Debug)]
pub struct ClassStep {
    pub class: ClassId,
    pub name: String,
    pub mv: Move,
    /// The cases that move, by the trainee's name.
    pub moving: Vec<(CaseId, String)>,
    /// The trainees that stay, and why.
    pub staying: Vec<(String, String)>,
}

/// The dashboard's figures, computed at a version of the data.
#[derive(Debug)]
pub struct FiguresRead {
    pub figures: Arc<Figures>,
    pub settings: Settings,
    pub version: u64,
    /// The labor-force setting could not be read: why (the default is used).
    pub problem: Option<String>,
    /// Open the dashboard (else refresh the open one).
    pub open: bool,
}

/// What a write did.
#[derive(Debug)]
pub enum Ran {
    Enrolled {
        result: Result<Case, StoreError>,
        who: String,
        what: String,
    },
    Moved(Result<Case, StoreError>),
    /// A note or a follow-up (the state stays).
    Recorded(Result<Case, StoreError>, MoveKind),
    MovedMany(Result<Vec<Case>, StoreError>, Move),
    Saved(Saved),
    Imported(Result<String, String>),
    /// An export: what was written where, or why not.
    Exported(Result<String, String>),
    /// A reveal: the numbers, or why not.
    Revealed(Result<super::state::Shown, String>),
    /// A wish write: what it did, or why not (#25).
    Wish(Result<String, String>),
    /// A subsidy claim built or moved: what it is now, or why not.
    Subsidy(Result<(String, crate::domain::subsidy::ClaimId), String>),
    /// A change of the reference data: what was done, or why not.
    Reference(Result<String, String>),
    /// A change of the subsidy standard table: what was done, or why not
    /// (and the form's field it concerns).
    Standards(Result<String, (Option<crate::domain::subsidy::edit::EditField>, String)>),
}

/// How a form's save went.
#[derive(Debug)]
pub enum Saved {
    /// Saved (and enrolled into `enrolled`, a class name).
    Done {
        name: String,
        enrolled: Option<String>,
        next: bool,
    },
    /// Not saved: the form comes back with its errors on the fields.
    Refused { form: Box<Intake>, error: Option<String> },
    /// The person was saved but the enrollment was refused: the form now
    /// edits them and carries the refusal.
    EnrollRefused { form: Box<Intake>, error: String },
}
