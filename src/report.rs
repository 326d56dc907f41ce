//! `skillbridge report`: the dashboard's figures without the terminal, as
//! Markdown (for people), CSV (one long table: `section,id,name_zh,name_en,
//! metric,value`) or JSON (the figures as they are, `targets` at the top,
//! each with `goal`, `actual` and `share`). `skillbridge labor-force` shows
//! or sets the labor force the per-10,000 target is read against.

use crate::figures::{self, Figures, InstitutionRow, Rate, Row, Settings, Target, TargetKind, Targets, format as num};
use crate::i18n::{DashStrings, Lang, fill};
use crate::service::Service;
use crate::store::Store;
use anyhow::Context;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

/// The report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Csv,
    Json,
}

/// What `skillbridge report` was asked for.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub format: Format,
    pub out: Option<&'a Path>,
    /// `--labor-force` for this report only.
    pub labor_force: Option<&'a str>,
    /// `--lang` (Markdown headings and names).
    pub lang: Option<&'a str>,
}

/// The settings of a database, or the `--labor-force` given for one report.
pub fn settings_of(store: &Store, labor_force: Option<&str>) -> anyhow::Result<Settings> {
    if let Some(v) = labor_force {
        return Ok(Settings {
            labor_force: Settings::parse_labor_force(v, "--labor-force")?,
        });
    }
    let stored = store.meta(figures::META_LABOR_FORCE)?;
    let place = format!(
        "setting '{}' of the database at {}; change it with `skillbridge labor-force N`",
        figures::META_LABOR_FORCE,
        store.path().display()
    );
    Ok(Settings::from_meta(stored.as_deref(), &place)?)
}

/// Show the labor-force setting, or store a new one.
pub fn labor_force(store: &Store, value: Option<&str>) -> anyhow::Result<String> {
    match value {
        None => {
            let s = settings_of(store, None)?;
            let source = if store.meta(figures::META_LABOR_FORCE)?.is_some() {
                "set in this database"
            } else {
                "the default: 226,300 high-skill talents ÷ 1,132 per 10,000"
            };
            Ok(format!(
                "labor force {} ({source}); high-skill per 10,000 at the 2024 baseline: {}",
                s.labor_force,
                num::value(s.baseline_per_10k(), false)
            ))
        }
        Some(v) => {
            let n = Settings::parse_labor_force(v, "the labor-force argument")?;
            store.set_meta(figures::META_LABOR_FORCE, &n.to_string())?;
            let s = Settings { labor_force: n };
            Ok(format!(
                "labor force set to {n} in {}; high-skill per 10,000 at the 2024 baseline: {}",
                store.path().display(),
                num::value(s.baseline_per_10k(), false)
            ))
        }
    }
}

