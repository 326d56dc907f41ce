//! The report as Markdown tables for people, in the chosen language: the
//! same rows the dashboard shows ([`skillbridge::figures::cells`]).

use skillbridge::figures::cells::{
    baseline_note, district_cells, group_cells, institution_cells, period_heading, quarter_heading, target_cells,
    tm_note, trade_cells,
};
use skillbridge::figures::retention::Retained;
use skillbridge::figures::{Figures, TargetKind, Targets, format as num};
use skillbridge::i18n::{DashStrings, Lang, fill};
use std::fmt::Write as _;

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn md_table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(
        out,
        "| {} |",
        head.iter().map(|h| md_cell(h)).collect::<Vec<_>>().join(" | ")
    );
    let _ = writeln!(
        out,
        "|{}|",
        head.iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { "---" } else { "---:" })
            .collect::<Vec<_>>()
            .join("|")
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} |",
            r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    out.push('\n');
}

fn target_table(out: &mut String, d: &DashStrings, ts: &Targets) {
    let rows: Vec<Vec<String>> = TargetKind::ALL
        .iter()
        .map(|k| target_cells(d, *k, ts.get(*k)).to_vec())
        .collect();
    md_table(out, &d.cols_targets, &rows);
}

/// The figures as Markdown, in the chosen language.
pub fn markdown(fig: &Figures, demo: Option<&str>, lang: Lang) -> String {
    let d = lang.t().dash;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", d.report_title);
    let _ = writeln!(out, "{}\n", fill(d.as_of, &[&fig.as_of]));
    if let Some(demo) = demo {
        let notice = skillbridge::say::cli::Line::DemoNotice { text: demo.to_string() };
        let _ = writeln!(out, "> {}\n", skillbridge::say::Say::say(&notice, lang));
    }
    targets(&mut out, d, fig);
    breakdowns(&mut out, d, lang, fig);
    let _ = writeln!(out, "## {}\n", d.report_weeks);
    let weeks: Vec<Vec<String>> = fig
        .weeks
        .iter()
        .map(|w| vec![w.start.to_string(), num::int(w.enrollments), num::int(w.certifications)])
        .collect();
    md_table(&mut out, &d.cols_weeks, &weeks);
    training_wishes(&mut out, lang, fig);
    super::subsidy::markdown(&mut out, fig, lang);
    let _ = writeln!(out, "{}", d.report_definitions);
    out
}

/// The targets of the period with their baseline, and of this quarter.
fn targets(out: &mut String, d: &DashStrings, fig: &Figures) {
    let _ = writeln!(out, "## {}\n\n{}\n", d.views[0], period_heading(d, &fig.period));
    target_table(out, d, &fig.targets);
    let _ = writeln!(out, "{}\n\n{}\n", baseline_note(d, &fig.basis), d.rate_rule);
    let _ = writeln!(out, "## {}\n", quarter_heading(d, &fig.quarter));
    target_table(out, d, &fig.quarter.targets);
}

/// Trades, districts, programs, alliances and institutions.
fn breakdowns(out: &mut String, d: &DashStrings, lang: Lang, fig: &Figures) {
    let _ = writeln!(out, "## {}\n", d.views[1]);
    let trades: Vec<Vec<String>> = fig.trades.iter().map(|r| trade_cells(d, lang, r)).collect();
    md_table(out, &d.cols_trades, &trades);
    let _ = writeln!(out, "{}\n", tm_note(d, fig.totals.technical_management_posts_open));
    let _ = writeln!(out, "## {}\n", d.views[2]);
    let districts: Vec<Vec<String>> = fig.districts.iter().map(|r| district_cells(lang, r)).collect();
    md_table(out, &d.cols_districts, &districts);
    for (title, rows) in [(d.views[4], &fig.programs), (d.views[5], &fig.alliances)] {
        let _ = writeln!(out, "## {title}\n");
        let cells: Vec<Vec<String>> = rows.iter().map(|r| group_cells(lang, r)).collect();
        md_table(out, &d.cols_groups, &cells);
    }
    let _ = writeln!(out, "## {}\n", d.views[6]);
    let inst: Vec<Vec<String>> = fig.institutions.iter().map(institution_cells).collect();
    md_table(out, &d.cols_institutions, &inst);
    let _ = writeln!(out, "## {}\n", d.retention);
    let mut rows: Vec<Vec<String>> = fig
        .programs
        .iter()
        .map(|r| retention_cells(r.name(lang), &r.retained))
        .collect();
    rows.extend(fig.institutions.iter().map(|i| retention_cells(&i.name, &i.retained)));
    md_table(out, &d.cols_retention, &rows);
    not_hired(out, d, lang, fig);
}

/// Why referrals were not hired, per enterprise and per demand (#18).
fn not_hired(out: &mut String, d: &DashStrings, lang: Lang, fig: &Figures) {
    use skillbridge::figures::not_hired::{demand_cells, enterprise_cells};
    let n = &fig.not_hired;
    let _ = writeln!(out, "## {}\n", d.not_hired);
    if n.enterprises.is_empty() {
        let _ = writeln!(out, "{}\n", d.no_not_hired);
        return;
    }
    let rows: Vec<Vec<String>> = n.enterprises.iter().map(enterprise_cells).collect();
    md_table(out, &d.cols_not_hired, &rows);
    let _ = writeln!(out, "## {}\n", d.not_hired_demands);
    let rows: Vec<Vec<String>> = n.demands.iter().map(|x| demand_cells(lang, x)).collect();
    md_table(out, &d.cols_not_hired_demand, &rows);
}

/// A program's or institution's retention: due, and employed of closed
/// with the share ("—" when none is closed).
fn retention_cells(name: &str, r: &Retained) -> Vec<String> {
    skillbridge::figures::retention::cells(name, r)
}

/// People's training wishes against open seats (#25): trades to open a class for.
fn training_wishes(out: &mut String, lang: Lang, fig: &Figures) {
    let w = lang.wish();
    let _ = writeln!(out, "## {}\n", w.gap_title);
    if fig.training_wishes.is_empty() {
        let _ = writeln!(out, "{}\n", w.gap_none);
        return;
    }
    let rows: Vec<Vec<String>> = fig
        .training_wishes
        .iter()
        .map(|r| {
            vec![
                r.trade(lang).to_string(),
                r.district(lang).to_string(),
                num::int(u64::from(r.wishing)),
                num::int(u64::from(r.waiting)),
                num::int(u64::from(r.seats_open)),
                num::int(u64::from(r.unmet)),
            ]
        })
        .collect();
    md_table(out, &w.gap_cols, &rows);
    let _ = writeln!(out, "{}\n", w.gap_rule);
}
