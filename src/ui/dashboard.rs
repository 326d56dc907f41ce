//! The dashboard overlay: gauges for the targets, tables of supply and
//! demand, the district map on a Canvas, bar charts of the gaps and weekly
//! sparklines. Reads the figures the dashboard keeps and computes nothing.

use super::{ACCENT, block, unicode_width};
use crate::app::App;
use crate::app::dashboard::{DashboardState, View};
use crate::domain::{REGIONS, RegionId};
use crate::figures::cells::{institution_cells, pace_label};
use crate::figures::{
    Figures, InstitutionRow, Mark, Pace, Row as FigRow, Target, TargetKind, Targets, Week, format as num,
};
use crate::i18n::{DashStrings, Lang, fill};
use crate::keymap::Context;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine};
use ratatui::widgets::{Bar, BarChart, Cell, Clear, Gauge, Paragraph, Row, Sparkline, Table, TableState, Wrap};

const DIM: Style = Style::new().fg(Color::DarkGray);
const SELECTED: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Yellow)
    .add_modifier(Modifier::BOLD);

/// Short English names of the districts, for the map.
const EN_SHORT: [&str; 8] = [
    "Jingkou",
    "Runzhou",
    "Dantu",
    "Danyang",
    "Yangzhong",
    "Jurong",
    "New Area",
    "Hi-tech",
];

