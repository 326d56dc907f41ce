//! What the subsidy overlay shows (#21), built with the frame's one read:
//! the claims newest first, the claim open in detail with its lines and
//! steps, the ledger with its totals, the standard's label and the
//! counted trainings.

use crate::app::subsidy::{SubView, SubsidyState};
use crate::domain::subsidy::Claim;
use crate::domain::subsidy::edit::{FORM_SOURCE, still_sample};
use crate::domain::subsidy::{ClaimEvent, ClaimState, Standards, Verdict, ledger, ledger_total, legal_steps};
use crate::i18n::subsidy::sub;
use crate::i18n::{Lang, fill};
use crate::keymap::Action;
use crate::service::{Data, Service};

/// One claim open in detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimDetail {
    pub title: String,
    pub head: Vec<String>,
    pub lines: Vec<Vec<String>>,
    /// Eligible or not, per line (for its colour).
    pub eligible: Vec<bool>,
    pub steps: Vec<String>,
    pub next: String,
}

/// The subsidy overlay's frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyView {
    pub view: SubView,
    /// Which standard the amounts come from (示例标准 when the sample).
    pub standard: String,
    pub sample: bool,
    pub claims: Vec<Vec<String>>,
    pub detail: Option<ClaimDetail>,
    /// The ledger's rows, the totals last.
    pub ledger: Vec<Vec<String>>,
    /// The counted trainings, and the rule.
    pub figure: String,
    pub rule: String,
    /// The standard table, when it is the view shown (#21).
    pub table: Option<StandardsView>,
}

/// The standard table's view (#21).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardsView {
    /// Window, yearly limit, second reviewer.
    pub settings: String,
    /// Occupation or group, level, amount, "sample" when the row holds the
    /// shipped sample's amount.
    pub rows: Vec<Vec<String>>,
    pub uplifts: Vec<Vec<String>>,
    /// What a change does to claims.
    pub note: String,
    /// The latest changes made with the form, newest last.
    pub edits: Vec<String>,
}

fn step_keys(state: ClaimState) -> Vec<Action> {
    legal_steps(state)
        .iter()
        .filter_map(|s| match *s {
            "rebuild" => Some(Action::ClaimRebuild),
            "file" => Some(Action::ClaimFile),
            "first_approve" => Some(Action::ClaimFirstApprove),
            "second_approve" => Some(Action::ClaimSecondApprove),
            "pay" => Some(Action::ClaimPay),
            "return" => Some(Action::ClaimReturn),
            _ => None,
        })
        .collect()
}

/// The keys the footer shows for the overlay.
pub fn footer(s: &SubsidyState) -> Vec<Action> {
    if s.reason.is_some() {
        return vec![Action::Open, Action::Cancel];
    }
    let mut v = vec![Action::Down];
    match (s.view, s.open) {
        (SubView::Claims, None) => v.push(Action::Open),
        (SubView::Claims, Some(_)) => {
            if let Some(c) = s.current() {
                v.extend(step_keys(c.state));
            }
        }
        (SubView::Ledger, _) => {}
        (SubView::Standards, _) => {
            v.extend([
                Action::StandardAdd,
                Action::StandardEdit,
                Action::StandardRemove,
                Action::UpliftEdit,
                Action::NextTab,
                Action::Back,
                Action::Help,
            ]);
            return v;
        }
    }
    v.extend([Action::NextTab, Action::ExportList, Action::Back, Action::Help]);
    v
}

