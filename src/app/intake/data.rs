//! What a form reads from the records: a record to edit, the choices of a
//! pick field, and the text a chosen value shows.

use super::fields::{CLASS_KINDS, CLASS_STATUSES};
use super::{Carry, F, Intake, Pick};
use crate::domain::catalog::DEFAULT_KEY_GROUPS;
use crate::domain::*;
use crate::i18n::{Lang, Strings, fill};
use crate::service::Data;
use chrono::NaiveDate;
use tui_input::Input;

/// Where a pick field's choices come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A fixed list (the catalog's, or the form's own).
    Fixed(Vec<(String, Pick)>),
    /// Records found by the search engine.
    Search(Kind),
    /// Open classes ranked for the trainee (read from the records).
    Classes,
}

fn level_items(t: &Strings, lang: Lang, any: bool) -> Vec<(String, Pick)> {
    let mut v = Vec::new();
    if any {
        v.push((t.any_level.to_string(), Pick::MinLevel(None)));
    }
    for l in SkillLevel::ALL {
        let label = match lang {
            Lang::Zh => l.zh().to_string(),
            Lang::En => format!("{} {}", l.en(), l.zh()),
        };
        v.push((label, if any { Pick::MinLevel(Some(l)) } else { Pick::Level(l) }));
    }
    v
}

impl Intake {
    /// A form filled from an existing record.
    pub fn edit(kind: Kind, id: u64, data: &Data, today: NaiveDate) -> Option<Intake> {
        let mut form = Intake::new(kind, today, &Carry::default());
        form.editing = Some(id);
        let set_text = |form: &mut Intake, f: F, v: String| {
            if let Some(fl) = form.fields.iter_mut().find(|x| x.f == f) {
                fl.input = Input::new(v);
            }
        };
        let set = |form: &mut Intake, f: F, v: Vec<Pick>| {
            if let Some(fl) = form.fields.iter_mut().find(|x| x.f == f) {
                fl.picks = v;
            }
        };
        match kind {
            Kind::Trainees | Kind::Cases => {
                let p = data.trainees.get(&TraineeId(id))?;
                set_text(&mut form, F::Name, p.name.to_string());
                set_text(&mut form, F::IdNumber, p.id_number.to_string());
                set_text(
                    &mut form,
                    F::Mobile,
                    p.mobile.as_ref().map(|m| m.to_string()).unwrap_or_default(),
                );
                set(&mut form, F::Region, vec![Pick::Region(p.region)]);
                let kg = p
                    .key_group
                    .as_ref()
                    .and_then(|g| DEFAULT_KEY_GROUPS.iter().position(|(zh, _)| zh == g));
                set(
                    &mut form,
                    F::KeyGroup,
                    kg.map(|i| Pick::KeyGroup(Some(i))).into_iter().collect(),
                );
                set(
                    &mut form,
                    F::Wanted,
                    p.wanted.iter().map(|o| Pick::Occupation(*o)).collect(),
                );
                // Enrollment is a separate step once the trainee exists.
                form.fields.retain(|f| f.f != F::EnrollClass);
                form.fields.push(super::field(F::EnrollClass));
            }
            Kind::Demands => {
                let d = data.demands.get(&DemandId(id))?;
                set(&mut form, F::Enterprise, vec![Pick::Enterprise(d.enterprise)]);
                set(&mut form, F::Trade, vec![Pick::Occupation(d.occupation)]);
                set(&mut form, F::Region, vec![Pick::Region(d.region)]);
                set(&mut form, F::PostKind, vec![Pick::PostKind(d.kind)]);
                set_text(&mut form, F::Headcount, d.headcount.to_string());
                set_text(&mut form, F::WageMin, d.wage_min.to_string());
                set_text(&mut form, F::WageMax, d.wage_max.to_string());
                set(&mut form, F::MinLevel, vec![Pick::MinLevel(d.min_level)]);
                set_text(&mut form, F::Posted, d.posted.to_string());
                set_text(&mut form, F::ExternalId, d.external_id.clone().unwrap_or_default());
                // A filled demand shows as open (the form offers open and closed).
                let status = if d.status == DemandStatus::Closed {
                    DemandStatus::Closed
                } else {
                    DemandStatus::Open
                };
                set(&mut form, F::DemandStatus, vec![Pick::DemandStatus(status)]);
            }
            Kind::Classes => {
                let c = data.classes.get(&ClassId(id))?;
                set(&mut form, F::Institution, vec![Pick::Institution(c.institution)]);
                set(&mut form, F::Trade, vec![Pick::Occupation(c.occupation)]);
                set(&mut form, F::Region, vec![Pick::Region(c.region)]);
                set(&mut form, F::ClassKind, vec![Pick::ClassKind(c.kind)]);
                set(&mut form, F::Program, vec![Pick::Program(c.program)]);
                set_text(&mut form, F::Start, c.start.to_string());
                set_text(&mut form, F::End, c.end.to_string());
                set_text(&mut form, F::Capacity, c.capacity.to_string());
                set(&mut form, F::TargetLevel, vec![Pick::Level(c.target_level)]);
                set(
                    &mut form,
                    F::Linked,
                    c.linked_demands.iter().map(|d| Pick::Demand(*d)).collect(),
                );
                set_text(&mut form, F::ClassName, c.name.clone());
                set(&mut form, F::ClassStatus, vec![Pick::ClassStatus(c.status)]);
            }
            Kind::Institutions => {
                let i = data.institutions.get(&InstitutionId(id))?;
                set_text(&mut form, F::Name, i.name.clone());
                set(&mut form, F::Region, vec![Pick::Region(i.region)]);
                set(&mut form, F::Stars, vec![Pick::Stars(i.stars)]);
            }
            Kind::Enterprises => {
                let e = data.enterprises.get(&EnterpriseId(id))?;
                set_text(&mut form, F::Name, e.name.clone());
                set(&mut form, F::Region, vec![Pick::Region(e.region)]);
                set_text(&mut form, F::Industry, e.industry.clone());
                set(
                    &mut form,
                    F::Alliance,
                    e.alliance.map(|a| Pick::Alliance(Some(a))).into_iter().collect(),
                );
            }
        }
        Some(form)
    }