/// Compute the figures of a database on its business date and write them.
pub fn run(store: Store, req: &Request<'_>) -> anyhow::Result<()> {
    let lang = match req.lang {
        None => Lang::Zh,
        Some(l) => Lang::parse(l).with_context(|| format!("unknown language '{l}' for --lang: expected zh or en"))?,
    };
    let settings = settings_of(&store, req.labor_force)?;
    let demo = store.meta(crate::demo::META_DEMO)?;
    let svc = Service::open(store)?;
    let fig = figures::compute(&svc.read().data, settings, svc.today());
    let text = match req.format {
        Format::Json => json(&fig, demo.as_deref())?,
        Format::Csv => csv(&fig),
        Format::Md => markdown(&fig, demo.as_deref(), lang),
    };
    match req.out {
        Some(path) => std::fs::write(path, text).with_context(|| {
            format!(
                "cannot write the report to {}: --out needs a file path in a directory that exists and is writable",
                path.display()
            )
        })?,
        None => print!("{text}"),
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    figures: &'a Figures,
    /// Set on a demo database: says the data is synthetic.
    #[serde(skip_serializing_if = "Option::is_none")]
    demo: Option<&'a str>,
}

/// The figures as one JSON object.
pub fn json(fig: &Figures, demo: Option<&str>) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(&JsonReport { figures: fig, demo })?;
    s.push('\n');
    Ok(s)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

struct Csv(String);

impl Csv {
    fn row(&mut self, section: &str, id: &str, zh: &str, en: &str, metric: &str, value: impl std::fmt::Display) {
        let cells = [section, id, zh, en, metric, &value.to_string()].map(csv_field);
        self.0.push_str(&cells.join(","));
        self.0.push('\n');
    }

    fn targets(&mut self, section: &str, t: &Targets) {
        for k in TargetKind::ALL {
            let x = t.get(k);
            let i = k as usize;
            let (zh, en) = (crate::i18n::ZH_DASH.targets[i], crate::i18n::EN_DASH.targets[i]);
            self.row(section, k.key(), zh, en, "goal", x.goal);
            self.row(section, k.key(), zh, en, "baseline", x.baseline);
            self.row(section, k.key(), zh, en, "actual", x.actual);
            self.row(section, k.key(), zh, en, "share", x.share);
            self.row(section, k.key(), zh, en, "expected", x.expected);
            self.row(section, k.key(), zh, en, "pace", pace_key(x));
        }
    }

    fn rows(&mut self, section: &str, rows: &[Row], id: impl Fn(&Row) -> String) {
        for r in rows {
            let id = id(r);
            let p = &r.figures;
            for (metric, v) in [
                ("posts_open", p.posts_open as i64),
                ("tm_posts_open", p.tm_posts_open as i64),
                ("classes", p.classes as i64),
                ("seats", p.seats as i64),
                ("seats_open", p.seats_open as i64),
                ("enrolled", p.enrolled as i64),
                ("in_training", p.in_training as i64),
                ("certified", p.certified as i64),
                ("waiting", p.waiting as i64),
                ("employed", p.employed as i64),
                ("gap", r.gap),
            ] {
                self.row(section, &id, r.zh, r.en, metric, v);
            }
            self.row(section, &id, r.zh, r.en, "mark", mark_key(r));
        }
    }
}

fn pace_key(t: &Target) -> &'static str {
    match t.pace {
        figures::Pace::NotStarted => "not_started",
        figures::Pace::OnTrack => "on_track",
        figures::Pace::Behind => "behind",
        figures::Pace::Reached => "reached",
    }
}

fn mark_key(r: &Row) -> &'static str {
    match r.mark {
        figures::Mark::Covered => "covered",
        figures::Mark::Shortage => "shortage",
        figures::Mark::Critical => "critical",
    }
}

fn region_code(id: u16) -> String {
    crate::domain::REGIONS
        .get(id as usize)
        .map(|r| r.code.to_string())
        .unwrap_or_default()
}

