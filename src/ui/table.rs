//! The list of the current tab: a table whose searchable cells carry the
//! query's highlights and whose figure cells carry their tone.

use super::{ACCENT, HIT, tone_style};
use crate::app::State;
use crate::app::view::ColSpec;
use crate::app::view::View;
use crate::app::view::table::{CellView, headers};
use crate::domain::Kind;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

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

/// A row of cells as a table row.
pub fn table_row(cells: &[CellView]) -> Row<'static> {
    Row::new(
        cells
            .iter()
            .map(|c| Cell::from(lit(&c.text, &c.hits, tone_style(c.tone))))
            .collect::<Vec<_>>(),
    )
}

/// A table of rows in the given columns, `selected` (in the rows) marked.
pub fn table(cols: &[ColSpec], rows: &[Vec<CellView>], header: Option<Row<'static>>) -> Table<'static> {
    let widths: Vec<Constraint> = cols.iter().map(|c| c.width).collect();
    let mut t = Table::new(rows.iter().map(|r| table_row(r)).collect::<Vec<_>>(), widths).column_spacing(1);
    if let Some(h) = header {
        t = t.header(h);
    }
    t
}

pub fn draw_list(frame: &mut Frame, st: &State, view: &View, area: Rect) {
    let t = st.t();
    let tab: Kind = st.tab;
    let l = st.list();
    let b = super::block(t.tabs[tab.tab_index()].to_string());
    let inner_area = b.inner(area);
    frame.render_widget(b, area);
    if inner_area.height < 2 {
        return;
    }
    if l.ids.is_empty() && !l.pending {
        frame.render_widget(
            Paragraph::new(Span::styled(t.no_results, Style::new().fg(Color::DarkGray))),
            inner_area,
        );
        return;
    }
    let rows = &view.list;
    let hdr = headers(t, tab);
    let header = Row::new(rows.cols.iter().map(|c| Cell::from(hdr[c.header])).collect::<Vec<_>>())
        .style(Style::new().fg(ACCENT).add_modifier(Modifier::BOLD));
    let table = table(&rows.cols, &rows.rows, Some(header))
        .row_highlight_style(Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD))
        .highlight_symbol("▶");
    let mut ts = TableState::default();
    if !l.ids.is_empty() {
        ts.select(Some(l.selected.saturating_sub(rows.offset)));
    }
    frame.render_stateful_widget(table, inner_area, &mut ts);
}
