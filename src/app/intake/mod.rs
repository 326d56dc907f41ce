//! Record forms for intake sessions: trainees, job demands, classes,
//! institutions and enterprises. Each field validates its own input and
//! shows its error in place; reference fields are chosen from pickers, never
//! typed free, and hold typed values; a refused save keeps every character
//! typed.
//!
//! This module is the form's state and its pure editing. Reading the
//! database (a record to edit, ranked classes, the checks that need other
//! records) is in `data` and `check`, run by the effects runner.

mod check;
mod data;
mod fields;

pub use check::Built;
pub use data::{Source, fixed_items, pick_label, ranked_classes, registered};
pub use fields::{CLASS_KINDS, CLASS_STATUSES, F, Pick};

use crate::domain::*;
use crate::i18n::{Lang, Strings, fill};
use crate::say::Say;
use crate::store::StoreError;
use chrono::NaiveDate;
use fields::fields_of;
use tui_input::Input;

#[derive(Debug, Clone)]
pub struct Field {
    pub f: F,
    /// Typed text (text fields).
    pub input: Input,
    /// Chosen values (pick fields).
    pub picks: Vec<Pick>,
    pub error: Option<String>,
    /// What the value means (e.g. an ID number's birth date, age and sex).
    pub note: Option<String>,
}

/// What a batch session keeps from one record to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carry {
    pub region: Option<RegionId>,
    pub program: Option<ProgramId>,
    pub class: Option<ClassId>,
}

#[derive(Debug, Clone)]
pub struct Intake {
    /// Which record this form makes.
    pub kind: Kind,
    /// The key of the record being edited (None: a new one).
    pub editing: Option<u64>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// A trainee already registered with the typed ID number.
    pub existing: Option<TraineeId>,
    /// A rule's warning about the enrollment this form asks for, shown once:
    /// saving again with the same warning confirms it.
    pub warned: Option<String>,
}

fn field(f: F) -> Field {
    Field {
        f,
        input: Input::default(),
        picks: Vec::new(),
        error: None,
        note: None,
    }
}

/// Parse a date typed as 2025-10-01, 2025/10/01 or 20251001.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .ok()
}

/// Parse a whole number within bounds.
pub fn parse_number(s: &str, min: u32, max: u32) -> Option<u32> {
    s.trim().parse::<u32>().ok().filter(|v| (min..=max).contains(v))
}

/// The ID-number error in the operator's language.
pub fn id_error(e: &IdNumberError, t: &Strings) -> String {
    match e {
        IdNumberError::Empty => t.e_required.to_string(),
        IdNumberError::WrongLength { len, .. } => fill(t.e_id_len, &[len]),
        IdNumberError::NotDigit { pos, ch, .. } => fill(t.e_id_char, &[pos, ch]),
        IdNumberError::BadDate { date, .. } => fill(t.e_id_date, &[date]),
        IdNumberError::FutureDate { date, .. } => fill(t.e_id_future, &[date]),
        IdNumberError::WrongCheck { found, expected, .. } => fill(t.e_id_check, &[expected, found]),
    }
}

impl Intake {
    /// A blank form; a batch session passes what it keeps.
    pub fn new(kind: Kind, today: NaiveDate, carry: &Carry) -> Intake {
        let mut fields: Vec<Field> = fields_of(kind).iter().map(|f| field(*f)).collect();
        for fl in &mut fields {
            match fl.f {
                F::Region => fl.picks.extend(carry.region.map(Pick::Region)),
                F::Program => fl.picks.extend(carry.program.map(Pick::Program)),
                F::EnrollClass => fl.picks.extend(carry.class.map(|c| Pick::Class(Some(c)))),
                F::Posted => fl.input = Input::new(today.to_string()),
                F::PostKind => fl.picks.push(Pick::PostKind(PostKind::Skilled)),
                F::ClassKind => fl.picks.push(Pick::ClassKind(ClassKind::Subsidized)),
                F::DemandStatus => fl.picks.push(Pick::DemandStatus(DemandStatus::Open)),
                F::ClassStatus => fl.picks.push(Pick::ClassStatus(ClassStatus::Open)),
                F::MinLevel => fl.picks.push(Pick::MinLevel(None)),
                F::TargetLevel => fl.picks.push(Pick::Level(SkillLevel::L4)),
                F::Stars => fl.picks.push(Pick::Stars(3)),
                _ => {}
            }
        }
        Intake {
            kind,
            editing: None,
            fields,
            focus: 0,
            dirty: false,
            existing: None,
            warned: None,
        }
    }

