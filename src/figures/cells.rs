//! Rows of figures as text cells, as the dashboard's tables and the
//! Markdown report both show them, in the chosen language.

use super::format as num;
use super::{Basis, InstitutionRow, Pace, QuarterFigures, Rate, Row, Span, Target, TargetKind};
use crate::i18n::{DashStrings, Lang, fill};

impl Row {
    /// The trade's, district's, program's or alliance's name.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
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
        Pace::Behind => fill(d.behind_by, &[&num::value(t.shortfall(), count)]),
        _ => d.paces[t.pace as usize].to_string(),
    }
}

/// The period's heading: its first and last day and how much has passed.
pub fn period_heading(d: &DashStrings, p: &Span) -> String {
    fill(d.period, &[&p.start, &p.end, &num::share(p.elapsed)])
}

/// The quarter's heading: which quarter and how much of it has passed.
pub fn quarter_heading(d: &DashStrings, q: &QuarterFigures) -> String {
    fill(d.quarter, &[&q.quarter, &num::share(q.span.elapsed)])
}

/// The note on the published baseline and the labor force it is read against.
pub fn baseline_note(d: &DashStrings, b: &Basis) -> String {
    fill(
        d.baseline,
        &[
            &num::int(b.baseline_skilled),
            &num::int(b.baseline_high_skill),
            &num::value(b.published_per_10k, true),
            &num::int(b.labor_force),
            &num::value(b.baseline_per_10k, false),
        ],
    )
}

/// The note under the trades on the technical-management posts left out of them.
pub fn tm_note(d: &DashStrings, open: u64) -> String {
    fill(d.tm_note, &[&num::int(open)])
}

/// A trade: open posts, open seats, in training, waiting, gap, mark.
pub fn trade_cells(d: &DashStrings, lang: Lang, r: &Row) -> Vec<String> {
    let p = &r.figures;
    vec![
        r.name(lang).to_string(),
        num::int(p.posts_open),
        num::int(p.seats_open),
        num::int(p.in_training),
        num::int(p.waiting),
        num::signed(r.gap),
        d.marks[r.mark as usize].to_string(),
    ]
}

/// A district: open posts, open seats, in training, certified, employed, gap.
pub fn district_cells(lang: Lang, r: &Row) -> Vec<String> {
    let p = &r.figures;
    vec![
        r.name(lang).to_string(),
        num::int(p.posts_open),
        num::int(p.seats_open),
        num::int(p.in_training),
        num::int(p.certified),
        num::int(p.employed),
        num::signed(r.gap),
    ]
}

/// A program or an alliance: classes, open seats, in training, certified,
/// employed, open posts.
pub fn group_cells(lang: Lang, r: &Row) -> Vec<String> {
    let p = &r.figures;
    vec![
        r.name(lang).to_string(),
        num::int(p.classes),
        num::int(p.seats_open),
        num::int(p.in_training),
        num::int(p.certified),
        num::int(p.employed),
        num::int(p.posts_open),
    ]
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

#[cfg(test)]
mod tests {
    use super::*;

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