fn time(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| {
            t.with_timezone(&crate::domain::china_time())
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default()
}

/// Build the overlay's view.
/// `data` is the frame's read of the picture (the service's lock is held:
/// only the store is asked here, never the picture again).
pub fn build(svc: &Service, data: &Data, s: &SubsidyState, lang: Lang) -> SubsidyView {
    let w = sub(lang);
    let en = lang == Lang::En;
    let standards = svc.subsidy_standards().ok();
    let (sample, source) = standards
        .as_ref()
        .map(|x| (x.sample, x.source.clone()))
        .unwrap_or((true, String::new()));
    let standard = match standards.as_ref() {
        Some(t) if !sample && t.edited() => edited_label(svc, t, lang),
        _ if sample => fill(w.sample, &[&source]),
        _ => fill(w.city_standard, &[&source]),
    };
    let table = (s.view == SubView::Standards).then(|| table_view(svc, standards.as_ref(), lang));
    let mut claims: Vec<&Claim> = data.claims.values().collect();
    claims.sort_by_key(|c| std::cmp::Reverse(c.id));
    let inst = |id| data.institution(id).map(|i| i.name.clone()).unwrap_or_default();
    let state_name = |st: ClaimState| if en { st.en() } else { st.zh() };
    let rows = claims
        .iter()
        .map(|c| {
            let class = data.classes.get(&c.class).map(|k| k.name.clone()).unwrap_or_default();
            vec![
                c.id.to_string(),
                state_name(c.state).to_string()
                    + if c.returned.is_some() {
                        if en { " (returned)" } else { "（退回）" }
                    } else {
                        ""
                    },
                format!("{} {class}", c.class),
                inst(c.institution),
                (if en { c.occupation.en() } else { c.occupation.zh() }).to_string(),
                c.quarter.to_string(),
                format!("{}/{}", c.eligible(), c.lines.len()),
                c.total().to_string(),
                c.filed.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let detail = s.open.and_then(|id| data.claims.get(&id)).map(|c| {
        let events: Vec<ClaimEvent> = svc.claim_events(c.id).unwrap_or_default();
        let class = data.classes.get(&c.class);
        let mut head = vec![fill(
            w.detail_head,
            &[
                &class
                    .map(|k| format!("{} {}", k.id, k.name))
                    .unwrap_or_else(|| c.class.to_string()),
                &inst(c.institution),
                &(if en { c.program.en() } else { c.program.zh() }),
                &c.quarter,
                &c.class_end,
            ],
        )];
        head.push(fill(w.detail_sum, &[&c.eligible(), &c.lines.len(), &c.total()]));
        if let Some(d) = c.filed {
            head.push(fill(w.filed_on, &[&d]));
        }
        if let Some(r) = &c.returned {
            head.push(fill(w.returned, &[&c.returns, r]));
        } else if c.returns > 0 {
            head.push(fill(w.returned_before, &[&c.returns]));
        }
        if c.state == ClaimState::Draft {
            head.push(w.draft_note.to_string());
        }
        let lines = c
            .lines
            .iter()
            .map(|l| {
                let p = data.trainees.get(&l.trainee);
                let verdict = match &l.verdict {
                    Verdict::Eligible { base, uplift } if *uplift > 0 => {
                        if en {
                            format!("{} ({base} + {uplift})", w.yes)
                        } else {
                            format!("{}（{base}+{uplift}）", w.yes)
                        }
                    }
                    Verdict::Eligible { .. } => w.yes.to_string(),
                    Verdict::Ineligible(why) if en => format!("{}: {}", w.no, why.en()),
                    Verdict::Ineligible(why) => format!("{}：{}", w.no, why.zh()),
                };
                vec![
                    l.case.to_string(),
                    p.map(|x| x.name.to_string()).unwrap_or_default(),
                    l.level
                        .map(|v| if en { v.en() } else { v.zh() })
                        .unwrap_or("-")
                        .to_string(),
                    l.key_group.clone().unwrap_or_default(),
                    l.amount().to_string(),
                    verdict,
                ]
            })
            .collect();
        let steps = events
            .iter()
            .map(|e| {
                let what = if en { e.step.en() } else { e.step.zh() };
                let reason = match &e.step {
                    crate::domain::subsidy::Step::Return { reason } if en => format!(": {reason}"),
                    crate::domain::subsidy::Step::Return { reason } => format!("：{reason}"),
                    _ => String::new(),
                };
                format!(
                    "{}  {}  {what}{reason}  → {}  {}",
                    time(e.at),
                    e.operator,
                    state_name(e.to),
                    e.amount
                )
            })
            .collect();
        let keys = step_keys(c.state);
        let next = if keys.is_empty() {
            w.final_state.to_string()
        } else {
            let names: Vec<&str> = keys
                .iter()
                .map(|a| {
                    let d = if en { a.describe_en() } else { a.describe_zh() };
                    d.split(['（', '(']).next().unwrap_or(d).trim()
                })
                .collect();
            fill(w.next_steps, &[&names.join(if en { "; " } else { "；" })])
        };
        ClaimDetail {
            title: fill(w.detail_title, &[&c.id, &state_name(c.state)]),
            head,
            eligible: c.lines.iter().map(|l| l.eligible()).collect(),
            lines,
            steps,
            next,
        }
    });
    let lrows = ledger(claims.iter().copied());
    let mut ledger_cells: Vec<Vec<String>> = Vec::new();
    let pair = |x: &crate::domain::subsidy::Sum| format!("{}/{}", x.people, x.amount);
    for r in lrows.iter() {
        ledger_cells.push(vec![
            inst(r.institution),
            (if en { r.program.en() } else { r.program.zh() }).to_string(),
            r.quarter.map(|q| q.to_string()).unwrap_or_default(),
            r.claims.to_string(),
            pair(&r.claimed),
            pair(&r.approved),
            pair(&r.paid),
            pair(&r.returned),
        ]);
    }
    let t = ledger_total(&lrows);
    ledger_cells.push(vec![
        w.total.to_string(),
        String::new(),
        String::new(),
        t.claims.to_string(),
        pair(&t.claimed),
        pair(&t.approved),
        pair(&t.paid),
        pair(&t.returned),
    ]);
    let f = crate::figures::subsidy::compute(data);
    let figure = fill(
        w.dash_line,
        &[
            &crate::figures::format::int(f.approved),
            &crate::figures::format::int(f.goal),
            &crate::figures::format::int(f.pending),
            &crate::figures::format::int(f.with_pending),
        ],
    );
    SubsidyView {
        view: s.view,
        standard,
        sample,
        claims: rows,
        detail,
        ledger: ledger_cells,
        figure,
        rule: w.dash_rule.to_string(),
        table,
    }
}

/// The label of a table changed with the form: who changed it last and
/// when, and how many rows still hold the shipped sample's amounts.
fn edited_label(svc: &Service, t: &Standards, lang: Lang) -> String {
    let w = sub(lang);
    let last = svc.standards_log().ok().and_then(|l| l.last().cloned());
    let (who, when) = last.map(|c| (c.operator, time(c.at))).unwrap_or_default();
    let n = sample_marks(svc, t).into_iter().filter(|x| *x).count();
    if n > 0 {
        fill(w.std_edited_sample, &[&who, &when, &n])
    } else {
        fill(w.std_edited, &[&who, &when])
    }
}

/// Per row, true when it still holds the shipped sample's amount in a
/// table edited from the sample (a table imported from a city's file and
/// edited since marks nothing; the sample itself is labelled whole).
fn sample_marks(svc: &Service, t: &Standards) -> Vec<bool> {
    let from_sample = t.edited()
        && svc
            .standards_log()
            .ok()
            .and_then(|log| log.into_iter().rev().find(|c| c.source != FORM_SOURCE))
            .is_none_or(|c| c.sample);
    if from_sample {
        still_sample(t)
    } else {
        vec![false; t.rows.len()]
    }
}

/// The standard table's rows, uplifts, settings and latest changes.
fn table_view(svc: &Service, t: Option<&Standards>, lang: Lang) -> StandardsView {
    let w = sub(lang);
    let en = lang == Lang::En;
    let Some(t) = t else {
        return StandardsView {
            settings: String::new(),
            rows: Vec::new(),
            uplifts: Vec::new(),
            note: w.std_note.to_string(),
            edits: Vec::new(),
        };
    };
    let marks = sample_marks(svc, t);
    let rows = t
        .rows
        .iter()
        .zip(marks)
        .map(|(r, at_sample)| {
            vec![
                if en { r.target.en() } else { r.target.zh() },
                (if en { r.level.en() } else { r.level.zh() }).to_string(),
                r.amount.to_string(),
                if at_sample {
                    w.std_mark_sample.to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let uplifts = t
        .uplifts
        .iter()
        .map(|u| vec![u.key_group.clone(), format!("+{}%", u.percent)])
        .collect();
    let yes_no = w.yes_no[usize::from(!t.second_reviewer)];
    let edits = svc
        .standards_edits()
        .unwrap_or_default()
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|e| {
            let what = if en { e.edit.en() } else { e.edit.zh() };
            let before = match (e.before, en) {
                (Some(b), true) => format!(" (was {b})"),
                (Some(b), false) => format!("（原 {b}）"),
                (None, _) => String::new(),
            };
            format!("{}  {}  {what}{before}", time(e.at), e.operator)
        })
        .collect();
    StandardsView {
        settings: fill(w.std_settings, &[&t.window_days, &t.max_per_year, &yes_no]),
        rows,
        uplifts,
        note: w.std_note.to_string(),
        edits,
    }
}
