//! The report's subsidy section (#21): Markdown for people, CSV rows in the
//! report's long table (`subsidy,…`).

use skillbridge::figures::Figures;
use skillbridge::figures::format as num;
use skillbridge::i18n::Lang;
use skillbridge::i18n::subsidy::sub;
use std::fmt::Write as _;

/// The section in Markdown: the counted trainings with the rule, claims per
/// state and per program.
pub fn markdown(out: &mut String, fig: &Figures, lang: Lang) {
    let s = &fig.subsidy;
    let w = sub(lang);
    let en = lang == Lang::En;
    let _ = writeln!(out, "## {}\n", w.title);
    if s.sample_standard {
        let _ = writeln!(
            out,
            "> {}\n",
            skillbridge::i18n::fill(w.sample, &[&"subsidy-standards.toml"])
        );
    }
    let _ = writeln!(
        out,
        "{}\n\n{}\n",
        skillbridge::i18n::fill(
            w.dash_line,
            &[
                &num::int(s.approved),
                &num::int(s.goal),
                &num::int(s.pending),
                &num::int(s.with_pending)
            ]
        ),
        w.dash_rule
    );
    let (state_h, claims_h, people_h, amount_h) = if en {
        ("State", "Claims", "Eligible", "Yuan")
    } else {
        ("状态", "申报数", "符合人数", "金额（元）")
    };
    let _ = writeln!(
        out,
        "| {state_h} | {claims_h} | {people_h} | {amount_h} |\n|---|---:|---:|---:|"
    );
    for r in &s.by_state {
        let name = if en { r.state } else { r.name_zh };
        let _ = writeln!(out, "| {name} | {} | {} | {} |", r.claims, r.people, num::int(r.amount));
    }
    let _ = writeln!(out);
    let cols = &w.ledger_cols;
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|---:|",
        cols[1], cols[3], cols[4], cols[5], cols[6], cols[7]
    );
    for p in s.by_program.iter().filter(|p| p.claims > 0) {
        let _ = writeln!(
            out,
            "| {} | {} | {}/{} | {}/{} | {}/{} | {}/{} |",
            if en { p.name_en } else { p.name_zh },
            p.claims,
            p.claimed.people,
            p.claimed.amount,
            p.approved.people,
            p.approved.amount,
            p.paid.people,
            p.paid.amount,
            p.returned.people,
            p.returned.amount
        );
    }
    let _ = writeln!(out);
}

/// One CSV row: section, id, name_zh, name_en, metric, value.
pub type RowFn<'a> = dyn FnMut(&str, &str, &str, &str, &str, String) + 'a;

/// The section's CSV rows (`section,id,name_zh,name_en,metric,value`).
pub fn csv_rows(fig: &Figures, row: &mut RowFn<'_>) {
    let s = &fig.subsidy;
    row(
        "subsidy",
        "target",
        "补贴性培训",
        "subsidized trainings",
        "goal",
        s.goal.to_string(),
    );
    row(
        "subsidy",
        "target",
        "补贴性培训",
        "subsidized trainings",
        "approved",
        s.approved.to_string(),
    );
    row(
        "subsidy",
        "target",
        "补贴性培训",
        "subsidized trainings",
        "pending",
        s.pending.to_string(),
    );
    row(
        "subsidy",
        "target",
        "补贴性培训",
        "subsidized trainings",
        "with_pending",
        s.with_pending.to_string(),
    );
    for r in &s.by_state {
        row(
            "subsidy_states",
            r.state,
            r.name_zh,
            r.state,
            "claims",
            r.claims.to_string(),
        );
        row(
            "subsidy_states",
            r.state,
            r.name_zh,
            r.state,
            "people",
            r.people.to_string(),
        );
        row(
            "subsidy_states",
            r.state,
            r.name_zh,
            r.state,
            "amount",
            r.amount.to_string(),
        );
    }
    for p in &s.by_program {
        let id = p.id.to_string();
        for (metric, v) in [
            ("claims", p.claims),
            ("claimed_people", p.claimed.people),
            ("claimed_amount", p.claimed.amount),
            ("approved_people", p.approved.people),
            ("approved_amount", p.approved.amount),
            ("paid_people", p.paid.people),
            ("paid_amount", p.paid.amount),
            ("returned", p.returned.people),
            ("returned_amount", p.returned.amount),
        ] {
            row("subsidy_programs", &id, p.name_zh, p.name_en, metric, v.to_string());
        }
    }
}
