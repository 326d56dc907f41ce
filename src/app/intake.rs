//! Record forms for intake sessions: trainees, job demands, classes,
//! institutions and enterprises. Each field validates its own input and
//! shows its error in place; reference fields are chosen from pickers, never
//! typed free; a refused save keeps every character typed.

use crate::domain::Kind;
use crate::domain::catalog::DEFAULT_KEY_GROUPS;
use crate::domain::*;
use crate::i18n::{Lang, Strings, fill};
use crate::service::Data;
use crate::store::StoreError;
use chrono::{Datelike, NaiveDate};
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Trainee,
    Demand,
    Class,
    Institution,
    Enterprise,
}

/// Every field any record form has; the discriminant indexes `Strings::i_fields`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum F {
    Name,
    IdNumber,
    Mobile,
    KeyGroup,
    Region,
    Wanted,
    EnrollClass,
    Enterprise,
    Trade,
    PostKind,
    Headcount,
    WageMin,
    WageMax,
    MinLevel,
    Posted,
    DemandStatus,
    ExternalId,
    ClassName,
    Institution,
    ClassKind,
    Program,
    Start,
    End,
    Capacity,
    TargetLevel,
    Linked,
    ClassStatus,
    Stars,
    Industry,
    Alliance,
}

impl F {
    pub fn label(self, t: &Strings) -> &'static str {
        t.i_fields[self as usize]
    }

    /// A field chosen from a list (possibly several values).
    pub fn is_pick(self) -> bool {
        !matches!(
            self,
            F::Name
                | F::IdNumber
                | F::Mobile
                | F::Headcount
                | F::WageMin
                | F::WageMax
                | F::Posted
                | F::ExternalId
                | F::ClassName
                | F::Start
                | F::End
                | F::Capacity
                | F::Industry
        )
    }

    pub fn is_multi(self) -> bool {
        matches!(self, F::Wanted | F::Linked)
    }

    fn optional(self) -> bool {
        matches!(
            self,
            F::Mobile
                | F::KeyGroup
                | F::EnrollClass
                | F::MinLevel
                | F::ExternalId
                | F::Alliance
                | F::Industry
                | F::Linked
        )
    }
}

fn fields_of(kind: RecordKind) -> &'static [F] {
    match kind {
        RecordKind::Trainee => &[
            F::Name,
            F::IdNumber,
            F::Mobile,
            F::Region,
            F::KeyGroup,
            F::Wanted,
            F::EnrollClass,
        ],
        RecordKind::Demand => &[
            F::Enterprise,
            F::Trade,
            F::Region,
            F::PostKind,
            F::Headcount,
            F::WageMin,
            F::WageMax,
            F::MinLevel,
            F::Posted,
            F::ExternalId,
            F::DemandStatus,
        ],
        RecordKind::Class => &[
            F::Institution,
            F::Trade,
            F::Region,
            F::ClassKind,
            F::Program,
            F::Start,
            F::End,
            F::Capacity,
            F::TargetLevel,
            F::Linked,
            F::ClassName,
            F::ClassStatus,
        ],
        RecordKind::Institution => &[F::Name, F::Region, F::Stars],
        RecordKind::Enterprise => &[F::Name, F::Region, F::Industry, F::Alliance],
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub f: F,
    /// Typed text (text fields).
    pub input: Input,
    /// Chosen values (pick fields): ids or list positions, see `source`.
    pub picks: Vec<u64>,
    pub error: Option<String>,
    /// What the value means (e.g. an ID number's birth date, age and sex).
    pub note: Option<String>,
}

/// What a batch session keeps from one record to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carry {
    pub region: Option<u64>,
    pub program: Option<u64>,
    pub class: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Intake {
    pub kind: RecordKind,
    /// The record being edited (None: a new one).
    pub editing: Option<u64>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// A trainee already registered with the typed ID number.
    pub existing: Option<TraineeId>,
}

/// Where a pick field's choices come from.
#[derive(Debug, Clone)]
pub enum Source {
    Fixed(Vec<(String, u64)>),
    Search(Kind),
}

