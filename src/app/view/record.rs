//! What a record says about itself, as lines of text: the detail pane,
//! the full detail view (with a case's timeline) and pairing reasons.

use crate::domain::*;
use crate::i18n::{Lang, Strings, fill};
use crate::service::Data;
use crate::service::matching::{ClassReason, DemandReason};
use chrono::NaiveDate;

/// One line of a record's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailLine {
    /// The record's name, first.
    Title(String),
    /// A label and its value.
    Field(&'static str, String),
    /// A section heading (the timeline's).
    Heading(&'static str),
    /// One of a list of the record's own (an institution's classes).
    Item(String),
    /// A step of a case's history.
    Event {
        when: String,
        operator: String,
        text: String,
    },
}

fn occ_label(o: OccupationId, lang: Lang) -> String {
    let Some(x) = o.get() else { return "?".into() };
    // Only a verified code is the occupation's own; a group's code is said
    // to be the group's (车工 and 铣工 share 6-18-01, the machining group).
    let code = x
        .code
        .map(|(c, e)| format!(" {c} ({})", e.label()))
        .or_else(|| {
            x.group.map(|g| match lang {
                Lang::Zh => format!("（所属职业组 {g}）"),
                Lang::En => format!(" (in group {g})"),
            })
        })
        .unwrap_or_default();
    match lang {
        Lang::Zh => format!("{}{code}", x.zh),
        Lang::En => format!("{} {}{code}", x.zh, x.en),
    }
}

fn level_label(l: SkillLevel, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => l.zh(),
        Lang::En => l.en(),
    }
}

fn region_label(r: RegionId, lang: Lang) -> String {
    match lang {
        Lang::Zh => r.zh().to_string(),
        Lang::En => format!("{} {}", r.zh(), r.en()),
    }
}

/// "某公司 焊工×5": a demand as a class's link or a form's choice names it.
pub fn demand_posts(data: &Data, d: &JobDemand) -> String {
    format!(
        "{} {}×{}",
        data.enterprise_name(d.enterprise),
        d.occupation.zh(),
        d.headcount
    )
}

/// "D12 焊工 某公司": a demand in one line.
pub fn demand_line(data: &Data, d: &JobDemand) -> String {
    format!("{} {} {}", d.id, d.occupation.zh(), data.enterprise_name(d.enterprise))
}

