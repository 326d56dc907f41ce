//! The report as one long CSV table: `section,id,name_zh,name_en,metric,value`.

use skillbridge::figures::retention::Retained;
use skillbridge::figures::{Figures, InstitutionRow, Mark, Pace, Row, Target, TargetKind, Targets, Totals};
use skillbridge::i18n::{EN_DASH, ZH_DASH};
use std::fmt::Display;

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

struct Csv(String);

impl Csv {
    fn row(&mut self, section: &str, id: &str, zh: &str, en: &str, metric: &str, value: impl Display) {
        let cells = [section, id, zh, en, metric, &value.to_string()].map(csv_field);
        self.0.push_str(&cells.join(","));
        self.0.push('\n');
    }

    fn targets(&mut self, section: &str, t: &Targets) {
        for k in TargetKind::ALL {
            let x = t.get(k);
            let i = k as usize;
            let (zh, en) = (ZH_DASH.targets[i], EN_DASH.targets[i]);
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
            self.retained(section, &id, r.zh, r.en, &r.retained);
        }
    }

    /// `retention_3m_due`, `_closed`, `_count`, `_share` (empty when none
    /// is closed), `_wage` (empty when none recorded), and the same at 6.
    fn retained(&mut self, section: &str, id: &str, zh: &str, en: &str, r: &Retained) {
        for (key, x) in [("retention_3m", &r.retention_3m), ("retention_6m", &r.retention_6m)] {
            self.row(section, id, zh, en, &format!("{key}_due"), x.due);
            self.row(section, id, zh, en, &format!("{key}_closed"), x.closed);
            self.row(section, id, zh, en, &format!("{key}_count"), x.count);
            let share = x.share().map(|s| s.to_string()).unwrap_or_default();
            self.row(section, id, zh, en, &format!("{key}_share"), share);
            let wage = x.wage().map(|w| w.to_string()).unwrap_or_default();
            self.row(section, id, zh, en, &format!("{key}_wage"), wage);
        }
    }
}

fn pace_key(t: &Target) -> &'static str {
    match t.pace {
        Pace::NotStarted => "not_started",
        Pace::OnTrack => "on_track",
        Pace::Behind => "behind",
        Pace::Reached => "reached",
    }
}

fn mark_key(r: &Row) -> &'static str {
    match r.mark {
        Mark::Covered => "covered",
        Mark::Shortage => "shortage",
        Mark::Critical => "critical",
    }
}

fn region_code(id: u16) -> String {
    skillbridge::domain::REGIONS
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
        c.institution(i);
    }
    for w in &fig.weeks {
        let id = w.start.to_string();
        c.row("weeks", &id, "", "", "enrollments", w.enrollments);
        c.row("weeks", &id, "", "", "certifications", w.certifications);
    }
    c.totals(&fig.totals);
    c.not_hired(fig);
    c.training_wishes(&fig.training_wishes);
    super::subsidy::csv_rows(fig, &mut |s, id, zh, en, m, v| c.row(s, id, zh, en, m, v));
    c.0
}

impl Csv {
    fn institution(&mut self, i: &InstitutionRow) {
        let id = format!("I{}", i.id);
        let mut row = |metric: &str, v: &dyn Display| self.row("institutions", &id, &i.name, "", metric, v);
        row("region", &i.region.get().map(|r| r.code).unwrap_or(""));
        row("stars", &i.stars);
        row("classes", &i.classes);
        row("seats", &i.seats);
        row("enrolled", &i.enrolled);
        for (name, r) in [
            ("completion", &i.completion),
            ("pass", &i.pass),
            ("placement", &i.placement),
        ] {
            row(&format!("{name}_num"), &r.num);
            row(&format!("{name}_den"), &r.den);
            row(name, &r.rate.map(|x| x.to_string()).unwrap_or_default());
        }
        self.retained("institutions", &id, &i.name, "", &i.retained);
    }

    fn totals(&mut self, t: &Totals) {
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
            self.row("totals", "", "", "", metric, v);
        }
        for (state, n) in &t.cases_by_state {
            self.row("totals", "", "", "", &format!("cases_by_state.{state}"), n);
        }
    }
}

impl Csv {
    /// Not-hired reasons (#18): `not_hired_enterprises` (id `E…`) and
    /// `not_hired_demands` (id `D…`), one row per reason code, `unstated`
    /// and `total`; the city's total under `not_hired`.
    fn not_hired(&mut self, fig: &Figures) {
        use skillbridge::domain::aftercare::NotHiredReason;
        use skillbridge::figures::not_hired::Reasons;
        let rows = |c: &mut Csv, section: &str, id: &str, zh: &str, en: &str, r: &Reasons| {
            for reason in NotHiredReason::ALL {
                c.row(section, id, zh, en, reason.name(), r.of(reason));
            }
            c.row(section, id, zh, en, "unstated", r.unstated);
            c.row(section, id, zh, en, "total", r.total());
        };
        let n = &fig.not_hired;
        rows(self, "not_hired", "", "", "", &n.total);
        for e in &n.enterprises {
            rows(
                self,
                "not_hired_enterprises",
                &format!("E{}", e.id),
                &e.name,
                "",
                &e.reasons,
            );
        }
        for d in &n.demands {
            rows(
                self,
                "not_hired_demands",
                &format!("D{}", d.id),
                d.occupation_zh,
                d.occupation_en,
                &d.reasons,
            );
        }
    }

    /// `training_wishes`: one block per trade × district with open wishes,
    /// id `<trade id>@<district code>`.
    fn training_wishes(&mut self, rows: &[skillbridge::figures::wishes::WishRow]) {
        for r in rows {
            let id = format!("{}@{}", r.trade_id, region_code(u16::from(r.district_id)));
            let zh = format!("{} {}", r.trade_zh, r.district_zh);
            let en = format!("{} {}", r.trade_en, r.district_en);
            for (metric, v) in [
                ("wishing", r.wishing),
                ("waiting", r.waiting),
                ("seats_open", r.seats_open),
                ("unmet", r.unmet),
            ] {
                self.row("training_wishes", &id, &zh, &en, metric, v);
            }
        }
    }
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
}