    pub fn title(&self, t: &Strings) -> &'static str {
        let i = match self.kind {
            Kind::Trainees | Kind::Cases => 0,
            Kind::Demands => 1,
            Kind::Classes => 2,
            Kind::Institutions => 3,
            Kind::Enterprises => 4,
        };
        if self.editing.is_some() {
            t.i_edit[i]
        } else {
            t.i_new[i]
        }
    }

    /// A field's label on this form (a name is a person's, an
    /// institution's or an enterprise's).
    pub fn label(&self, f: F, t: &Strings) -> &'static str {
        match (f, self.kind) {
            (F::Name, Kind::Institutions) => t.i_name_institution,
            (F::Name, Kind::Enterprises) => t.i_name_enterprise,
            _ => f.label(t),
        }
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus.min(self.fields.len() - 1)]
    }

    pub fn focused_mut(&mut self) -> &mut Field {
        let i = self.focus.min(self.fields.len() - 1);
        &mut self.fields[i]
    }

    pub fn get(&self, f: F) -> Option<&Field> {
        self.fields.iter().find(|x| x.f == f)
    }

    fn get_mut(&mut self, f: F) -> Option<&mut Field> {
        self.fields.iter_mut().find(|x| x.f == f)
    }

    pub(crate) fn text(&self, f: F) -> &str {
        self.get(f).map(|x| x.input.value().trim()).unwrap_or("")
    }

    pub(crate) fn pick(&self, f: F) -> Option<Pick> {
        self.get(f).and_then(|x| x.picks.first().copied())
    }

    pub(crate) fn picks(&self, f: F) -> &[Pick] {
        self.get(f).map(|x| x.picks.as_slice()).unwrap_or(&[])
    }

    pub(crate) fn set_error(&mut self, f: F, e: String) {
        if let Some(fl) = self.get_mut(f) {
            fl.error = Some(e);
        }
    }

    /// The region chosen, if any.
    pub fn region(&self) -> Option<RegionId> {
        match self.pick(F::Region) {
            Some(Pick::Region(r)) => Some(r),
            _ => None,
        }
    }

    /// The trades a trainee wants.
    pub fn wanted(&self) -> Vec<OccupationId> {
        self.picks(F::Wanted)
            .iter()
            .filter_map(|p| match p {
                Pick::Occupation(o) => Some(*o),
                _ => None,
            })
            .collect()
    }

    /// What a batch session keeps for the next record.
    pub fn carry(&self) -> Carry {
        Carry {
            region: self.region(),
            program: match self.pick(F::Program) {
                Some(Pick::Program(p)) => Some(p),
                _ => None,
            },
            class: match self.pick(F::EnrollClass) {
                Some(Pick::Class(c)) => c,
                _ => None,
            },
        }
    }

    /// Record a choice from a picker.
    pub fn choose(&mut self, f: F, value: Pick) {
        if let Some(fl) = self.get_mut(f) {
            if f.is_multi() {
                if !fl.picks.contains(&value) {
                    fl.picks.push(value);
                }
            } else {
                fl.picks = vec![value];
            }
            fl.error = None;
            self.dirty = true;
        }
        // A technical-management trade makes a technical-management post.
        if f == F::Trade
            && self.kind == Kind::Demands
            && self.editing.is_none()
            && let Pick::Occupation(o) = value
        {
            let kind = match o.get().map(|o| o.kind) {
                Some(PostKind::TechnicalManagement) => PostKind::TechnicalManagement,
                _ => PostKind::Skilled,
            };
            if let Some(fl) = self.get_mut(F::PostKind) {
                fl.picks = vec![Pick::PostKind(kind)];
            }
        }
    }

    /// After choosing the enterprise or institution, default the district.
    pub fn default_region(&mut self, r: RegionId) {
        if let Some(fl) = self.get_mut(F::Region)
            && fl.picks.is_empty()
        {
            fl.picks = vec![Pick::Region(r)];
        }
    }

    /// Remove the last choice of the focused pick field.
    pub fn unpick(&mut self) {
        let fl = self.focused_mut();
        if fl.picks.pop().is_some() {
            self.dirty = true;
        }
    }

    /// Check the ID-number field as it is typed; say what it encodes. A
    /// number that parses is returned, to look up who holds it.
    pub fn live_check(&mut self, t: &Strings, lang: Lang, today: NaiveDate) -> Option<IdNumber> {
        self.existing = None;
        let i = self.fields.iter().position(|x| x.f == F::IdNumber)?;
        let raw = self.fields[i].input.value().trim().to_string();
        self.fields[i].note = None;
        self.fields[i].error = None;
        if raw.is_empty() {
            return None;
        }
        let typed = raw.chars().count();
        match IdNumber::parse_on(&raw, today) {
            Ok(n) => {
                let sex = if lang == Lang::Zh { n.sex().zh() } else { n.sex().en() };
                self.fields[i].note = Some(fill(t.person_fmt, &[&sex, &n.age_on(today), &n.birth_date()]));
                Some(n)
            }
            // Still typing: only say so once the length is reached or a bad character shows.
            Err(IdNumberError::WrongLength { .. }) if typed < 18 => None,
            Err(e) => {
                self.fields[i].error = Some(id_error(&e, t));
                None
            }
        }
    }

    /// Who holds the number typed (the answer to `live_check`'s lookup,
    /// which the runner gives before any other key is handled).
    pub fn registered(&mut self, existing: Option<(TraineeId, String)>, t: &Strings) {
        if let Some((tid, name)) = existing
            && Some(tid.0) != self.editing
        {
            self.existing = Some(tid);
            self.set_error(F::IdNumber, fill(t.i_exists, &[&tid, &name]));
        }
    }

    /// Put a store refusal on the field it is about.
    pub fn store_error(&mut self, e: &StoreError, t: &Strings) {
        let (f, msg) = match e {
            StoreError::DuplicateIdNumber { existing, .. } => {
                self.existing = Some(*existing);
                (F::IdNumber, fill(t.e_dup_id, &[existing]))
            }
            StoreError::DuplicateName { existing, .. } => (F::Name, fill(t.e_dup_name, &[existing])),
            StoreError::CapacityBelowEnrolled { used, .. } => (F::Capacity, fill(t.e_capacity_used, &[used])),
            StoreError::NotFound { kind: "enterprise", .. } => (F::Enterprise, t.e_pick.to_string()),
            StoreError::NotFound {
                kind: "institution", ..
            } => (F::Institution, t.e_pick.to_string()),
            StoreError::NotFound { kind: "demand", .. } => (F::Linked, t.e_pick.to_string()),
            StoreError::Invalid(v) => self.rule_error(v, t),
            StoreError::ClassFull { .. } | StoreError::ClassClosed { .. } | StoreError::AlreadyEnrolled { .. } => {
                (F::EnrollClass, e.say(t.lang))
            }
            other => (self.fields[0].f, other.say(t.lang)),
        };
        let f = if self.get(f).is_some() { f } else { self.fields[0].f };
        self.set_error(f, msg);
        self.focus_first_error();
    }

    fn focus_first_error(&mut self) {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
        }
    }
}

#[cfg(test)]
mod tests;