    /// Where a pick field's choices come from.
    pub fn source(&self, f: F, t: &Strings, lang: Lang) -> Source {
        match f {
            F::EnrollClass => Source::Classes,
            F::Enterprise => Source::Search(Kind::Enterprises),
            F::Institution => Source::Search(Kind::Institutions),
            F::Linked => Source::Search(Kind::Demands),
            other => Source::Fixed(fixed_items(other, t, lang)),
        }
    }
}

/// The choices of a field that chooses from a fixed list.
pub fn fixed_items(f: F, t: &Strings, lang: Lang) -> Vec<(String, Pick)> {
    let en = lang == Lang::En;
    match f {
        F::Region => REGIONS
            .iter()
            .filter(|r| !r.retired)
            .map(|r| (format!("{} {}", r.zh, r.en), Pick::Region(r.id)))
            .collect(),
        F::Trade | F::Wanted => OCCUPATIONS
            .iter()
            .filter(|o| !o.retired)
            .map(|o| {
                (
                    format!("{} {} {}", o.zh, o.en, o.aliases.join(" ")),
                    Pick::Occupation(o.id),
                )
            })
            .collect(),
        F::KeyGroup => {
            let mut v = vec![(t.i_none.to_string(), Pick::KeyGroup(None))];
            for (i, (zh, e)) in DEFAULT_KEY_GROUPS.iter().enumerate() {
                v.push((
                    if en { format!("{zh} {e}") } else { zh.to_string() },
                    Pick::KeyGroup(Some(i)),
                ));
            }
            v
        }
        F::PostKind => vec![
            (
                if en { "skilled" } else { "技能岗" }.into(),
                Pick::PostKind(PostKind::Skilled),
            ),
            (
                if en { "technical-management" } else { "技术管理岗" }.into(),
                Pick::PostKind(PostKind::TechnicalManagement),
            ),
        ],
        F::MinLevel => level_items(t, lang, true),
        F::TargetLevel => level_items(t, lang, false),
        F::DemandStatus => vec![
            (
                if en { "open" } else { "招聘中" }.into(),
                Pick::DemandStatus(DemandStatus::Open),
            ),
            (
                if en { "closed" } else { "已关闭" }.into(),
                Pick::DemandStatus(DemandStatus::Closed),
            ),
        ],
        F::ClassKind => CLASS_KINDS
            .iter()
            .map(|k| (if en { k.name() } else { k.zh() }.to_string(), Pick::ClassKind(*k)))
            .collect(),
        F::ClassStatus => CLASS_STATUSES
            .iter()
            .map(|k| (if en { k.name() } else { k.zh() }.to_string(), Pick::ClassStatus(*k)))
            .collect(),
        F::Program => PROGRAMS
            .iter()
            .map(|p| (format!("{} {}", p.zh, p.en), Pick::Program(p.id)))
            .collect(),
        F::Stars => (1..=5u8).map(|n| ("★".repeat(n as usize), Pick::Stars(n))).collect(),
        F::Alliance => {
            let mut v = vec![(t.i_none.to_string(), Pick::Alliance(None))];
            for a in ALLIANCES.iter() {
                v.push((format!("{} {}", a.zh, a.en), Pick::Alliance(Some(a.id))));
            }
            v
        }
        _ => Vec::new(),
    }
}