/// A record ready to save.
#[derive(Debug, Clone)]
pub enum Built {
    Trainee(Trainee, Option<ClassId>),
    Demand(JobDemand),
    Class(TrainingClass),
    Institution(Institution),
    Enterprise(Enterprise),
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

const CLASS_KINDS: [ClassKind; 3] = [ClassKind::Subsidized, ClassKind::Certification, ClassKind::ProjectBased];
const CLASS_STATUSES: [ClassStatus; 5] = [
    ClassStatus::Planned,
    ClassStatus::Open,
    ClassStatus::Running,
    ClassStatus::Finished,
    ClassStatus::Cancelled,
];

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

fn level_items(t: &Strings, lang: Lang, any: bool) -> Vec<(String, u64)> {
    let mut v = Vec::new();
    if any {
        v.push((t.any_level.to_string(), 0));
    }
    for l in SkillLevel::ALL {
        v.push((
            match lang {
                Lang::Zh => l.zh().to_string(),
                Lang::En => format!("{} {}", l.en(), l.zh()),
            },
            u64::from(l.number()),
        ));
    }
    v
}

impl Intake {
    /// A blank form; a batch session passes what it keeps.
    pub fn new(kind: RecordKind, today: NaiveDate, carry: &Carry) -> Intake {
        let mut fields: Vec<Field> = fields_of(kind).iter().map(|f| field(*f)).collect();
        for fl in &mut fields {
            match fl.f {
                F::Region => fl.picks.extend(carry.region),
                F::Program => fl.picks.extend(carry.program),
                F::EnrollClass => fl.picks.extend(carry.class),
                F::Posted => fl.input = Input::new(today.to_string()),
                F::PostKind | F::ClassKind | F::DemandStatus => fl.picks.push(0),
                F::ClassStatus => fl.picks.push(1),
                F::MinLevel => fl.picks.push(0),
                F::TargetLevel => fl.picks.push(4),
                F::Stars => fl.picks.push(3),
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
        }
    }

    /// A form filled from an existing record.
    pub fn edit(kind: RecordKind, id: u64, data: &Data, today: NaiveDate) -> Option<Intake> {
        let mut form = Intake::new(kind, today, &Carry::default());
        form.editing = Some(id);
        let set_text = |form: &mut Intake, f: F, v: String| {
            if let Some(fl) = form.fields.iter_mut().find(|x| x.f == f) {
                fl.input = Input::new(v);
            }
        };
        let set = |form: &mut Intake, f: F, v: Vec<u64>| {
            if let Some(fl) = form.fields.iter_mut().find(|x| x.f == f) {
                fl.picks = v;
            }
        };
        match kind {
            RecordKind::Trainee => {
                let p = data.trainees.get(&TraineeId(id))?;
                set_text(&mut form, F::Name, p.name.to_string());
                set_text(&mut form, F::IdNumber, p.id_number.to_string());
                set_text(
                    &mut form,
                    F::Mobile,
                    p.mobile.as_ref().map(|m| m.to_string()).unwrap_or_default(),
                );
                set(&mut form, F::Region, vec![u64::from(p.region.0)]);
                let kg = p
                    .key_group
                    .as_ref()
                    .and_then(|g| DEFAULT_KEY_GROUPS.iter().position(|(zh, _)| zh == g))
                    .map(|i| i as u64 + 1);
                set(&mut form, F::KeyGroup, kg.into_iter().collect());
                set(&mut form, F::Wanted, p.wanted.iter().map(|o| u64::from(o.0)).collect());
                // Enrollment is a separate step once the trainee exists.
                form.fields.retain(|f| f.f != F::EnrollClass);
                form.fields.push(field(F::EnrollClass));
            }
            RecordKind::Demand => {
                let d = data.demands.get(&DemandId(id))?;
                set(&mut form, F::Enterprise, vec![d.enterprise.0]);
                set(&mut form, F::Trade, vec![u64::from(d.occupation.0)]);
                set(&mut form, F::Region, vec![u64::from(d.region.0)]);
                set(
                    &mut form,
                    F::PostKind,
                    vec![u64::from(d.kind == PostKind::TechnicalManagement)],
                );
                set_text(&mut form, F::Headcount, d.headcount.to_string());
                set_text(&mut form, F::WageMin, d.wage_min.to_string());
                set_text(&mut form, F::WageMax, d.wage_max.to_string());
                set(
                    &mut form,
                    F::MinLevel,
                    vec![d.min_level.map(|l| u64::from(l.number())).unwrap_or(0)],
                );
                set_text(&mut form, F::Posted, d.posted.to_string());
                set_text(&mut form, F::ExternalId, d.external_id.clone().unwrap_or_default());
                set(
                    &mut form,
                    F::DemandStatus,
                    vec![u64::from(d.status == DemandStatus::Closed)],
                );
            }
            RecordKind::Class => {
                let c = data.classes.get(&ClassId(id))?;
                set(&mut form, F::Institution, vec![c.institution.0]);
                set(&mut form, F::Trade, vec![u64::from(c.occupation.0)]);
                set(&mut form, F::Region, vec![u64::from(c.region.0)]);
                set(
                    &mut form,
                    F::ClassKind,
                    vec![CLASS_KINDS.iter().position(|k| *k == c.kind).unwrap_or(0) as u64],
                );
                set(&mut form, F::Program, vec![u64::from(c.program.0)]);
                set_text(&mut form, F::Start, c.start.to_string());
                set_text(&mut form, F::End, c.end.to_string());
                set_text(&mut form, F::Capacity, c.capacity.to_string());
                set(&mut form, F::TargetLevel, vec![u64::from(c.target_level.number())]);
                set(&mut form, F::Linked, c.linked_demands.iter().map(|d| d.0).collect());
                set_text(&mut form, F::ClassName, c.name.clone());
                set(
                    &mut form,
                    F::ClassStatus,
                    vec![CLASS_STATUSES.iter().position(|k| *k == c.status).unwrap_or(0) as u64],
                );
            }
            RecordKind::Institution => {
                let i = data.institutions.get(&InstitutionId(id))?;
                set_text(&mut form, F::Name, i.name.clone());
                set(&mut form, F::Region, vec![u64::from(i.region.0)]);
                set(&mut form, F::Stars, vec![u64::from(i.stars)]);
            }
            RecordKind::Enterprise => {
                let e = data.enterprises.get(&EnterpriseId(id))?;
                set_text(&mut form, F::Name, e.name.clone());
                set(&mut form, F::Region, vec![u64::from(e.region.0)]);
                set_text(&mut form, F::Industry, e.industry.clone());
                set(
                    &mut form,
                    F::Alliance,
                    e.alliance.map(|a| u64::from(a.0) + 1).into_iter().collect(),
                );
            }
        }
        form.fields
            .retain(|f| !(kind == RecordKind::Trainee && f.f == F::EnrollClass && form.editing.is_none()));
        Some(form)
    }

    pub fn title(&self, t: &Strings) -> &'static str {
        let i = self.kind as usize;
        if self.editing.is_some() {
            t.i_edit[i]
        } else {
            t.i_new[i]
        }
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus.min(self.fields.len() - 1)]
    }