pub fn draw(frame: &mut Frame, app: &App, d: &DashboardState, body: Rect) {
    frame.render_widget(Clear, body);
    let ds = app.state.t().dash;
    let f: &Figures = &d.figures;
    let b = block(format!("{} · {}", ds.title, fill(ds.as_of, &[&f.as_of])));
    let inner = b.inner(body);
    frame.render_widget(b, body);
    if inner.width < 12 || inner.height < 2 {
        return;
    }
    let [tabs, area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    draw_tabs(frame, app, d, tabs);
    let lang = app.state.lang;
    match d.view {
        View::Targets => draw_targets(frame, ds, f, area),
        View::Trades => draw_trades(frame, ds, lang, d, area),
        View::Districts => draw_districts(frame, ds, lang, d, area),
        View::Map => draw_map(frame, ds, lang, d, area),
        View::Programs => draw_groups(frame, ds, lang, &f.programs, d.row(View::Programs), area),
        View::Alliances => draw_groups(frame, ds, lang, &f.alliances, d.row(View::Alliances), area),
        View::Institutions => draw_institutions(frame, ds, &f.institutions, d.row(View::Institutions), area),
        View::Charts => draw_charts(frame, ds, lang, f, area),
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, d: &DashboardState, area: Rect) {
    let ds = app.state.t().dash;
    let key = |v: View| {
        app.keymap
            .keys_for(Context::Dashboard, v.action())
            .first()
            .map(|k| k.to_string())
    };
    let spans = |compact: bool| -> Vec<Span<'static>> {
        let mut out = Vec::new();
        for v in View::ALL {
            let current = v == d.view;
            let label = ds.views[v.index()];
            let text = match (key(v), compact && !current) {
                (Some(k), true) => format!(" {k} "),
                (Some(k), false) => format!(" {k} {label} "),
                (None, _) => format!(" {label} "),
            };
            let style = if current {
                Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD)
            } else {
                Style::new().fg(Color::Gray)
            };
            out.push(Span::styled(text, style));
        }
        out
    };
    let full = spans(false);
    let width: usize = full.iter().map(|s| s.width()).sum();
    let line = if width <= area.width as usize {
        Line::from(full)
    } else {
        Line::from(spans(true))
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Hands out rows of an area from the top until it is full.
struct Rows {
    area: Rect,
    y: u16,
}

impl Rows {
    fn new(area: Rect) -> Rows {
        Rows { area, y: area.y }
    }
    fn left(&self) -> u16 {
        self.area.bottom().saturating_sub(self.y)
    }
    fn take(&mut self, h: u16) -> Option<Rect> {
        if h == 0 || self.left() < h {
            return None;
        }
        let r = Rect {
            y: self.y,
            height: h,
            ..self.area
        };
        self.y += h;
        Some(r)
    }
}

fn pace_style(p: Pace) -> Style {
    match p {
        Pace::Reached | Pace::OnTrack => Style::new().fg(Color::Green),
        Pace::Behind => Style::new().fg(Color::LightRed),
        Pace::NotStarted => DIM,
    }
}

/// One target on one line: name, gauge (share), actual / goal.
fn gauge_row(frame: &mut Frame, area: Rect, name: &str, name_w: u16, t: &Target, k: TargetKind, ds: &DashStrings) {
    let count = k.is_count();
    let numbers = format!(
        "{} / {}{}",
        num::value(t.actual, count),
        num::value(t.goal, count),
        ds.units[k as usize]
    );
    let num_w = unicode_width(&numbers) as u16 + 1;
    let [n, g, v] = Layout::horizontal([
        Constraint::Length(name_w),
        Constraint::Min(6),
        Constraint::Length(num_w),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(name.to_string()), n);
    let color = pace_style(t.pace).fg.unwrap_or(Color::Gray);
    frame.render_widget(
        Gauge::default()
            .ratio(t.share.clamp(0.0, 1.0))
            .label(num::share(t.share))
            .use_unicode(true)
            .gauge_style(Style::new().fg(color).bg(Color::Black)),
        g,
    );
    frame.render_widget(Paragraph::new(numbers).alignment(Alignment::Right), v);
}

fn pace_line(frame: &mut Frame, area: Rect, indent: u16, t: &Target, k: TargetKind, ds: &DashStrings) {
    let count = k.is_count();
    let line = Line::from(vec![
        Span::raw(" ".repeat(indent as usize)),
        Span::styled(fill(ds.due, &[&num::value(t.expected, count)]), DIM),
        Span::styled(" · ", DIM),
        Span::styled(pace_label(ds, t, count), pace_style(t.pace)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn targets_block(
    frame: &mut Frame,
    rows: &mut Rows,
    ds: &DashStrings,
    names: &[&str; 4],
    name_w: u16,
    ts: &Targets,
    pace_lines: bool,
) {
    for k in TargetKind::ALL {
        let t = ts.get(k);
        let Some(r) = rows.take(1) else { return };
        gauge_row(frame, r, names[k as usize], name_w, t, k, ds);
        if pace_lines && let Some(r) = rows.take(1) {
            pace_line(frame, r, name_w, t, k, ds);
        }
    }
}

fn draw_targets(frame: &mut Frame, ds: &DashStrings, f: &Figures, area: Rect) {
    let wide = area.width >= 100;
    let names = if wide { &ds.targets } else { &ds.targets_short };
    let name_w = names.iter().map(|n| unicode_width(n)).max().unwrap_or(8) as u16 + 2;
    let roomy = area.height >= 24;
    let mut rows = Rows::new(area);
    let heading = |frame: &mut Frame, r: Rect, text: String| {
        frame.render_widget(
            Paragraph::new(Span::styled(text, Style::new().add_modifier(Modifier::BOLD))),
            r,
        );
    };
    let p = &f.period;
    if let Some(r) = rows.take(1) {
        heading(frame, r, fill(ds.period, &[&p.start, &p.end, &num::share(p.elapsed)]));
    }
    targets_block(frame, &mut rows, ds, names, name_w, &f.targets, true);
    if roomy {
        rows.take(1);
    }
    let q = &f.quarter;
    if let Some(r) = rows.take(1) {
        heading(frame, r, fill(ds.quarter, &[&q.quarter, &num::share(q.span.elapsed)]));
    }
    targets_block(frame, &mut rows, ds, names, name_w, &q.targets, roomy);
    if roomy {
        rows.take(1);
    }
    let b = &f.basis;
    let baseline = fill(
        ds.baseline,
        &[
            &num::int(b.baseline_skilled),
            &num::int(b.baseline_high_skill),
            &num::value(b.published_per_10k, true),
            &num::int(b.labor_force),
            &num::value(b.baseline_per_10k, false),
        ],
    );
    // Each note whole or not at all.
    for note in [baseline, ds.rate_rule.to_string()] {
        let need = wrapped_lines(&note, area.width as usize) as u16;
        if let Some(r) = rows.take(need) {
            frame.render_widget(Paragraph::new(Span::styled(note, DIM)).wrap(Wrap { trim: true }), r);
        }
    }
    if rows.left() >= 5 {
        rows.take(1);
        let h = rows.left().min(8);
        if let Some(r) = rows.take(h) {
            let title = ds.chart_enroll;
            sparkline(frame, r, title, &f.weeks, |w| w.enrollments, Color::Cyan);
        }
    }
}

/// How many lines a text takes wrapped at spaces to `width` (a word longer
/// than a line is broken).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    let (mut lines, mut col) = (1, 0);
    for word in text.split(' ') {
        let w = unicode_width(word);
        if col > 0 && col + 1 + w <= width {
            col += 1 + w;
        } else if col == 0 && w <= width {
            col = w;
        } else {
            if col > 0 {
                lines += 1;
            }
            lines += w.saturating_sub(1) / width;
            col = w - w.saturating_sub(1) / width * width;
        }
    }
    lines
}

/// A titled sparkline of the last weeks that fit.
fn sparkline(frame: &mut Frame, area: Rect, title: &str, weeks: &[Week], value: fn(&Week) -> u64, color: Color) {
    if area.height < 2 {
        return;
    }
    let n = weeks.len().min(area.width as usize);
    let shown = &weeks[weeks.len() - n..];
    let peak = shown.iter().map(value).max().unwrap_or(0);
    let [t, s] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(
            fill(title, &[&n, &num::int(peak)]),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        t,
    );
    frame.render_widget(
        Sparkline::default()
            .data(shown.iter().map(value).collect::<Vec<u64>>())
            .style(Style::new().fg(color)),
        s,
    );
}

fn name(lang: Lang, r: &FigRow) -> &'static str {
    match lang {
        Lang::Zh => r.zh,
        Lang::En => r.en,
    }
}

fn mark_style(m: Mark) -> Style {
    match m {
        Mark::Covered => Style::new(),
        Mark::Shortage => Style::new().fg(Color::Yellow),
        Mark::Critical => Style::new().fg(Color::LightRed).add_modifier(Modifier::BOLD),
    }
}

/// A table whose first column is a name and the rest right-aligned figures;
/// every column as wide as its widest cell.
fn figures_table(
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

fn draw_trades(frame: &mut Frame, ds: &DashStrings, lang: Lang, d: &DashboardState, area: Rect) {
    let f = &d.figures;
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
fn gap_bars(frame: &mut Frame, area: Rect, title: &str, none: &str, rows: &[FigRow], lang: Lang) {
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

fn district_rows(lang: Lang, f: &Figures) -> Vec<Vec<(String, Style)>> {
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

fn draw_districts(frame: &mut Frame, ds: &DashStrings, lang: Lang, d: &DashboardState, area: Rect) {
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

fn draw_groups(frame: &mut Frame, ds: &DashStrings, lang: Lang, rows: &[FigRow], selected: usize, area: Rect) {
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

fn draw_institutions(frame: &mut Frame, ds: &DashStrings, rows: &[InstitutionRow], selected: usize, area: Rect) {
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
                .collect()
        })
        .collect();
    figures_table(frame, area, &ds.cols_institutions, cells, Some(selected));
}

fn draw_charts(frame: &mut Frame, ds: &DashStrings, lang: Lang, f: &Figures, area: Rect) {
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

/// Longitude/latitude to the cells of an area, and back to canvas points.
struct Projection {
    left: f64,
    right: f64,
    bottom: f64,
    top: f64,
    w: u16,
    h: u16,
}

impl Projection {
    /// Fit the districts into the area at their true proportions: a degree
    /// of longitude is cos(latitude) of a degree of latitude, and a cell is
    /// about twice as tall as it is wide.
    fn new(area: Rect) -> Projection {
        let (mut left, mut right) = (f64::MAX, f64::MIN);
        let (mut bottom, mut top) = (f64::MAX, f64::MIN);
        for r in REGIONS.iter() {
            left = left.min(r.lon);
            right = right.max(r.lon);
            bottom = bottom.min(r.lat);
            top = top.max(r.lat);
        }
        // A margin on every side keeps markers off the edges.
        let (mx, my) = ((right - left) * 0.1, (top - bottom) * 0.12);
        let (mut left, mut right, mut bottom, mut top) = (left - mx, right + mx, bottom - my, top + my);
        let k = ((top + bottom) / 2.0).to_radians().cos();
        let cols = f64::from(area.width.saturating_sub(1).max(1));
        let rows = f64::from(area.height.saturating_sub(1).max(1)) * 2.0;
        let (wide, high) = ((right - left) * k, top - bottom);
        if wide / high < cols / rows {
            let grow = (high * cols / rows / k - (right - left)) / 2.0;
            left -= grow;
            right += grow;
        } else {
            let grow = (wide * rows / cols - high) / 2.0;
            bottom -= grow;
            top += grow;
        }
        Projection {
            left,
            right,
            bottom,
            top,
            w: area.width,
            h: area.height,
        }
    }
    fn cell(&self, lon: f64, lat: f64) -> (u16, u16) {
        let x = (lon - self.left) * f64::from(self.w.saturating_sub(1)) / (self.right - self.left);
        let y = (self.top - lat) * f64::from(self.h.saturating_sub(1)) / (self.top - self.bottom);
        (x.max(0.0) as u16, y.max(0.0) as u16)
    }
    /// A canvas point that lands in cell (x, y).
    fn point(&self, x: u16, y: u16) -> (f64, f64) {
        let sx = (self.right - self.left) / f64::from(self.w.saturating_sub(1).max(1));
        let sy = (self.top - self.bottom) / f64::from(self.h.saturating_sub(1).max(1));
        (
            self.left + (f64::from(x) + 0.25) * sx,
            self.top - (f64::from(y) + 0.25) * sy,
        )
    }
}

/// Where a district's label goes.
struct Placed {
    region: usize,
    x: u16,
    y: u16,
    text: String,
    /// Not beside the marker: joined to it by a line.
    leader: bool,
}

/// Put each label where it overlaps no other label or marker: beside the
/// marker if there is room, else above or below it, else its name only,
/// else nothing (the marker stays).
fn place_labels(p: &Projection, labels: &[(String, String)], order: &[usize]) -> Vec<Placed> {
    let (w, h) = (p.w as i32, p.h as i32);
    let mut used = vec![false; (w * h).max(0) as usize];
    let at = |x: i32, y: i32| (y * w + x) as usize;
    let markers: Vec<(i32, i32)> = REGIONS
        .iter()
        .map(|r| {
            let (x, y) = p.cell(r.lon, r.lat);
            (i32::from(x), i32::from(y))
        })
        .collect();
    for (x, y) in &markers {
        if *x < w && *y < h {
            used[at(*x, *y)] = true;
        }
    }
    let mut out = Vec::new();
    for &i in order {
        let (mx, my) = markers[i];
        'texts: for text in [&labels[i].0, &labels[i].1] {
            let lw = unicode_width(text) as i32;
            let candidates = [
                (mx + 2, my, false),
                (mx - 1 - lw, my, false),
                (mx + 2, my - 1, true),
                (mx + 2, my + 1, true),
                (mx - 1 - lw, my - 1, true),
                (mx - 1 - lw, my + 1, true),
                (mx - lw / 2, my - 1, true),
                (mx - lw / 2, my + 1, true),
                (mx + 2, my - 2, true),
                (mx + 2, my + 2, true),
                (mx - 1 - lw, my - 2, true),
                (mx - 1 - lw, my + 2, true),
            ];
            for (x, y, leader) in candidates {
                if x < 0 || y < 0 || x + lw > w || y >= h {
                    continue;
                }
                // One free cell on either side keeps labels apart.
                let free = (x - 1..x + lw + 1).all(|cx| cx < 0 || cx >= w || !used[at(cx, y)]);
                if !free {
                    continue;
                }
                for cx in x..x + lw {
                    used[at(cx, y)] = true;
                }
                out.push(Placed {
                    region: i,
                    x: x as u16,
                    y: y as u16,
                    text: text.clone(),
                    leader,
                });
                break 'texts;
            }
        }
    }
    out
}

fn draw_map(frame: &mut Frame, ds: &DashStrings, lang: Lang, d: &DashboardState, area: Rect) {
    let f = &d.figures;
    let selected = d.region();
    let (map, panel) = if area.width >= 70 {
        let [m, p] = Layout::horizontal([Constraint::Min(40), Constraint::Length(28)]).areas(area);
        (m, Some(p))
    } else {
        (area, None)
    };
    let (map, legend) = if panel.is_none() && map.height > 4 {
        let [m, l] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(map);
        (m, Some(l))
    } else {
        (map, None)
    };
    if map.width < 8 || map.height < 3 {
        return;
    }
    let p = Projection::new(map);
    let labels: Vec<(String, String)> = REGIONS
        .iter()
        .zip(&f.districts)
        .map(|(r, row)| {
            let short = match lang {
                Lang::Zh => r.short_zh,
                Lang::En => EN_SHORT.get(r.id.0 as usize).copied().unwrap_or(r.en),
            };
            let x = &row.figures;
            (
                format!(
                    "{short} {}/{}/{}/{}/{}",
                    x.posts_open, x.seats_open, x.in_training, x.certified, x.employed
                ),
                short.to_string(),
            )
        })
        .collect();
    let mut order: Vec<usize> = vec![selected.0 as usize];
    order.extend((0..REGIONS.len()).filter(|i| *i != selected.0 as usize));
    let placed = place_labels(&p, &labels, &order);
    let cells: Vec<(u16, u16)> = REGIONS.iter().map(|r| p.cell(r.lon, r.lat)).collect();
    let canvas = Canvas::default()
        .x_bounds([p.left, p.right])
        .y_bounds([p.bottom, p.top])
        .paint(|ctx| {
            for l in placed.iter().filter(|l| l.leader) {
                let (mx, my) = cells[l.region];
                let end_x = if l.x > mx {
                    l.x
                } else {
                    l.x + unicode_width(&l.text) as u16 - 1
                };
                let (x1, y1) = p.point(mx, my);
                let (x2, y2) = p.point(end_x, l.y);
                ctx.draw(&CanvasLine::new(x1, y1, x2, y2, Color::DarkGray));
            }
            ctx.layer();
            for (i, (x, y)) in cells.iter().enumerate() {
                let (px, py) = p.point(*x, *y);
                let style = if i == selected.0 as usize {
                    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
                } else {
                    Style::new().fg(ACCENT)
                };
                ctx.print(
                    px,
                    py,
                    Span::styled(if i == selected.0 as usize { "◉" } else { "●" }, style),
                );
            }
        });
    frame.render_widget(canvas, map);
    // Labels go on top, cell-exact (double-width names stay whole).
    let buf = frame.buffer_mut();
    for l in &placed {
        let style = if l.region == selected.0 as usize {
            SELECTED
        } else {
            Style::new().fg(Color::White)
        };
        let x = map.x + l.x;
        let room = map.right().saturating_sub(x);
        buf.set_line(x, map.y + l.y, &Line::styled(l.text.clone(), style), room);
    }
    if let Some(l) = legend {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{} · {}", ds.map_legend, ds.map_hint), DIM)),
            l,
        );
    }
    if let Some(panel) = panel {
        draw_district_panel(frame, ds, lang, f, selected, panel);
    }
}

fn draw_district_panel(frame: &mut Frame, ds: &DashStrings, lang: Lang, f: &Figures, r: RegionId, area: Rect) {
    let Some(row) = f.districts.get(r.0 as usize) else {
        return;
    };
    let x = &row.figures;
    let title = match lang {
        Lang::Zh => r.zh().to_string(),
        Lang::En => r.en().to_string(),
    };
    let label_w = ds.cols_districts[1..]
        .iter()
        .map(|c| unicode_width(c))
        .max()
        .unwrap_or(8);
    let kv = |label: &str, value: String, style: Style| {
        let pad = label_w.saturating_sub(unicode_width(label));
        Line::from(vec![
            Span::styled(format!("{label}{} ", " ".repeat(pad)), DIM),
            Span::styled(value, style),
        ])
    };
    let c = &ds.cols_districts;
    let lines = vec![
        Line::from(Span::styled(
            title,
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )),
        kv(c[1], num::int(x.posts_open), Style::new()),
        kv(c[2], num::int(x.seats_open), Style::new()),
        kv(c[3], num::int(x.in_training), Style::new()),
        kv(c[4], num::int(x.certified), Style::new()),
        kv(c[5], num::int(x.employed), Style::new()),
        kv(c[6], num::signed(row.gap), mark_style(row.mark)),
        Line::from(""),
        Line::from(Span::styled(ds.map_legend_panel, DIM)),
        Line::from(Span::styled(ds.map_hint, DIM)),
    ];
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_lines_as_a_word_wrapper_would() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("abc def", 7), 1);
        assert_eq!(wrapped_lines("abc def", 6), 2);
        assert_eq!(wrapped_lines("abcdefghijkl", 5), 3);
        assert_eq!(wrapped_lines("ab abcdefghijkl", 5), 4);
        // Double-width text counts two columns a character.
        assert_eq!(wrapped_lines("基线基线基线", 6), 2);
    }

    #[test]
    fn the_projection_keeps_east_east_and_north_north() {
        let p = Projection::new(Rect::new(0, 0, 60, 20));
        let cell = |zh: &str| {
            let r = REGIONS.iter().find(|r| r.short_zh == zh).unwrap();
            p.cell(r.lon, r.lat)
        };
        // 扬中 is the easternmost, 句容 the westernmost and southernmost.
        assert!(REGIONS.iter().all(|r| p.cell(r.lon, r.lat).0 <= cell("扬中").0));
        assert!(REGIONS.iter().all(|r| p.cell(r.lon, r.lat).0 >= cell("句容").0));
        assert!(REGIONS.iter().all(|r| p.cell(r.lon, r.lat).1 <= cell("句容").1));
        assert!(cell("京口").1 < cell("丹徒").1 && cell("丹徒").1 < cell("丹阳").1);
        for r in REGIONS.iter() {
            let (x, y) = p.cell(r.lon, r.lat);
            assert!(x > 0 && x < 59 && y > 0 && y < 19, "{} at {x},{y}", r.zh);
            // A point printed at a cell lands in that cell.
            let (px, py) = p.point(x, y);
            assert_eq!(p.cell(px, py), (x, y), "{}", r.zh);
        }
    }

    #[test]
    fn labels_never_overlap_and_the_selected_one_is_placed() {
        let p = Projection::new(Rect::new(0, 0, 50, 17));
        let labels: Vec<(String, String)> = REGIONS
            .iter()
            .map(|r| (format!("{} 1234/567/89/10/11", r.short_zh), r.short_zh.to_string()))
            .collect();
        for first in 0..REGIONS.len() {
            let mut order = vec![first];
            order.extend((0..REGIONS.len()).filter(|i| *i != first));
            let placed = place_labels(&p, &labels, &order);
            assert_eq!(placed.first().map(|l| l.region), Some(first));
            for (i, a) in placed.iter().enumerate() {
                for b in &placed[i + 1..] {
                    let (aw, bw) = (unicode_width(&a.text) as u16, unicode_width(&b.text) as u16);
                    let apart = a.y != b.y || a.x + aw < b.x || b.x + bw < a.x;
                    assert!(apart, "{} and {} overlap", a.text, b.text);
                }
            }
        }
    }
}
