//! The list of the current tab: a table whose searchable cells carry the
//! query's highlights and whose extra cells show live figures.

use super::{ACCENT, HIT};
use crate::app::{App, Tab};
use crate::domain::Kind;
use crate::domain::*;
use crate::i18n::Strings;
use crate::search::Query;
use crate::service::rows;
use crate::service::{Data, Inner};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

/// A column: a searchable cell by position, or a figure.
#[derive(Clone, Copy)]
pub enum Col {
    Cell(usize),
    OpenPosts,
    Wage,
    Status,
    Start,
    Seats,
}

pub struct ColSpec {
    pub col: Col,
    pub header: usize,
    pub width: Constraint,
    /// Hidden when the table is narrower than this.
    pub min_table: u16,
}

const fn spec(col: Col, header: usize, width: Constraint, min_table: u16) -> ColSpec {
    ColSpec {
        col,
        header,
        width,
        min_table,
    }
}

pub fn columns(tab: Tab) -> Vec<ColSpec> {
    use Constraint::*;
    match tab {
        Tab::Demands => vec![
            spec(Col::Cell(0), 0, Length(14), 0),
            spec(Col::Cell(1), 1, Min(16), 0),
            spec(Col::Cell(2), 2, Length(10), 0),
            spec(Col::OpenPosts, 4, Length(9), 60),
            spec(Col::Wage, 5, Length(11), 70),
            spec(Col::Status, 6, Length(6), 90),
            spec(Col::Cell(3), 3, Length(6), 50),
        ],
        Tab::Classes => vec![
            spec(Col::Cell(0), 0, Min(20), 0),
            spec(Col::Cell(1), 1, Length(26), 110),
            spec(Col::Cell(2), 2, Length(12), 130),
            spec(Col::Start, 4, Length(6), 50),
            spec(Col::Seats, 5, Length(9), 40),
            spec(Col::Status, 6, Length(6), 60),
            spec(Col::Cell(3), 3, Length(6), 70),
        ],
        Tab::Trainees => vec![
            spec(Col::Cell(0), 0, Length(8), 0),
            spec(Col::Cell(1), 1, Length(18), 0),
            spec(Col::Cell(2), 2, Length(11), 60),
            spec(Col::Cell(3), 3, Length(10), 70),
            spec(Col::Cell(4), 4, Min(10), 50),
        ],
        Tab::Cases => vec![
            spec(Col::Cell(0), 0, Length(8), 0),
            spec(Col::Cell(1), 1, Length(14), 0),
            spec(Col::Cell(2), 2, Length(8), 0),
            spec(Col::Cell(3), 3, Min(16), 50),
            spec(Col::Cell(4), 4, Length(7), 70),
        ],
    }
}

fn headers(t: &'static Strings, tab: Tab) -> &'static [&'static str] {
    match tab {
        Tab::Demands => &t.cols_demands,
        Tab::Classes => &t.cols_classes,
        Tab::Trainees => &t.cols_trainees,
        Tab::Cases => &t.cols_cases,
    }
}

/// A cell's text with the given char positions highlighted.
pub fn lit(text: &str, hits: &[usize], base: Style) -> Line<'static> {
    if hits.is_empty() {
        return Line::from(Span::styled(text.to_string(), base));
    }
    let mut spans = Vec::new();
    let mut cur = String::new();
    let mut cur_hit = false;
    for (i, c) in text.chars().enumerate() {
        let h = hits.binary_search(&i).is_ok();
        if h != cur_hit && !cur.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut cur),
                if cur_hit { base.patch(HIT) } else { base },
            ));
        }
        cur_hit = h;
        cur.push(c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, if cur_hit { base.patch(HIT) } else { base }));
    }
    Line::from(spans)
}