    pub fn focused_mut(&mut self) -> &mut Field {
        let i = self.focus.min(self.fields.len() - 1);
        &mut self.fields[i]
    }

    fn get(&self, f: F) -> Option<&Field> {
        self.fields.iter().find(|x| x.f == f)
    }

    fn text(&self, f: F) -> &str {
        self.get(f).map(|x| x.input.value().trim()).unwrap_or("")
    }

    fn pick(&self, f: F) -> Option<u64> {
        self.get(f).and_then(|x| x.picks.first().copied())
    }

    fn set_error(&mut self, f: F, e: String) {
        if let Some(fl) = self.fields.iter_mut().find(|x| x.f == f) {
            fl.error = Some(e);
        }
    }

    /// What a batch session keeps for the next record.
    pub fn carry(&self) -> Carry {
        Carry {
            region: self.pick(F::Region),
            program: self.pick(F::Program),
            class: self.pick(F::EnrollClass).filter(|c| *c > 0),
        }
    }

    /// Where a pick field's choices come from, ranked where it matters.
    pub fn source(&self, f: F, data: &Data, t: &Strings, lang: Lang, today: NaiveDate) -> Source {
        let en = lang == Lang::En;
        match f {
            F::Region => Source::Fixed(
                REGIONS
                    .iter()
                    .map(|r| (format!("{} {}", r.zh, r.en), u64::from(r.id.0)))
                    .collect(),
            ),
            F::Trade | F::Wanted => Source::Fixed(
                OCCUPATIONS
                    .iter()
                    .map(|o| (format!("{} {} {}", o.zh, o.en, o.aliases.join(" ")), u64::from(o.id.0)))
                    .collect(),
            ),
            F::KeyGroup => {
                let mut v = vec![(t.i_none.to_string(), 0)];
                for (i, (zh, e)) in DEFAULT_KEY_GROUPS.iter().enumerate() {
                    v.push((if en { format!("{zh} {e}") } else { zh.to_string() }, i as u64 + 1));
                }
                Source::Fixed(v)
            }
            F::EnrollClass => Source::Fixed(self.ranked_classes(data, t, today)),
            F::Enterprise => Source::Search(Kind::Enterprises),
            F::Institution => Source::Search(Kind::Institutions),
            F::Linked => Source::Search(Kind::Demands),
            F::PostKind => Source::Fixed(vec![
                (if en { "skilled" } else { "技能岗" }.into(), 0),
                (if en { "technical-management" } else { "技术管理岗" }.into(), 1),
            ]),
            F::MinLevel => Source::Fixed(level_items(t, lang, true)),
            F::TargetLevel => Source::Fixed(level_items(t, lang, false)),
            F::DemandStatus => Source::Fixed(vec![
                (if en { "open" } else { "招聘中" }.into(), 0),
                (if en { "closed" } else { "已关闭" }.into(), 1),
            ]),
            F::ClassKind => Source::Fixed(
                CLASS_KINDS
                    .iter()
                    .enumerate()
                    .map(|(i, k)| (if en { k.name() } else { k.zh() }.to_string(), i as u64))
                    .collect(),
            ),
            F::ClassStatus => Source::Fixed(
                CLASS_STATUSES
                    .iter()
                    .enumerate()
                    .map(|(i, k)| (if en { k.name() } else { k.zh() }.to_string(), i as u64))
                    .collect(),
            ),
            F::Program => Source::Fixed(
                PROGRAMS
                    .iter()
                    .map(|p| (format!("{} {}", p.zh, p.en), u64::from(p.id.0)))
                    .collect(),
            ),
            F::Stars => Source::Fixed((1..=5).map(|n| ("★".repeat(n as usize), n)).collect()),
            F::Alliance => {
                let mut v = vec![(t.i_none.to_string(), 0)];
                for a in ALLIANCES.iter() {
                    v.push((format!("{} {}", a.zh, a.en), u64::from(a.id.0) + 1));
                }
                Source::Fixed(v)
            }
            _ => Source::Fixed(Vec::new()),
        }
    }