/// Open classes for a trainee: wanted trade and district first, then the
/// soonest start; each label shows the seats left. The first choice is none.
pub fn ranked_classes(
    wanted: &[OccupationId],
    region: Option<RegionId>,
    data: &Data,
    t: &Strings,
    today: NaiveDate,
    policy: &crate::domain::rules::Policy,
) -> Vec<(String, Pick)> {
    let mut v: Vec<(i64, String, ClassId)> = data
        .classes
        .values()
        .filter(|c| crate::domain::rules::enrollable(c, today, policy).is_ok() && data.seats_left(c) > 0)
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
            (score, label, c.id)
        })
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let mut out = vec![(t.i_none.to_string(), Pick::Class(None))];
    out.extend(v.into_iter().map(|(_, l, id)| (l, Pick::Class(Some(id)))));
    out
}

/// The trainee registered with this ID number, if any.
pub fn registered(data: &Data, n: &IdNumber) -> Option<(TraineeId, String)> {
    data.trainees
        .iter()
        .find(|(_, p)| p.id_number == *n)
        .map(|(id, p)| (*id, p.name.to_string()))
}

/// The text a chosen value shows in its field.
pub fn pick_label(f: F, pick: Pick, data: &Data, t: &Strings, lang: Lang) -> String {
    match pick {
        Pick::Enterprise(e) => data.enterprises.get(&e).map(|e| e.name.clone()).unwrap_or_default(),
        Pick::Institution(i) => data
            .institutions
            .get(&i)
            .map(|i| format!("{} {}", i.name, "★".repeat(i.stars as usize)))
            .unwrap_or_default(),
        Pick::Demand(d) => data
            .demands
            .get(&d)
            .map(|d| crate::app::view::record::demand_posts(data, d))
            .unwrap_or_default(),
        Pick::Region(r) => r.zh().to_string(),
        Pick::Occupation(o) => o.zh().to_string(),
        Pick::Program(p) => if lang == Lang::En { p.en() } else { p.zh() }.to_string(),
        Pick::Class(None) => t.i_none.to_string(),
        Pick::Class(Some(c)) => data
            .classes
            .get(&c)
            .map(|c| format!("{} {} · {}", c.id, c.name, fill(t.i_seats, &[&data.seats_left(c)])))
            .unwrap_or_default(),
        other => fixed_items(f, t, lang)
            .into_iter()
            .find(|(_, x)| *x == other)
            .map(|(l, _)| l)
            .unwrap_or_default(),
    }
}
