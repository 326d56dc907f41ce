//! A record's lines as the detail pane and the detail view show them.

use super::{ACCENT, block};
use crate::app::State;
use crate::app::view::View;
use crate::app::view::record::DetailLine;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

fn kv(label: &str, value: &str) -> Line<'static> {
    // Chinese labels take a full-width colon, English ones ": ".
    let sep = if label.is_ascii() { ": " } else { "：" };
    Line::from(vec![
        Span::styled(format!("{label}{sep}"), Style::new().fg(Color::DarkGray)),
        Span::raw(value.to_string()),
    ])
}

/// A record's lines, styled.
pub fn lines(detail: &[DetailLine]) -> Vec<Line<'static>> {
    detail
        .iter()
        .map(|l| match l {
            DetailLine::Title(s) => Line::from(Span::styled(s.clone(), Style::new().add_modifier(Modifier::BOLD))),
            DetailLine::Field(label, value) => kv(label, value),
            DetailLine::Heading(h) => Line::from(Span::styled(
                h.to_string(),
                Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
            )),
            DetailLine::Item(text) => Line::from(vec![
                Span::styled("  · ", Style::new().fg(Color::DarkGray)),
                Span::raw(text.clone()),
            ]),
            DetailLine::Event { when, operator, text } => Line::from(vec![
                Span::styled(format!("{when} "), Style::new().fg(Color::DarkGray)),
                Span::styled(format!("{operator:<10} "), Style::new().fg(Color::Magenta)),
                Span::raw(text.clone()),
            ]),
        })
        .collect()
}

/// The pane beside (or below) the list: the selected record.
pub fn draw_pane(frame: &mut Frame, st: &State, view: &View, area: Rect) {
    let t = st.t();
    let b = block(t.detail.to_string());
    let inner_area = b.inner(area);
    frame.render_widget(b, area);
    if view.pane.is_empty() {
        return;
    }
    frame.render_widget(Paragraph::new(lines(&view.pane)).wrap(Wrap { trim: false }), inner_area);
}