    /// Open classes for this trainee: wanted trade and district first,
    /// then the soonest start; each label shows the seats left.
    fn ranked_classes(&self, data: &Data, t: &Strings, today: NaiveDate) -> Vec<(String, u64)> {
        let wanted: Vec<OccupationId> = self
            .get(F::Wanted)
            .map(|f| f.picks.iter().map(|v| OccupationId(*v as u16)).collect())
            .unwrap_or_default();
        let region = self.pick(F::Region).map(|r| RegionId(r as u8));
        let mut v: Vec<(i64, String, u64)> = data
            .classes
            .values()
            .filter(|c| c.status.accepts_enrollment() && data.seats_left(c) > 0)
            .map(|c| {
                let mut score = 0i64;
                if wanted.contains(&c.occupation) {
                    score += 300;
                } else if wanted.iter().any(|w| w.relation_to(c.occupation).is_some()) {
                    score += 100;
                }
                if Some(c.region) == region {
                    score += 200;
                }
                score -= (c.start - today).num_days().abs().min(200);
                let label = format!(
                    "{} {} · {} · {}",
                    c.id,
                    c.name,
                    c.start,
                    fill(t.i_seats, &[&data.seats_left(c)])
                );
                (score, label, c.id.0)
            })
            .collect();
        v.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
        let mut out = vec![(t.i_none.to_string(), 0)];
        out.extend(v.into_iter().map(|(_, l, id)| (l, id)));
        out
    }

    /// The text a field shows.
    pub fn display(&self, fl: &Field, data: &Data, t: &Strings, lang: Lang, today: NaiveDate) -> String {
        if !fl.f.is_pick() {
            return fl.input.value().to_string();
        }
        let label = |v: u64| -> String {
            match fl.f {
                F::Enterprise => data
                    .enterprises
                    .get(&EnterpriseId(v))
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                F::Institution => data
                    .institutions
                    .get(&InstitutionId(v))
                    .map(|i| format!("{} {}", i.name, "★".repeat(i.stars as usize)))
                    .unwrap_or_default(),
                F::Linked => data
                    .demands
                    .get(&DemandId(v))
                    .map(|d| {
                        format!(
                            "{} {}×{}",
                            data.enterprise_name(d.enterprise),
                            d.occupation.zh(),
                            d.headcount
                        )
                    })
                    .unwrap_or_default(),
                F::Region => RegionId(v as u8).zh().to_string(),
                F::Trade | F::Wanted => OccupationId(v as u16).zh().to_string(),
                F::Program => {
                    if lang == Lang::En {
                        ProgramId(v as u8).en().to_string()
                    } else {
                        ProgramId(v as u8).zh().to_string()
                    }
                }
                F::EnrollClass if v == 0 => t.i_none.to_string(),
                F::EnrollClass => data
                    .classes
                    .get(&ClassId(v))
                    .map(|c| format!("{} {} · {}", c.id, c.name, fill(t.i_seats, &[&data.seats_left(c)])))
                    .unwrap_or_default(),
                _ => match self.source(fl.f, data, t, lang, today) {
                    Source::Fixed(items) => items
                        .into_iter()
                        .find(|(_, x)| *x == v)
                        .map(|(l, _)| l)
                        .unwrap_or_default(),
                    Source::Search(_) => String::new(),
                },
            }
        };
        fl.picks.iter().map(|v| label(*v)).collect::<Vec<_>>().join("、")
    }

