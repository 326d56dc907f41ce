//! The tables and charts: supply and demand by trade, districts,
//! programs, alliances, the institution scorecard, gaps and weeks.

use super::*;

pub(super) fn name(lang: Lang, r: &FigRow) -> &'static str {
    match lang {
        Lang::Zh => r.zh,
        Lang::En => r.en,
    }
}

pub(super) fn mark_style(m: Mark) -> Style {
    match m {
        Mark::Covered => Style::new(),
        Mark::Shortage => Style::new().fg(Color::Yellow),
        Mark::Critical => Style::new().fg(Color::LightRed).add_modifier(Modifier::BOLD),
    }
}

/// A table whose first column is a name and the rest right-aligned figures;
/// every column as wide as its widest cell.
pub(super) fn figures_table(
    frame: &mut Frame,
    area: Rect,
    head: &[&str],
    rows: Vec<Vec<(String, Style)>>,
    selected: Option<usize>,
) {
    let cols = head.len();
    let mut widths: Vec<u16> = head.iter().map(|h| unicode_width(h) as u16).collect();
    for r in &rows {
        for (i, (text, _)) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(unicode_width(text) as u16);
        }
    }
    // The figures keep their width; the name takes what is left (the
    // selection marker and the column gaps aside).
    let figures_w: u16 = widths.iter().skip(1).map(|w| w + 1).sum();
    widths[0] = widths[0].min(area.width.saturating_sub(figures_w + 1)).max(4);
    let constraints: Vec<Constraint> = widths.iter().map(|w| Constraint::Length(*w)).collect();
    let align = |i: usize, text: String, style: Style| {
        let line = Line::styled(text, style);
        // The name and a last text column (a mark) read left to right.
        if i == 0 || (i == cols - 1 && head[i].is_empty()) {
            Cell::from(line)
        } else {
            Cell::from(line.alignment(Alignment::Right))
        }
    };
    let header = Row::new(
        head.iter()
            .enumerate()
            .map(|(i, h)| align(i, h.to_string(), Style::new().fg(ACCENT).add_modifier(Modifier::BOLD))),
    );
    let body: Vec<Row> = rows
        .into_iter()
        .map(|r| Row::new(r.into_iter().enumerate().map(|(i, (t, s))| align(i, t, s))))
        .collect();
    let table = Table::new(body, constraints)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(Style::new().bg(Color::DarkGray))
        .highlight_symbol("▶");
    let mut st = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut st);
}

pub(super) fn draw_trades(frame: &mut Frame, ds: &DashStrings, lang: Lang, d: &DashboardState, area: Rect) {
    let f = &d.figures;
    // People's training wishes beside the employers' gap (#25).
    let (area, wishes) = crate::ui::wish::split_for_wishes(area, f);
    if let Some(w) = wishes {
        crate::ui::wish::draw_gap(frame, lang, f, w);
    }
    let (left, chart) = if area.width >= 110 {
        let [l, c] = Layout::horizontal([Constraint::Min(60), Constraint::Percentage(38)]).areas(area);
        (l, Some(c))
    } else {
        (area, None)
    };
    let [table, note] = Layout::vertical([Constraint::Min(2), Constraint::Length(1)]).areas(left);
    let rows = f
        .trades
        .iter()
        .map(|r| {
            let p = &r.figures;
            let ms = mark_style(r.mark);
            vec![
                (name(lang, r).to_string(), Style::new()),
                (num::int(p.posts_open), Style::new()),
                (num::int(p.seats_open), Style::new()),
                (num::int(p.in_training), Style::new()),
                (num::int(p.waiting), Style::new()),
                (num::signed(r.gap), ms),
                (ds.marks[r.mark as usize].to_string(), ms),
            ]
        })
        .collect();
    figures_table(frame, table, &ds.cols_trades, rows, Some(d.row(View::Trades)));
    frame.render_widget(
        Paragraph::new(Span::styled(
            fill(ds.tm_note, &[&num::int(f.totals.technical_management_posts_open)]),
            DIM,
        )),
        note,
    );
    if let Some(c) = chart {
        gap_bars(frame, c, ds.chart_gaps, ds.no_gaps, &f.trades, lang);
    }
}