/// The figures as one long CSV table.
pub fn csv(fig: &Figures) -> String {
    let mut c = Csv(String::from("section,id,name_zh,name_en,metric,value\n"));
    c.row("as_of", "", "", "", "date", fig.as_of);
    let b = &fig.basis;
    c.row("basis", "", "", "", "labor_force", b.labor_force);
    c.row("basis", "", "", "", "baseline_skilled", b.baseline_skilled);
    c.row("basis", "", "", "", "baseline_high_skill", b.baseline_high_skill);
    c.row("basis", "", "", "", "baseline_per_10k", b.baseline_per_10k);
    c.row("basis", "", "", "", "published_per_10k", b.published_per_10k);
    c.row("period", "", "", "", "start", fig.period.start);
    c.row("period", "", "", "", "end", fig.period.end);
    c.row("period", "", "", "", "elapsed", fig.period.elapsed);
    c.targets("targets", &fig.targets);
    let q = &fig.quarter;
    c.row("quarter", &q.quarter, "", "", "start", q.span.start);
    c.row("quarter", &q.quarter, "", "", "end", q.span.end);
    c.row("quarter", &q.quarter, "", "", "elapsed", q.span.elapsed);
    c.targets("quarter_targets", &q.targets);
    c.rows("trades", &fig.trades, |r| r.id.to_string());
    c.rows("districts", &fig.districts, |r| region_code(r.id));
    c.rows("programs", &fig.programs, |r| r.id.to_string());
    c.rows("alliances", &fig.alliances, |r| r.id.to_string());
    for i in &fig.institutions {
        let id = format!("I{}", i.id);
        let row =
            |c: &mut Csv, metric: &str, v: &dyn std::fmt::Display| c.row("institutions", &id, &i.name, "", metric, v);
        row(&mut c, "region", &i.region.get().map(|r| r.code).unwrap_or(""));
        row(&mut c, "stars", &i.stars);
        row(&mut c, "classes", &i.classes);
        row(&mut c, "seats", &i.seats);
        row(&mut c, "enrolled", &i.enrolled);
        for (name, r) in [
            ("completion", &i.completion),
            ("pass", &i.pass),
            ("placement", &i.placement),
        ] {
            row(&mut c, &format!("{name}_num"), &r.num);
            row(&mut c, &format!("{name}_den"), &r.den);
            row(&mut c, name, &r.rate.map(|x| x.to_string()).unwrap_or_default());
        }
    }
    for w in &fig.weeks {
        let id = w.start.to_string();
        c.row("weeks", &id, "", "", "enrollments", w.enrollments);
        c.row("weeks", &id, "", "", "certifications", w.certifications);
    }
    let t = &fig.totals;
    for (metric, v) in [
        ("institutions", t.institutions as u64),
        ("enterprises", t.enterprises as u64),
        ("demands", t.demands as u64),
        ("demand_posts.skilled", t.demand_posts.skilled),
        ("demand_posts.technical_management", t.demand_posts.technical_management),
        ("classes.regular", t.classes.regular),
        ("classes.project", t.classes.project),
        ("seats.regular", t.seats.regular),
        ("seats.project", t.seats.project),
        ("seats_used", t.seats_used),
        ("trainees", t.trainees as u64),
        ("cases", t.cases as u64),
        ("technical_management_posts_open", t.technical_management_posts_open),
    ] {
        c.row("totals", "", "", "", metric, v);
    }
    for (state, n) in &t.cases_by_state {
        c.row("totals", "", "", "", &format!("cases_by_state.{state}"), n);
    }
    c.0
}

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

/// A target as the dashboard and the report read it out.
pub fn target_cells(d: &DashStrings, k: TargetKind, t: &Target) -> [String; 6] {
    let i = k as usize;
    let count = k.is_count();
    [
        d.targets[i].to_string(),
        format!("{}{}", num::value(t.goal, count), d.units[i]),
        num::value(t.actual, count),
        num::share(t.share),
        num::value(t.expected, count),
        pace_label(d, t, count),
    ]
}

/// "behind (short by 21,035)" and the like.
pub fn pace_label(d: &DashStrings, t: &Target, count: bool) -> String {
    match t.pace {
        figures::Pace::Behind => fill(d.behind_by, &[&num::value(t.shortfall(), count)]),
        _ => d.paces[t.pace as usize].to_string(),
    }
}

fn group_cells(lang: Lang, r: &Row) -> Vec<String> {
    let p = &r.figures;
    vec![
        name(lang, r).to_string(),
        num::int(p.classes),
        num::int(p.seats_open),
        num::int(p.in_training),
        num::int(p.certified),
        num::int(p.employed),
        num::int(p.posts_open),
    ]
}

fn name(lang: Lang, r: &Row) -> &'static str {
    match lang {
        Lang::Zh => r.zh,
        Lang::En => r.en,
    }
}

/// The scorecard cells of an institution.
pub fn institution_cells(i: &InstitutionRow) -> Vec<String> {
    let stars = "★".repeat(i.stars.min(5) as usize);
    let r = |r: &Rate| num::rate(r.rate);
    vec![
        i.name.clone(),
        stars,
        num::int(i.classes),
        num::int(i.seats),
        r(&i.completion),
        r(&i.pass),
        r(&i.placement),
    ]
}

