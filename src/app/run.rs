//! The effects runner: carries out what `update` asked for against the
//! service (one read for a dialog's data, one command for a write) and
//! says what came of it, as a message for `update`.

use super::intake::{Built, Intake, ranked_classes, registered};
use super::msg::{Enrolling, FiguresRead, Loaded, PairRefusal, Prep, Ran, Run, Saved};
use super::state::{Op, PairRows, REVEAL_FOR, Shown, State};
use super::view::record::demand_line;
use crate::domain::rules::{self, Policy};
use crate::domain::*;
use crate::figures::{self, Settings};
use crate::i18n::{Lang, fill};
use crate::say::Say;
use crate::service::{Actor, Data, Service, matching};
use std::sync::Arc;

/// Read what a dialog needs.
pub(super) fn prepare(svc: &Service, st: &State, prep: Prep) -> Loaded {
    let today = st.today;
    let t = st.t();
    match prep {
        Prep::Figures { open } => return figures(svc, open),
        Prep::Claims { open, focus } => return super::subsidy::brief(svc, open, focus),
        Prep::Standards => return super::standards::read(svc, st),
        Prep::ImportPlan { kind, path } => {
            return Loaded::ImportPlan(import_plan(svc, &st.actor, kind, &path, st.lang).map(Box::new));
        }
        Prep::ResultsPlan(path) => {
            // Bounded as every file F6 reads (see `io::import::Options`).
            let read = crate::io::table::ReadOptions {
                sheet: None,
                limits: crate::io::import::Options::default().limits,
            };
            let plan = svc
                .importable_path(&path)
                .and_then(|path| svc.results_plan(&st.actor, &path, None, &read))
                .map(Box::new)
                .map_err(|e| e.say(st.lang));
            return Loaded::ResultsPlan(plan);
        }
        Prep::FollowUpsDue => {
            let due = svc.follow_ups_due(&st.actor);
            let inner = svc.read();
            let data = &inner.data;
            let rows = due
                .iter()
                .map(|d| {
                    let who = data
                        .trainees
                        .get(&d.trainee)
                        .map(|p| p.name.to_string())
                        .unwrap_or_default();
                    let label = fill(t.due_row, &[&d.due, &d.case, &who, &d.months, &d.overdue_days]);
                    (label, d.case)
                })
                .collect();
            return Loaded::FollowUpsDue(rows);
        }
        _ => {}
    }
    let policy = svc.policy();
    let inner = svc.read();
    let data = &inner.data;
    match prep {
        Prep::Pair(r) => match pair(data, r, today, &policy) {
            Ok(rows) => Loaded::Pairing(Ok(rows)),
            Err(Some(class)) => trainee_picker(data, class),
            Err(None) => Loaded::Pairing(Err(if r.kind() == Kind::Trainees {
                PairRefusal::NoReferable
            } else {
                PairRefusal::NeedsPartner
            })),
        },
        Prep::RefreshPairing => Loaded::Pairings(
            st.overlays
                .iter()
                .filter_map(|o| match o {
                    super::state::Overlay::Pairing(p) => Some(match &p.rows {
                        PairRows::Classes(d, _) => {
                            PairRows::Classes(*d, matching::classes_for_demand(data, *d, today, &policy))
                        }
                        PairRows::Demands(c, _) => PairRows::Demands(*c, matching::demands_for_case(data, *c)),
                    }),
                    _ => None,
                })
                .collect(),
        ),
        Prep::TraineePicker(class) => trainee_picker(data, class),
        Prep::CaseAction(case, mk) => {
            let Some(c) = data.cases.get(&case) else {
                return Loaded::Nothing;
            };
            let class = data.classes.get(&c.class);
            let subject = format!(
                "{} · {}",
                data.trainees.get(&c.trainee).map(|t| t.name.as_str()).unwrap_or("?"),
                class.map(|k| k.name.as_str()).unwrap_or("?")
            );
            Loaded::CaseAction {
                case,
                mk,
                state: c.state.clone(),
                subject,
                target: class.map(|k| k.target_level),
            }
        }
        Prep::AskMove(case, mv) => {
            let who = data
                .cases
                .get(&case)
                .and_then(|c| data.trainees.get(&c.trainee))
                .map(|t| t.name.to_string())
                .unwrap_or_default();
            let what = match &mv {
                Move::Refer(d) => data.demands.get(d).map(|x| demand_line(data, x)).unwrap_or_default(),
                _ => String::new(),
            };
            Loaded::AskMove { case, mv, who, what }
        }
        Prep::AskEnroll(trainee, class) => {
            let person = data.trainees.get(&trainee);
            let cls = data.classes.get(&class);
            let (mut refusal, mut warning) = (None, None);
            if let (Some(p), Some(c)) = (person, cls) {
                match rules::enrollable(c, today, &policy).and_then(|_| rules::check_age(&p.id_number, c, &policy)) {
                    Err(e) => refusal = Some(e.say(st.lang)),
                    Ok(w) => warning = w.map(|w| w.say(st.lang)),
                }
            }
            let busy_in = data
                .trainee_cases(trainee)
                .find(|c| c.class != class && rules::is_active(&c.state))
                .map(|c| {
                    let name = data.classes.get(&c.class).map(|k| k.name.as_str()).unwrap_or("?");
                    format!("{} {name} ({})", c.class, c.id)
                });
            Loaded::AskEnroll(Box::new(Enrolling {
                trainee,
                class,
                who: person
                    .map(|x| format!("{} {}", x.name, x.id_number.masked()))
                    .unwrap_or_default(),
                what: cls.map(|c| c.name.clone()).unwrap_or_default(),
                refusal,
                warning,
                busy_in,
            }))
        }
        Prep::Edit(r) => Loaded::Form(edit_form(data, r, today)),
        Prep::EditOwner(r) => {
            let owner = match r {
                RecordRef::Class(c) => data.classes.get(&c).map(|c| RecordRef::Institution(c.institution)),
                RecordRef::Demand(d) => data.demands.get(&d).map(|d| RecordRef::Enterprise(d.enterprise)),
                _ => None,
            };
            Loaded::Form(owner.and_then(|o| edit_form(data, o, today)))
        }
        Prep::EnrollClasses {
            wanted,
            region,
            initial,
        } => Loaded::EnrollClasses {
            items: ranked_classes(&wanted, region, data, t, today, &policy),
            initial,
        },
        Prep::RegionOf(r) => {
            let region = match r {
                RecordRef::Enterprise(e) => data.enterprises.get(&e).map(|e| e.region),
                RecordRef::Institution(i) => data.institutions.get(&i).map(|i| i.region),
                _ => None,
            };
            match region {
                Some(r) => Loaded::Region(r),
                None => Loaded::Nothing,
            }
        }
        Prep::Registered(n) => Loaded::Registered {
            existing: registered(data, &n),
        },
        Prep::ClassStep(class, mk) => {
            let Some(c) = data.classes.get(&class) else {
                return Loaded::Nothing;
            };
            let mv = match mk {
                MoveKind::SendToEvaluation => Move::SendToEvaluation,
                _ => Move::StartTraining,
            };
            let cx = rules::StepContext {
                class: c,
                today,
                note: "",
            };
            let (mut moving, mut staying) = (Vec::new(), Vec::new());
            for k in data.class_cases(class) {
                let who = data
                    .trainees
                    .get(&k.trainee)
                    .map(|p| p.name.to_string())
                    .unwrap_or_default();
                let state = if st.lang == crate::i18n::Lang::Zh {
                    k.state.kind().zh()
                } else {
                    k.state.kind().en()
                };
                if !legal_moves(&k.state).contains(&mk) {
                    staying.push((who, state.to_string()));
                } else if let Err(e) = rules::check_step(&mv, &cx) {
                    staying.push((who, e.say(st.lang)));
                } else {
                    moving.push((k.id, who));
                }
            }
            Loaded::ClassStep(Box::new(super::msg::ClassStep {
                class,
                name: c.name.clone(),
                mv,
                moving,
                staying,
            }))
        }
        Prep::Exists(r) => {
            let found = match r {
                RecordRef::Demand(x) => data.demands.contains_key(&x),
                RecordRef::Class(x) => data.classes.contains_key(&x),
                RecordRef::Trainee(x) => data.trainees.contains_key(&x),
                RecordRef::Case(x) => data.cases.contains_key(&x),
                RecordRef::Institution(x) => data.institutions.contains_key(&x),
                RecordRef::Enterprise(x) => data.enterprises.contains_key(&x),
            };
            Loaded::Exists(r, found)
        }
        Prep::WishQueue => Loaded::WishQueue(super::wish::rows(svc, &st.actor)),
        Prep::WishIntake(id) => Loaded::Form(super::wish::intake_for(svc, st, id)),
        Prep::WishClasses(id) => super::wish::classes(svc, st, id),
        Prep::Figures { .. }
        | Prep::ImportPlan { .. }
        | Prep::ResultsPlan(_)
        | Prep::FollowUpsDue
        | Prep::Claims { .. }
        | Prep::Standards => Loaded::Nothing,
    }
}