/// Horizontal bars of the positive gaps, worst first.
pub(super) fn gap_bars(frame: &mut Frame, area: Rect, title: &str, none: &str, rows: &[FigRow], lang: Lang) {
    if area.height < 2 {
        return;
    }
    let [t, c] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(" {title}"),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        t,
    );
    // Worst first; ties keep the order they came in (the table's).
    let mut short: Vec<&FigRow> = rows.iter().filter(|r| r.gap > 0).collect();
    short.sort_by_key(|r| std::cmp::Reverse(r.gap));
    if short.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(format!(" {none}"), DIM)), c);
        return;
    }
    short.truncate(c.height as usize);
    let bars: Vec<Bar> = short
        .iter()
        .map(|r| {
            Bar::with_label(format!(" {}", name(lang, r)), r.gap as u64)
                .text_value(num::signed(r.gap))
                .style(mark_style(r.mark).remove_modifier(Modifier::BOLD))
        })
        .collect();
    frame.render_widget(BarChart::horizontal(bars).bar_width(1).bar_gap(0), c);
}

pub(super) fn district_rows(lang: Lang, f: &Figures) -> Vec<Vec<(String, Style)>> {
    f.districts
        .iter()
        .map(|r| {
            let p = &r.figures;
            vec![
                (name(lang, r).to_string(), Style::new()),
                (num::int(p.posts_open), Style::new()),
                (num::int(p.seats_open), Style::new()),
                (num::int(p.in_training), Style::new()),
                (num::int(p.certified), Style::new()),
                (num::int(p.employed), Style::new()),
                (num::signed(r.gap), mark_style(r.mark)),
            ]
        })
        .collect()
}

pub(super) fn draw_districts(frame: &mut Frame, ds: &DashStrings, lang: Lang, d: &DashboardState, area: Rect) {
    let [table, hint] = Layout::vertical([Constraint::Min(2), Constraint::Length(1)]).areas(area);
    figures_table(
        frame,
        table,
        &ds.cols_districts,
        district_rows(lang, &d.figures),
        Some(d.region().0 as usize),
    );
    frame.render_widget(Paragraph::new(Span::styled(ds.map_hint, DIM)), hint);
}

pub(super) fn draw_groups(
    frame: &mut Frame,
    ds: &DashStrings,
    lang: Lang,
    rows: &[FigRow],
    selected: usize,
    area: Rect,
) {
    let cells = rows
        .iter()
        .map(|r| {
            let p = &r.figures;
            vec![
                (name(lang, r).to_string(), Style::new()),
                (num::int(p.classes), Style::new()),
                (num::int(p.seats_open), Style::new()),
                (num::int(p.in_training), Style::new()),
                (num::int(p.certified), Style::new()),
                (num::int(p.employed), Style::new()),
                (num::int(p.posts_open), Style::new()),
            ]
        })
        .collect();
    figures_table(frame, area, &ds.cols_groups, cells, Some(selected));
}

pub(super) fn draw_institutions(
    frame: &mut Frame,
    ds: &DashStrings,
    rows: &[InstitutionRow],
    selected: usize,
    area: Rect,
) {
    let cells = rows
        .iter()
        .map(|i| {
            institution_cells(i)
                .into_iter()
                .enumerate()
                .map(|(c, text)| {
                    let style = if c == 1 {
                        Style::new().fg(Color::Yellow)
                    } else {
                        Style::new()
                    };
                    (text, style)
                })
                .chain(crate::figures::retention::scorecard_cells(&i.retained).map(|c| (c, Style::new())))
                .collect()
        })
        .collect();
    // The scorecard gains retention at 3 and 6 months (#18).
    let head: Vec<&str> = ds
        .cols_institutions
        .iter()
        .chain(&ds.cols_scorecard_retention)
        .copied()
        .collect();
    figures_table(frame, area, &head, cells, Some(selected));
}

pub(super) fn draw_charts(frame: &mut Frame, ds: &DashStrings, lang: Lang, f: &Figures, area: Rect) {
    let spark_h = if area.height >= 16 { 8 } else { 6 };
    let [bars, sparks] = Layout::vertical([Constraint::Min(3), Constraint::Length(spark_h)]).areas(area);
    let [trades, districts] = if area.width >= 100 {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bars)
    } else {
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(bars)
    };
    gap_bars(frame, trades, ds.chart_gaps, ds.no_gaps, &f.trades, lang);
    gap_bars(frame, districts, ds.chart_district_gaps, ds.no_gaps, &f.districts, lang);
    let [a, b] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(sparks);
    sparkline(frame, a, ds.chart_enroll, &f.weeks, |w| w.enrollments, Color::Cyan);
    sparkline(frame, b, ds.chart_cert, &f.weeks, |w| w.certifications, Color::Green);
}