/// One case of a class's roster: the person, their numbers, the state,
/// the scores and certificate when evaluated.
pub fn roster_line(data: &Data, k: &Case, lang: Lang) -> String {
    let p = data.trainees.get(&k.trainee);
    let state = if lang == Lang::Zh {
        k.state.kind().zh()
    } else {
        k.state.kind().en()
    };
    let mut s = format!(
        "{} {} {} {} · {state}",
        k.trainee,
        p.map(|p| p.name.as_str()).unwrap_or("?"),
        p.map(|p| p.id_number.to_string()).unwrap_or_default(),
        p.and_then(|p| p.mobile.as_ref())
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    if let Some(cert) = &k.certification {
        s.push_str(&format!(
            " · {}/{} · {}",
            cert.evaluation.theory, cert.evaluation.practical, cert.certificate
        ));
    }
    s
}

/// The lines describing a record.
pub fn record_lines(
    data: &Data,
    r: RecordRef,
    today: NaiveDate,
    t: &Strings,
    lang: Lang,
    events: Option<&[Event]>,
) -> Vec<DetailLine> {
    let (kind, id) = (r.kind(), r.raw());
    let mut v = Vec::new();
    match kind {
        Kind::Demands => {
            let Some(d) = data.demands.get(&DemandId(id)) else {
                return v;
            };
            let u = data.usage(d.id);
            v.push(DetailLine::Title(format!(
                "{} {} · {}",
                d.id,
                d.occupation.zh(),
                data.enterprise_name(d.enterprise)
            )));
            v.push(DetailLine::Field(t.l_trade, occ_label(d.occupation, lang)));
            v.push(DetailLine::Field(t.l_region, region_label(d.region, lang)));
            v.push(DetailLine::Field(
                t.l_kind,
                if lang == Lang::Zh { d.kind.zh() } else { d.kind.en() }.to_string(),
            ));
            v.push(DetailLine::Field(
                t.l_posts,
                fill(t.posts_fmt, &[&d.headcount, &u.referred, &u.hired, &data.posts_open(d)]),
            ));
            v.push(DetailLine::Field(t.l_wage, format!("¥{}-{}", d.wage_min, d.wage_max)));
            v.push(DetailLine::Field(
                t.l_min_level,
                d.min_level
                    .map(|l| level_label(l, lang).to_string())
                    .unwrap_or(t.any_level.to_string()),
            ));
            v.push(DetailLine::Field(t.l_posted, d.posted.to_string()));
            v.push(DetailLine::Field(
                t.l_status,
                if lang == Lang::Zh {
                    d.status.zh()
                } else {
                    d.status.name()
                }
                .to_string(),
            ));
            let project: Vec<String> = data
                .classes
                .values()
                .filter(|c| c.linked_demands.contains(&d.id))
                .map(|c| format!("{} {}", c.id, c.name))
                .collect();
            if !project.is_empty() {
                v.push(DetailLine::Field(t.l_class, project.join("；")));
            }
        }
        Kind::Classes => {
            let Some(c) = data.classes.get(&ClassId(id)) else {
                return v;
            };
            let inst = data.institution(c.institution);
            let used = data.seats_used.get(&c.id).copied().unwrap_or(0);
            v.push(DetailLine::Title(format!("{} {}", c.id, c.name)));
            v.push(DetailLine::Field(
                t.l_institution,
                inst.map(|i| format!("{} {}", i.name, "★".repeat(i.stars as usize)))
                    .unwrap_or_default(),
            ));
            v.push(DetailLine::Field(t.l_trade, occ_label(c.occupation, lang)));
            v.push(DetailLine::Field(t.l_region, region_label(c.region, lang)));
            v.push(DetailLine::Field(
                t.l_kind,
                if lang == Lang::Zh { c.kind.zh() } else { c.kind.name() }.to_string(),
            ));
            v.push(DetailLine::Field(
                t.l_program,
                if lang == Lang::Zh {
                    c.program.zh()
                } else {
                    c.program.en()
                }
                .to_string(),
            ));
            v.push(DetailLine::Field(
                t.l_dates,
                format!("{} ~ {} ({})", c.start, c.end, c.quarter),
            ));
            v.push(DetailLine::Field(
                t.l_seats,
                fill(t.seats_fmt, &[&c.capacity, &used, &data.seats_left(c)]),
            ));
            v.push(DetailLine::Field(
                t.l_target,
                level_label(c.target_level, lang).to_string(),
            ));
            v.push(DetailLine::Field(
                t.l_status,
                if lang == Lang::Zh {
                    c.status.zh()
                } else {
                    c.status.name()
                }
                .to_string(),
            ));
            if !c.linked_demands.is_empty() {
                let linked: Vec<String> = c
                    .linked_demands
                    .iter()
                    .filter_map(|d| data.demands.get(d))
                    .map(|d| demand_posts(data, d))
                    .collect();
                v.push(DetailLine::Field(t.l_linked, linked.join("；")));
            }
            // The roster (花名册): every case of the class.
            let roster: Vec<&Case> = data.class_cases(c.id).collect();
            if !roster.is_empty() {
                v.push(DetailLine::Heading(t.roster));
                for k in roster {
                    v.push(DetailLine::Item(roster_line(data, k, lang)));
                }
            }
        }
        Kind::Trainees => {
            let Some(p) = data.trainees.get(&TraineeId(id)) else {
                return v;
            };
            v.push(DetailLine::Title(format!("{} {}", p.id, p.name)));
            let sex = if lang == Lang::Zh {
                p.id_number.sex().zh()
            } else {
                p.id_number.sex().en()
            };
            v.push(DetailLine::Field(
                t.l_id_number,
                format!(
                    "{}  {}",
                    p.id_number,
                    fill(
                        t.person_fmt,
                        &[&sex, &p.id_number.age_on(today), &p.id_number.birth_date()]
                    )
                ),
            ));
            v.push(DetailLine::Field(
                t.l_mobile,
                p.mobile.as_ref().map(|m| m.to_string()).unwrap_or(t.none.to_string()),
            ));
            v.push(DetailLine::Field(
                t.l_group,
                p.key_group.as_deref().unwrap_or(t.none).to_string(),
            ));
            v.push(DetailLine::Field(t.l_region, region_label(p.region, lang)));
            v.push(DetailLine::Field(
                t.l_wanted,
                p.wanted.iter().map(|o| o.zh()).collect::<Vec<_>>().join("、"),
            ));
            let cases: Vec<String> = data
                .trainee_cases(p.id)
                .map(|c| {
                    let class = data.classes.get(&c.class).map(|k| k.name.as_str()).unwrap_or("?");
                    let st = if lang == Lang::Zh {
                        c.state.kind().zh()
                    } else {
                        c.state.kind().en()
                    };
                    format!("{} {class} [{st}]", c.id)
                })
                .collect();
            v.push(DetailLine::Field(
                t.l_cases,
                if cases.is_empty() {
                    t.none.to_string()
                } else {
                    cases.join("；")
                },
            ));
        }
        Kind::Cases => {
            let Some(c) = data.cases.get(&CaseId(id)) else { return v };
            let p = data.trainees.get(&c.trainee);
            let class = data.classes.get(&c.class);
            let st = if lang == Lang::Zh {
                c.state.kind().zh()
            } else {
                c.state.kind().en()
            };
            v.push(DetailLine::Title(format!(
                "{} {} · {}",
                c.id,
                p.map(|p| p.name.as_str()).unwrap_or("?"),
                st
            )));
            v.push(DetailLine::Field(
                t.l_trainee,
                p.map(|p| format!("{} {} {}", p.id, p.name, p.id_number))
                    .unwrap_or_default(),
            ));
            v.push(DetailLine::Field(
                t.l_class,
                class.map(|k| format!("{} {}", k.id, k.name)).unwrap_or_default(),
            ));
            let state = match &c.state {
                CaseState::Referred(d) | CaseState::NotHired(d) | CaseState::Employed(d) => {
                    let what = data
                        .demands
                        .get(d)
                        .map(|x| format!("{} {}", data.enterprise_name(x.enterprise), x.occupation.zh()))
                        .unwrap_or_default();
                    format!("{st} → {d} {what}")
                }
                _ => st.to_string(),
            };
            v.push(DetailLine::Field(t.l_state, state));
            if let Some(cert) = &c.certification {
                v.push(DetailLine::Field(
                    t.l_cert,
                    format!(
                        "{} {} · {}/{} · {}",
                        level_label(cert.level, lang),
                        cert.certificate,
                        cert.evaluation.theory,
                        cert.evaluation.practical,
                        cert.date
                    ),
                ));
            }
            let legal: Vec<&str> = legal_moves(&c.state)
                .iter()
                .map(|m| if lang == Lang::Zh { m.zh() } else { m.name() })
                .collect();
            v.push(DetailLine::Field(
                t.legal_moves,
                if legal.is_empty() {
                    t.no_moves.to_string()
                } else {
                    legal.join(" · ")
                },
            ));
            if let Some(events) = events {
                v.push(DetailLine::Heading(t.timeline));
                for e in events {
                    v.push(event_line(e, lang));
                }
            }
        }
        Kind::Institutions => {
            let Some(i) = data.institutions.get(&InstitutionId(id)) else {
                return v;
            };
            v.push(DetailLine::Title(format!(
                "{} {} {}",
                i.id,
                i.name,
                "★".repeat(i.stars as usize)
            )));
            v.push(DetailLine::Field(t.l_region, region_label(i.region, lang)));
            v.push(DetailLine::Field(t.l_stars, i.stars.to_string()));
            let classes: Vec<&TrainingClass> = data.classes.values().filter(|c| c.institution == i.id).collect();
            let open = classes.iter().filter(|c| c.status.accepts_enrollment()).count();
            let training = classes
                .iter()
                .flat_map(|c| data.class_cases(c.id))
                .filter(|c| c.state == CaseState::InTraining)
                .count();
            v.push(DetailLine::Field(
                t.l_classes,
                fill(t.classes_fmt, &[&classes.len(), &open, &training]),
            ));
            for c in classes {
                let status = if lang == Lang::Zh {
                    c.status.zh()
                } else {
                    c.status.name()
                };
                let seats = fill(
                    t.seats_fmt,
                    &[
                        &c.capacity,
                        &data.seats_used.get(&c.id).copied().unwrap_or(0),
                        &data.seats_left(c),
                    ],
                );
                v.push(DetailLine::Item(format!(
                    "{} {} · {} · {seats} · {status}",
                    c.id, c.name, c.start
                )));
            }
        }
        Kind::Enterprises => {
            let Some(e) = data.enterprises.get(&EnterpriseId(id)) else {
                return v;
            };
            v.push(DetailLine::Title(format!("{} {}", e.id, e.name)));
            v.push(DetailLine::Field(t.l_region, region_label(e.region, lang)));
            v.push(DetailLine::Field(t.l_industry, e.industry.clone()));
            v.push(DetailLine::Field(
                t.l_alliance,
                e.alliance
                    .map(|a| if lang == Lang::Zh { a.zh() } else { a.en() }.to_string())
                    .unwrap_or(t.none.to_string()),
            ));
            let demands: Vec<&JobDemand> = data.demands.values().filter(|d| d.enterprise == e.id).collect();
            let open: u32 = demands
                .iter()
                .filter(|d| d.status == DemandStatus::Open)
                .map(|d| data.posts_open(d))
                .sum();
            v.push(DetailLine::Field(
                t.l_demands,
                fill(t.demands_fmt, &[&demands.len(), &open]),
            ));
            for d in demands {
                let status = if lang == Lang::Zh {
                    d.status.zh()
                } else {
                    d.status.name()
                };
                v.push(DetailLine::Item(format!(
                    "{} {}×{} · ¥{}-{} · {status}",
                    d.id,
                    d.occupation.zh(),
                    d.headcount,
                    d.wage_min,
                    d.wage_max
                )));
            }
        }
    }
    v
}

fn event_line(e: &Event, lang: Lang) -> DetailLine {
    let when = chrono::DateTime::from_timestamp(e.at, 0)
        .map(|d| {
            d.with_timezone(&crate::domain::china_time())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    if let Some(text) = super::timeline::after_job(e, lang) {
        let operator = e.operator.clone();
        return DetailLine::Event { when, operator, text };
    }
    let name = |s: &CaseState| match lang {
        Lang::Zh => s.kind().zh(),
        Lang::En => s.kind().en(),
    };
    let step = match &e.from {
        None => format!("→ {}", name(&e.to)),
        Some(f) => format!("{} → {}", name(f), name(&e.to)),
    };
    let detail = match &e.action {
        Some(Move::Withdraw { reason }) => format!(" ({reason})"),
        Some(Move::Certify {
            certificate,
            evaluation,
            ..
        }) => {
            format!(" ({certificate} {}/{})", evaluation.theory, evaluation.practical)
        }
        Some(Move::Fail { evaluation }) => format!(" ({}/{})", evaluation.theory, evaluation.practical),
        Some(Move::Refer(d)) => format!(" ({d})"),
        _ => String::new(),
    };
    let note = if e.note.is_empty() {
        String::new()
    } else {
        format!(" — {}", e.note)
    };
    DetailLine::Event {
        when,
        operator: e.operator.clone(),
        text: format!("{step}{detail}{note}"),
    }
}

pub fn class_reason(r: &ClassReason, t: &Strings, lang: Lang) -> String {
    match r {
        ClassReason::BuiltOnDemand => t.r_built_on.to_string(),
        ClassReason::SameTrade => t.r_same_trade.to_string(),
        ClassReason::RelatedTrade(o) => fill(t.r_related, &[&o.zh()]),
        ClassReason::SameDistrict => t.r_same_district.to_string(),
        ClassReason::OtherDistrict(r) => fill(t.r_other_district, &[&region_label(*r, lang)]),
        ClassReason::StartsIn(d) => fill(t.r_starts_in, &[d]),
        ClassReason::Running(d) => fill(t.r_running, &[d]),
        ClassReason::Stars(s) => "★".repeat(*s as usize),
        ClassReason::SeatsLeft(n) => fill(t.r_seats_left, &[n]),
    }
}

pub fn demand_reason(r: &DemandReason, t: &Strings, lang: Lang) -> String {
    match r {
        DemandReason::SameTrade => t.r_same_trade.to_string(),
        DemandReason::RelatedTrade(o) => fill(t.r_related, &[&o.zh()]),
        DemandReason::Level(has, need) => fill(
            t.r_level,
            &[
                &level_label(*has, lang),
                &need.map(|l| level_label(l, lang)).unwrap_or(t.any_level),
            ],
        ),
        DemandReason::SameDistrict => t.r_same_district.to_string(),
        DemandReason::OtherDistrict(r) => fill(t.r_other_district, &[&region_label(*r, lang)]),
        DemandReason::Wage(a, b) => fill(t.r_wage, &[a, b]),
        DemandReason::PostsOpen(n) => fill(t.r_posts_open, &[n]),
    }
}