/// The figures as Markdown, in the chosen language.
pub fn markdown(fig: &Figures, demo: Option<&str>, lang: Lang) -> String {
    let t = lang.t();
    let d = t.dash;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", d.report_title);
    let _ = writeln!(out, "{}\n", fill(d.as_of, &[&fig.as_of]));
    if let Some(demo) = demo {
        let _ = writeln!(out, "> {demo}\n");
    }
    let p = &fig.period;
    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        d.views[0],
        fill(d.period, &[&p.start, &p.end, &num::share(p.elapsed)])
    );
    let rows = |ts: &Targets| -> Vec<Vec<String>> {
        TargetKind::ALL
            .iter()
            .map(|k| target_cells(d, *k, ts.get(*k)).to_vec())
            .collect()
    };
    md_table(&mut out, &d.cols_targets, &rows(&fig.targets));
    let b = &fig.basis;
    let _ = writeln!(
        out,
        "{}\n\n{}\n",
        fill(
            d.baseline,
            &[
                &num::int(b.baseline_skilled),
                &num::int(b.baseline_high_skill),
                &num::value(b.published_per_10k, true),
                &num::int(b.labor_force),
                &num::value(b.baseline_per_10k, false),
            ]
        ),
        d.rate_rule
    );
    let q = &fig.quarter;
    let _ = writeln!(
        out,
        "## {}\n",
        fill(d.quarter, &[&q.quarter, &num::share(q.span.elapsed)])
    );
    md_table(&mut out, &d.cols_targets, &rows(&q.targets));

    let _ = writeln!(out, "## {}\n", d.views[1]);
    let trades: Vec<Vec<String>> = fig
        .trades
        .iter()
        .map(|r| {
            let p = &r.figures;
            vec![
                name(lang, r).to_string(),
                num::int(p.posts_open),
                num::int(p.seats_open),
                num::int(p.in_training),
                num::int(p.waiting),
                num::signed(r.gap),
                d.marks[r.mark as usize].to_string(),
            ]
        })
        .collect();
    md_table(&mut out, &d.cols_trades, &trades);
    let _ = writeln!(
        out,
        "{}\n",
        fill(d.tm_note, &[&num::int(fig.totals.technical_management_posts_open)])
    );

    let _ = writeln!(out, "## {}\n", d.views[2]);
    let districts: Vec<Vec<String>> = fig
        .districts
        .iter()
        .map(|r| {
            let p = &r.figures;
            vec![
                name(lang, r).to_string(),
                num::int(p.posts_open),
                num::int(p.seats_open),
                num::int(p.in_training),
                num::int(p.certified),
                num::int(p.employed),
                num::signed(r.gap),
            ]
        })
        .collect();
    md_table(&mut out, &d.cols_districts, &districts);
    for (title, rows) in [(d.views[4], &fig.programs), (d.views[5], &fig.alliances)] {
        let _ = writeln!(out, "## {title}\n");
        let cells: Vec<Vec<String>> = rows.iter().map(|r| group_cells(lang, r)).collect();
        md_table(&mut out, &d.cols_groups, &cells);
    }
    let _ = writeln!(out, "## {}\n", d.views[6]);
    let inst: Vec<Vec<String>> = fig.institutions.iter().map(institution_cells).collect();
    md_table(&mut out, &d.cols_institutions, &inst);
    let _ = writeln!(out, "## {}\n", d.report_weeks);
    let weeks: Vec<Vec<String>> = fig
        .weeks
        .iter()
        .map(|w| vec![w.start.to_string(), num::int(w.enrollments), num::int(w.certifications)])
        .collect();
    md_table(&mut out, &d.cols_weeks, &weeks);
    let _ = writeln!(out, "{}", d.report_definitions);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_they_must_be() {
        assert_eq!(csv_field("焊工"), "焊工");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn pace_labels_say_how_far_behind() {
        let t = Target::new(80_000.0, 0.0, 6.0, 288.0 / 1095.0);
        assert_eq!(pace_label(crate::i18n::EN.dash, &t, true), "behind (short by 21,035)");
        assert_eq!(pace_label(crate::i18n::ZH.dash, &t, true), "落后（差 21,035）");
        let t = Target::new(1_200.0, 1_131.5, 1_131.6, 0.4);
        assert_eq!(pace_label(crate::i18n::EN.dash, &t, false), "behind (short by 27.3)");
        let t = Target::new(80_000.0, 0.0, 80_000.0, 0.5);
        assert_eq!(pace_label(crate::i18n::EN.dash, &t, true), "reached");
    }
}
