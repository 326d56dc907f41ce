//! Checking a form and building its record: every field's own rule, the
//! record's rules, and the checks that need the other records (a number
//! already registered, a capacity below the seats taken).

use super::{F, Intake, Pick, id_error, parse_date, parse_number};
use crate::domain::catalog::DEFAULT_KEY_GROUPS;
use crate::domain::*;
use crate::i18n::{Strings, fill};
use crate::say::Say;
use crate::service::Data;
use chrono::NaiveDate;

/// A record ready to save.
#[derive(Debug, Clone)]
pub enum Built {
    Trainee(Trainee, Option<ClassId>),
    Demand(JobDemand),
    Class(TrainingClass),
    Institution(Institution),
    Enterprise(Enterprise),
}

impl Intake {
    fn pick_region(&self) -> RegionId {
        self.region().unwrap_or(RegionId(0))
    }

    fn pick_or<T>(&self, f: F, get: impl Fn(Pick) -> Option<T>, or: T) -> T {
        self.pick(f).and_then(get).unwrap_or(or)
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
        let region = self.pick_region();
        let id = self.editing.unwrap_or(0);
        let built = match self.kind {
            Kind::Trainees | Kind::Cases => {
                let id_number = match IdNumber::parse_on(&text(F::IdNumber), today) {
                    Ok(n) => Some(n),
                    Err(IdNumberError::Empty) => None,
                    Err(e) => {
                        errors.push((F::IdNumber, id_error(&e, t)));
                        None
                    }
                };
                if let Some(n) = &id_number
                    && let Some((tid, _)) = super::registered(data, n)
                    && Some(tid.0) != self.editing
                {
                    errors.push((F::IdNumber, fill(t.e_dup_id, &[&tid])));
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
                let key_group = match self.pick(F::KeyGroup) {
                    Some(Pick::KeyGroup(Some(i))) => DEFAULT_KEY_GROUPS.get(i).map(|(zh, _)| zh.to_string()),
                    _ => None,
                };
                let wanted: Wanted = self.wanted().into_iter().collect();
                let created = self
                    .editing
                    .and_then(|i| data.trainees.get(&TraineeId(i)))
                    .map(|p| p.created)
                    .unwrap_or(today);
                let class = match self.pick(F::EnrollClass) {
                    Some(Pick::Class(c)) => c,
                    _ => None,
                };
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
            Kind::Demands => {
                let headcount = num(F::Headcount, 1, 10_000, &mut errors);
                let wage_min = num(F::WageMin, 0, 1_000_000, &mut errors);
                let wage_max = num(F::WageMax, 0, 1_000_000, &mut errors);
                let posted = date(F::Posted, &mut errors);
                Some(Built::Demand(JobDemand {
                    id: DemandId(id),
                    external_id: Some(text(F::ExternalId)).filter(|s| !s.is_empty()),
                    enterprise: self.pick_or(
                        F::Enterprise,
                        |p| match p {
                            Pick::Enterprise(e) => Some(e),
                            _ => None,
                        },
                        EnterpriseId(0),
                    ),
                    occupation: self.occupation(),
                    region,
                    kind: self.pick_or(
                        F::PostKind,
                        |p| match p {
                            Pick::PostKind(k) => Some(k),
                            _ => None,
                        },
                        PostKind::Skilled,
                    ),
                    headcount,
                    wage_min,
                    wage_max,
                    min_level: self.pick_or(
                        F::MinLevel,
                        |p| match p {
                            Pick::MinLevel(l) => Some(l),
                            _ => None,
                        },
                        None,
                    ),
                    posted,
                    status: self.pick_or(
                        F::DemandStatus,
                        |p| match p {
                            Pick::DemandStatus(s) => Some(s),
                            _ => None,
                        },
                        DemandStatus::Open,
                    ),
                }))
            }
            Kind::Classes => {
                let start = date(F::Start, &mut errors);
                let end = date(F::End, &mut errors);
                let capacity = num(F::Capacity, 1, 100_000, &mut errors);
                let occupation = self.occupation();
                let kind = self.class_kind();
                let institution = self.pick_or(
                    F::Institution,
                    |p| match p {
                        Pick::Institution(i) => Some(i),
                        _ => None,
                    },
                    InstitutionId(0),
                );
                let mut name = text(F::ClassName);
                if name.is_empty() {
                    let short = data
                        .institution(institution)
                        .map(|i| i.region)
                        .unwrap_or(region)
                        .get()
                        .map(|r| r.short_zh)
                        .unwrap_or("");
                    name = TrainingClass::default_name(occupation, kind, short, start);
                    errors.retain(|(f, _)| *f != F::ClassName);
                }
                Some(Built::Class(TrainingClass {
                    id: ClassId(id),
                    name,
                    institution,
                    occupation,
                    region,
                    kind,
                    program: self.pick_or(
                        F::Program,
                        |p| match p {
                            Pick::Program(p) => Some(p),
                            _ => None,
                        },
                        ProgramId(0),
                    ),
                    quarter: Quarter::of(start),
                    start,
                    end,
                    capacity,
                    target_level: self.pick_or(
                        F::TargetLevel,
                        |p| match p {
                            Pick::Level(l) => Some(l),
                            _ => None,
                        },
                        SkillLevel::L4,
                    ),
                    linked_demands: self
                        .picks(F::Linked)
                        .iter()
                        .filter_map(|p| match p {
                            Pick::Demand(d) => Some(*d),
                            _ => None,
                        })
                        .collect(),
                    status: self.pick_or(
                        F::ClassStatus,
                        |p| match p {
                            Pick::ClassStatus(s) => Some(s),
                            _ => None,
                        },
                        ClassStatus::Open,
                    ),
                }))
            }
            Kind::Institutions => Some(Built::Institution(Institution {
                id: InstitutionId(id),
                name: text(F::Name),
                region,
                stars: self.pick_or(
                    F::Stars,
                    |p| match p {
                        Pick::Stars(n) => Some(n),
                        _ => None,
                    },
                    3,
                ),
            })),
            Kind::Enterprises => Some(Built::Enterprise(Enterprise {
                id: EnterpriseId(id),
                name: text(F::Name),
                region,
                industry: text(F::Industry),
                alliance: self.pick_or(
                    F::Alliance,
                    |p| match p {
                        Pick::Alliance(a) => Some(a),
                        _ => None,
                    },
                    None,
                ),
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

    fn occupation(&self) -> OccupationId {
        self.pick_or(
            F::Trade,
            |p| match p {
                Pick::Occupation(o) => Some(o),
                _ => None,
            },
            OccupationId(0),
        )
    }

    fn class_kind(&self) -> ClassKind {
        self.pick_or(
            F::ClassKind,
            |p| match p {
                Pick::ClassKind(k) => Some(k),
                _ => None,
            },
            ClassKind::Subsidized,
        )
    }

    /// The field a record rule is about, and the message to put there.
    pub(super) fn rule_error(&self, e: &ValidationError, t: &Strings) -> (F, String) {
        let reason = e.reason.say(t.lang);
        match e.field {
            "name" => (
                if self.kind == Kind::Classes {
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
            "linked_demands" if self.kind == Kind::Classes && self.class_kind() == ClassKind::ProjectBased => {
                (F::Linked, t.e_linked.to_string())
            }
            "linked_demands" => (F::Linked, t.e_unlinked.to_string()),
            "stars" => (F::Stars, reason),
            _ => (self.fields[0].f, reason),
        }
    }
}