fn figure(data: &Data, kind: Kind, id: u64, col: Col, lang_zh: bool) -> (String, Style) {
    let plain = Style::new();
    match (kind, col) {
        (Kind::Demands, _) => {
            let Some(d) = data.demands.get(&DemandId(id)) else {
                return (String::new(), plain);
            };
            match col {
                Col::OpenPosts => (format!("{}/{}", data.posts_open(d), d.headcount), plain),
                Col::Wage => (format!("{}-{}", d.wage_min, d.wage_max), plain),
                Col::Status => (
                    if lang_zh { d.status.zh() } else { d.status.name() }.to_string(),
                    match d.status {
                        DemandStatus::Open => Style::new().fg(Color::Green),
                        _ => Style::new().fg(Color::DarkGray),
                    },
                ),
                _ => (String::new(), plain),
            }
        }
        (Kind::Classes, _) => {
            let Some(c) = data.classes.get(&ClassId(id)) else {
                return (String::new(), plain);
            };
            match col {
                Col::Start => (c.start.format("%m-%d").to_string(), plain),
                Col::Seats => {
                    let left = data.seats_left(c);
                    (
                        format!("{}/{}", left, c.capacity),
                        if left == 0 { Style::new().fg(Color::Red) } else { plain },
                    )
                }
                Col::Status => (
                    if lang_zh { c.status.zh() } else { c.status.name() }.to_string(),
                    match c.status {
                        ClassStatus::Open | ClassStatus::Planned => Style::new().fg(Color::Green),
                        ClassStatus::Running => Style::new().fg(Color::Yellow),
                        _ => Style::new().fg(Color::DarkGray),
                    },
                ),
                _ => (String::new(), plain),
            }
        }
        _ => (String::new(), plain),
    }
}

/// Build the rows for `ids` of a kind: (cells, highlights) per row.
pub fn row_lines(
    inner: &Inner,
    kind: Kind,
    ids: &[u64],
    query: &Query,
    cols: &[&ColSpec],
    zh: bool,
) -> Vec<Row<'static>> {
    let data = &inner.data;
    ids.iter()
        .map(|id| {
            let cells = rows::cells(data, kind, *id).unwrap_or_default();
            let hits = rows::highlights(&cells, query);
            let out: Vec<Cell> = cols
                .iter()
                .map(|c| match c.col {
                    Col::Cell(i) => Cell::from(lit(
                        cells.get(i).map(|c| c.as_ref()).unwrap_or(""),
                        hits.get(i).map(Vec::as_slice).unwrap_or(&[]),
                        Style::new(),
                    )),
                    other => {
                        let (text, style) = figure(data, kind, *id, other, zh);
                        Cell::from(Span::styled(text, style))
                    }
                })
                .collect();
            Row::new(out)
        })
        .collect()
}

pub fn draw_list(frame: &mut Frame, app: &App, area: Rect) {
    let st = &app.state;
    let t = st.t();
    let tab = st.tab;
    let l = st.list();
    let b = super::block(t.tabs[tab.index()].to_string());
    let inner_area = b.inner(area);
    frame.render_widget(b, area);
    if inner_area.height < 2 {
        return;
    }
    let visible = inner_area.height.saturating_sub(1) as usize;
    st.page.set(visible.max(1));
    if l.ids.is_empty() && !l.pending {
        frame.render_widget(
            Paragraph::new(Span::styled(t.no_results, Style::new().fg(Color::DarkGray))),
            inner_area,
        );
        return;
    }
    // Keep the selection in view.
    let mut offset = l.offset.get();
    if l.selected < offset {
        offset = l.selected;
    } else if l.selected >= offset + visible {
        offset = l.selected + 1 - visible;
    }
    offset = offset.min(l.ids.len().saturating_sub(1));
    l.offset.set(offset);
    let end = (offset + visible).min(l.ids.len());
    let all = columns(tab);
    let cols: Vec<&ColSpec> = all.iter().filter(|c| inner_area.width >= c.min_table).collect();
    let hdr = headers(t, tab);
    let header = Row::new(cols.iter().map(|c| Cell::from(hdr[c.header])).collect::<Vec<_>>())
        .style(Style::new().fg(ACCENT).add_modifier(Modifier::BOLD));
    let query = Query::parse(l.input.value());
    let inner = app.svc.read();
    let rows = row_lines(
        &inner,
        tab.kind(),
        &l.ids[offset..end],
        &query,
        &cols,
        st.lang == crate::i18n::Lang::Zh,
    );
    let widths: Vec<Constraint> = cols.iter().map(|c| c.width).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD))
        .highlight_symbol("▶");
    let mut ts = TableState::default();
    if !l.ids.is_empty() {
        ts.select(Some(l.selected - offset));
    }
    frame.render_stateful_widget(table, inner_area, &mut ts);
}