fn trainee_picker(data: &Data, class: ClassId) -> Loaded {
    Loaded::TraineePicker {
        class,
        name: data.classes.get(&class).map(|c| c.name.clone()).unwrap_or_default(),
    }
}

/// Pairing for a record: a demand gets ranked classes; a class gets the
/// trainee picker (`Err(Some)`); a certified case or trainee gets ranked
/// demands; anything else nothing (`Err(None)`).
fn pair(data: &Data, r: RecordRef, today: chrono::NaiveDate, policy: &Policy) -> Result<PairRows, Option<ClassId>> {
    match r {
        RecordRef::Demand(d) => Ok(PairRows::Classes(
            d,
            matching::classes_for_demand(data, d, today, policy),
        )),
        RecordRef::Class(c) => Err(Some(c)),
        RecordRef::Case(id) => match data.cases.get(&id) {
            Some(c) if matches!(c.state, CaseState::Certified(_) | CaseState::NotHired(_)) => {
                Ok(PairRows::Demands(c.id, matching::demands_for_case(data, c.id)))
            }
            _ => Err(None),
        },
        RecordRef::Trainee(t) => match data.referable_case(t) {
            Some(c) => Ok(PairRows::Demands(c.id, matching::demands_for_case(data, c.id))),
            None => Err(None),
        },
        _ => Err(None),
    }
}