    /// Record a choice from a picker.
    pub fn choose(&mut self, f: F, value: u64) {
        if let Some(fl) = self.fields.iter_mut().find(|x| x.f == f) {
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
        // A demand's district follows its enterprise; a class's its institution.
        if f == F::Trade && self.kind == RecordKind::Demand && self.editing.is_none() {
            let tm = OccupationId(value as u16).get().map(|o| o.kind) == Some(PostKind::TechnicalManagement);
            if let Some(fl) = self.fields.iter_mut().find(|x| x.f == F::PostKind) {
                fl.picks = vec![u64::from(tm)];
            }
        }
    }

    /// After choosing the enterprise or institution, default the district.
    pub fn default_region_from(&mut self, data: &Data) {
        let region = match self.kind {
            RecordKind::Demand => self
                .pick(F::Enterprise)
                .and_then(|e| data.enterprises.get(&EnterpriseId(e)))
                .map(|e| e.region),
            RecordKind::Class => self
                .pick(F::Institution)
                .and_then(|i| data.institutions.get(&InstitutionId(i)))
                .map(|i| i.region),
            _ => None,
        };
        if let Some(r) = region
            && let Some(fl) = self.fields.iter_mut().find(|x| x.f == F::Region)
            && fl.picks.is_empty()
        {
            fl.picks = vec![u64::from(r.0)];
        }
    }

    /// Remove the last choice of a pick field.
    pub fn unpick(&mut self) {
        let fl = self.focused_mut();
        if fl.picks.pop().is_some() {
            self.dirty = true;
        }
    }

    /// Check the ID-number field as it is typed; say what it encodes.
    pub fn live_check(&mut self, data: &Data, t: &Strings, lang: Lang, today: NaiveDate) {
        self.existing = None;
        let Some(i) = self.fields.iter().position(|x| x.f == F::IdNumber) else {
            return;
        };
        let raw = self.fields[i].input.value().trim().to_string();
        self.fields[i].note = None;
        self.fields[i].error = None;
        if raw.is_empty() {
            return;
        }
        let typed = raw.chars().count();
        match IdNumber::parse_on(&raw, today) {
            Ok(n) => {
                let sex = if lang == Lang::Zh { n.sex().zh() } else { n.sex().en() };
                self.fields[i].note = Some(fill(t.person_fmt, &[&sex, &n.age_on(today), &n.birth_date()]));
                if let Some((&tid, p)) = data.trainees.iter().find(|(_, p)| p.id_number == n)
                    && Some(tid.0) != self.editing
                {
                    self.existing = Some(tid);
                    self.fields[i].error = Some(fill(t.i_exists, &[&tid, &p.name]));
                }
            }
            // Still typing: only say so once the length is reached or a bad character shows.
            Err(IdNumberError::WrongLength { .. }) if typed < 18 => {}
            Err(e) => self.fields[i].error = Some(id_error(&e, t)),
        }
    }

    /// Check every field and build the record. On failure each bad field
    /// carries its error, the focus moves to the first one, and nothing
    /// typed changes.
    pub fn build(&mut self, data: &Data, t: &Strings, today: NaiveDate) -> Option<Built> {
        for f in &mut self.fields {
            f.error = None;
        }
        let mut errors: Vec<(F, String)> = Vec::new();
        for fl in &self.fields {
            let empty = if fl.f.is_pick() {
                fl.picks.is_empty()
            } else {
                fl.input.value().trim().is_empty()
            };
            if empty && !fl.f.optional() {
                errors.push((fl.f, if fl.f.is_pick() { t.e_pick } else { t.e_required }.to_string()));
            }
        }
        let text = |f: F| self.text(f).to_string();
        let num = |f: F, min: u32, max: u32, errors: &mut Vec<(F, String)>| -> u32 {
            match parse_number(&text(f), min, max) {
                Some(v) => v,
                None => {
                    if !text(f).is_empty() {
                        errors.push((f, fill(t.e_number, &[&min, &max])));
                    }
                    0
                }
            }
        };
        let date = |f: F, errors: &mut Vec<(F, String)>| -> NaiveDate {
            match parse_date(&text(f)) {
                Some(d) => d,
                None => {
                    if !text(f).is_empty() {
                        errors.push((f, t.e_date.to_string()));
                    }
                    today
                }
            }
        };
        let region = RegionId(self.pick(F::Region).unwrap_or(0) as u8);
        let id = self.editing.unwrap_or(0);
        let built = match self.kind {
            RecordKind::Trainee => {
                let id_number = match IdNumber::parse_on(&text(F::IdNumber), today) {
                    Ok(n) => Some(n),
                    Err(IdNumberError::Empty) => None,
                    Err(e) => {
                        errors.push((F::IdNumber, id_error(&e, t)));
                        None
                    }
                };
                if let Some(n) = &id_number
                    && let Some((tid, _)) = data.trainees.iter().find(|(_, p)| p.id_number == *n)
                    && Some(tid.0) != self.editing
                {
                    errors.push((F::IdNumber, fill(t.e_dup_id, &[tid])));
                }
                let mobile = match text(F::Mobile).as_str() {
                    "" => None,
                    m => match Mobile::parse(m) {
                        Ok(m) => Some(m),
                        Err(_) => {
                            errors.push((F::Mobile, t.e_mobile.to_string()));
                            None
                        }
                    },
                };
                let key_group = self
                    .pick(F::KeyGroup)
                    .filter(|v| *v > 0)
                    .and_then(|v| DEFAULT_KEY_GROUPS.get(v as usize - 1))
                    .map(|(zh, _)| zh.to_string());
                let wanted: Wanted = self
                    .get(F::Wanted)
                    .map(|f| f.picks.iter().map(|v| OccupationId(*v as u16)).collect())
                    .unwrap_or_default();
                let created = self
                    .editing
                    .and_then(|i| data.trainees.get(&TraineeId(i)))
                    .map(|p| p.created)
                    .unwrap_or(today);
                let class = self.pick(F::EnrollClass).filter(|v| *v > 0).map(ClassId);
                id_number.map(|id_number| {
                    Built::Trainee(
                        Trainee {
                            id: TraineeId(id),
                            name: text(F::Name).into(),
                            id_number,
                            mobile,
                            key_group: key_group.map(Into::into),
                            region,
                            wanted,
                            created,
                        },
                        class,
                    )
                })
            }
            RecordKind::Demand => {
                let headcount = num(F::Headcount, 1, 10_000, &mut errors);
                let wage_min = num(F::WageMin, 0, 1_000_000, &mut errors);
                let wage_max = num(F::WageMax, 0, 1_000_000, &mut errors);
                let posted = date(F::Posted, &mut errors);
                let occupation = OccupationId(self.pick(F::Trade).unwrap_or(0) as u16);
                Some(Built::Demand(JobDemand {
                    id: DemandId(id),
                    external_id: Some(text(F::ExternalId)).filter(|s| !s.is_empty()),
                    enterprise: EnterpriseId(self.pick(F::Enterprise).unwrap_or(0)),
                    occupation,
                    region,
                    kind: if self.pick(F::PostKind) == Some(1) {
                        PostKind::TechnicalManagement
                    } else {
                        PostKind::Skilled
                    },
                    headcount,
                    wage_min,
                    wage_max,
                    min_level: self.pick(F::MinLevel).and_then(|v| SkillLevel::from_number(v as u8)),
                    posted,
                    status: if self.pick(F::DemandStatus) == Some(1) {
                        DemandStatus::Closed
                    } else {
                        DemandStatus::Open
                    },
                }))
            }
            RecordKind::Class => {
                let start = date(F::Start, &mut errors);
                let end = date(F::End, &mut errors);
                let capacity = num(F::Capacity, 1, 100_000, &mut errors);
                let occupation = OccupationId(self.pick(F::Trade).unwrap_or(0) as u16);
                let kind = CLASS_KINDS[self.pick(F::ClassKind).unwrap_or(0).min(2) as usize];
                let institution = InstitutionId(self.pick(F::Institution).unwrap_or(0));
                let mut name = text(F::ClassName);
                if name.is_empty() {
                    let short = data
                        .institution(institution)
                        .map(|i| i.region)
                        .unwrap_or(region)
                        .get()
                        .map(|r| r.short_zh)
                        .unwrap_or("");
                    name = format!("{}{}（{}·{}月）", occupation.zh(), kind.zh(), short, start.month());
                    errors.retain(|(f, _)| *f != F::ClassName);
                }
                Some(Built::Class(TrainingClass {
                    id: ClassId(id),
                    name,
                    institution,
                    occupation,
                    region,
                    kind,
                    program: ProgramId(self.pick(F::Program).unwrap_or(0) as u8),
                    quarter: Quarter::of(start),
                    start,
                    end,
                    capacity,
                    target_level: self
                        .pick(F::TargetLevel)
                        .and_then(|v| SkillLevel::from_number(v as u8))
                        .unwrap_or(SkillLevel::L4),
                    linked_demands: self
                        .get(F::Linked)
                        .map(|f| f.picks.iter().map(|v| DemandId(*v)).collect())
                        .unwrap_or_default(),
                    status: CLASS_STATUSES[self.pick(F::ClassStatus).unwrap_or(1).min(4) as usize],
                }))
            }
            RecordKind::Institution => Some(Built::Institution(Institution {
                id: InstitutionId(id),
                name: text(F::Name),
                region,
                stars: self.pick(F::Stars).unwrap_or(3) as u8,
            })),
            RecordKind::Enterprise => Some(Built::Enterprise(Enterprise {
                id: EnterpriseId(id),
                name: text(F::Name),
                region,
                industry: text(F::Industry),
                alliance: self
                    .pick(F::Alliance)
                    .filter(|v| *v > 0)
                    .map(|v| AllianceId(v as u8 - 1)),
            })),
        };
        // The record's own rules (dates, wages, links, names).
        if errors.is_empty()
            && let Some(b) = &built
        {
            let rule = match b {
                Built::Trainee(x, _) => x.validate(),
                Built::Demand(x) => x.validate(),
                Built::Class(x) => x.validate(),
                Built::Institution(x) => x.validate(),
                Built::Enterprise(x) => x.validate(),
            };
            if let Err(e) = rule {
                errors.push(self.rule_error(&e, t));
            }
            if let Built::Class(c) = b {
                let used = data.seats_used.get(&c.id).copied().unwrap_or(0);
                if self.editing.is_some() && c.capacity < used {
                    errors.push((F::Capacity, fill(t.e_capacity_used, &[&used])));
                }
            }
        }
        for (f, e) in &errors {
            if self.get(*f).and_then(|x| x.error.as_ref()).is_none() {
                self.set_error(*f, e.clone());
            }
        }
        if errors.is_empty() {
            built
        } else {
            self.focus_first_error();
            None
        }
    }

    fn rule_error(&self, e: &ValidationError, t: &Strings) -> (F, String) {
        let reason = e.reason.clone();
        match e.field {
            "name" => (
                if self.kind == RecordKind::Class {
                    F::ClassName
                } else {
                    F::Name
                },
                reason,
            ),
            "headcount" => (F::Headcount, fill(t.e_number, &[&1, &10_000])),
            "wage_min" => (F::WageMin, fill(t.e_wage, &[&self.text(F::WageMax)])),
            "capacity" => (F::Capacity, fill(t.e_number, &[&1, &100_000])),
            "end" => (F::End, fill(t.e_end, &[&self.text(F::Start)])),
            "linked_demands" if self.kind == RecordKind::Class && self.pick(F::ClassKind) == Some(2) => {
                (F::Linked, t.e_linked.to_string())
            }
            "linked_demands" => (F::Linked, t.e_unlinked.to_string()),
            "stars" => (F::Stars, reason),
            _ => (self.fields[0].f, reason),
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
                (F::EnrollClass, e.to_string())
            }
            other => (self.fields[0].f, other.to_string()),
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
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 10, 15).unwrap()
    }

