//! The dashboard's follow-ups view (#18): retention at 3 and 6 months per
//! program ("—" where no follow-up is closed yet), then why referrals
//! were not hired, per enterprise, most first.

use super::tables::figures_table;
use super::*;
use crate::figures::not_hired::enterprise_cells;
use crate::figures::retention;

pub(super) fn draw(frame: &mut Frame, ds: &DashStrings, lang: Lang, f: &Figures, area: Rect) {
    let programs = f.programs.len() as u16;
    let [t1, kept, t2, why] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(programs + 1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    frame.render_widget(Paragraph::new(Span::styled(ds.retention, bold)), t1);
    let plain = |cells: Vec<String>| cells.into_iter().map(|c| (c, Style::new())).collect();
    let rows = f
        .programs
        .iter()
        .map(|r| plain(retention::cells(r.name(lang), &r.retained)))
        .collect();
    figures_table(frame, kept, &ds.cols_retention_short, rows, None);
    frame.render_widget(Paragraph::new(Span::styled(ds.not_hired, bold)), t2);
    if f.not_hired.enterprises.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(ds.no_not_hired, DIM)), why);
        return;
    }
    let rows = f
        .not_hired
        .enterprises
        .iter()
        .take(why.height.saturating_sub(1) as usize)
        .map(|e| plain(enterprise_cells(e)))
        .collect();
    figures_table(frame, why, &ds.cols_not_hired, rows, None);
}