/// The form of a record (a case's is its trainee's).
fn edit_form(data: &Data, r: RecordRef, today: chrono::NaiveDate) -> Option<Box<Intake>> {
    let r = match r {
        RecordRef::Case(c) => RecordRef::Trainee(data.cases.get(&c)?.trainee),
        other => other,
    };
    Intake::edit(r.kind(), r.raw(), data, today).map(Box::new)
}

/// The dashboard's figures, with the labor-force setting of the database.
fn figures(svc: &Service, open: bool) -> Loaded {
    let place = format!(
        "setting '{}' of the database at {}",
        figures::META_LABOR_FORCE,
        svc.db_path().display()
    );
    let settings = match svc.meta(figures::META_LABOR_FORCE) {
        Ok(v) => Settings::from_meta(v.as_deref(), &place).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let (settings, problem) = match settings {
        Ok(s) => (s, None),
        Err(problem) => (Settings::default(), Some(problem)),
    };
    Loaded::Figures(FiguresRead {
        version: svc.version(),
        figures: Arc::new(figures::compute(&svc.read().data, settings, svc.today())),
        settings,
        problem,
        open,
    })
}

/// Carry out a write.
pub(super) fn write(svc: &Service, st: &State, run: Run) -> Option<Ran> {
    let by = &st.actor;
    Some(match run {
        Run::Op(Op::Enroll { trainee, class, note }) => {
            let result = svc.enroll(trainee, class, by, &note);
            let inner = svc.read();
            Ran::Enrolled {
                result,
                who: inner
                    .data
                    .trainees
                    .get(&trainee)
                    .map(|t| t.name.to_string())
                    .unwrap_or_default(),
                what: inner
                    .data
                    .classes
                    .get(&class)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
            }
        }
        Run::Op(Op::Move { case, mv }) => Ran::Moved(svc.transition(case, mv, by, "")),
        Run::Op(Op::MoveMany { cases, mv }) => Ran::MovedMany(svc.transition_many(&cases, mv.clone(), by, ""), mv),
        Run::Op(Op::Note { case, text }) => Ran::Recorded(svc.add_note(case, by, &text), MoveKind::Note),
        Run::Op(Op::NotHired { case, reason, note }) => Ran::Moved(svc.not_hired(case, by, reason, &note)),
        Run::Op(Op::Correct { case, reason }) => {
            // The latest live step as the events read now (0 when none: the store says why).
            let undoes = svc
                .events(case)
                .ok()
                .and_then(|ev| crate::domain::aftercare::replay(&ev).ok())
                .and_then(|c| c.undoable())
                .unwrap_or(0);
            Ran::Moved(svc.correct(case, by, undoes, &reason))
        }
        Run::Op(Op::FollowUp {
            case,
            outcome,
            wage,
            note,
        }) => {
            // The earliest open follow-up (else the last of the schedule: the store says why not).
            let schedule = svc.schedule();
            let months = svc
                .aftercare(case)
                .and_then(|a| a.next_open(&schedule).map(|(m, _, _)| m))
                .or_else(|| schedule.months().last().copied())
                .unwrap_or(0);
            Ran::Recorded(
                svc.follow_up(case, by, months, outcome, wage, &note),
                MoveKind::FollowUp,
            )
        }
        Run::Op(Op::Catalog(edit)) => Ran::Reference(
            svc.edit_catalog(by, &edit)
                .map(|_| super::reference::done(&edit, st.lang))
                .map_err(|e| e.say(st.lang)),
        ),
        // Discarding a form or quitting writes nothing (the confirmation does it).
        Run::Op(Op::Discard | Op::Quit) => return None,
        Run::Save { form, next } => {
            // A form registering a training wish's person links the wish (#25).
            let wish = super::wish::converting(st).filter(|_| form.kind == Kind::Trainees && form.editing.is_none());
            let id_number = form.text(super::intake::F::IdNumber).to_string();
            let saved = save(svc, st, *form, next);
            if let Some(w) = wish
                && !matches!(saved, Saved::Refused { .. })
            {
                super::wish::after_intake(svc, st, w, &id_number);
            }
            Ran::Saved(saved)
        }
        Run::Wish(op) => super::wish::write(svc, st, op),
        Run::Op(op @ (Op::ClaimStep { .. } | Op::BuildClaim(_))) => super::subsidy::write(svc, st, op),
        Run::Op(Op::Standards(edit)) => super::standards::write(svc, st, &edit),
        Run::ExportClaims => Ran::Exported(super::subsidy::export(svc, st)),
        Run::Import(plan) => Ran::Imported(import_apply(svc, by, *plan, st.lang)),
        Run::Results(plan) => Ran::Imported(
            svc.results_apply(by, &plan)
                .map(|moved| {
                    let (passes, fails) = plan.passes_and_fails();
                    fill(st.t().imp_results_done, &[&moved.len(), &passes, &fails])
                })
                .map_err(|e| e.say(st.lang)),
        ),
        Run::Reveal(r) => Ran::Revealed(reveal(svc, by, r, st.lang)),
        Run::ExportList { kind, ids } => Ran::Exported(export_list(svc, st, kind, &ids)),
        Run::ExportRoster(c) => Ran::Exported(export_roster(svc, st, c)),
    })
}

/// Check a form against the records and save it (and enroll a new trainee
/// into the class it names).
fn save(svc: &Service, st: &State, mut form: Intake, next: bool) -> Saved {
    let t = st.t();
    let built = form.build(&svc.read().data, t, st.today);
    let Some(built) = built else {
        return Saved::Refused {
            form: Box::new(form),
            error: None,
        };
    };
    let by = &st.actor;
    let mut enrolled: Option<String> = None;
    let saved_name = match built {
        Built::Trainee(tr, class) => match svc.save(tr, by) {
            Ok(saved) => {
                if let Some(c) = class {
                    // The rules the enrollment question applies elsewhere:
                    // a second open class needs a reason (given from the
                    // class's enroll key), a warning is confirmed by saving again.
                    let refuse = |mut form: Intake, error: String| {
                        form.editing = Some(saved.id.0);
                        form.set_error(super::intake::F::EnrollClass, error.clone());
                        Saved::EnrollRefused {
                            form: Box::new(form),
                            error,
                        }
                    };
                    if let Some((case, class)) = svc.active_case(saved.id, c) {
                        return refuse(form, rules::RuleError::AlreadyActive { case, class }.say(st.lang));
                    }
                    let policy = svc.policy();
                    let warning = svc
                        .read()
                        .data
                        .classes
                        .get(&c)
                        .and_then(|k| rules::check_age(&saved.id_number, k, &policy).ok().flatten());
                    let mut note = "intake".to_string();
                    if let Some(w) = warning {
                        let said = w.say(st.lang);
                        if form.warned.as_deref() != Some(said.as_str()) {
                            form.warned = Some(said.clone());
                            return refuse(form, fill(t.enroll_warning, &[&said]));
                        }
                        // The event keeps the rule's own words.
                        note = format!("intake; confirmed: {w}");
                    }
                    match svc.enroll(saved.id, c, by, &note) {
                        Ok(_) => enrolled = svc.read().data.classes.get(&c).map(|k| k.name.clone()),
                        Err(e) => {
                            // The person is saved: the form now edits them.
                            form.editing = Some(saved.id.0);
                            form.store_error(&e, t);
                            return Saved::EnrollRefused {
                                form: Box::new(form),
                                error: e.say(st.lang),
                            };
                        }
                    }
                }
                Ok(saved.name.to_string())
            }
            Err(e) => Err(e),
        },
        Built::Demand(d) => svc.save(d, by).map(|d| demand_line(&svc.read().data, &d)),
        Built::Class(c) => svc.save(c, by).map(|c| format!("{} {}", c.id, c.name)),
        Built::Institution(i) => svc.save(i, by).map(|i| format!("{} {}", i.id, i.name)),
        Built::Enterprise(e) => svc.save(e, by).map(|e| format!("{} {}", e.id, e.name)),
    };
    match saved_name {
        Err(e) => {
            form.store_error(&e, t);
            Saved::Refused {
                form: Box::new(form),
                error: Some(e.say(st.lang)),
            }
        }
        Ok(name) => Saved::Done { name, enrolled, next },
    }
}

/// The dry run of an import (writes nothing).
fn import_plan(
    svc: &Service,
    by: &crate::service::Actor,
    kind: Kind,
    path: &std::path::Path,
    lang: Lang,
) -> Result<crate::io::import::Plan, String> {
    let opts = crate::io::import::Options {
        today: svc.today(),
        ..Default::default()
    };
    svc.import_plan_as(by, kind, path, &opts).map_err(|e| e.say(lang))
}

/// Write a checked import through the service (which shows it at once).
fn import_apply(
    svc: &Service,
    by: &crate::service::Actor,
    plan: crate::io::import::Plan,
    lang: Lang,
) -> Result<String, String> {
    svc.import_apply_as(by, plan, &crate::io::import::ApplyOptions::default(), &mut |_, _| {})
        .map(|report| report.say(lang))
        .map_err(|e| e.say(lang))
}

/// Record a reveal of the person behind `r`, then hand their numbers to
/// the screen for [`REVEAL_FOR`].
fn reveal(svc: &Service, by: &Actor, r: RecordRef, lang: Lang) -> Result<Shown, String> {
    let trainee = match r {
        RecordRef::Trainee(t) => t,
        RecordRef::Case(c) => svc
            .read()
            .data
            .cases
            .get(&c)
            .map(|k| k.trainee)
            .ok_or_else(|| format!("{c}?"))?,
        other => return Err(format!("{other}?")),
    };
    let shown = svc.reveal(by, trainee).map_err(|e| e.say(lang))?;
    Ok(Shown {
        trainee: shown.trainee,
        id_number: shown.id_number.to_string(),
        mobile: shown.mobile.map(|m| m.to_string()),
        until: std::time::Instant::now() + REVEAL_FOR,
    })
}

/// A file name for an export made now: `学员-20251015-093000.xlsx`.
fn export_name(what: &str, ext: &str) -> String {
    format!("{what}-{}.{ext}", chrono::Local::now().format("%Y%m%d-%H%M%S"))
}

/// Write the list shown to a spreadsheet in the exports directory.
fn export_list(svc: &Service, st: &State, kind: Kind, ids: &[u64]) -> Result<String, String> {
    let t = st.t();
    let opts = crate::io::export::Options::new(crate::io::export::Format::Xlsx);
    let what = if st.lang == crate::i18n::Lang::Zh {
        kind.zh()
    } else {
        kind.name()
    };
    let (path, n) = svc
        .export_list(&st.actor, kind, ids, &opts, &export_name(what, "xlsx"))
        .map_err(|e| e.say(st.lang))?;
    Ok(fill(t.exported, &[&n, &path.display()]))
}

/// Write a class's roster (花名册): a spreadsheet, and a page to print
/// titled with the class, its institution and dates.
fn export_roster(svc: &Service, st: &State, class: ClassId) -> Result<String, String> {
    let t = st.t();
    let (ids, title) = {
        let r = svc.read();
        let data = &r.data;
        let ids: Vec<u64> = data.class_cases(class).map(|c| c.id.0).collect();
        let title = data
            .classes
            .get(&class)
            .map(|k| {
                let inst = data.institution(k.institution).map(|i| i.name.as_str()).unwrap_or("");
                format!("{} {} 花名册 · {inst} · {} 至 {}", k.id, k.name, k.start, k.end)
            })
            .unwrap_or_else(|| class.to_string());
        (ids, title)
    };
    let name = format!("{}-{class}", t.roster);
    let mut opts = crate::io::export::Options::new(crate::io::export::Format::Xlsx);
    opts.title = Some(title);
    let (sheet, n) = svc
        .export_list(&st.actor, Kind::Cases, &ids, &opts, &export_name(&name, "xlsx"))
        .map_err(|e| e.say(st.lang))?;
    opts.format = crate::io::export::Format::Html;
    let (page, _) = svc
        .export_list(&st.actor, Kind::Cases, &ids, &opts, &export_name(&name, "html"))
        .map_err(|e| e.say(st.lang))?;
    Ok(fill(t.exported_roster, &[&n, &sheet.display(), &page.display()]))
}