    fn type_into(form: &mut Intake, f: F, s: &str) {
        let fl = form.fields.iter_mut().find(|x| x.f == f).unwrap();
        fl.input = Input::new(s.to_string());
    }

    #[test]
    fn parsers() {
        assert_eq!(parse_date("2025-10-01"), NaiveDate::from_ymd_opt(2025, 10, 1));
        assert_eq!(parse_date("20251001"), NaiveDate::from_ymd_opt(2025, 10, 1));
        assert_eq!(parse_date("2025/10/01"), NaiveDate::from_ymd_opt(2025, 10, 1));
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("十月"), None);
        assert_eq!(parse_number("12", 1, 100), Some(12));
        assert_eq!(parse_number("0", 1, 100), None);
        assert_eq!(parse_number("-3", 0, 100), None);
        assert_eq!(parse_number("abc", 0, 100), None);
    }

    #[test]
    fn id_errors_in_both_languages() {
        let e = IdNumber::parse_on("110105194912310021", today()).unwrap_err();
        assert_eq!(id_error(&e, &ZH), "校验位应为 X，输入为 1");
        assert_eq!(id_error(&e, &EN), "check digit should be X, typed 1");
    }

    #[test]
    fn a_refused_trainee_keeps_every_field_and_focuses_the_first_bad_one() {
        let data = Data::default();
        let mut f = Intake::new(RecordKind::Trainee, today(), &Carry::default());
        type_into(&mut f, F::Name, "王芳");
        type_into(&mut f, F::IdNumber, "110105194912310021");
        type_into(&mut f, F::Mobile, "1391234");
        assert!(f.build(&data, &ZH, today()).is_none());
        let bad: Vec<F> = f.fields.iter().filter(|x| x.error.is_some()).map(|x| x.f).collect();
        assert_eq!(bad, vec![F::IdNumber, F::Mobile, F::Region, F::Wanted]);
        assert_eq!(f.fields[f.focus].f, F::IdNumber);
        assert_eq!(f.text(F::Name), "王芳");
        assert_eq!(f.text(F::IdNumber), "110105194912310021");
        assert_eq!(f.text(F::Mobile), "1391234");
    }

    #[test]
    fn a_good_trainee_builds() {
        let data = Data::default();
        let mut f = Intake::new(RecordKind::Trainee, today(), &Carry::default());
        type_into(&mut f, F::Name, "王芳");
        type_into(&mut f, F::IdNumber, "11010519491231002x");
        f.choose(F::Region, 3);
        f.choose(F::Wanted, 3);
        f.choose(F::Wanted, 4);
        f.choose(F::Wanted, 3);
        match f.build(&data, &EN, today()) {
            Some(Built::Trainee(t, None)) => {
                assert_eq!(t.id_number.as_str(), "11010519491231002X");
                assert_eq!(t.region, RegionId(3));
                assert_eq!(t.wanted.as_slice(), [OccupationId(3), OccupationId(4)]);
                assert_eq!(t.mobile, None);
            }
            other => panic!("{other:?} {:?}", f.fields),
        }
    }

    #[test]
    fn demand_rules_land_on_their_fields() {
        let data = Data::default();
        let mut f = Intake::new(RecordKind::Demand, today(), &Carry::default());
        f.choose(F::Enterprise, 1);
        f.choose(F::Trade, 3);
        f.choose(F::Region, 0);
        type_into(&mut f, F::Headcount, "0");
        type_into(&mut f, F::WageMin, "9000");
        type_into(&mut f, F::WageMax, "6000");
        assert!(f.build(&data, &ZH, today()).is_none());
        assert_eq!(
            f.get(F::Headcount).unwrap().error.as_deref(),
            Some("应为 1 到 10000 的整数")
        );
        type_into(&mut f, F::Headcount, "5");
        assert!(f.build(&data, &ZH, today()).is_none());
        assert_eq!(
            f.get(F::WageMin).unwrap().error.as_deref(),
            Some("下限不能高于上限 6000")
        );
        type_into(&mut f, F::WageMax, "12000");
        assert!(matches!(f.build(&data, &ZH, today()), Some(Built::Demand(_))));
        // Choosing a technical-management trade sets the post kind.
        f.choose(F::Trade, 16);
        assert_eq!(f.pick(F::PostKind), Some(1));
    }

    #[test]
    fn class_rules_land_on_their_fields() {
        let data = Data::default();
        let mut f = Intake::new(RecordKind::Class, today(), &Carry::default());
        f.choose(F::Institution, 1);
        f.choose(F::Trade, 3);
        f.choose(F::Region, 0);
        f.choose(F::Program, 2);
        type_into(&mut f, F::Start, "2025-11-01");
        type_into(&mut f, F::End, "2025-10-01");
        type_into(&mut f, F::Capacity, "30");
        assert!(f.build(&data, &EN, today()).is_none());
        assert_eq!(
            f.get(F::End).unwrap().error.as_deref(),
            Some("must be after the start date 2025-11-01")
        );
        type_into(&mut f, F::End, "2025-12-01");
        f.choose(F::ClassKind, 2);
        assert!(f.build(&data, &EN, today()).is_none());
        assert_eq!(f.get(F::Linked).unwrap().error.as_deref(), Some(EN.e_linked));
        f.choose(F::Linked, 9);
        match f.build(&data, &EN, today()) {
            Some(Built::Class(c)) => {
                assert_eq!(c.name, "焊工项目化培训（京口·11月）");
                assert_eq!(c.quarter, Quarter { year: 2025, q: 4 });
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn live_id_check_says_what_the_number_encodes() {
        let data = Data::default();
        let mut f = Intake::new(RecordKind::Trainee, today(), &Carry::default());
        type_into(&mut f, F::IdNumber, "1101051949");
        f.live_check(&data, &ZH, Lang::Zh, today());
        assert!(
            f.get(F::IdNumber).unwrap().error.is_none(),
            "no error while still typing"
        );
        type_into(&mut f, F::IdNumber, "11010519491231002X");
        f.live_check(&data, &ZH, Lang::Zh, today());
        assert_eq!(
            f.get(F::IdNumber).unwrap().note.as_deref(),
            Some("女 · 75岁 · 生于 1949-12-31")
        );
        type_into(&mut f, F::IdNumber, "11010519491231002A");
        f.live_check(&data, &ZH, Lang::Zh, today());
        assert!(f.get(F::IdNumber).unwrap().error.is_some());
    }

    #[test]
    fn save_and_next_keeps_region_program_and_class() {
        let mut f = Intake::new(RecordKind::Trainee, today(), &Carry::default());
        f.choose(F::Region, 5);
        f.choose(F::EnrollClass, 77);
        let next = Intake::new(RecordKind::Trainee, today(), &f.carry());
        assert_eq!(next.pick(F::Region), Some(5));
        assert_eq!(next.pick(F::EnrollClass), Some(77));
        assert_eq!(next.text(F::Name), "");
        assert!(!next.dirty);
    }
}
